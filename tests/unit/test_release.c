/* Signed releases (trust/release.c): a signature verifies under the
 * fingerprint alone, and nothing else passes: a changed byte, another
 * desk, another name, a changed certificate; an attestation is never
 * signed as a release. */
#include "../support/t.h"

#include "../../trust/pack.h"
#include "../../trust/release.h"

static uint8_t pk[32], sk[64];
static char fp[FERRY_FP_TEXT_LEN + 1];

static void signs_and_verifies(void **s)
{
	(void)s;
	static const uint8_t msg[] = "<!DOCTYPE html> the offline page";
	char sig[FERRY_MINISIGN_SIG_MAX];
	size_t n = 0;
	ferry_err e;
	assert_int_equal(ferry_release_sign(sig, sizeof sig, &n, msg, sizeof msg,
	                                    "ferry-seal.html", sk, &e),
	                 FERRY_OK);
	assert_true(n > 0 && n < sizeof sig);
	assert_non_null(
	    strstr(sig, "trusted comment: ferry release: ferry-seal.html\n"));
	assert_int_equal(
	    ferry_release_verify(sig, n, msg, sizeof msg, "ferry-seal.html", fp, &e),
	    FERRY_OK);
	/* A changed byte. */
	uint8_t bad[sizeof msg];
	memcpy(bad, msg, sizeof msg);
	bad[3] ^= 1;
	assert_int_equal(
	    ferry_release_verify(sig, n, bad, sizeof bad, "ferry-seal.html", fp, &e),
	    FERRY_EVERIFY);
	assert_non_null(strstr(e.msg, "the file was changed"));
	/* Another name: a signed file passed off as another release. */
	assert_int_equal(
	    ferry_release_verify(sig, n, msg, sizeof msg, "ferry-seal-aarch64", fp, &e),
	    FERRY_EVERIFY);
	assert_non_null(strstr(e.msg, "not as a release named 'ferry-seal-aarch64'"));
	/* Another desk's fingerprint. */
	uint8_t pk2[32], sk2[64];
	char fp2[FERRY_FP_TEXT_LEN + 1];
	crypto_sign_keypair(pk2, sk2);
	ferry_fingerprint(fp2, pk2);
	assert_int_equal(
	    ferry_release_verify(sig, n, msg, sizeof msg, "ferry-seal.html", fp2, &e),
	    FERRY_EVERIFY);
	assert_non_null(strstr(e.msg, "was not signed by the desk"));
	/* Another desk's signature, with its own good certificate. */
	char sig2[FERRY_MINISIGN_SIG_MAX];
	size_t n2 = 0;
	assert_int_equal(ferry_release_sign(sig2, sizeof sig2, &n2, msg, sizeof msg,
	                                    "ferry-seal.html", sk2, &e),
	                 FERRY_OK);
	assert_int_equal(
	    ferry_release_verify(sig2, n2, msg, sizeof msg, "ferry-seal.html", fp, &e),
	    FERRY_EVERIFY);
	/* A certificate changed in one character. */
	char *c = strstr(sig, "; certificate ") + 20;
	*c = *c == 'A' ? 'B' : 'A';
	assert_int_equal(
	    ferry_release_verify(sig, n, msg, sizeof msg, "ferry-seal.html", fp, &e),
	    FERRY_EVERIFY);
	/* No certificate at all (a plain minisign file). */
	static const char plain[] =
	    "untrusted comment: x\nRWQ\ntrusted comment: y\nz\n";
	assert_int_equal(ferry_release_verify(plain, sizeof plain - 1, msg, sizeof msg,
	                                      "ferry-seal.html", fp, &e),
	                 FERRY_EVERIFY);
	assert_non_null(strstr(e.msg, "no certificate"));
}

static void never_signs_an_attestation(void **s)
{
	(void)s;
	static const uint8_t att[] = "ferry log attestation v2\ndesk: ...\n";
	char sig[FERRY_MINISIGN_SIG_MAX];
	size_t n = 0;
	ferry_err e;
	assert_int_equal(ferry_release_sign(sig, sizeof sig, &n, att, sizeof att - 1,
	                                    "att.txt", sk, &e),
	                 FERRY_EUSAGE);
	assert_non_null(strstr(e.msg, "must never pass for one"));
	assert_int_equal(n, 0);
	static const uint8_t msg[] = "x";
	assert_int_equal(
	    ferry_release_sign(sig, sizeof sig, &n, msg, 1, "a\nb", sk, &e),
	    FERRY_EUSAGE);
	assert_int_equal(ferry_release_sign(sig, sizeof sig, &n, msg, 1, "", sk, &e),
	                 FERRY_EUSAGE);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	crypto_sign_keypair(pk, sk);
	ferry_fingerprint(fp, pk);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(signs_and_verifies),
	    cmocka_unit_test(never_signs_an_attestation)};
	return cmocka_run_group_tests_name("release", tests, NULL, NULL);
}
