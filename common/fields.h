/* Strict fields of ferry's text formats (log attestations, manifests):
 * each has one spelling, so a reader accepts exactly what the writer
 * writes. */
#ifndef FERRY_FIELDS_H
#define FERRY_FIELDS_H

#include <stddef.h>
#include <stdint.h>

/* The n characters at v as a decimal: digits only, no sign, no leading
 * zero, at most 19 digits. 0, or -1. */
int ferry_field_decimal(const char *v, size_t n, uint64_t *out);
/* The vlen characters at v as n bytes in lower-case hex (vlen = 2n). 0,
 * or -1. */
int ferry_field_hex(uint8_t *out, size_t n, const char *v, size_t vlen);
/* The n characters at s as a plain file name (of a case, or of a file in
 * one): letters, digits, '.', '-' and '_', not empty, not starting with
 * '.'. 1 when it is one. */
int ferry_field_plain_name(const char *s, size_t n);

#endif
