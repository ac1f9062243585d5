/* Signed releases: the desk signs the offline page and the programs it
 * hands out ('ferry-desk sign'), in minisign's format under the desk's
 * minisign key (trust/minisign.h), never the identity key itself. An
 * investigator checks them with Debian's minisign and the public key
 * 'ferry-desk fingerprint DESK --minisign' prints; a contact who has only
 * the desk's fingerprint checks them with 'ferry-seal --verify', which
 * takes the minisign key from a certificate in the signature file's
 * untrusted comment: the identity key's signature over the minisign key,
 * so the fingerprint is all a verifier needs. docs/FORMAT.md, "Release
 * signature". */
#ifndef FERRY_RELEASE_H
#define FERRY_RELEASE_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"
#include "../crypto/sizes.h"
#include "minisign.h"

#define FERRY_RELEASE_COMMENT  "ferry release: "
#define FERRY_RELEASE_NAME_MAX 255
#define FERRY_RELEASE_FILE_MAX (512u << 20) /* bytes of a file signed */

/* The .minisig for msg, released as name (the file's base name, in the
 * trusted comment "ferry release: NAME"). FERRY_EUSAGE for a file that
 * starts like a log attestation (a release signature must never pass for
 * one) or a name that cannot go in a comment. */
int ferry_release_sign(char *out, size_t cap, size_t *len, const uint8_t *msg,
                       size_t msg_len, const char *name,
                       const uint8_t id_sk[FERRY_ID_SK_LEN], ferry_err *e) FERRY_WUR;
/* Checks that sig signs msg as the release name, under the minisign key
 * the desk whose fingerprint is fp_text certified. FERRY_EVERIFY when the
 * signature, the certificate or the name does not verify (a probable typo
 * in the fingerprint is named as such); FERRY_EUSAGE when fp_text is not a
 * fingerprint. */
int ferry_release_verify(const char *sig, size_t sig_len, const uint8_t *msg,
                         size_t msg_len, const char *name, const char *fp_text,
                         ferry_err *e) FERRY_WUR;

/* The same on files: FILE is read whole (at most FERRY_RELEASE_FILE_MAX
 * bytes), released under its base name, its signature FILE.minisig.
 * sign_file writes FILE.minisig as a new file (sigpath gets its path) and
 * never replaces one. */
int ferry_release_sign_file(const char *path, const uint8_t id_sk[FERRY_ID_SK_LEN],
                            char *sigpath, size_t cap, ferry_err *e) FERRY_WUR;
int ferry_release_verify_file(const char *path, const char *fp_text,
                              ferry_err *e) FERRY_WUR;

#endif
