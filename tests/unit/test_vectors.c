/* The committed vectors in tests/vectors/ are reproduced byte for byte
 * from their fixed keys and randomness, and they open. */
#include "../support/t.h"

#include <sodium.h>

#include "../../container/format.h"
#include "../../crypto/bundle.h"
#include "../../crypto/wrap.h"
#include "../../seal/sealpipe.h"
#include "../support/testrng.h"
#include "../support/vectors.h"

static vec_set V;

/* Opens the payload of b (set up in o) chunk by chunk into plain and
 * checks the relay tag after it. */
static void open_chunks(ferry_opener *o, const uint8_t *b, t_buf *plain)
{
	uint8_t *pt = malloc(FERRY_CHUNK_LEN), *ct = malloc(FERRY_CHUNK_CT_LEN);
	size_t off = FERRY_PREFIX_LEN, want, got;
	while ((want = ferry_opener_next_len(o)) > 0) {
		memcpy(ct, b + off, want);
		assert_int_equal(ferry_opener_chunk(o, ct, want, pt, &got), 0);
		t_buf_write(plain, pt, got);
		off += want;
	}
	assert_int_equal(ferry_opener_finish(o, b + off), 0);
	free(pt);
	free(ct);
}

static void same_as_file(const char *name, const uint8_t *p, size_t n)
{
	char path[256];
	size_t fn;
	snprintf(path, sizeof path, "tests/vectors/%s", name);
	uint8_t *f = t_read(path, &fn);
	if (!f)
		fail_msg("missing %s", path);
	assert_int_equal(fn, n);
	assert_memory_equal(f, p, n);
	free(f);
}

static void files_reproduce(void **s)
{
	(void)s;
	same_as_file("keys.txt", (const uint8_t *)V.keys_text, strlen(V.keys_text));
	same_as_file("pack.ferrypack", V.pack_file.data, V.pack_file.len);
	same_as_file("relay.credential", (const uint8_t *)V.credential,
	             strlen(V.credential));
	char sc[FERRY_SEALCODE_TEXT_LEN + 2];
	snprintf(sc, sizeof sc, "%s\n", V.sealcode);
	same_as_file("sealcode-form1.txt", (const uint8_t *)sc, strlen(sc));
	for (int k = 0; k < VEC_NBUNDLES; k++)
		same_as_file(VEC_BUNDLE_NAMES[k], V.bundle[k].data, V.bundle[k].len);
	same_as_file(VEC_WRAPPED_NAME, V.wrapped.data, V.wrapped.len);
}

/* The vector that crossed three relays shares nothing with the sealed
 * one, peels to three layers with the wrap key (none without it), and
 * opens to the same container. */
static void wrapped_vector_peels(void **s)
{
	(void)s;
	const uint8_t *w = V.wrapped.data, *b = V.bundle[0].data;
	size_t n = V.wrapped.len;
	assert_int_equal(n, V.bundle[0].len);
	assert_memory_not_equal(w, b, 32);
	assert_memory_not_equal(w + n - 16, b + n - 16, 16);
	ferry_wrap_keys wk, none;
	memset(&wk, 0, sizeof wk);
	memset(&none, 0, sizeof none);
	memcpy(wk.sk[0], V.wrap_sk, 32);
	memcpy(wk.pk[0], V.wrap_pk, 32);
	wk.n = 1;
	ferry_peeled *pl = malloc(sizeof *pl);
	ferry_opener *o = malloc(sizeof *o);
	assert_int_equal(ferry_peel(pl, w, &none), 0);
	assert_int_equal(pl->hops, 0);
	assert_int_not_equal(ferry_opener_try(o, pl, n, V.spk_sk, V.spk_pk), 0);
	assert_int_equal(ferry_peel(pl, w, &wk), 0);
	assert_int_equal(pl->hops, VEC_HOPS);
	assert_int_equal(ferry_opener_try(o, pl, n, V.spk_sk, V.spk_pk), 0);
	/* The sealer's prefix, restored whole. */
	assert_memory_equal(o->pl.prefix, b, FERRY_PREFIX_LEN);
	ferry_relay_keys rk;
	memset(&rk, 0, sizeof rk);
	memcpy(rk.sk[0], V.relay_sk, 32);
	memcpy(rk.pk[0], V.relay_pk, 32);
	rk.n = 1;
	assert_int_equal(ferry_opener_payload_init(o, V.opk_sk[1], V.opk_pk[1], &rk),
	                 0);
	t_buf plain = {0};
	open_chunks(o, w, &plain);
	assert_memory_equal(plain.p, V.container[0].data, V.container[0].len);
	free(plain.p);
	free(o);
	free(pl);
}

static void parsed_forms_match(void **s)
{
	(void)s;
	ferry_pack *p = malloc(sizeof *p);
	ferry_form_pub a, b;
	ferry_err err;
	assert_int_equal(ferry_pack_parse(p, V.pack_file.data, V.pack_file.len, &err),
	                 0);
	assert_int_equal(ferry_sealcode_decode(&a, V.sealcode, &err), 0);
	ferry_pack_form_pub(&b, p, 1);
	assert_memory_equal(&a, &b, sizeof a);
	/* The same form's version 1 code, printed before version 2 (kept as
	 * written then), still reads as the same form. */
	size_t n = 0;
	uint8_t *v1 = t_read("tests/vectors/sealcode-form1-v1.txt", &n);
	assert_non_null(v1);
	char text[FERRY_SEALCODE_TEXT_MAX + 2] = {0};
	assert_true(n <= sizeof text - 1);
	memcpy(text, v1, n);
	free(v1);
	assert_int_equal(strncmp(text, "FERRY1:", 7), 0);
	assert_int_equal(ferry_sealcode_decode(&a, text, &err), 0);
	assert_memory_equal(&a, &b, sizeof a);
	/* The version 2 text names nothing: letters and digits alone. */
	assert_int_equal(strlen(V.sealcode), FERRY_SEALCODE_TEXT_LEN);
	assert_int_equal(strspn(V.sealcode, "0123456789ABCDEFGHJKMNPQRSTVWXYZ"),
	                 FERRY_SEALCODE_TEXT_LEN);
	char fp[FERRY_FP_TEXT_LEN + 1];
	ferry_fingerprint(fp, V.id_pk);
	assert_int_equal(ferry_fingerprint_check(fp, p->identity_pk, "pack", NULL), 0);
	free(p);
}

static void bundles_open(void **s)
{
	(void)s;
	for (int k = 0; k < VEC_NBUNDLES; k++) {
		const uint8_t *b = V.bundle[k].data;
		size_t n = V.bundle[k].len;
		ferry_opener *o = malloc(sizeof *o);
		t_buf plain = {0};
		ferry_relay_keys rk;
		memset(&rk, 0, sizeof rk);
		memcpy(rk.sk[0], V.relay_sk, 32);
		memcpy(rk.pk[0], V.relay_pk, 32);
		rk.n = 1;
		/* Chaff opens under the chaff key, and only there. */
		const uint8_t *sk = k == 2 ? V.chaff_sk : V.spk_sk;
		const uint8_t *pk = k == 2 ? V.chaff_pk : V.spk_pk;
		assert_int_not_equal(t_opener_try(o, b, n,
		                                  k == 2 ? V.spk_sk : V.chaff_sk,
		                                  k == 2 ? V.spk_pk : V.chaff_pk),
		                     0);
		assert_int_equal(t_opener_try(o, b, n, sk, pk), 0);
		assert_int_equal(o->info.kind, VEC_BUNDLE_KINDS[k]);
		int testimony = VEC_BUNDLE_KINDS[k] == FERRY_KIND_TESTIMONY;
		assert_int_equal(o->info.has_proof, k == 4);
		if (k == 4) {
			ferry_pack_proof pp;
			memcpy(pp.word, V.word, sizeof pp.word);
			memcpy(pp.pack_id, V.pack.pack_id, sizeof pp.pack_id);
			assert_int_equal(ferry_opener_check_proof(o, &pp, V.opk_pk[1]),
			                 0);
			pp.word[0] ^= 1;
			assert_int_equal(ferry_opener_check_proof(o, &pp, V.opk_pk[1]),
			                 -1);
		}
		assert_int_equal(
		    ferry_opener_payload_init(o, testimony ? V.opk_sk[1] : NULL,
		                              testimony ? V.opk_pk[1] : NULL, &rk),
		    0);
		open_chunks(o, b, &plain);
		assert_true(plain.len >= V.container[k].len);
		assert_memory_equal(plain.p, V.container[k].data, V.container[k].len);
		free(plain.p);
		free(o);
	}
}

/* The bytes of a bundle do not depend on how many threads sealed it:
 * the randomness is drawn once, at begin, and chunks leave in order.
 * 2.3 MiB of payload, so every worker gets chunks and the ring wraps. */
static void workers_do_not_change_bytes(void **s)
{
	(void)s;
	const size_t n = (size_t)35 * FERRY_CHUNK_LEN + 12345;
	uint8_t *msg = malloc(n);
	for (size_t i = 0; i < n; i++)
		msg[i] = (uint8_t)(i * 131 + (i >> 16));
	t_buf ref = {0};
	for (unsigned w = 0; w <= FERRY_SEALPIPE_MAX_WORKERS; w++) {
		ferry_sealpipe *p = ferry_sealpipe_create(w);
		t_buf b = {0};
		uint64_t len = 0;
		assert_non_null(p);
		testrng_reseed("ferry vectors: workers");
		assert_int_equal(ferry_sealpipe_begin(p, FERRY_KIND_TESTIMONY, 1,
		                                      V.spk_pk, V.opk_pk[1], V.relay_pk,
		                                      t_buf_write, &b),
		                 0);
		/* Slices of a prime length, so chunk edges fall mid-call. */
		for (size_t off = 0; off < n; off += 9973)
			assert_int_equal(
			    ferry_sealpipe_update(p, msg + off,
			                          n - off < 9973 ? n - off : 9973),
			    0);
		assert_int_equal(ferry_sealpipe_finish(p, &len), 0);
		assert_int_equal(len, b.len);
		ferry_sealpipe_free(p);
		if (!ref.p) {
			ref = b;
			continue;
		}
		assert_int_equal(b.len, ref.len);
		assert_memory_equal(b.p, ref.p, ref.len);
		free(b.p);
	}
	free(ref.p);
	free(msg);
}

int main(void)
{
	if (testrng_install("ferry vectors") != 0 || vectors_build(&V) != 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(files_reproduce), cmocka_unit_test(parsed_forms_match),
	    cmocka_unit_test(bundles_open), cmocka_unit_test(wrapped_vector_peels),
	    cmocka_unit_test(workers_do_not_change_bytes)};
	int rc = cmocka_run_group_tests_name("vectors", tests, NULL, NULL);
	vectors_free(&V);
	return rc;
}
