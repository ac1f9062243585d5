/* Crockford base32 (RFC-less alphabet 0-9 A-Z without I L O U).
 * Every character is in the QR alphanumeric set, and the alphabet has no
 * letters that are easily confused when read aloud. */
#ifndef FERRY_B32_H
#define FERRY_B32_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"

/* Characters needed for n bytes (no padding characters are used). */
#define FERRY_B32_LEN(n) ((((n)*8) + 4) / 5)

/* Encodes in[0..inlen) as upper-case base32 into out (FERRY_B32_LEN(inlen)
 * characters plus a NUL). Returns -1 if outcap is too small. */
int ferry_b32_encode(char *out, size_t outcap, const uint8_t *in,
                     size_t inlen) FERRY_WUR;

/* Decodes exactly outlen bytes from the first FERRY_B32_LEN(outlen)
 * characters of in. Accepts lower case and the Crockford aliases
 * (O->0, I/L->1). Unused trailing bits must be zero. No separators. */
int ferry_b32_decode(uint8_t *out, size_t outlen, const char *in,
                     size_t inlen) FERRY_WUR;

/* Value of one base32 character, or -1. */
int ferry_b32_value(char c);

#endif
