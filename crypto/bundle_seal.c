/* The sealing half of the bundle: a separate object file, so that the
 * contact's program links no code that opens a bundle. */
#include <string.h>

#include "bundle.h"
#include "bundle_kdf.h"
#include "le.h"

static int emit(ferry_sealer *s, const uint8_t *p, size_t n)
{
	if (crypto_onetimeauth_update(&s->tag, p, n) != 0)
		return -1;
	return s->write(s->io, p, n);
}

int ferry_sealer_begin(ferry_sealer *s, uint8_t kind, uint32_t form_index,
                       const uint8_t spk[32], const uint8_t *opk,
                       const uint8_t relay_key[32], ferry_write_fn write, void *io)
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
	if (ferry_derive_header_key(k_h, prefix + 32, dh1, epk, spk) != 0)
		goto out;

	/* The stream header is drawn here rather than by init_push, because
	 * the payload key binds the header ciphertext that carries it. */
	memset(hdr, 0, sizeof hdr);
	hdr[0] = 1;
	hdr[1] = kind;
	ferry_put_le(hdr + 4, form_index, 4);
	randombytes_buf(hdr + 8, crypto_secretstream_xchacha20poly1305_HEADERBYTES);
	if (crypto_aead_chacha20poly1305_ietf_encrypt(prefix + 64, &clen, hdr,
	                                              sizeof hdr, prefix, 64, NULL,
	                                              FERRY_ZERO_NONCE, k_h) != 0 ||
	    clen != FERRY_HDR_CT_LEN)
		goto out;
	if (ferry_derive_payload_key(k_p, dh1, opk ? dh2 : NULL, epk, spk, opk,
	                             prefix + 64) != 0)
		goto out;
	/* init_pull derives exactly the state init_push would for this key
	 * and header (HChaCha20 subkey, counter 1, inonce); pushing from it
	 * produces a standard secretstream. */
	if (crypto_secretstream_xchacha20poly1305_init_pull(&s->ss, hdr + 8, k_p) != 0)
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

static int push_chunk(ferry_sealer *s, const uint8_t *m, size_t mlen, uint8_t tag)
{
	unsigned long long clen = 0;
	if (crypto_secretstream_xchacha20poly1305_push(&s->ss, s->ct, &clen, m, mlen,
	                                               NULL, 0, tag) != 0)
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
			if (push_chunk(
			        s, p, FERRY_CHUNK_LEN,
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
			if (push_chunk(
			        s, s->buf, FERRY_CHUNK_LEN,
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
			if (push_chunk(
			        s, s->buf, FERRY_CHUNK_LEN,
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
