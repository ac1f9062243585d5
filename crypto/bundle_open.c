/* The opening half of the bundle (desk side). Kept out of the sealing
 * object so ferry-seal does not contain it. */
#include <string.h>

#include "bundle.h"
#include "bundle_kdf.h"
#include "le.h"

int ferry_header_parse(ferry_header_info *info, uint8_t ss_header[24],
                       const uint8_t plain[FERRY_HDR_PLAIN_LEN])
{
	memset(info, 0, sizeof *info);
	memset(ss_header, 0, 24);
	/* Layout: version, kind, 2 reserved, form index (LE), stream header
	 * (24), 32 reserved. Every reserved byte must be zero. */
	uint8_t acc = plain[2] | plain[3];
	for (size_t i = 32; i < FERRY_HDR_PLAIN_LEN; i++)
		acc |= plain[i];
	if (plain[0] != 1 || acc != 0)
		return -1;
	uint8_t kind = plain[1];
	uint32_t form = (uint32_t)ferry_get_le(plain + 4, 4);
	if (kind == FERRY_KIND_TESTIMONY) {
		if (form == FERRY_NO_FORM)
			return -1;
	} else if (kind == FERRY_KIND_WALKIN || kind == FERRY_KIND_CHAFF) {
		if (form != FERRY_NO_FORM)
			return -1;
	} else {
		return -1;
	}
	info->version = 1;
	info->kind = kind;
	info->form_index = form;
	memcpy(ss_header, plain + 8, 24);
	return 0;
}

int ferry_opener_try(ferry_opener *o, const uint8_t prefix[FERRY_PREFIX_LEN],
                     uint64_t bundle_len, const uint8_t spk_sk[32],
                     const uint8_t spk_pk[32])
{
	uint8_t k_h[32], commit[32], hdr[FERRY_HDR_PLAIN_LEN];
	unsigned long long mlen = 0;
	int rc = -1;

	memset(o, 0, sizeof *o);
	o->state = -1;
	if (!ferry_bundle_len_valid(bundle_len) ||
	    ferry_plain_len_of_bundle(bundle_len, &o->plain_len) != 0)
		goto out;
	o->bundle_len = bundle_len;
	memcpy(o->prefix, prefix, FERRY_PREFIX_LEN);
	memcpy(o->epk, prefix, 32);
	o->epk[31] &= 0x7f;
	memcpy(o->spk, spk_pk, 32);
	if (crypto_scalarmult(o->dh1, spk_sk, o->epk) != 0)
		goto out;
	if (ferry_derive_header_key(k_h, commit, o->dh1, o->epk, spk_pk) != 0)
		goto out;
	/* Key commitment first, in constant time: a header crafted to open
	 * under two packs' keys fails here for all but one of them. */
	if (crypto_verify_32(commit, prefix + 32) != 0)
		goto out;
	if (crypto_aead_chacha20poly1305_ietf_decrypt(hdr, &mlen, NULL, prefix + 64,
	                                              FERRY_HDR_CT_LEN, prefix, 64,
	                                              FERRY_ZERO_NONCE, k_h) != 0 ||
	    mlen != FERRY_HDR_PLAIN_LEN)
		goto out;
	if (ferry_header_parse(&o->info, o->ss_header, hdr) != 0)
		goto out;
	o->state = 1;
	rc = 0;
out:
	sodium_memzero(k_h, sizeof k_h);
	sodium_memzero(commit, sizeof commit);
	sodium_memzero(hdr, sizeof hdr);
	if (rc != 0)
		ferry_opener_wipe(o);
	return rc;
}

int ferry_opener_payload_init(ferry_opener *o, const uint8_t *opk_sk,
                              const uint8_t *opk_pk, const uint8_t relay_key[32])
{
	uint8_t dh2[32], k_p[32], tag_key[32];
	int rc = -1;
	if (o->state != 1)
		return -1;
	int testimony = o->info.kind == FERRY_KIND_TESTIMONY;
	if (testimony != (opk_sk != NULL) || (opk_sk != NULL) != (opk_pk != NULL))
		goto out;
	if (testimony && crypto_scalarmult(dh2, opk_sk, o->epk) != 0)
		goto out;
	if (ferry_derive_payload_key(k_p, o->dh1, testimony ? dh2 : NULL, o->epk,
	                             o->spk, opk_pk, o->prefix + 64) != 0)
		goto out;
	if (crypto_secretstream_xchacha20poly1305_init_pull(&o->ss, o->ss_header,
	                                                    k_p) != 0)
		goto out;
	if (ferry_relaytag_key(tag_key, relay_key, o->prefix) != 0 ||
	    crypto_onetimeauth_init(&o->tag, tag_key) != 0 ||
	    crypto_onetimeauth_update(&o->tag, o->prefix, FERRY_PREFIX_LEN) != 0)
		goto out;
	o->state = 2;
	rc = 0;
out:
	sodium_memzero(dh2, sizeof dh2);
	sodium_memzero(k_p, sizeof k_p);
	sodium_memzero(tag_key, sizeof tag_key);
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

int ferry_opener_chunk(ferry_opener *o, const uint8_t *ct, size_t ct_len, uint8_t *out,
                       size_t *out_len)
{
	unsigned long long mlen = 0;
	unsigned char tag = 0;
	*out_len = 0;
	size_t want = ferry_opener_next_len(o);
	if (want == 0 || ct_len != want)
		goto fail;
	int last = want < FERRY_CHUNK_CT_LEN;
	if (crypto_onetimeauth_update(&o->tag, ct, ct_len) != 0)
		goto fail;
	if (crypto_secretstream_xchacha20poly1305_pull(&o->ss, out, &mlen, &tag, ct,
	                                               ct_len, NULL, 0) != 0)
		goto fail;
	/* The final tag must be on the last chunk and only there: anything
	 * else is a truncated or spliced stream. */
	if (last != (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) ||
	    (!last && tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE)) {
		sodium_memzero(out, (size_t)mlen);
		goto fail;
	}
	o->plain_done += mlen;
	*out_len = (size_t)mlen;
	if (last)
		o->state = 3;
	return 0;
fail:
	ferry_opener_wipe(o);
	return -1;
}

int ferry_opener_finish(ferry_opener *o, const uint8_t tag[16])
{
	uint8_t mine[16];
	int rc = -1;
	if (o->state != 3)
		goto out;
	if (crypto_onetimeauth_final(&o->tag, mine) != 0)
		goto out;
	if (crypto_verify_16(mine, tag) != 0)
		goto out;
	rc = 0;
out:
	sodium_memzero(mine, sizeof mine);
	ferry_opener_wipe(o);
	return rc;
}

void ferry_opener_wipe(ferry_opener *o)
{
	sodium_memzero(o, sizeof *o);
	o->state = -1;
}
