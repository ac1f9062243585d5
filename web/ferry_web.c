/* The offline page's C side: what ferry-seal does, called from the page's
 * script (web/page.js) instead of from a command line. The same library
 * code seals (seal/, crypto/, pages/, trust/, common/); the browser has
 * decoded each photo to pixels, and the QR search (pages/qrscan.c with
 * zbar) runs here in wasm, whose memory holds nothing but this module.
 *
 * One contact, one tab: the state is a handful of statics. Every call
 * returns a kind (fw_kind) the page shows in the contact's language, with
 * the library's message as the detail (fw_message), looked up in the
 * catalogs ferry-seal uses (po/), which the page carries (ferry_tr). */
#include <emscripten.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/clock.h"
#include "../common/err.h"
#include "../common/fileio.h"
#include "../common/i18n.h"
#include "../pages/qrscan.h"
#include "../seal/formfind.h"
#include "../seal/seal.h"
#include "../trust/pack.h"
#include "../trust/word.h"

/* What went wrong, for the page to say in the contact's language: kind N
 * is the text web/strings.js keys kindN; web/page.js names OK and RETRY. */
typedef enum {
	FW_OK = 0,
	FW_NO_CODE = 1,    /* no page carries a readable seal code */
	FW_OTHER_QR = 2,   /* a QR code, but no seal code */
	FW_MIXED = 3,      /* two forms' codes among the pages */
	FW_BAD_CODE = 4,   /* a seal code that does not verify */
	FW_WRONG_DESK = 5, /* signed by another desk than the fingerprint */
	FW_BAD_DESK = 6,   /* what was typed is not a fingerprint */
	FW_EXPIRED = 7,    /* the form has expired */
	FW_BAD_WORD = 8,   /* not a pack word (a typo) */
	FW_BAD_PAGE = 9,   /* a photo the sanitizer refuses */
	FW_BAD_PACK = 10,  /* a pack file that does not verify, or no such form */
	FW_FAILED = 11,    /* anything else: memory, the decoder */
	FW_RETRY = 12,     /* no code at this size: try the whole photo */
	FW_DESK_TYPO = 13, /* the fingerprint one or two characters off */
} fw_kind;

static ferry_err err;
static ferry_formfind_report found;
static ferry_form_pub form;
static int have_form;
static uint8_t *word; /* sodium_malloc'd, FERRY_PACK_WORD_LEN; NULL: none */
static char report[16384];

/* Each piece of the bundle goes to the page as it is made: the page keeps
 * the pieces (a Blob at the end), so wasm memory does not grow with the
 * bundle. */
EM_JS(int, fw_emit, (const uint8_t *p, size_t n),
      { return Module.ferryEmit(HEAPU8.slice(p, p + n)) ? 0 : -1; });

/* The library's messages in the page's language: the page looks the
 * English up in its catalog (web/assemble.js, from po/) and hands back a
 * copy in wasm memory, made once for each text and kept for the page's
 * life (a few hundred short strings at most); 0 when there is none. */
EM_JS(const char *, fw_lookup, (const char *msgid), {
	const text = Module.ferryLookup(UTF8ToString(msgid));
	if (!text)
		return 0;
	Module.ferryCopies = Module.ferryCopies || new Map();
	let p = Module.ferryCopies.get(text);
	if (!p) {
		const n = lengthBytesUTF8(text) + 1;
		p = _malloc(n);
		if (!p)
			return 0;
		stringToUTF8(text, p, n);
		Module.ferryCopies.set(text, p);
	}
	return p;
});

const char *ferry_tr(const char *msgid)
{
	const char *t = fw_lookup(msgid);
	return t ? t : msgid;
}

/* Korean and Chinese have one form: the catalog keeps it under the
 * singular. */
const char *ferry_trn(const char *one, const char *many, unsigned long n)
{
	const char *t = fw_lookup(one);
	return t ? t : n == 1 ? one : many;
}

static int emit(void *io, const uint8_t *p, size_t n)
{
	(void)io;
	return fw_emit(p, n) == 0 ? FERRY_OK : FERRY_EOP;
}

EMSCRIPTEN_KEEPALIVE const char *fw_message(void)
{
	return err.msg;
}

EMSCRIPTEN_KEEPALIVE const char *fw_report(void)
{
	return report;
}

EMSCRIPTEN_KEEPALIVE int fw_init(void)
{
	return sodium_init() < 0 ? FW_FAILED : FW_OK;
}

/* A new contact's work: forgets the form, the word and the tally. */
EMSCRIPTEN_KEEPALIVE void fw_reset(void)
{
	ferry_formfind_start(&found);
	sodium_memzero(&form, sizeof form);
	have_form = 0;
	if (word)
		sodium_free(word);
	word = NULL;
	ferry_err_clear(&err);
	report[0] = '\0';
}

/* One page's pixels (w x h gray, freed by the caller; px NULL for a photo
 * the browser cannot decode), searched for codes and added to the tally.
 * name is how messages call the page. Unless last, a page without codes
 * is not added: FW_RETRY asks for the photo at full size. */
EMSCRIPTEN_KEEPALIVE int fw_find_page(const uint8_t *px, unsigned w, unsigned h,
                                      const char *name, int last)
{
	ferry_qr_found q;
	int rc = px ? ferry_qr_scan_gray(px, w, h, &q, &err) : FERRY_EVERIFY;
	if (rc == FERRY_OK && q.n == 0 && !last)
		return FW_RETRY;
	if (rc == FERRY_EVERIFY)
		return ferry_formfind_add(&found, NULL, name, &err) == FERRY_OK
		           ? FW_OK
		           : FW_FAILED;
	if (rc != FERRY_OK)
		return FW_FAILED;
	/* The finder's verdict on this page names the kind of refusal: a
	 * code that does not verify, two forms on it, or another form's code
	 * than an earlier page's. */
	if (ferry_formfind_add(&found, &q, name, &err) != FERRY_OK)
		return found.verdict == -1                         ? FW_BAD_CODE
		       : found.verdict == 1 || found.verdict == -2 ? FW_MIXED
		                                                   : FW_FAILED;
	return FW_OK;
}

/* The kind of a fingerprint check that failed with rc. */
static int desk_kind(int rc, const char *desk, const uint8_t *pk)
{
	unsigned d = ferry_fingerprint_typos(desk, pk, NULL);
	return rc == FERRY_EUSAGE                  ? FW_BAD_DESK
	       : d >= 1 && d <= FERRY_FP_TYPOS_MAX ? FW_DESK_TYPO
	                                           : FW_WRONG_DESK;
}

/* The form the pages agreed on, checked against the desk's fingerprint
 * and its expiry. */
static int check_form(const char *desk, const char *what)
{
	int rc = ferry_fingerprint_check(desk, form.identity_pk, what, &err);
	if (rc != FERRY_OK)
		return desk_kind(rc, desk, form.identity_pk);
	if (form.expires_day && form.expires_day < ferry_today()) {
		char d[11];
		ferry_day_text(d, form.expires_day);
		ferry_fail(&err, FERRY_EVERIFY, "this form expired on %s", d);
		return FW_EXPIRED;
	}
	have_form = 1;
	return FW_OK;
}

EMSCRIPTEN_KEEPALIVE int fw_find_end(const char *desk)
{
	if (ferry_formfind_end(&found, &form, &err) != FERRY_OK)
		return found.other_qr ? FW_OTHER_QR : FW_NO_CODE;
	return check_form(desk, N_("seal code"));
}

/* The form from a pack file and the form code printed on the page, for
 * photos whose code does not read. Pages that did carry a code must
 * carry this form's. */
EMSCRIPTEN_KEEPALIVE int fw_use_pack(const uint8_t *bytes, size_t len,
                                     const char *code_text, const char *desk)
{
	uint8_t want[FERRY_FORM_CODE_LEN];
	ferry_pack *pk = malloc(sizeof *pk);
	int kind = FW_BAD_PACK;
	if (!pk) {
		ferry_fail(&err, FERRY_EOP, "out of memory");
		return FW_FAILED;
	}
	if (ferry_pack_parse(pk, bytes, len, &err) != FERRY_OK)
		goto out;
	int rc = ferry_fingerprint_check(desk, pk->identity_pk, N_("pack"), &err);
	if (rc != FERRY_OK) {
		kind = desk_kind(rc, desk, pk->identity_pk);
		goto out;
	}
	if (ferry_form_code_parse(want, code_text) != 0) {
		ferry_fail(&err, FERRY_EUSAGE,
		           "'%s' is not a form code (like K7QF-M2XA)", code_text);
		goto out;
	}
	for (uint16_t i = 0; i < pk->nforms; i++)
		if (!memcmp(pk->forms[i].code, want, FERRY_FORM_CODE_LEN)) {
			ferry_pack_form_pub(&form, pk, i);
			kind = FW_OK;
		}
	if (kind != FW_OK) {
		ferry_fail(&err, FERRY_EUSAGE, "form %s is not in this pack",
		           code_text);
		goto out;
	}
	if (found.ncarried &&
	    memcmp(found.form.form_code, form.form_code, sizeof form.form_code) != 0) {
		ferry_fail(
		    &err, FERRY_EVERIFY,
		    "page %zu carries the code of another form than %s: were two forms mixed?",
		    found.first + 1, code_text);
		kind = FW_MIXED;
		goto out;
	}
	kind = check_form(desk, N_("pack"));
out:
	free(pk);
	return kind;
}

/* The pack word from the contact's key card; "" forgets it. */
EMSCRIPTEN_KEEPALIVE int fw_set_word(const char *text)
{
	if (word)
		sodium_free(word);
	word = NULL;
	if (!text[0])
		return FW_OK;
	if (!(word = sodium_malloc(FERRY_PACK_WORD_LEN))) {
		ferry_fail(&err, FERRY_EOP, "out of memory");
		return FW_FAILED;
	}
	if (ferry_word_parse(word, text, &err) != FERRY_OK) {
		sodium_free(word);
		word = NULL;
		return FW_BAD_WORD;
	}
	return FW_OK;
}

/* What the contact sees once sealed: one line a page, then the total.
 * Tab-separated, for the page to lay out. */
static void write_report(const ferry_seal_report *rep, size_t npages)
{
	char fc[FERRY_CODE_TEXT_LEN + 1], name[21];
	size_t at = 0;
	ferry_form_code_text(fc, form.form_code);
	/* A random name, as ferry-seal gives a bundle: it says nothing. */
	ferry_random_name(name, 20);
	name[20] = '\0';
	at += (size_t)snprintf(report, sizeof report, "form\t%s\t%s\t%llu\t%s\n", fc,
	                       word ? "proven" : "code-only",
	                       (unsigned long long)rep->bundle_len, name);
	for (size_t i = 0; i < npages && at < sizeof report; i++)
		at += (size_t)snprintf(
		    report + at, sizeof report - at, "page\t%zu\t%s\t%s\n", i + 1,
		    found.npages > i && found.carried[i] ? "code" : "",
		    rep->pages[i].shown);
}

/* Seals the pages the page put at paths[0..n) in wasm's memory file
 * system; the bundle goes out through fw_emit. */
EMSCRIPTEN_KEEPALIVE int fw_seal(const char *const *paths, size_t n)
{
	ferry_seal_report rep;
	if (!have_form) {
		ferry_fail(&err, FERRY_EUSAGE, "no form to seal to");
		return FW_FAILED;
	}
	ferry_seal_input in = {paths, n, NULL, NULL, 0, 0, 1, word};
	if (ferry_seal_precheck(&in, &err) != FERRY_OK)
		return FW_BAD_PAGE;
	memset(&rep, 0, sizeof rep);
	int rc = ferry_seal_bundle(&form, &in, emit, NULL, &rep, &err);
	if (rc == FERRY_OK)
		write_report(&rep, n);
	ferry_seal_report_free(&rep);
	if (rc == FERRY_OK)
		return FW_OK;
	/* The sanitizer's refusals name the photo. */
	for (size_t i = 0; i < n; i++)
		if (strstr(err.msg, paths[i]))
			return FW_BAD_PAGE;
	return FW_FAILED;
}
