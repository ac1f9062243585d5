/* The case browser's pages as they are written (desk/report.c writes the
 * case pages, desk/report_index.c the index): HTML built in memory and
 * written whole, one style sheet and at most one inline script, each
 * allowed by its hash in the page's Content-Security-Policy. */
#ifndef FERRY_REPORT_HTML_H
#define FERRY_REPORT_HTML_H

#include <stdint.h>

#include "../common/err.h"
#include "../common/io.h"
#include "cases.h"
#include "report.h"

/* One page: its HTML so far, and whether a write failed (a page with a
 * failure is not saved). */
typedef struct {
	ferry_membuf m;
	int bad; /* 0, or why the page cannot be built: ENOMEM, or EOVERFLOW for a
	          * line longer than ferry_rp_putf takes */
} ferry_rpage;

/* The report being built: the desk, the temp folder it is built in, the
 * counts, the style's hash and whether pack labels are shown. */
typedef struct {
	ferry_desk *d;
	const char *tmp;
	ferry_report_result *r;
	const char *style_hash;
	int labels; /* FERRY_REPORT_LABELS */
} ferry_rp_ctx;

/* The report's one style sheet. */
extern const char FERRY_RP_CSS[];

/* "sha256-" and 44 base64 characters: a CSP source for text. */
#define FERRY_RP_HASH_LEN 52
void ferry_rp_hash(char out[FERRY_RP_HASH_LEN], const char *text);

void ferry_rp_put(ferry_rpage *p, const char *s);
void ferry_rp_putf(ferry_rpage *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Text from outside (a label, a question, a bundle) as HTML text. */
void ferry_rp_esc_n(ferry_rpage *p, const char *s, size_t n);
void ferry_rp_esc(ferry_rpage *p, const char *s);
/* The page's head, with the policy: nothing from anywhere but images
 * beside it, the style by style_hash and, when script_hash is not NULL,
 * the one inline script with that hash. */
void ferry_rp_head(ferry_rpage *p, const char *style_hash, const char *script_hash,
                   const char *title);
/* Writes the page as dir/name (atomically), then wipes and frees it. */
int ferry_rp_save(const char *dir, const char *name, ferry_rpage *p,
                  ferry_err *e) FERRY_WUR;

/* A pack as the report names it: its short name, and its desk-private
 * label only when the journalist asked for labels. */
void ferry_rp_pack_name(const ferry_rp_ctx *x, ferry_rpage *p,
                        const ferry_vault_pack *pk);
/* index.html: every case, sortable and filterable by pack, flag and
 * date. */
int ferry_rp_index(const ferry_rp_ctx *x, const ferry_case_list *l, uint64_t now,
                   ferry_err *e) FERRY_WUR;

#endif
