/* Key schedule, header, stream and relay tag of the bundle. */
#include "../support/t.h"

#include <errno.h>
#include <sodium.h>

#include "../../crypto/bundle.h"
#include "../../crypto/wrap.h"
#include "../../seal/sealpipe.h"
#include "../support/vectors.h"

typedef struct {
	uint8_t spk_pk[32], spk_sk[32], opk_pk[32], opk_sk[32];
	ferry_relay_keys relay;
} keys;

static void relay_pair(ferry_relay_keys *r)
{
	memset(r, 0, sizeof *r);
	crypto_box_keypair(r->pk[0], r->sk[0]);
	r->n = 1;
}

static void make_keys(keys *k)
{
	crypto_box_keypair(k->spk_pk, k->spk_sk);
	crypto_box_keypair(k->opk_pk, k->opk_sk);
	relay_pair(&k->relay);
}

static t_buf seal_with(const keys *k, uint8_t kind, const uint8_t *msg, size_t n,
                       unsigned workers)
{
	t_buf b = {0};
	ferry_sealpipe *s = ferry_sealpipe_create(workers);
	uint64_t len = 0;
	int testimony = kind == FERRY_KIND_TESTIMONY;
	assert_non_null(s);
	assert_int_equal(ferry_sealpipe_begin(s, kind, testimony ? 3 : FERRY_NO_FORM,
	                                      k->spk_pk, testimony ? k->opk_pk : NULL,
	                                      k->relay.pk[0], t_buf_write, &b),
	                 0);
	/* Uneven slices exercise the chunker. */
	size_t off = 0, step = 1;
	while (off < n) {
		size_t take = n - off < step ? n - off : step;
		assert_int_equal(ferry_sealpipe_update(s, msg + off, take), 0);
		off += take;
		step = step * 3 + 1;
	}
	assert_int_equal(ferry_sealpipe_finish(s, &len), 0);
	assert_int_equal(len, b.len);
	ferry_sealpipe_free(s);
	return b;
}

/* Odd calls seal on one thread, even calls on three workers, so every
 * test below runs both ways. */
static t_buf seal(const keys *k, uint8_t kind, const uint8_t *msg, size_t n)
{
	static unsigned calls;
	return seal_with(k, kind, msg, n, calls++ % 2 ? 3 : 0);
}

/* Opens in memory after peeling b with wk (NULL: no wrap key, so no
 * layer is found); 0 and the plaintext (padding included), -1, or
 * FERRY_PEEL_TOO_DEEP. hops gets the layers found. */
static int open_peeled(const keys *k, const ferry_wrap_keys *wk, const uint8_t *b,
                       size_t n, int use_opk, t_buf *out, ferry_header_info *info,
                       unsigned *hops)
{
	static const ferry_wrap_keys none;
	ferry_peeled *pl = malloc(sizeof *pl);
	ferry_opener *o = malloc(sizeof *o);
	uint8_t *pt = malloc(FERRY_CHUNK_LEN);
	uint8_t *ct = malloc(FERRY_CHUNK_CT_LEN);
	int rc = -1;
	memset(out, 0, sizeof *out);
	*hops = 0;
	if (n < FERRY_PREFIX_LEN)
		goto out;
	if ((rc = ferry_peel(pl, b, wk ? wk : &none)) != 0)
		goto out;
	rc = -1;
	*hops = pl->hops;
	if (ferry_opener_try(o, pl, n, k->spk_sk, k->spk_pk) != 0)
		goto out;
	*info = o->info;
	if (ferry_opener_payload_init(o, use_opk ? k->opk_sk : NULL,
	                              use_opk ? k->opk_pk : NULL, &k->relay) != 0)
		goto out;
	size_t off = FERRY_PREFIX_LEN, want;
	while ((want = ferry_opener_next_len(o)) > 0) {
		size_t got = 0;
		if (off + want > n)
			goto out;
		memcpy(ct, b + off, want);
		if (ferry_opener_chunk(o, ct, want, pt, &got) != 0)
			goto out;
		t_buf_write(out, pt, got);
		off += want;
	}
	if (off + 16 != n || ferry_opener_finish(o, b + off) != 0)
		goto out;
	rc = 0;
out:
	free(pl);
	free(o);
	free(pt);
	free(ct);
	return rc;
}

/* A bundle straight from a sealer. */
static int open_mem(const keys *k, const uint8_t *b, size_t n, int use_opk, t_buf *out,
                    ferry_header_info *info)
{
	unsigned hops;
	return open_peeled(k, NULL, b, n, use_opk, out, info, &hops);
}

static void roundtrip_each_kind(void **s)
{
	(void)s;
	keys k;
	make_keys(&k);
	static const size_t sizes[] = {0,     1,      65359,  65360,
	                               65361, 131072, 131073, 300001};
	for (int kind = FERRY_KIND_TESTIMONY; kind <= FERRY_KIND_CHAFF; kind++)
		for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			uint8_t *msg = malloc(sizes[i] + 1);
			randombytes_buf(msg, sizes[i]);
			t_buf b = seal(&k, (uint8_t)kind, msg, sizes[i]);
			uint64_t want = 0;
			assert_int_equal(ferry_bundle_len_for(sizes[i], &want), 0);
			assert_int_equal(b.len, want);
			t_buf out;
			ferry_header_info info;
			assert_int_equal(open_mem(&k, b.p, b.len,
			                          kind == FERRY_KIND_TESTIMONY, &out,
			                          &info),
			                 0);
			assert_int_equal(info.kind, kind);
			assert_int_equal(info.form_index, kind == FERRY_KIND_TESTIMONY
			                                      ? 3
			                                      : FERRY_NO_FORM);
			assert_true(out.len >= sizes[i]);
			assert_memory_equal(out.p, msg, sizes[i]);
			for (size_t j = sizes[i]; j < out.len; j++)
				assert_int_equal(out.p[j], 0);
			free(out.p);
			free(b.p);
			free(msg);
		}
}

static void wrong_keys_fail(void **s)
{
	(void)s;
	keys k, other;
	make_keys(&k);
	make_keys(&other);
	uint8_t msg[100] = "testimony";
	t_buf b = seal(&k, FERRY_KIND_TESTIMONY, msg, sizeof msg);
	t_buf out;
	ferry_header_info info;
	ferry_opener o;
	/* Another pack's SPK does not open the header. */
	assert_int_not_equal(t_opener_try(&o, b.p, b.len, other.spk_sk, other.spk_pk),
	                     0);
	/* The right SPK with another form's OPK does not open the payload. */
	keys mixed = k;
	memcpy(mixed.opk_sk, other.opk_sk, 32);
	memcpy(mixed.opk_pk, other.opk_pk, 32);
	assert_int_not_equal(open_mem(&mixed, b.p, b.len, 1, &out, &info), 0);
	free(out.p);
	/* Without the OPK (as if destroyed) it does not open either. */
	assert_int_not_equal(open_mem(&k, b.p, b.len, 0, &out, &info), 0);
	free(out.p);
	/* A wrong relay key fails the tag. */
	keys badrelay = k;
	relay_pair(&badrelay.relay);
	assert_int_not_equal(open_mem(&badrelay, b.p, b.len, 1, &out, &info), 0);
	free(out.p);
	free(b.p);
}

static void every_byte_flip_fails(void **s)
{
	(void)s;
	keys k;
	make_keys(&k);
	uint8_t msg[2000];
	randombytes_buf(msg, sizeof msg);
	t_buf b = seal(&k, FERRY_KIND_TESTIMONY, msg, sizeof msg);
	for (size_t i = 0; i < b.len; i++) {
		uint8_t old = b.p[i];
		b.p[i] ^= (uint8_t)(1 + i % 255);
		t_buf out;
		ferry_header_info info;
		assert_int_not_equal(open_mem(&k, b.p, b.len, 1, &out, &info), 0);
		free(out.p);
		b.p[i] = old;
	}
	free(b.p);
}

static void truncation_and_extension_fail(void **s)
{
	(void)s;
	keys k;
	make_keys(&k);
	uint8_t *msg = calloc(1, 150000);
	t_buf b = seal(&k, FERRY_KIND_TESTIMONY, msg, 150000);
	size_t cuts[16], nc = 0;
	cuts[nc++] = 0;
	cuts[nc++] = 32;
	cuts[nc++] = 64;
	cuts[nc++] = FERRY_PREFIX_LEN;
	for (size_t off = FERRY_PREFIX_LEN + FERRY_CHUNK_CT_LEN; off < b.len - 16;
	     off += FERRY_CHUNK_CT_LEN)
		cuts[nc++] = off;
	cuts[nc++] = b.len - 16;
	cuts[nc++] = b.len - 1;
	for (size_t i = 0; i < nc; i++) {
		t_buf out;
		ferry_header_info info;
		assert_int_not_equal(open_mem(&k, b.p, cuts[i], 1, &out, &info), 0);
		free(out.p);
	}
	uint8_t *longer = malloc(b.len + 65536);
	memcpy(longer, b.p, b.len);
	memset(longer + b.len, 0, 65536);
	static const size_t extra[] = {1, 16, 17, 65536};
	for (size_t i = 0; i < 4; i++) {
		t_buf out;
		ferry_header_info info;
		assert_int_not_equal(
		    open_mem(&k, longer, b.len + extra[i], 1, &out, &info), 0);
		free(out.p);
	}
	free(longer);
	free(b.p);
	free(msg);
}

static void header_reserved_fields_must_be_zero(void **s)
{
	(void)s;
	uint8_t h[FERRY_HDR_PLAIN_LEN] = {
	    1, FERRY_KIND_WALKIN, 0, 0, 0xff, 0xff, 0xff, 0xff};
	ferry_header_info info;
	assert_int_equal(ferry_header_parse(&info, h), 0);
	for (size_t i = 8; i < FERRY_HDR_PLAIN_LEN; i++) {
		h[i] = 1;
		assert_int_equal(ferry_header_parse(&info, h), -1);
		h[i] = 0;
	}
	h[2] = 2; /* an unknown flag */
	assert_int_equal(ferry_header_parse(&info, h), -1);
	h[3] = 1;
	h[2] = 0;
	assert_int_equal(ferry_header_parse(&info, h), -1);
	h[3] = 0;
	/* The proof flag frees bytes 8..39 for the proof, and only those. */
	h[2] = FERRY_HDR_FLAG_PROOF;
	memset(h + 8, 0xa5, FERRY_PROOF_LEN);
	assert_int_equal(ferry_header_parse(&info, h), 0);
	assert_int_equal(info.has_proof, 1);
	for (size_t i = 8 + FERRY_PROOF_LEN; i < FERRY_HDR_PLAIN_LEN; i++) {
		h[i] = 1;
		assert_int_equal(ferry_header_parse(&info, h), -1);
		h[i] = 0;
	}
	h[1] = FERRY_KIND_CHAFF; /* no pack holder makes chaff */
	assert_int_equal(ferry_header_parse(&info, h), -1);
	h[1] = FERRY_KIND_WALKIN;
	memset(h + 8, 0, FERRY_PROOF_LEN);
	h[2] = 0;
	h[0] = 2; /* unknown version */
	assert_int_equal(ferry_header_parse(&info, h), -1);
	h[0] = 1;
	h[1] = 9; /* unknown kind */
	assert_int_equal(ferry_header_parse(&info, h), -1);
	h[1] = FERRY_KIND_TESTIMONY; /* testimony with no form */
	assert_int_equal(ferry_header_parse(&info, h), -1);
	h[1] = FERRY_KIND_CHAFF;
	h[4] = 0; /* chaff naming a form */
	assert_int_equal(ferry_header_parse(&info, h), -1);
}

/* A bundle sealed with a pack proof; its header opened in *o. */
static t_buf seal_proven(const keys *k, uint8_t kind, const ferry_pack_proof *pp)
{
	t_buf b = {0};
	uint64_t len = 0;
	int testimony = kind == FERRY_KIND_TESTIMONY;
	ferry_sealpipe *s = ferry_sealpipe_create(0);
	assert_int_equal(ferry_sealpipe_begin_proven(
	                     s, kind, testimony ? 3 : FERRY_NO_FORM, k->spk_pk,
	                     testimony ? k->opk_pk : NULL, k->relay.pk[0], pp,
	                     t_buf_write, &b),
	                 0);
	assert_int_equal(ferry_sealpipe_update(s, (const uint8_t *)"x", 1), 0);
	assert_int_equal(ferry_sealpipe_finish(s, &len), 0);
	ferry_sealpipe_free(s);
	return b;
}

static void pack_proof(void **st)
{
	(void)st;
	keys k, other;
	make_keys(&k);
	make_keys(&other);
	ferry_pack_proof pp, wrong;
	randombytes_buf(&pp, sizeof pp);
	ferry_opener o;
	t_buf out;
	ferry_header_info info;
	for (int kind = FERRY_KIND_TESTIMONY; kind <= FERRY_KIND_WALKIN; kind++) {
		const uint8_t *opk = kind == FERRY_KIND_TESTIMONY ? k.opk_pk : NULL;
		t_buf b = seal_proven(&k, (uint8_t)kind, &pp);
		assert_int_equal(t_opener_try(&o, b.p, b.len, k.spk_sk, k.spk_pk), 0);
		assert_int_equal(o.info.has_proof, 1);
		assert_int_equal(ferry_opener_check_proof(&o, &pp, opk), 0);
		/* One bit of the word, or of the pack id, and it fails. */
		wrong = pp;
		wrong.word[4] ^= 1;
		assert_int_equal(ferry_opener_check_proof(&o, &wrong, opk), -1);
		wrong = pp;
		wrong.pack_id[0] ^= 0x80;
		assert_int_equal(ferry_opener_check_proof(&o, &wrong, opk), -1);
		/* Another form's OPK, or none, fails. */
		assert_int_equal(ferry_opener_check_proof(&o, &pp, other.opk_pk), -1);
		/* It still opens as a bundle. */
		assert_int_equal(open_mem(&k, b.p, b.len, kind == FERRY_KIND_TESTIMONY,
		                          &out, &info),
		                 0);
		free(out.p);
		/* A proof moved into another bundle of the same pack fails:
		 * it is bound to the bundle's own key schedule. */
		t_buf plain = seal(&k, (uint8_t)kind, (const uint8_t *)"y", 1);
		ferry_opener o2;
		assert_int_equal(
		    t_opener_try(&o2, plain.p, plain.len, k.spk_sk, k.spk_pk), 0);
		assert_int_equal(o2.info.has_proof, 0);
		assert_int_equal(ferry_opener_check_proof(&o2, &pp, opk), -1);
		o2.info.has_proof = 1;
		memcpy(o2.info.proof, o.info.proof, FERRY_PROOF_LEN);
		assert_int_equal(ferry_opener_check_proof(&o2, &pp, opk), -1);
		ferry_opener_wipe(&o2);
		ferry_opener_wipe(&o);
		free(plain.p);
		free(b.p);
	}
	/* Chaff never carries one. */
	ferry_sealer sl;
	uint8_t prefix[FERRY_PREFIX_LEN];
	assert_int_equal(ferry_sealer_begin(&sl, FERRY_KIND_CHAFF, FERRY_NO_FORM,
	                                    k.spk_pk, NULL, k.relay.pk[0], &pp, prefix),
	                 -1);
}

/* A write that fails with the errno *io holds. */
static int failing_write(void *io, const uint8_t *p, size_t n)
{
	(void)p, (void)n;
	errno = *(int *)io;
	return -1;
}

static void low_order_keys_refused(void **s)
{
	(void)s;
	uint8_t zero[32] = {0}, prefix[FERRY_PREFIX_LEN], relay[32], sk[32];
	ferry_sealer sl;
	crypto_box_keypair(relay, sk);
	/* The all-zero point gives an all-zero shared secret. */
	assert_int_equal(ferry_sealer_begin(&sl, FERRY_KIND_WALKIN, FERRY_NO_FORM, zero,
	                                    NULL, relay, NULL, prefix),
	                 -1);
	for (size_t i = 0; i < sizeof prefix; i++)
		assert_int_equal(prefix[i], 0);
	t_buf b = {0};
	ferry_sealpipe *p = ferry_sealpipe_create(2);
	assert_int_equal(ferry_sealpipe_begin(p, FERRY_KIND_WALKIN, FERRY_NO_FORM, zero,
	                                      NULL, relay, t_buf_write, &b),
	                 -1);
	assert_int_equal(b.len, 0);
	/* Refused keys, not a failed write: the caller must not say "disk". */
	assert_int_equal(ferry_sealpipe_write_errno(p), 0);
	assert_int_equal(ferry_sealpipe_update(p, relay, 1), -1);
	ferry_sealpipe_free(p);
	free(b.p);
	/* A failed write is kept with its errno (EIO when it set none). */
	uint8_t spk[32];
	crypto_box_keypair(spk, sk);
	p = ferry_sealpipe_create(0);
	int err = ENOSPC;
	assert_int_equal(ferry_sealpipe_begin(p, FERRY_KIND_WALKIN, FERRY_NO_FORM, spk,
	                                      NULL, relay, failing_write, &err),
	                 -1);
	assert_int_equal(ferry_sealpipe_write_errno(p), ENOSPC);
	ferry_sealpipe_free(p); /* a failed pipe takes no other bundle */
	p = ferry_sealpipe_create(0);
	err = 0;
	assert_int_equal(ferry_sealpipe_begin(p, FERRY_KIND_WALKIN, FERRY_NO_FORM, spk,
	                                      NULL, relay, failing_write, &err),
	                 -1);
	assert_int_equal(ferry_sealpipe_write_errno(p), EIO);
	ferry_sealpipe_free(p);
	/* A low-order relay key: the sealer refuses it too. */
	assert_int_equal(ferry_sealer_begin(&sl, FERRY_KIND_WALKIN, FERRY_NO_FORM, spk,
	                                    NULL, zero, NULL, prefix),
	                 -1);
}

/* The chunk API refuses a chunk whose length cannot be at its place. */
static void chunk_lengths_checked(void **s)
{
	(void)s;
	keys k;
	make_keys(&k);
	ferry_sealer sl;
	uint8_t prefix[FERRY_PREFIX_LEN], tag[16];
	uint8_t *buf = calloc(1, FERRY_CHUNK_CT_LEN);
	assert_int_equal(ferry_sealer_begin(&sl, FERRY_KIND_WALKIN, FERRY_NO_FORM,
	                                    k.spk_pk, NULL, k.relay.pk[0], NULL, prefix),
	                 0);
	assert_int_equal(ferry_sealer_chunk(&sl, 0, 0, buf, 100, tag), -1);
	assert_int_equal(ferry_sealer_chunk(&sl, 0, 1, buf, FERRY_CHUNK_LEN, tag), -1);
	assert_int_equal(ferry_sealer_chunk(&sl, 0, 1, buf, FERRY_CHUNK_LEN + 1, tag),
	                 -1);
	assert_int_equal(ferry_sealer_chunk(&sl, 0, 0, buf, FERRY_CHUNK_LEN, tag), 0);
	assert_int_equal(ferry_sealer_chunk(&sl, 1, 1, buf, 0, tag), 0);
	/* No relay tag before a chunk has been folded. */
	assert_int_equal(ferry_sealer_tag(&sl, tag), -1);
	assert_int_equal(ferry_sealer_chunk(&sl, 1, 1, buf, 0, tag), -1);
	free(buf);
}

/* The relay check needs no bundle key, takes any slicing, and refuses
 * a changed byte, a wrong key, a short feed and an overlong one. */
static void relay_check_streams(void **s)
{
	(void)s;
	keys k;
	make_keys(&k);
	uint8_t *msg = malloc(200000);
	randombytes_buf(msg, 200000);
	t_buf b = seal(&k, FERRY_KIND_TESTIMONY, msg, 200000);
	size_t body = b.len - 16;
	static const size_t steps[] = {1, 7, 144, 65552, 1 << 20};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		ferry_relaycheck c;
		assert_int_equal(ferry_relaycheck_init(&c, &k.relay, b.p, b.len), 0);
		/* 1-byte slices over the first 70000 bytes only: slow
		 * otherwise. */
		size_t off = 0;
		while (off < body) {
			size_t step = steps[i] == 1 && off > 70000 ? 4093 : steps[i];
			size_t take = body - off < step ? body - off : step;
			assert_int_equal(ferry_relaycheck_update(&c, b.p + off, take),
			                 0);
			off += take;
		}
		assert_int_equal(ferry_relaycheck_verify(&c, b.p + body), 0);
	}
	ferry_relaycheck c;
	assert_int_equal(ferry_relaycheck_init(&c, &k.relay, b.p, b.len), 0);
	assert_int_equal(ferry_relaycheck_update(&c, b.p, body - 1), 0);
	assert_int_equal(ferry_relaycheck_verify(&c, b.p + body), -1);
	assert_int_equal(ferry_relaycheck_init(&c, &k.relay, b.p, b.len), 0);
	assert_int_equal(ferry_relaycheck_update(&c, b.p, body + 1), -1);
	assert_int_equal(ferry_relaycheck_verify(&c, b.p + body), -1);
	ferry_relay_keys other;
	relay_pair(&other);
	assert_int_equal(ferry_relaycheck_init(&c, &other, b.p, b.len), 0);
	assert_int_equal(ferry_relaycheck_update(&c, b.p, body), 0);
	assert_int_equal(ferry_relaycheck_verify(&c, b.p + body), -1);
	/* During a rotation a relay holds two pairs: either one passes. */
	ferry_relay_keys two = other;
	memcpy(two.sk[1], k.relay.sk[0], 32);
	memcpy(two.pk[1], k.relay.pk[0], 32);
	two.n = 2;
	assert_int_equal(ferry_relaycheck_init(&c, &two, b.p, b.len), 0);
	assert_int_equal(ferry_relaycheck_update(&c, b.p, body), 0);
	assert_int_equal(ferry_relaycheck_verify(&c, b.p + body), 0);
	/* The public key alone (as a seal code carries it) cannot check. */
	ferry_relay_keys pub_only = k.relay;
	memcpy(pub_only.sk[0], k.relay.pk[0], 32);
	assert_int_equal(ferry_relaycheck_init(&c, &pub_only, b.p, b.len), 0);
	assert_int_equal(ferry_relaycheck_update(&c, b.p, body), 0);
	assert_int_equal(ferry_relaycheck_verify(&c, b.p + body), -1);
	/* No key, too many keys, or a low-order epk: refused at once. */
	ferry_relay_keys none = k.relay;
	none.n = 0;
	assert_int_equal(ferry_relaycheck_init(&c, &none, b.p, b.len), -1);
	none.n = FERRY_RELAY_KEYS_MAX + 1;
	assert_int_equal(ferry_relaycheck_init(&c, &none, b.p, b.len), -1);
	uint8_t low[FERRY_PREFIX_LEN] = {0};
	assert_int_equal(ferry_relaycheck_init(&c, &k.relay, low, b.len), -1);
	b.p[100000] ^= 1;
	assert_int_equal(ferry_relaycheck_init(&c, &k.relay, b.p, b.len), 0);
	assert_int_equal(ferry_relaycheck_update(&c, b.p, body), 0);
	assert_int_equal(ferry_relaycheck_verify(&c, b.p + body), -1);
	/* A length no sealer makes has no unit boundaries. */
	assert_int_equal(ferry_relaycheck_init(&c, &k.relay, b.p, 10), -1);
	free(b.p);
	free(msg);
}

/* A write that fails midway fails the seal, on one thread and on
 * several, and leaves nothing running. */
typedef struct {
	size_t left;
} cap_io;

static int capped_write(void *io, const uint8_t *p, size_t n)
{
	(void)p;
	cap_io *c = io;
	if (n > c->left)
		return -1;
	c->left -= n;
	return 0;
}

static void failed_write_fails_seal(void **s)
{
	(void)s;
	keys k;
	make_keys(&k);
	uint8_t *msg = calloc(1, 1 << 21);
	static const size_t caps[] = {0, 200, 65552 * 3 + 144, 1 << 20};
	for (unsigned w = 0; w <= 3; w += 3)
		for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
			cap_io c = {caps[i]};
			ferry_sealpipe *p = ferry_sealpipe_create(w);
			uint64_t len = 1;
			int rc = ferry_sealpipe_begin(p, FERRY_KIND_TESTIMONY, 3,
			                              k.spk_pk, k.opk_pk, k.relay.pk[0],
			                              capped_write, &c);
			if (rc == 0)
				rc = ferry_sealpipe_update(p, msg, 1 << 21);
			if (rc == 0)
				rc = ferry_sealpipe_finish(p, &len);
			assert_int_equal(rc, -1);
			assert_int_equal(ferry_sealpipe_update(p, msg, 1), -1);
			assert_int_equal(ferry_sealpipe_finish(p, &len), -1);
			assert_int_equal(len, 0);
			ferry_sealpipe_free(p);
		}
	free(msg);
}

/* Two bundles for two forms of one pack: no 8-byte substring in common.
 * For random bytes the expected number of common 8-byte windows is about
 * n1 * n2 / 2^64 = 65529^2 / 2^64 ~ 2^-32, so any hit means structure. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void two_bundles_share_nothing(void **s)
{
	(void)s;
	keys k, k2;
	make_keys(&k);
	k2 = k;
	crypto_box_keypair(k2.opk_pk, k2.opk_sk);
	uint8_t msg[5000];
	memset(msg, 'A', sizeof msg); /* the same plaintext in both */
	t_buf a = seal(&k, FERRY_KIND_TESTIMONY, msg, sizeof msg);
	t_buf b = seal(&k2, FERRY_KIND_TESTIMONY, msg, sizeof msg);
	assert_int_equal(a.len, b.len);
	assert_true(ferry_bundle_len_valid(a.len));
	size_t n = a.len - 7;
	uint64_t *w = malloc(n * sizeof *w);
	for (size_t i = 0; i < n; i++)
		memcpy(&w[i], a.p + i, 8);
	qsort(w, n, sizeof *w, cmp_u64);
	size_t common = 0;
	for (size_t i = 0; i + 8 <= b.len; i++) {
		uint64_t x;
		memcpy(&x, b.p + i, 8);
		common += bsearch(&x, w, n, sizeof *w, cmp_u64) != NULL;
	}
	assert_int_equal(common, 0);
	free(w);
	free(a.p);
	free(b.p);
}

static void epk_top_bit_is_random(void **s)
{
	(void)s;
	keys k;
	make_keys(&k);
	int set = 0;
	for (int i = 0; i < 64; i++) {
		t_buf b = seal(&k, FERRY_KIND_CHAFF, NULL, 0);
		set += (b.p[31] & 0x80) != 0;
		free(b.p);
	}
	/* P(all 64 equal) = 2^-63. */
	assert_true(set > 0 && set < 64);
}

/* Wrapped 0 to 10 times (three chunks, so the key stream crosses chunk
 * and block boundaries): every hop's bytes share no window of 16 with
 * the one before, the relay tag checks at every hop, the desk peels and
 * opens up to 8 layers to the sealed plaintext and says "too deep"
 * beyond; without the wrap key no layer is found and nothing opens. */
static void wrap_and_peel(void **s)
{
	(void)s;
	keys k;
	make_keys(&k);
	ferry_wrap_keys wk, other;
	memset(&wk, 0, sizeof wk);
	memset(&other, 0, sizeof other);
	crypto_box_keypair(wk.pk[1], wk.sk[1]); /* an older wrap key first */
	crypto_box_keypair(wk.pk[0], wk.sk[0]);
	wk.n = 2;
	crypto_box_keypair(other.pk[0], other.sk[0]);
	other.n = 1;
	const size_t n = 150000;
	uint8_t *msg = malloc(n);
	randombytes_buf(msg, n);
	t_buf b = seal(&k, FERRY_KIND_WALKIN, msg, n), plain, ref;
	ferry_header_info info;
	unsigned hops;
	assert_int_equal(open_peeled(&k, &wk, b.p, b.len, 0, &ref, &info, &hops), 0);
	assert_int_equal(hops, 0);
	uint8_t *prev = malloc(b.len);
	for (unsigned h = 1; h <= 10; h++) {
		memcpy(prev, b.p, b.len);
		/* Relays wrap to the current key (index 0 here) or the older. */
		assert_int_equal(vectors_wrap(b.p, b.len, wk.pk[h % 2], k.relay.pk[0]),
		                 0);
		/* No 16-byte window of the output lies at the same place in
		 * the input: nothing to match across the hop. */
		for (size_t o = 0; o + 16 <= b.len; o += 16)
			assert_memory_not_equal(b.p + o, prev + o, 16);
		ferry_relaycheck c;
		assert_int_equal(ferry_relaycheck_init(&c, &k.relay, b.p, b.len), 0);
		assert_int_equal(ferry_relaycheck_update(&c, b.p, b.len - 16), 0);
		assert_int_equal(ferry_relaycheck_verify(&c, b.p + b.len - 16), 0);
		int rc = open_peeled(&k, &wk, b.p, b.len, 0, &plain, &info, &hops);
		if (h <= FERRY_HOPS_MAX) {
			assert_int_equal(rc, 0);
			assert_int_equal(hops, h);
			assert_int_equal(plain.len, ref.len);
			assert_memory_equal(plain.p, ref.p, ref.len);
			free(plain.p);
			assert_int_not_equal(open_peeled(&k, &other, b.p, b.len, 0,
			                                 &plain, &info, &hops),
			                     0);
			assert_int_equal(hops, 0);
			free(plain.p);
		} else {
			assert_int_equal(rc, FERRY_PEEL_TOO_DEEP);
			free(plain.p);
		}
	}
	free(prev);
	free(ref.p);
	free(b.p);
	free(msg);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(roundtrip_each_kind),
	    cmocka_unit_test(wrong_keys_fail),
	    cmocka_unit_test(every_byte_flip_fails),
	    cmocka_unit_test(truncation_and_extension_fail),
	    cmocka_unit_test(header_reserved_fields_must_be_zero),
	    cmocka_unit_test(pack_proof),
	    cmocka_unit_test(low_order_keys_refused),
	    cmocka_unit_test(chunk_lengths_checked),
	    cmocka_unit_test(relay_check_streams),
	    cmocka_unit_test(failed_write_fails_seal),
	    cmocka_unit_test(two_bundles_share_nothing),
	    cmocka_unit_test(epk_top_bit_is_random),
	    cmocka_unit_test(wrap_and_peel),
	};
	return cmocka_run_group_tests_name("bundle", tests, NULL, NULL);
}
