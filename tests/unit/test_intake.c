/* The desk's open, in process: every outcome, the tamper and truncation
 * sweeps (every single-byte change of a bundle is rejected, nothing is
 * written to cases/, and the bundle is kept intact in quarantine), and
 * recovery after a crash between the log entry and the vault. */
#include "../support/t.h"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/clock.h"
#include "../../desk/desk.h"
#include "../../desk/expire.h"
#include "../../opening/intake.h"
#include "../../opening/recover.h"
#include "../../seal/seal.h"
#include "../../seal/sealpipe.h"

static const char PASS[] = "desk passphrase";
static const ferry_issue_rules rules0 = {0, 0, 0}, rules14 = {14, 0, 0}, rules1 = {1, 0, 0};

typedef struct {
	char *dir;
	char desk[256];
	ferry_desk *d;
	uint32_t pack;
	ferry_pack pub;
} fixture;

static void unlock(fixture *f)
{
	ferry_err e;
	assert_int_equal(ferry_desk_unlock(&f->d, f->desk, PASS, strlen(PASS), &e), 0);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	ferry_err e;
	ferry_issue_result r;
	f->dir = t_mkdtemp();
	snprintf(f->desk, sizeof f->desk, "%s/desk", f->dir);
	assert_int_equal(ferry_desk_init(f->desk, PASS, strlen(PASS),
	                                 FERRY_KDF_INTERACTIVE, NULL, &e),
	                 0);
	unlock(f);
	/* No grace period: the one-time key goes with the first testimony. */
	assert_int_equal(ferry_desk_issue(f->d, 3, "label stays in the vault", 0, &rules0,
	                                  NULL, NULL, &r, &e),
	                 0);
	f->pack = r.index;
	ferry_vault_pack_public(f->d->v, f->pack, &f->pub);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	ferry_desk_close(f->d);
	t_rmdir(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* Seals answers (and an optional random attachment of extra bytes) to
 * form `form` (-1: walk-in) into path. */
static void seal_to(fixture *f, int form, size_t extra, const char *path)
{
	char ans[300], att[300];
	snprintf(ans, sizeof ans, "%s/answers.txt", f->dir);
	snprintf(att, sizeof att, "%s/attach.bin", f->dir);
	static const char text[] = "Q1: 14 hours\n질문 2: 네\n";
	assert_int_equal(t_write(ans, text, strlen(text)), 0);
	const char *atts[1] = {att};
	if (extra) {
		uint8_t *b = malloc(extra);
		randombytes_buf(b, extra);
		t_write(att, b, extra);
		free(b);
	}
	ferry_form_pub fp;
	ferry_pack_form_pub(&fp, &f->pub, (uint16_t)(form < 0 ? 0 : form));
	/* Sealed as the pack's contact would: with the pack word. */
	ferry_seal_input in = {NULL, 0, ans, atts, extra ? 1 : 0, form < 0, 0,
	                       f->d->v->packs[f->pack].word};
	ferry_seal_report rep;
	ferry_err e;
	FILE *out = fopen(path, "wb");
	int fd = fileno(out);
	assert_int_equal(ferry_seal_bundle(&fp, &in, ferry_write_fd, &fd, &rep, &e), 0);
	fclose(out);
	ferry_seal_report_free(&rep);
}

/* An empty container sealed as kind to key spk (no form), into path. */
static void seal_raw(fixture *f, uint8_t kind, const uint8_t spk[32], const char *path)
{
	t_buf cb = {0};
	ferry_sealpipe *s = ferry_sealpipe_create(1);
	static const uint8_t end[] = {'F', 'E', 'R', 'R', 'Y', 'C', 'T', '1', 4,
	                              4,   0,   0,   0,   0,   0,   0,   0};
	uint64_t len;
	assert_int_equal(ferry_sealpipe_begin(s, kind, FERRY_NO_FORM, spk, NULL,
	                                      f->pub.relay_pk, t_buf_write, &cb),
	                 0);
	assert_int_equal(ferry_sealpipe_update(s, end, sizeof end), 0);
	assert_int_equal(ferry_sealpipe_finish(s, &len), 0);
	ferry_sealpipe_free(s);
	t_write(path, cb.p, cb.len);
	free(cb.p);
}

static void path_in(fixture *f, char *out, size_t cap, const char *sub)
{
	snprintf(out, cap, "%s/%s", f->desk, sub);
}

static void testimony_then_answered(void **state)
{
	fixture *f = *state;
	ferry_err e;
	char b[300], copy[300], cases[300];
	snprintf(b, sizeof b, "%s/intake/one", f->desk);
	snprintf(copy, sizeof copy, "%s/copy", f->dir);
	seal_to(f, 1, 0, b);
	size_t n;
	uint8_t *bytes = t_read(b, &n);
	t_write(copy, bytes, n);
	ferry_open_result r;
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_TESTIMONY);
	assert_int_equal(r.answers, 1);
	assert_int_not_equal(access(b, F_OK), 0); /* removed from intake */
	char code[16], casedir[400], ans[450];
	ferry_form_code_text(code, f->pub.forms[1].code);
	assert_string_equal(r.form, code);
	snprintf(casedir, sizeof casedir, "%s/cases/%s", f->desk, code);
	snprintf(ans, sizeof ans, "%s/answers.txt", casedir);
	size_t an;
	uint8_t *a = t_read(ans, &an);
	assert_non_null(a);
	assert_int_equal(an, strlen("Q1: 14 hours\n질문 2: 네\n"));
	assert_memory_equal(a, "Q1: 14 hours\n", 13);
	free(a);
	static const uint8_t zero[32];
	assert_memory_equal(f->d->v->packs[f->pack].forms[1].opk_sk, zero, 32);
	assert_int_equal(f->d->v->log_count, 1);
	/* The same bundle again: form already answered, quarantined. */
	t_write(b, bytes, n);
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_ANSWERED);
	assert_non_null(strstr(r.detail, "already answered"));
	assert_non_null(strstr(r.detail, code));
	size_t qn;
	uint8_t *q = t_read(r.moved_to, &qn);
	assert_int_equal(qn, n);
	assert_memory_equal(q, bytes, n);
	free(q);
	path_in(f, cases, sizeof cases, "cases");
	assert_int_equal(t_count(cases), 1);
	assert_int_equal(f->d->v->log_count, 1);
	free(bytes);
	/* Vault and log survive a reload. */
	ferry_desk_close(f->d);
	unlock(f);
	uint64_t cnt;
	assert_int_equal(ferry_desk_log_verify(f->d, NULL, NULL, &cnt, &e), 0);
	assert_int_equal(cnt, 1);
}

static void walkin_duplicate_chaff_unknown_empty(void **state)
{
	ferry_err e;
	fixture *f = *state;
	char b[300];
	size_t n;
	ferry_open_result r;
	snprintf(b, sizeof b, "%s/intake/walk", f->desk);
	seal_to(f, -1, 0, b);
	uint8_t *bytes = t_read(b, &n);
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_WALKIN);
	t_write(b, bytes, n);
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_DUPLICATE);
	free(bytes);

	/* Chaff: sealed to the chaff key with an empty container. */
	snprintf(b, sizeof b, "%s/intake/chaff", f->desk);
	seal_raw(f, FERRY_KIND_CHAFF, f->d->v->chaff_pk, b);
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_CHAFF);
	assert_int_not_equal(access(b, F_OK), 0);
	/* Chaff to a pack's key, a walk-in to the chaff key: refused. */
	seal_raw(f, FERRY_KIND_CHAFF, f->pub.spk, b);
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_CORRUPT);
	assert_non_null(strstr(r.detail, "chaff key only"));
	seal_raw(f, FERRY_KIND_WALKIN, f->d->v->chaff_pk, b);
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_CORRUPT);
	assert_non_null(strstr(r.detail, "chaff key"));

	/* A bundle for another desk's pack. */
	fixture other = *f;
	crypto_box_keypair(other.pub.spk, (uint8_t[32]){0});
	snprintf(b, sizeof b, "%s/intake/foreign", f->desk);
	seal_to(&other, 0, 0, b);
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_UNKNOWN);

	/* Empty and short files. */
	snprintf(b, sizeof b, "%s/intake/empty", f->desk);
	t_write(b, "", 0);
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_CORRUPT);
	/* A folder is left alone, not moved. */
	snprintf(b, sizeof b, "%s/intake/folder", f->desk);
	mkdir(b, 0700);
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), FERRY_EOP);
	assert_int_equal(r.outcome, FERRY_OUT_LEFT);
	assert_int_equal(access(b, F_OK), 0);
	char cases[300];
	path_in(f, cases, sizeof cases, "cases");
	assert_int_equal(t_count(cases), 1); /* the walk-in only */
}

static void check_rejected(fixture *f, const char *b, const uint8_t *bytes, size_t n,
                           const char *cases)
{
	ferry_err e;
	ferry_open_result r;
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	if (r.outcome != FERRY_OUT_CORRUPT && r.outcome != FERRY_OUT_UNKNOWN)
		fail_msg("outcome %s for a damaged bundle",
		         ferry_outcome_name(r.outcome));
	assert_int_equal(t_count(cases), 0);
	size_t qn;
	uint8_t *q = t_read(r.moved_to, &qn);
	assert_non_null(q);
	assert_int_equal(qn, n);
	assert_memory_equal(q, bytes, n);
	free(q);
	char reason[FERRY_PATH_MAX];
	snprintf(reason, sizeof reason, "%.*s.reason",
	         (int)(strlen(r.moved_to) - strlen(".bundle")), r.moved_to);
	assert_int_equal(access(reason, F_OK), 0);
	unlink(r.moved_to);
	unlink(reason);
}

static void tamper_sweep_every_byte(void **state)
{
	ferry_err e;
	fixture *f = *state;
	char b[300], cases[300];
	size_t n;
	snprintf(b, sizeof b, "%s/bundle", f->dir);
	path_in(f, cases, sizeof cases, "cases");
	seal_to(f, 2, 0, b);
	uint8_t *orig = t_read(b, &n);
	assert_int_equal(n, 65536);
	uint8_t *m = malloc(n);
	for (size_t i = 0; i < n; i++) {
		memcpy(m, orig, n);
		m[i] ^= (uint8_t)(1 + i % 255);
		assert_int_equal(t_write(b, m, n), 0);
		check_rejected(f, b, m, n, cases);
	}
	/* Untouched, it opens: the sweep did not pass for a broken reason. */
	t_write(b, orig, n);
	ferry_open_result r;
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_TESTIMONY);
	free(m);
	free(orig);
}

static void truncation_and_append_sweep(void **state)
{
	fixture *f = *state;
	char b[300], cases[300];
	size_t n;
	snprintf(b, sizeof b, "%s/bundle", f->dir);
	path_in(f, cases, sizeof cases, "cases");
	seal_to(f, 0, 150000, b); /* three chunks */
	uint8_t *orig = t_read(b, &n);
	assert_true(n > 2 * FERRY_CHUNK_CT_LEN);
	uint8_t *m = malloc(n + 65536);
	size_t cuts[32], nc = 0;
	cuts[nc++] = 0;
	cuts[nc++] = 1;
	cuts[nc++] = 32;
	cuts[nc++] = 64;
	cuts[nc++] = FERRY_PREFIX_LEN;
	for (size_t off = FERRY_PREFIX_LEN; off < n - 16; off += FERRY_CHUNK_CT_LEN) {
		cuts[nc++] = off;
		cuts[nc++] = off + 1;
	}
	cuts[nc++] = n - 16;
	cuts[nc++] = n - 1;
	for (size_t i = 0; i < nc; i++) {
		t_write(b, orig, cuts[i]);
		check_rejected(f, b, orig, cuts[i], cases);
	}
	static const size_t extra[] = {1, 16, 17, 4096, 65536};
	memcpy(m, orig, n);
	memset(m + n, 0, 65536);
	for (size_t i = 0; i < 5; i++) {
		t_write(b, m, n + extra[i]);
		check_rejected(f, b, m, n + extra[i], cases);
	}
	/* Two chunks swapped. */
	memcpy(m, orig, n);
	memcpy(m + FERRY_PREFIX_LEN, orig + FERRY_PREFIX_LEN + FERRY_CHUNK_CT_LEN,
	       FERRY_CHUNK_CT_LEN);
	memcpy(m + FERRY_PREFIX_LEN + FERRY_CHUNK_CT_LEN, orig + FERRY_PREFIX_LEN,
	       FERRY_CHUNK_CT_LEN);
	t_write(b, m, n);
	check_rejected(f, b, m, n, cases);
	free(m);
	free(orig);
}

static void recovers_after_crash_before_vault_save(void **state)
{
	fixture *f = *state;
	ferry_err e;
	char b[300], vault[300], saved[300], cases[300];
	size_t n, vn;
	snprintf(b, sizeof b, "%s/intake/crash", f->desk);
	path_in(f, vault, sizeof vault, "vault");
	path_in(f, cases, sizeof cases, "cases");
	snprintf(saved, sizeof saved, "%s/vault.before", f->dir);
	seal_to(f, 0, 0, b);
	uint8_t *bytes = t_read(b, &n);
	uint8_t *vb = t_read(vault, &vn);
	ferry_open_result r;
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_TESTIMONY);
	/* As if the process died after the log entry, before the vault write
	 * and before the bundle was removed. */
	ferry_desk_close(f->d);
	t_write(vault, vb, vn);
	t_write(b, bytes, n);
	unlock(f);
	assert_int_equal(f->d->v->log_count, 0);
	uint64_t cnt;
	assert_int_not_equal(ferry_desk_log_verify(f->d, NULL, NULL, &cnt, &e), 0);
	assert_int_equal(ferry_desk_recover(f->d, &e), 0);
	assert_int_equal(f->d->v->log_count, 1);
	static const uint8_t zero[32];
	assert_memory_equal(f->d->v->packs[f->pack].forms[0].opk_sk, zero, 32);
	assert_int_equal(ferry_desk_log_verify(f->d, NULL, NULL, &cnt, &e), 0);
	/* The bundle left in intake is recognized, not opened twice. */
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_ANSWERED);
	assert_int_equal(t_count(cases), 1);
	assert_int_equal(f->d->v->log_count, 1);
	free(bytes);
	free(vb);
}

static void torn_log_entry_is_cut_off(void **state)
{
	fixture *f = *state;
	char b[300], logp[300];
	size_t n;
	snprintf(b, sizeof b, "%s/intake/t", f->desk);
	path_in(f, logp, sizeof logp, "log");
	seal_to(f, 1, 0, b);
	/* A crash in the middle of appending: half an entry at the end. */
	uint8_t *log = t_read(logp, &n);
	uint8_t junk[40];
	memset(junk, 0xab, sizeof junk);
	junk[0] = 200; /* a length that runs past the end */
	junk[1] = junk[2] = junk[3] = 0;
	FILE *fp = fopen(logp, "ab");
	fwrite(junk, 1, sizeof junk, fp);
	fclose(fp);
	ferry_err e;
	uint64_t cnt;
	assert_int_not_equal(ferry_desk_log_verify(f->d, NULL, NULL, &cnt, &e), 0);
	assert_non_null(strstr(e.msg, "partial"));
	assert_int_equal(ferry_desk_recover(f->d, &e), 0);
	size_t n2;
	uint8_t *log2 = t_read(logp, &n2);
	assert_int_equal(n2, n);
	assert_memory_equal(log, log2, n);
	ferry_open_result r;
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_TESTIMONY);
	assert_int_equal(ferry_desk_log_verify(f->d, NULL, NULL, &cnt, &e), 0);
	assert_int_equal(cnt, 1);
	free(log);
	free(log2);
}

static void vault_of_another_desk(void **state)
{
	fixture *f = *state;
	char other[300], ov[350], mine[300];
	ferry_err e;
	snprintf(other, sizeof other, "%s/other", f->dir);
	assert_int_equal(
	    ferry_desk_init(other, PASS, strlen(PASS), FERRY_KDF_INTERACTIVE, NULL, &e),
	    0);
	snprintf(ov, sizeof ov, "%s/vault", other);
	path_in(f, mine, sizeof mine, "vault");
	size_t n;
	uint8_t *v = t_read(ov, &n);
	ferry_desk_close(f->d);
	f->d = NULL;
	t_write(mine, v, n);
	free(v);
	ferry_desk *d = NULL;
	assert_int_equal(ferry_desk_unlock(&d, f->desk, PASS, strlen(PASS), &e),
	                 FERRY_EVERIFY);
	assert_non_null(strstr(e.msg, "another desk"));
	assert_int_equal(ferry_desk_unlock(&d, f->desk, "nope", 4, &e), FERRY_EVERIFY);
	assert_non_null(strstr(e.msg, "passphrase"));
	/* Leave a desk that teardown can close. */
	assert_int_equal(ferry_desk_unlock(&f->d, other, PASS, strlen(PASS), &e), 0);
}

/* A pack with a grace period: a second testimony for a form opens next
 * to the first and both say so; the very same bundle again is a
 * duplicate; after the period the key goes, and a crash between the
 * destruction's log entry and the vault is finished by recovery. */
static void grace_second_answer_and_expiry(void **state)
{
	fixture *f = *state;
	ferry_err e;
	ferry_issue_result ir;
	ferry_open_result r;
	char b[300], b2[300], man[500];
	assert_int_equal(ferry_desk_issue(f->d, 2, "grace", 0, &rules14, NULL, NULL, &ir, &e),
	                 0);
	f->pack = ir.index;
	ferry_vault_pack_public(f->d->v, f->pack, &f->pub);
	snprintf(b, sizeof b, "%s/intake/a", f->desk);
	snprintf(b2, sizeof b2, "%s/intake/b", f->desk);
	seal_to(f, 0, 0, b);
	seal_to(f, 0, 10, b2);
	size_t n;
	uint8_t *first = t_read(b, &n);
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_TESTIMONY);
	assert_int_equal(r.answer, 1);
	t_write(b, first, n);
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_DUPLICATE);
	assert_int_equal(ferry_desk_open_bundle(f->d, b2, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_TESTIMONY);
	assert_int_equal(r.answer, 2);
	char code[16];
	ferry_form_code_text(code, f->pub.forms[0].code);
	char want[64];
	snprintf(want, sizeof want, "%s.2", code);
	assert_string_equal(r.case_name, want);
	snprintf(man, sizeof man, "%s/cases/%s/manifest.txt", f->desk, code);
	size_t mn;
	char *m = (char *)t_read(man, &mn);
	assert_non_null(strstr(m, "answered-twice: WARNING"));
	free(m);
	assert_false(sodium_is_zero(f->d->v->packs[f->pack].forms[0].opk_sk, 32));
	/* Fifteen days on, with a crash after the destruction was logged and
	 * before the vault was saved. */
	char vault[300];
	path_in(f, vault, sizeof vault, "vault");
	size_t vn;
	uint8_t *vb = t_read(vault, &vn);
	char later[32];
	snprintf(later, sizeof later, "%llu",
	         (unsigned long long)ferry_now() + 15 * 86400ull);
	setenv("FERRY_TEST_NOW", later, 1);
	ferry_expire_report xr;
	assert_int_equal(ferry_desk_expire(f->d, ferry_now(), &xr, &e), 0);
	assert_int_equal(xr.forms, 1);
	ferry_desk_close(f->d);
	t_write(vault, vb, vn);
	unlock(f);
	assert_false(sodium_is_zero(f->d->v->packs[f->pack].forms[0].opk_sk, 32));
	assert_int_equal(ferry_desk_recover(f->d, &e), 0);
	assert_true(sodium_is_zero(f->d->v->packs[f->pack].forms[0].opk_sk, 32));
	assert_int_equal(f->d->v->packs[f->pack].forms[0].state, FERRY_FORM_CLOSED);
	assert_int_equal(ferry_desk_expire(f->d, ferry_now(), &xr, &e), 0);
	assert_int_equal(xr.forms, 0); /* already done, not twice */
	t_write(b, first, n);
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_ANSWERED);
	uint64_t cnt;
	assert_int_equal(ferry_desk_log_verify(f->d, NULL, NULL, &cnt, &e), 0);
	assert_int_equal(cnt, 3);
	unsetenv("FERRY_TEST_NOW");
	free(first);
	free(vb);
}

/* A pack past its expiry and grace: its bundles are quarantined as
 * expired, and the sweep destroys its keys. */
static void expired_pack(void **state)
{
	fixture *f = *state;
	ferry_err e;
	ferry_issue_result ir;
	ferry_open_result r;
	char b[300];
	uint32_t today = ferry_today();
	assert_int_equal(
	    ferry_desk_issue(f->d, 1, "short", today, &rules1, NULL, NULL, &ir, &e), 0);
	f->pack = ir.index;
	ferry_vault_pack_public(f->d->v, f->pack, &f->pub);
	snprintf(b, sizeof b, "%s/intake/late", f->desk);
	seal_to(f, -1, 0, b);
	char later[32];
	snprintf(later, sizeof later, "%llu",
	         (unsigned long long)(today + 3) * 86400ull);
	setenv("FERRY_TEST_NOW", later, 1);
	assert_int_equal(ferry_desk_open_bundle(f->d, b, &r, &e), 0);
	assert_int_equal(r.outcome, FERRY_OUT_EXPIRED);
	assert_non_null(strstr(r.detail, "pack expired"));
	ferry_expire_report xr;
	assert_int_equal(ferry_desk_expire(f->d, ferry_now(), &xr, &e), 0);
	assert_int_equal(xr.packs, 1);
	assert_int_equal(f->d->v->packs[f->pack].state, FERRY_PACK_RETIRED);
	assert_true(sodium_is_zero(f->d->v->packs[f->pack].spk_sk, 32));
	unsetenv("FERRY_TEST_NOW");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(testimony_then_answered, setup, teardown),
	    cmocka_unit_test_setup_teardown(walkin_duplicate_chaff_unknown_empty, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(tamper_sweep_every_byte, setup, teardown),
	    cmocka_unit_test_setup_teardown(truncation_and_append_sweep, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(recovers_after_crash_before_vault_save,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(torn_log_entry_is_cut_off, setup, teardown),
	    cmocka_unit_test_setup_teardown(vault_of_another_desk, setup, teardown),
	    cmocka_unit_test_setup_teardown(grace_second_answer_and_expiry, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(expired_pack, setup, teardown),
	};
	return cmocka_run_group_tests_name("desk intake", tests, NULL, NULL);
}
