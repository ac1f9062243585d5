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

/* s as it may be shown anywhere (a terminal, or a file or pipe that a
 * terminal shows later): control characters (C0, DEL, C1) and bytes that
 * are not UTF-8 escaped as \x1b, bidi controls as \u202e; cut to fit
 * cap. Returns out. */
const char *ferry_utf8_shown(char *out, size_t cap, const char *s);

#endif
