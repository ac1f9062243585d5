/* The form seals itself: the seal code printed as a QR code on the page
 * a contact photographs is found in the photo (pages/qrscan.h, each page
 * decoded in a sandboxed child), so nothing has to be typed. */
#ifndef FERRY_FORMFIND_H
#define FERRY_FORMFIND_H

#include <stddef.h>

#include "../common/err.h"
#include "../pages/qrscan.h"
#include "../trust/pack.h"

#define FERRY_FORMFIND_PAGES_MAX 1024u

typedef struct {
	size_t npages;
	unsigned char carried[FERRY_FORMFIND_PAGES_MAX]; /* page i carried the code */
	size_t ncarried;
	/* The tally while pages are added. */
	ferry_form_pub form; /* the code of the first page that carried one */
	size_t first;        /* that page */
	int other_qr;        /* some page carries a QR that is no seal code */
	int verdict;         /* the last page added, as ferry_formfind_page says */
} ferry_formfind_report;

/* Reads the QR codes of every page and keeps those that are seal codes
 * (checksum and signature checked). At least one page must carry one and
 * every page that carries one must carry the same; a page whose code does
 * not verify, or a QR that is no seal code where none is found, is named
 * in the error. fp gets the form (its fingerprint and expiry still to be
 * checked). FERRY_EVERIFY for what the pages say, FERRY_EOP when a page
 * cannot be read or its decoder failed. A page that is no readable image
 * carries no code here (sealing refuses it with the sanitizer's reason). */
int ferry_formfind(const char *const *pages, size_t n, ferry_form_pub *fp,
                   ferry_formfind_report *r, ferry_err *e) FERRY_WUR;

/* The same, one page at a time, for a caller that found the codes itself
 * (the offline page): start, add each page's codes in order (q NULL for a
 * page that is no readable image; name is how messages call the page),
 * then end. add fails as soon as a page disagrees, end when no page
 * carried a code. */
void ferry_formfind_start(ferry_formfind_report *r);
int ferry_formfind_add(ferry_formfind_report *r, const ferry_qr_found *q,
                       const char *name, ferry_err *e) FERRY_WUR;
int ferry_formfind_end(const ferry_formfind_report *r, ferry_form_pub *fp,
                       ferry_err *e) FERRY_WUR;

/* For a contact who named the form (--pack or --code): every seal code on
 * the pages must be that form's. FERRY_OK when none is another's (or no
 * page carries one); FERRY_EVERIFY naming the first page that names
 * another form, so two forms' pages are not sealed as one. walk_in: the
 * contact seals to the pack with no form, so any form's code is refused. */
int ferry_formfind_agrees(const char *const *pages, size_t n, const ferry_form_pub *fp,
                          int walk_in, ferry_err *e) FERRY_WUR;

/* Two seal codes name the same form of the same pack of the same desk. */
int ferry_formfind_same(const ferry_form_pub *a, const ferry_form_pub *b);

/* ferry_formfind_page for page i as an error: FERRY_OK with the verdict
 * in *v (q NULL: the page carries nothing), or FERRY_EVERIFY naming the
 * page when its code does not verify or it carries two forms' codes. */
int ferry_formfind_verdict(const ferry_qr_found *q, size_t i, const char *name,
                           ferry_form_pub *fp, int *v, int *other_qr,
                           ferry_err *e) FERRY_WUR;

/* What one page's QR texts say (the finder's parser of untrusted text,
 * exposed for its fuzz target): 1 with fp set when one is a seal code
 * that verifies; 0 when none is (other_qr set when some QR is another
 * thing); -1 when one looks like a seal code and does not verify (bad
 * says why); -2 when two forms' codes are on the page. */
int ferry_formfind_page(const ferry_qr_found *q, ferry_form_pub *fp, ferry_err *bad,
                        int *other_qr);

#endif
