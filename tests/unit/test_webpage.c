/* The offline page handed out with a pack (desk/webpage.c): only ferry's
 * page is taken, its SHA-256 is sha256sum's, nothing is replaced; and the
 * contact guide printed with the forms (desk/guide.c). */
#include "../support/t.h"

#include <sys/stat.h>

#include "../../desk/guide.h"
#include "../../desk/webpage.h"

static const char PAGE[] =
    "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" "
    "content=\"default-src 'none'; script-src 'sha256-x'\"></head><body>"
    "<script>const FERRY_BUILT = 'ferry-seal, offline page; wasm';</script></body></html>";

static void takes_only_the_page(void **s)
{
	(void)s;
	ferry_webpage w;
	ferry_err e;
	char *d = t_mkdtemp(), path[512], other[512];
	snprintf(path, sizeof path, "%s/page.html", d);
	snprintf(other, sizeof other, "%s/other.html", d);
	assert_int_equal(t_write(path, PAGE, strlen(PAGE)), 0);
	assert_int_equal(ferry_webpage_load(&w, path, &e), FERRY_OK);
	uint8_t h[32];
	char hex[65];
	crypto_hash_sha256(h, (const uint8_t *)PAGE, strlen(PAGE));
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	assert_string_equal(w.sha256, hex);
	ferry_webpage_free(&w);
	/* Without its policy, or without its marker: another file. */
	static const char no_csp[] = "<html>ferry-seal, offline page</html>";
	assert_int_equal(t_write(other, no_csp, sizeof no_csp - 1), 0);
	assert_int_equal(ferry_webpage_load(&w, other, &e), FERRY_EUSAGE);
	assert_non_null(strstr(e.msg, "is not ferry's offline page"));
	assert_null(w.bytes);
	/* A folder, and nothing at all. */
	assert_int_not_equal(ferry_webpage_load(&w, d, &e), FERRY_OK);
	snprintf(other, sizeof other, "%s/none.html", d);
	assert_int_not_equal(ferry_webpage_load(&w, other, &e), FERRY_OK);
	t_rmdir(d);
	free(d);
}

static void writes_page_and_sum_once(void **s)
{
	(void)s;
	ferry_webpage w;
	ferry_err e;
	char *d = t_mkdtemp(), src[512], p[700];
	snprintf(src, sizeof src, "%s/src.html", d);
	assert_int_equal(t_write(src, PAGE, strlen(PAGE)), 0);
	assert_int_equal(ferry_webpage_load(&w, src, &e), FERRY_OK);
	assert_int_equal(ferry_webpage_write(&w, d, &e), FERRY_OK);
	size_t n = 0;
	snprintf(p, sizeof p, "%s/ferry-seal.html", d);
	uint8_t *b = t_read(p, &n);
	assert_int_equal(n, strlen(PAGE));
	assert_memory_equal(b, PAGE, n);
	free(b);
	snprintf(p, sizeof p, "%s/ferry-seal.html.sha256", d);
	b = t_read(p, &n);
	char want[128];
	snprintf(want, sizeof want, "%s  ferry-seal.html\n", w.sha256);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(b, want, n);
	free(b);
	/* A second time: the page is there, nothing is replaced. */
	assert_int_equal(t_count(d), 3);
	assert_int_equal(ferry_webpage_write(&w, d, &e), FERRY_EOP);
	assert_non_null(strstr(e.msg, "already exists"));
	assert_int_equal(t_count(d), 3);
	/* A sum already there: the page written before it is taken back. */
	char d2[560];
	snprintf(d2, sizeof d2, "%s/again", d);
	assert_int_equal(mkdir(d2, 0700), 0);
	snprintf(p, sizeof p, "%s/ferry-seal.html.sha256", d2);
	assert_int_equal(t_write(p, "mine", 4), 0);
	assert_int_equal(ferry_webpage_write(&w, d2, &e), FERRY_EOP);
	assert_int_equal(t_count(d2), 1);
	b = t_read(p, &n);
	assert_int_equal(n, 4);
	free(b);
	ferry_webpage_free(&w);
	t_rmdir(d);
	free(d);
}

/* The contact guide: three languages, the page's SHA-256 in groups when
 * a page goes with the pack, no "ferry" in a heading, never replaced. */
static void writes_the_guide(void **s)
{
	(void)s;
	ferry_err e;
	char *d = t_mkdtemp(), path[512];
	static const char sha[] =
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	assert_int_equal(ferry_guide_write(d, "K7QF", sha, path, sizeof path, &e),
	                 FERRY_OK);
	assert_non_null(strstr(path, "contact-guide-K7QF.html"));
	size_t n = 0;
	char *g = (char *)t_read(path, &n);
	assert_non_null(g);
	assert_non_null(strstr(g, "00112233 44556677 8899aabb"));
	assert_non_null(strstr(g, "<section lang=\"ko\">"));
	assert_non_null(strstr(g, "<section lang=\"zh-CN\">"));
	assert_non_null(strstr(g, "<section lang=\"en\">"));
	assert_non_null(strstr(g, "최근 삭제된 항목"));
	assert_non_null(strstr(g, "ferry-seal --desk"));
	for (const char *h = g; (h = strstr(h, "<h2>")); h++)
		assert_true(strncmp(h, "<h2>ferry", 9) != 0);
	assert_null(strstr(g, "<title>ferry"));
	free(g);
	assert_int_equal(ferry_guide_write(d, "K7QF", NULL, path, sizeof path, &e),
	                 FERRY_EOP);
	assert_non_null(strstr(e.msg, "already exists"));
	/* Without a page: no SHA-256 to check. */
	assert_int_equal(ferry_guide_write(d, "ABCD", NULL, path, sizeof path, &e),
	                 FERRY_OK);
	g = (char *)t_read(path, &n);
	assert_null(strstr(g, "sha256sum"));
	free(g);
	t_rmdir(d);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(takes_only_the_page),
	                                   cmocka_unit_test(writes_page_and_sum_once),
	                                   cmocka_unit_test(writes_the_guide)};
	return T_RUN("webpage", tests);
}
