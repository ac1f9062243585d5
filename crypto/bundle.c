#include "bundle.h"
#include "bundle_kdf.h"

#include <string.h>

/* Domain strings: each derivation hashes its own label first, so no two
 * keys can coincide even when fed the same DH output. */
static const char DOM_HEADER[] = "ferry-v1 header key";
static const char DOM_PAYLOAD_FORM[] = "ferry-v1 payload key, form";
static const char DOM_PAYLOAD_PACK[] = "ferry-v1 payload key, pack";
static const char DOM_RELAYTAG[] = "ferry-v1 relay tag key";

const uint8_t FERRY_ZERO_NONCE[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];

/* K_h and the commitment to it: BLAKE2b-512 keyed with dh1 over the
 * domain, epk and SPK; the first half is the key, the second half the
 * commitment the bundle carries. */
int ferry_derive_header_key(uint8_t k_h[32], uint8_t commit[32], const uint8_t dh1[32],
                            const uint8_t epk[32], const uint8_t spk[32])
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

int ferry_derive_payload_key(uint8_t k_p[32], const uint8_t dh1[32], const uint8_t *dh2,
                             const uint8_t epk[32], const uint8_t spk[32],
                             const uint8_t *opk, const uint8_t hdr_ct[FERRY_HDR_CT_LEN])
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
