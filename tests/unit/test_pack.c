/* Packs, seal codes, relay credentials, fingerprints, form codes, dates. */
#include "../support/t.h"

#include <ctype.h>
#include <sodium.h>

#include "../../trust/credential.h"
#include "../../trust/pack.h"
#include "../../trust/word.h"

static uint8_t pk[32], sk[64];

static void make_pack(ferry_pack *p, uint16_t n)
{
	memset(p, 0, sizeof *p);
	memcpy(p->identity_pk, pk, 32);
	randombytes_buf(p->pack_id, 8);
	randombytes_buf(p->spk, 32);
	randombytes_buf(p->relay_pk, 32);
	p->nforms = n;
	for (uint16_t i = 0; i < n; i++) {
		randombytes_buf(p->forms[i].code, 5);
		randombytes_buf(p->forms[i].opk, 32);
	}
}

static void pack_roundtrip_and_tamper(void **s)
{
	(void)s;
	ferry_pack *p = malloc(sizeof *p), *q = malloc(sizeof *q);
	make_pack(p, 5);
	size_t cap = ferry_pack_size(5), len = 0;
	uint8_t *b = malloc(cap);
	ferry_err err;
	assert_int_equal(ferry_pack_serialize(b, cap, &len, p, sk), 0);
	assert_int_equal(len, cap);
	assert_int_equal(ferry_pack_parse(q, b, len, &err), 0);
	assert_memory_equal(p, q, sizeof *p);
	for (size_t i = 0; i < len; i++) {
		b[i] ^= 0x01;
		assert_int_not_equal(ferry_pack_parse(q, b, len, &err), 0);
		b[i] ^= 0x01;
	}
	for (size_t n = 0; n < len; n++)
		assert_int_not_equal(ferry_pack_parse(q, b, n, &err), 0);
	free(p);
	free(q);
	free(b);
}

static void sealcode_roundtrip(void **s)
{
	(void)s;
	ferry_pack *p = malloc(sizeof *p);
	make_pack(p, 3);
	ferry_form_pub f, g;
	ferry_pack_form_pub(&f, p, 2);
	char code[FERRY_SEALCODE_TEXT_LEN + 1];
	ferry_err err;
	assert_int_equal(ferry_sealcode_encode(code, sizeof code, &f, sk), 0);
	assert_int_equal(strlen(code), FERRY_SEALCODE_TEXT_LEN);
	/* QR alphanumeric charset only. */
	for (char *c = code; *c; c++)
		assert_non_null(
		    strchr("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", *c));
	assert_int_equal(ferry_sealcode_decode(&g, code, &err), 0);
	assert_memory_equal(&f, &g, sizeof f);
	/* As a reader app might return it: lower case, white space. */
	char messy[FERRY_SEALCODE_TEXT_LEN + 8];
	snprintf(messy, sizeof messy, "  %s\r\n", code);
	for (char *c = messy; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	assert_int_equal(ferry_sealcode_decode(&g, messy, &err), 0);
	assert_memory_equal(&f, &g, sizeof f);
	/* A typo is a damaged code; a re-signed forgery is a bad signature. */
	char bad[FERRY_SEALCODE_TEXT_LEN + 1];
	memcpy(bad, code, sizeof bad);
	bad[100] = bad[100] == 'A' ? 'B' : 'A';
	assert_int_not_equal(ferry_sealcode_decode(&g, bad, &err), 0);
	assert_non_null(strstr(err.msg, "damaged"));
	uint8_t opk2[32], sk2[64], pk2[32];
	crypto_sign_keypair(pk2, sk2);
	ferry_form_pub forged = f;
	randombytes_buf(opk2, 32);
	memcpy(forged.opk, opk2, 32);
	assert_int_equal(ferry_sealcode_encode(bad, sizeof bad, &forged, sk2), 0);
	assert_int_not_equal(ferry_sealcode_decode(&g, bad, &err), 0);
	assert_non_null(strstr(err.msg, "signature"));
	assert_int_not_equal(ferry_sealcode_decode(&g, "FERRY1:ABC", &err), 0);
	assert_non_null(strstr(err.msg, "damaged"));
	assert_int_not_equal(ferry_sealcode_decode(&g, "hello", &err), 0);
	assert_string_equal(err.msg, "this is not a seal code");
	assert_int_not_equal(ferry_sealcode_decode(&g, "", &err), 0);
	/* What claims to be a seal code (and so is named when it does not
	 * verify): a code, damaged or not, and version 1's prefix; not a
	 * URL, nor letters and digits of the right length whose first byte
	 * is no version this reader knows. */
	assert_true(ferry_sealcode_claims(code));
	assert_true(ferry_sealcode_claims(messy));
	assert_true(ferry_sealcode_claims(bad));
	assert_true(ferry_sealcode_claims("ferry1:whatever"));
	assert_false(ferry_sealcode_claims("https://example.org/"));
	char other[FERRY_SEALCODE_TEXT_LEN + 1];
	memset(other, 'Z', FERRY_SEALCODE_TEXT_LEN);
	other[FERRY_SEALCODE_TEXT_LEN - 1] = '0'; /* its padding bits zero */
	other[FERRY_SEALCODE_TEXT_LEN] = '\0';
	assert_false(ferry_sealcode_claims(other));
	assert_int_not_equal(ferry_sealcode_decode(&g, other, &err), 0);
	assert_non_null(strstr(err.msg, "unknown version"));
	free(p);
}

static void fingerprint_check(void **s)
{
	(void)s;
	char fp[FERRY_FP_TEXT_LEN + 1];
	ferry_fingerprint(fp, pk);
	assert_int_equal(strlen(fp), FERRY_FP_TEXT_LEN);
	assert_int_equal(ferry_fingerprint_check(fp, pk, "pack", NULL), FERRY_OK);
	char alt[64];
	size_t o = 0;
	for (char *c = fp; *c; c++)
		if (*c != '-')
			alt[o++] = (char)tolower((unsigned char)*c);
	alt[o] = 0;
	assert_int_equal(ferry_fingerprint_check(alt, pk, "pack", NULL), FERRY_OK);
	uint8_t other[32];
	randombytes_buf(other, 32);
	assert_int_equal(ferry_fingerprint_check(fp, other, "pack", NULL),
	                 FERRY_EVERIFY);
	assert_int_equal(ferry_fingerprint_check("ABCD", pk, "pack", NULL),
	                 FERRY_EUSAGE);
	assert_int_equal(ferry_fingerprint_check("", pk, "pack", NULL), FERRY_EUSAGE);
	/* Typos are not forgeries: one or two characters off is called a
	 * probable typo naming the group to check (and still fails); three
	 * off, or another desk's, is a forgery. */
	ferry_err e;
	char typo[FERRY_FP_TEXT_LEN + 1];
	memcpy(typo, fp, sizeof typo);
	typo[26] = typo[26] == 'Q' ? 'R' : 'Q'; /* group 6: characters 26..29 */
	assert_int_equal(ferry_fingerprint_check(typo, pk, "pack", &e), FERRY_EVERIFY);
	assert_non_null(strstr(
	    e.msg,
	    "differs from the pack's in 1 character, from group 6 on: probably a typo"));
	assert_non_null(strstr(e.hint, "check group 6"));
	assert_null(strstr(e.msg, fp)); /* never says what it should read */
	typo[38] = typo[38] == 'Q' ? 'R' : 'Q';
	assert_int_equal(ferry_fingerprint_check(typo, pk, "pack", &e), FERRY_EVERIFY);
	assert_non_null(strstr(e.msg, "in 2 characters, from group 6 on"));
	typo[0] = typo[0] == 'Q' ? 'R' : 'Q';
	assert_int_equal(ferry_fingerprint_check(typo, pk, "pack", &e), FERRY_EVERIFY);
	assert_non_null(strstr(e.msg, "was not signed by the desk"));
	assert_int_equal(ferry_fingerprint_check(fp, other, "pack", &e), FERRY_EVERIFY);
	assert_non_null(strstr(e.msg, "was not signed by the desk"));
	/* A Crockford alias is no typo at all. */
	memcpy(typo, fp, sizeof typo);
	for (char *c = typo; *c; c++)
		if (*c == '0')
			*c = 'O';
	assert_int_equal(ferry_fingerprint_check(typo, pk, "pack", NULL), FERRY_OK);
	assert_int_equal(ferry_fingerprint_typos(fp, pk, NULL), 0);
	assert_int_equal(ferry_fingerprint_typos("ABCD", pk, NULL), FERRY_FP_NOT_ONE);
	fp[0] = fp[0] == 'Z' ? 'Y' : 'Z';
	assert_int_equal(ferry_fingerprint_check(fp, pk, "pack", NULL), FERRY_EVERIFY);
}

static void form_codes_and_days(void **s)
{
	(void)s;
	uint8_t c[5], d[5];
	char t[FERRY_CODE_TEXT_LEN + 1];
	randombytes_buf(c, 5);
	ferry_form_code_text(t, c);
	assert_int_equal(strlen(t), 9);
	assert_int_equal(t[4], '-');
	assert_int_equal(ferry_form_code_parse(d, t), 0);
	assert_memory_equal(c, d, 5);
	assert_int_not_equal(ferry_form_code_parse(d, "K7QF-M2X"), 0);
	assert_int_not_equal(ferry_form_code_parse(d, "K7QF-M2XAB"), 0);
	uint32_t day;
	char back[11];
	assert_int_equal(ferry_day_parse(&day, "2027-06-30"), 0);
	ferry_day_text(back, day);
	assert_string_equal(back, "2027-06-30");
	assert_int_not_equal(ferry_day_parse(&day, "2027-02-30"), 0);
	assert_int_not_equal(ferry_day_parse(&day, "2027-6-30"), 0);
	assert_int_not_equal(ferry_day_parse(&day, "tomorrow"), 0);
}

static void credential_roundtrip(void **s)
{
	(void)s;
	ferry_credential c, d;
	char text[FERRY_CREDENTIAL_TEXT_MAX];
	size_t len = 0;
	ferry_err err;
	memset(&c, 0, sizeof c);
	memcpy(c.identity_pk, pk, 32);
	uint8_t chaff_sk[32];
	crypto_box_keypair(c.chaff_pk, chaff_sk);
	for (unsigned i = 0; i < 2; i++)
		crypto_box_keypair(c.relay.pk[i], c.relay.sk[i]);
	c.relay.n = 2;
	uint8_t wrap_sk[32];
	crypto_box_keypair(c.wrap_pk, wrap_sk);
	c.newest_from_day = 20800;
	c.cover_hours = 6;
	/* Before its day the newest key only checks; from it on it tags. */
	assert_int_equal(ferry_credential_out_key(&c, 20799ull * 86400 + 86399), 0);
	assert_int_equal(ferry_credential_out_key(&c, 20800ull * 86400), 1);
	/* No chaff table: nothing to write. */
	assert_int_equal(ferry_credential_format(text, sizeof text, &len, &c, sk), -1);
	ferry_chaff_weights_default(c.chaff_weight);
	c.chaff_weight[FERRY_CLASSES - 1] = 7;
	assert_int_equal(ferry_credential_format(text, sizeof text, &len, &c, sk), 0);
	assert_int_equal(strlen(text), len);
	assert_non_null(strstr(text, "SECRET"));
	assert_int_equal(ferry_credential_parse(&d, text, len, &err), 0);
	assert_memory_equal(&c, &d, sizeof c);
	/* Any changed character of the body line is refused. */
	char *body =
	    strstr(text, FERRY_CREDENTIAL_PREFIX) + strlen(FERRY_CREDENTIAL_PREFIX);
	for (char *q = body; *q != '\n'; q++) {
		char was = *q;
		*q = *q == 'A' ? 'B' : 'A';
		assert_int_not_equal(ferry_credential_parse(&d, text, len, &err), 0);
		*q = was;
	}
	/* Cut short, empty, two body lines, an old relay profile. */
	assert_int_not_equal(ferry_credential_parse(&d, text, len - 10, &err), 0);
	assert_int_not_equal(ferry_credential_parse(&d, "", 0, &err), 0);
	char twice[2 * FERRY_CREDENTIAL_TEXT_MAX];
	snprintf(twice, sizeof twice, "%s%s", text,
	         body - strlen(FERRY_CREDENTIAL_PREFIX));
	assert_int_not_equal(ferry_credential_parse(&d, twice, strlen(twice), &err), 0);
	assert_int_equal(ferry_credential_parse(&d, "FERRYRP1 old", 12, &err),
	                 FERRY_EUSAGE);
	assert_non_null(strstr(err.msg, "relay profile"));
	/* A cover interval of 0 hours is not written. */
	ferry_credential nocover = c;
	nocover.cover_hours = 0;
	assert_int_equal(ferry_credential_format(text, sizeof text, &len, &nocover, sk),
	                 -1);
	/* A wrap key of low order (here zero) is refused though signed. */
	ferry_credential low = c;
	memset(low.wrap_pk, 0, 32);
	assert_int_equal(ferry_credential_format(text, sizeof text, &len, &low, sk), 0);
	assert_int_equal(ferry_credential_parse(&d, text, len, &err), FERRY_EVERIFY);
	assert_non_null(strstr(err.msg, "wrap key"));
	/* Another identity's signature does not verify. */
	uint8_t pk2[32], sk2[64];
	crypto_sign_keypair(pk2, sk2);
	assert_int_equal(ferry_credential_format(text, sizeof text, &len, &c, sk2), 0);
	assert_int_equal(ferry_credential_parse(&d, text, len, &err), FERRY_EVERIFY);
}

/* The pack word as text: read back in any spelling, and a typo in
 * any one character is caught by the check character (31 times in 32:
 * counted over many words). */
static void pack_words(void **st)
{
	(void)st;
	uint8_t w[FERRY_PACK_WORD_LEN], back[FERRY_PACK_WORD_LEN];
	char text[FERRY_WORD_TEXT_LEN + 1], loose[32];
	ferry_err e;
	unsigned caught = 0, tries = 0;
	for (int n = 0; n < 200; n++) {
		ferry_word_generate(w);
		ferry_word_text(text, w);
		assert_int_equal(strlen(text), FERRY_WORD_TEXT_LEN);
		assert_int_equal(text[4], '-');
		assert_int_equal(text[9], '-');
		assert_int_equal(ferry_word_parse(back, text, &e), FERRY_OK);
		assert_memory_equal(w, back, sizeof w);
		/* lower case, spaces instead of dashes */
		snprintf(loose, sizeof loose, "%.4s %.4s %c", text, text + 5, text[10]);
		for (char *c = loose; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		assert_int_equal(ferry_word_parse(back, loose, &e), FERRY_OK);
		assert_memory_equal(w, back, sizeof w);
		/* one character changed */
		char typo[FERRY_WORD_TEXT_LEN + 1];
		memcpy(typo, text, sizeof typo);
		size_t at = (size_t)(n % 8);
		at += at >= 4;
		typo[at] = typo[at] == 'Z' ? 'Y' : 'Z';
		tries++;
		if (ferry_word_parse(back, typo, &e) != FERRY_OK) {
			caught++;
			assert_int_equal(e.code, FERRY_EUSAGE);
			assert_non_null(strstr(e.msg, "a typo?"));
		}
	}
	assert_true(caught * 32 >= tries * 28);
	assert_int_equal(ferry_word_parse(back, "ABCD-EFGH", &e), FERRY_EUSAGE);
	assert_non_null(strstr(e.msg, "not a pack word"));
	assert_int_equal(ferry_word_parse(back, "ABCD-EFGH-KK", &e), FERRY_EUSAGE);
	assert_int_equal(ferry_word_parse(back, "ABCU-EFGH-K", &e), FERRY_EUSAGE);
	assert_int_equal(ferry_word_parse(back, "", &e), FERRY_EUSAGE);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	crypto_sign_keypair(pk, sk);
	const struct CMUnitTest tests[] = {cmocka_unit_test(pack_words),
	                                   cmocka_unit_test(pack_roundtrip_and_tamper),
	                                   cmocka_unit_test(sealcode_roundtrip),
	                                   cmocka_unit_test(fingerprint_check),
	                                   cmocka_unit_test(form_codes_and_days),
	                                   cmocka_unit_test(credential_roundtrip)};
	return cmocka_run_group_tests_name("pack, seal code, credential", tests, NULL,
	                                   NULL);
}
