/* Test build only: a deterministic randombytes implementation, so that
 * vectors can be reproduced byte for byte. Never linked into the tools
 * (see the Makefile: only test binaries and helpers link this file). */
#include "testrng.h"

#include <sodium.h>
#include <string.h>

static struct {
	uint8_t key[32];
	uint64_t counter;
} rng;

static const char *impl_name(void)
{
	return "ferry-test-deterministic";
}

static void impl_buf(void *const buf, const size_t size)
{
	uint8_t nonce[crypto_stream_chacha20_NONCEBYTES];
	memset(nonce, 0, sizeof nonce);
	memcpy(nonce, &rng.counter, sizeof rng.counter);
	rng.counter++;
	crypto_stream_chacha20((unsigned char *)buf, size, nonce, rng.key);
}

static uint32_t impl_random(void)
{
	uint32_t v;
	impl_buf(&v, sizeof v);
	return v;
}

static void impl_stir(void) {}

static uint32_t impl_uniform(const uint32_t upper)
{
	if (upper < 2)
		return 0;
	uint32_t min = (1U + ~upper) % upper, r;
	do
		r = impl_random();
	while (r < min);
	return r % upper;
}

static int impl_close(void)
{
	return 0;
}

static randombytes_implementation impl = {impl_name,    impl_random, impl_stir,
                                          impl_uniform, impl_buf,    impl_close};

int testrng_install(const char *seed)
{
	crypto_hash_sha256(rng.key, (const unsigned char *)seed, strlen(seed));
	rng.counter = 0;
	if (randombytes_set_implementation(&impl) != 0)
		return -1;
	return sodium_init() < 0 ? -1 : 0;
}

void testrng_reseed(const char *seed)
{
	crypto_hash_sha256(rng.key, (const unsigned char *)seed, strlen(seed));
	rng.counter = 0;
}
