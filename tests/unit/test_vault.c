#include "../support/t.h"

#include <sodium.h>
#include <sys/stat.h>

#include "../../desk/vault.h"

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
	assert_int_equal(ferry_vault_save(v, path), 0);
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

	assert_int_equal(ferry_vault_load(&w, path, "wrong", 5, &err), -1);
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
	assert_int_equal(ferry_vault_mark_answered(v, p, 0, seen1, 1000), 0);
	assert_memory_equal(v->packs[p].forms[0].opk_sk, zero, 32);
	assert_memory_not_equal(v->packs[p].forms[1].opk_sk, zero, 32);
	assert_int_equal(v->packs[p].forms[0].answered_at, 1000);
	assert_true(ferry_vault_has_seen(v, p, seen1));
	assert_false(ferry_vault_has_seen(v, p, seen2));
	assert_int_equal(v->packs[p].state, FERRY_PACK_ACTIVE);
	/* The last form answered retires the pack: SPK secret gone too. */
	assert_int_equal(ferry_vault_mark_answered(v, p, 1, seen2, 2000), 0);
	assert_int_equal(v->packs[p].state, FERRY_PACK_RETIRED);
	assert_memory_equal(v->packs[p].spk_sk, zero, 32);
	assert_int_equal(v->packs[p].nseen, 0);
	ferry_vault_free(v);
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
	assert_null(ferry_vault_create(7, PASS, strlen(PASS)));
	ferry_vault_free(v);
	assert_int_equal(ferry_kdf_level_parse("moderate"), FERRY_KDF_MODERATE);
	assert_int_equal(ferry_kdf_level_parse("weak"), -1);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {cmocka_unit_test(save_load_roundtrip),
	                                   cmocka_unit_test(answering_destroys_keys),
	                                   cmocka_unit_test(refuses_bad_arguments)};
	return cmocka_run_group_tests_name("vault", tests, NULL, NULL);
}
