/* The sealing half of the bundle: a separate object file, so that the
 * contact's program links no code that opens a bundle. */
#include <string.h>

#include "../common/le.h"
#include "bundle.h"
#include "bundle_kdf.h"

int ferry_sealer_begin(ferry_sealer *s, uint8_t kind, uint32_t form_index,
                       const uint8_t spk[FERRY_X25519_LEN], const uint8_t *opk,
                       const uint8_t relay_pk[FERRY_X25519_LEN],
                       const ferry_pack_proof *proof,
                       uint8_t prefix[FERRY_PREFIX_LEN])
{
	uint8_t e[FERRY_X25519_LEN], epk[FERRY_X25519_LEN];
	uint8_t dh1[FERRY_X25519_LEN], dh2[FERRY_X25519_LEN];
	uint8_t k_h[FERRY_KEY_LEN];
	uint8_t hdr[FERRY_HDR_PLAIN_LEN];
	unsigned long long clen = 0;
	int rc = -1;

	memset(s, 0, sizeof *s);
	memset(prefix, 0, FERRY_PREFIX_LEN);
	s->state = -1;
	if (kind == FERRY_KIND_TESTIMONY) {
		if (!opk || form_index == FERRY_NO_FORM)
			return -1;
	} else if (kind == FERRY_KIND_WALKIN || kind == FERRY_KIND_CHAFF) {
		if (opk || form_index != FERRY_NO_FORM)
			return -1;
	} else {
		return -1;
	}
	if (proof && kind == FERRY_KIND_CHAFF)
		return -1; /* chaff is a relay's: no pack holder made it */

	randombytes_buf(e, sizeof e);
	if (crypto_scalarmult_base(epk, e) != 0)
		goto out;
	/* X25519 ignores the top bit of a public key; randomising it keeps
	 * the first bytes of a bundle from always having bit 255 clear. */
	memcpy(prefix, epk, FERRY_EPK_LEN);
	ferry_epk_hide_top(prefix);

	if (crypto_scalarmult(dh1, e, spk) != 0)
		goto out; /* all-zero shared secret: a low-order SPK */
	if (opk && crypto_scalarmult(dh2, e, opk) != 0)
		goto out;
	/* The rest of the key stack: filler only the desk can recompute, so
	 * the stack looks like one that crossed relays, and the header's
	 * associated data can cover the slots relays will push off. */
	if (ferry_derive_filler(prefix + FERRY_EPK_LEN, dh1, epk, spk) != 0 ||
	    ferry_derive_header_key(k_h, prefix + FERRY_OFF_COMMIT, dh1, epk, spk) != 0)
		goto out;

	memset(hdr, 0, sizeof hdr);
	hdr[0] = 1;
	hdr[1] = kind;
	ferry_put_le(hdr + 4, form_index, 4);
	if (proof) {
		hdr[2] = FERRY_HDR_FLAG_PROOF;
		if (ferry_derive_pack_proof(hdr + 8, dh1, epk, spk, proof, hdr, opk) != 0)
			goto out;
	}
	if (crypto_aead_chacha20poly1305_ietf_encrypt(
	        prefix + FERRY_OFF_HDR, &clen, hdr, sizeof hdr, prefix, FERRY_OFF_HDR,
	        NULL, FERRY_ZERO_NONCE, k_h) != 0 ||
	    clen != FERRY_HDR_CT_LEN)
		goto out;
	if (ferry_derive_payload_key(s->k_p, dh1, opk ? dh2 : NULL, epk, spk, opk,
	                             prefix + FERRY_OFF_HDR) != 0)
		goto out;
	/* A low-order relay key fails here. */
	if (ferry_relaytag_writer_start(&s->tag, e, relay_pk, prefix) != 0)
		goto out;
	s->state = 1;
	rc = 0;
out:
	if (rc != 0) {
		ferry_sealer_wipe(s);
		memset(prefix, 0, FERRY_PREFIX_LEN);
	}
	sodium_memzero(e, sizeof e);
	sodium_memzero(dh1, sizeof dh1);
	sodium_memzero(dh2, sizeof dh2);
	sodium_memzero(k_h, sizeof k_h);
	sodium_memzero(hdr, sizeof hdr);
	return rc;
}

int ferry_sealer_chunk(const ferry_sealer *s, uint64_t i, int final, uint8_t *buf,
                       size_t len, uint8_t unit_tag[FERRY_MAC_LEN])
{
	uint8_t n[FERRY_NONCE_LEN];
	memset(unit_tag, 0, FERRY_MAC_LEN);
	if (s->state != 1 || len > FERRY_CHUNK_LEN ||
	    (!final && len != FERRY_CHUNK_LEN) || (final && len == FERRY_CHUNK_LEN))
		return -1;
	ferry_chunk_nonce(n, i, final ? 1 : 0);
	if (crypto_aead_chacha20poly1305_ietf_encrypt_detached(
	        buf, buf + len, NULL, buf, len, NULL, 0, NULL, n, s->k_p) != 0)
		return -1;
	/* Unit 0 is the prefix, so chunk i is unit i + 1. */
	return ferry_relaytag_unit(s->tag.key, i + 1, buf, len + FERRY_CHUNK_OVERHEAD,
	                           unit_tag);
}

int ferry_sealer_fold(ferry_sealer *s, const uint8_t unit_tag[FERRY_MAC_LEN])
{
	/* No wipe on failure here: other threads may still be reading the
	 * keys for chunks in flight, and the caller wipes once they are done.
	 */
	return s->state == 1 ? ferry_relaytag_writer_fold(&s->tag, unit_tag) : -1;
}

int ferry_sealer_tag(ferry_sealer *s, uint8_t tag[FERRY_MAC_LEN])
{
	int rc = -1;
	memset(tag, 0, FERRY_MAC_LEN);
	if (s->state == 1 && ferry_relaytag_writer_final(&s->tag, tag) == 0)
		rc = 0;
	ferry_sealer_wipe(s);
	return rc;
}

void ferry_sealer_wipe(ferry_sealer *s)
{
	sodium_memzero(s, sizeof *s);
	s->state = -1;
}
