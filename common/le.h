/* Little-endian integers in byte strings, and a bounded reader and a
 * bounded writer over them, side by side, for every ferry format. */
#ifndef FERRY_LE_H
#define FERRY_LE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void ferry_put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t ferry_get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Reads fields in order from untrusted bytes. Any read past the end sets
 * bad (and every later read fails too), so a parser checks once, at the
 * end or before it trusts a length. */
typedef struct {
	const uint8_t *p;
	size_t len, off;
	int bad;
} ferry_rd;

static inline const uint8_t *ferry_rd_take(ferry_rd *r, size_t n)
{
	if (r->bad || r->len - r->off < n) {
		r->bad = 1;
		return NULL;
	}
	const uint8_t *q = r->p + r->off;
	r->off += n;
	return q;
}

/* Copies n bytes out, or zeroes out when they are not there. */
static inline void ferry_rd_copy(ferry_rd *r, void *out, size_t n)
{
	const uint8_t *q = ferry_rd_take(r, n);
	if (q)
		memcpy(out, q, n);
	else
		memset(out, 0, n);
}

static inline uint64_t ferry_rd_le(ferry_rd *r, int n)
{
	const uint8_t *q = ferry_rd_take(r, (size_t)n);
	return q ? ferry_get_le(q, n) : 0;
}

/* Writes fields in order into a buffer of a size fixed beforehand. A
 * write that does not fit sets bad (and every later write is refused
 * too), so a writer checks once, at the end, that every field fitted and
 * that the length is the one its format's size says. */
typedef struct {
	uint8_t *p;
	size_t cap, len;
	int bad;
} ferry_wbuf;

static inline void ferry_w_bytes(ferry_wbuf *w, const void *d, size_t n)
{
	if (w->bad || w->cap - w->len < n) {
		w->bad = 1;
		return;
	}
	memcpy(w->p + w->len, d, n);
	w->len += n;
}

static inline void ferry_w_le(ferry_wbuf *w, uint64_t v, int n)
{
	uint8_t b[8];
	ferry_put_le(b, v, n);
	ferry_w_bytes(w, b, (size_t)n);
}

#endif
