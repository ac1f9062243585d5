/* Public, signed material the desk hands out: packs (a contact's set of
 * forms), seal codes (one form as text for a QR code), fingerprints. The
 * relay credential is trust/credential.h. docs/FORMAT.md, "Pack", "Seal
 * code", "Fingerprint". */
#ifndef FERRY_PACK_H
#define FERRY_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "../common/clock.h"
#include "../common/err.h"
#include "../crypto/sizes.h"

#define FERRY_PACK_ID_LEN 8
_Static_assert(FERRY_PACK_ID_LEN == FERRY_PROOF_PACK_ID_LEN,
               "the pack proof binds the whole pack id");
#define FERRY_FORM_CODE_LEN 5 /* 40 bits, 8 base32 characters */
#define FERRY_FORMS_MAX     1000
#define FERRY_PACKS_MAX     1000
#define FERRY_FP_TEXT_LEN   39 /* 8 groups of 4 and 7 dashes */
#define FERRY_CODE_TEXT_LEN 9  /* XXXX-XXXX */
/* A seal code as written (version 2): base32 of its body, no prefix. A
 * reader also takes version 1 codes, up to FERRY_SEALCODE_TEXT_MAX. */
#define FERRY_SEALCODE_BODY     216
#define FERRY_SEALCODE_TEXT_LEN 346
#define FERRY_SEALCODE_TEXT_MAX 351

typedef struct {
	uint8_t identity_pk[FERRY_ID_PK_LEN];
	uint8_t pack_id[FERRY_PACK_ID_LEN];
	uint16_t form_index;
	uint8_t form_code[FERRY_FORM_CODE_LEN];
	uint32_t expires_day; /* days since 1970-01-01 UTC, 0 = never */
	uint8_t spk[FERRY_X25519_LEN];
	uint8_t opk[FERRY_X25519_LEN];
	uint8_t relay_pk[FERRY_X25519_LEN]; /* the desk's relay public key */
} ferry_form_pub;

typedef struct {
	uint8_t code[FERRY_FORM_CODE_LEN];
	uint8_t opk[FERRY_X25519_LEN];
} ferry_pack_form;

typedef struct {
	uint8_t identity_pk[FERRY_ID_PK_LEN];
	uint8_t pack_id[FERRY_PACK_ID_LEN];
	uint32_t expires_day;
	uint8_t spk[FERRY_X25519_LEN];
	uint8_t relay_pk[FERRY_X25519_LEN]; /* the desk's relay public key */
	uint16_t nforms;
	ferry_pack_form forms[FERRY_FORMS_MAX];
} ferry_pack;

/* Fingerprint: BLAKE2b-160 of the identity key, 32 base32 characters in
 * groups of four ("ABCD-EFGH-..."). */
void ferry_fingerprint(char out[FERRY_FP_TEXT_LEN + 1],
                       const uint8_t pk[FERRY_ID_PK_LEN]);
/* FERRY_OK when text (any case, dashes and spaces ignored, Crockford
 * aliases accepted) names pk, compared in constant time; FERRY_EVERIFY
 * for a mismatch ("the <what> was not signed by ...", or a probable typo
 * naming the group to check), FERRY_EUSAGE when text is not a fingerprint
 * at all. */
int ferry_fingerprint_check(const char *text, const uint8_t pk[FERRY_ID_PK_LEN],
                            const char *what, ferry_err *e) FERRY_WUR;
/* A mismatch within FERRY_FP_TYPOS_MAX characters is called a probable
 * typo (naming the group to check), not a forgery; it still fails. */
#define FERRY_FP_TYPOS_MAX 2
/* How many characters of text (a fingerprint) differ from pk's
 * fingerprint, the first at *first (may be NULL); FERRY_FP_NOT_ONE when
 * text is not a fingerprint. */
#define FERRY_FP_NOT_ONE 33u
unsigned ferry_fingerprint_typos(const char *text, const uint8_t pk[FERRY_ID_PK_LEN],
                                 unsigned *first);
/* Desk id stored in the log: BLAKE2b-256 of the identity key. */
void ferry_identity_digest(uint8_t out[FERRY_HASH_LEN], const uint8_t pk[FERRY_ID_PK_LEN]);

void ferry_form_code_text(char out[FERRY_CODE_TEXT_LEN + 1],
                          const uint8_t code[FERRY_FORM_CODE_LEN]);
int ferry_form_code_parse(uint8_t code[FERRY_FORM_CODE_LEN],
                          const char *text) FERRY_WUR;

/* Pack file: serialize signs with the identity secret key (64 bytes);
 * parse verifies the signature against the key in the file (the caller
 * then checks that key's fingerprint). */
size_t ferry_pack_size(uint16_t nforms);
int ferry_pack_serialize(uint8_t *out, size_t cap, size_t *len, const ferry_pack *p,
                         const uint8_t id_sk[FERRY_ID_SK_LEN]) FERRY_WUR;
int ferry_pack_parse(ferry_pack *p, const uint8_t *in, size_t len,
                     ferry_err *e) FERRY_WUR;
/* Form i of a pack as a ferry_form_pub. */
void ferry_pack_form_pub(ferry_form_pub *f, const ferry_pack *p, uint16_t i);

/* Seal codes (trust/sealcode.c). The text written (version 2,
 * NUL-terminated, FERRY_SEALCODE_TEXT_LEN characters) names nothing: what
 * a phone's QR reader shows is letters and digits alone. */
int ferry_sealcode_encode(char *out, size_t cap, const ferry_form_pub *f,
                          const uint8_t id_sk[FERRY_ID_SK_LEN]) FERRY_WUR;
/* Accepts a version 2 or version 1 ("FERRY1:...") code as a reader
 * returns it: surrounding white space, lower case, Crockford aliases.
 * Checks the checksum, then the signature. e distinguishes a damaged code
 * from a forged one and from a text that is no seal code. */
int ferry_sealcode_decode(ferry_form_pub *f, const char *text, ferry_err *e) FERRY_WUR;
/* Nonzero when text claims to be a seal code (a version 2 code's length,
 * alphabet and version, or version 1's prefix), good or not: a QR that
 * claims to be one and does not verify is named, not passed over. */
int ferry_sealcode_claims(const char *text);

#endif
