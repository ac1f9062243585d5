/* The opening half of the bundle (desk side). Kept out of the sealing
 * object so ferry-seal does not contain it. */
#include <string.h>

#include "../common/le.h"
#include "bundle.h"
#include "bundle_kdf.h"

int ferry_header_parse(ferry_header_info *info,
                       const uint8_t plain[FERRY_HDR_PLAIN_LEN])
{
	memset(info, 0, sizeof *info);
	/* Layout: version, kind, flags, 1 reserved, form index (LE), the
	 * pack proof (32, when the flag says so, else reserved), 24
	 * reserved. Every reserved byte must be zero. */
	int proof = plain[2] == FERRY_HDR_FLAG_PROOF;
	size_t from = proof ? 8 + FERRY_PROOF_LEN : 8;
	uint8_t acc = plain[3];
	for (size_t i = from; i < FERRY_HDR_PLAIN_LEN; i++)
		acc |= plain[i];
	if (plain[0] != 1 || (plain[2] != 0 && !proof) || acc != 0)
		return -1;
	uint8_t kind = plain[1];
	uint32_t form = (uint32_t)ferry_get_le(plain + 4, 4);
	if (kind == FERRY_KIND_TESTIMONY) {
		if (form == FERRY_NO_FORM)
			return -1;
	} else if (kind == FERRY_KIND_WALKIN || kind == FERRY_KIND_CHAFF) {
		if (form != FERRY_NO_FORM || (proof && kind == FERRY_KIND_CHAFF))
			return -1;
	} else {
		return -1;
	}
	info->version = 1;
	info->kind = kind;
	info->form_index = form;
	info->has_proof = (uint8_t)proof;
	if (proof)
		memcpy(info->proof, plain + 8, FERRY_PROOF_LEN);
	return 0;
}

int ferry_opener_try(ferry_opener *o, const ferry_peeled *pl, uint64_t bundle_len,
                     const uint8_t spk_sk[FERRY_X25519_LEN],
                     const uint8_t spk_pk[FERRY_X25519_LEN])
{
	uint8_t k_h[FERRY_KEY_LEN], commit[FERRY_HASH_LEN], hdr[FERRY_HDR_PLAIN_LEN];
	uint8_t filler[FERRY_FILLER_LEN];
	unsigned long long mlen = 0;
	int rc = FERRY_OPENER_NOT_OURS;

	memset(o, 0, sizeof *o);
	o->state = -1;
	if (pl->hops > FERRY_HOPS_MAX || !ferry_bundle_len_valid(bundle_len) ||
	    ferry_plain_len_of_bundle(bundle_len, &o->plain_len) != 0)
		goto out;
	o->bundle_len = bundle_len;
	o->pl = *pl;
	uint8_t *prefix = o->pl.prefix;
	ferry_epk_point(o->epk, prefix);
	memcpy(o->spk, spk_pk, FERRY_X25519_LEN);
	if (crypto_scalarmult(o->dh1, spk_sk, o->epk) != 0)
		goto out;
	if (ferry_derive_header_key(k_h, commit, o->dh1, o->epk, spk_pk) != 0)
		goto out;
	/* Key commitment first, in constant time: a header crafted to open
	 * under two packs' keys fails here for all but one of them. */
	if (crypto_verify_32(commit, prefix + FERRY_OFF_COMMIT) != 0)
		goto out;
	/* Each layer pushed one slot off the end of the sealer's stack: put
	 * the filler back there. The slots that are left must be the
	 * filler too, which the header's associated data checks. */
	if (ferry_derive_filler(filler, o->dh1, o->epk, spk_pk) != 0)
		goto out;
	size_t lost = (size_t)o->pl.hops * FERRY_SLOT_LEN;
	memcpy(prefix + FERRY_STACK_LEN - lost, filler + FERRY_FILLER_LEN - lost, lost);
	if (crypto_aead_chacha20poly1305_ietf_decrypt(
	        hdr, &mlen, NULL, prefix + FERRY_OFF_HDR, FERRY_HDR_CT_LEN, prefix,
	        FERRY_OFF_HDR, FERRY_ZERO_NONCE, k_h) != 0 ||
	    mlen != FERRY_HDR_PLAIN_LEN)
		goto out;
	/* The key opened it: a broken rule is the sealer's, not a stranger's. */
	if (ferry_header_parse(&o->info, hdr) != 0) {
		rc = FERRY_OPENER_BAD_HEADER;
		goto out;
	}
	o->state = 1;
	rc = 0;
out:
	sodium_memzero(k_h, sizeof k_h);
	sodium_memzero(commit, sizeof commit);
	sodium_memzero(hdr, sizeof hdr);
	sodium_memzero(filler, sizeof filler);
	if (rc != 0)
		ferry_opener_wipe(o);
	return rc;
}

int ferry_opener_check_proof(const ferry_opener *o, const ferry_pack_proof *proof,
                             const uint8_t *opk)
{
	uint8_t hdr8[8], want[FERRY_PROOF_LEN];
	int rc = -1;
	if (o->state != 1 || !o->info.has_proof ||
	    (o->info.kind == FERRY_KIND_TESTIMONY) != (opk != NULL))
		return -1;
	memset(hdr8, 0, sizeof hdr8);
	hdr8[0] = o->info.version;
	hdr8[1] = o->info.kind;
	hdr8[2] = FERRY_HDR_FLAG_PROOF;
	ferry_put_le(hdr8 + 4, o->info.form_index, 4);
	if (ferry_derive_pack_proof(want, o->dh1, o->epk, o->spk, proof, hdr8, opk) == 0 &&
	    crypto_verify_32(want, o->info.proof) == 0)
		rc = 0;
	sodium_memzero(want, sizeof want);
	return rc;
}

int ferry_opener_payload_init(ferry_opener *o, const uint8_t *opk_sk,
                              const uint8_t *opk_pk, const ferry_relay_keys *relay)
{
	uint8_t dh2[FERRY_X25519_LEN];
	int rc = -1;
	if (o->state != 1)
		return -1;
	int testimony = o->info.kind == FERRY_KIND_TESTIMONY;
	if (testimony != (opk_sk != NULL) || (opk_sk != NULL) != (opk_pk != NULL))
		goto out;
	if (testimony && crypto_scalarmult(dh2, opk_sk, o->epk) != 0)
		goto out;
	if (ferry_derive_payload_key(o->k_p, o->dh1, testimony ? dh2 : NULL, o->epk,
	                             o->spk, opk_pk, o->pl.prefix + FERRY_OFF_HDR) != 0)
		goto out;
	/* The relay tag covers the bytes as they came: the last relay's. */
	if (ferry_relaycheck_init(&o->relay, relay, o->pl.raw, o->bundle_len) != 0 ||
	    ferry_relaycheck_update(&o->relay, o->pl.raw, FERRY_PREFIX_LEN) != 0)
		goto out;
	o->state = 2;
	rc = 0;
out:
	sodium_memzero(dh2, sizeof dh2);
	if (rc != 0)
		ferry_opener_wipe(o);
	return rc;
}

size_t ferry_opener_next_len(const ferry_opener *o)
{
	if (o->state != 2)
		return 0;
	uint64_t left = o->plain_len - o->plain_done;
	if (left >= FERRY_CHUNK_LEN)
		return FERRY_CHUNK_CT_LEN;
	return (size_t)left + FERRY_CHUNK_OVERHEAD;
}

int ferry_opener_take(ferry_opener *o, const uint8_t *ct, size_t ct_len,
                      uint64_t *index, int *last)
{
	*index = 0;
	*last = 0;
	size_t want = ferry_opener_next_len(o);
	if (want == 0 || ct_len != want)
		goto fail;
	if (ferry_relaycheck_update(&o->relay, ct, ct_len) != 0)
		goto fail;
	/* The length alone says which chunk is the last, and the nonce
	 * carries that flag: a stream cut at a chunk boundary, or a chunk
	 * moved, does not authenticate. */
	*last = want < FERRY_CHUNK_CT_LEN;
	*index = o->chunk++;
	o->plain_done += want - FERRY_CHUNK_OVERHEAD;
	if (*last)
		o->state = 3;
	return 0;
fail:
	o->state = -1;
	return -1;
}

int ferry_opener_chunk_at(const ferry_opener *o, uint64_t index, int last, uint8_t *ct,
                          size_t ct_len, uint8_t *out, size_t *out_len)
{
	uint8_t n[FERRY_NONCE_LEN];
	*out_len = 0;
	if (ct_len < FERRY_CHUNK_OVERHEAD || ct_len > FERRY_CHUNK_CT_LEN)
		return -1;
	/* Every layer off, on the chunk while it is in cache, then the AEAD:
	 * one pass over the body however many relays it crossed. */
	if (ferry_peeled_xor(&o->pl, FERRY_PREFIX_LEN + index * FERRY_CHUNK_CT_LEN, ct,
	                     ct_len) != 0)
		return -1;
	size_t mlen = ct_len - FERRY_CHUNK_OVERHEAD;
	ferry_chunk_nonce(n, index, last ? 1 : 0);
	/* Detached: the tag is checked before out is written. */
	if (crypto_aead_chacha20poly1305_ietf_decrypt_detached(
	        out, NULL, ct, mlen, ct + mlen, NULL, 0, n, o->k_p) != 0)
		return -1;
	*out_len = mlen;
	return 0;
}

int ferry_opener_chunk(ferry_opener *o, uint8_t *ct, size_t ct_len, uint8_t *out,
                       size_t *out_len)
{
	uint64_t index;
	int last;
	*out_len = 0;
	if (ferry_opener_take(o, ct, ct_len, &index, &last) != 0 ||
	    ferry_opener_chunk_at(o, index, last, ct, ct_len, out, out_len) != 0) {
		ferry_opener_wipe(o);
		return -1;
	}
	return 0;
}

int ferry_opener_finish(ferry_opener *o, const uint8_t tag[FERRY_MAC_LEN])
{
	int rc = -1;
	if (o->state == 3 && ferry_relaycheck_verify(&o->relay, tag) == 0)
		rc = 0;
	ferry_opener_wipe(o);
	return rc;
}

void ferry_opener_wipe(ferry_opener *o)
{
	sodium_memzero(o, sizeof *o);
	o->state = -1;
}
