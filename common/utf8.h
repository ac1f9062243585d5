/* Strict UTF-8 decoding, shared by every text ferry reads (answers,
 * questions files). */
#ifndef FERRY_UTF8_H
#define FERRY_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the sequence at s (n bytes available) into *cp. Returns its
 * length, or 0 when it is malformed: overlong, a surrogate, above
 * U+10FFFF, a bad continuation byte, or cut short. */
size_t ferry_utf8_next(const uint8_t *s, size_t n, uint32_t *cp);

#endif
