/* The form seals itself on the command line: each page file searched in
 * the QR decoder's sandbox (pages/qrfind.c), the codes tallied by
 * seal/formfind.c. The offline page searches pixels itself and does not
 * link this file. */
#include "formfind.h"

#include <string.h>

#include "../pages/qrscan.h"

/* Scans page i in the sandbox; FERRY_OK with its codes in *q, or with
 * *q NULL when the page is no readable image: it carries no code, and
 * sealing refuses it later with the sanitizer's own words. A decoder that
 * failed (crashed, stopped by its sandbox or a limit) is an error here. */
static int scan_page(const char *path, size_t i, ferry_qr_found *buf,
                     const ferry_qr_found **q, ferry_err *e)
{
	int rc = ferry_qr_find(path, buf, e);
	*q = buf;
	if (rc == FERRY_EVERIFY) {
		ferry_err_clear(e);
		*q = NULL;
		return FERRY_OK;
	}
	if (rc != FERRY_OK)
		return ferry_err_prefix(e, "page %zu ('%s')", i + 1, path);
	return FERRY_OK;
}

int ferry_formfind(const char *const *pages, size_t n, ferry_form_pub *fp,
                   ferry_formfind_report *r, ferry_err *e)
{
	ferry_formfind_start(r);
	memset(fp, 0, sizeof *fp);
	if (n > FERRY_FORMFIND_PAGES_MAX)
		return ferry_fail(e, FERRY_EUSAGE, "too many pages (at most %u)",
		                  FERRY_FORMFIND_PAGES_MAX);
	for (size_t i = 0; i < n; i++) {
		ferry_qr_found buf;
		const ferry_qr_found *q;
		if (scan_page(pages[i], i, &buf, &q, e) != FERRY_OK ||
		    ferry_formfind_add(r, q, pages[i], e) != FERRY_OK)
			return e->code;
	}
	return ferry_formfind_end(r, fp, e);
}

int ferry_formfind_agrees(const char *const *pages, size_t n, const ferry_form_pub *fp,
                          int walk_in, ferry_err *e)
{
	for (size_t i = 0; i < n; i++) {
		ferry_form_pub f;
		ferry_qr_found buf;
		const ferry_qr_found *q;
		int v = 0, other_qr = 0;
		if (scan_page(pages[i], i, &buf, &q, e) != FERRY_OK ||
		    ferry_formfind_verdict(q, i, pages[i], &f, &v, &other_qr, e) !=
		        FERRY_OK)
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
		if (!ferry_formfind_same(&f, fp))
			return ferry_fail_hint(
			    e, FERRY_EVERIFY,
			    "photograph one form's pages at a time, or give --force if the page belongs with this form",
			    "page %zu ('%s') carries the code of form %s, not of the form being sealed: were two forms mixed?",
			    i + 1, pages[i], code);
	}
	return FERRY_OK;
}
