/* Seal codes (trust/pack.h; docs/FORMAT.md, "Seal code"): one form's
 * public material as the text of a QR code, writer and readers side by
 * side.
 *
 * Version 2 names nothing: the text is base32 alone, so what any phone's
 * QR reader shows for a printed form is 346 letters and digits, with no
 * word a guard could search for. Its version and checksum are inside the
 * encoded bytes. Version 1 ("FERRY1:" then base32) is still read: forms
 * printed before stay good until they expire. */
#include "pack.h"
#include "../common/i18n.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "../common/le.h"
#include "../crypto/b32.h"
#include "sign.h"

#define V1_PREFIX     "FERRY1:"
#define V1_PREFIX_LEN 7
#define V1_BODY       215
#define V2_VERSION    2
#define FIELDS_LEN    147 /* identity .. relay_pk, as in both versions */
#define CHECK_LEN     4
#define V2_SIGNED_LEN (1 + FIELDS_LEN)
_Static_assert(V1_BODY == FIELDS_LEN + FERRY_SIG_LEN + CHECK_LEN, "version 1 body");
_Static_assert(FERRY_SEALCODE_BODY == V2_SIGNED_LEN + FERRY_SIG_LEN + CHECK_LEN,
               "version 2 body");
_Static_assert(FERRY_SEALCODE_TEXT_LEN == (FERRY_SEALCODE_BODY * 8 + 4) / 5,
               "version 2 text: base32 of the body");
_Static_assert(FERRY_SEALCODE_TEXT_MAX == V1_PREFIX_LEN + V1_BODY * 8 / 5,
               "the longest code read is a version 1 code");

static const char DOM_V1[] = "ferry-v1 seal code";
static const char DOM_V1_CHECK[] = "ferry-v1 seal code checksum";
static const char DOM_V2[] = "ferry-v2 seal code";
static const char DOM_V2_CHECK[] = "ferry-v2 seal code checksum";

static void write_fields(ferry_wbuf *w, const ferry_form_pub *f)
{
	ferry_w_bytes(w, f->identity_pk, FERRY_ID_PK_LEN);
	ferry_w_bytes(w, f->pack_id, FERRY_PACK_ID_LEN);
	ferry_w_le(w, f->form_index, 2);
	ferry_w_bytes(w, f->form_code, FERRY_FORM_CODE_LEN);
	ferry_w_le(w, f->expires_day, 4);
	ferry_w_bytes(w, f->spk, FERRY_X25519_LEN);
	ferry_w_bytes(w, f->opk, FERRY_X25519_LEN);
	ferry_w_bytes(w, f->relay_pk, FERRY_X25519_LEN);
}

static int read_fields(ferry_form_pub *f, const uint8_t *p)
{
	ferry_rd r = {p, FIELDS_LEN, 0, 0};
	ferry_rd_copy(&r, f->identity_pk, FERRY_ID_PK_LEN);
	ferry_rd_copy(&r, f->pack_id, FERRY_PACK_ID_LEN);
	f->form_index = (uint16_t)ferry_rd_le(&r, 2);
	ferry_rd_copy(&r, f->form_code, FERRY_FORM_CODE_LEN);
	f->expires_day = (uint32_t)ferry_rd_le(&r, 4);
	ferry_rd_copy(&r, f->spk, FERRY_X25519_LEN);
	ferry_rd_copy(&r, f->opk, FERRY_X25519_LEN);
	ferry_rd_copy(&r, f->relay_pk, FERRY_X25519_LEN);
	return r.bad || r.off != FIELDS_LEN ? -1 : 0;
}

static void checksum(uint8_t out[CHECK_LEN], const char *dom, size_t dom_len,
                     const uint8_t *body, size_t len)
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, CHECK_LEN);
	crypto_generichash_update(&st, (const uint8_t *)dom, dom_len);
	crypto_generichash_update(&st, body, len);
	crypto_generichash_final(&st, out, CHECK_LEN);
}

int ferry_sealcode_encode(char *out, size_t cap, const ferry_form_pub *f,
                          const uint8_t id_sk[FERRY_ID_SK_LEN])
{
	uint8_t body[FERRY_SEALCODE_BODY];
	ferry_wbuf w = {body, sizeof body, 0, 0};
	ferry_w_le(&w, V2_VERSION, 1);
	write_fields(&w, f);
	if (w.bad || w.len != V2_SIGNED_LEN || cap < FERRY_SEALCODE_TEXT_LEN + 1)
		return -1;
	if (ferry_sign_domain(body + V2_SIGNED_LEN, DOM_V2, sizeof DOM_V2, body,
	                      V2_SIGNED_LEN, id_sk) != 0)
		return -1;
	checksum(body + V2_SIGNED_LEN + FERRY_SIG_LEN, DOM_V2_CHECK,
	         sizeof DOM_V2_CHECK, body, V2_SIGNED_LEN + FERRY_SIG_LEN);
	return ferry_b32_encode(out, cap, body, sizeof body);
}

/* The text without surrounding white space: *n characters from the
 * returned pointer. */
static const char *trimmed(const char *text, size_t *n)
{
	while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
		text++;
	size_t k = strlen(text);
	while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t' ||
	                 text[k - 1] == '\n' || text[k - 1] == '\r'))
		k--;
	*n = k;
	return text;
}

/* A version 2 body from text: its length, alphabet and version byte. */
static int v2_body(uint8_t body[FERRY_SEALCODE_BODY], const char *t, size_t n)
{
	return n == FERRY_SEALCODE_TEXT_LEN &&
	               ferry_b32_decode(body, FERRY_SEALCODE_BODY, t, n) == 0 &&
	               body[0] == V2_VERSION
	           ? 0
	           : -1;
}

int ferry_sealcode_claims(const char *text)
{
	uint8_t body[FERRY_SEALCODE_BODY];
	size_t n;
	const char *t = trimmed(text, &n);
	int v2 = v2_body(body, t, n) == 0;
	sodium_memzero(body, sizeof body);
	return v2 || (n >= V1_PREFIX_LEN && !strncasecmp(t, V1_PREFIX, V1_PREFIX_LEN));
}

static int damaged(ferry_err *e, const char *why)
{
	return ferry_fail_hint(e, FERRY_EVERIFY,
	                       "scan the QR code again or copy the code exactly",
	                       "seal code is damaged (%s)", ferry_tr(why));
}

static int forged(ferry_form_pub *f, ferry_err *e)
{
	memset(f, 0, sizeof *f);
	return ferry_fail(
	    e, FERRY_EVERIFY,
	    "seal code signature does not verify: this code was not issued as it reads");
}

/* "FERRY1:" || base32(fields || signature || checksum). */
static int decode_v1(ferry_form_pub *f, const char *t, size_t n, ferry_err *e)
{
	uint8_t body[V1_BODY], check[CHECK_LEN];
	const size_t signed_len = FIELDS_LEN;
	if (n != FERRY_SEALCODE_TEXT_MAX ||
	    ferry_b32_decode(body, sizeof body, t + V1_PREFIX_LEN, n - V1_PREFIX_LEN) !=
	        0)
		return damaged(e, N_("wrong length or characters"));
	checksum(check, DOM_V1_CHECK, sizeof DOM_V1_CHECK, body,
	         signed_len + FERRY_SIG_LEN);
	if (sodium_memcmp(check, body + signed_len + FERRY_SIG_LEN, CHECK_LEN) != 0)
		return damaged(e, N_("checksum mismatch"));
	if (read_fields(f, body) != 0 ||
	    ferry_verify_domain(body + signed_len, DOM_V1, sizeof DOM_V1, body,
	                        signed_len, f->identity_pk) != 0)
		return forged(f, e);
	return FERRY_OK;
}

/* base32(version 2 || fields || signature || checksum). */
static int decode_v2(ferry_form_pub *f, const uint8_t body[FERRY_SEALCODE_BODY],
                     ferry_err *e)
{
	uint8_t check[CHECK_LEN];
	checksum(check, DOM_V2_CHECK, sizeof DOM_V2_CHECK, body,
	         V2_SIGNED_LEN + FERRY_SIG_LEN);
	if (sodium_memcmp(check, body + V2_SIGNED_LEN + FERRY_SIG_LEN, CHECK_LEN) != 0)
		return damaged(e, N_("checksum mismatch"));
	if (read_fields(f, body + 1) != 0 ||
	    ferry_verify_domain(body + V2_SIGNED_LEN, DOM_V2, sizeof DOM_V2, body,
	                        V2_SIGNED_LEN, f->identity_pk) != 0)
		return forged(f, e);
	return FERRY_OK;
}

int ferry_sealcode_decode(ferry_form_pub *f, const char *text, ferry_err *e)
{
	uint8_t body[FERRY_SEALCODE_BODY];
	size_t n;
	const char *t = trimmed(text, &n);
	memset(f, 0, sizeof *f);
	if (n >= V1_PREFIX_LEN && !strncasecmp(t, V1_PREFIX, V1_PREFIX_LEN))
		return decode_v1(f, t, n, e);
	if (v2_body(body, t, n) == 0)
		return decode_v2(f, body, e);
	/* The right length in the right alphabet, but not a version this
	 * reader knows, is damaged; anything else is another text. */
	if (n == FERRY_SEALCODE_TEXT_LEN &&
	    ferry_b32_decode(body, sizeof body, t, n) == 0)
		return damaged(e, N_("unknown version"));
	return ferry_fail_hint(
	    e, FERRY_EVERIFY, "scan the form's QR code again, or copy the code exactly",
	    "this is not a seal code");
}
