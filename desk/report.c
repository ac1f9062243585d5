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
#include "../trust/pack.h"
#include "cases.h"

/* EXIF orientations 1..8 as CSS transforms (the sanitized page carries no
 * EXIF: the manifest says how to turn it). */
static const char CSS[] =
    "body{font-family:sans-serif;margin:2em;max-width:70em;color:#111}"
    "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .6em;text-align:left;vertical-align:top}"
    ".warn{background:#fee;border:2px solid #c00;padding:.5em;font-weight:bold}"
    "pre{white-space:pre-wrap;background:#f4f4f4;padding:.6em;border:1px solid #ccc}"
    "figure{margin:2em 0}img.pg{display:block;max-width:60%;max-height:80vh;margin:12% auto}"
    "td:nth-child(5){white-space:nowrap}"
    ".o2{transform:scaleX(-1)}.o3{transform:rotate(180deg)}.o4{transform:scaleY(-1)}"
    ".o5{transform:scaleX(-1) rotate(90deg)}.o6{transform:rotate(90deg)}"
    ".o7{transform:rotate(90deg) scaleX(-1)}.o8{transform:rotate(-90deg)}"
    /* A form code or a hash is read and compared whole: never broken
     * inside; a long one scrolls in its own line. */
    "code{white-space:nowrap}figcaption,td{overflow-x:auto}"
    /* A page opens as large as the window, turned the same way, on a
     * click: the link targets its own view; no script. A quarter-turned
     * page (5 to 8) is bounded by the window's other side, since a
     * transform turns the picture and not its box. */
    "a.zoom{cursor:zoom-in}.full{display:none}"
    ".full:target{display:flex;position:fixed;inset:0;background:#000e;z-index:1}"
    ".full a{margin:auto;cursor:zoom-out}"
    ".full img{display:block;max-width:96vw;max-height:96vh}"
    ".full img.o5,.full img.o6,.full img.o7,.full img.o8{max-width:96vh;max-height:96vw}";

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
                   const ferry_case_entry *ce, const char *text)
{
	collect_ctx *x = u;
	int is_case =
	    ce->kind == FERRY_ENTRY_TESTIMONY || ce->kind == FERRY_ENTRY_WALKIN;
	if (i < 0)
		return 0;
	if ((size_t)i >= x->cap) {
		size_t cap = l->cap > (size_t)i ? l->cap : (size_t)i + 1;
		void *q = realloc(x->t, cap * sizeof *x->t);
		if (!q)
			return -1;
		x->t = q;
		memset(x->t + x->cap, 0, (cap - x->cap) * sizeof *x->t);
		x->cap = cap;
	}
	case_text *t = &x->t[i];
	if (is_case) {
		free_secret(t->entry);
		return (t->entry = strdup(text)) ? 0 : -1;
	}
	ferry_membuf m = {0};
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 4;
		void *q = realloc(t->notes, cap * sizeof *t->notes);
		if (!q)
			return -1;
		t->notes = q;
		t->cap = cap;
	}
	if (ferry_note_text(text, &m) != 0 ||
	    ferry_membuf_write(&m, (const uint8_t *)"", 1) != 0) {
		ferry_membuf_free(&m);
		return -1;
	}
	t->notes[t->n].at = ce->at;
	t->notes[t->n++].text = (char *)m.p; /* NUL-terminated above */
	return 0;
}

/* ---- writing HTML ---- */

typedef struct {
	ferry_membuf m;
	int bad;
} page;

static void put(page *p, const char *s)
{
	if (!p->bad && ferry_membuf_write(&p->m, (const uint8_t *)s, strlen(s)) != 0)
		p->bad = 1;
}

static void putf(page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(page *p, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf)
		p->bad = 1;
	else
		put(p, buf);
}

static void esc_n(page *p, const char *s, size_t n)
{
	if (!p->bad && ferry_html_escape(ferry_membuf_write, &p->m, s, n) != 0)
		p->bad = 1;
}

static void esc(page *p, const char *s)
{
	esc_n(p, s, strlen(s));
}

static void head(page *p, const char *csp_style, const char *title)
{
	put(p, "<!doctype html>\n<html><head><meta charset=\"utf-8\">\n");
	putf(
	    p,
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self'; style-src '%s'; base-uri 'none'; form-action 'none'\">\n",
	    csp_style);
	put(p, "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
	esc(p, title);
	put(p, "</title>\n<style>");
	put(p, CSS);
	put(p, "</style>\n</head>\n<body>\n");
}

static int save_page(const char *dir, const char *name, page *p, ferry_err *e)
{
	char path[FERRY_PATH_MAX];
	int ok = !p->bad && ferry_path_join(path, sizeof path, dir, name) == 0 &&
	         ferry_atomic_write(path, p->m.p, p->m.len, 0600, 1) == 0;
	sodium_memzero(p->m.p, p->m.len);
	ferry_membuf_free(&p->m);
	p->bad = 0;
	return ok ? FERRY_OK
	          : ferry_fail(e, FERRY_EOP, "cannot write '%s' in the report: %s",
	                       name, strerror(errno));
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
	uint8_t buf[65536], h[32];
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
	crypto_generichash_init(&hs, NULL, 0, 32);
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
	ok &= total == it->size && sodium_memcmp(h, it->hash, 32) == 0;
	if (!ok)
		unlink(dst);
	return ok ? 0 : -1;
}

static void show_answers(page *p, const char *path)
{
	uint8_t *b = NULL;
	size_t n = 0;
	if (ferry_read_file(path, 16u << 20, &b, &n, "the answers", NULL) != 0) {
		put(p, "<p class=\"warn\">the answers could not be read</p>\n");
		return;
	}
	put(p, "<pre>");
	esc_n(p, (const char *)b, n < SHOW_MAX ? n : SHOW_MAX);
	put(p, "</pre>\n");
	if (n > SHOW_MAX)
		put(p, "<p>(the rest is in the file)</p>\n");
	sodium_memzero(b, n);
	free(b);
}

typedef struct {
	ferry_desk *d;
	const char *tmp;
	ferry_report_result *r;
	const char *style_hash;
	int labels; /* FERRY_REPORT_LABELS */
} report_ctx;

/* A pack as the report names it: its short name, and its desk-private
 * label only when the journalist asked for labels. */
static void pack_name(report_ctx *x, page *p, const ferry_vault_pack *pk)
{
	char sn[5];
	ferry_pack_short(sn, pk->pack_id);
	put(p, sn);
	if (!x->labels)
		return;
	put(p, " (");
	esc(p, pk->label);
	put(p, ")");
}

static void write_items(report_ctx *x, page *p, const ferry_case_info *c,
                        const char *entry)
{
	char src[FERRY_PATH_MAX], dst[FERRY_PATH_MAX], rel[FERRY_PATH_MAX];
	const char *l = strstr(entry, "\nitems:\n");
	int pages = 0;
	put(p, "<h2>Pages, answers and attachments</h2>\n");
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
			put(p, "<figure>\n");
			if (!ok)
				putf(
				    p,
				    "<p class=\"warn\">%s: the file in the desk's cases folder is missing or does not match the log (changed since it opened): not shown</p>\n",
				    it.name);
			else if (is_page) {
				int o = it.orientation >= 2 && it.orientation <= 8
				            ? it.orientation
				            : 1;
				++pages;
				putf(p,
				     "<a class=\"zoom\" href=\"#full-%d\"><img class=\"pg o%d\" src=\"%s\" alt=\"page %d\"></a>\n"
				     "<div class=\"full\" id=\"full-%d\"><a href=\"#\"><img class=\"o%d\" src=\"%s\" alt=\"page %d, full size\"></a></div>\n",
				     pages, o, rel, pages, pages, o, rel, pages);
			}
			else if (!strncmp(it.name, "answers", 7))
				show_answers(p, dst);
			else
				putf(
				    p,
				    "<p><a href=\"%s\">%s</a>: an opaque attachment; its metadata was NOT removed</p>\n",
				    rel, it.name);
			putf(p, "<figcaption><code>%s</code>, %llu bytes", it.name,
			     (unsigned long long)it.size);
			if (it.orientation > 1)
				putf(p,
				     ", orientation %d (turned as the phone held it)",
				     it.orientation);
			if (it.report) {
				put(p, "<br>removed by the sealer: ");
				esc_n(p, it.report, it.report_len);
			}
			put(p, "</figcaption>\n</figure>\n");
		}
		l = *end ? end + 1 : end;
	}
}

static void case_flags(page *p, const ferry_case_info *c)
{
	if (c->answered_twice)
		put(p,
		    "<p class=\"warn\">This form was answered more than once: one of the answers may have been sealed by someone who saw or seized the form. Compare the cases before trusting either.</p>\n");
	if (c->revoked_at_open)
		put(p,
		    "<p class=\"warn\">This case came from a revoked pack: it may be forged. Do not trust it without other evidence.</p>\n");
	if (c->revoked_since)
		put(p,
		    "<p class=\"warn\">Its pack was revoked after this case opened.</p>\n");
	if (c->sealed_with == FERRY_SEALED_CODE)
		put(p,
		    "<p class=\"warn\">Sealed with the form's code alone, without the pack word: anyone who saw or photographed the form could have made it.</p>\n");
	if (c->sealed_with == FERRY_SEALED_WRONG_WORD)
		put(p,
		    "<p class=\"warn\">Sealed with a wrong pack word: a typo by the contact, or someone guessing the word. Treat it as sealed with the form's code alone.</p>\n");
	if (c->admitted)
		put(p,
		    "<p class=\"warn\">Held in quarantine, then opened on the journalist's decision.</p>\n");
	if (c->same_pages[0] && safe_name(c->same_pages))
		putf(p,
		     "<p class=\"warn\">The same pages as <a href=\"case-%s.html\">%s</a>: probably sent twice by the contact.</p>\n",
		     c->same_pages, c->same_pages);
}

/* Every answer to this case's form, linked, so the journalist compares
 * them; at most 50 (a flood would make every page as long as the index). */
static void form_answers(page *p, const ferry_case_list *l, const ferry_case_info *c)
{
	size_t shown = 0, all = 0;
	if (c->kind != FERRY_ENTRY_TESTIMONY)
		return;
	for (size_t i = 0; i < l->n; i++)
		all += l->cases[i].kind == FERRY_ENTRY_TESTIMONY &&
		       !strcmp(l->cases[i].form, c->form);
	if (all < 2)
		return;
	putf(p, "<h2>The %zu answers to form %s</h2>\n<p class=\"answers\">", all, c->form);
	for (size_t i = 0; i < l->n && shown < 50; i++) {
		const ferry_case_info *o = &l->cases[i];
		if (o->kind != FERRY_ENTRY_TESTIMONY || strcmp(o->form, c->form) ||
		    !safe_name(o->name))
			continue;
		if (o == c)
			putf(p, "<b>%s</b> ", o->name);
		else
			putf(p, "<a href=\"case-%s.html\">%s</a>%s ", o->name, o->name,
			     o->sealed_with == FERRY_SEALED_CODE ||
			             o->sealed_with == FERRY_SEALED_WRONG_WORD
			         ? " (code only)"
			         : "");
		shown++;
	}
	if (all > shown)
		putf(p, "and %zu more: see the index", all - shown);
	put(p, "</p>\n");
}

static int write_case(report_ctx *x, const ferry_case_list *l,
                      const ferry_case_info *c, const case_text *t, ferry_err *e)
{
	char dir[FERRY_PATH_MAX], when[21], title[128], hex[65], file[128];
	page p = {{0}, 0};
	const ferry_vault_pack *pk = &x->d->v->packs[c->pack];
	if (!safe_name(c->name) ||
	    ferry_path_fmt(dir, sizeof dir, "%s/cases/%s", x->tmp, c->name) != 0 ||
	    ferry_mkdir(dir, 0700) != 0)
		return ferry_fail(e, FERRY_EOP,
		                  "cannot make the folder for case '%.64s'", c->name);
	snprintf(title, sizeof title, "Case %s", c->name);
	head(&p, x->style_hash, title);
	put(&p, "<p><a href=\"index.html\">All cases</a></p>\n<h1>");
	esc(&p, title);
	put(&p, "</h1>\n");
	case_flags(&p, c);
	ferry_iso_time(when, c->opened_at);
	sodium_bin2hex(hex, sizeof hex, c->entry_hash, 32);
	putf(
	    &p,
	    "<table>\n<tr><th>kind</th><td>%s</td></tr>\n<tr><th>form</th><td>%s</td></tr>\n",
	    c->kind == FERRY_ENTRY_TESTIMONY ? "testimony" : "walk-in",
	    c->form[0] ? c->form : "-");
	put(&p, "<tr><th>pack</th><td>");
	pack_name(x, &p, pk);
	putf(
	    &p,
	    "</td></tr>\n<tr><th>opened</th><td>%s</td></tr>\n"
	    "<tr><th>log entry</th><td>number %llu, BLAKE2b-256 of its text <code>%s</code></td></tr>\n</table>\n",
	    when, (unsigned long long)c->seq + 1, hex);
	form_answers(&p, l, c);
	if (t->entry)
		write_items(x, &p, c, t->entry);
	put(&p, "<h2>Notes</h2>\n");
	if (t->n == 0)
		put(&p, "<p>none</p>\n");
	for (size_t i = 0; i < t->n; i++) {
		ferry_iso_time(when, t->notes[i].at);
		putf(&p, "<h3>%s</h3>\n<pre>", when);
		esc(&p, t->notes[i].text);
		put(&p, "</pre>\n");
	}
	put(&p, "<h2>The log entry</h2>\n<pre>");
	if (t->entry)
		esc(&p, t->entry);
	put(&p, "</pre>\n</body></html>\n");
	snprintf(file, sizeof file, "case-%s.html", c->name);
	return save_page(x->tmp, file, &p, e);
}

static int write_index(report_ctx *x, const ferry_case_list *l, uint64_t now,
                       ferry_err *e)
{
	char fp[FERRY_FP_TEXT_LEN + 1], when[21], head_hex[65];
	page p = {{0}, 0};
	head(&p, x->style_hash, "ferry desk: cases");
	ferry_fingerprint(fp, x->d->v->id_pk);
	ferry_iso_time(when, now);
	sodium_bin2hex(head_hex, sizeof head_hex, x->d->v->log_head, 32);
	putf(
	    &p,
	    "<h1>Cases</h1>\n<p>Desk <code>%s</code>; the log has %llu entries, chain head <code>%s</code>; written %s.</p>\n",
	    fp, (unsigned long long)x->d->v->log_count, head_hex, when);
	put(&p,
	    "<table id=\"cases\">\n<tr><th>case</th><th>kind</th><th>form</th><th>pack</th><th>opened</th><th>pages</th><th>answers</th><th>notes</th><th>flags</th></tr>\n");
	for (size_t i = 0; i < l->n; i++) {
		const ferry_case_info *c = &l->cases[i];
		ferry_iso_time(when, c->opened_at);
		putf(
		    &p,
		    "<tr class=\"case\"><td><a href=\"case-%s.html\">%s</a></td><td>%s</td><td>%s</td><td>",
		    c->name, c->name,
		    c->kind == FERRY_ENTRY_TESTIMONY ? "testimony" : "walk-in",
		    c->form[0] ? c->form : "-");
		pack_name(x, &p, &x->d->v->packs[c->pack]);
		putf(
		    &p,
		    "</td><td>%s</td><td>%u</td><td>%s</td><td>%u</td><td>%s%s%s%s%s</td></tr>\n",
		    when, c->pages, c->answers ? "yes" : "no", c->notes,
		    c->answered_twice ? "answered twice " : "",
		    c->revoked_at_open ? "revoked pack " : "",
		    c->revoked_since ? "pack revoked since " : "",
		    c->sealed_with == FERRY_SEALED_CODE         ? "code only "
		    : c->sealed_with == FERRY_SEALED_WRONG_WORD ? "wrong pack word "
		                                                : "",
		    c->admitted ? "admitted" : "");
	}
	put(&p, "</table>\n</body></html>\n");
	return save_page(x->tmp, "index.html", &p, e);
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

static int build(report_ctx *x, ferry_case_list *l, case_text *t, uint64_t now,
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
	return write_index(x, l, now, e);
}

int ferry_desk_report(ferry_desk *d, const char *outdir, uint64_t now, int flags,
                      ferry_report_result *r, ferry_err *e)
{
	ferry_case_list l;
	char tmp[FERRY_PATH_MAX], style_hash[80];
	uint8_t sha[32];
	memset(r, 0, sizeof *r);
	int rc = check_outdir(d, outdir, flags, e);
	if (rc != FERRY_OK)
		return rc;
	/* One walk of the log gives the list and each case's texts. */
	collect_ctx cx = {NULL, 0};
	rc = ferry_desk_cases_walk(d, &l, collect, &cx, e);
	case_text *t = cx.t;
	/* The only style is the one above; the policy names its hash. */
	crypto_hash_sha256(sha, (const uint8_t *)CSS, strlen(CSS));
	memcpy(style_hash, "sha256-", 7);
	sodium_bin2base64(style_hash + 7, sizeof style_hash - 7, sha, sizeof sha,
	                  sodium_base64_VARIANT_ORIGINAL);
	if (rc == FERRY_OK &&
	    ferry_path_fmt(tmp, sizeof tmp, "%s.tmp-XXXXXX", outdir) != 0)
		rc = ferry_fail(e, FERRY_EOP, "the report's path is too long");
	if (rc == FERRY_OK && !mkdtemp(tmp))
		rc = ferry_fail(e, FERRY_EOP, "cannot create '%s': %s", tmp,
		                strerror(errno));
	if (rc == FERRY_OK) {
		report_ctx x = {d, tmp, r, style_hash, (flags & FERRY_REPORT_LABELS) != 0};
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
