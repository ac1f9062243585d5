/* seal/: the contact's pipeline, its checks and its messages. */
#include "../support/t.h"

#include <sodium.h>

#include "../../seal/seal.h"

static void random_form(ferry_form_pub *f)
{
	uint8_t sk[32];
	memset(f, 0, sizeof *f);
	crypto_box_keypair(f->spk, sk);
	crypto_box_keypair(f->opk, sk);
	crypto_box_keypair(f->relay_pk, sk);
	sodium_memzero(sk, sizeof sk);
	f->form_index = 2;
}

static int count(const char *h, const char *needle)
{
	int n = 0;
	for (const char *p = h; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* A failure while adding the answers says so once, with the cause. */
static void answers_failure_is_prefixed_once(void **st)
{
	(void)st;
	char *dir = t_mkdtemp();
	ferry_form_pub f;
	random_form(&f);
	ferry_seal_input in = {NULL, 0, dir, NULL, 0, 0, 1, NULL};
	ferry_seal_report rep;
	ferry_err e;
	t_buf out = {0};
	assert_int_equal(ferry_seal_bundle(&f, &in, t_buf_write, &out, &rep, &e),
	                 FERRY_EOP);
	assert_int_equal(count(e.msg, "cannot add the answers"), 1);
	assert_non_null(strstr(e.msg, "is a folder"));
	assert_non_null(strstr(e.msg, dir));
	ferry_seal_report_free(&rep);
	free(out.p);
	t_rmdir(dir);
	free(dir);
}

static void precheck_refuses_with_hints(void **st)
{
	(void)st;
	char *dir = t_mkdtemp(), heic[512], bad[512];
	ferry_err e;
	ferry_seal_input none = {NULL, 0, NULL, NULL, 0, 0, 1, NULL};
	assert_int_equal(ferry_seal_precheck(&none, &e), FERRY_EUSAGE);
	assert_string_equal(e.msg, "nothing to seal");
	assert_non_null(strstr(e.hint, "--answers"));

	snprintf(heic, sizeof heic, "%s/photo.jpg", dir);
	assert_int_equal(t_write(heic,
	                         "\0\0\0\x18"
	                         "ftypheic....",
	                         16),
	                 0);
	const char *pages[] = {heic};
	ferry_seal_input one = {pages, 1, NULL, NULL, 0, 0, 1, NULL};
	assert_int_equal(ferry_seal_precheck(&one, &e), FERRY_EOP);
	assert_non_null(strstr(e.msg, "HEIC"));
	assert_non_null(strstr(e.msg, "'"));
	assert_non_null(strstr(e.hint, "JPEG"));

	snprintf(bad, sizeof bad, "%s/answers.txt", dir);
	assert_int_equal(t_write(bad, "ok\n\xff\xfe\n", 6), 0);
	ferry_seal_input ans = {NULL, 0, bad, NULL, 0, 0, 1, NULL};
	assert_int_equal(ferry_seal_precheck(&ans, &e), FERRY_EOP);
	assert_non_null(strstr(e.msg, "line 2"));
	assert_non_null(strstr(e.hint, "UTF-8"));

	const char *many[FERRY_SEAL_PAGES_MAX + 1];
	for (size_t i = 0; i <= FERRY_SEAL_PAGES_MAX; i++)
		many[i] = heic;
	ferry_seal_input lots = {many, FERRY_SEAL_PAGES_MAX + 1, NULL, NULL, 0, 0, 1, NULL};
	assert_int_equal(ferry_seal_precheck(&lots, &e), FERRY_EUSAGE);
	t_rmdir(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(answers_failure_is_prefixed_once),
	    cmocka_unit_test(precheck_refuses_with_hints),
	};
	return T_RUN("seal", tests);
}
