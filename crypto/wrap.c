/* A relay's wrap: the relay's half of crypto/wrap.h, in an object of its
 * own so that neither the sealer nor the desk links it. */
#include "wrap.h"

#include <string.h>

#include "bundle_kdf.h"

/* Keeping everything after the new slot in place in the file is what
 * lets the desk remove every layer from a chunk at once: the body lies
 * at one offset at every hop. */
_Static_assert(FERRY_PREFIX_LEN > FERRY_STACK_LEN, "the body follows the stack");

int ferry_wrap_begin(ferry_wrapper *w, const uint8_t wrap_pk[FERRY_X25519_LEN],
                     const uint8_t relay_pk[FERRY_X25519_LEN],
                     const uint8_t in[FERRY_PREFIX_LEN], uint8_t out[FERRY_PREFIX_LEN])
{
	uint8_t x[FERRY_X25519_LEN], dh[FERRY_X25519_LEN];
	int rc = -1;

	memset(w, 0, sizeof *w);
	w->state = -1;
	/* A fresh key for every output, never one derived from the input or
	 * the spool: once it is wiped, nobody can recompute the output. */
	randombytes_buf(x, sizeof x);
	if (crypto_scalarmult_base(out, x) != 0)
		goto out;
	ferry_epk_hide_top(out);
	if (crypto_scalarmult(dh, x, wrap_pk) != 0 ||
	    ferry_derive_hop_keys(w->k_s, out + FERRY_EPK_LEN, dh, out, wrap_pk) != 0)
		goto out;
	/* The input's slots but its last move down one; the body stays. */
	memcpy(out + FERRY_SLOT_LEN, in, FERRY_STACK_LEN - FERRY_SLOT_LEN);
	memcpy(out + FERRY_STACK_LEN, in + FERRY_STACK_LEN,
	       FERRY_PREFIX_LEN - FERRY_STACK_LEN);
	if (ferry_stream_xor_at(w->k_s, 0, out + FERRY_SLOT_LEN,
	                        FERRY_PREFIX_LEN - FERRY_SLOT_LEN) != 0)
		goto out;
	if (ferry_relaytag_writer_start(&w->tag, x, relay_pk, out) != 0)
		goto out;
	w->state = 1;
	rc = 0;
out:
	sodium_memzero(x, sizeof x);
	sodium_memzero(dh, sizeof dh);
	if (rc != 0) {
		ferry_wrap_wipe(w);
		memset(out, 0, FERRY_PREFIX_LEN);
	}
	return rc;
}

int ferry_wrap_chunk(const ferry_wrapper *w, uint64_t i, uint8_t *buf, size_t len,
                     uint8_t unit_tag[FERRY_MAC_LEN])
{
	memset(unit_tag, 0, FERRY_MAC_LEN);
	if (w->state != 1 || len < FERRY_CHUNK_OVERHEAD || len > FERRY_CHUNK_CT_LEN)
		return -1;
	uint64_t off = FERRY_PREFIX_LEN + i * FERRY_CHUNK_CT_LEN;
	if (ferry_stream_xor_at(w->k_s, off - FERRY_SLOT_LEN, buf, len) != 0)
		return -1;
	return ferry_relaytag_unit(w->tag.key, i + 1, buf, len, unit_tag);
}

int ferry_wrap_fold(ferry_wrapper *w, const uint8_t unit_tag[FERRY_MAC_LEN])
{
	return w->state == 1 ? ferry_relaytag_writer_fold(&w->tag, unit_tag) : -1;
}

int ferry_wrap_tag(ferry_wrapper *w, uint8_t tag[FERRY_MAC_LEN])
{
	int rc = -1;
	memset(tag, 0, FERRY_MAC_LEN);
	if (w->state == 1 && ferry_relaytag_writer_final(&w->tag, tag) == 0)
		rc = 0;
	ferry_wrap_wipe(w);
	return rc;
}

void ferry_wrap_wipe(ferry_wrapper *w)
{
	sodium_memzero(w, sizeof *w);
	w->state = -1;
}
