#include "padme.h"

static unsigned floor_log2(uint64_t x)
{
	unsigned r = 0;
	while (x >>= 1)
		r++;
	return r;
}

uint64_t ferry_padme(uint64_t len)
{
	if (len < 2)
		return len;
	unsigned e = floor_log2(len);
	unsigned s = floor_log2(e) + 1;
	unsigned z = e - s;
	uint64_t mask = (UINT64_C(1) << z) - 1;
	return (len + mask) & ~mask;
}

uint64_t ferry_bundle_len_of_plain(uint64_t plain_len)
{
	uint64_t full = plain_len / FERRY_CHUNK_LEN;
	return FERRY_BUNDLE_FIXED + plain_len + FERRY_CHUNK_OVERHEAD * full;
}

int ferry_plain_len_of_bundle(uint64_t bundle_len, uint64_t *plain_len)
{
	*plain_len = 0;
	if (bundle_len < FERRY_BUNDLE_FIXED)
		return -1;
	uint64_t x = bundle_len - FERRY_BUNDLE_FIXED;
	const uint64_t stride = FERRY_CHUNK_LEN + FERRY_CHUNK_OVERHEAD;
	uint64_t q = x / stride, r = x % stride;
	/* A final chunk holds at most 65535 bytes, so the 16 lengths just
	 * past each multiple of the stride cannot occur. */
	if (r >= FERRY_CHUNK_LEN)
		return -1;
	*plain_len = q * FERRY_CHUNK_LEN + r;
	return 0;
}

static int reachable(uint64_t len)
{
	uint64_t p;
	return ferry_plain_len_of_bundle(len, &p) == 0;
}

int ferry_bundle_len_for(uint64_t container_len, uint64_t *bundle_len)
{
	*bundle_len = 0;
	if (container_len > FERRY_BUNDLE_MAX)
		return -1;
	uint64_t t = ferry_bundle_len_of_plain(container_len);
	if (t < FERRY_BUNDLE_FLOOR)
		t = FERRY_BUNDLE_FLOOR;
	for (;;) {
		t = ferry_padme(t);
		if (t > FERRY_BUNDLE_MAX)
			return -1;
		if (reachable(t))
			break;
		t++;
	}
	*bundle_len = t;
	return 0;
}

int ferry_bundle_len_valid(uint64_t bundle_len)
{
	if (bundle_len < FERRY_BUNDLE_FLOOR || bundle_len > FERRY_BUNDLE_MAX)
		return 0;
	if (ferry_padme(bundle_len) != bundle_len)
		return 0;
	return reachable(bundle_len);
}
