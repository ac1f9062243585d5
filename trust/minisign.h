/* The desk's minisign key: signatures in minisign's format, so that an
 * editor checks a log attestation (and, later, a release) with Debian's
 * minisign and one public key, without ferry. docs/FORMAT.md, "Minisign".
 *
 * It is a separate Ed25519 key, derived from the identity secret under a
 * domain of its own and named (certified) in every signed attestation:
 * minisign's prehashed signature is Ed25519 over BLAKE2b-512 of the file,
 * the very shape of ferry's signatures over BLAKE2b-512(domain || message),
 * so the identity key itself must never sign a minisign file (a file
 * starting "ferry-v1 pack" would carry a valid pack signature). */
#ifndef FERRY_MINISIGN_H
#define FERRY_MINISIGN_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"
#include "../crypto/sizes.h"

#define FERRY_MINISIGN_KEYID_LEN 8
/* base64 of "Ed" || key id || public key (42 bytes): 56 characters. */
#define FERRY_MINISIGN_PK_TEXT_LEN 56
#define FERRY_MINISIGN_SIG_MAX     1024

typedef struct {
	uint8_t pk[FERRY_ID_PK_LEN];
	uint8_t sk[FERRY_ID_SK_LEN];
	uint8_t key_id[FERRY_MINISIGN_KEYID_LEN];
} ferry_minisign_key;

/* The desk's minisign key pair, from its identity secret key. Wipe it
 * with sodium_memzero after use. */
int ferry_minisign_key_derive(ferry_minisign_key *k,
                              const uint8_t id_sk[FERRY_ID_SK_LEN]) FERRY_WUR;
/* The public key's bytes: "Ed" || key id || public key. */
#define FERRY_MINISIGN_PK_BLOB_LEN (2 + FERRY_MINISIGN_KEYID_LEN + FERRY_ID_PK_LEN)
void ferry_minisign_pk_blob(uint8_t out[FERRY_MINISIGN_PK_BLOB_LEN],
                            const ferry_minisign_key *k);
/* The public key as `minisign -P` takes it (NUL-terminated): base64 of
 * its bytes. */
void ferry_minisign_pk_text(char out[FERRY_MINISIGN_PK_TEXT_LEN + 1],
                            const ferry_minisign_key *k);
/* A .minisig file for msg (prehashed, algorithm "ED"), with the one-line
 * trusted comment (no newline, at most 512 bytes) signed too. */
int ferry_minisign_sign(char *out, size_t cap, size_t *len, const uint8_t *msg,
                        size_t msg_len, const char *trusted_comment,
                        const ferry_minisign_key *k) FERRY_WUR;
/* The same with the untrusted comment line's text (no newline, NULL: the
 * default, which names the key id). */
int ferry_minisign_sign_noted(char *out, size_t cap, size_t *len, const uint8_t *msg,
                              size_t msg_len, const char *untrusted,
                              const char *trusted_comment,
                              const ferry_minisign_key *k) FERRY_WUR;
/* Checks a .minisig for msg under the public key text pk_text as minisign
 * -V does (prehashed signatures only); FERRY_EVERIFY when it does not
 * verify. comment gets the trusted comment. */
int ferry_minisign_verify(const char *sig, size_t sig_len, const uint8_t *msg,
                          size_t msg_len, const char *pk_text, char *comment,
                          size_t comment_cap, ferry_err *e) FERRY_WUR;

#endif
