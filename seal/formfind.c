#include "formfind.h"

#include <string.h>
#include <strings.h>

#include "../pages/qrscan.h"

/* Two seal codes name the same form of the same pack of the same desk. */
static int same_form(const ferry_form_pub *a, const ferry_form_pub *b)
{
	return !memcmp(a->identity_pk, b->identity_pk, sizeof a->identity_pk) &&
	       !memcmp(a->pack_id, b->pack_id, sizeof a->pack_id) &&
	       a->form_index == b->form_index &&
	       !memcmp(a->form_code, b->form_code, sizeof a->form_code) &&
	       !memcmp(a->spk, b->spk, sizeof a->spk) &&
	       !memcmp(a->opk, b->opk, sizeof a->opk);
}

int ferry_formfind_page(const ferry_qr_found *q, ferry_form_pub *fp, ferry_err *bad,
                        int *other_qr)
{
	int found = 0;
	ferry_form_pub f;
	for (unsigned i = 0; i < q->n && i < FERRY_QR_MAX; i++) {
		ferry_err e;
		if (ferry_sealcode_decode(&f, q->text[i], &e) == FERRY_OK) {
			if (found && !same_form(&f, fp))
				return -2;
			*fp = f;
			found = 1;
		} else if (!strncasecmp(q->text[i], FERRY_SEALCODE_PREFIX,
		                        sizeof FERRY_SEALCODE_PREFIX - 1)) {
			/* It claims to be a seal code (read in any case, as
			 * the decoder reads it) and is not a good one. */
			*bad = e;
			return -1;
		} else {
			*other_qr = 1;
		}
	}
	return found;
}

/* Scans page i; FERRY_OK with its verdict in *v (as ferry_formfind_page). */
static int scan_page(const char *path, size_t i, ferry_form_pub *fp, int *v,
                     int *other_qr, ferry_err *e)
{
	ferry_qr_found q;
	ferry_err bad;
	int rc = ferry_qr_find(path, &q, e);
	/* A page that is no readable image carries no code; sealing refuses
	 * it later with the sanitizer's own words. A decoder that failed
	 * (crashed, stopped by its sandbox or a limit) is an error here. */
	if (rc == FERRY_EVERIFY) {
		ferry_err_clear(e);
		*v = 0;
		return FERRY_OK;
	}
	if (rc != FERRY_OK)
		return ferry_err_prefix(e, "page %zu ('%s')", i + 1, path);
	*v = ferry_formfind_page(&q, fp, &bad, other_qr);
	if (*v == -1)
		return ferry_fail_hint(
		    e, FERRY_EVERIFY,
		    "do not seal with this page's code: ask the desk whether the form is theirs",
		    "page %zu ('%s') carries a seal code that does not verify: %s",
		    i + 1, path, bad.msg);
	if (*v == -2)
		return ferry_fail_hint(
		    e, FERRY_EVERIFY, "photograph one form's pages at a time",
		    "page %zu ('%s') carries the codes of two forms", i + 1, path);
	return FERRY_OK;
}

int ferry_formfind(const char *const *pages, size_t n, ferry_form_pub *fp,
                   ferry_formfind_report *r, ferry_err *e)
{
	size_t first = 0;
	int other_qr = 0;
	memset(r, 0, sizeof *r);
	memset(fp, 0, sizeof *fp);
	if (n > FERRY_FORMFIND_PAGES_MAX)
		return ferry_fail(e, FERRY_EUSAGE, "too many pages (at most %u)",
		                  FERRY_FORMFIND_PAGES_MAX);
	r->npages = n;
	for (size_t i = 0; i < n; i++) {
		ferry_form_pub f;
		int v = 0;
		if (scan_page(pages[i], i, &f, &v, &other_qr, e) != FERRY_OK)
			return e->code;
		if (v != 1)
			continue;
		if (r->ncarried && !same_form(&f, fp))
			return ferry_fail_hint(
			    e, FERRY_EVERIFY, "photograph one form's pages at a time",
			    "page %zu ('%s') carries another form's code than page %zu: were two forms mixed?",
			    i + 1, pages[i], first + 1);
		if (!r->ncarried) {
			*fp = f;
			first = i;
		}
		r->carried[i] = 1;
		r->ncarried++;
	}
	if (r->ncarried)
		return FERRY_OK;
	if (other_qr)
		return ferry_fail_hint(
		    e, FERRY_EVERIFY,
		    "photograph the page of the form that carries its code, or give --code or --pack",
		    "the pages carry a QR code, but not a ferry seal code");
	return ferry_fail_hint(
	    e, FERRY_EVERIFY,
	    "photograph the form's page with its code (QR) sharp and whole, or give --code or --pack",
	    "no page carries a readable seal code");
}

int ferry_formfind_agrees(const char *const *pages, size_t n, const ferry_form_pub *fp,
                          int walk_in, ferry_err *e)
{
	for (size_t i = 0; i < n; i++) {
		ferry_form_pub f;
		int v = 0, other_qr = 0;
		if (scan_page(pages[i], i, &f, &v, &other_qr, e) != FERRY_OK)
			return e->code;
		if (v != 1)
			continue;
		char code[FERRY_CODE_TEXT_LEN + 1];
		ferry_form_code_text(code, f.form_code);
		if (walk_in)
			return ferry_fail_hint(
			    e, FERRY_EVERIFY,
			    "seal it as that form's answer (--form), or give --force if the page belongs in this walk-in",
			    "page %zu ('%s') is a page of form %s, not a walk-in",
			    i + 1, pages[i], code);
		if (!same_form(&f, fp))
			return ferry_fail_hint(
			    e, FERRY_EVERIFY,
			    "photograph one form's pages at a time, or give --force if the page belongs with this form",
			    "page %zu ('%s') carries the code of form %s, not of the form being sealed: were two forms mixed?",
			    i + 1, pages[i], code);
	}
	return FERRY_OK;
}
