#include "sign.h"

#include <sodium.h>
#include <string.h>

#include "../common/le.h"

/* What a signature covers: BLAKE2b-512 of domain || msg. The domain keeps
 * a pack signature from ever being accepted as a seal code or a profile. */
static int signed_hash(uint8_t h[crypto_generichash_BYTES_MAX], const char *dom, size_t dom_len,
                       const uint8_t *msg, size_t len)
{
	crypto_generichash_state st;
	if (crypto_generichash_init(&st, NULL, 0, crypto_generichash_BYTES_MAX) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)dom, dom_len) != 0 ||
	    crypto_generichash_update(&st, msg, len) != 0 ||
	    crypto_generichash_final(&st, h, crypto_generichash_BYTES_MAX) != 0)
		return -1;
	return 0;
}

int ferry_sign_domain(uint8_t sig[FERRY_SIG_LEN], const char *dom, size_t dom_len,
                      const uint8_t *msg, size_t len, const uint8_t sk[FERRY_ID_SK_LEN])
{
	uint8_t h[crypto_generichash_BYTES_MAX]; /* BLAKE2b-512 */
	if (signed_hash(h, dom, dom_len, msg, len) != 0)
		return -1;
	return crypto_sign_detached(sig, NULL, h, sizeof h, sk);
}

int ferry_verify_domain(const uint8_t sig[FERRY_SIG_LEN], const char *dom,
                        size_t dom_len, const uint8_t *msg, size_t len,
                        const uint8_t pk[FERRY_ID_PK_LEN])
{
	uint8_t h[crypto_generichash_BYTES_MAX]; /* BLAKE2b-512 */
	if (signed_hash(h, dom, dom_len, msg, len) != 0)
		return -1;
	return crypto_sign_verify_detached(sig, h, sizeof h, pk);
}
