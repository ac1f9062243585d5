/* opening/openpipe: the payload opened on 0..7 worker threads is the same
 * plaintext, in order; a bundle altered anywhere, or cut, is refused,
 * and nothing of a chunk that does not verify reaches the sink. */
#include "../support/t.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include "../../opening/openpipe.h"
#include "../../seal/sealpipe.h"

static uint8_t spk_pk[32], spk_sk[32];
static ferry_relay_keys relay;

typedef struct {
	t_buf out;
	int fail_at; /* the sink fails at this call (from 1), 0 never */
	int calls;
} sink_state;

static int sink(void *u, const uint8_t *p, size_t n, ferry_err *e)
{
	sink_state *s = u;
	if (++s->calls == s->fail_at)
		return ferry_fail(e, FERRY_EOP, "the sink is full");
	return t_buf_write(&s->out, p, n) == 0 ? FERRY_OK : FERRY_EOP;
}

static t_buf seal(const uint8_t *msg, size_t n)
{
	t_buf b = {0};
	uint64_t len;
	ferry_sealpipe *s = ferry_sealpipe_create(1);
	assert_int_equal(ferry_sealpipe_begin(s, FERRY_KIND_WALKIN, FERRY_NO_FORM,
	                                      spk_pk, NULL, relay.pk[0], t_buf_write,
	                                      &b),
	                 0);
	assert_int_equal(ferry_sealpipe_update(s, msg, n), 0);
	assert_int_equal(ferry_sealpipe_finish(s, &len), 0);
	ferry_sealpipe_free(s);
	return b;
}

/* Opens the bundle in path with workers threads; the sink's output in
 * st. */
static int open_file(const char *path, unsigned workers, sink_state *st)
{
	ferry_err e;
	uint8_t prefix[FERRY_PREFIX_LEN];
	int fd = open(path, O_RDONLY);
	off_t len = lseek(fd, 0, SEEK_END);
	lseek(fd, 0, SEEK_SET);
	assert_int_equal(read(fd, prefix, sizeof prefix), (ssize_t)sizeof prefix);
	ferry_opener *o = sodium_malloc(sizeof *o);
	int rc = -1;
	if (t_opener_try(o, prefix, (uint64_t)len, spk_sk, spk_pk) == 0 &&
	    ferry_opener_payload_init(o, NULL, NULL, &relay) == 0) {
		ferry_openpipe *p = ferry_openpipe_create(workers);
		assert_non_null(p);
		rc = ferry_openpipe_run(p, o, fd, sink, st, &e);
		ferry_openpipe_free(p);
	}
	sodium_free(o);
	close(fd);
	return rc;
}

static void same_plaintext_on_any_number_of_threads(void **state)
{
	(void)state;
	char *dir = t_mkdtemp(), path[300];
	size_t n = 3 * FERRY_CHUNK_LEN * 7 + 12345;
	uint8_t *msg = malloc(n);
	randombytes_buf(msg, n);
	t_buf b = seal(msg, n);
	snprintf(path, sizeof path, "%s/b", dir);
	t_write(path, b.p, b.len);
	t_buf first = {0};
	for (unsigned w = 0; w <= FERRY_OPENPIPE_MAX_WORKERS; w++) {
		sink_state st = {{0}, 0, 0};
		assert_int_equal(open_file(path, w, &st), 0);
		assert_true(st.out.len >= n);
		assert_memory_equal(st.out.p, msg, n); /* the padding follows */
		if (w == 0)
			first = st.out;
		else {
			assert_int_equal(st.out.len, first.len);
			assert_memory_equal(st.out.p, first.p, first.len);
			free(st.out.p);
		}
	}
	free(first.p);
	free(msg);
	free(b.p);
	t_rmdir(dir);
	free(dir);
}

static void altered_or_cut_is_refused(void **state)
{
	(void)state;
	char *dir = t_mkdtemp(), path[300];
	size_t n = 5 * FERRY_CHUNK_LEN;
	uint8_t *msg = calloc(1, n);
	t_buf b = seal(msg, n);
	snprintf(path, sizeof path, "%s/b", dir);
	/* A flipped byte in each chunk, and in the tag: refused on every
	 * thread count, and the sink never sees the altered chunk. */
	for (size_t at = FERRY_PREFIX_LEN + 100; at < b.len; at += FERRY_CHUNK_CT_LEN) {
		for (unsigned w = 0; w <= 3; w++) {
			b.p[at] ^= 1;
			t_write(path, b.p, b.len);
			b.p[at] ^= 1;
			sink_state st = {{0}, 0, 0};
			assert_int_equal(open_file(path, w, &st), FERRY_EVERIFY);
			size_t chunk = (at - FERRY_PREFIX_LEN) / FERRY_CHUNK_CT_LEN;
			assert_true(st.out.len <= chunk * FERRY_CHUNK_LEN);
			free(st.out.p);
		}
	}
	b.p[b.len - 1] ^= 1; /* the relay tag */
	t_write(path, b.p, b.len);
	b.p[b.len - 1] ^= 1;
	sink_state st = {{0}, 0, 0};
	assert_int_equal(open_file(path, 2, &st), FERRY_EVERIFY);
	free(st.out.p);
	/* Cut at a chunk boundary and inside one. */
	static const size_t cuts[] = {FERRY_PREFIX_LEN + FERRY_CHUNK_CT_LEN,
	                              FERRY_PREFIX_LEN + 2 * FERRY_CHUNK_CT_LEN + 7};
	for (size_t i = 0; i < 2; i++) {
		t_write(path, b.p, cuts[i]);
		sink_state s2 = {{0}, 0, 0};
		/* Cut, the length says it is no bundle: try() refuses it, or
		 * the stream ends early. Either way nothing opens. */
		assert_int_not_equal(open_file(path, 2, &s2), 0);
		free(s2.out.p);
	}
	/* A sink that fails stops the run with its own error. */
	t_write(path, b.p, b.len);
	sink_state s3 = {{0}, 2, 0};
	assert_int_equal(open_file(path, 3, &s3), FERRY_EOP);
	assert_int_equal(s3.calls, 2);
	free(s3.out.p);
	free(msg);
	free(b.p);
	t_rmdir(dir);
	free(dir);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	crypto_box_keypair(spk_pk, spk_sk);
	crypto_box_keypair(relay.pk[0], relay.sk[0]);
	relay.n = 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(same_plaintext_on_any_number_of_threads),
	    cmocka_unit_test(altered_or_cut_is_refused),
	};
	return cmocka_run_group_tests_name("parallel open", tests, NULL, NULL);
}
