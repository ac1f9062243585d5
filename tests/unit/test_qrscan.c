/* The form that seals itself: the page decoder and QR search (in-process
 * here; ferry-seal runs them sandboxed), and the finder's reading of what
 * a page's codes say. */
#include "../support/t.h"

#include <png.h>
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

/* The search alone, on gray pixels (what the offline page calls once the
 * browser has decoded a photo): it finds the code and leaves the pixels
 * as they were; an empty or oversized picture is refused. */
static void searches_gray_pixels(void **s)
{
	(void)s;
	ferry_qr_found f;
	ferry_err e;
	png_image p;
	t_buf b = qr_png(V.sealcode);
	memset(&p, 0, sizeof p);
	p.version = PNG_IMAGE_VERSION;
	assert_true(png_image_begin_read_from_memory(&p, b.p, b.len));
	p.format = PNG_FORMAT_GRAY;
	uint8_t *px = malloc(PNG_IMAGE_SIZE(p)), *copy = malloc(PNG_IMAGE_SIZE(p));
	assert_non_null(px);
	assert_non_null(copy);
	assert_true(png_image_finish_read(&p, NULL, px, 0, NULL));
	memcpy(copy, px, PNG_IMAGE_SIZE(p));
	assert_int_equal(ferry_qr_scan_gray(px, p.width, p.height, &f, &e), FERRY_OK);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.text[0], V.sealcode);
	assert_memory_equal(px, copy, PNG_IMAGE_SIZE(p));
	/* Blank: searched, nothing found. */
	memset(px, 255, PNG_IMAGE_SIZE(p));
	assert_int_equal(ferry_qr_scan_gray(px, p.width, p.height, &f, &e), FERRY_OK);
	assert_int_equal(f.n, 0);
	assert_int_equal(ferry_qr_scan_gray(px, 0, p.height, &f, &e), FERRY_EVERIFY);
	assert_int_equal(ferry_qr_scan_gray(px, 65536, 65536, &f, &e), FERRY_EVERIFY);
	assert_non_null(strstr(e.msg, "too large"));
	free(px);
	free(copy);
	free(b.p);
}

/* Another form of the vector pack, as a seal code. */
static void other_form_code(char out[FERRY_SEALCODE_TEXT_LEN + 1])
{
	ferry_form_pub f;
	ferry_pack_form_pub(&f, &V.pack, 0); /* the vector code is form 1 */
	assert_int_equal(
	    ferry_sealcode_encode(out, FERRY_SEALCODE_TEXT_LEN + 1, &f, V.id_sk),
	    FERRY_OK);
}

static ferry_qr_found codes(const char *a, const char *b)
{
	ferry_qr_found q;
	memset(&q, 0, sizeof q);
	if (a)
		snprintf(q.text[q.n++], sizeof q.text[0], "%s", a);
	if (b)
		snprintf(q.text[q.n++], sizeof q.text[0], "%s", b);
	return q;
}

/* The tally the offline page keeps, page by page: pages without a code
 * count, every code must be the same form's, and the end says what was
 * found or why nothing was. */
static void tallies_pages(void **s)
{
	(void)s;
	ferry_formfind_report r;
	ferry_form_pub fp;
	ferry_err e;
	char other[FERRY_SEALCODE_TEXT_LEN + 1];
	other_form_code(other);
	ferry_qr_found none = codes(NULL, NULL), mine = codes(V.sealcode, NULL),
	               theirs = codes(other, NULL),
	               url = codes("https://example.org/", NULL),
	               both = codes(V.sealcode, other);

	ferry_formfind_start(&r);
	assert_int_equal(ferry_formfind_end(&r, &fp, &e), FERRY_EVERIFY);
	assert_non_null(strstr(e.msg, "no page carries a readable seal code"));
	assert_int_equal(ferry_formfind_add(&r, &url, "a.jpg", &e), FERRY_OK);
	assert_int_equal(ferry_formfind_end(&r, &fp, &e), FERRY_EVERIFY);
	assert_non_null(strstr(e.msg, "not a ferry seal code"));

	ferry_formfind_start(&r);
	assert_int_equal(ferry_formfind_add(&r, NULL, "not-an-image.jpg", &e),
	                 FERRY_OK);
	assert_int_equal(ferry_formfind_add(&r, &mine, "b.jpg", &e), FERRY_OK);
	assert_int_equal(ferry_formfind_add(&r, &none, "c.jpg", &e), FERRY_OK);
	assert_int_equal(ferry_formfind_add(&r, &mine, "d.jpg", &e), FERRY_OK);
	assert_int_equal(ferry_formfind_end(&r, &fp, &e), FERRY_OK);
	assert_int_equal(r.npages, 4);
	assert_int_equal(r.ncarried, 2);
	assert_true(r.carried[1] && r.carried[3] && !r.carried[0] && !r.carried[2]);
	assert_memory_equal(fp.opk, V.opk_pk[1], 32);
	assert_int_equal(ferry_formfind_add(&r, &theirs, "e.jpg", &e), FERRY_EVERIFY);
	assert_int_equal(r.verdict, 1); /* a good code, of another form */
	assert_string_equal(
	    e.msg,
	    "page 5 ('e.jpg') carries another form's code than page 2: were two forms mixed?");

	ferry_formfind_start(&r);
	assert_int_equal(ferry_formfind_add(&r, &both, "f.jpg", &e), FERRY_EVERIFY);
	assert_int_equal(r.verdict, -2);
	assert_string_equal(e.msg, "page 1 ('f.jpg') carries the codes of two forms");
	ferry_qr_found bad = mine;
	bad.text[0][20] = bad.text[0][20] == 'A' ? 'B' : 'A';
	ferry_formfind_start(&r);
	assert_int_equal(ferry_formfind_add(&r, &bad, "g.jpg", &e), FERRY_EVERIFY);
	assert_int_equal(r.verdict, -1);
	assert_non_null(
	    strstr(e.msg, "page 1 ('g.jpg') carries a seal code that does not verify"));
	assert_int_equal(r.npages, 0);
}

int main(void)
{
	if (testrng_install("ferry vectors") != 0 || vectors_build(&V) != 0)
		return 1;
	const struct CMUnitTest tests[] = {cmocka_unit_test(reads_a_printed_code),
	                                   cmocka_unit_test(refuses_what_is_no_image),
	                                   cmocka_unit_test(what_a_page_says),
	                                   cmocka_unit_test(searches_gray_pixels),
	                                   cmocka_unit_test(tallies_pages)};
	int rc = cmocka_run_group_tests_name("qrscan", tests, NULL, NULL);
	vectors_free(&V);
	return rc;
}
