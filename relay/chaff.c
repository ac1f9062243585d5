#include "chaff.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/container.h"
#include "../common/fileio.h"
#include "../common/le.h"
#include "../crypto/bundle.h"

/* "LENGTH COUNT", decimal digits only; anything else is not a line. */
static int parse_line(const char *l, size_t n, uint64_t *len, uint32_t *count)
{
	char b[48], *end = NULL;
	if (n == 0 || n >= sizeof b || l[0] < '0' || l[0] > '9')
		return -1;
	memcpy(b, l, n);
	b[n] = '\0';
	errno = 0;
	unsigned long long v = strtoull(b, &end, 10);
	if (errno || *end != ' ' || end[1] < '0' || end[1] > '9')
		return -1;
	unsigned long long c = strtoull(end + 1, &end, 10);
	if (errno || *end || !ferry_bundle_len_valid(v) || c == 0 || c > UINT32_MAX)
		return -1;
	*len = v;
	*count = (uint32_t)c;
	return 0;
}

void ferry_sizes_parse(ferry_sizes *h, const char *text, size_t len)
{
	memset(h, 0, sizeof *h);
	for (size_t i = 0; i < len && h->n < FERRY_SIZES_MAX;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		uint64_t l = 0;
		uint32_t c = 0;
		int dup = 0;
		if (parse_line(text + i, n, &l, &c) == 0) {
			for (unsigned k = 0; k < h->n; k++)
				dup |= h->len[k] == l;
			if (!dup) {
				h->len[h->n] = l;
				h->count[h->n++] = c;
			}
		}
		i += n + 1;
	}
}

int ferry_sizes_load(ferry_sizes *h, const char *spool, ferry_err *e)
{
	char p[FERRY_PATH_MAX];
	uint8_t *t = NULL;
	size_t n = 0;
	memset(h, 0, sizeof *h);
	if (ferry_path_join(p, sizeof p, spool, "sizes") != 0)
		return ferry_fail(e, FERRY_EOP, "the spool's path is too long");
	/* Missing or unreadable: an empty histogram; chaff then takes the
	 * built-in sizes, which is safe. */
	if (ferry_read_file(p, 1u << 16, &t, &n, "the spool's sizes", NULL) != FERRY_OK)
		return FERRY_OK;
	ferry_sizes_parse(h, (const char *)t, n);
	free(t);
	return FERRY_OK;
}

int ferry_sizes_save(const ferry_sizes *h, const char *spool)
{
	char p[FERRY_PATH_MAX], text[FERRY_SIZES_MAX * 32];
	size_t o = 0;
	for (unsigned i = 0; i < h->n; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "%llu %lu\n",
		                      (unsigned long long)h->len[i],
		                      (unsigned long)h->count[i]);
	if (ferry_path_join(p, sizeof p, spool, "sizes") != 0)
		return -1;
	return ferry_atomic_write(p, (const uint8_t *)text, o, 0600, 0);
}

/* Counts n more of len; the rarest length goes when the table is full. */
static void sizes_add_n(ferry_sizes *h, uint64_t len, uint32_t n)
{
	unsigned rare = 0;
	for (unsigned i = 0; i < h->n; i++) {
		if (h->len[i] == len) {
			h->count[i] =
			    h->count[i] > UINT32_MAX - n ? UINT32_MAX : h->count[i] + n;
			return;
		}
		if (h->count[i] < h->count[rare])
			rare = i;
	}
	unsigned at = h->n < FERRY_SIZES_MAX ? h->n++ : rare;
	h->len[at] = len;
	h->count[at] = n;
}

void ferry_sizes_add(ferry_sizes *h, uint64_t len)
{
	sizes_add_n(h, len, 1);
}

void ferry_sizes_merge(ferry_sizes *h, const ferry_sizes *from)
{
	for (unsigned i = 0; i < from->n; i++)
		sizes_add_n(h, from->len[i], from->count[i]);
}

uint64_t ferry_sizes_draw(const ferry_sizes *h)
{
	/* Phone photos of a page: mostly 1.5 to 5 MB a page, one to three
	 * pages a bundle. */
	static const struct {
		uint32_t mb10, weight;
	} builtin[] = {{15, 10}, {25, 25}, {35, 25}, {50, 20}, {80, 12}, {120, 8}};
	uint64_t total = 0;
	for (unsigned i = 0; i < h->n; i++)
		total += h->count[i];
	if (total) {
		uint64_t r =
		    ((uint64_t)randombytes_random() << 32 | randombytes_random()) %
		    total;
		for (unsigned i = 0; i < h->n; i++) {
			if (r < h->count[i])
				return h->len[i];
			r -= h->count[i];
		}
	}
	uint32_t r = randombytes_uniform(100), acc = 0;
	for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++) {
		acc += builtin[i].weight;
		if (r < acc) {
			uint64_t len = 0;
			if (ferry_bundle_len_for((uint64_t)builtin[i].mb10 * 100000,
			                         &len) == 0)
				return len;
		}
	}
	return FERRY_BUNDLE_FLOOR;
}

/* The end record alone: chaff carries no item. */
static size_t empty_container(uint8_t out[FERRY_CT_MAGIC_LEN + FERRY_CT_REC_HDR + 4])
{
	memcpy(out, FERRY_CT_MAGIC, FERRY_CT_MAGIC_LEN);
	out[FERRY_CT_MAGIC_LEN] = FERRY_CT_END;
	ferry_put_le(out + FERRY_CT_MAGIC_LEN + 1, 4, 4);
	ferry_put_le(out + FERRY_CT_MAGIC_LEN + FERRY_CT_REC_HDR, 0, 4);
	return FERRY_CT_MAGIC_LEN + FERRY_CT_REC_HDR + 4;
}

int ferry_chaff_seal(const ferry_credential *c, uint64_t bundle_len,
                     ferry_write_fn write, void *io, ferry_err *e)
{
	uint64_t plain = 0;
	uint8_t prefix[FERRY_PREFIX_LEN], unit[FERRY_MAC_LEN], tag[FERRY_MAC_LEN];
	uint8_t head[FERRY_CT_MAGIC_LEN + FERRY_CT_REC_HDR + 4];
	size_t hl = empty_container(head);
	if (!ferry_bundle_len_valid(bundle_len) ||
	    ferry_plain_len_of_bundle(bundle_len, &plain) != 0 || plain < hl)
		return ferry_fail(e, FERRY_EUSAGE, "%llu bytes is not a bundle length",
		                  (unsigned long long)bundle_len);
	ferry_sealer *s = sodium_malloc(sizeof *s);
	uint8_t *buf = sodium_malloc(FERRY_CHUNK_CT_LEN);
	int rc = FERRY_EOP;
	if (!s || !buf) {
		rc = ferry_fail(e, FERRY_EOP, "out of memory");
		goto out;
	}
	if (ferry_sealer_begin(s, FERRY_KIND_CHAFF, FERRY_NO_FORM, c->chaff_pk, NULL,
	                       c->relay.pk[c->relay.n - 1], NULL, prefix) != 0 ||
	    write(io, prefix, sizeof prefix) != 0) {
		rc = ferry_fail(e, FERRY_EOP, "cannot start a chaff bundle");
		goto out;
	}
	uint64_t chunks = plain / FERRY_CHUNK_LEN + 1;
	for (uint64_t i = 0; i < chunks; i++) {
		int final = i == chunks - 1;
		size_t len =
		    final ? (size_t)(plain % FERRY_CHUNK_LEN) : FERRY_CHUNK_LEN;
		memset(buf, 0, FERRY_CHUNK_CT_LEN);
		if (i == 0)
			memcpy(buf, head, hl); /* plain >= hl, so chunk 0 holds it */
		if (ferry_sealer_chunk(s, i, final, buf, len, unit) != 0 ||
		    ferry_sealer_fold(s, unit) != 0 ||
		    write(io, buf, len + FERRY_CHUNK_OVERHEAD) != 0) {
			rc = ferry_fail(e, FERRY_EOP, "cannot write a chaff bundle: %s",
			                strerror(errno));
			goto out;
		}
	}
	if (ferry_sealer_tag(s, tag) != 0 || write(io, tag, sizeof tag) != 0) {
		rc = ferry_fail(e, FERRY_EOP, "cannot write a chaff bundle: %s",
		                strerror(errno));
		goto out;
	}
	rc = FERRY_OK;
out:
	if (s) {
		ferry_sealer_wipe(s);
		sodium_free(s);
	}
	if (buf)
		sodium_free(buf);
	return rc;
}
