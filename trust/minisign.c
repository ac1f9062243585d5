#include "minisign.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char DOM_SEED[] = "ferry-v1 minisign key seed";
static const char ALG_KEY[2] = {'E', 'd'};
static const char ALG_PREHASHED[2] = {'E', 'D'};
static const char UNTRUSTED[] = "untrusted comment: ";
static const char TRUSTED[] = "trusted comment: ";

#define PK_BLOB_LEN  FERRY_MINISIGN_PK_BLOB_LEN
#define SIG_BLOB_LEN (2 + FERRY_MINISIGN_KEYID_LEN + FERRY_SIG_LEN)
_Static_assert(FERRY_MINISIGN_PK_TEXT_LEN == (PK_BLOB_LEN + 2) / 3 * 4,
               "the public key text is base64 of its 42 bytes");

int ferry_minisign_key_derive(ferry_minisign_key *k,
                              const uint8_t id_sk[FERRY_ID_SK_LEN])
{
	uint8_t seed[crypto_sign_SEEDBYTES], h[FERRY_HASH_LEN];
	int rc = -1;
	/* Keyed with the identity secret (its seed, the first half of the
	 * Ed25519 secret key), under a domain no other key uses:
	 * a key of its own, the same every time, nothing more to store. */
	if (crypto_generichash(seed, sizeof seed, (const uint8_t *)DOM_SEED,
	                       sizeof DOM_SEED, id_sk, crypto_sign_SEEDBYTES) == 0 &&
	    crypto_sign_seed_keypair(k->pk, k->sk, seed) == 0 &&
	    crypto_generichash(h, sizeof h, k->pk, sizeof k->pk, NULL, 0) == 0) {
		memcpy(k->key_id, h, sizeof k->key_id);
		rc = 0;
	}
	sodium_memzero(seed, sizeof seed);
	return rc;
}

void ferry_minisign_pk_blob(uint8_t out[FERRY_MINISIGN_PK_BLOB_LEN],
                            const ferry_minisign_key *k)
{
	memcpy(out, ALG_KEY, 2);
	memcpy(out + 2, k->key_id, FERRY_MINISIGN_KEYID_LEN);
	memcpy(out + 2 + FERRY_MINISIGN_KEYID_LEN, k->pk, FERRY_ID_PK_LEN);
}

void ferry_minisign_pk_text(char out[FERRY_MINISIGN_PK_TEXT_LEN + 1],
                            const ferry_minisign_key *k)
{
	uint8_t blob[PK_BLOB_LEN];
	ferry_minisign_pk_blob(blob, k);
	sodium_bin2base64(out, FERRY_MINISIGN_PK_TEXT_LEN + 1, blob, sizeof blob,
	                  sodium_base64_VARIANT_ORIGINAL);
}

/* minisign shows a key id as the hex of its little-endian number. */
static void key_id_hex(char out[17], const uint8_t id[FERRY_MINISIGN_KEYID_LEN])
{
	for (int i = 0; i < FERRY_MINISIGN_KEYID_LEN; i++)
		snprintf(out + 2 * i, 3, "%02X", id[FERRY_MINISIGN_KEYID_LEN - 1 - i]);
}

int ferry_minisign_sign(char *out, size_t cap, size_t *len, const uint8_t *msg,
                        size_t msg_len, const char *trusted_comment,
                        const ferry_minisign_key *k)
{
	return ferry_minisign_sign_noted(out, cap, len, msg, msg_len, NULL,
	                                 trusted_comment, k);
}

int ferry_minisign_sign_noted(char *out, size_t cap, size_t *len, const uint8_t *msg,
                              size_t msg_len, const char *untrusted,
                              const char *trusted_comment, const ferry_minisign_key *k)
{
	uint8_t h[crypto_generichash_BYTES_MAX], blob[SIG_BLOB_LEN];
	uint8_t global[FERRY_SIG_LEN];
	char b64a[2 * SIG_BLOB_LEN], b64b[2 * FERRY_SIG_LEN], id[17];
	*len = 0;
	if (strchr(trusted_comment, '\n') || strlen(trusted_comment) > 512 ||
	    (untrusted && (strchr(untrusted, '\n') || strlen(untrusted) > 512)))
		return -1;
	memcpy(blob, ALG_PREHASHED, 2);
	memcpy(blob + 2, k->key_id, FERRY_MINISIGN_KEYID_LEN);
	if (crypto_generichash(h, sizeof h, msg, msg_len, NULL, 0) != 0 ||
	    crypto_sign_detached(blob + 2 + FERRY_MINISIGN_KEYID_LEN, NULL, h, sizeof h,
	                         k->sk) != 0)
		return -1;
	/* The global signature binds the trusted comment to the signature:
	 * plain Ed25519 over signature || comment. */
	uint8_t *cat = sodium_malloc(FERRY_SIG_LEN + strlen(trusted_comment));
	if (!cat)
		return -1;
	memcpy(cat, blob + 2 + FERRY_MINISIGN_KEYID_LEN, FERRY_SIG_LEN);
	memcpy(cat + FERRY_SIG_LEN, trusted_comment, strlen(trusted_comment));
	int rc = crypto_sign_detached(global, NULL, cat,
	                              FERRY_SIG_LEN + strlen(trusted_comment), k->sk);
	sodium_free(cat);
	if (rc != 0)
		return -1;
	sodium_bin2base64(b64a, sizeof b64a, blob, sizeof blob,
	                  sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2base64(b64b, sizeof b64b, global, sizeof global,
	                  sodium_base64_VARIANT_ORIGINAL);
	key_id_hex(id, k->key_id);
	int n =
	    untrusted
	        ? snprintf(out, cap, "%s%s\n%s\n%s%s\n%s\n", UNTRUSTED, untrusted, b64a,
	                   TRUSTED, trusted_comment, b64b)
	        : snprintf(
	              out, cap,
	              "%ssignature from the ferry desk's minisign key %s\n%s\n%s%s\n%s\n",
	              UNTRUSTED, id, b64a, TRUSTED, trusted_comment, b64b);
	if (n < 0 || (size_t)n >= cap)
		return -1;
	*len = (size_t)n;
	return 0;
}

/* The line at *p (without its newline); *p moves past it. */
static const char *line(const char **p, const char *end, size_t *n)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	if (!nl)
		return NULL;
	const char *l = *p;
	*n = (size_t)(nl - l);
	*p = nl + 1;
	return l;
}

static int b64(uint8_t *out, size_t want, const char *s, size_t n)
{
	size_t got = 0;
	return sodium_base642bin(out, want, s, n, NULL, &got, NULL,
	                         sodium_base64_VARIANT_ORIGINAL) == 0 &&
	               got == want
	           ? 0
	           : -1;
}

int ferry_minisign_verify(const char *sig, size_t sig_len, const uint8_t *msg,
                          size_t msg_len, const char *pk_text, char *comment,
                          size_t comment_cap, ferry_err *e)
{
	uint8_t pkb[PK_BLOB_LEN], blob[SIG_BLOB_LEN], global[FERRY_SIG_LEN];
	uint8_t h[crypto_generichash_BYTES_MAX];
	const char *p = sig, *end = sig + sig_len, *l;
	size_t n = 0;
	if (b64(pkb, sizeof pkb, pk_text, strlen(pk_text)) != 0 ||
	    memcmp(pkb, ALG_KEY, 2) != 0)
		return ferry_fail(e, FERRY_EUSAGE, "not a minisign public key");
	if (sig_len > FERRY_MINISIGN_SIG_MAX || !(l = line(&p, end, &n)) ||
	    n < sizeof UNTRUSTED - 1 || memcmp(l, UNTRUSTED, sizeof UNTRUSTED - 1) ||
	    !(l = line(&p, end, &n)) || b64(blob, sizeof blob, l, n) != 0 ||
	    !(l = line(&p, end, &n)) || n < sizeof TRUSTED - 1 ||
	    memcmp(l, TRUSTED, sizeof TRUSTED - 1))
		return ferry_fail(e, FERRY_EVERIFY, "not a minisign signature file");
	const char *tc = l + sizeof TRUSTED - 1;
	size_t tcl = n - (sizeof TRUSTED - 1);
	if (!(l = line(&p, end, &n)) || b64(global, sizeof global, l, n) != 0)
		return ferry_fail(e, FERRY_EVERIFY, "not a minisign signature file");
	if (memcmp(blob, ALG_PREHASHED, 2) != 0)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "a minisign signature of another kind than ferry makes");
	if (memcmp(blob + 2, pkb + 2, FERRY_MINISIGN_KEYID_LEN) != 0)
		return ferry_fail(e, FERRY_EVERIFY,
		                  "the signature was made with another key");
	const uint8_t *pk = pkb + 2 + FERRY_MINISIGN_KEYID_LEN;
	const uint8_t *s = blob + 2 + FERRY_MINISIGN_KEYID_LEN;
	if (crypto_generichash(h, sizeof h, msg, msg_len, NULL, 0) != 0 ||
	    crypto_sign_verify_detached(s, h, sizeof h, pk) != 0)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "the signature does not verify: the file was changed");
	uint8_t cat[FERRY_SIG_LEN + 1024];
	if (tcl > sizeof cat - FERRY_SIG_LEN)
		return ferry_fail(e, FERRY_EVERIFY, "the trusted comment is too long");
	memcpy(cat, s, FERRY_SIG_LEN);
	memcpy(cat + FERRY_SIG_LEN, tc, tcl);
	if (crypto_sign_verify_detached(global, cat, FERRY_SIG_LEN + tcl, pk) != 0)
		return ferry_fail(e, FERRY_EVERIFY,
		                  "the trusted comment's signature does not verify");
	if (comment && comment_cap)
		snprintf(comment, comment_cap, "%.*s", (int)tcl, tc);
	return FERRY_OK;
}
