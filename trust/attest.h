/* A log attestation: the desk's signed statement that its log had
 * `entries` entries ending in chain head `head` at time `made`. Handed to
 * an editor or a lawyer, it lets the desk later prove that the log it
 * shows extends the attested one (same head at that count), so entries
 * before it were not rewritten. It names no case and holds no secret.
 * docs/FORMAT.md, "Log attestation". */
#ifndef FERRY_ATTEST_H
#define FERRY_ATTEST_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"
#include "../crypto/sizes.h"

#define FERRY_ATTEST_TEXT_MAX 1024
/* What every statement starts with, before its version (a release
 * signature is never made for a file that starts so: trust/release.h). */
#define FERRY_ATTEST_PREFIX "ferry log attestation"

typedef struct {
	uint8_t id_pk[FERRY_ID_PK_LEN]; /* the desk that signed it */
	uint64_t entries;
	uint8_t head[FERRY_HASH_LEN];
	uint64_t made; /* unix seconds */
	/* v2: SHA-256 of the statement before it (has_previous 0: the
	 * first), and the desk's minisign public key, which this statement
	 * certifies. v1 statements have neither. */
	int version;
	int has_previous;
	uint8_t previous[FERRY_HASH_LEN];
	char minisign_key[64];
} ferry_attestation;

/* The statement's text (always v2), signed with the desk identity, into
 * out (NUL-terminated). */
int ferry_attestation_format(char *out, size_t cap, size_t *len,
                             const ferry_attestation *a,
                             const uint8_t id_sk[FERRY_ID_SK_LEN]) FERRY_WUR;
/* Parses a statement and verifies it was signed by the desk whose
 * identity is id_pk: FERRY_EVERIFY when it names another desk, when its
 * signature does not verify, or when it is malformed. */
int ferry_attestation_parse(ferry_attestation *a, const char *text, size_t len,
                            const uint8_t id_pk[FERRY_ID_PK_LEN],
                            ferry_err *e) FERRY_WUR;

#endif
