#include "cases.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "../common/io.h"
#include "expire.h"

void ferry_case_list_free(ferry_case_list *l)
{
	free(l->cases);
	memset(l, 0, sizeof *l);
}

static const char *bare(const char *name)
{
	return strncmp(name, "cases/", 6) == 0 ? name + 6 : name;
}

long ferry_case_find(const ferry_case_list *l, const char *name)
{
	const char *b = bare(name);
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->cases[i].name, b))
			return (long)i;
	return -1;
}

/* Counts the item lines after "items:" by the names the desk gives. */
static void count_items(ferry_case_info *c, const char *text)
{
	const char *l = strstr(text, "\nitems:\n");
	for (l = l ? l + 8 : NULL; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (l[0] != ' ' || l[1] != ' ')
			continue;
		if (!strncmp(l + 2, "page-", 5))
			c->pages++;
		else if (!strncmp(l + 2, "answers", 7))
			c->answers++;
		else if (!strncmp(l + 2, "attachment-", 11))
			c->attachments++;
	}
}

typedef struct {
	ferry_desk *d;
	ferry_case_list *l;
	ferry_err *e;
	int bad;
	ferry_case_entry_fn each;
	void *u;
} list_ctx;

static int add_case(list_ctx *x, const ferry_case_entry *ce, uint64_t seq,
                    const char *text)
{
	ferry_case_list *l = x->l;
	int p = ferry_vault_find_pack(x->d->v, ce->pack_id);
	if (p < 0) {
		char sn[5];
		ferry_pack_short(sn, ce->pack_id);
		return ferry_fail_hint(
		    x->e, FERRY_EVERIFY,
		    "a vault restored from a copy older than the log lacks its newer packs; use the vault that goes with this log",
		    "case %s in the log names pack %s, which the vault does not have",
		    ce->case_name, sn);
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		void *q = realloc(l->cases, cap * sizeof *l->cases);
		if (!q)
			return ferry_fail(x->e, FERRY_EOP, "out of memory");
		l->cases = q;
		l->cap = cap;
	}
	ferry_case_info *c = &l->cases[l->n++];
	memset(c, 0, sizeof *c);
	snprintf(c->name, sizeof c->name, "%s", ce->case_name);
	snprintf(c->form, sizeof c->form, "%s", ce->form);
	c->kind = ce->kind;
	c->pack = (uint32_t)p;
	c->opened_at = ce->at;
	c->seq = seq;
	c->revoked_at_open = ce->revoked_at != 0;
	c->sealed_with = ce->sealed_with;
	snprintf(c->same_pages, sizeof c->same_pages, "%s", ce->same_pages);
	c->admitted = ce->admitted;
	c->revoked_since = !c->revoked_at_open && x->d->v->packs[p].revoked_at != 0;
	crypto_generichash(c->entry_hash, sizeof c->entry_hash, (const uint8_t *)text,
	                   strlen(text), NULL, 0);
	count_items(c, text);
	if (ce->kind == FERRY_ENTRY_TESTIMONY && ce->answer > 1)
		for (size_t i = 0; i < l->n; i++)
			if (l->cases[i].kind == FERRY_ENTRY_TESTIMONY &&
			    !strcmp(l->cases[i].form, ce->form))
				l->cases[i].answered_twice = 1;
	return 0;
}

static int list_visit(void *u, uint64_t seq, const char *text)
{
	list_ctx *x = u;
	ferry_case_entry ce;
	long i = -1;
	if (ferry_case_entry_parse(&ce, text, x->e) != FERRY_OK) {
		x->bad = 1;
		return -1;
	}
	if (ce.kind == FERRY_ENTRY_TESTIMONY || ce.kind == FERRY_ENTRY_WALKIN) {
		if (add_case(x, &ce, seq, text) != 0) {
			x->bad = 1;
			return -1;
		}
		i = (long)x->l->n - 1;
	} else if (ce.kind == FERRY_ENTRY_NOTE) {
		i = ferry_case_find(x->l, ce.case_name);
		if (i >= 0)
			x->l->cases[i].notes++;
	}
	if (x->each && x->each(x->u, x->l, i, &ce, text, x->e) != FERRY_OK) {
		x->bad = 1;
		return -1;
	}
	return 0;
}

int ferry_desk_cases_walk(ferry_desk *d, ferry_case_list *l, ferry_case_entry_fn each,
                          void *u, ferry_err *e)
{
	ferry_err visit_err;
	list_ctx x = {d, l, &visit_err, 0, each, u};
	uint64_t n = 0;
	memset(l, 0, sizeof *l);
	ferry_err_clear(&visit_err);
	int rc = ferry_desk_log_verify(d, list_visit, &x, &n, e);
	if (x.bad) {
		ferry_case_list_free(l);
		int code = ferry_fail(e, visit_err.code ? visit_err.code : FERRY_EVERIFY,
		                      "cannot read the cases: %s", visit_err.msg);
		if (e && visit_err.hint[0])
			ferry_hint(e, "%s", visit_err.hint);
		return code;
	}
	if (rc != FERRY_OK)
		ferry_case_list_free(l);
	return rc;
}

int ferry_desk_cases(ferry_desk *d, ferry_case_list *l, ferry_err *e)
{
	return ferry_desk_cases_walk(d, l, NULL, NULL, e);
}

typedef struct {
	const char *name;
	ferry_case_visit_fn visit;
	void *u;
} show_ctx;

/* The named case's entry and the notes on it, as the walk meets them. */
static int show_each(void *u, const ferry_case_list *l, long i,
                     const ferry_case_entry *ce, const char *text, ferry_err *e)
{
	show_ctx *x = u;
	if (i < 0 || strcmp(l->cases[i].name, x->name))
		return FERRY_OK;
	return x->visit(x->u, ce->kind, ce->at, text, e);
}

int ferry_desk_case_show(ferry_desk *d, const char *name, ferry_case_visit_fn visit,
                         void *u, ferry_err *e)
{
	ferry_case_list l;
	show_ctx x = {bare(name), visit, u};
	int rc = ferry_desk_cases_walk(d, &l, show_each, &x, e);
	if (rc != FERRY_OK)
		return rc;
	long found = ferry_case_find(&l, name);
	ferry_case_list_free(&l);
	if (found < 0)
		return ferry_fail_hint(e, FERRY_EUSAGE,
		                       "list the cases with 'ferry-desk cases DESK'",
		                       "this desk has no case '%.64s'", name);
	return FERRY_OK;
}

/* The note as it is logged: CRLF as LF, no trailing newlines. */
static char *clean_note(const char *text, size_t len, size_t *out_len)
{
	char *o = malloc(len + 1);
	size_t n = 0;
	if (!o)
		return NULL;
	for (size_t i = 0; i < len; i++)
		if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
			o[n++] = text[i];
	while (n && o[n - 1] == '\n')
		n--;
	o[n] = '\0';
	*out_len = n;
	return o;
}

int ferry_desk_note(ferry_desk *d, const char *name, const char *text, size_t len,
                    uint64_t now, ferry_err *e)
{
	ferry_case_list l;
	ferry_case_entry ce;
	size_t n = 0;
	if (len > FERRY_NOTE_MAX)
		return ferry_fail(e, FERRY_EUSAGE, "the note is longer than %u KiB",
		                  FERRY_NOTE_MAX >> 10);
	char *note = clean_note(text, len, &n);
	if (!note)
		return ferry_fail(e, FERRY_EOP, "out of memory");
	int rc = FERRY_OK;
	if (n == 0) {
		rc = ferry_fail(e, FERRY_EUSAGE, "the note is empty");
		goto out;
	}
	if (memchr(note, 0, n) || !ferry_text_ok(note, n, 1)) {
		rc = ferry_fail_hint(
		    e, FERRY_EUSAGE,
		    "save the note as UTF-8 text without control characters",
		    "the note is not UTF-8 text (tabs and new lines are allowed, other control characters are not)");
		goto out;
	}
	if ((rc = ferry_desk_cases(d, &l, e)) != FERRY_OK)
		goto out;
	long i = ferry_case_find(&l, name);
	if (i < 0)
		rc = ferry_fail_hint(e, FERRY_EUSAGE,
		                     "list the cases with 'ferry-desk cases DESK'",
		                     "this desk has no case '%.64s'", name);
	memset(&ce, 0, sizeof ce);
	if (i >= 0) {
		ce.kind = FERRY_ENTRY_NOTE;
		ce.at = now;
		snprintf(ce.case_name, sizeof ce.case_name, "%s", l.cases[i].name);
		ce.note = note;
	}
	ferry_case_list_free(&l);
	if (rc != FERRY_OK)
		goto out;
	if ((rc = ferry_desk_log_entry(d, &ce, e)) == FERRY_OK)
		rc = ferry_desk_save(d, e);
out:
	sodium_memzero(note, n);
	free(note);
	return rc;
}
