/* common/: the error shape, paths, buffers, safe opens. */
#include "../support/t.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/err.h"
#include "../../common/fileio.h"
#include "../../common/html.h"
#include "../../common/io.h"
#include "../../common/utf8.h"

static void fail_and_hint(void **st)
{
	(void)st;
	ferry_err e;
	ferry_err_clear(&e);
	assert_int_equal(e.code, FERRY_OK);
	assert_int_equal(ferry_fail(&e, FERRY_EVERIFY, "bad %d", 7), FERRY_EVERIFY);
	assert_string_equal(e.msg, "bad 7");
	assert_string_equal(e.hint, "");
	assert_int_equal(ferry_hint(&e, "do %s", "this"), FERRY_EVERIFY);
	assert_string_equal(e.hint, "do this");
	/* A new failure clears the old hint. */
	ferry_fail(&e, FERRY_EOP, "other");
	assert_string_equal(e.hint, "");
	assert_int_equal(ferry_fail_hint(&e, FERRY_EUSAGE, "try -h", "no %s", "x"),
	                 FERRY_EUSAGE);
	assert_string_equal(e.msg, "no x");
	assert_string_equal(e.hint, "try -h");
	/* A NULL error is allowed and keeps the code. */
	assert_int_equal(ferry_fail(NULL, FERRY_EVERIFY, "x"), FERRY_EVERIFY);
	assert_int_equal(ferry_fail_hint(NULL, FERRY_EVERIFY, "h", "x"), FERRY_EVERIFY);
}

/* The old bug: a caller formatted e->msg into itself, which is undefined
 * and printed the prefix twice. */
static void prefix_may_use_the_message(void **st)
{
	(void)st;
	ferry_err e;
	ferry_fail(&e, FERRY_EOP, "answers 'a.txt': read failed");
	assert_int_equal(ferry_err_prefix(&e, "cannot add the answers"), FERRY_EOP);
	assert_string_equal(e.msg,
	                    "cannot add the answers: answers 'a.txt': read failed");
	ferry_fail(&e, FERRY_EVERIFY, "inner");
	ferry_err_prefix(&e, "[%s]", e.msg);
	assert_string_equal(e.msg, "[inner]: inner");
	assert_int_equal(e.code, FERRY_EVERIFY);
	/* A long message is cut to fit, never overflowed. */
	char big[2000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	ferry_fail(&e, FERRY_EOP, "%s", big);
	ferry_err_prefix(&e, "%s", big);
	assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
	/* A prefix on an empty error is the whole message. */
	ferry_err_clear(&e);
	assert_int_equal(ferry_err_prefix(&e, "context"), FERRY_EOP);
	assert_string_equal(e.msg, "context");
}

static void paths_are_checked(void **st)
{
	(void)st;
	char out[16];
	assert_int_equal(ferry_path_join(out, sizeof out, "abc", "def"), 0);
	assert_string_equal(out, "abc/def");
	assert_int_equal(ferry_path_join(out, sizeof out, "abcdefgh", "ijklmnop"), -1);
	/* Inside a folder means the folder or below it, not a sibling that
	 * shares its name as a prefix. */
	assert_true(ferry_path_within("/d/desk", "/d/desk"));
	assert_true(ferry_path_within("/d/desk/intake/x", "/d/desk"));
	assert_false(ferry_path_within("/d/desk2", "/d/desk"));
	assert_false(ferry_path_within("/d", "/d/desk"));
	assert_string_equal(out, "");
	assert_int_equal(ferry_path_fmt(out, sizeof out, "%s.%d", "x", 5), 0);
	assert_string_equal(out, "x.5");
	errno = 0;
	assert_int_equal(ferry_path_fmt(out, sizeof out, "%s", "0123456789abcdef"), -1);
	assert_int_equal(errno, ENAMETOOLONG); /* what callers that report errno say */
	char dir[FERRY_PATH_MAX];
	ferry_dirname(dir, sizeof dir, "a/b/c");
	assert_string_equal(dir, "a/b");
	ferry_dirname(dir, sizeof dir, "c");
	assert_string_equal(dir, ".");
}

/* A command that fails removes the folders it made and only those: a
 * folder that was there is not its own. */
static void mkdir_says_who_made_it(void **st)
{
	(void)st;
	char *dir = t_mkdtemp(), p[512];
	snprintf(p, sizeof p, "%s/new", dir);
	int made = 0;
	assert_int_equal(ferry_mkdir_made(p, 0700, &made), 0);
	assert_int_equal(made, 1);
	made = 0;
	assert_int_equal(ferry_mkdir_made(p, 0700, &made), 0); /* there already */
	assert_int_equal(made, 0);
	snprintf(p, sizeof p, "%s/new/file", dir);
	assert_int_equal(t_write(p, "x", 1), 0);
	assert_int_equal(ferry_mkdir_made(p, 0700, &made), -1); /* a file is no folder */
	assert_int_equal(made, 0);
	t_rmdir(dir);
	free(dir);
}

static void membuf_grows(void **st)
{
	(void)st;
	ferry_membuf m = {0};
	uint8_t chunk[1000];
	memset(chunk, 7, sizeof chunk);
	for (int i = 0; i < 100; i++)
		assert_int_equal(ferry_membuf_write(&m, chunk, sizeof chunk), 0);
	assert_int_equal(m.len, 100000);
	assert_int_equal(m.p[m.len], 0); /* kept NUL-terminated */
	assert_int_equal(ferry_membuf_puts(&m, "end"), 0);
	assert_string_equal((char *)m.p + 100000, "end");
	ferry_membuf_free(&m);
	assert_null(m.p);
	assert_int_equal(m.len, 0);
}

static void inputs_must_be_regular_files(void **st)
{
	(void)st;
	char *dir = t_mkdtemp(), p[512], fifo[512], empty[512];
	ferry_err e;
	snprintf(p, sizeof p, "%s/file", dir);
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	snprintf(empty, sizeof empty, "%s/empty", dir);
	assert_int_equal(t_write(p, "hello", 5), 0);
	assert_int_equal(t_write(empty, "", 0), 0);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	int fd = ferry_open_regular(p, "page", &e);
	assert_true(fd >= 0);
	close(fd);
	/* A FIFO is refused at once, not waited on. */
	assert_true(ferry_open_regular(fifo, "page", &e) < 0);
	assert_non_null(strstr(e.msg, "not a regular file"));
	assert_non_null(strstr(e.msg, fifo));
	assert_true(ferry_open_regular(dir, "page", &e) < 0);
	assert_non_null(strstr(e.msg, "is a folder"));
	assert_true(ferry_open_regular(empty, "page", &e) < 0);
	assert_non_null(strstr(e.msg, "empty"));
	uint8_t *data = NULL;
	size_t len = 0;
	assert_int_equal(ferry_read_file(p, 100, &data, &len, "the pack", &e),
	                 FERRY_OK);
	assert_int_equal(len, 5);
	assert_string_equal((char *)data, "hello");
	free(data);
	assert_int_equal(ferry_read_file(p, 4, &data, &len, "the pack", &e), FERRY_EOP);
	assert_null(data);
	assert_non_null(strstr(e.msg, "cannot read the pack '"));
	assert_non_null(strstr(e.msg, "too large"));
	assert_int_equal(ferry_read_file(fifo, 100, &data, &len, "the pack", &e),
	                 FERRY_EOP);
	t_rmdir(dir);
	free(dir);
}

/* Names from ferry_random_name: only the alphabet, every letter about
 * equally often (a biased draw would make names guessable), the length
 * asked for, also past one 64-byte draw. */
static void random_names_are_uniform(void **state)
{
	(void)state;
	static const char A[] = "0123456789abcdefghjkmnpqrstvwxyz";
	unsigned count[32] = {0};
	char name[201];
	for (int r = 0; r < 1000; r++) {
		ferry_random_name(name, 200);
		assert_int_equal(strlen(name), 200);
		for (int i = 0; i < 200; i++) {
			const char *at = strchr(A, name[i]);
			assert_non_null(at);
			count[at - A]++;
		}
	}
	/* 200,000 draws: 6,250 expected per letter, sd about 78. */
	for (int i = 0; i < 32; i++)
		assert_in_range(count[i], 5850, 6650);
	char a[17], b[17];
	ferry_random_name(a, 16);
	ferry_random_name(b, 16);
	assert_string_not_equal(a, b);
}

/* The one text check: what each place allows, and nothing else. */
static void text_is_checked_one_way(void **state)
{
	(void)state;
	assert_int_equal(ferry_text_check("질문 one", 10, 0), FERRY_TEXT_OK);
	assert_int_equal(ferry_text_check("a\tb", 3, 0), FERRY_TEXT_CONTROL);
	assert_int_equal(ferry_text_check("a\tb", 3, FERRY_TEXT_TAB), FERRY_TEXT_OK);
	assert_int_equal(ferry_text_check("a\nb", 3, FERRY_TEXT_TAB), FERRY_TEXT_CONTROL);
	assert_int_equal(ferry_text_check("a\nb", 3, FERRY_TEXT_LINES), FERRY_TEXT_OK);
	assert_int_equal(ferry_text_check("a\rb", 3, FERRY_TEXT_LINES), FERRY_TEXT_CONTROL);
	assert_int_equal(ferry_text_check("\x7f", 1, FERRY_TEXT_TAB), FERRY_TEXT_CONTROL);
	/* C1 (U+009B, a terminal's CSI) is a control character in UTF-8 too. */
	assert_int_equal(ferry_text_check("\xc2\x9b", 2, ~0u), FERRY_TEXT_CONTROL);
	assert_int_equal(ferry_text_check("\xc3\x28", 2, ~0u), FERRY_TEXT_NOT_UTF8);
	assert_int_equal(ferry_text_check("\0", 1, ~0u), FERRY_TEXT_CONTROL);
	assert_int_equal(ferry_text_check("", 0, 0), FERRY_TEXT_OK);
}

static void html_is_escaped(void **state)
{
	(void)state;
	ferry_membuf m = {0};
	const char in[] = "a<b>&\"c'\xed\x95\x9c<";
	assert_int_equal(ferry_html_escape(ferry_membuf_write, &m, in, sizeof in - 1),
	                 0);
	assert_int_equal(ferry_membuf_write(&m, (const uint8_t *)"", 1), 0);
	assert_string_equal((char *)m.p, "a&lt;b&gt;&amp;&quot;c&#39;\xed\x95\x9c&lt;");
	ferry_membuf_free(&m);
	assert_int_equal(ferry_html_escape(ferry_membuf_write, &m, "", 0), 0);
	assert_int_equal(m.len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fail_and_hint),
	    cmocka_unit_test(random_names_are_uniform),
	    cmocka_unit_test(html_is_escaped),
	    cmocka_unit_test(text_is_checked_one_way),
	    cmocka_unit_test(prefix_may_use_the_message),
	    cmocka_unit_test(paths_are_checked),
	    cmocka_unit_test(mkdir_says_who_made_it),
	    cmocka_unit_test(membuf_grows),
	    cmocka_unit_test(inputs_must_be_regular_files),
	};
	return T_RUN("common", tests);
}
