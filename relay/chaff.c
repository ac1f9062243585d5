#include "chaff.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/fileio.h"
#include "../common/le.h"
#include "../container/format.h"
#include "../crypto/bundle.h"

uint64_t ferry_chaff_draw(const ferry_credential *c)
{
	uint32_t total = 0;
	for (unsigned k = 0; k < FERRY_CLASSES; k++)
		total += c->chaff_weight[k];
	if (total == 0)
		return FERRY_BUNDLE_FLOOR;
	uint32_t r = randombytes_uniform(total);
	for (unsigned k = 0; k < FERRY_CLASSES; k++) {
		if (r < c->chaff_weight[k])
			return ferry_class_len(k);
		r -= c->chaff_weight[k];
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
	                       c->relay.pk[ferry_credential_out_key(c, ferry_now())],
	                       NULL, prefix) != 0) {
		rc = ferry_fail(e, FERRY_EVERIFY,
		                "the credential's chaff or relay key is refused (not a valid public key)");
		goto out;
	}
	if (write(io, prefix, sizeof prefix) != 0) {
		rc = ferry_fail(e, FERRY_EOP, "cannot write a chaff bundle: %s",
		                strerror(errno));
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
		    ferry_sealer_fold(s, unit) != 0) {
			rc = ferry_fail(e, FERRY_EOP, "cannot seal a chaff chunk");
			goto out;
		}
		if (write(io, buf, len + FERRY_CHUNK_OVERHEAD) != 0) {
			rc = ferry_fail(e, FERRY_EOP, "cannot write a chaff bundle: %s",
			                strerror(errno));
			goto out;
		}
	}
	if (ferry_sealer_tag(s, tag) != 0) {
		rc = ferry_fail(e, FERRY_EOP, "cannot seal a chaff chunk");
		goto out;
	}
	if (write(io, tag, sizeof tag) != 0) {
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
