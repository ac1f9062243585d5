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

/* A control character: C0 (below U+0020), DEL or C1 (U+0080..U+009F),
 * which can move a terminal's cursor or rewrite its screen. */
int ferry_is_control(uint32_t cp);

/* The one check of text ferry keeps, prints or signs (questions files,
 * notes and revocation reasons, page reports from bundles, release
 * names): UTF-8 with no control character, but tab where allow has
 * FERRY_TEXT_TAB and line feed where it has FERRY_TEXT_LINES. Returns
 * FERRY_TEXT_OK, or which rule the text breaks. */
enum { FERRY_TEXT_TAB = 1, FERRY_TEXT_LINES = 2 };
enum { FERRY_TEXT_OK = 0, FERRY_TEXT_NOT_UTF8, FERRY_TEXT_CONTROL };
int ferry_text_check(const char *s, size_t n, unsigned allow);

/* s as it may be shown anywhere (a terminal, or a file or pipe that a
 * terminal shows later): control characters (C0, DEL, C1) and bytes that
 * are not UTF-8 escaped as \x1b, bidi controls as \u202e; cut to fit
 * cap. Returns out. */
const char *ferry_utf8_shown(char *out, size_t cap, const char *s);

#endif
