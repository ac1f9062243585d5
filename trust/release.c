/* Signed releases (trust/release.h): writer and reader side by side. */
#include "release.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/fileio.h"
#include "../common/i18n.h"
#include "../common/utf8.h"
#include "attest.h"
#include "pack.h"
#include "sign.h"

static const char DOM_CERT[] = "ferry-v1 minisign key certificate";
static const char CERT_TAG[] = "; certificate ";

#define KEY_BLOB_LEN FERRY_MINISIGN_PK_BLOB_LEN
#define CERT_LEN     (FERRY_ID_PK_LEN + KEY_BLOB_LEN + FERRY_SIG_LEN)
#define CERT_TEXT    (sodium_base64_ENCODED_LEN(CERT_LEN, sodium_base64_VARIANT_ORIGINAL))

/* A name fit for a one-line comment: UTF-8 text, no newline or control
 * character. */
static int name_ok(const char *name)
{
	size_t n = strlen(name);
	return n > 0 && n <= FERRY_RELEASE_NAME_MAX &&
	       ferry_text_check(name, n, 0) == FERRY_TEXT_OK;
}

int ferry_release_sign(char *out, size_t cap, size_t *len, const uint8_t *msg,
                       size_t msg_len, const char *name,
                       const uint8_t id_sk[FERRY_ID_SK_LEN], ferry_err *e)
{
	ferry_minisign_key k;
	uint8_t cert[CERT_LEN];
	char pk_text[FERRY_MINISIGN_PK_TEXT_LEN + 1], fp[FERRY_FP_TEXT_LEN + 1];
	char cert_text[CERT_TEXT], untrusted[512], trusted[FERRY_RELEASE_NAME_MAX + 32];
	*len = 0;
	if (msg_len >= sizeof FERRY_ATTEST_PREFIX - 1 &&
	    !memcmp(msg, FERRY_ATTEST_PREFIX, sizeof FERRY_ATTEST_PREFIX - 1))
		return ferry_fail_hint(
		    e, FERRY_EUSAGE,
		    "attestations are signed by 'ferry-desk log DESK attest'",
		    "it starts like a log attestation, and a release "
		    "signature must never pass for one");
	if (!name_ok(name))
		return ferry_fail(e, FERRY_EUSAGE,
		                  "the file's name cannot go in a signature");
	if (ferry_minisign_key_derive(&k, id_sk) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot make the minisign key");
	/* The certificate: the identity key's signature over the minisign
	 * key's text, so that the fingerprint alone leads to the key. */
	ferry_minisign_pk_text(pk_text, &k);
	memcpy(cert, id_sk + 32, FERRY_ID_PK_LEN); /* an Ed25519 sk ends with its pk */
	ferry_minisign_pk_blob(cert + FERRY_ID_PK_LEN, &k);
	int rc = ferry_sign_domain(cert + FERRY_ID_PK_LEN + KEY_BLOB_LEN, DOM_CERT,
	                           sizeof DOM_CERT, (const uint8_t *)pk_text,
	                           strlen(pk_text), id_sk);
	sodium_bin2base64(cert_text, sizeof cert_text, cert, sizeof cert,
	                  sodium_base64_VARIANT_ORIGINAL);
	ferry_fingerprint(fp, cert);
	snprintf(untrusted, sizeof untrusted, "ferry release, desk %s%s%s", fp,
	         CERT_TAG, cert_text);
	snprintf(trusted, sizeof trusted, "%s%s", FERRY_RELEASE_COMMENT, name);
	if (rc == 0)
		rc = ferry_minisign_sign_noted(out, cap, len, msg, msg_len, untrusted,
		                               trusted, &k);
	sodium_memzero(&k, sizeof k);
	return rc == 0 ? FERRY_OK : ferry_fail(e, FERRY_EOP, "cannot sign");
}

/* The certificate from the signature file's first line: the identity key
 * and the minisign key's text, once the certificate verifies. */
static int read_certificate(const char *sig, size_t sig_len,
                            uint8_t id_pk[FERRY_ID_PK_LEN],
                            char pk_text[FERRY_MINISIGN_PK_TEXT_LEN + 1], ferry_err *e)
{
	uint8_t cert[CERT_LEN];
	const char *nl = memchr(sig, '\n', sig_len);
	const char *at = NULL;
	for (const char *p = sig; nl && p + sizeof CERT_TAG - 1 <= nl; p++)
		if (!memcmp(p, CERT_TAG, sizeof CERT_TAG - 1))
			at = p + sizeof CERT_TAG - 1;
	size_t got = 0;
	if (!at ||
	    sodium_base642bin(cert, sizeof cert, at, (size_t)(nl - at), NULL, &got,
	                      NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    got != sizeof cert)
		return ferry_fail_hint(
		    e, FERRY_EVERIFY,
		    "check it with minisign and the desk's minisign key",
		    "the signature carries no certificate of the desk's key");
	memcpy(id_pk, cert, FERRY_ID_PK_LEN);
	sodium_bin2base64(pk_text, FERRY_MINISIGN_PK_TEXT_LEN + 1,
	                  cert + FERRY_ID_PK_LEN, KEY_BLOB_LEN,
	                  sodium_base64_VARIANT_ORIGINAL);
	if (ferry_verify_domain(cert + FERRY_ID_PK_LEN + KEY_BLOB_LEN, DOM_CERT,
	                        sizeof DOM_CERT, (const uint8_t *)pk_text,
	                        strlen(pk_text), id_pk) != 0)
		return ferry_fail(e, FERRY_EVERIFY,
		                  "the certificate of the signing key does not verify");
	return FERRY_OK;
}

int ferry_release_verify(const char *sig, size_t sig_len, const uint8_t *msg,
                         size_t msg_len, const char *name, const char *fp_text,
                         ferry_err *e)
{
	uint8_t id_pk[FERRY_ID_PK_LEN];
	char pk_text[FERRY_MINISIGN_PK_TEXT_LEN + 1],
	    comment[FERRY_RELEASE_NAME_MAX + 32];
	char want[sizeof comment];
	if (sig_len > FERRY_MINISIGN_SIG_MAX)
		return ferry_fail(e, FERRY_EVERIFY, "not a minisign signature file");
	int rc = read_certificate(sig, sig_len, id_pk, pk_text, e);
	if (rc != FERRY_OK)
		return rc;
	/* Whose key it is comes first: a stranger's good signature is no
	 * release of this desk's. */
	if ((rc = ferry_fingerprint_check(fp_text, id_pk, N_("release"), e)) != FERRY_OK)
		return rc;
	if ((rc = ferry_minisign_verify(sig, sig_len, msg, msg_len, pk_text, comment,
	                                sizeof comment, e)) != FERRY_OK)
		return rc;
	snprintf(want, sizeof want, "%s%s", FERRY_RELEASE_COMMENT, name);
	if (strcmp(comment, want) != 0)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "the desk signed this as '%s', not as a release named '%s'",
		    comment, name);
	return FERRY_OK;
}

int ferry_release_sign_file(const char *path, const uint8_t id_sk[FERRY_ID_SK_LEN],
                            char *sigpath, size_t cap, ferry_err *e)
{
	char sig[FERRY_MINISIGN_SIG_MAX];
	uint8_t *msg = NULL;
	size_t mlen = 0, slen = 0;
	if (ferry_path_fmt(sigpath, cap, "%s.minisig", path) != 0)
		return ferry_fail(e, FERRY_EUSAGE, "the path is too long");
	int rc =
	    ferry_read_file(path, FERRY_RELEASE_FILE_MAX, &msg, &mlen, N_("the file"), e);
	if (rc == FERRY_OK)
		rc = ferry_release_sign(sig, sizeof sig, &slen, msg, mlen,
		                        ferry_basename(path), id_sk, e);
	free(msg);
	if (rc == FERRY_OK)
		rc = ferry_write_new(sigpath, (const uint8_t *)sig, slen, 0644, e);
	return rc;
}

int ferry_release_verify_file(const char *path, const char *fp_text, ferry_err *e)
{
	char sigpath[FERRY_PATH_MAX];
	uint8_t *msg = NULL, *sig = NULL;
	size_t mlen = 0, slen = 0;
	if (ferry_path_fmt(sigpath, sizeof sigpath, "%s.minisig", path) != 0)
		return ferry_fail(e, FERRY_EUSAGE, "the path is too long");
	int rc =
	    ferry_read_file(path, FERRY_RELEASE_FILE_MAX, &msg, &mlen, N_("the file"), e);
	if (rc == FERRY_OK)
		rc = ferry_read_file(sigpath, FERRY_MINISIGN_SIG_MAX, &sig, &slen,
		                     N_("its signature"), e);
	if (rc == FERRY_OK)
		rc = ferry_release_verify((const char *)sig, slen, msg, mlen,
		                          ferry_basename(path), fp_text, e);
	free(msg);
	free(sig);
	return rc;
}
