#include "vectors.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../container/container_write.h"
#include "../../crypto/bundle.h"
#include "../../crypto/wrap.h"
#include "../../seal/sealpipe.h"
#include "../../trust/credential.h"
#include "t.h"
#include "testrng.h"

const char *const VEC_BUNDLE_NAMES[VEC_NBUNDLES] = {
    "bundle-testimony.bin", "bundle-walkin.bin", "bundle-chaff.bin",
    "bundle-walkin-long.bin", "bundle-testimony-proven.bin"};
const uint8_t VEC_BUNDLE_KINDS[VEC_NBUNDLES] = {FERRY_KIND_TESTIMONY, FERRY_KIND_WALKIN,
                                                FERRY_KIND_CHAFF, FERRY_KIND_WALKIN,
                                                FERRY_KIND_TESTIMONY};

/* The long vector's attachment: 150000 bytes anyone can regenerate. */
#define LONG_ATT_LEN 150000u
static uint8_t long_att_byte(size_t i)
{
	return (uint8_t)((i * 7 + (i >> 8)) & 0xff);
}

static void seed_of(uint8_t out[32], const char *label)
{
	crypto_hash_sha256(out, (const unsigned char *)label, strlen(label));
}

static int build_container(t_buf *g, int kind)
{
	ferry_cw *cw = ferry_cw_create(t_buf_write, g);
	static const uint8_t page[] = "not a real JPEG: vector page bytes";
	static const uint8_t att[] = "vector attachment";
	int rc = -1;
	if (!cw)
		return -1;
	if (kind == 3) {
		uint8_t b[1000];
		if (ferry_cw_begin(cw, FERRY_ITEM_ATTACHMENT) != 0)
			goto out;
		for (size_t off = 0; off < LONG_ATT_LEN; off += sizeof b) {
			for (size_t i = 0; i < sizeof b; i++)
				b[i] = long_att_byte(off + i);
			if (ferry_cw_data(cw, b, sizeof b) != 0)
				goto out;
		}
		if (ferry_cw_end(cw, 0, NULL) != 0)
			goto out;
	} else if (kind != 2) {
		if (ferry_cw_begin(cw, FERRY_ITEM_PAGE_JPEG) != 0 ||
		    ferry_cw_data(cw, page, sizeof page - 1) != 0 ||
		    ferry_cw_end(cw, 6, "EXIF: GPS position (1 KB)") != 0 ||
		    ferry_cw_begin(cw, FERRY_ITEM_ATTACHMENT) != 0 ||
		    ferry_cw_data(cw, att, sizeof att - 1) != 0 ||
		    ferry_cw_end(cw, 0, NULL) != 0)
			goto out;
	}
	rc = ferry_cw_finish(cw);
out:
	ferry_cw_free(cw);
	return rc;
}

int vectors_wrap(uint8_t *b, size_t len, const uint8_t wrap_pk[32],
                 const uint8_t relay_pk[32])
{
	ferry_wrapper w;
	uint8_t out[FERRY_PREFIX_LEN], unit[16];
	if (len < FERRY_BUNDLE_FIXED ||
	    ferry_wrap_begin(&w, wrap_pk, relay_pk, b, out) != 0)
		return -1;
	memcpy(b, out, sizeof out);
	size_t off = FERRY_PREFIX_LEN;
	for (uint64_t i = 0; off < len - 16; i++) {
		size_t n = len - 16 - off > FERRY_CHUNK_CT_LEN ? FERRY_CHUNK_CT_LEN
		                                               : len - 16 - off;
		if (ferry_wrap_chunk(&w, i, b + off, n, unit) != 0 ||
		    ferry_wrap_fold(&w, unit) != 0)
			return -1;
		off += n;
	}
	return ferry_wrap_tag(&w, b + len - 16);
}

static void hexline(char *out, size_t cap, size_t *o, const char *name,
                    const uint8_t *b, size_t n)
{
	char hex[200];
	sodium_bin2hex(hex, sizeof hex, b, n);
	*o += (size_t)snprintf(out + *o, cap - *o, "%s %s\n", name, hex);
}

int vectors_build(vec_set *v)
{
	uint8_t seed[32];
	memset(v, 0, sizeof *v);
	seed_of(seed, "ferry vector identity");
	crypto_sign_seed_keypair(v->id_pk, v->id_sk, seed);
	seed_of(seed, "ferry vector spk");
	crypto_box_seed_keypair(v->spk_pk, v->spk_sk, seed);
	for (int i = 0; i < 2; i++) {
		char l[64];
		snprintf(l, sizeof l, "ferry vector opk %d", i);
		seed_of(seed, l);
		crypto_box_seed_keypair(v->opk_pk[i], v->opk_sk[i], seed);
	}
	seed_of(seed, "ferry vector relay key");
	crypto_box_seed_keypair(v->relay_pk, v->relay_sk, seed);
	seed_of(seed, "ferry vector chaff key");
	crypto_box_seed_keypair(v->chaff_pk, v->chaff_sk, seed);
	seed_of(seed, "ferry vector wrap key");
	crypto_box_seed_keypair(v->wrap_pk, v->wrap_sk, seed);

	ferry_pack *p = &v->pack;
	memcpy(p->identity_pk, v->id_pk, 32);
	memcpy(p->pack_id, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);
	p->expires_day = 0;
	memcpy(p->spk, v->spk_pk, 32);
	memcpy(p->relay_pk, v->relay_pk, 32);
	p->nforms = 2;
	memcpy(p->forms[0].code, "\x9a\x7b\x3c\x1d\x5e", 5);
	memcpy(p->forms[1].code, "\x46\x2f\x88\x01\xc4", 5);
	memcpy(p->forms[0].opk, v->opk_pk[0], 32);
	memcpy(p->forms[1].opk, v->opk_pk[1], 32);
	size_t cap = ferry_pack_size(2);
	v->pack_file.data = malloc(cap);
	if (!v->pack_file.data ||
	    ferry_pack_serialize(v->pack_file.data, cap, &v->pack_file.len, p,
	                         v->id_sk) != 0)
		return -1;

	ferry_credential cr;
	size_t clen = 0;
	memset(&cr, 0, sizeof cr);
	memcpy(cr.identity_pk, v->id_pk, 32);
	memcpy(cr.chaff_pk, v->chaff_pk, 32);
	memcpy(cr.wrap_pk, v->wrap_pk, 32);
	cr.cover_hours = FERRY_COVER_HOURS_DEFAULT;
	memcpy(cr.relay.sk[0], v->relay_sk, 32);
	memcpy(cr.relay.pk[0], v->relay_pk, 32);
	cr.relay.n = 1;
	ferry_chaff_weights_default(cr.chaff_weight);
	if (ferry_credential_format(v->credential, sizeof v->credential, &clen, &cr,
	                            v->id_sk) != 0)
		return -1;

	ferry_form_pub fp;
	ferry_pack_form_pub(&fp, p, 1);
	if (ferry_sealcode_encode(v->sealcode, sizeof v->sealcode, &fp, v->id_sk) != 0)
		return -1;

	seed_of(seed, "ferry vector pack word");
	memcpy(v->word, seed, sizeof v->word);
	ferry_pack_proof proof;
	memcpy(proof.word, v->word, sizeof proof.word);
	memcpy(proof.pack_id, p->pack_id, sizeof proof.pack_id);
	for (int k = 0; k < VEC_NBUNDLES; k++) {
		t_buf c = {0}, b = {0};
		char s[64];
		int testimony = VEC_BUNDLE_KINDS[k] == FERRY_KIND_TESTIMONY;
		ferry_sealpipe *sl = ferry_sealpipe_create(0);
		if (!sl || build_container(&c, k) != 0) {
			ferry_sealpipe_free(sl);
			return -1;
		}
		snprintf(s, sizeof s, "ferry vector bundle %d", k);
		testrng_reseed(s);
		if (ferry_sealpipe_begin_proven(
		        sl, VEC_BUNDLE_KINDS[k], testimony ? 1 : FERRY_NO_FORM,
		        k == 2 ? v->chaff_pk : v->spk_pk, testimony ? v->opk_pk[1] : NULL,
		        v->relay_pk, k == 4 ? &proof : NULL, t_buf_write, &b) != 0 ||
		    ferry_sealpipe_update(sl, c.p, c.len) != 0) {
			ferry_sealpipe_free(sl);
			return -1;
		}
		uint64_t len = 0;
		int frc = ferry_sealpipe_finish(sl, &len);
		ferry_sealpipe_free(sl);
		if (frc != 0 || len != b.len)
			return -1;
		v->bundle[k].data = b.p;
		v->bundle[k].len = b.len;
		v->container[k].data = c.p;
		v->container[k].len = c.len;
	}
	v->wrapped.len = v->bundle[0].len;
	v->wrapped.data = malloc(v->wrapped.len);
	if (!v->wrapped.data)
		return -1;
	memcpy(v->wrapped.data, v->bundle[0].data, v->wrapped.len);
	for (int h = 1; h <= VEC_HOPS; h++) {
		char s[64];
		snprintf(s, sizeof s, "ferry vector hop %d", h);
		testrng_reseed(s);
		if (vectors_wrap(v->wrapped.data, v->wrapped.len, v->wrap_pk,
		                 v->relay_pk) != 0)
			return -1;
	}

	size_t o = 0;
	char *t = v->keys_text;
	size_t tc = sizeof v->keys_text;
	o += (size_t)snprintf(
	    t + o, tc - o,
	    "# ferry v1 test vectors: all keys are test keys.\n"
	    "# Randomness: tests/support/testrng.c, ChaCha20 keyed with SHA-256(seed)\n# seeds: \"ferry vector bundle 0|1|2|3\"\n");
	hexline(t, tc, &o, "identity_sk", v->id_sk, 64);
	hexline(t, tc, &o, "identity_pk", v->id_pk, 32);
	hexline(t, tc, &o, "spk_sk", v->spk_sk, 32);
	hexline(t, tc, &o, "spk_pk", v->spk_pk, 32);
	hexline(t, tc, &o, "opk0_sk", v->opk_sk[0], 32);
	hexline(t, tc, &o, "opk0_pk", v->opk_pk[0], 32);
	hexline(t, tc, &o, "opk1_sk", v->opk_sk[1], 32);
	hexline(t, tc, &o, "opk1_pk", v->opk_pk[1], 32);
	hexline(t, tc, &o, "relay_sk", v->relay_sk, 32);
	hexline(t, tc, &o, "relay_pk", v->relay_pk, 32);
	hexline(t, tc, &o, "chaff_sk", v->chaff_sk, 32);
	hexline(t, tc, &o, "chaff_pk", v->chaff_pk, 32);
	char fpt[FERRY_FP_TEXT_LEN + 1];
	ferry_fingerprint(fpt, v->id_pk);
	o += (size_t)snprintf(t + o, tc - o, "fingerprint %s\n", fpt);
	o += (size_t)snprintf(
	    t + o, tc - o,
	    "bundle-testimony.bin: testimony, form index 1, %zu bytes\nbundle-walkin.bin: walk-in, %zu bytes\n"
	    "bundle-chaff.bin: chaff, to the chaff key, %zu bytes\n"
	    "bundle-walkin-long.bin: walk-in, %zu bytes; its attachment is %u bytes, byte i = (7 i + floor(i / 256)) mod 256\n",
	    v->bundle[0].len, v->bundle[1].len, v->bundle[2].len, v->bundle[3].len,
	    LONG_ATT_LEN);
	/* Added with the pack proof; the lines above are unchanged. */
	hexline(t, tc, &o, "pack_id", p->pack_id, 8);
	hexline(t, tc, &o, "pack_word", v->word, sizeof v->word);
	o += (size_t)snprintf(
	    t + o, tc - o,
	    "bundle-testimony-proven.bin: testimony, form index 1, with the pack proof of pack_word, %zu bytes\n",
	    v->bundle[4].len);
	/* Added with re-wrapping at each relay. */
	hexline(t, tc, &o, "wrap_sk", v->wrap_sk, 32);
	hexline(t, tc, &o, "wrap_pk", v->wrap_pk, 32);
	o += (size_t)snprintf(
	    t + o, tc - o,
	    "%s: bundle-testimony.bin after %d relays, each wrapping it to wrap_pk and tagging it under relay_pk (seeds \"ferry vector hop 1|2|3\"), %zu bytes\n",
	    VEC_WRAPPED_NAME, VEC_HOPS, v->wrapped.len);
	return 0;
}

void vectors_free(vec_set *v)
{
	free(v->pack_file.data);
	free(v->wrapped.data);
	for (int k = 0; k < VEC_NBUNDLES; k++) {
		free(v->bundle[k].data);
		free(v->container[k].data);
	}
}
