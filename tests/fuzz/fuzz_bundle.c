/* libFuzzer: the peeler and the bundle opener on arbitrary bytes, with
 * the keys of the committed vectors (tests/vectors/keys.txt: the wrap
 * key, the pack's SPK, form 1's OPK and the relay key pair), so that
 * mutations of the vector bundles in the seed corpus (the one that
 * crossed three relays among them) get past the layers and the header. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../crypto/bundle.h"
#include "../../crypto/wrap.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static uint8_t sk[32], pk[32], osk[32], opk[32];
	static ferry_relay_keys relay;
	static ferry_wrap_keys wrap;
	static int init;
	if (!init) {
		uint8_t seed[32];
		static const char s1[] = "ferry vector spk",
		                  s2[] = "ferry vector opk 1",
		                  s3[] = "ferry vector relay key",
		                  s4[] = "ferry vector wrap key";
		if (sodium_init() < 0)
			abort();
		crypto_hash_sha256(seed, (const uint8_t *)s1, sizeof s1 - 1);
		crypto_box_seed_keypair(pk, sk, seed);
		crypto_hash_sha256(seed, (const uint8_t *)s2, sizeof s2 - 1);
		crypto_box_seed_keypair(opk, osk, seed);
		crypto_hash_sha256(seed, (const uint8_t *)s3, sizeof s3 - 1);
		crypto_box_seed_keypair(relay.pk[0], relay.sk[0], seed);
		relay.n = 1;
		crypto_hash_sha256(seed, (const uint8_t *)s4, sizeof s4 - 1);
		crypto_box_seed_keypair(wrap.pk[0], wrap.sk[0], seed);
		wrap.n = 1;
		init = 1;
	}
	static ferry_opener o;
	static ferry_peeled pl;
	static uint8_t out[FERRY_CHUNK_LEN], ct[FERRY_CHUNK_CT_LEN];
	if (n < FERRY_PREFIX_LEN)
		return 0;
	/* Treat the input as a bundle of whatever length it claims to be. */
	if (ferry_peel(&pl, d, &wrap) != 0 || ferry_opener_try(&o, &pl, n, sk, pk) != 0)
		return 0;
	int t = o.info.kind == FERRY_KIND_TESTIMONY;
	if (ferry_opener_payload_init(&o, t ? osk : NULL, t ? opk : NULL, &relay) != 0)
		return 0;
	size_t off = FERRY_PREFIX_LEN, want, got;
	while ((want = ferry_opener_next_len(&o)) > 0 && off + want <= n) {
		memcpy(ct, d + off, want);
		if (ferry_opener_chunk(&o, ct, want, out, &got) != 0)
			return 0;
		off += want;
	}
	if (off + 16 == n)
		(void)!ferry_opener_finish(&o, d + off);
	ferry_opener_wipe(&o);
	return 0;
}
