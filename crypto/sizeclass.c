#include "sizeclass.h"

/* 2^(r/4) for r = 0..3 in units of 2^-14, rounded to nearest: with
 * integers only, any reader computes the same classes. */
static const uint64_t STEP[4] = {16384, 19484, 23170, 27554};

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

uint64_t ferry_class_len(unsigned k)
{
	uint64_t p;
	if (k >= FERRY_CLASSES)
		return 0;
	/* 2^(16 + q) * STEP[r] / 2^14, rounded up to 4096 */
	uint64_t t = STEP[k % 4] << (k / 4 + 2);
	t = (t + 4095) & ~UINT64_C(4095);
	while (ferry_plain_len_of_bundle(t, &p) != 0)
		t++; /* past the 16 lengths no bundle has */
	return t;
}

int ferry_class_of(uint64_t bundle_len)
{
	unsigned lo = 0, hi = FERRY_CLASSES;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		uint64_t l = ferry_class_len(mid);
		if (l == bundle_len)
			return (int)mid;
		if (l < bundle_len)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int ferry_bundle_len_for(uint64_t container_len, uint64_t *bundle_len)
{
	*bundle_len = 0;
	if (container_len > FERRY_BUNDLE_MAX)
		return -1;
	uint64_t t = ferry_bundle_len_of_plain(container_len);
	for (unsigned k = 0; k < FERRY_CLASSES; k++)
		if (ferry_class_len(k) >= t) {
			*bundle_len = ferry_class_len(k);
			return 0;
		}
	return -1;
}

int ferry_bundle_len_valid(uint64_t bundle_len)
{
	return ferry_class_of(bundle_len) >= 0;
}
