#include "bundle.h"

#include <string.h>

#include "le.h"

/* Domain strings: each derivation hashes its own label first, so no two
 * keys can coincide even when fed the same DH output. */
static const char DOM_HEADER[] = "ferry-v1 header key";
static const char DOM_PAYLOAD_FORM[] = "ferry-v1 payload key, form";
static const char DOM_PAYLOAD_PACK[] = "ferry-v1 payload key, pack";
static const char DOM_RELAYTAG[] = "ferry-v1 relay tag key";

static const uint8_t ZERO_NONCE[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];


/* K_h and the commitment to it: BLAKE2b-512 keyed with dh1 over the
 * domain, epk and SPK; the first half is the key, the second half the
 * commitment the bundle carries. */
static int derive_header_key(uint8_t k_h[32], uint8_t commit[32],
                             const uint8_t dh1[32], const uint8_t epk[32],
                             const uint8_t spk[32])
{
	crypto_generichash_state st;
	uint8_t out[64];
	int rc = 0;
	if (crypto_generichash_init(&st, dh1, 32, sizeof out) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)DOM_HEADER,
	                              sizeof DOM_HEADER) != 0 ||
	    crypto_generichash_update(&st, epk, 32) != 0 ||
	    crypto_generichash_update(&st, spk, 32) != 0 ||
	    crypto_generichash_final(&st, out, sizeof out) != 0)
		rc = -1;
	memcpy(k_h, out, 32);
	memcpy(commit, out + 32, 32);
	sodium_memzero(out, sizeof out);
	sodium_memzero(&st, sizeof st);
	return rc;
}

static int derive_payload_key(uint8_t k_p[32], const uint8_t dh1[32],
                              const uint8_t *dh2, const uint8_t epk[32],
                              const uint8_t spk[32], const uint8_t *opk,
                              const uint8_t hdr_ct[FERRY_HDR_CT_LEN])
{
	crypto_generichash_state st;
	uint8_t ikm[64];
	size_t ikm_len = 32;
	static const uint8_t zero32[32];
	const char *dom = dh2 ? DOM_PAYLOAD_FORM : DOM_PAYLOAD_PACK;
	size_t dom_len = dh2 ? sizeof DOM_PAYLOAD_FORM : sizeof DOM_PAYLOAD_PACK;
	int rc = 0;

	memcpy(ikm, dh1, 32);
	if (dh2) {
		memcpy(ikm + 32, dh2, 32);
		ikm_len = 64;
	}
	if (crypto_generichash_init(&st, ikm, ikm_len, 32) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)dom, dom_len) != 0 ||
	    crypto_generichash_update(&st, epk, 32) != 0 ||
	    crypto_generichash_update(&st, spk, 32) != 0 ||
	    crypto_generichash_update(&st, opk ? opk : zero32, 32) != 0 ||
	    crypto_generichash_update(&st, hdr_ct, FERRY_HDR_CT_LEN) != 0 ||
	    crypto_generichash_final(&st, k_p, 32) != 0)
		rc = -1;
	sodium_memzero(ikm, sizeof ikm);
	sodium_memzero(&st, sizeof st);
	return rc;
}

int ferry_relaytag_key(uint8_t key[32], const uint8_t relay_key[32],
                       const uint8_t epk_raw[32])
{
	crypto_generichash_state st;
	int rc = 0;
	if (crypto_generichash_init(&st, relay_key, 32, 32) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)DOM_RELAYTAG,
	                              sizeof DOM_RELAYTAG) != 0 ||
	    crypto_generichash_update(&st, epk_raw, 32) != 0 ||
	    crypto_generichash_final(&st, key, 32) != 0)
		rc = -1;
	sodium_memzero(&st, sizeof st);
	return rc;
}

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

static int emit(ferry_sealer *s, const uint8_t *p, size_t n)
{
	if (crypto_onetimeauth_update(&s->tag, p, n) != 0)
		return -1;
	return s->write(s->io, p, n);
}

int ferry_sealer_begin(ferry_sealer *s, uint8_t kind, uint32_t form_index,
                       const uint8_t spk[32], const uint8_t *opk,
                       const uint8_t relay_key[32], ferry_write_fn write,
                       void *io)
{
	uint8_t e[32], epk[32], prefix[FERRY_PREFIX_LEN];
	uint8_t dh1[32], dh2[32], k_h[32], k_p[32], tag_key[32];
	uint8_t hdr[FERRY_HDR_PLAIN_LEN];
	unsigned long long clen = 0;
	uint8_t bit = 0;
	int rc = -1;

	memset(s, 0, sizeof *s);
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
	s->write = write;
	s->io = io;

	randombytes_buf(e, sizeof e);
	if (crypto_scalarmult_base(epk, e) != 0)
		goto out;
	/* X25519 ignores the top bit of a public key; randomising it keeps
	 * the first bytes of a bundle from always having bit 255 clear. */
	memcpy(prefix, epk, 32);
	randombytes_buf(&bit, 1);
	prefix[31] |= (uint8_t)(bit & 0x80);

	if (crypto_scalarmult(dh1, e, spk) != 0)
		goto out; /* all-zero shared secret: a low-order SPK */
	if (opk && crypto_scalarmult(dh2, e, opk) != 0)
		goto out;
	if (derive_header_key(k_h, prefix + 32, dh1, epk, spk) != 0)
		goto out;

	/* The stream header is drawn here rather than by init_push, because
	 * the payload key binds the header ciphertext that carries it. */
	memset(hdr, 0, sizeof hdr);
	hdr[0] = 1;
	hdr[1] = kind;
	ferry_put_le(hdr + 4, form_index, 4);
	randombytes_buf(hdr + 8, crypto_secretstream_xchacha20poly1305_HEADERBYTES);
	if (crypto_aead_chacha20poly1305_ietf_encrypt(
	        prefix + 64, &clen, hdr, sizeof hdr, prefix, 64, NULL,
	        ZERO_NONCE, k_h) != 0 ||
	    clen != FERRY_HDR_CT_LEN)
		goto out;
	if (derive_payload_key(k_p, dh1, opk ? dh2 : NULL, epk, spk, opk,
	                       prefix + 64) != 0)
		goto out;
	/* init_pull derives exactly the state init_push would for this key
	 * and header (HChaCha20 subkey, counter 1, inonce); pushing from it
	 * produces a standard secretstream. */
	if (crypto_secretstream_xchacha20poly1305_init_pull(&s->ss, hdr + 8,
	                                                     k_p) != 0)
		goto out;
	if (ferry_relaytag_key(tag_key, relay_key, prefix) != 0 ||
	    crypto_onetimeauth_init(&s->tag, tag_key) != 0)
		goto out;
	s->state = 1;
	if (emit(s, prefix, sizeof prefix) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		ferry_sealer_wipe(s);
	sodium_memzero(e, sizeof e);
	sodium_memzero(dh1, sizeof dh1);
	sodium_memzero(dh2, sizeof dh2);
	sodium_memzero(k_h, sizeof k_h);
	sodium_memzero(k_p, sizeof k_p);
	sodium_memzero(tag_key, sizeof tag_key);
	sodium_memzero(hdr, sizeof hdr);
	return rc;
}

static int push_chunk(ferry_sealer *s, const uint8_t *m, size_t mlen,
                      uint8_t tag)
{
	unsigned long long clen = 0;
	if (crypto_secretstream_xchacha20poly1305_push(&s->ss, s->ct, &clen, m,
	                                               mlen, NULL, 0, tag) != 0)
		return -1;
	return emit(s, s->ct, (size_t)clen);
}

int ferry_sealer_update(ferry_sealer *s, const uint8_t *p, size_t n)
{
	if (s->state != 1)
		return -1;
	if (s->plain_len + n > FERRY_BUNDLE_MAX || s->plain_len + n < s->plain_len)
		goto fail;
	s->plain_len += n;
	/* Full chunks straight from the caller's buffer: no copy. */
	while (n > 0) {
		if (s->buf_len == 0 && n > FERRY_CHUNK_LEN) {
			if (push_chunk(s, p, FERRY_CHUNK_LEN,
			               crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) != 0)
				goto fail;
			p += FERRY_CHUNK_LEN;
			n -= FERRY_CHUNK_LEN;
			continue;
		}
		size_t take = FERRY_CHUNK_LEN - s->buf_len;
		if (take > n)
			take = n;
		memcpy(s->buf + s->buf_len, p, take);
		s->buf_len += take;
		p += take;
		n -= take;
		/* A full buffer is flushed only when more data follows it: the
		 * final chunk must stay below 64 KiB, and more (padding at
		 * least) always follows a full buffer, see finish. */
		if (s->buf_len == FERRY_CHUNK_LEN && n > 0) {
			if (push_chunk(s, s->buf, FERRY_CHUNK_LEN,
			               crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) != 0)
				goto fail;
			s->buf_len = 0;
		}
	}
	return 0;
fail:
	ferry_sealer_wipe(s);
	return -1;
}

int ferry_sealer_finish(ferry_sealer *s, uint64_t *bundle_len)
{
	uint64_t target = 0, plain = 0;
	uint8_t tag[16];
	*bundle_len = 0;
	if (s->state != 1)
		return -1;
	if (ferry_bundle_len_for(s->plain_len, &target) != 0 ||
	    ferry_plain_len_of_bundle(target, &plain) != 0 || plain < s->plain_len)
		goto fail;
	uint64_t pad = plain - s->plain_len;
	while (pad > 0) {
		if (s->buf_len == FERRY_CHUNK_LEN) {
			if (push_chunk(s, s->buf, FERRY_CHUNK_LEN,
			               crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) != 0)
				goto fail;
			s->buf_len = 0;
		}
		size_t take = FERRY_CHUNK_LEN - s->buf_len;
		if (take > pad)
			take = (size_t)pad;
		memset(s->buf + s->buf_len, 0, take);
		s->buf_len += take;
		pad -= take;
	}
	/* The final chunk holds plain mod 64 KiB bytes, possibly none. */
	if (s->buf_len == FERRY_CHUNK_LEN) {
		if (push_chunk(s, s->buf, FERRY_CHUNK_LEN,
		               crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) != 0)
			goto fail;
		s->buf_len = 0;
	}
	if (push_chunk(s, s->buf, s->buf_len,
	               crypto_secretstream_xchacha20poly1305_TAG_FINAL) != 0)
		goto fail;
	if (crypto_onetimeauth_final(&s->tag, tag) != 0 ||
	    s->write(s->io, tag, sizeof tag) != 0)
		goto fail;
	*bundle_len = target;
	ferry_sealer_wipe(s);
	s->state = 2;
	return 0;
fail:
	ferry_sealer_wipe(s);
	return -1;
}

void ferry_sealer_wipe(ferry_sealer *s)
{
	sodium_memzero(s, sizeof *s);
	s->state = -1;
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
	if (derive_header_key(k_h, commit, o->dh1, o->epk, spk_pk) != 0)
		goto out;
	/* Key commitment first, in constant time: a header crafted to open
	 * under two packs' keys fails here for all but one of them. */
	if (crypto_verify_32(commit, prefix + 32) != 0)
		goto out;
	if (crypto_aead_chacha20poly1305_ietf_decrypt(
	        hdr, &mlen, NULL, prefix + 64, FERRY_HDR_CT_LEN, prefix, 64,
	        ZERO_NONCE, k_h) != 0 ||
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
                              const uint8_t *opk_pk,
                              const uint8_t relay_key[32])
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
	if (derive_payload_key(k_p, o->dh1, testimony ? dh2 : NULL, o->epk,
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

int ferry_opener_chunk(ferry_opener *o, const uint8_t *ct, size_t ct_len,
                       uint8_t *out, size_t *out_len)
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
	if (crypto_secretstream_xchacha20poly1305_pull(&o->ss, out, &mlen, &tag,
	                                               ct, ct_len, NULL, 0) != 0)
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
