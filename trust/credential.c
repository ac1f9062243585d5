#include "credential.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../common/le.h"
#include "../crypto/b32.h"
#include "pack.h"
#include "sign.h"

static const char MAGIC_V1[8] = {'F', 'E', 'R', 'R', 'Y', 'R', 'C', '1'};
static const char MAGIC_V2[8] = {'F', 'E', 'R', 'R', 'Y', 'R', 'C', '2'};
static const char MAGIC[8] = {'F', 'E', 'R', 'R', 'Y', 'R', 'C', '3'};
static const char DOM_CREDENTIAL[] = "ferry-v1 relay credential";
/* magic, identity, chaff key, wrap key, newest-from day, cover hours, key
 * count, keys, chaff table, signature */
#define BODY_FIXED                                                                     \
	(sizeof MAGIC + FERRY_ID_PK_LEN + FERRY_X25519_LEN + FERRY_X25519_LEN + 4 +    \
	 2 + 1)
#define BODY_MAX                                                                       \
	(BODY_FIXED + FERRY_RELAY_KEYS_MAX * FERRY_X25519_LEN + 1 +                    \
	 FERRY_CLASSES * 3 + FERRY_SIG_LEN)

void ferry_chaff_weights_default(uint16_t w[FERRY_CLASSES])
{
	memset(w, 0, FERRY_CLASSES * sizeof *w);
	/* Answers without pages: the smallest class. Pages: 1 to 72 MB,
	 * most between 4 and 16 MB (two to four photos). */
	w[0] = 2;
	for (unsigned k = 0; k < FERRY_CLASSES; k++) {
		uint64_t l = ferry_class_len(k);
		if (l >= (1u << 20) && l < (4u << 20))
			w[k] = 2;
		else if (l >= (4u << 20) && l < (16u << 20))
			w[k] = 3;
		else if (l >= (16u << 20) && l <= (72u << 20))
			w[k] = 1;
	}
}

static const char HEADER[] =
    "# ferry relay credential. SECRET: it holds the desk's relay secret key,\n"
    "# which recognises this desk's bundles. Keep it only on the relay's machine\n"
    "# (mode 0600), and destroy it when the relay stops relaying.\n";

static size_t body_len(unsigned nkeys, unsigned nclasses)
{
	return BODY_FIXED + (size_t)nkeys * 32 + 1 + nclasses * 3u + FERRY_SIG_LEN;
}

unsigned ferry_credential_out_key(const ferry_credential *c, uint64_t now)
{
	/* Before its first day the newest key is only checked, so a chain
	 * keeps working while the new credential reaches every relay. */
	if (c->relay.n >= 2 && c->newest_from_day && now / 86400 < c->newest_from_day)
		return c->relay.n - 2;
	return c->relay.n - 1;
}

int ferry_credential_format(char *out, size_t cap, size_t *len,
                            const ferry_credential *c,
                            const uint8_t id_sk[FERRY_ID_SK_LEN])
{
	uint8_t body[BODY_MAX];
	char fp[FERRY_FP_TEXT_LEN + 1];
	ferry_wbuf w = {body, sizeof body, 0, 0};
	int rc = -1;
	*len = 0;
	if (c->relay.n == 0 || c->relay.n > FERRY_RELAY_KEYS_MAX ||
	    c->cover_hours == 0 || c->cover_hours > FERRY_COVER_HOURS_MAX)
		return -1;
	ferry_w_bytes(&w, MAGIC, sizeof MAGIC);
	ferry_w_bytes(&w, c->identity_pk, FERRY_ID_PK_LEN);
	ferry_w_bytes(&w, c->chaff_pk, FERRY_X25519_LEN);
	ferry_w_bytes(&w, c->wrap_pk, FERRY_X25519_LEN);
	ferry_w_le(&w, c->newest_from_day, 4);
	ferry_w_le(&w, c->cover_hours, 2);
	ferry_w_le(&w, c->relay.n, 1);
	for (unsigned i = 0; i < c->relay.n; i++)
		ferry_w_bytes(&w, c->relay.sk[i], FERRY_X25519_LEN);
	unsigned classes = 0;
	for (unsigned k = 0; k < FERRY_CLASSES; k++)
		classes += c->chaff_weight[k] != 0;
	if (classes == 0)
		goto out;
	ferry_w_le(&w, classes, 1);
	for (unsigned k = 0; k < FERRY_CLASSES; k++)
		if (c->chaff_weight[k]) {
			ferry_w_le(&w, k, 1);
			ferry_w_le(&w, c->chaff_weight[k], 2);
		}
	if (w.bad || w.cap - w.len < FERRY_SIG_LEN ||
	    ferry_sign_domain(body + w.len, DOM_CREDENTIAL, sizeof DOM_CREDENTIAL, body,
	                      w.len, id_sk) != 0)
		goto out;
	w.len += FERRY_SIG_LEN;
	ferry_fingerprint(fp, c->identity_pk);
	int n = snprintf(out, cap, "%s# desk fingerprint %s\n%s", HEADER, fp,
	                 FERRY_CREDENTIAL_PREFIX);
	if (n < 0 || (size_t)n >= cap || cap - (size_t)n < FERRY_B32_LEN(w.len) + 2 ||
	    ferry_b32_encode(out + n, cap - (size_t)n, body, w.len) != 0)
		goto out;
	*len = strlen(out);
	out[(*len)++] = '\n';
	out[*len] = '\0';
	rc = 0;
out:
	sodium_memzero(body, sizeof body);
	return rc;
}

/* The one line that is not a comment, without its line end. */
static const char *body_line(const char *text, size_t len, size_t *n)
{
	const char *found = NULL;
	for (size_t off = 0; off < len;) {
		const char *l = text + off;
		const char *nl = memchr(l, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - l) : len - off;
		off += ll + (nl ? 1 : 0);
		if (ll && l[ll - 1] == '\r')
			ll--;
		if (ll == 0 || l[0] == '#')
			continue;
		if (found)
			return NULL;
		found = l;
		*n = ll;
	}
	return found;
}

static int parse_body(ferry_credential *c, const uint8_t *b, size_t n, ferry_err *e)
{
	ferry_rd r = {b, n, 0, 0};
	uint8_t magic[sizeof MAGIC];
	ferry_rd_copy(&r, magic, sizeof magic);
	if (!r.bad && (!memcmp(magic, MAGIC_V1, sizeof MAGIC_V1) ||
	               !memcmp(magic, MAGIC_V2, sizeof MAGIC_V2)))
		return ferry_fail_hint(
		    e, FERRY_EUSAGE,
		    "ask the journalist for a new one ('ferry-desk relay-credential') and install it with 'ferry-relay renew SPOOL --credential FILE --desk FINGERPRINT'",
		    "this relay credential is from before relays re-wrap bundles: it names no wrap key");
	ferry_rd_copy(&r, c->identity_pk, FERRY_ID_PK_LEN);
	ferry_rd_copy(&r, c->chaff_pk, FERRY_X25519_LEN);
	ferry_rd_copy(&r, c->wrap_pk, FERRY_X25519_LEN);
	c->newest_from_day = (uint32_t)ferry_rd_le(&r, 4);
	c->cover_hours = (uint16_t)ferry_rd_le(&r, 2);
	unsigned k = (unsigned)ferry_rd_le(&r, 1);
	if (r.bad || memcmp(magic, MAGIC, sizeof MAGIC) != 0 || k == 0 ||
	    k > FERRY_RELAY_KEYS_MAX || c->cover_hours == 0 ||
	    c->cover_hours > FERRY_COVER_HOURS_MAX)
		return ferry_fail(e, FERRY_EVERIFY,
		                  "the relay credential is damaged or cut short");
	for (unsigned i = 0; i < k; i++)
		ferry_rd_copy(&r, c->relay.sk[i], FERRY_X25519_LEN);
	/* Classes in increasing order, each with a weight from 1. */
	unsigned classes = (unsigned)ferry_rd_le(&r, 1);
	int last = -1;
	for (unsigned i = 0; i < classes && !r.bad; i++) {
		unsigned cl = (unsigned)ferry_rd_le(&r, 1);
		uint16_t wt = (uint16_t)ferry_rd_le(&r, 2);
		if (r.bad || cl >= FERRY_CLASSES || (int)cl <= last || wt == 0)
			return ferry_fail(
			    e, FERRY_EVERIFY,
			    "the relay credential's chaff table is damaged");
		c->chaff_weight[cl] = wt;
		last = (int)cl;
	}
	if (!r.bad && classes == 0)
		return ferry_fail(e, FERRY_EVERIFY,
		                  "the relay credential's chaff table is empty");
	if (r.bad || n != body_len(k, classes))
		return ferry_fail(e, FERRY_EVERIFY,
		                  "the relay credential is damaged or cut short");
	const uint8_t *sig = ferry_rd_take(&r, FERRY_SIG_LEN);
	if (r.bad || !sig ||
	    ferry_verify_domain(sig, DOM_CREDENTIAL, sizeof DOM_CREDENTIAL, b,
	                        n - FERRY_SIG_LEN, c->identity_pk) != 0)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "the relay credential's signature does not verify: the file was altered");
	c->relay.n = k;
	for (unsigned i = 0; i < k; i++)
		if (crypto_scalarmult_base(c->relay.pk[i], c->relay.sk[i]) != 0)
			return ferry_fail(e, FERRY_EVERIFY,
			                  "the relay credential holds an invalid key");
	/* Signed, but checked anyway: a low-order wrap key would give every
	 * hop an all-zero shared secret. */
	uint8_t dh[FERRY_X25519_LEN];
	int low = crypto_scalarmult(dh, c->relay.sk[0], c->wrap_pk) != 0;
	sodium_memzero(dh, sizeof dh);
	if (low)
		return ferry_fail(e, FERRY_EVERIFY,
		                  "the relay credential holds an invalid wrap key");
	return FERRY_OK;
}

int ferry_credential_parse(ferry_credential *c, const char *text, size_t len,
                           ferry_err *e)
{
	uint8_t body[BODY_MAX];
	size_t n = 0, plen = sizeof FERRY_CREDENTIAL_PREFIX - 1;
	memset(c, 0, sizeof *c);
	if (len >= 8 && !memcmp(text, "FERRYRP1", 8))
		return ferry_fail_hint(
		    e, FERRY_EUSAGE,
		    "ask the journalist for a relay credential ('ferry-desk relay-credential') and use that instead",
		    "this is a relay profile, which ferry no longer uses: it let any holder of a seal code recognise the desk's traffic");
	const char *l = body_line(text, len, &n);
	if (!l || n < plen || strncmp(l, FERRY_CREDENTIAL_PREFIX, plen) != 0)
		return ferry_fail(e, FERRY_EVERIFY, "not a ferry relay credential");
	size_t chars = n - plen, bytes = chars * 5 / 8;
	int rc = FERRY_OK;
	if (bytes > sizeof body || FERRY_B32_LEN(bytes) != chars ||
	    ferry_b32_decode(body, bytes, l + plen, chars) != 0)
		rc = ferry_fail(
		    e, FERRY_EVERIFY,
		    "the relay credential is damaged (wrong length or characters)");
	else
		rc = parse_body(c, body, bytes, e);
	sodium_memzero(body, sizeof body);
	if (rc != FERRY_OK)
		sodium_memzero(c, sizeof *c);
	return rc;
}
