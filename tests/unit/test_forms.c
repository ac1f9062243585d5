/* Questions files, QR capacity and the printable sheet. */
#include "../support/t.h"

#include <errno.h>
#include <sodium.h>

#include "../../forms/qr.h"
#include "../../forms/questions.h"
#include "../../forms/sheet.h"
#include "../../trust/pack.h"

static int parse(const char *text, ferry_questions *q, ferry_err *e)
{
	return ferry_questions_parse(q, (const uint8_t *)text, strlen(text), e);
}

static void questions_format(void **s)
{
	(void)s;
	ferry_questions q;
	ferry_err e;
	const char *text = "\xef\xbb\xbf# comment\r\n\n  Title here  \n"
	                   "# another comment\nFirst question?\n"
	                   "질문 둘 [7]\n问题三 [0]\nA [bracket] in text\n";
	assert_int_equal(parse(text, &q, &e), 0);
	assert_string_equal(q.title, "Title here");
	assert_int_equal(q.n, 4);
	assert_string_equal(q.q[0].text, "First question?");
	assert_int_equal(q.q[0].lines, FERRY_ANSWER_LINES_DEFAULT);
	assert_string_equal(q.q[1].text, "질문 둘");
	assert_int_equal(q.q[1].lines, 7);
	assert_int_equal(q.q[2].lines, 0);
	assert_int_equal(q.q[2].src_line, 7);
	assert_string_equal(q.q[3].text, "A [bracket] in text");
	ferry_questions_free(&q);
	assert_int_equal(ferry_text_columns("abc"), 3);
	assert_int_equal(ferry_text_columns("질문"), 4);
}

/* The writer (what the vault keeps) reads back to the same questions,
 * whatever the file looked like: comments, CRLF and default lines gone,
 * a text that ends in brackets of its own, a title that keeps a second
 * byte-order mark, an instruction that starts like a comment. */
static void questions_write_reads_back(void **s)
{
	(void)s;
	ferry_questions q, r;
	ferry_err e;
	ferry_membuf m = {0};
	const char *text = "\xef\xbb\xbf\xef\xbb\xbf> Title\r\n# c\n"
	                   ">   # not a comment\nAnswer [3] [12]\n"
	                   "Count [3]\nPlain?\n";
	assert_int_equal(parse(text, &q, &e), 0);
	assert_string_equal(q.q[1].text, "Answer [3]");
	assert_int_equal(ferry_questions_write(&q, ferry_membuf_write, &m), 0);
	assert_int_equal(m.len, strlen("\xef\xbb\xbf\xef\xbb\xbf> Title\n> # not a comment\n"
	                               "Answer [3] [12]\nCount [3]\nPlain? [4]\n"));
	assert_memory_equal(m.p,
	                    "\xef\xbb\xbf\xef\xbb\xbf> Title\n> # not a comment\n"
	                    "Answer [3] [12]\nCount [3]\nPlain? [4]\n",
	                    m.len);
	assert_int_equal(ferry_questions_parse(&r, m.p, m.len, &e), 0);
	assert_string_equal(r.title, q.title);
	assert_int_equal(r.n, q.n);
	for (size_t i = 0; i < q.n; i++) {
		assert_string_equal(r.q[i].text, q.q[i].text);
		assert_int_equal(r.q[i].lines, q.q[i].lines);
		assert_int_equal(r.q[i].instruction, q.q[i].instruction);
	}
	ferry_questions_free(&r);
	ferry_questions_free(&q);
	ferry_membuf_free(&m);
}

/* The wrap estimate behind pagination (tests/e2e/layout.sh measures it
 * against Chromium): where it breaks and where it does not. */
static void text_wraps_as_printed(void **s)
{
	(void)s;
	char run[201], hangul[512], han[512];
	memset(run, 'x', 200);
	run[200] = '\0';
	assert_int_equal(ferry_text_lines("", 0, 100), 1);
	assert_int_equal(ferry_text_lines("abc", 0, 100), 1);
	/* 200 x's (11 each) at 940 a line: 2200 / 940, broken anywhere. */
	assert_int_equal(ferry_text_lines(run, 0, 940), 3);
	/* A word that does not fit goes to the next line whole. */
	assert_int_equal(ferry_text_lines("aaaa bbbb", 0, 60), 2);
	assert_int_equal(ferry_text_lines("aaaa bbbb", 0, 110), 1);
	/* The number in front takes room on the first line. */
	assert_int_equal(ferry_text_lines("aaaa", 0, 44), 1);
	assert_int_equal(ferry_text_lines("aaaa", 26, 44), 2);
	/* An address breaks after its slashes and hyphens ("aa/bb-" is 60,
	 * "cc/dd" 52): the line is filled, not left for the whole address. */
	assert_int_equal(ferry_text_lines("x aa/bb-cc/dd", 0, 64), 3);
	assert_int_equal(ferry_text_lines("aa/bb-cc/dd", 0, 64), 2);
	/* Hangul is kept whole between spaces; Chinese breaks anywhere. */
	hangul[0] = han[0] = '\0';
	for (int i = 0; i < 10; i++) {
		strcat(hangul, i ? " 하루에몇시간" : "하루에몇시간");
		strcat(han, "你每天工作几个小时");
	}
	/* 6 syllables (120) and a space (6) a word: 7 words a line of 940. */
	assert_int_equal(ferry_text_lines(hangul, 0, 940), 2);
	assert_int_equal(ferry_text_lines(hangul, 0, 240), 10);
	/* 90 characters of 20 at 940 a line: 47 a line. */
	assert_int_equal(ferry_text_lines(han, 0, 940), 2);
	assert_int_equal(ferry_text_lines(han, 0, 200), 9);
}

static void questions_errors_name_lines(void **s)
{
	(void)s;
	ferry_questions q;
	ferry_err e;
	assert_int_not_equal(parse("", &q, &e), 0);
	assert_non_null(strstr(e.msg, "nothing"));
	assert_int_not_equal(parse("# only comments\n\n", &q, &e), 0);
	assert_int_not_equal(parse("Title only\n", &q, &e), 0);
	assert_non_null(strstr(e.msg, "no questions"));
	assert_int_not_equal(parse("Title\nok\nbad \xc3\x28 utf8\n", &q, &e), 0);
	assert_non_null(strstr(e.msg, "line 3"));
	assert_non_null(strstr(e.msg, "UTF-8"));
	assert_int_not_equal(parse("Title\nq\xed\xa0\x80\n", &q, &e),
	                     0);                                       /* surrogate */
	assert_int_not_equal(parse("Title\nq \xc0\xaf\n", &q, &e), 0); /* overlong */
	assert_int_not_equal(parse("Title\nq\x01\n", &q, &e), 0);
	assert_non_null(strstr(e.msg, "control"));
	assert_int_not_equal(parse("Title\nq [31]\n", &q, &e), 0);
	assert_non_null(strstr(e.msg, "line 2"));
	char *longq = malloc(800);
	strcpy(longq, "Title\n");
	memset(longq + 6, 'x', 700);
	longq[706] = '\n';
	longq[707] = 0;
	assert_int_not_equal(parse(longq, &q, &e), 0);
	assert_non_null(strstr(e.msg, "longer than fits a page"));
	free(longq);
	/* Fits the parser's limits but not an A4 page. */
	assert_int_equal(parse("Title\nshort\nmany lines [30]\n", &q, &e), 0);
	assert_int_equal(ferry_sheet_pages(&q, FERRY_PAPER_A4, &e), -2);
	assert_non_null(strstr(e.msg, "line 3"));
	ferry_questions_free(&q);
}

static void sealcodes_fit_version_11(void **s)
{
	(void)s;
	uint8_t pk[32], sk[64];
	crypto_sign_keypair(pk, sk);
	for (int i = 0; i < 50; i++) {
		ferry_form_pub f;
		randombytes_buf(&f, sizeof f);
		memcpy(f.identity_pk, pk, 32);
		char code[FERRY_SEALCODE_TEXT_LEN + 1];
		assert_int_equal(ferry_sealcode_encode(code, sizeof code, &f, sk), 0);
		ferry_qr q;
		assert_int_equal(ferry_qr_encode(&q, code), 0);
		assert_true(q.version <= FERRY_QR_MAX_VERSION);
		assert_int_equal(q.width, 17 + 4 * q.version);
		t_buf png = {0};
		assert_int_equal(ferry_qr_png(&q, 4, t_buf_write, &png), 0);
		assert_memory_equal(png.p, "\x89PNG", 4);
		free(png.p);
		ferry_qr_free(&q);
	}
	ferry_qr q;
	errno = 0;
	assert_int_equal(ferry_qr_encode(&q, "lower case is not alphanumeric"), -1);
	assert_int_equal(errno, EINVAL); /* the callers print it */
	/* More than any version holds: libqrencode's own refusal. */
	char *big = malloc(4001);
	assert_non_null(big);
	memset(big, 'A', 4000);
	big[4000] = '\0';
	errno = 0;
	assert_int_equal(ferry_qr_encode(&q, big), -1);
	assert_int_not_equal(errno, 0);
	free(big);
}

static void sheet_pages_and_escapes(void **s)
{
	(void)s;
	ferry_questions q;
	ferry_err e;
	char text[4096];
	size_t o = (size_t)snprintf(text, sizeof text, "Title <b>&\n");
	for (int i = 0; i < 12; i++)
		o += (size_t)snprintf(text + o, sizeof text - o,
		                      "Question %d <script>alert(1)</script> [6]\n", i);
	assert_int_equal(parse(text, &q, &e), 0);
	int pages = ferry_sheet_pages(&q, FERRY_PAPER_A4, &e);
	assert_true(pages >= 3);
	uint8_t png[] = {0x89, 'P', 'N', 'G'};
	ferry_sheet_form forms[2] = {{"AAAA-BBBB", png, 4}, {"CCCC-DDDD", png, 4}};
	t_buf html = {0};
	assert_int_equal(ferry_sheet_write(&q, FERRY_PAPER_LETTER, FERRY_LANG_EN, forms,
	                                   2, t_buf_write, &html, &e),
	                 0);
	t_buf_write(&html, (const uint8_t *)"", 1);
	const char *h = (const char *)html.p;
	assert_null(strstr(h, "<script>"));
	assert_non_null(strstr(h, "&lt;script&gt;"));
	assert_non_null(strstr(h, "Title &lt;b&gt;&amp;"));
	assert_non_null(strstr(h, "Content-Security-Policy"));
	assert_non_null(strstr(h, "default-src 'none'"));
	assert_null(strstr(h, "http://"));
	assert_null(strstr(h, "https://"));
	assert_non_null(strstr(h, "size:letter"));
	char want[64];
	int lp = ferry_sheet_pages(&q, FERRY_PAPER_LETTER, &e);
	snprintf(want, sizeof want, "page %d of %d", lp, lp);
	assert_non_null(strstr(h, want));
	/* Every page carries the form code in large type and the QR. */
	size_t codes = 0, qrs = 0;
	for (const char *p = h; (p = strstr(p, "<div class=\"code\">AAAA-BBBB")); p++)
		codes++;
	for (const char *p = h; (p = strstr(p, "class=\"qr\"")); p++)
		qrs++;
	assert_int_equal(codes, (size_t)lp);
	assert_int_equal(qrs, (size_t)lp * 2);
	free(html.p);
	ferry_questions_free(&q);
}

/* A form in the questions' language: its own words in Korean (or
 * Chinese), lang= set, instruction lines as an unnumbered block, the
 * questions numbered without them. */
static void sheet_in_the_questions_language(void **s)
{
	(void)s;
	ferry_questions q;
	ferry_err e;
	assert_int_equal(
	    parse("근로 조건\n> 이름을 쓰지 마세요.\n하루에 몇 시간 일합니까? [2]\n"
	          ">   다음 질문은 선택입니다.\n휴일이 있습니까?\n",
	          &q, &e),
	    0);
	assert_int_equal(q.n, 4);
	assert_true(q.q[0].instruction && !q.q[1].instruction && q.q[2].instruction);
	assert_string_equal(q.q[0].text, "이름을 쓰지 마세요.");
	assert_string_equal(q.q[2].text, "다음 질문은 선택입니다.");
	assert_int_equal(q.q[0].lines, 0);
	uint8_t png[] = {0x89, 'P', 'N', 'G'};
	ferry_sheet_form forms[1] = {{"AAAA-BBBB", png, 4}};
	for (int lang = FERRY_LANG_EN; lang <= FERRY_LANG_ZH; lang++) {
		t_buf html = {0};
		assert_int_equal(ferry_sheet_write(&q, FERRY_PAPER_A4, lang, forms, 1,
		                                   t_buf_write, &html, &e),
		                 0);
		t_buf_write(&html, (const uint8_t *)"", 1);
		const char *h = (const char *)html.p;
		const char *want[3][3] = {
		    {"<html lang=\"en\">", ">form<", "page 1 of 1"},
		    {"<html lang=\"ko\">", ">설문지<", "1쪽 중 1쪽"},
		    {"<html lang=\"zh-CN\">", ">问卷<", "第 1 页，共 1 页"}};
		for (int k = 0; k < 3; k++)
			assert_non_null(strstr(h, want[lang][k]));
		if (lang != FERRY_LANG_EN) {
			assert_null(strstr(h, ">form<"));
			assert_null(strstr(h, "page 1 of"));
		}
		assert_non_null(
		    strstr(h, "<div class=\"note\">이름을 쓰지 마세요.</div>"));
		assert_non_null(strstr(h, "<div class=\"qt\">1. 하루에"));
		assert_non_null(strstr(h, "<div class=\"qt\">2. 휴일이"));
		assert_null(strstr(h, "3. "));
		assert_non_null(strstr(h, "overflow-wrap:anywhere"));
		free(html.p);
	}
	ferry_questions_free(&q);
	/* Instructions alone are no questionnaire; an empty one is named. */
	assert_int_not_equal(parse("Title\n> only this\n", &q, &e), 0);
	assert_non_null(strstr(e.msg, "no questions"));
	assert_int_not_equal(parse("Title\n>\nQ?\n", &q, &e), 0);
	assert_non_null(strstr(e.msg, "line 2: an instruction with no text"));
	assert_int_equal(ferry_lang_parse("ko"), FERRY_LANG_KO);
	assert_int_equal(ferry_lang_parse("zh"), FERRY_LANG_ZH);
	assert_int_equal(ferry_lang_parse("fr"), -1);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(questions_format),
	    cmocka_unit_test(questions_write_reads_back),
	    cmocka_unit_test(sheet_in_the_questions_language),
	    cmocka_unit_test(questions_errors_name_lines),
	    cmocka_unit_test(text_wraps_as_printed),
	    cmocka_unit_test(sealcodes_fit_version_11),
	    cmocka_unit_test(sheet_pages_and_escapes)};
	return cmocka_run_group_tests_name("printable forms", tests, NULL, NULL);
}
