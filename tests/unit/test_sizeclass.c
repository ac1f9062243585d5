#include "../support/t.h"

#include <sodium.h>

#include "../../crypto/b32.h"
#include "../../crypto/sizeclass.h"

static void class_known_values(void **s)
{
	(void)s;
	assert_int_equal(ferry_class_len(0), 65536);
	assert_int_equal(ferry_class_len(1), 81920);
	assert_int_equal(ferry_class_len(4), 131072);
	assert_int_equal(ferry_class_len(40), 67108864);
	assert_int_equal(ferry_class_len(FERRY_CLASSES - 1), FERRY_BUNDLE_MAX);
	assert_int_equal(ferry_class_len(FERRY_CLASSES), 0);
	assert_int_equal(ferry_class_of(65536), 0);
	assert_int_equal(ferry_class_of(81920), 1);
	assert_int_equal(ferry_class_of(81921), -1);
	assert_int_equal(ferry_class_of(67584), -1); /* a PADMÉ length of old */
}

/* Classes grow by 2^(1/4): the padding costs at most 25 % (19.2 % past
 * 1 MB), and there are 57 classes up to 1 GiB. */
static void class_overhead_bound(void **s)
{
	(void)s;
	unsigned upto_gib = 0;
	for (unsigned k = 0; k + 1 < FERRY_CLASSES; k++) {
		uint64_t a = ferry_class_len(k), b = ferry_class_len(k + 1);
		uint64_t p;
		assert_true(b > a);
		assert_int_equal(ferry_plain_len_of_bundle(a, &p), 0);
		assert_true((double)(b - a) / (double)a <= (a < (1u << 20) ? 0.25 : 0.1925));
		upto_gib += a <= (1ull << 30);
	}
	assert_int_equal(upto_gib, 57);
}

static void bundle_lengths(void **s)
{
	(void)s;
	for (uint64_t c = 0; c < 3000000; c += 997) {
		uint64_t b = 0, back = 0;
		assert_int_equal(ferry_bundle_len_for(c, &b), 0);
		assert_true(b >= FERRY_BUNDLE_FLOOR);
		assert_true(b >= ferry_bundle_len_of_plain(c));
		assert_true(ferry_class_of(b) >= 0);
		assert_true(ferry_bundle_len_valid(b));
		/* the smallest class that holds it */
		int k = ferry_class_of(b);
		assert_true(k == 0 || ferry_class_len((unsigned)k - 1) <
		                          ferry_bundle_len_of_plain(c));
		assert_int_equal(ferry_plain_len_of_bundle(b, &back), 0);
		assert_true(back >= c);
		assert_int_equal(ferry_bundle_len_of_plain(back), b);
	}
	/* Lengths no bundle can have. */
	assert_false(ferry_bundle_len_valid(0));
	assert_false(ferry_bundle_len_valid(65535));
	assert_false(ferry_bundle_len_valid(65537));
	assert_false(ferry_bundle_len_valid(67584));
	assert_false(ferry_bundle_len_valid(FERRY_BUNDLE_MAX * 2));
	uint64_t p;
	/* The 16 unreachable lengths after each full chunk. */
	uint64_t gap = FERRY_BUNDLE_FIXED + FERRY_CHUNK_LEN;
	assert_int_equal(ferry_plain_len_of_bundle(gap - 1, &p), 0);
	assert_int_equal(ferry_plain_len_of_bundle(gap, &p), -1);
	assert_int_equal(ferry_plain_len_of_bundle(gap + 15, &p), -1);
	assert_int_equal(ferry_plain_len_of_bundle(gap + 16, &p), 0);
	assert_int_equal(p, FERRY_CHUNK_LEN);
}

static void class_vectors(void **s)
{
	(void)s;
	size_t n = 0;
	uint8_t *t = t_read("tests/vectors/sizeclass.txt", &n);
	assert_non_null(t);
	t[n] = 0;
	int lines = 0;
	for (char *l = strtok((char *)t, "\n"); l; l = strtok(NULL, "\n")) {
		unsigned long long c, u, b;
		uint64_t got = 0;
		unsigned k;
		if (l[0] == '#')
			continue;
		if (sscanf(l, "class %u %llu", &k, &b) == 2) {
			assert_int_equal(ferry_class_len(k), b);
			lines++;
			continue;
		}
		assert_int_equal(sscanf(l, "%llu %llu %llu", &c, &u, &b), 3);
		assert_int_equal(ferry_bundle_len_of_plain(c), u);
		assert_int_equal(ferry_bundle_len_for(c, &got), 0);
		assert_int_equal(got, b);
		lines++;
	}
	assert_true(lines >= 10 + (int)FERRY_CLASSES);
	free(t);
}

static void b32_roundtrip(void **s)
{
	(void)s;
	uint8_t in[40], back[40];
	char txt[80];
	for (size_t n = 0; n <= sizeof in; n++) {
		randombytes_buf(in, n);
		assert_int_equal(ferry_b32_encode(txt, sizeof txt, in, n), 0);
		assert_int_equal(strlen(txt), FERRY_B32_LEN(n));
		for (char *c = txt; *c; c++)
			assert_non_null(strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", *c));
		assert_int_equal(ferry_b32_decode(back, n, txt, strlen(txt)), 0);
		assert_memory_equal(in, back, n);
	}
	/* Aliases and case: O is 0, I and L are 1. */
	uint8_t a[5], b[5];
	assert_int_equal(ferry_b32_decode(a, 5, "0123ABCD", 8), 0);
	assert_int_equal(ferry_b32_decode(b, 5, "oI23abcd", 8), 0);
	assert_memory_equal(a, b, 5);
	assert_int_equal(ferry_b32_decode(b, 5, "U123ABCD", 8), -1);
	assert_int_equal(ferry_b32_decode(b, 5, "0123ABC", 7), -1);
	/* Nonzero padding bits: one spelling per value. */
	assert_int_equal(ferry_b32_decode(b, 1, "01", 2), -1);
	char small[4];
	assert_int_equal(ferry_b32_encode(small, sizeof small, in, 5), -1);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(class_known_values),
	    cmocka_unit_test(class_overhead_bound), cmocka_unit_test(bundle_lengths),
	    cmocka_unit_test(class_vectors), cmocka_unit_test(b32_roundtrip)};
	return cmocka_run_group_tests_name("size classes and base32", tests, NULL, NULL);
}
