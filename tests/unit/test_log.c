#include "../support/t.h"

#include <errno.h>
#include <sodium.h>

#include "../../store/log.h"

typedef struct {
	int n;
	char last[256];
} seen_t;

static int visit(void *u, uint64_t seq, const char *text)
{
	seen_t *s = u;
	assert_int_equal(seq, (uint64_t)s->n);
	s->n++;
	snprintf(s->last, sizeof s->last, "%s", text);
	return 0;
}

/* A new log at DIR/log for a random desk id and key, and the path of
 * DIR/other beside it; returns DIR. */
static char *new_log(char path[256], char other[256], const char *other_name,
                     uint8_t id[32], uint8_t key[32])
{
	char *dir = t_mkdtemp();
	snprintf(path, 256, "%s/log", dir);
	snprintf(other, 256, "%s/%s", dir, other_name);
	randombytes_buf(id, 32);
	randombytes_buf(key, 32);
	assert_int_equal(ferry_log_create(path, id), 0);
	return dir;
}

static void chain_verifies_and_detects(void **st)
{
	(void)st;
	char path[256], alt[256];
	uint8_t id[32], key[32], head[32], head2[32];
	char *dir = new_log(path, alt, "alt", id, key);
	assert_int_not_equal(ferry_log_create(path, id), 0); /* no overwrite */
	ferry_log_start(head, id);
	uint64_t count = 0;
	uint8_t heads[6][32];
	size_t sizes[6];
	for (int i = 0; i < 5; i++) {
		char text[64];
		memcpy(heads[i], head, 32);
		size_t n;
		free(t_read(path, &n));
		sizes[i] = n;
		snprintf(text, sizeof text, "entry %d: form K7QF-M2XA", i);
		assert_int_equal(ferry_log_append(path, key, id, &count, head, text),
		                 0);
	}
	memcpy(heads[5], head, 32);
	free(t_read(path, &sizes[5]));
	ferry_log_state r;
	ferry_err err;
	seen_t s = {0};
	assert_int_equal(ferry_log_walk(path, key, id, 5, head, visit, &s, &r, &err),
	                 0);
	assert_int_equal(r.count, 5);
	assert_true(r.head_matched);
	assert_false(r.torn_tail);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.last, "entry 4: form K7QF-M2XA");

	size_t n;
	uint8_t *b = t_read(path, &n);
	/* Truncation to an entry boundary verifies as a chain, but the head
	 * recorded in the vault is not reached: detected. */
	t_write(alt, b, sizes[3]);
	assert_int_equal(ferry_log_walk(alt, key, id, 5, head, NULL, NULL, &r, &err),
	                 0);
	assert_int_equal(r.count, 3);
	assert_false(r.head_matched);
	/* A torn last entry. */
	t_write(alt, b, n - 3);
	assert_int_equal(
	    ferry_log_walk(alt, key, id, 4, heads[4], NULL, NULL, &r, &err), 0);
	assert_true(r.torn_tail);
	assert_true(r.head_matched);
	assert_int_equal(r.good_end, sizes[4]);
	/* Any flipped byte after the header: an entry fails or the chain
	 * misses the head. */
	for (size_t i = 40; i < n; i++) {
		b[i] ^= 0x10;
		t_write(alt, b, n);
		int rc = ferry_log_walk(alt, key, id, 5, head, NULL, NULL, &r, &err);
		assert_true(rc != 0 || !r.head_matched || r.count != 5);
		b[i] ^= 0x10;
	}
	/* Another desk's log, or the wrong key. */
	uint8_t id2[32], key2[32];
	randombytes_buf(id2, 32);
	randombytes_buf(key2, 32);
	assert_int_not_equal(
	    ferry_log_walk(path, key, id2, 5, head, NULL, NULL, &r, &err), 0);
	assert_int_not_equal(
	    ferry_log_walk(path, key2, id, 5, head, NULL, NULL, &r, &err), 0);
	/* Entries swapped: fails. */
	memcpy(head2, head, 32);
	free(b);
	t_rmdir(dir);
	free(dir);
}

/* An append that cannot be made says why in errno, and leaves the log
 * as it was: a text over the bound (EMSGSIZE), a log that is not a
 * regular file (EINVAL), a log that is gone (ENOENT). */
static void append_refusals_name_their_cause(void **st)
{
	(void)st;
	char path[256], gone[256];
	uint8_t id[32], key[32], head[32], before[32];
	char *dir = new_log(path, gone, "gone", id, key);
	ferry_log_start(head, id);
	memcpy(before, head, 32);
	uint64_t count = 0;
	size_t n0, n1;
	free(t_read(path, &n0));
	char *big = malloc(FERRY_LOG_ENTRY_MAX + 2);
	assert_non_null(big);
	memset(big, 'a', FERRY_LOG_ENTRY_MAX + 1);
	big[FERRY_LOG_ENTRY_MAX + 1] = '\0';
	errno = 0;
	assert_int_equal(ferry_log_append(path, key, id, &count, head, big), -1);
	assert_int_equal(errno, EMSGSIZE);
	free(big);
	errno = 0;
	assert_int_equal(ferry_log_append("/dev/null", key, id, &count, head, "x"), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(ferry_log_append(gone, key, id, &count, head, "x"), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(count, 0);
	assert_memory_equal(head, before, 32);
	free(t_read(path, &n1));
	assert_int_equal(n1, n0);
	t_rmdir(dir);
	free(dir);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(chain_verifies_and_detects),
	    cmocka_unit_test(append_refusals_name_their_cause)};
	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
