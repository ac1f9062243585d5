/* The form that seals itself: the page decoder and QR search (in-process
 * here; ferry-seal runs them sandboxed), and the finder's reading of what
 * a page's codes say. */
#include "../support/t.h"

#include <sodium.h>
#include <zlib.h>

#include "../../forms/qr.h"
#include "../../pages/qrscan.h"
#include "../../seal/formfind.h"
#include "../support/testrng.h"
#include "../support/vectors.h"

static vec_set V;

/* A PNG of text's QR code, as the desk prints it. */
static t_buf qr_png(const char *text)
{
	ferry_qr q;
	t_buf b = {0};
	assert_int_equal(ferry_qr_encode(&q, text), 0);
	assert_int_equal(ferry_qr_png(&q, 6, t_buf_write, &b), 0);
	ferry_qr_free(&q);
	return b;
}

static void reads_a_printed_code(void **s)
{
	(void)s;
	ferry_qr_found f;
	ferry_err e;
	t_buf b = qr_png(V.sealcode);
	assert_int_equal(ferry_qr_scan(b.p, b.len, &f, &e), FERRY_OK);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.text[0], V.sealcode);
	free(b.p);
}

static void refuses_what_is_no_image(void **s)
{
	(void)s;
	ferry_qr_found f;
	ferry_err e;
	static const uint8_t text[] = "not an image at all";
	assert_int_equal(ferry_qr_scan(text, sizeof text, &f, &e), FERRY_EVERIFY);
	assert_int_equal(f.n, 0);
	/* A PNG cut short, and a JPEG that is only its first marker. */
	t_buf b = qr_png(V.sealcode);
	assert_int_equal(ferry_qr_scan(b.p, b.len / 2, &f, &e), FERRY_EVERIFY);
	static const uint8_t soi[] = {0xff, 0xd8, 0xff, 0xe0, 0,
	                              16,   'J',  'F',  'I',  'F'};
	assert_int_equal(ferry_qr_scan(soi, sizeof soi, &f, &e), FERRY_EVERIFY);
	/* A PNG whose header (its CRC made right) claims more pixels than
	 * are searched: 9000 x 9000. */
	static const uint8_t dims[8] = {0, 0, 0x23, 0x28, 0, 0, 0x23, 0x28};
	memcpy(b.p + 16, dims, sizeof dims);
	uint32_t crc = (uint32_t)crc32(0, b.p + 12, 17);
	for (int i = 0; i < 4; i++)
		b.p[29 + i] = (uint8_t)(crc >> (24 - 8 * i));
	assert_int_equal(ferry_qr_scan(b.p, b.len, &f, &e), FERRY_EVERIFY);
	assert_non_null(strstr(e.msg, "too large"));
	free(b.p);
}

static void what_a_page_says(void **s)
{
	(void)s;
	ferry_qr_found q;
	ferry_form_pub fp;
	ferry_err bad;
	int other = 0;
	memset(&q, 0, sizeof q);
	/* Nothing, then a QR of something else. */
	assert_int_equal(ferry_formfind_page(&q, &fp, &bad, &other), 0);
	snprintf(q.text[0], sizeof q.text[0], "https://example.org/");
	q.n = 1;
	assert_int_equal(ferry_formfind_page(&q, &fp, &bad, &other), 0);
	assert_int_equal(other, 1);
	/* A seal code beside it: found. */
	snprintf(q.text[1], sizeof q.text[1], "%s", V.sealcode);
	q.n = 2;
	assert_int_equal(ferry_formfind_page(&q, &fp, &bad, &other), 1);
	assert_memory_equal(fp.opk, V.opk_pk[1], 32);
	/* One that looks like a seal code and does not verify: named. */
	q.text[1][20] = q.text[1][20] == 'A' ? 'B' : 'A';
	assert_int_equal(ferry_formfind_page(&q, &fp, &bad, &other), -1);
	assert_non_null(strstr(bad.msg, "seal code"));
}

int main(void)
{
	if (testrng_install("ferry vectors") != 0 || vectors_build(&V) != 0)
		return 1;
	const struct CMUnitTest tests[] = {cmocka_unit_test(reads_a_printed_code),
	                                   cmocka_unit_test(refuses_what_is_no_image),
	                                   cmocka_unit_test(what_a_page_says)};
	int rc = cmocka_run_group_tests_name("qrscan", tests, NULL, NULL);
	vectors_free(&V);
	return rc;
}
