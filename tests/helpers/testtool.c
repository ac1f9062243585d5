/* Test-only helper (never installed): writes the committed test vectors,
 * runs the sanitizer alone, and reads a vault for the end-to-end tests. */
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/fileio.h"
#include "../../crypto/sizeclass.h"
#include "../../crypto/wrap.h"
#include "../../pages/qrscan.h"
#include "../../seal/seal.h"
#include "../../store/vault.h"
#include "../support/testrng.h"
#include "../support/vectors.h"

static int write_file(const char *dir, const char *name, const void *p, size_t n)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return ferry_atomic_write(path, p, n, 0644, 0);
}

static int cmd_vectors(const char *dir)
{
	vec_set v;
	if (vectors_build(&v) != 0) {
		fprintf(stderr, "vector build failed\n");
		return 1;
	}
	int rc =
	    write_file(dir, "keys.txt", v.keys_text, strlen(v.keys_text)) |
	    write_file(dir, "pack.ferrypack", v.pack_file.data, v.pack_file.len) |
	    write_file(dir, "relay.credential", v.credential, strlen(v.credential));
	char sc[FERRY_SEALCODE_TEXT_LEN + 2];
	snprintf(sc, sizeof sc, "%s\n", v.sealcode);
	rc |= write_file(dir, "sealcode-form1.txt", sc, strlen(sc));
	for (int k = 0; k < VEC_NBUNDLES; k++)
		rc |= write_file(dir, VEC_BUNDLE_NAMES[k], v.bundle[k].data,
		                 v.bundle[k].len);
	rc |= write_file(dir, VEC_WRAPPED_NAME, v.wrapped.data, v.wrapped.len);
	/* Size classes: container length, unpadded bundle length, bundle;
	 * then every class's length. */
	char *t = malloc(1 << 16);
	size_t o = 0;
	static const uint64_t lens[] = {0,      1,       1000,     65359,
	                                65360,  65535,   65536,    100000,
	                                131072, 1000000, 12345678, 1ull << 30};
	o += (size_t)snprintf(t + o, 65536 - o,
	                      "# container_len unpadded_bundle_len bundle_len\n");
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		uint64_t b = 0;
		if (ferry_bundle_len_for(lens[i], &b) != 0)
			return 1;
		o += (size_t)snprintf(
		    t + o, 65536 - o, "%llu %llu %llu\n", (unsigned long long)lens[i],
		    (unsigned long long)ferry_bundle_len_of_plain(lens[i]),
		    (unsigned long long)b);
	}
	for (unsigned k = 0; k < FERRY_CLASSES; k++)
		o += (size_t)snprintf(t + o, 65536 - o, "class %u %llu\n", k,
		                      (unsigned long long)ferry_class_len(k));
	rc |= write_file(dir, "sizeclass.txt", t, o);
	free(t);
	vectors_free(&v);
	return rc ? 1 : 0;
}

static int cmd_sanitize(const char *in, const char *out)
{
	ferry_page_result r;
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 2;
	ferry_err err;
	int rc = ferry_sanitize_path(in, ferry_write_fd, &fd, &r, &err);
	close(fd);
	if (rc != 0) {
		fprintf(stderr, "%s\n", err.msg);
		unlink(out);
		return 1;
	}
	printf("orientation=%u report=%s\n", r.orientation, r.report);
	return 0;
}

static ferry_vault *load_vault(const char *path, const char *passfile)
{
	uint8_t *pass = NULL;
	size_t plen = 0;
	ferry_err err;
	ferry_vault *v = NULL;
	if (ferry_read_secret_file(passfile, 1024, &pass, &plen, "the passphrase file",
	                           &err) != 0)
		return NULL;
	while (plen && (pass[plen - 1] == '\n'))
		plen--;
	int rc = ferry_vault_load(&v, path, (char *)pass, plen, &err);
	sodium_free(pass);
	if (rc != 0)
		fprintf(stderr, "%s\n", err.msg);
	return v;
}

/* For each bundle, the key its sealer put first, found under the layers
 * relays added with the vault's wrap keys: one bundle's identity at
 * every hop (what the desk's seen list keys on). "too-deep" when it
 * crossed more relays than its stack holds, "short" for a cut file. */
static int cmd_sealer_keys(const char *path, const char *passfile, int n, char **files)
{
	ferry_vault *v = load_vault(path, passfile);
	if (!v)
		return 1;
	ferry_peeled *pl = sodium_malloc(sizeof *pl);
	for (int i = 0; i < n; i++) {
		uint8_t prefix[FERRY_PREFIX_LEN];
		char hex[65];
		int fd = open(files[i], O_RDONLY);
		ssize_t got = fd >= 0 ? read(fd, prefix, sizeof prefix) : -1;
		if (fd >= 0)
			close(fd);
		if (got != (ssize_t)sizeof prefix) {
			printf("short\n");
			continue;
		}
		int rc = ferry_peel(pl, prefix, &v->wrap);
		sodium_bin2hex(hex, sizeof hex, pl->prefix, 32);
		printf("%s %u\n", rc == 0 ? hex : "too-deep", rc == 0 ? pl->hops : 0);
	}
	sodium_free(pl);
	ferry_vault_free(v);
	return 0;
}

/* Each page's QR codes as the sealer's sandboxed finder reads them: a
 * line "FILE: N" then the texts, or "FILE: error: ...". */
static int cmd_qr_find(int n, char **files)
{
	int rc = 0;
	for (int i = 0; i < n; i++) {
		ferry_qr_found f;
		ferry_err e;
		if (ferry_qr_find(files[i], &f, &e) != FERRY_OK) {
			printf("%s: error: %s\n", files[i], e.msg);
			rc = 1;
			continue;
		}
		printf("%s: %u\n", files[i], f.n);
		for (unsigned k = 0; k < f.n; k++)
			printf("%s\n", f.text[k]);
	}
	return rc;
}

/* Prints each form: code, state, whether its OPK secret is still there. */
static int cmd_vault_forms(const char *path, const char *passfile)
{
	ferry_vault *v = load_vault(path, passfile);
	if (!v)
		return 1;
	static const uint8_t zero[32];
	for (uint32_t p = 0; p < v->npacks; p++) {
		ferry_vault_pack *pk = &v->packs[p];
		printf("pack %s spk-secret=%s word=%s\n",
		       pk->state == FERRY_PACK_ACTIVE ? "active" : "retired",
		       sodium_memcmp(pk->spk_sk, zero, 32) ? "present" : "destroyed",
		       !pk->has_word ? "none"
		       : sodium_memcmp(pk->word, zero, sizeof pk->word) ? "present"
		                                                         : "destroyed");
		for (uint16_t f = 0; f < pk->nforms; f++) {
			char c[FERRY_CODE_TEXT_LEN + 1];
			ferry_form_code_text(c, pk->forms[f].code);
			static const char *st[] = {"open", "grace", "closed"};
			printf("form %s %s answers=%u opk-secret=%s\n", c,
			       st[pk->forms[f].state % 3], pk->forms[f].answers,
			       sodium_memcmp(pk->forms[f].opk_sk, zero, 32)
			           ? "present"
			           : "destroyed");
		}
	}
	ferry_vault_free(v);
	return 0;
}

/* Adds one-form packs until the vault holds n, and saves it: a desk at
 * its limit of packs without issuing them one by one. */
static int cmd_vault_fill(const char *path, const char *passfile, unsigned long n)
{
	ferry_vault *v = load_vault(path, passfile);
	if (!v)
		return 1;
	uint32_t index;
	int rc = 0;
	while (rc == 0 && v->npacks < n)
		rc = ferry_vault_add_pack(v, 1, "filler", 0, FERRY_GRACE_DEFAULT, &index);
	if (rc == 0 && ferry_vault_save(v, path, NULL) != FERRY_OK)
		rc = -1;
	ferry_vault_free(v);
	return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "vectors")) {
		if (testrng_install("ferry vectors") != 0)
			return 2;
		return cmd_vectors(argv[2]);
	}
	if (sodium_init() < 0)
		return 2;
	if (argc == 4 && !strcmp(argv[1], "sanitize"))
		return cmd_sanitize(argv[2], argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "qr-find"))
		return cmd_qr_find(argc - 2, argv + 2);
	if (argc >= 5 && !strcmp(argv[1], "sealer-keys"))
		return cmd_sealer_keys(argv[2], argv[3], argc - 4, argv + 4);
	if (argc == 4 && !strcmp(argv[1], "vault-forms"))
		return cmd_vault_forms(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "vault-fill"))
		return cmd_vault_fill(argv[2], argv[3], strtoul(argv[4], NULL, 10));
	fprintf(
	    stderr,
	    "usage: ferry-testtool vectors DIR | sanitize IN OUT | vault-forms VAULT PASSFILE | vault-fill VAULT PASSFILE N | sealer-keys VAULT PASSFILE FILE... | qr-find PAGE...\n");
	return 2;
}
