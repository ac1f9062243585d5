/* The relay credential: what the desk gives an investigator's relay.
 * It holds the desk's identity (to check its signature), the relay
 * secret key(s) that check relay tags, and the chaff public key that
 * relays seal cover traffic to -- and nothing about packs, so a relay
 * cannot seal anything the desk files as testimony. It is SECRET: the
 * relay keys recognise the desk's bundles. docs/FORMAT.md, "Relay
 * credential". */
#ifndef FERRY_CREDENTIAL_H
#define FERRY_CREDENTIAL_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"
#include "../crypto/bundle.h"
#include "../crypto/sizes.h"

#define FERRY_CREDENTIAL_PREFIX   "FERRYRC1:"
#define FERRY_CREDENTIAL_TEXT_MAX 2048
#define FERRY_COVER_HOURS_DEFAULT 6
#define FERRY_COVER_HOURS_MAX     168

/* Keep it in sodium_malloc memory: it holds secret keys. */
typedef struct {
	uint8_t identity_pk[FERRY_ID_PK_LEN];
	uint8_t chaff_pk[FERRY_X25519_LEN];
	/* The desk's wrap key: every hop wraps to it (crypto/wrap.h). */
	uint8_t wrap_pk[FERRY_X25519_LEN];
	/* The UTC day (days since 1970) from which relays tag what they
	 * store and forward under the newest relay key; before it, under the
	 * one before. 0: at once. */
	uint32_t newest_from_day;
	/* A relay forwarding with --cover sends a cover batch only when no
	 * batch left in the last cover_hours hours: the desk sets what cover
	 * costs its relays (1 to FERRY_COVER_HOURS_MAX). */
	uint16_t cover_hours;
	ferry_relay_keys relay; /* pk derived from sk on parse */
	/* How chaff lengths are drawn: a weight per size class, fixed and
	 * signed by the desk, never taken from the traffic a relay saw. A
	 * credential from before it gets ferry_chaff_weights_default. */
	uint16_t chaff_weight[FERRY_CLASSES];
} ferry_credential;

/* The desk's default: modelled on phone photos of paper pages, 1 to 12
 * photos of 1 to 6 MB, and a few answers-only bundles (docs/FORMAT.md,
 * "Relay credential"). */
void ferry_chaff_weights_default(uint16_t w[FERRY_CLASSES]);

/* Which relay key (an index into relay) a relay tags its output with at
 * now: the newest from newest_from_day on, the one before until then. */
unsigned ferry_credential_out_key(const ferry_credential *c, uint64_t now);

/* The credential's text (a commented header, then one line), signed
 * with the identity secret key, into out (NUL-terminated). */
int ferry_credential_format(char *out, size_t cap, size_t *len,
                            const ferry_credential *c,
                            const uint8_t id_sk[FERRY_ID_SK_LEN]) FERRY_WUR;
/* Parses and verifies the signature against the identity key in it (the
 * caller then checks that key's fingerprint). An old relay profile is
 * named as such, with what to do. */
int ferry_credential_parse(ferry_credential *c, const char *text, size_t len,
                           ferry_err *e) FERRY_WUR;

#endif
