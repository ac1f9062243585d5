#include "pack.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../common/i18n.h"
#include "../common/le.h"
#include "../crypto/b32.h"
#include "sign.h"

static const char PACK_MAGIC[8] = {'F', 'E', 'R', 'R', 'Y', 'P', 'K', '1'};
static const char DOM_PACK[] = "ferry-v1 pack";
static const char DOM_FP[] = "ferry-v1 fingerprint";
static const char DOM_DESKID[] = "ferry-v1 desk id";

/* H(; domain || identity key, n): the fingerprint and the desk id. */
static void identity_hash(uint8_t *out, size_t n, const char *dom, size_t dom_len,
                          const uint8_t pk[FERRY_ID_PK_LEN])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, n);
	crypto_generichash_update(&st, (const uint8_t *)dom, dom_len);
	crypto_generichash_update(&st, pk, FERRY_ID_PK_LEN);
	crypto_generichash_final(&st, out, n);
}

/* A fingerprint: 20 bytes of hash, 32 base32 characters, shown in 8
 * groups of 4. */
#define FP_BYTES 20
#define FP_CHARS FERRY_B32_LEN(FP_BYTES)
#define FP_GROUP 4
_Static_assert(FP_CHARS == 32 &&
                   FP_CHARS + FP_CHARS / FP_GROUP - 1 == FERRY_FP_TEXT_LEN,
               "a fingerprint's text is its characters and the dashes between groups");

static void fp_bytes(uint8_t out[FP_BYTES], const uint8_t pk[FERRY_ID_PK_LEN])
{
	identity_hash(out, FP_BYTES, DOM_FP, sizeof DOM_FP, pk);
}

void ferry_fingerprint(char out[FERRY_FP_TEXT_LEN + 1],
                       const uint8_t pk[FERRY_ID_PK_LEN])
{
	uint8_t fp[FP_BYTES];
	char raw[FP_CHARS + 1];
	fp_bytes(fp, pk);
	if (ferry_b32_encode(raw, sizeof raw, fp, sizeof fp) != 0) {
		out[0] = '\0';
		return;
	}
	size_t o = 0;
	for (size_t i = 0; i < FP_CHARS; i++) {
		if (i && i % FP_GROUP == 0)
			out[o++] = '-';
		out[o++] = raw[i];
	}
	out[o] = '\0';
}

static int not_a_fingerprint(ferry_err *e)
{
	return ferry_fail_hint(
	    e, FERRY_EUSAGE,
	    "a fingerprint is 32 characters in groups of four, like ABCD-EFGH-...",
	    "--desk is not a fingerprint");
}

/* text's 32 base32 characters (dashes and white space left out), or -1
 * when it is not a fingerprint. */
static int fp_clean(char clean[FP_CHARS + 1], const char *text)
{
	size_t n = 0;
	for (const char *c = text; *c; c++) {
		if (*c == '-' || *c == ' ' || *c == '\t')
			continue;
		if (n >= FP_CHARS || ferry_b32_value(*c) < 0)
			return -1;
		clean[n++] = *c;
	}
	clean[n] = '\0';
	return n == FP_CHARS ? 0 : -1;
}

unsigned ferry_fingerprint_typos(const char *text, const uint8_t pk[FERRY_ID_PK_LEN],
                                 unsigned *first)
{
	char clean[FP_CHARS + 1], real[FP_CHARS + 1];
	uint8_t want[FP_BYTES];
	unsigned d = 0;
	if (fp_clean(clean, text) != 0)
		return FERRY_FP_NOT_ONE;
	fp_bytes(want, pk);
	if (ferry_b32_encode(real, sizeof real, want, sizeof want) != 0)
		return FERRY_FP_NOT_ONE;
	/* Compared as values, so a Crockford alias (O for 0) is no typo. */
	for (unsigned i = 0; i < FP_CHARS; i++)
		if (ferry_b32_value(clean[i]) != ferry_b32_value(real[i]) && d++ == 0 &&
		    first)
			*first = i;
	return d;
}

int ferry_fingerprint_check(const char *text, const uint8_t pk[FERRY_ID_PK_LEN],
                            const char *what, ferry_err *e)
{
	char clean[FP_CHARS + 1];
	uint8_t want[FP_BYTES], got[FP_BYTES];
	if (fp_clean(clean, text) != 0 ||
	    ferry_b32_decode(got, sizeof got, clean, FP_CHARS) != 0)
		return not_a_fingerprint(e);
	fp_bytes(want, pk);
	if (sodium_memcmp(want, got, sizeof want) == 0)
		return FERRY_OK;
	/* One or two characters off is a slip of the finger: a forger would
	 * need a key whose fingerprint is that close to the desk's (2^150
	 * tries). Say which group to check, never what it should read. */
	unsigned first = 0, d = ferry_fingerprint_typos(text, pk, &first);
	if (d >= 1 && d <= FERRY_FP_TYPOS_MAX) {
		char hint[FERRY_ERR_HINT_MAX];
		snprintf(
		    hint, sizeof hint,
		    ferry_tr(
		        "check group %u of the fingerprint against your key card and type it again; if it matches, do not use the %s"),
		    first / 4 + 1, ferry_tr(what));
		return ferry_fail_hint(
		    e, FERRY_EVERIFY, hint,
		    ferry_trn(
		        "the fingerprint you gave differs from the %s's in %u character, from group %u on: probably a typo",
		        "the fingerprint you gave differs from the %s's in %u characters, from group %u on: probably a typo",
		        d),
		    ferry_tr(what), d, first / 4 + 1);
	}
	return ferry_fail_hint(
	    e, FERRY_EVERIFY,
	    "do not use it; check the fingerprint with the journalist",
	    "the %s was not signed by the desk whose fingerprint you gave",
	    ferry_tr(what));
}

void ferry_identity_digest(uint8_t out[FERRY_HASH_LEN],
                           const uint8_t pk[FERRY_ID_PK_LEN])
{
	identity_hash(out, FERRY_HASH_LEN, DOM_DESKID, sizeof DOM_DESKID, pk);
}

void ferry_form_code_text(char out[FERRY_CODE_TEXT_LEN + 1],
                          const uint8_t code[FERRY_FORM_CODE_LEN])
{
	char raw[16];
	if (ferry_b32_encode(raw, sizeof raw, code, FERRY_FORM_CODE_LEN) != 0) {
		out[0] = '\0';
		return;
	}
	snprintf(out, FERRY_CODE_TEXT_LEN + 1, "%.4s-%.4s", raw, raw + 4);
}

int ferry_form_code_parse(uint8_t code[FERRY_FORM_CODE_LEN], const char *text)
{
	char clean[16];
	size_t n = 0;
	memset(code, 0, FERRY_FORM_CODE_LEN);
	for (const char *c = text; *c; c++) {
		if (*c == '-' || *c == ' ')
			continue;
		if (n >= 8)
			return -1;
		clean[n++] = *c;
	}
	return ferry_b32_decode(code, FERRY_FORM_CODE_LEN, clean, n);
}

size_t ferry_pack_size(uint16_t nforms)
{
	return 8 + 32 + FERRY_PACK_ID_LEN + 4 + 32 + 32 + 2 +
	       (size_t)nforms * (FERRY_FORM_CODE_LEN + 32) + FERRY_SIG_LEN;
}

int ferry_pack_serialize(uint8_t *out, size_t cap, size_t *len, const ferry_pack *p,
                         const uint8_t id_sk[FERRY_ID_SK_LEN])
{
	ferry_wbuf w = {out, cap, 0, 0};
	*len = 0;
	if (p->nforms == 0 || p->nforms > FERRY_FORMS_MAX)
		return -1;
	ferry_w_bytes(&w, PACK_MAGIC, sizeof PACK_MAGIC);
	ferry_w_bytes(&w, p->identity_pk, FERRY_ID_PK_LEN);
	ferry_w_bytes(&w, p->pack_id, FERRY_PACK_ID_LEN);
	ferry_w_le(&w, p->expires_day, 4);
	ferry_w_bytes(&w, p->spk, FERRY_X25519_LEN);
	ferry_w_bytes(&w, p->relay_pk, FERRY_X25519_LEN);
	ferry_w_le(&w, p->nforms, 2);
	for (uint16_t i = 0; i < p->nforms; i++) {
		ferry_w_bytes(&w, p->forms[i].code, FERRY_FORM_CODE_LEN);
		ferry_w_bytes(&w, p->forms[i].opk, FERRY_X25519_LEN);
	}
	if (w.bad || w.cap - w.len < FERRY_SIG_LEN)
		return -1;
	if (ferry_sign_domain(out + w.len, DOM_PACK, sizeof DOM_PACK, out, w.len,
	                      id_sk) != 0)
		return -1;
	*len = w.len + FERRY_SIG_LEN;
	return 0;
}

int ferry_pack_parse(ferry_pack *p, const uint8_t *in, size_t len, ferry_err *e)
{
	ferry_rd r = {in, len, 0, 0};
	uint8_t magic[sizeof PACK_MAGIC];
	memset(p, 0, sizeof *p);
	ferry_rd_copy(&r, magic, sizeof magic);
	if (r.bad || memcmp(magic, PACK_MAGIC, sizeof PACK_MAGIC) != 0) {
		ferry_fail(e, FERRY_EVERIFY, "not a ferry pack file");
		return FERRY_EVERIFY;
	}
	ferry_rd_copy(&r, p->identity_pk, FERRY_ID_PK_LEN);
	ferry_rd_copy(&r, p->pack_id, FERRY_PACK_ID_LEN);
	p->expires_day = (uint32_t)ferry_rd_le(&r, 4);
	ferry_rd_copy(&r, p->spk, FERRY_X25519_LEN);
	ferry_rd_copy(&r, p->relay_pk, FERRY_X25519_LEN);
	uint64_t n = ferry_rd_le(&r, 2);
	if (r.bad || n == 0 || n > FERRY_FORMS_MAX ||
	    len != ferry_pack_size((uint16_t)n)) {
		ferry_fail(e, FERRY_EVERIFY, "pack file is damaged or cut short");
		memset(p, 0, sizeof *p);
		return FERRY_EVERIFY;
	}
	p->nforms = (uint16_t)n;
	for (uint16_t i = 0; i < p->nforms; i++) {
		ferry_rd_copy(&r, p->forms[i].code, FERRY_FORM_CODE_LEN);
		ferry_rd_copy(&r, p->forms[i].opk, FERRY_X25519_LEN);
	}
	const uint8_t *sig = ferry_rd_take(&r, FERRY_SIG_LEN);
	if (r.bad || !sig ||
	    ferry_verify_domain(sig, DOM_PACK, sizeof DOM_PACK, in, len - FERRY_SIG_LEN,
	                        p->identity_pk) != 0) {
		ferry_fail(e, FERRY_EVERIFY,
		           "pack signature does not verify: the file was altered");
		memset(p, 0, sizeof *p);
		return FERRY_EVERIFY;
	}
	return FERRY_OK;
}

void ferry_pack_form_pub(ferry_form_pub *f, const ferry_pack *p, uint16_t i)
{
	memset(f, 0, sizeof *f);
	memcpy(f->identity_pk, p->identity_pk, FERRY_ID_PK_LEN);
	memcpy(f->pack_id, p->pack_id, FERRY_PACK_ID_LEN);
	f->form_index = i;
	memcpy(f->form_code, p->forms[i].code, FERRY_FORM_CODE_LEN);
	f->expires_day = p->expires_day;
	memcpy(f->spk, p->spk, FERRY_X25519_LEN);
	memcpy(f->opk, p->forms[i].opk, FERRY_X25519_LEN);
	memcpy(f->relay_pk, p->relay_pk, FERRY_X25519_LEN);
}
