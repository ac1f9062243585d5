/* Test-only helper (never installed): what an adversary or a relay can do
 * with the files it holds, for the tests of SECURITY.md's promises.
 *
 *   tag-oracle BUNDLE... -- FILE...   tries every 32-byte window of every
 *       FILE as the key material of the old and the obvious new relay-tag
 *       derivations against each BUNDLE; prints how many verified.
 *   seal-chaff CREDENTIAL OUT [walkin] [ITEM]  seals what a relay can seal
 *       with its credential alone: a chaff bundle (or one that claims to
 *       be a walk-in) to the chaff key, with ITEM as an attachment.
 *   seal-items [--word-file F] PACK OUT N REPORT [ANSWERS_MB]  a walk-in
 *       (with F's pack word, pack-proven) to PACK with N
 *       pages of 10 bytes, each with REPORT as its removal report
 *       (repeated to 4000 bytes when REPORT is "max"), and answers items
 *       of ANSWERS_MB MiB each of "a" until 20 MiB inflate in all ("bad"
 *       after it: one answers item of 1 MiB that is not UTF-8).
 *   credential-hex CREDENTIAL         the credential's decoded body, in hex.
 *   retag CREDENTIAL FILE             recomputes FILE's relay tag in place
 *       under the credential's newest relay key: what any relay can do
 *       to a bundle it altered.
 *   sealcode-bytes OUT CODE...        every seal code's decoded body, in OUT.
 *   vault-pubkeys VAULT PASSFILE      every pack and form public key, hex.
 *   rehead VAULT PASSFILE BUNDLE      what a sealer that breaks the format
 *       makes: BUNDLE's header (not relayed) opened with the pack key
 *       that opens it, a reserved byte set, sealed again in place. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/fileio.h"
#include "../../container/container_write.h"
#include "../../crypto/b32.h"
#include "../../crypto/bundle.h"
#include "../../crypto/bundle_kdf.h"
#include "../../seal/sealpipe.h"
#include "../../store/vault.h"
#include "../../trust/credential.h"
#include "../../trust/pack.h"
#include "../../trust/word.h"

static uint8_t *slurp(const char *path, size_t *n)
{
	uint8_t *d = NULL;
	ferry_err e;
	if (ferry_read_file(path, 1u << 30, &d, n, "the file", &e) != FERRY_OK) {
		fprintf(stderr, "%s\n", e.msg);
		exit(2);
	}
	return d;
}

static int tag_verifies(const uint8_t key[32], const uint8_t *b, size_t n)
{
	ferry_relaycheck c;
	if (ferry_relaycheck_init_tagkey(&c, key, n) != 0 ||
	    ferry_relaycheck_update(&c, b, n - 16) != 0)
		return 0;
	return ferry_relaycheck_verify(&c, b + n - 16) == 0;
}

static void keyed(uint8_t out[32], const uint8_t key[32], const char *dom, size_t dl,
                  const uint8_t *a, const uint8_t *b)
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, key, 32, 32);
	crypto_generichash_update(&st, (const uint8_t *)dom, dl);
	crypto_generichash_update(&st, a, 32);
	if (b)
		crypto_generichash_update(&st, b, 32);
	crypto_generichash_final(&st, out, 32);
}

/* The derivations a holder of public files could try with window w. */
static int any_candidate(const uint8_t w[32], const uint8_t *b, size_t n)
{
	static const char OLD[] = "ferry-v1 relay tag key";
	static const char NEW[] = "ferry-v1 relay tag key from dh";
	uint8_t k[32], dh[32], pk[32], epk[32];
	memcpy(epk, b, 32);
	epk[31] &= 0x7f;
	int hit = 0;
	keyed(k, w, OLD, sizeof OLD, b, NULL); /* v1 before: a shared relay key */
	hit |= tag_verifies(k, b, n);
	keyed(k, w, NEW, sizeof NEW, b, w); /* w as the DH result and relay key */
	hit |= tag_verifies(k, b, n);
	hit |= tag_verifies(w, b, n); /* w as the tag key itself */
	/* w as a relay secret key: the test's positive control. */
	if (crypto_scalarmult(dh, w, epk) == 0 && crypto_scalarmult_base(pk, w) == 0) {
		keyed(k, dh, NEW, sizeof NEW, b, pk);
		hit |= tag_verifies(k, b, n);
	}
	return hit;
}

static int cmd_tag_oracle(int argc, char **argv)
{
	int sep = 0;
	while (sep < argc && strcmp(argv[sep], "--"))
		sep++;
	unsigned long long tried = 0, hits = 0;
	for (int i = 0; i < sep; i++) {
		size_t bn;
		uint8_t *b = slurp(argv[i], &bn);
		if (bn > 176) {
			for (int f = sep + 1; f < argc; f++) {
				size_t fn;
				uint8_t *d = slurp(argv[f], &fn);
				for (size_t o = 0; o + 32 <= fn; o++, tried++)
					hits += (unsigned long long)any_candidate(
					    d + o, b, bn);
				free(d);
			}
		}
		free(b);
	}
	printf("windows tried %llu, tags verified %llu\n", tried, hits);
	return hits ? 1 : 0;
}

static int load_credential(const char *path, ferry_credential *c)
{
	size_t n;
	uint8_t *t = slurp(path, &n);
	ferry_err e;
	int rc = ferry_credential_parse(c, (const char *)t, n, &e);
	free(t);
	if (rc != FERRY_OK)
		fprintf(stderr, "%s\n", e.msg);
	return rc;
}

/* Seals the container bytes ct as a bundle of kind with no form, to spk
 * and tagged for relay, into path; 0, or 2 on any failure. */
static int seal_to_file(uint8_t kind, const uint8_t spk[32], const uint8_t relay[32],
                        const ferry_pack_proof *proof, const ferry_membuf *ct,
                        const char *path)
{
	ferry_membuf out = {0};
	uint64_t len = 0;
	ferry_sealpipe *p = ferry_sealpipe_create(0);
	int rc = p &&
	                 ferry_sealpipe_begin_proven(p, kind, FERRY_NO_FORM, spk, NULL,
	                                             relay, proof, ferry_membuf_write,
	                                             &out) == 0 &&
	                 ferry_sealpipe_update(p, ct->p, ct->len) == 0 &&
	                 ferry_sealpipe_finish(p, &len) == 0 &&
	                 ferry_atomic_write(path, out.p, out.len, 0600, 0) == 0
	             ? 0
	             : 2;
	ferry_sealpipe_free(p);
	ferry_membuf_free(&out);
	return rc;
}

static int cmd_seal_chaff(int argc, char **argv)
{
	ferry_credential c;
	if (argc < 2 || load_credential(argv[0], &c) != FERRY_OK)
		return 2;
	int walkin = argc > 2 && !strcmp(argv[2], "walkin");
	const char *item = argc > 2 + walkin ? argv[2 + walkin] : NULL;
	ferry_membuf ct = {0};
	ferry_cw *cw = ferry_cw_create(ferry_membuf_write, &ct);
	if (item) {
		size_t n;
		uint8_t *d = slurp(item, &n);
		if (ferry_cw_begin(cw, FERRY_ITEM_ATTACHMENT) != 0 ||
		    ferry_cw_data(cw, d, n) != 0 || ferry_cw_end(cw, 0, NULL) != 0)
			return 2;
		free(d);
	}
	if (ferry_cw_finish(cw) != 0)
		return 2;
	ferry_cw_free(cw);
	int rc = seal_to_file(walkin ? FERRY_KIND_WALKIN : FERRY_KIND_CHAFF, c.chaff_pk,
	                      c.relay.pk[c.relay.n - 1], NULL, &ct, argv[1]);
	ferry_membuf_free(&ct);
	return rc;
}

static int cmd_seal_items(int argc, char **argv)
{
	const char *word_file = NULL;
	if (argc >= 2 && !strcmp(argv[0], "--word-file")) {
		word_file = argv[1];
		argc -= 2;
		argv += 2;
	}
	size_t pn;
	uint8_t *pb = slurp(argv[0], &pn);
	ferry_pack *pk = malloc(sizeof *pk);
	ferry_err e;
	if (ferry_pack_parse(pk, pb, pn, &e) != FERRY_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	unsigned n = (unsigned)strtoul(argv[2], NULL, 10);
	char report[FERRY_REPORT_MAX + 1];
	if (!strcmp(argv[3], "max")) {
		memset(report, 'r', FERRY_REPORT_MAX);
		report[FERRY_REPORT_MAX] = '\0';
	} else {
		snprintf(report, sizeof report, "%s", argv[3]);
	}
	unsigned answers_mb = argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 0;
	int bad = argc > 5 && !strcmp(argv[5], "bad");
	ferry_membuf ct = {0};
	ferry_cw *cw = ferry_cw_create(ferry_membuf_write, &ct);
	static const uint8_t ten[10] = "0123456789";
	for (unsigned i = 0; i < n; i++)
		if (ferry_cw_begin(cw, FERRY_ITEM_PAGE_JPEG) != 0 ||
		    ferry_cw_data(cw, ten, sizeof ten) != 0 ||
		    ferry_cw_end(cw, 0, report) != 0)
			return 2;
	uint8_t *zeros = malloc(1u << 20);
	memset(zeros, 'a', 1u << 20);
	if (bad)
		zeros[12345] = 0xff;
	for (unsigned done = 0; answers_mb && done < (bad ? 1u : 20u);
	     done += answers_mb) {
		if (ferry_cw_begin(cw, FERRY_ITEM_ANSWERS) != 0)
			return 2;
		for (unsigned m = 0; m < answers_mb; m++)
			if (ferry_cw_data(cw, zeros, 1u << 20) != 0)
				return 2;
		if (ferry_cw_end(cw, 0, NULL) != 0)
			return 2;
	}
	free(zeros);
	if (ferry_cw_finish(cw) != 0)
		return 2;
	ferry_cw_free(cw);
	ferry_pack_proof proof;
	memcpy(proof.pack_id, pk->pack_id, sizeof proof.pack_id);
	ferry_err we;
	int proven = word_file && ferry_word_file_read(proof.word, word_file, &we) == 0;
	if (word_file && !proven)
		return 2;
	int rc = seal_to_file(FERRY_KIND_WALKIN, pk->spk, pk->relay_pk,
	                      proven ? &proof : NULL, &ct, argv[1]);
	ferry_membuf_free(&ct);
	free(pk);
	free(pb);
	return rc;
}

static int cmd_credential_hex(const char *path)
{
	size_t n;
	char *t = (char *)slurp(path, &n);
	char *l = strstr(t, FERRY_CREDENTIAL_PREFIX);
	if (!l)
		return 2;
	l += strlen(FERRY_CREDENTIAL_PREFIX);
	size_t chars = strcspn(l, "\r\n"), bytes = chars * 5 / 8;
	uint8_t *b = malloc(bytes + 1);
	char *hex = malloc(2 * bytes + 1);
	if (ferry_b32_decode(b, bytes, l, chars) != 0)
		return 2;
	sodium_bin2hex(hex, 2 * bytes + 1, b, bytes);
	printf("%s\n", hex);
	free(b);
	free(hex);
	free(t);
	return 0;
}

static int cmd_retag(const char *cred_path, const char *path)
{
	size_t cn, n;
	char *text = (char *)slurp(cred_path, &cn);
	uint8_t *b = slurp(path, &n);
	ferry_credential *c = sodium_malloc(sizeof *c);
	ferry_relay_keys k;
	ferry_relaycheck rc;
	ferry_err e;
	if (ferry_credential_parse(c, text, cn, &e) != FERRY_OK ||
	    n < FERRY_BUNDLE_FIXED) {
		fprintf(stderr, "retag: %s\n", e.msg);
		return 2;
	}
	memset(&k, 0, sizeof k);
	memcpy(k.sk[0], c->relay.sk[c->relay.n - 1], 32);
	memcpy(k.pk[0], c->relay.pk[c->relay.n - 1], 32);
	k.n = 1;
	if (ferry_relaycheck_init(&rc, &k, b, n) != 0 ||
	    ferry_relaycheck_update(&rc, b, n - 16) != 0 ||
	    ferry_relaycheck_tag(&rc, b + n - 16) != 0 ||
	    ferry_atomic_write(path, b, n, 0600, 0) != 0) {
		fprintf(stderr, "retag: cannot retag %s\n", path);
		return 2;
	}
	sodium_free(c);
	free(b);
	free(text);
	return 0;
}

static int cmd_sealcode_bytes(int argc, char **argv)
{
	ferry_membuf m = {0};
	for (int i = 1; i < argc; i++) {
		/* A version 1 code is its prefix and a body a byte shorter. */
		const char *c = argv[i];
		size_t n = strlen(c), p = strncmp(c, "FERRY1:", 7) ? 0 : 7;
		uint8_t body[FERRY_SEALCODE_BODY];
		size_t len = p ? FERRY_SEALCODE_BODY - 1 : FERRY_SEALCODE_BODY;
		if (n < p || ferry_b32_decode(body, len, c + p, n - p) != 0 ||
		    ferry_membuf_write(&m, body, len) != 0) {
			fprintf(stderr, "not a seal code: %s\n", c);
			return 2;
		}
	}
	int rc = ferry_atomic_write(argv[0], m.p, m.len, 0600, 0) == 0 ? 0 : 2;
	ferry_membuf_free(&m);
	return rc;
}

static void print_hex(const uint8_t k[32])
{
	char hex[65];
	sodium_bin2hex(hex, sizeof hex, k, 32);
	printf("%s\n", hex);
}

static int cmd_vault_pubkeys(const char *vault, const char *passfile)
{
	size_t pn;
	uint8_t *pass = slurp(passfile, &pn);
	while (pn && pass[pn - 1] == '\n')
		pn--;
	ferry_vault *v = NULL;
	ferry_err e;
	if (ferry_vault_load(&v, vault, (const char *)pass, pn, &e) != FERRY_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	for (uint32_t p = 0; p < v->npacks; p++) {
		print_hex(v->packs[p].spk_pk);
		for (uint16_t f = 0; f < v->packs[p].nforms; f++)
			print_hex(v->packs[p].forms[f].opk_pk);
	}
	ferry_vault_free(v);
	free(pass);
	return 0;
}

/* Re-encrypts the header of the bundle at b (a sealer's, no relay
 * layer) with its reserved byte 3 set, if spk opens it. 1 when done. */
static int rehead_with(uint8_t *b, const uint8_t spk_sk[32], const uint8_t spk_pk[32])
{
	uint8_t epk[32], dh1[32], k_h[FERRY_KEY_LEN], commit[FERRY_HASH_LEN];
	uint8_t hdr[FERRY_HDR_PLAIN_LEN];
	unsigned long long mlen = 0;
	int done = 0;
	memcpy(epk, b, 32);
	epk[31] &= 0x7f;
	if (crypto_scalarmult(dh1, spk_sk, epk) == 0 &&
	    ferry_derive_header_key(k_h, commit, dh1, epk, spk_pk) == 0 &&
	    crypto_aead_chacha20poly1305_ietf_decrypt(hdr, &mlen, NULL, b + FERRY_OFF_HDR,
	                                              FERRY_HDR_CT_LEN, b, FERRY_OFF_HDR,
	                                              FERRY_ZERO_NONCE, k_h) == 0) {
		hdr[3] = 1;
		crypto_aead_chacha20poly1305_ietf_encrypt(b + FERRY_OFF_HDR, NULL, hdr,
		                                          sizeof hdr, b, FERRY_OFF_HDR, NULL,
		                                          FERRY_ZERO_NONCE, k_h);
		done = 1;
	}
	sodium_memzero(dh1, sizeof dh1);
	sodium_memzero(k_h, sizeof k_h);
	sodium_memzero(hdr, sizeof hdr);
	return done;
}

static int cmd_rehead(const char *vault, const char *passfile, const char *path)
{
	size_t pn, n;
	uint8_t *pass = slurp(passfile, &pn), *b = slurp(path, &n);
	while (pn && pass[pn - 1] == '\n')
		pn--;
	ferry_vault *v = NULL;
	ferry_err e;
	if (n < FERRY_PREFIX_LEN ||
	    ferry_vault_load(&v, vault, (const char *)pass, pn, &e) != FERRY_OK)
		return 2;
	int done = 0;
	for (uint32_t p = 0; p < v->npacks && !done; p++)
		done = rehead_with(b, v->packs[p].spk_sk, v->packs[p].spk_pk);
	ferry_vault_free(v);
	free(pass);
	int rc = done && ferry_atomic_write(path, b, n, 0600, 0) == 0 ? 0 : 2;
	free(b);
	return rc;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0)
		return 2;
	if (argc >= 4 && !strcmp(argv[1], "tag-oracle"))
		return cmd_tag_oracle(argc - 2, argv + 2);
	if (argc >= 4 && !strcmp(argv[1], "seal-chaff"))
		return cmd_seal_chaff(argc - 2, argv + 2);
	if (argc >= 6 && !strcmp(argv[1], "seal-items"))
		return cmd_seal_items(argc - 2, argv + 2);
	if (argc >= 4 && !strcmp(argv[1], "sealcode-bytes"))
		return cmd_sealcode_bytes(argc - 2, argv + 2);
	if (argc == 4 && !strcmp(argv[1], "retag"))
		return cmd_retag(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "credential-hex"))
		return cmd_credential_hex(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "vault-pubkeys"))
		return cmd_vault_pubkeys(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "rehead"))
		return cmd_rehead(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: see tests/helpers/adversary.c\n");
	return 2;
}
