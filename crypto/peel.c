/* The desk's half of crypto/wrap.h: finding the layers relays added. */
#include <string.h>

#include "bundle_kdf.h"
#include "wrap.h"

/* 1 when the first slot of stack is a layer made to one of the wrap
 * keys (its check matches, in constant time), with its stream key. */
static int layer_key(uint8_t k_s[FERRY_KEY_LEN], const uint8_t *slot,
                     const ferry_wrap_keys *keys)
{
	uint8_t point[FERRY_X25519_LEN], dh[FERRY_X25519_LEN], check[FERRY_MAC_LEN];
	uint8_t k[FERRY_KEY_LEN];
	int found = 0;
	ferry_epk_point(point, slot);
	for (unsigned i = 0; i < keys->n; i++) {
		/* A low-order point gives no key: not a layer. */
		if (crypto_scalarmult(dh, keys->sk[i], point) != 0 ||
		    ferry_derive_hop_keys(k, check, dh, slot, keys->pk[i]) != 0)
			continue;
		if (!found && crypto_verify_16(check, slot + FERRY_EPK_LEN) == 0) {
			memcpy(k_s, k, sizeof k);
			found = 1;
		}
	}
	sodium_memzero(dh, sizeof dh);
	sodium_memzero(k, sizeof k);
	sodium_memzero(check, sizeof check);
	return found;
}

int ferry_peel(ferry_peeled *pl, const uint8_t raw[FERRY_PREFIX_LEN],
               const ferry_wrap_keys *keys)
{
	uint8_t k[FERRY_KEY_LEN];
	ferry_peeled_none(pl, raw);
	if (keys->n > FERRY_WRAP_KEYS_MAX)
		return -1;
	uint8_t *stack = pl->prefix;
	/* Outermost first: while the first slot is a layer, take its key
	 * and move the slots under it up, the last one lost (zero). */
	for (;;) {
		if (!layer_key(k, stack, keys))
			break;
		if (pl->hops == FERRY_HOPS_MAX) {
			/* A layer where the sealer's key would have to be: it
			 * was pushed off the end, past any opening. */
			sodium_memzero(k, sizeof k);
			return FERRY_PEEL_TOO_DEEP;
		}
		memcpy(pl->key[pl->hops++], k, sizeof k);
		memmove(stack, stack + FERRY_SLOT_LEN,
		        FERRY_STACK_LEN - FERRY_SLOT_LEN);
		if (ferry_stream_xor_at(k, 0, stack,
		                        FERRY_STACK_LEN - FERRY_SLOT_LEN) != 0)
			return -1;
		size_t lost = (size_t)pl->hops * FERRY_SLOT_LEN;
		memset(stack + FERRY_STACK_LEN - lost, 0, lost);
	}
	sodium_memzero(k, sizeof k);
	/* The commitment and the header under every layer found. */
	return ferry_peeled_xor(pl, FERRY_STACK_LEN, stack + FERRY_STACK_LEN,
	                        FERRY_PREFIX_LEN - FERRY_STACK_LEN);
}
