#include "bundle.h"
#include "bundle_kdf.h"

#include <string.h>

#include "../common/le.h"

/* Domain strings: each derivation hashes its own label first, so no two
 * keys can coincide even when fed the same DH output. */
static const char DOM_HEADER[] = "ferry-v1 header key";
static const char DOM_PAYLOAD_FORM[] = "ferry-v1 payload key, form";
static const char DOM_PAYLOAD_PACK[] = "ferry-v1 payload key, pack";
static const char DOM_RELAYTAG[] = "ferry-v1 relay tag key from dh";
static const char DOM_PROOF_KEY[] = "ferry-v1 pack proof key";
static const char DOM_PROOF[] = "ferry-v1 pack proof";

const uint8_t FERRY_ZERO_NONCE[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];

/* K_h and the commitment to it: BLAKE2b-512 keyed with dh1 over the
 * domain, epk and SPK; the first half is the key, the second half the
 * commitment the bundle carries. */
int ferry_derive_header_key(uint8_t k_h[FERRY_KEY_LEN], uint8_t commit[FERRY_HASH_LEN],
                            const uint8_t dh1[FERRY_X25519_LEN],
                            const uint8_t epk[FERRY_X25519_LEN],
                            const uint8_t spk[FERRY_X25519_LEN])
{
	crypto_generichash_state st;
	uint8_t out[FERRY_KEY_LEN + FERRY_COMMIT_LEN]; /* BLAKE2b-512 */
	int rc = 0;
	_Static_assert(FERRY_KEY_LEN + FERRY_COMMIT_LEN == crypto_generichash_BYTES_MAX,
	               "K_h and its commitment are one BLAKE2b-512 output");
	if (crypto_generichash_init(&st, dh1, FERRY_X25519_LEN, sizeof out) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)DOM_HEADER,
	                              sizeof DOM_HEADER) != 0 ||
	    crypto_generichash_update(&st, epk, FERRY_X25519_LEN) != 0 ||
	    crypto_generichash_update(&st, spk, FERRY_X25519_LEN) != 0 ||
	    crypto_generichash_final(&st, out, sizeof out) != 0)
		rc = -1;
	memcpy(k_h, out, FERRY_KEY_LEN);
	memcpy(commit, out + FERRY_KEY_LEN, FERRY_COMMIT_LEN);
	sodium_memzero(out, sizeof out);
	sodium_memzero(&st, sizeof st);
	return rc;
}

int ferry_derive_payload_key(uint8_t k_p[FERRY_KEY_LEN],
                             const uint8_t dh1[FERRY_X25519_LEN], const uint8_t *dh2,
                             const uint8_t epk[FERRY_X25519_LEN],
                             const uint8_t spk[FERRY_X25519_LEN], const uint8_t *opk,
                             const uint8_t hdr_ct[FERRY_HDR_CT_LEN])
{
	crypto_generichash_state st;
	uint8_t ikm[2 * FERRY_X25519_LEN]; /* dh1, then dh2 for a form */
	size_t ikm_len = FERRY_X25519_LEN;
	static const uint8_t no_opk[FERRY_X25519_LEN];
	const char *dom = dh2 ? DOM_PAYLOAD_FORM : DOM_PAYLOAD_PACK;
	size_t dom_len = dh2 ? sizeof DOM_PAYLOAD_FORM : sizeof DOM_PAYLOAD_PACK;
	int rc = 0;

	memcpy(ikm, dh1, FERRY_X25519_LEN);
	if (dh2) {
		memcpy(ikm + FERRY_X25519_LEN, dh2, FERRY_X25519_LEN);
		ikm_len = sizeof ikm;
	}
	if (crypto_generichash_init(&st, ikm, ikm_len, FERRY_KEY_LEN) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)dom, dom_len) != 0 ||
	    crypto_generichash_update(&st, epk, FERRY_X25519_LEN) != 0 ||
	    crypto_generichash_update(&st, spk, FERRY_X25519_LEN) != 0 ||
	    crypto_generichash_update(&st, opk ? opk : no_opk, FERRY_X25519_LEN) != 0 ||
	    crypto_generichash_update(&st, hdr_ct, FERRY_HDR_CT_LEN) != 0 ||
	    crypto_generichash_final(&st, k_p, FERRY_KEY_LEN) != 0)
		rc = -1;
	sodium_memzero(ikm, sizeof ikm);
	sodium_memzero(&st, sizeof st);
	return rc;
}

int ferry_derive_relaytag_key(uint8_t key[FERRY_KEY_LEN],
                              const uint8_t dh_r[FERRY_X25519_LEN],
                              const uint8_t epk_raw[FERRY_X25519_LEN],
                              const uint8_t relay_pk[FERRY_X25519_LEN])
{
	crypto_generichash_state st;
	int rc = 0;
	if (crypto_generichash_init(&st, dh_r, FERRY_X25519_LEN, FERRY_KEY_LEN) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)DOM_RELAYTAG,
	                              sizeof DOM_RELAYTAG) != 0 ||
	    crypto_generichash_update(&st, epk_raw, FERRY_X25519_LEN) != 0 ||
	    crypto_generichash_update(&st, relay_pk, FERRY_X25519_LEN) != 0 ||
	    crypto_generichash_final(&st, key, FERRY_KEY_LEN) != 0)
		rc = -1;
	sodium_memzero(&st, sizeof st);
	return rc;
}

int ferry_derive_pack_proof(uint8_t proof[FERRY_PROOF_LEN],
                            const uint8_t dh1[FERRY_X25519_LEN],
                            const uint8_t epk[FERRY_X25519_LEN],
                            const uint8_t spk[FERRY_X25519_LEN],
                            const ferry_pack_proof *pp, const uint8_t hdr8[8],
                            const uint8_t *opk)
{
	static const uint8_t no_opk[FERRY_X25519_LEN];
	crypto_generichash_state st;
	uint8_t k_w[FERRY_KEY_LEN];
	int rc = 0;
	/* The key is bound to this bundle's own key schedule (dh1, epk, SPK)
	 * and to the pack: a proof copied into another bundle, or made for
	 * another pack, does not verify, and only the sealer and the desk
	 * know dh1, so nobody else can test a guess of the word. */
	if (crypto_generichash_init(&st, dh1, FERRY_X25519_LEN, sizeof k_w) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)DOM_PROOF_KEY,
	                              sizeof DOM_PROOF_KEY) != 0 ||
	    crypto_generichash_update(&st, epk, FERRY_X25519_LEN) != 0 ||
	    crypto_generichash_update(&st, spk, FERRY_X25519_LEN) != 0 ||
	    crypto_generichash_update(&st, pp->pack_id, sizeof pp->pack_id) != 0 ||
	    crypto_generichash_update(&st, pp->word, sizeof pp->word) != 0 ||
	    crypto_generichash_final(&st, k_w, sizeof k_w) != 0 ||
	    crypto_generichash_init(&st, k_w, sizeof k_w, FERRY_PROOF_LEN) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)DOM_PROOF,
	                              sizeof DOM_PROOF) != 0 ||
	    crypto_generichash_update(&st, hdr8, 8) != 0 ||
	    crypto_generichash_update(&st, opk ? opk : no_opk, FERRY_X25519_LEN) != 0 ||
	    crypto_generichash_final(&st, proof, FERRY_PROOF_LEN) != 0)
		rc = -1;
	sodium_memzero(&st, sizeof st);
	sodium_memzero(k_w, sizeof k_w);
	return rc;
}

void ferry_chunk_nonce(uint8_t n[FERRY_NONCE_LEN], uint64_t i, uint8_t flag)
{
	memset(n, 0, 12);
	ferry_put_le(n, i, 8);
	n[11] = flag;
}

/* A Poly1305 one-time key per unit: the first 32 bytes of ChaCha20
 * under K_r with the unit's nonce, as RFC 8439 derives its Poly1305
 * key. */
static int unit_key(uint8_t out[crypto_onetimeauth_KEYBYTES],
                    const uint8_t key[FERRY_KEY_LEN], uint64_t j, uint8_t flag)
{
	uint8_t n[FERRY_NONCE_LEN];
	ferry_chunk_nonce(n, j, flag);
	return crypto_stream_chacha20_ietf(out, crypto_onetimeauth_KEYBYTES, n, key);
}

int ferry_relaytag_unit(const uint8_t key[FERRY_KEY_LEN], uint64_t j, const uint8_t *p,
                        size_t n, uint8_t out[FERRY_MAC_LEN])
{
	uint8_t k[crypto_onetimeauth_KEYBYTES];
	int rc = 0;
	if (unit_key(k, key, j, 0) != 0 || crypto_onetimeauth(out, p, n, k) != 0)
		rc = -1;
	sodium_memzero(k, sizeof k);
	return rc;
}

int ferry_relaytag_fold_init(crypto_onetimeauth_state *fold,
                             const uint8_t key[FERRY_KEY_LEN])
{
	uint8_t k[crypto_onetimeauth_KEYBYTES];
	int rc = 0;
	if (unit_key(k, key, 0, 1) != 0 || crypto_onetimeauth_init(fold, k) != 0)
		rc = -1;
	sodium_memzero(k, sizeof k);
	return rc;
}

int ferry_relaytag_writer_start(ferry_relaytag_writer *t,
                                const uint8_t e[FERRY_X25519_LEN],
                                const uint8_t relay_pk[FERRY_X25519_LEN],
                                const uint8_t prefix[FERRY_PREFIX_LEN])
{
	uint8_t dh[FERRY_X25519_LEN], u[FERRY_MAC_LEN];
	int rc = -1;
	t->units = 0;
	/* crypto_scalarmult refuses a low-order relay key. */
	if (crypto_scalarmult(dh, e, relay_pk) == 0 &&
	    ferry_derive_relaytag_key(t->key, dh, prefix, relay_pk) == 0 &&
	    ferry_relaytag_fold_init(&t->fold, t->key) == 0 &&
	    ferry_relaytag_unit(t->key, 0, prefix, FERRY_PREFIX_LEN, u) == 0 &&
	    crypto_onetimeauth_update(&t->fold, u, sizeof u) == 0) {
		t->units = 1;
		rc = 0;
	}
	sodium_memzero(dh, sizeof dh);
	sodium_memzero(u, sizeof u);
	return rc;
}

int ferry_relaytag_writer_fold(ferry_relaytag_writer *t,
                               const uint8_t unit_tag[FERRY_MAC_LEN])
{
	if (t->units == 0 ||
	    crypto_onetimeauth_update(&t->fold, unit_tag, FERRY_MAC_LEN) != 0)
		return -1;
	t->units++;
	return 0;
}

int ferry_relaytag_writer_final(ferry_relaytag_writer *t, uint8_t tag[FERRY_MAC_LEN])
{
	memset(tag, 0, FERRY_MAC_LEN);
	if (t->units < 2 || crypto_onetimeauth_final(&t->fold, tag) != 0)
		return -1;
	t->units = 0;
	return 0;
}

static int unit_start(ferry_relaycheck *c)
{
	uint8_t k[crypto_onetimeauth_KEYBYTES];
	int rc = 0;
	for (unsigned i = 0; i < c->nkeys && rc == 0; i++)
		if (unit_key(k, c->key[i], c->unit_index, 0) != 0 ||
		    crypto_onetimeauth_init(&c->unit[i], k) != 0)
			rc = -1;
	sodium_memzero(k, sizeof k);
	return rc;
}

/* The keys are in place: starts the folds and the first unit. */
static int check_start(ferry_relaycheck *c, uint64_t bundle_len)
{
	uint64_t plain = 0;
	/* Unit boundaries follow the chunking, so the length must be one a
	 * sealer can produce. */
	if (ferry_plain_len_of_bundle(bundle_len, &plain) != 0)
		return -1;
	for (unsigned i = 0; i < c->nkeys; i++)
		if (ferry_relaytag_fold_init(&c->fold[i], c->key[i]) != 0)
			return -1;
	if (unit_start(c) != 0)
		return -1;
	c->unit_left = FERRY_PREFIX_LEN;
	c->body_left = bundle_len - FERRY_RELAYTAG_LEN;
	c->state = 1;
	return 0;
}

int ferry_relaycheck_init(ferry_relaycheck *c, const ferry_relay_keys *keys,
                          const uint8_t epk_raw[FERRY_X25519_LEN], uint64_t bundle_len)
{
	uint8_t epk[FERRY_X25519_LEN], dh[FERRY_X25519_LEN];
	int rc = -1;
	memset(c, 0, sizeof *c);
	c->state = -1;
	if (keys->n == 0 || keys->n > FERRY_RELAY_KEYS_MAX)
		goto out;
	ferry_epk_point(epk, epk_raw);
	for (unsigned i = 0; i < keys->n; i++) {
		/* crypto_scalarmult refuses an all-zero result. */
		if (crypto_scalarmult(dh, keys->sk[i], epk) != 0 ||
		    ferry_derive_relaytag_key(c->key[i], dh, epk_raw, keys->pk[i]) != 0)
			goto out;
	}
	c->nkeys = keys->n;
	rc = check_start(c, bundle_len);
out:
	sodium_memzero(dh, sizeof dh);
	if (rc != 0)
		ferry_relaycheck_wipe(c);
	return rc;
}

int ferry_relaycheck_init_tagkey(ferry_relaycheck *c, const uint8_t key[FERRY_KEY_LEN],
                                 uint64_t bundle_len)
{
	memset(c, 0, sizeof *c);
	c->state = -1;
	memcpy(c->key[0], key, FERRY_KEY_LEN);
	c->nkeys = 1;
	if (check_start(c, bundle_len) != 0) {
		ferry_relaycheck_wipe(c);
		return -1;
	}
	return 0;
}

int ferry_relaycheck_update(ferry_relaycheck *c, const uint8_t *p, size_t n)
{
	uint8_t t[FERRY_MAC_LEN];
	if (c->state != 1 || n > c->body_left)
		goto fail;
	while (n > 0) {
		size_t take = n < c->unit_left ? n : (size_t)c->unit_left;
		for (unsigned i = 0; i < c->nkeys; i++)
			if (crypto_onetimeauth_update(&c->unit[i], p, take) != 0)
				goto fail;
		p += take;
		n -= take;
		c->unit_left -= take;
		c->body_left -= take;
		if (c->unit_left > 0)
			continue;
		for (unsigned i = 0; i < c->nkeys; i++)
			if (crypto_onetimeauth_final(&c->unit[i], t) != 0 ||
			    crypto_onetimeauth_update(&c->fold[i], t, sizeof t) != 0)
				goto fail;
		if (c->body_left > 0) {
			c->unit_index++;
			c->unit_left = c->body_left < FERRY_CHUNK_CT_LEN
			                   ? c->body_left
			                   : FERRY_CHUNK_CT_LEN;
			if (unit_start(c) != 0)
				goto fail;
		}
	}
	sodium_memzero(t, sizeof t);
	return 0;
fail:
	sodium_memzero(t, sizeof t);
	ferry_relaycheck_wipe(c);
	return -1;
}

int ferry_relaycheck_verify_retag(ferry_relaycheck *c, const uint8_t tag[FERRY_MAC_LEN],
                                  uint8_t newest[FERRY_MAC_LEN])
{
	uint8_t mine[FERRY_MAC_LEN];
	int ok = 0;
	if (c->state == 1 && c->body_left == 0)
		for (unsigned i = 0; i < c->nkeys; i++) {
			if (crypto_onetimeauth_final(&c->fold[i], mine) != 0)
				break;
			if (crypto_verify_16(mine, tag) == 0)
				ok = 1;
			/* Keys run oldest first: the last is the newest. */
			if (newest && i == c->nkeys - 1)
				memcpy(newest, mine, FERRY_MAC_LEN);
		}
	if (!ok && newest)
		memset(newest, 0, FERRY_MAC_LEN);
	sodium_memzero(mine, sizeof mine);
	ferry_relaycheck_wipe(c);
	return ok ? 0 : -1;
}

int ferry_relaycheck_verify(ferry_relaycheck *c, const uint8_t tag[FERRY_MAC_LEN])
{
	return ferry_relaycheck_verify_retag(c, tag, NULL);
}

int ferry_relaycheck_tag(ferry_relaycheck *c, uint8_t tag[FERRY_MAC_LEN])
{
	int rc = -1;
	memset(tag, 0, FERRY_MAC_LEN);
	for (unsigned i = 0; c->state == 1 && c->body_left == 0 && i < c->nkeys; i++)
		rc = crypto_onetimeauth_final(&c->fold[i], tag) == 0 ? 0 : -1;
	ferry_relaycheck_wipe(c);
	return rc;
}

void ferry_relaycheck_wipe(ferry_relaycheck *c)
{
	sodium_memzero(c, sizeof *c);
	c->state = -1;
}

static const char DOM_FILLER[] = "ferry-v1 slot filler";
static const char DOM_HOP[] = "ferry-v1 hop key";

/* ChaCha20's block, the unit its counter counts. */
#define CHACHA20_BLOCK_LEN 64

int ferry_stream_xor_at(const uint8_t key[FERRY_KEY_LEN], uint64_t pos, uint8_t *p,
                        size_t n)
{
	static const uint8_t nonce[crypto_stream_chacha20_NONCEBYTES];
	uint64_t ic = pos / CHACHA20_BLOCK_LEN;
	size_t skip = (size_t)(pos % CHACHA20_BLOCK_LEN);
	if (n == 0)
		return 0;
	if (skip) {
		/* The key stream from the middle of a block: the block whole,
		 * then the part of it that lies over p. */
		uint8_t blk[CHACHA20_BLOCK_LEN] = {0};
		size_t take = sizeof blk - skip < n ? sizeof blk - skip : n;
		if (crypto_stream_chacha20_xor_ic(blk, blk, sizeof blk, nonce, ic,
		                                  key) != 0)
			return -1;
		for (size_t i = 0; i < take; i++)
			p[i] ^= blk[skip + i];
		sodium_memzero(blk, sizeof blk);
		p += take;
		n -= take;
		ic++;
	}
	return n ? crypto_stream_chacha20_xor_ic(p, p, n, nonce, ic, key) : 0;
}

int ferry_derive_filler(uint8_t out[FERRY_FILLER_LEN],
                        const uint8_t dh1[FERRY_X25519_LEN],
                        const uint8_t epk[FERRY_X25519_LEN],
                        const uint8_t spk[FERRY_X25519_LEN])
{
	static const uint8_t nonce[crypto_stream_chacha20_NONCEBYTES];
	crypto_generichash_state st;
	uint8_t k[FERRY_KEY_LEN];
	int rc = 0;
	if (crypto_generichash_init(&st, dh1, FERRY_X25519_LEN, sizeof k) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)DOM_FILLER,
	                              sizeof DOM_FILLER) != 0 ||
	    crypto_generichash_update(&st, epk, FERRY_X25519_LEN) != 0 ||
	    crypto_generichash_update(&st, spk, FERRY_X25519_LEN) != 0 ||
	    crypto_generichash_final(&st, k, sizeof k) != 0 ||
	    crypto_stream_chacha20(out, FERRY_FILLER_LEN, nonce, k) != 0)
		rc = -1;
	sodium_memzero(&st, sizeof st);
	sodium_memzero(k, sizeof k);
	return rc;
}

int ferry_derive_hop_keys(uint8_t k_s[FERRY_KEY_LEN], uint8_t check[FERRY_MAC_LEN],
                          const uint8_t dh[FERRY_X25519_LEN],
                          const uint8_t point_raw[FERRY_X25519_LEN],
                          const uint8_t wrap_pk[FERRY_X25519_LEN])
{
	crypto_generichash_state st;
	uint8_t out[crypto_generichash_BYTES_MAX];
	int rc = 0;
	_Static_assert(FERRY_KEY_LEN + FERRY_MAC_LEN <= sizeof out, "k_s and check fit");
	if (crypto_generichash_init(&st, dh, FERRY_X25519_LEN, sizeof out) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)DOM_HOP, sizeof DOM_HOP) !=
	        0 ||
	    crypto_generichash_update(&st, point_raw, FERRY_X25519_LEN) != 0 ||
	    crypto_generichash_update(&st, wrap_pk, FERRY_X25519_LEN) != 0 ||
	    crypto_generichash_final(&st, out, sizeof out) != 0)
		rc = -1;
	memcpy(k_s, out, FERRY_KEY_LEN);
	memcpy(check, out + FERRY_KEY_LEN, FERRY_MAC_LEN);
	sodium_memzero(out, sizeof out);
	sodium_memzero(&st, sizeof st);
	return rc;
}

void ferry_epk_point(uint8_t point[FERRY_EPK_LEN], const uint8_t raw[FERRY_EPK_LEN])
{
	memcpy(point, raw, FERRY_EPK_LEN);
	point[FERRY_EPK_LEN - 1] &= 0x7f;
}

void ferry_epk_hide_top(uint8_t epk[FERRY_EPK_LEN])
{
	uint8_t bit;
	randombytes_buf(&bit, 1);
	epk[FERRY_EPK_LEN - 1] |= (uint8_t)(bit & 0x80);
}

void ferry_peeled_none(ferry_peeled *pl, const uint8_t raw[FERRY_PREFIX_LEN])
{
	memset(pl, 0, sizeof *pl);
	memcpy(pl->raw, raw, FERRY_PREFIX_LEN);
	memcpy(pl->prefix, raw, FERRY_PREFIX_LEN);
}

int ferry_peeled_xor(const ferry_peeled *pl, uint64_t off, uint8_t *p, size_t n)
{
	/* A layer's key stream starts right after the slot it pushed. */
	if (off < FERRY_SLOT_LEN || pl->hops > FERRY_HOPS_MAX)
		return -1;
	for (unsigned h = 0; h < pl->hops; h++)
		if (ferry_stream_xor_at(pl->key[h], off - FERRY_SLOT_LEN, p, n) != 0)
			return -1;
	return 0;
}
