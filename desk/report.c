#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/clock.h"
#include "../common/fields.h"
#include "../common/fileio.h"
#include "../common/html.h"
#include "../common/io.h"
#include "../forms/sheet.h"
#include "../trust/pack.h"
#include "cases.h"
#include "report_html.h"

#define SHOW_MAX (1u << 20) /* answers shown inline; the file has the rest */

typedef struct {
	uint64_t at;
	char *text;
} note;

typedef struct {
	char *entry;
	note *notes;
	size_t n, cap;
} case_text;

/* Each case's log entry and notes, indexed as the case list is. */
typedef struct {
	case_text *t;
	size_t cap;
} collect_ctx;

static void free_secret(char *s)
{
	if (s) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

static int collect(void *u, const ferry_case_list *l, long i,
                   const ferry_case_entry *ce, const char *text, ferry_err *e)
{
	collect_ctx *x = u;
	int is_case =
	    ce->kind == FERRY_ENTRY_TESTIMONY || ce->kind == FERRY_ENTRY_WALKIN;
	if (i < 0)
		return FERRY_OK;
	if ((size_t)i >= x->cap) {
		size_t cap = l->cap > (size_t)i ? l->cap : (size_t)i + 1;
		void *q = realloc(x->t, cap * sizeof *x->t);
		if (!q)
			return ferry_fail(e, FERRY_EOP, "out of memory");
		x->t = q;
		memset(x->t + x->cap, 0, (cap - x->cap) * sizeof *x->t);
		x->cap = cap;
	}
	case_text *t = &x->t[i];
	if (is_case) {
		free_secret(t->entry);
		return (t->entry = strdup(text)) ? FERRY_OK
		                                 : ferry_fail(e, FERRY_EOP, "out of memory");
	}
	ferry_membuf m = {0};
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 4;
		void *q = realloc(t->notes, cap * sizeof *t->notes);
		if (!q)
			return ferry_fail(e, FERRY_EOP, "out of memory");
		t->notes = q;
		t->cap = cap;
	}
	int rc = ferry_note_text(text, &m, e);
	if (rc != FERRY_OK) {
		ferry_membuf_free(&m);
		return rc;
	}
	t->notes[t->n].at = ce->at;
	t->notes[t->n++].text = (char *)m.p; /* NUL-terminated by ferry_note_text */
	return FERRY_OK;
}

/* ---- the case's files, checked against the log ---- */

/* An item line of the manifest (store/case_entry.h). */
typedef ferry_item_line item;

static int safe_name(const char *s)
{
	return ferry_field_plain_name(s, strlen(s));
}

/* One item line of the manifest (its name is a plain file name). */
static int parse_item(const char *l, const char *end, item *it)
{
	return ferry_item_line_parse(it, l, end);
}

/* Copies DESK/cases/CASE/ITEM into the report, hashing as it goes; the
 * copy is kept only when it is the file the log describes. */
static int copy_checked(const char *src, const char *dst, const item *it)
{
	struct stat st;
	uint8_t buf[65536], h[FERRY_HASH_LEN];
	crypto_generichash_state hs;
	ferry_err e;
	int in = ferry_open_input(src, "a case file", &st, &e);
	if (in < 0)
		return -1;
	int ofd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	FILE *out = ofd >= 0 ? fdopen(ofd, "w") : NULL;
	if (!out) {
		if (ofd >= 0)
			close(ofd);
		close(in);
		return -1;
	}
	crypto_generichash_init(&hs, NULL, 0, sizeof h);
	ssize_t n;
	uint64_t total = 0;
	int ok = 1;
	while ((n = ferry_read_full(in, buf, sizeof buf)) > 0) {
		crypto_generichash_update(&hs, buf, (size_t)n);
		total += (uint64_t)n;
		ok &= fwrite(buf, 1, (size_t)n, out) == (size_t)n;
	}
	ok &= n == 0;
	crypto_generichash_final(&hs, h, sizeof h);
	sodium_memzero(buf, sizeof buf);
	close(in);
	ok &= fflush(out) == 0 && fsync(fileno(out)) == 0;
	ok &= fclose(out) == 0;
	ok &= total == it->size && sodium_memcmp(h, it->hash, sizeof h) == 0;
	if (!ok)
		unlink(dst);
	return ok ? 0 : -1;
}

static void show_answers(ferry_rpage *p, const char *path)
{
	uint8_t *b = NULL;
	size_t n = 0;
	if (ferry_read_file(path, 16u << 20, &b, &n, "the answers", NULL) != 0) {
		ferry_rp_put(p, "<p class=\"warn\">the answers could not be read</p>\n");
		return;
	}
	ferry_rp_put(p, "<pre>");
	ferry_rp_esc_n(p, (const char *)b, n < SHOW_MAX ? n : SHOW_MAX);
	ferry_rp_put(p, "</pre>\n");
	if (n > SHOW_MAX)
		ferry_rp_put(p, "<p>(the rest is in the file)</p>\n");
	sodium_memzero(b, n);
	free(b);
}


/* The questions printed on a case's form, from the vault, and the page
 * each was printed on. */
typedef struct {
	ferry_questions q;
	int *page_of;
	int pages; /* 0: none to show */
	const char *lang;
	unsigned shown;  /* printed pages shown beside a photograph so far */
	unsigned asides; /* questions shown beside anything */
} questions_view;

static int questions_load(questions_view *qv, const ferry_vault_pack *pk)
{
	static const char *const LANG[] = {"en", "ko", "zh"};
	ferry_err e;
	memset(qv, 0, sizeof *qv);
	if (!pk->questions)
		return 0;
	if (ferry_questions_parse(&qv->q, (const uint8_t *)pk->questions,
	                          pk->questions_len, &e) != FERRY_OK)
		return -1;
	qv->page_of = calloc(qv->q.n, sizeof *qv->page_of);
	qv->lang = LANG[pk->questions_lang < 3 ? pk->questions_lang : 0];
	if (!qv->page_of ||
	    (qv->pages = ferry_sheet_page_of(&qv->q, pk->questions_paper,
	                                     qv->page_of, &e)) < 1) {
		qv->pages = 0;
		return -1;
	}
	return 0;
}

static void questions_free(questions_view *qv)
{
	if (qv->q.q)
		ferry_questions_free(&qv->q);
	free(qv->page_of);
	memset(qv, 0, sizeof *qv);
}

/* The questions printed on page pg (from 0) of the form, or on every
 * page when pg is -1, numbered as on paper. */
static void questions_show(ferry_rpage *p, questions_view *qv, int pg)
{
	unsigned number = 0;
	ferry_rp_putf(p, "<aside class=\"qs\" lang=\"%s\">\n", qv->lang);
	qv->asides++;
	if (pg < 0)
		ferry_rp_put(p, "<p class=\"qh\">The questions printed on the form:</p>\n");
	else
		ferry_rp_putf(p,
		     "<p class=\"qh\">Printed on page %d of %d of the form (check the page number in the photograph):</p>\n",
		     pg + 1, qv->pages);
	for (size_t i = 0; i < qv->q.n; i++) {
		const ferry_question *q = &qv->q.q[i];
		number += !q->instruction;
		if (pg >= 0 && qv->page_of[i] != pg)
			continue;
		if (q->instruction)
			ferry_rp_put(p, "<p class=\"ins\">");
		else
			ferry_rp_putf(p, "<p class=\"q\"><b>%u.</b> ", number);
		ferry_rp_esc(p, q->text);
		ferry_rp_put(p, "</p>\n");
	}
	ferry_rp_put(p, "</aside>\n");
}

static void write_items(ferry_rp_ctx *x, ferry_rpage *p, const ferry_case_info *c,
                        const char *entry, questions_view *qv)
{
	char src[FERRY_PATH_MAX], dst[FERRY_PATH_MAX], rel[FERRY_PATH_MAX];
	const char *l = strstr(entry, "\nitems:\n");
	int pages = 0;
	ferry_rp_put(p, "<h2>Pages, answers and attachments</h2>\n");
	for (l = l ? l + 8 : NULL; l && *l;) {
		const char *end = strchr(l, '\n');
		if (!end)
			end = l + strlen(l);
		item it;
		if (parse_item(l, end, &it) == 0 &&
		    ferry_path_fmt(src, sizeof src, "%s/cases/%s/%s", x->d->dir,
		                   c->name, it.name) == 0 &&
		    ferry_path_fmt(rel, sizeof rel, "cases/%s/%s", c->name, it.name) ==
		        0 &&
		    ferry_path_fmt(dst, sizeof dst, "%s/%s", x->tmp, rel) == 0) {
			int ok = copy_checked(src, dst, &it) == 0;
			int is_page = !strncmp(it.name, "page-", 5);
			x->r->files += ok;
			x->r->mismatched += !ok;
			int beside = qv->pages && ok &&
			             (is_page ? qv->shown < (unsigned)qv->pages
			                      : !strncmp(it.name, "answers", 7));
			if (beside)
				ferry_rp_put(p, "<div class=\"sheet\">\n");
			ferry_rp_put(p, "<figure>\n");
			if (!ok)
				ferry_rp_putf(
				    p,
				    "<p class=\"warn\">%s: the file in the desk's cases folder is missing or does not match the log (changed since it opened): not shown</p>\n",
				    it.name);
			else if (is_page) {
				int o = it.orientation >= 2 && it.orientation <= 8
				            ? it.orientation
				            : 1;
				++pages;
				ferry_rp_putf(p,
				     "<a class=\"zoom\" href=\"#full-%d\"><img class=\"pg o%d\" src=\"%s\" alt=\"page %d\"></a>\n"
				     "<div class=\"full\" id=\"full-%d\"><a href=\"#\"><img class=\"o%d\" src=\"%s\" alt=\"page %d, full size\"></a></div>\n",
				     pages, o, rel, pages, pages, o, rel, pages);
			}
			else if (!strncmp(it.name, "answers", 7))
				show_answers(p, dst);
			else
				ferry_rp_putf(
				    p,
				    "<p><a href=\"%s\">%s</a>: an opaque attachment; its metadata was NOT removed</p>\n",
				    rel, it.name);
			ferry_rp_putf(p, "<figcaption><code>%s</code>, %llu bytes", it.name,
			     (unsigned long long)it.size);
			if (it.orientation > 1)
				ferry_rp_putf(p,
				     ", orientation %d (turned as the phone held it)",
				     it.orientation);
			if (it.report) {
				ferry_rp_put(p, "<br>removed by the sealer: ");
				ferry_rp_esc_n(p, it.report, it.report_len);
			}
			ferry_rp_put(p, "</figcaption>\n</figure>\n");
			if (beside) {
				/* A photograph shows the printed page of its
				 * place; typed answers, every question. */
				questions_show(p, qv, is_page ? (int)qv->shown++ : -1);
				ferry_rp_put(p, "</div>\n");
			}
		}
		l = *end ? end + 1 : end;
	}
	if (qv->pages && qv->shown > 0 && qv->shown < (unsigned)qv->pages) {
		ferry_rp_put(p, "<h3>Printed pages with no photograph</h3>\n");
		for (int pg = (int)qv->shown; pg < qv->pages; pg++)
			questions_show(p, qv, pg);
	}
}

static void case_flags(ferry_rpage *p, const ferry_case_info *c)
{
	if (c->answered_twice)
		ferry_rp_put(p,
		    "<p class=\"warn\">This form was answered more than once: one of the answers may have been sealed by someone who saw or seized the form. Compare the cases before trusting either.</p>\n");
	if (c->revoked_at_open)
		ferry_rp_put(p,
		    "<p class=\"warn\">This case came from a revoked pack: it may be forged. Do not trust it without other evidence.</p>\n");
	if (c->revoked_since)
		ferry_rp_put(p,
		    "<p class=\"warn\">Its pack was revoked after this case opened.</p>\n");
	if (c->sealed_with == FERRY_SEALED_CODE)
		ferry_rp_put(p,
		    "<p class=\"warn\">Sealed with the form's code alone, without the pack word: anyone who saw or photographed the form could have made it.</p>\n");
	if (c->sealed_with == FERRY_SEALED_WRONG_WORD)
		ferry_rp_put(p,
		    "<p class=\"warn\">Sealed with a wrong pack word: a typo by the contact, or someone guessing the word. Treat it as sealed with the form's code alone.</p>\n");
	if (c->admitted)
		ferry_rp_put(p,
		    "<p class=\"warn\">Held in quarantine, then opened on the journalist's decision.</p>\n");
	if (c->same_pages[0] && safe_name(c->same_pages))
		ferry_rp_putf(p,
		     "<p class=\"warn\">The same pages as <a href=\"case-%s.html\">%s</a>: probably sent twice by the contact.</p>\n",
		     c->same_pages, c->same_pages);
}

/* Every answer to this case's form, linked, so the journalist compares
 * them; at most 50 (a flood would make every page as long as the index). */
static void form_answers(ferry_rpage *p, const ferry_case_list *l, const ferry_case_info *c)
{
	size_t shown = 0, all = 0;
	if (c->kind != FERRY_ENTRY_TESTIMONY)
		return;
	for (size_t i = 0; i < l->n; i++)
		all += l->cases[i].kind == FERRY_ENTRY_TESTIMONY &&
		       !strcmp(l->cases[i].form, c->form);
	if (all < 2)
		return;
	ferry_rp_putf(p, "<h2>The %zu answers to form %s</h2>\n<p class=\"answers\">", all, c->form);
	for (size_t i = 0; i < l->n && shown < 50; i++) {
		const ferry_case_info *o = &l->cases[i];
		if (o->kind != FERRY_ENTRY_TESTIMONY || strcmp(o->form, c->form) ||
		    !safe_name(o->name))
			continue;
		if (o == c)
			ferry_rp_putf(p, "<b>%s</b> ", o->name);
		else
			ferry_rp_putf(p, "<a href=\"case-%s.html\">%s</a>%s ", o->name, o->name,
			     o->sealed_with == FERRY_SEALED_CODE ||
			             o->sealed_with == FERRY_SEALED_WRONG_WORD
			         ? " (code only)"
			         : "");
		shown++;
	}
	if (all > shown)
		ferry_rp_putf(p, "and %zu more: see the index", all - shown);
	ferry_rp_put(p, "</p>\n");
}

static int write_case(ferry_rp_ctx *x, const ferry_case_list *l,
                      const ferry_case_info *c, const case_text *t, ferry_err *e)
{
	char dir[FERRY_PATH_MAX], when[21], title[128], hex[65], file[128];
	ferry_rpage p = {{0}, 0};
	const ferry_vault_pack *pk = &x->d->v->packs[c->pack];
	if (!safe_name(c->name) ||
	    ferry_path_fmt(dir, sizeof dir, "%s/cases/%s", x->tmp, c->name) != 0 ||
	    ferry_mkdir(dir, 0700) != 0)
		return ferry_fail(e, FERRY_EOP,
		                  "cannot make the folder for case '%.64s'", c->name);
	snprintf(title, sizeof title, "Case %s", c->name);
	ferry_rp_head(&p, x->style_hash, NULL, title);
	ferry_rp_put(&p, "<p><a href=\"index.html\">All cases</a></p>\n<h1>");
	ferry_rp_esc(&p, title);
	ferry_rp_put(&p, "</h1>\n");
	case_flags(&p, c);
	ferry_iso_time(when, c->opened_at);
	sodium_bin2hex(hex, sizeof hex, c->entry_hash, sizeof c->entry_hash);
	ferry_rp_putf(
	    &p,
	    "<table>\n<tr><th>kind</th><td>%s</td></tr>\n<tr><th>form</th><td>%s</td></tr>\n",
	    c->kind == FERRY_ENTRY_TESTIMONY ? "testimony" : "walk-in",
	    c->form[0] ? c->form : "-");
	ferry_rp_put(&p, "<tr><th>pack</th><td>");
	ferry_rp_pack_name(x, &p, pk);
	ferry_rp_putf(
	    &p,
	    "</td></tr>\n<tr><th>opened</th><td>%s</td></tr>\n"
	    "<tr><th>log entry</th><td>number %llu, BLAKE2b-256 of its text <code>%s</code></td></tr>\n</table>\n",
	    when, (unsigned long long)c->seq + 1, hex);
	form_answers(&p, l, c);
	questions_view qv;
	memset(&qv, 0, sizeof qv);
	if (c->kind == FERRY_ENTRY_TESTIMONY && questions_load(&qv, pk) != 0)
		ferry_rp_put(&p,
		    "<p class=\"warn\">The questions kept for this pack could not be read: the answers are shown without them.</p>\n");
	if (t->entry)
		write_items(x, &p, c, t->entry, &qv);
	if (qv.pages && !qv.asides) {
		ferry_rp_put(&p, "<h2>The questions on the form</h2>\n");
		questions_show(&p, &qv, -1);
	}
	questions_free(&qv);
	ferry_rp_put(&p, "<h2>Notes</h2>\n");
	if (t->n == 0)
		ferry_rp_put(&p, "<p>none</p>\n");
	for (size_t i = 0; i < t->n; i++) {
		ferry_iso_time(when, t->notes[i].at);
		ferry_rp_putf(&p, "<h3>%s</h3>\n<pre>", when);
		ferry_rp_esc(&p, t->notes[i].text);
		ferry_rp_put(&p, "</pre>\n");
	}
	ferry_rp_put(&p, "<h2>The log entry</h2>\n<pre>");
	if (t->entry)
		ferry_rp_esc(&p, t->entry);
	ferry_rp_put(&p, "</pre>\n</body></html>\n");
	snprintf(file, sizeof file, "case-%s.html", c->name);
	return ferry_rp_save(x->tmp, file, &p, e);
}

/* The report folder must not be inside the desk (no copies there beyond
 * cases/), must not exist, and unless asked must be on another file
 * system than the desk's. */
static int check_outdir(const ferry_desk *d, const char *outdir, int flags,
                        ferry_err *e)
{
	char parent[FERRY_PATH_MAX], rp[PATH_MAX], rd[PATH_MAX];
	struct stat st, sd;
	if (lstat(outdir, &st) == 0)
		return ferry_fail(e, FERRY_EUSAGE,
		                  "'%s' already exists; give a new folder", outdir);
	ferry_dirname(parent, sizeof parent, outdir);
	if (!realpath(parent, rp) || !realpath(d->dir, rd))
		return ferry_fail(e, FERRY_EOP, "cannot use '%s': %s", outdir,
		                  strerror(errno));
	if (ferry_path_within(rp, rd))
		return ferry_fail_hint(
		    e, FERRY_EUSAGE,
		    "write it outside the desk, for example on a USB stick",
		    "'%s' is inside the desk", outdir);
	if (!(flags & FERRY_REPORT_SAME_DISK) && stat(rp, &st) == 0 &&
	    stat(rd, &sd) == 0 && st.st_dev == sd.st_dev)
		return ferry_fail_hint(
		    e, FERRY_EUSAGE,
		    "write it to the encrypted medium you will hand it on with (a LUKS or VeraCrypt volume, mounted); if this disk is encrypted and the copy is meant to stay, give --same-disk",
		    "'%s' is on the desk's own disk: the report is one more copy of every testimony, in the clear, that a seizure of this machine would find",
		    outdir);
	return FERRY_OK;
}

static int build(ferry_rp_ctx *x, ferry_case_list *l, case_text *t, uint64_t now,
                 ferry_err *e)
{
	char p[FERRY_PATH_MAX];
	if (ferry_path_join(p, sizeof p, x->tmp, "cases") != 0 ||
	    ferry_mkdir(p, 0700) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot write the report: %s",
		                  strerror(errno));
	for (size_t i = 0; i < l->n; i++) {
		int rc = write_case(x, l, &l->cases[i], &t[i], e);
		if (rc != FERRY_OK)
			return rc;
		x->r->cases++;
	}
	return ferry_rp_index(x, l, now, e);
}

int ferry_desk_report(ferry_desk *d, const char *outdir, uint64_t now, int flags,
                      ferry_report_result *r, ferry_err *e)
{
	ferry_case_list l;
	char tmp[FERRY_PATH_MAX], style_hash[FERRY_RP_HASH_LEN];
	memset(r, 0, sizeof *r);
	int rc = check_outdir(d, outdir, flags, e);
	if (rc != FERRY_OK)
		return rc;
	/* One walk of the log gives the list and each case's texts. */
	collect_ctx cx = {NULL, 0};
	rc = ferry_desk_cases_walk(d, &l, collect, &cx, e);
	case_text *t = cx.t;
	/* The only style is the report's one; the policy names its hash. */
	ferry_rp_hash(style_hash, FERRY_RP_CSS);
	if (rc == FERRY_OK &&
	    ferry_path_fmt(tmp, sizeof tmp, "%s.tmp-XXXXXX", outdir) != 0)
		rc = ferry_fail(e, FERRY_EOP, "the report's path is too long");
	if (rc == FERRY_OK && !mkdtemp(tmp))
		rc = ferry_fail(e, FERRY_EOP, "cannot create '%s': %s", tmp,
		                strerror(errno));
	if (rc == FERRY_OK) {
		ferry_rp_ctx x = {d, tmp, r, style_hash, (flags & FERRY_REPORT_LABELS) != 0};
		rc = build(&x, &l, t, now, e);
		char parent[FERRY_PATH_MAX];
		ferry_dirname(parent, sizeof parent, outdir);
		if (rc == FERRY_OK &&
		    (rename(tmp, outdir) != 0 || ferry_fsync_dir(parent) != 0))
			rc = ferry_fail(e, FERRY_EOP,
			                "cannot put the report in place: %s",
			                strerror(errno));
		if (rc != FERRY_OK)
			(void)ferry_remove_tree(tmp);
	}
	for (size_t i = 0; i < cx.cap; i++) {
		free_secret(t[i].entry);
		for (size_t k = 0; k < t[i].n; k++)
			free_secret(t[i].notes[k].text);
		free(t[i].notes);
	}
	free(t);
	ferry_case_list_free(&l);
	return rc;
}
