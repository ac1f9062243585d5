/* Log attestations: what the desk signs, and that the parser accepts
 * exactly that and fails closed on anything else. */
#include "../support/t.h"

#include <sodium.h>

#include "../../common/clock.h"
#include "../../trust/attest.h"
#include "../../trust/pack.h"
#include "../../trust/sign.h"

static uint8_t pk[32], sk[64], other_pk[32], other_sk[64];

static size_t make(char *text, const ferry_attestation *a, const uint8_t *key)
{
	size_t len = 0;
	assert_int_equal(
	    ferry_attestation_format(text, FERRY_ATTEST_TEXT_MAX, &len, a, key), 0);
	assert_int_equal(strlen(text), len);
	return len;
}

static void round_trip(void **state)
{
	(void)state;
	ferry_attestation a = {{0}, 12345, {0}, 1764601200, 2, 0, {0}, "RWQtestkeytestkey+/="}, b;
	ferry_err e;
	char text[FERRY_ATTEST_TEXT_MAX];
	memcpy(a.id_pk, pk, 32);
	randombytes_buf(a.head, sizeof a.head);
	size_t len = make(text, &a, sk);
	assert_non_null(strstr(text, "entries: 12345\nhead: "));
	assert_non_null(strstr(text, "made: 2025-12-01T15:00:00Z\n"));
	assert_int_equal(ferry_attestation_parse(&b, text, len, pk, &e), 0);
	assert_memory_equal(&a, &b, sizeof a);
	/* Zero entries (a new desk) is a valid statement too. */
	a.entries = 0;
	len = make(text, &a, sk);
	assert_int_equal(ferry_attestation_parse(&b, text, len, pk, &e), 0);
	assert_int_equal(b.entries, 0);
}

static void every_change_fails(void **state)
{
	(void)state;
	ferry_attestation a = {{0}, 7, {0}, 1764601200, 2, 0, {0}, "RWQtestkeytestkey+/="}, b;
	ferry_err e;
	char text[FERRY_ATTEST_TEXT_MAX], m[FERRY_ATTEST_TEXT_MAX];
	memcpy(a.id_pk, pk, 32);
	randombytes_buf(a.head, sizeof a.head);
	size_t len = make(text, &a, sk);
	for (size_t i = 0; i < len; i++) {
		memcpy(m, text, len);
		m[i] ^= 0x01;
		assert_int_equal(ferry_attestation_parse(&b, m, len, pk, &e),
		                 FERRY_EVERIFY);
		assert_true(sodium_is_zero((const uint8_t *)&b, sizeof b));
	}
	for (size_t cut = 0; cut < len; cut++)
		assert_int_equal(ferry_attestation_parse(&b, text, cut, pk, &e),
		                 FERRY_EVERIFY);
	memcpy(m, text, len);
	m[len] = '\n';
	assert_int_equal(ferry_attestation_parse(&b, m, len + 1, pk, &e),
	                 FERRY_EVERIFY);
	/* A time past the year 9999 (found by fuzzing: its ISO text did not
	 * fit the buffer, which was then read past) is refused. */
	char t[600], fp[FERRY_FP_TEXT_LEN + 1];
	ferry_fingerprint(fp, pk);
	int n = snprintf(
	    t, sizeof t,
	    "ferry log attestation v1\ndesk: %s\nentries: 3\nhead: %064d\nmade: 0000-00-00T00:00:00Z\nmade-unix: 179000000000000\nsignature: %0128d\n",
	    fp, 0, 0);
	assert_int_equal(ferry_attestation_parse(&b, t, (size_t)n, pk, &e),
	                 FERRY_EVERIFY);
	assert_non_null(strstr(e.msg, "no valid time"));
	char iso[21];
	ferry_iso_time(iso, 179000000000000ull);
	assert_string_equal(iso, "0000-00-00T00:00:00Z");
	ferry_iso_time(iso, 253402300799ull);
	assert_string_equal(iso, "9999-12-31T23:59:59Z");
}

static void another_desk_fails(void **state)
{
	(void)state;
	ferry_attestation a = {{0}, 3, {0}, 1764601200, 2, 0, {0}, "RWQtestkeytestkey+/="}, b;
	ferry_err e;
	char text[FERRY_ATTEST_TEXT_MAX], fp[FERRY_FP_TEXT_LEN + 1],
	    ofp[FERRY_FP_TEXT_LEN + 1];
	memcpy(a.id_pk, other_pk, 32);
	size_t len = make(text, &a, other_sk);
	assert_int_equal(ferry_attestation_parse(&b, text, len, pk, &e), FERRY_EVERIFY);
	assert_non_null(strstr(e.msg, "another desk"));
	/* The other desk's statement with this desk's fingerprint put in:
	 * the signature does not verify. */
	ferry_fingerprint(fp, pk);
	ferry_fingerprint(ofp, other_pk);
	char *at = strstr(text, ofp);
	assert_non_null(at);
	memcpy(at, fp, FERRY_FP_TEXT_LEN);
	assert_int_equal(ferry_attestation_parse(&b, text, len, pk, &e), FERRY_EVERIFY);
	assert_non_null(strstr(e.msg, "signature"));
}

/* A v2 statement names the one before it; a v1 statement (written
 * before v2) is still read. */
static void previous_and_v1(void **state)
{
	(void)state;
	ferry_attestation a = {{0}, 9, {0}, 1764601200, 2, 1, {0}, "RWQkey"}, b;
	ferry_err e;
	char text[FERRY_ATTEST_TEXT_MAX], fp[FERRY_FP_TEXT_LEN + 1], hex[65];
	memcpy(a.id_pk, pk, 32);
	randombytes_buf(a.previous, sizeof a.previous);
	size_t len = make(text, &a, sk);
	sodium_bin2hex(hex, sizeof hex, a.previous, 32);
	assert_non_null(strstr(text, hex));
	assert_int_equal(ferry_attestation_parse(&b, text, len, pk, &e), 0);
	assert_int_equal(b.has_previous, 1);
	assert_memory_equal(b.previous, a.previous, 32);
	ferry_fingerprint(fp, pk);
	int n = snprintf(text, sizeof text,
	                 "ferry log attestation v1\ndesk: %s\nentries: 4\nhead: %064d\nmade: 2025-12-01T15:00:00Z\nmade-unix: 1764601200\n",
	                 fp, 0);
	uint8_t sig[64];
	static const char DOM[] = "ferry-v1 log attestation";
	assert_int_equal(ferry_sign_domain(sig, DOM, sizeof DOM, (const uint8_t *)text,
	                                   (size_t)n, sk),
	                 0);
	char sighex[129];
	sodium_bin2hex(sighex, sizeof sighex, sig, 64);
	n += snprintf(text + n, sizeof text - (size_t)n, "signature: %s\n", sighex);
	assert_int_equal(ferry_attestation_parse(&b, text, (size_t)n, pk, &e), 0);
	assert_int_equal(b.version, 1);
	assert_int_equal(b.entries, 4);
	assert_int_equal(b.has_previous, 0);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	crypto_sign_keypair(pk, sk);
	crypto_sign_keypair(other_pk, other_sk);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),
	    cmocka_unit_test(previous_and_v1),
	    cmocka_unit_test(every_change_fails),
	    cmocka_unit_test(another_desk_fails),
	};
	return cmocka_run_group_tests_name("log attestation", tests, NULL, NULL);
}
