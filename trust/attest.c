#include "attest.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/fields.h"
#include "pack.h"
#include "sign.h"

static const char HEAD_V1[] = FERRY_ATTEST_PREFIX " v1\n";
static const char HEAD[] = FERRY_ATTEST_PREFIX " v2\n";
static const char DOM[] = "ferry-v1 log attestation";
static const char SIG_KEY[] = "signature: ";

/* Everything the signature covers: the lines before it. */
static int body(char *out, size_t cap, const ferry_attestation *a)
{
	char fp[FERRY_FP_TEXT_LEN + 1], head[2 * FERRY_HASH_LEN + 1], when[21];
	ferry_fingerprint(fp, a->id_pk);
	sodium_bin2hex(head, sizeof head, a->head, FERRY_HASH_LEN);
	ferry_iso_time(when, a->made);
	char prev[2 * FERRY_HASH_LEN + 1] = "none";
	if (a->has_previous)
		sodium_bin2hex(prev, sizeof prev, a->previous, FERRY_HASH_LEN);
	if (!a->minisign_key[0] || strchr(a->minisign_key, '\n'))
		return -1;
	int n = snprintf(
	    out, cap,
	    "%sdesk: %s\nentries: %llu\nhead: %s\nprevious: %s\nminisign-key: %s\nmade: %s\nmade-unix: %llu\n",
	    HEAD, fp, (unsigned long long)a->entries, head, prev, a->minisign_key,
	    when, (unsigned long long)a->made);
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

int ferry_attestation_format(char *out, size_t cap, size_t *len,
                             const ferry_attestation *a,
                             const uint8_t id_sk[FERRY_ID_SK_LEN])
{
	uint8_t sig[FERRY_SIG_LEN];
	char sighex[2 * FERRY_SIG_LEN + 1];
	*len = 0;
	if (cap)
		out[0] = '\0';
	int n = body(out, cap, a);
	if (n < 0 || ferry_sign_domain(sig, DOM, sizeof DOM, (const uint8_t *)out,
	                               (size_t)n, id_sk) != 0)
		return -1;
	sodium_bin2hex(sighex, sizeof sighex, sig, sizeof sig);
	int m = snprintf(out + n, cap - (size_t)n, "%s%s\n", SIG_KEY, sighex);
	if (m < 0 || (size_t)m >= cap - (size_t)n) {
		out[0] = '\0';
		return -1;
	}
	*len = (size_t)n + (size_t)m;
	return 0;
}

/* The value after "key: " on the line at *p, which must be that key's;
 * *p moves to the next line. NULL when the line is not key's. */
static const char *take_line(const char **p, const char *end, const char *key,
                             size_t *vlen)
{
	size_t kl = strlen(key);
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	if (!nl || (size_t)(nl - *p) < kl + 2 || memcmp(*p, key, kl) != 0 ||
	    (*p)[kl] != ':' || (*p)[kl + 1] != ' ')
		return NULL;
	const char *v = *p + kl + 2;
	*vlen = (size_t)(nl - v);
	*p = nl + 1;
	return v;
}

static int malformed(ferry_err *e, const char *what)
{
	return ferry_fail_hint(
	    e, FERRY_EVERIFY,
	    "ask for the statement as 'ferry-desk log DESK attest' wrote it",
	    "not a valid log attestation: %s", what);
}

static int parse(ferry_attestation *a, const char *text, size_t len,
                 const uint8_t id_pk[FERRY_ID_PK_LEN], ferry_err *e)
{
	char fp[FERRY_FP_TEXT_LEN + 1], when[21];
	uint8_t sig[FERRY_SIG_LEN];
	const char *p = text, *end = text + len, *v;
	size_t vl = 0;
	if (len > FERRY_ATTEST_TEXT_MAX)
		return malformed(e, "longer than any attestation");
	if (memchr(text, 0, len))
		return malformed(e, "not text (it holds a NUL byte)");
	if (len >= sizeof HEAD - 1 && memcmp(text, HEAD, sizeof HEAD - 1) == 0)
		a->version = 2;
	else if (len >= sizeof HEAD_V1 - 1 && memcmp(text, HEAD_V1, sizeof HEAD_V1 - 1) == 0)
		a->version = 1;
	else
		return malformed(e, "its first line is not 'ferry log attestation v2' (or v1)");
	p += sizeof HEAD - 1;
	_Static_assert(sizeof HEAD == sizeof HEAD_V1, "both heads are one length");
	ferry_fingerprint(fp, id_pk);
	if (!(v = take_line(&p, end, "desk", &vl)))
		return malformed(e, "no desk line");
	if (vl != FERRY_FP_TEXT_LEN || memcmp(v, fp, vl) != 0)
		return ferry_fail_hint(
		    e, FERRY_EVERIFY,
		    "check it with the desk whose fingerprint it names",
		    "the statement was made by another desk (%.*s), not this one (%s)",
		    (int)(vl < 64 ? vl : 64), v, fp);
	if (!(v = take_line(&p, end, "entries", &vl)) ||
	    ferry_field_decimal(v, vl, &a->entries) != 0)
		return malformed(e, "no valid entry count");
	if (!(v = take_line(&p, end, "head", &vl)) ||
	    ferry_field_hex(a->head, sizeof a->head, v, vl) != 0)
		return malformed(e, "no valid chain head");
	if (a->version == 2) {
		if (!(v = take_line(&p, end, "previous", &vl)))
			return malformed(e, "no previous line");
		a->has_previous = !(vl == 4 && !memcmp(v, "none", 4));
		if (a->has_previous &&
		    ferry_field_hex(a->previous, sizeof a->previous, v, vl) != 0)
			return malformed(e, "no valid previous statement hash");
		if (!(v = take_line(&p, end, "minisign-key", &vl)) || vl == 0 ||
		    vl >= sizeof a->minisign_key)
			return malformed(e, "no valid minisign key");
		for (size_t i = 0; i < vl; i++)
			if (!((v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= 'a' && v[i] <= 'z') ||
			      (v[i] >= '0' && v[i] <= '9') || v[i] == '+' || v[i] == '/' ||
			      v[i] == '='))
				return malformed(e, "no valid minisign key");
		memcpy(a->minisign_key, v, vl);
		a->minisign_key[vl] = '\0';
	}
	const char *made = take_line(&p, end, "made", &vl);
	size_t made_len = vl;
	if (!made || !(v = take_line(&p, end, "made-unix", &vl)) ||
	    ferry_field_decimal(v, vl, &a->made) != 0 || a->made > FERRY_TIME_MAX)
		return malformed(e, "no valid time");
	ferry_iso_time(when, a->made);
	if (made_len != strlen(when) || memcmp(made, when, made_len) != 0)
		return malformed(e, "its two times disagree");
	size_t signed_len = (size_t)(p - text);
	if (!(v = take_line(&p, end, "signature", &vl)) ||
	    ferry_field_hex(sig, sizeof sig, v, vl) != 0 || p != end)
		return malformed(e, "no valid signature line at its end");
	if (ferry_verify_domain(sig, DOM, sizeof DOM, (const uint8_t *)text, signed_len,
	                        id_pk) != 0)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "the statement's signature does not verify: it was altered or forged");
	memcpy(a->id_pk, id_pk, FERRY_ID_PK_LEN);
	return FERRY_OK;
}

int ferry_attestation_parse(ferry_attestation *a, const char *text, size_t len,
                            const uint8_t id_pk[FERRY_ID_PK_LEN], ferry_err *e)
{
	memset(a, 0, sizeof *a);
	int rc = parse(a, text, len, id_pk, e);
	if (rc != FERRY_OK)
		memset(a, 0, sizeof *a); /* nothing of a statement that failed */
	return rc;
}
