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

/* For a contact who named the form (--pack or --code): every seal code on
 * the pages must be that form's. FERRY_OK when none is another's (or no
 * page carries one); FERRY_EVERIFY naming the first page that names
 * another form, so two forms' pages are not sealed as one. walk_in: the
 * contact seals to the pack with no form, so any form's code is refused. */
int ferry_formfind_agrees(const char *const *pages, size_t n, const ferry_form_pub *fp,
                          int walk_in, ferry_err *e) FERRY_WUR;

/* What one page's QR texts say (the finder's parser of untrusted text,
 * exposed for its fuzz target): 1 with fp set when one is a seal code
 * that verifies; 0 when none is (other_qr set when some QR is another
 * thing); -1 when one looks like a seal code and does not verify (bad
 * says why); -2 when two forms' codes are on the page. */
int ferry_formfind_page(const ferry_qr_found *q, ferry_form_pub *fp, ferry_err *bad,
                        int *other_qr);

#endif
