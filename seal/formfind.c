/* The form finder's reading of QR texts and its tally of pages
 * (seal/formfind.h): pure, so the offline page runs it too; the command
 * line's scan of page files in the sandbox is seal/formscan.c. */
#include "formfind.h"

#include <string.h>

#include "../pages/qrscan.h"

/* Two seal codes name the same form of the same pack of the same desk. */
int ferry_formfind_same(const ferry_form_pub *a, const ferry_form_pub *b)
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
			if (found && !ferry_formfind_same(&f, fp))
				return -2;
			*fp = f;
			found = 1;
		} else if (ferry_sealcode_claims(q->text[i])) {
			/* It claims to be a seal code and is not a good one. */
			*bad = e;
			return -1;
		} else {
			*other_qr = 1;
		}
	}
	return found;
}

int ferry_formfind_verdict(const ferry_qr_found *q, size_t i, const char *name,
                           ferry_form_pub *fp, int *v, int *other_qr, ferry_err *e)
{
	ferry_err bad;
	*v = q ? ferry_formfind_page(q, fp, &bad, other_qr) : 0;
	if (*v == -1)
		return ferry_fail_hint(
		    e, FERRY_EVERIFY,
		    "do not seal with this page's code: ask the desk whether the form is theirs",
		    "page %zu ('%s') carries a seal code that does not verify: %s",
		    i + 1, name, bad.msg);
	if (*v == -2)
		return ferry_fail_hint(
		    e, FERRY_EVERIFY, "photograph one form's pages at a time",
		    "page %zu ('%s') carries the codes of two forms", i + 1, name);
	return FERRY_OK;
}

void ferry_formfind_start(ferry_formfind_report *r)
{
	memset(r, 0, sizeof *r);
}

int ferry_formfind_add(ferry_formfind_report *r, const ferry_qr_found *q,
                       const char *name, ferry_err *e)
{
	size_t i = r->npages;
	ferry_form_pub f;
	int v = 0;
	r->verdict = 0;
	if (i >= FERRY_FORMFIND_PAGES_MAX)
		return ferry_fail(e, FERRY_EUSAGE, "too many pages (at most %u)",
		                  FERRY_FORMFIND_PAGES_MAX);
	int rc = ferry_formfind_verdict(q, i, name, &f, &v, &r->other_qr, e);
	r->verdict = v;
	if (rc != FERRY_OK)
		return rc;
	r->npages++;
	if (v != 1)
		return FERRY_OK;
	if (r->ncarried && !ferry_formfind_same(&f, &r->form))
		return ferry_fail_hint(
		    e, FERRY_EVERIFY, "photograph one form's pages at a time",
		    "page %zu ('%s') carries another form's code than page %zu: were two forms mixed?",
		    i + 1, name, r->first + 1);
	if (!r->ncarried) {
		r->form = f;
		r->first = i;
	}
	r->carried[i] = 1;
	r->ncarried++;
	return FERRY_OK;
}

int ferry_formfind_end(const ferry_formfind_report *r, ferry_form_pub *fp, ferry_err *e)
{
	if (r->ncarried) {
		*fp = r->form;
		return FERRY_OK;
	}
	memset(fp, 0, sizeof *fp);
	if (r->other_qr)
		return ferry_fail_hint(
		    e, FERRY_EVERIFY,
		    "photograph the page of the form that carries its code, or give --code or --pack",
		    "the pages carry a QR code, but not a ferry seal code");
	return ferry_fail_hint(
	    e, FERRY_EVERIFY,
	    "photograph the form's page with its code (QR) sharp and whole, or give --code or --pack",
	    "no page carries a readable seal code");
}
