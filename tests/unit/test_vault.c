#include "../support/t.h"

#include <sodium.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../store/vault.h"

static const char PASS[] = "correct horse";

static void save_load_roundtrip(void **s)
{
	(void)s;
	char *dir = t_mkdtemp(), path[256];
	snprintf(path, sizeof path, "%s/vault", dir);
	ferry_vault *v = ferry_vault_create(FERRY_KDF_INTERACTIVE, PASS, strlen(PASS));
	assert_non_null(v);
	uint32_t idx;
	assert_int_equal(ferry_vault_add_pack(v, 4, "given to B", 20000, 14, &idx), 0);
	assert_int_equal(ferry_vault_add_pack(v, 1, "", 0, 0, &idx), 0);
	assert_int_equal(idx, 1);
	assert_int_equal(ferry_vault_save(v, path, NULL), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	ferry_vault *w = NULL;
	ferry_err err;
	assert_int_equal(ferry_vault_load(&w, path, PASS, strlen(PASS), &err), 0);
	assert_memory_equal(v->id_sk, w->id_sk, 64);
	assert_memory_equal(&v->relay, &w->relay, sizeof v->relay);
	assert_memory_equal(v->chaff_sk, w->chaff_sk, 32);
	assert_int_equal(w->npacks, 2);
	assert_string_equal(w->packs[0].label, "given to B");
	assert_int_equal(w->packs[0].nforms, 4);
	assert_memory_equal(v->packs[0].forms[3].opk_sk, w->packs[0].forms[3].opk_sk,
	                    32);
	/* Form codes are unique across the vault. */
	for (int a = 0; a < 4; a++)
		assert_memory_not_equal(w->packs[0].forms[a].code,
		                        w->packs[1].forms[0].code, 5);
	ferry_vault_free(w);

	assert_int_equal(ferry_vault_load(&w, path, "wrong", 5, &err), FERRY_EVERIFY);
	assert_null(w);
	assert_non_null(strstr(err.msg, "passphrase"));

	/* Any altered byte: refused, never a partly trusted vault. */
	size_t n;
	uint8_t *b = t_read(path, &n);
	char alt[256];
	snprintf(alt, sizeof alt, "%s/alt", dir);
	for (size_t i = 0; i < n; i += (i < 80 ? 1 : 97)) {
		b[i] ^= 1;
		t_write(alt, b, n);
		assert_int_not_equal(
		    ferry_vault_load(&w, alt, PASS, strlen(PASS), &err), 0);
		assert_null(w);
		b[i] ^= 1;
	}
	t_write(alt, b, 10);
	assert_int_equal(ferry_vault_load(&w, alt, PASS, strlen(PASS), &err), -2);
	t_write(alt, "", 0);
	assert_int_equal(ferry_vault_load(&w, alt, PASS, strlen(PASS), &err), -2);
	free(b);
	ferry_vault_free(v);
	t_rmdir(dir);
	free(dir);
}

static void answering_destroys_keys(void **s)
{
	(void)s;
	ferry_vault *v = ferry_vault_create(FERRY_KDF_INTERACTIVE, PASS, strlen(PASS));
	uint32_t p;
	static const uint8_t zero[32];
	uint8_t seen1[16], seen2[16];
	randombytes_buf(seen1, 16);
	randombytes_buf(seen2, 16);
	assert_int_equal(ferry_vault_add_pack(v, 2, "x", 0, 0, &p), 0);
	assert_int_equal(ferry_vault_mark_answered(v, p, 0, seen1, 1000, 1), 0);
	assert_memory_equal(v->packs[p].forms[0].opk_sk, zero, 32);
	assert_memory_not_equal(v->packs[p].forms[1].opk_sk, zero, 32);
	assert_int_equal(v->packs[p].forms[0].answered_at, 1000);
	assert_true(ferry_vault_has_seen(v, p, seen1));
	assert_false(ferry_vault_has_seen(v, p, seen2));
	assert_int_equal(v->packs[p].state, FERRY_PACK_ACTIVE);
	/* The last form answered retires the pack: SPK secret gone too. */
	assert_int_equal(ferry_vault_mark_answered(v, p, 1, seen2, 2000, 1), 0);
	assert_int_equal(v->packs[p].state, FERRY_PACK_RETIRED);
	assert_memory_equal(v->packs[p].spk_sk, zero, 32);
	assert_int_equal(v->packs[p].nseen, 0);
	ferry_vault_free(v);
}

/* The grace period keeps a form's key after its first answer; then it
 * goes, and a pack's keys go when it expired and its grace is over. */
static void grace_and_expiry(void **s)
{
	(void)s;
	ferry_vault *v = ferry_vault_create(FERRY_KDF_INTERACTIVE, PASS, strlen(PASS));
	uint32_t p;
	uint8_t seen1[16], seen2[16];
	randombytes_buf(seen1, 16);
	randombytes_buf(seen2, 16);
	const uint64_t t0 = 20000ull * 86400;
	assert_int_equal(ferry_vault_add_pack(v, 2, "x", 20010, 14, &p), 0);
	ferry_vault_pack *pk = &v->packs[p];
	assert_int_equal(ferry_vault_mark_answered(v, p, 0, seen1, t0, 1), 0);
	assert_int_equal(pk->forms[0].state, FERRY_FORM_GRACE);
	assert_false(sodium_is_zero(pk->forms[0].opk_sk, 32));
	assert_int_equal(ferry_vault_mark_answered(v, p, 0, seen2, t0 + 100, 1), 0);
	assert_int_equal(pk->forms[0].answers, 2);
	assert_int_equal(pk->forms[0].answered_at, t0); /* the first answer's time */
	assert_false(ferry_vault_form_due(pk, &pk->forms[0], t0 + 14 * 86400 - 1));
	assert_true(ferry_vault_form_due(pk, &pk->forms[0], t0 + 14 * 86400));
	ferry_vault_close_form(v, p, 0);
	assert_int_equal(pk->forms[0].state, FERRY_FORM_CLOSED);
	assert_true(sodium_is_zero(pk->forms[0].opk_sk, 32));
	assert_int_equal(pk->state, FERRY_PACK_ACTIVE); /* form 1 is still open */
	/* Expires at the end of day 20010, its keys go 14 days later. */
	assert_false(ferry_vault_pack_expired(pk, (20010ull + 15) * 86400 - 1));
	assert_true(ferry_vault_pack_expired(pk, (20010ull + 15) * 86400));
	ferry_vault_retire(v, p);
	assert_true(sodium_is_zero(pk->spk_sk, 32));
	assert_true(sodium_is_zero(pk->forms[1].opk_sk, 32));
	/* No expiry date: never expires. */
	assert_int_equal(ferry_vault_add_pack(v, 1, "y", 0, 14, &p), 0);
	assert_false(ferry_vault_pack_expired(&v->packs[p], UINT64_MAX / 2));
	assert_int_not_equal(
	    ferry_vault_add_pack(v, 1, "z", 0, FERRY_GRACE_MAX + 1, &p), 0);
	ferry_vault_free(v);
}

static void relay_keys_rotate(void **s)
{
	(void)s;
	ferry_vault *v = ferry_vault_create(FERRY_KDF_INTERACTIVE, PASS, strlen(PASS));
	uint8_t first[32], pk[32];
	assert_int_equal(v->relay.n, 1);
	memcpy(first, v->relay.pk[0], 32);
	assert_int_equal(crypto_scalarmult_base(pk, v->relay.sk[0]), 0);
	assert_memory_equal(pk, first, 32);
	for (unsigned i = 1; i < FERRY_RELAY_KEYS_MAX; i++)
		assert_int_equal(ferry_vault_add_relay_key(v), 0);
	assert_int_not_equal(ferry_vault_add_relay_key(v), 0);
	uint8_t newest[32];
	memcpy(newest, v->relay.pk[FERRY_RELAY_KEYS_MAX - 1], 32);
	/* New packs carry the newest. */
	uint32_t p;
	ferry_pack *pub = malloc(sizeof *pub);
	assert_int_equal(ferry_vault_add_pack(v, 1, "x", 0, 0, &p), 0);
	ferry_vault_pack_public(v, p, pub);
	assert_memory_equal(pub->relay_pk, newest, 32);
	free(pub);
	ferry_vault_drop_old_relay_keys(v);
	assert_int_equal(v->relay.n, 1);
	assert_memory_equal(v->relay.pk[0], newest, 32);
	assert_true(sodium_is_zero(v->relay.sk[1], 32));
	ferry_vault_free(v);
}

/* A key the vault says is destroyed must read as zero: otherwise the
 * vault is refused rather than trusted. */
static void destroyed_keys_must_be_zero(void **s)
{
	(void)s;
	char *dir = t_mkdtemp(), path[256];
	snprintf(path, sizeof path, "%s/vault", dir);
	ferry_vault *v = ferry_vault_create(FERRY_KDF_INTERACTIVE, PASS, strlen(PASS)),
	            *w = NULL;
	uint32_t p;
	uint8_t seen[16] = {1};
	ferry_err err;
	assert_int_equal(ferry_vault_add_pack(v, 2, "x", 0, 0, &p), 0);
	assert_int_equal(ferry_vault_mark_answered(v, p, 0, seen, 1000, 1), 0);
	assert_int_equal(v->packs[p].forms[0].state, FERRY_FORM_CLOSED);
	assert_int_equal(ferry_vault_save(v, path, NULL), 0);
	assert_int_equal(ferry_vault_load(&w, path, PASS, strlen(PASS), &err), 0);
	ferry_vault_free(w);
	v->packs[p].forms[0].opk_sk[5] = 1;
	assert_int_equal(ferry_vault_save(v, path, NULL), 0);
	assert_int_equal(ferry_vault_load(&w, path, PASS, strlen(PASS), &err),
	                 FERRY_EVERIFY);
	assert_null(w);
	v->packs[p].forms[0].opk_sk[5] = 0;
	ferry_vault_retire(v, p);
	v->packs[p].spk_sk[0] = 1;
	assert_int_equal(ferry_vault_save(v, path, NULL), 0);
	assert_int_equal(ferry_vault_load(&w, path, PASS, strlen(PASS), &err),
	                 FERRY_EVERIFY);
	ferry_vault_free(v);
	t_rmdir(dir);
	free(dir);
}

static void refuses_bad_arguments(void **s)
{
	(void)s;
	ferry_vault *v = ferry_vault_create(FERRY_KDF_INTERACTIVE, PASS, strlen(PASS));
	uint32_t p;
	char longlabel[300];
	memset(longlabel, 'a', sizeof longlabel - 1);
	longlabel[299] = 0;
	assert_int_not_equal(ferry_vault_add_pack(v, 0, "x", 0, 0, &p), 0);
	assert_int_not_equal(ferry_vault_add_pack(v, 1001, "x", 0, 0, &p), 0);
	assert_int_not_equal(ferry_vault_add_pack(v, 1, longlabel, 0, 0, &p), 0);
	/* Each failure of mark_answered says which it is. */
	uint8_t seen[16] = {1};
	assert_int_equal(ferry_vault_add_pack(v, 1, "x", 0, 0, &p), 0);
	assert_int_equal(ferry_vault_mark_answered(v, p + 1, 0, seen, 1, 1), FERRY_VAULT_NO_SUCH);
	assert_int_equal(ferry_vault_mark_answered(v, p, 1, seen, 1, 1), FERRY_VAULT_NO_SUCH);
	v->packs[p].forms[0].answers = UINT32_MAX;
	assert_int_equal(ferry_vault_mark_answered(v, p, 0, seen, 1, 1), FERRY_VAULT_COUNT_FULL);
	assert_int_equal(v->packs[p].forms[0].answers, UINT32_MAX);
	assert_null(ferry_vault_create(7, PASS, strlen(PASS)));
	ferry_vault_free(v);
	assert_int_equal(ferry_kdf_level_parse("moderate"), FERRY_KDF_MODERATE);
	assert_int_equal(ferry_kdf_level_parse("weak"), -1);
}

/* A revocation survives a save and a load, a reader refuses a
 * revocation with no time or an over-long reason, and the seen list
 * stays a set, in order, whatever the insertion order. */
static void revocation_and_seen_list(void **s)
{
	(void)s;
	char *dir = t_mkdtemp(), path[256];
	snprintf(path, sizeof path, "%s/vault", dir);
	ferry_vault *v = ferry_vault_create(FERRY_KDF_INTERACTIVE, PASS, strlen(PASS));
	uint32_t p, q;
	ferry_err err;
	assert_int_equal(ferry_vault_add_pack(v, 1, "a", 0, 0, &p), 0);
	assert_int_equal(ferry_vault_add_pack(v, 1, "b", 0, 0, &q), 0);
	ferry_vault_revoke(v, q, 1764590000, "phone seized");
	uint8_t seen[300][16];
	for (int i = 0; i < 300; i++) {
		randombytes_buf(seen[i], 16);
		assert_int_equal(ferry_vault_add_seen(v, p, seen[i]), 0);
		assert_int_equal(ferry_vault_add_seen(v, p, seen[i]), 0); /* a set */
	}
	assert_int_equal(v->packs[p].nseen, 300);
	assert_int_equal(ferry_vault_save(v, path, NULL), 0);
	ferry_vault *w = NULL;
	assert_int_equal(ferry_vault_load(&w, path, PASS, strlen(PASS), &err), 0);
	assert_int_equal(w->packs[q].revoked_at, 1764590000);
	assert_string_equal(w->packs[q].revoke_reason, "phone seized");
	assert_int_equal(w->packs[q].state, FERRY_PACK_ACTIVE);
	assert_int_equal(w->packs[p].revoked_at, 0);
	assert_int_equal(w->packs[p].nseen, 300);
	for (uint32_t i = 1; i < w->packs[p].nseen; i++)
		assert_true(memcmp(w->packs[p].seen[i - 1], w->packs[p].seen[i], 16) <
		            0);
	for (int i = 0; i < 300; i++)
		assert_true(ferry_vault_has_seen(w, p, seen[i]));
	uint8_t other[16];
	randombytes_buf(other, 16);
	assert_false(ferry_vault_has_seen(w, p, other));
	/* Retiring a revoked pack keeps the revocation, drops the keys. */
	ferry_vault_retire(w, q);
	assert_int_equal(ferry_vault_save(w, path, NULL), 0);
	ferry_vault_free(w);
	assert_int_equal(ferry_vault_load(&w, path, PASS, strlen(PASS), &err), 0);
	assert_int_equal(w->packs[q].state, FERRY_PACK_RETIRED);
	assert_string_equal(w->packs[q].revoke_reason, "phone seized");
	ferry_vault_free(w);
	ferry_vault_free(v);
	t_rmdir(dir);
	free(dir);
}

/* The vault's plaintext as saved: decrypted with the file key. */
static uint8_t *plaintext(const ferry_vault *v, const char *path, size_t *plen,
                          uint8_t *layout)
{
	size_t n;
	uint8_t *b = t_read(path, &n);
	*plen = ferry_vault_plain_len(n);
	uint8_t *m = malloc(*plen);
	assert_non_null(m);
	assert_int_equal(ferry_vault_decrypt(v, b, n, m), 0);
	*layout = b[10]; /* after the magic, the algorithm and the level */
	free(b);
	return m;
}

/* A pack's questions survive a save and a load with their paper and
 * language; text that is not UTF-8 lines is refused on the way in and
 * on the way back; a vault of layout 2 (no questions field) still
 * reads, and the same bytes read as layout 3 do not. */
static void questions_kept_and_old_layouts(void **s)
{
	(void)s;
	static const char Q[] = "Conditions\n> No names.\nHow many hours?\t [4]\n";
	char *dir = t_mkdtemp(), path[256];
	snprintf(path, sizeof path, "%s/vault", dir);
	ferry_vault *v = ferry_vault_create(FERRY_KDF_INTERACTIVE, PASS, strlen(PASS));
	uint32_t p, q;
	ferry_err err;
	assert_int_equal(ferry_vault_add_pack(v, 1, "plain", 0, 0, &p), 0);
	assert_int_equal(ferry_vault_save(v, path, NULL), 0);
	/* One pack, no questions: the 4-byte length is the last of the pack,
	 * before the last attestation (32 + 8) and one wrap key (1 + 72). */
	size_t n;
	uint8_t layout;
	uint8_t *m = plaintext(v, path, &n, &layout);
	assert_int_equal(layout, FERRY_VAULT_PLAIN_V3);
	size_t at = n - (32 + 8 + 1 + 72) - 4;
	assert_memory_equal(m + at, "\0\0\0\0", 4);
	memmove(m + at, m + at + 4, n - at - 4);
	ferry_vault *old = ferry_vault_alloc();
	old->plain_version = FERRY_VAULT_PLAIN_V2;
	assert_int_equal(ferry_vault_parse_plain(old, m, n - 4), 0);
	assert_memory_equal(old->packs[0].forms[0].opk_sk, v->packs[p].forms[0].opk_sk, 32);
	assert_null(old->packs[0].questions);
	ferry_vault_free(old);
	old = ferry_vault_alloc();
	old->plain_version = FERRY_VAULT_PLAIN_V3;
	assert_int_equal(ferry_vault_parse_plain(old, m, n - 4), -1); /* malformed, not memory */
	ferry_vault_free(old);
	free(m);

	assert_int_equal(ferry_vault_add_pack(v, 2, "asked", 0, 0, &q), 0);
	assert_int_equal(ferry_vault_set_questions(v, q, "a\x1b[2J", 7, 0, 0), -1); /* refused, not memory */
	assert_int_equal(ferry_vault_set_questions(v, q, "a\xff", 2, 0, 0), -1); /* refused, not memory */
	assert_int_equal(ferry_vault_set_questions(v, q, "a\r\n", 3, 0, 0), -1); /* refused, not memory */
	assert_int_equal(ferry_vault_set_questions(v, q, Q, 0, 0, 0), -1); /* refused, not memory */
	assert_int_equal(ferry_vault_set_questions(v, q, Q, strlen(Q), 2, 0), -1); /* refused, not memory */
	assert_int_equal(ferry_vault_set_questions(v, q, Q, strlen(Q), 0, 3), -1); /* refused, not memory */
	assert_int_equal(ferry_vault_set_questions(v, 9, Q, strlen(Q), 0, 0), -1); /* refused, not memory */
	assert_int_equal(ferry_vault_set_questions(v, q, Q, FERRY_VAULT_QUESTIONS_MAX + 1, 0, 0), -1); /* refused, not memory */
	assert_null(v->packs[q].questions);
	assert_int_equal(ferry_vault_set_questions(v, q, Q, strlen(Q), 1, 2), 0);
	ferry_vault_retire(v, q); /* not a key: kept */
	assert_int_equal(ferry_vault_save(v, path, NULL), 0);
	ferry_vault *w = NULL;
	assert_int_equal(ferry_vault_load(&w, path, PASS, strlen(PASS), &err), 0);
	assert_null(w->packs[p].questions);
	assert_string_equal(w->packs[q].questions, Q);
	assert_int_equal(w->packs[q].questions_len, strlen(Q));
	assert_int_equal(w->packs[q].questions_paper, 1);
	assert_int_equal(w->packs[q].questions_lang, 2);
	ferry_vault_free(w);

	/* The same text with a byte that is not UTF-8, or a language out of
	 * range, is refused when read back. */
	m = plaintext(v, path, &n, &layout);
	uint8_t *t = memmem(m, n, Q, strlen(Q));
	assert_non_null(t);
	t[1] = 0xff;
	w = ferry_vault_alloc();
	w->plain_version = FERRY_VAULT_PLAIN_V3;
	assert_int_equal(ferry_vault_parse_plain(w, m, n), -1); /* malformed, not memory */
	ferry_vault_free(w);
	t[1] = 'o';
	t[-1] = 3;
	w = ferry_vault_alloc();
	w->plain_version = FERRY_VAULT_PLAIN_V3;
	assert_int_equal(ferry_vault_parse_plain(w, m, n), -1); /* malformed, not memory */
	ferry_vault_free(w);
	t[-1] = 2;
	w = ferry_vault_alloc();
	w->plain_version = FERRY_VAULT_PLAIN_V3;
	assert_int_equal(ferry_vault_parse_plain(w, m, n), 0);
	ferry_vault_free(w);
	free(m);
	ferry_vault_free(v);
	t_rmdir(dir);
	free(dir);
}

/* A vault that cannot be read for lack of memory is not called
 * malformed: a journalist told "damaged" might give up on it. The parse
 * runs in a child whose address space cannot grow by the 1000 forms'
 * keys. (Not under ASan or TSan, whose runtimes map memory of their own
 * and fail first under such a limit.) */
static void parse_without_memory(void **s)
{
	(void)s;
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	skip();
#endif
	char *dir = t_mkdtemp(), path[256];
	snprintf(path, sizeof path, "%s/vault", dir);
	ferry_vault *v = ferry_vault_create(FERRY_KDF_INTERACTIVE, PASS, strlen(PASS));
	assert_non_null(v);
	uint32_t p;
	assert_int_equal(ferry_vault_add_pack(v, FERRY_FORMS_MAX, "big", 0, 0, &p), 0);
	assert_int_equal(ferry_vault_save(v, path, NULL), 0);
	size_t n;
	uint8_t layout;
	uint8_t *m = plaintext(v, path, &n, &layout);
	ferry_vault *w = ferry_vault_alloc();
	assert_non_null(w);
	w->plain_version = layout;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Room for the stack to grow a little, not for the forms. */
		long pages = -1;
		FILE *f = fopen("/proc/self/statm", "r");
		if (!f || fscanf(f, "%ld", &pages) != 1)
			_exit(3);
		fclose(f);
		rlim_t as = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + (16u << 10);
		struct rlimit rl = {as, as};
		if (setrlimit(RLIMIT_AS, &rl) != 0)
			_exit(4);
		_exit(ferry_vault_parse_plain(w, m, n) == FERRY_VAULT_NO_MEMORY ? 0 : 1);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	/* With its memory, the same bytes parse. */
	assert_int_equal(ferry_vault_parse_plain(w, m, n), 0);
	assert_int_equal(w->packs[0].nforms, FERRY_FORMS_MAX);
	ferry_vault_free(w);
	free(m);
	ferry_vault_free(v);
	t_rmdir(dir);
	free(dir);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(save_load_roundtrip),
	    cmocka_unit_test(answering_destroys_keys),
	    cmocka_unit_test(grace_and_expiry),
	    cmocka_unit_test(relay_keys_rotate),
	    cmocka_unit_test(destroyed_keys_must_be_zero),
	    cmocka_unit_test(refuses_bad_arguments),
	    cmocka_unit_test(revocation_and_seen_list),
	    cmocka_unit_test(questions_kept_and_old_layouts),
	    cmocka_unit_test(parse_without_memory)};
	return cmocka_run_group_tests_name("vault", tests, NULL, NULL);
}
