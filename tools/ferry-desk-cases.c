/* ferry-desk: the commands on packs and cases: issue, list, retire and
 * revoke packs; list and show cases, note on them, write the case
 * browser, admit a held bundle. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/clock.h"
#include "../common/fileio.h"
#include "../desk/cases.h"
#include "../desk/guide.h"
#include "../desk/packs.h"
#include "../desk/report.h"
#include "../desk/webpage.h"
#include "../forms/sheet.h"
#include "cli.h"
#include "ferry-desk.h"

int cmd_issue(const char *dir, ferry_desk *d, const opts_t *o, char **rest,
                     int n)
{
	(void)dir, (void)rest, (void)n;
	uint32_t exp = 0;
	ferry_err e;
	ferry_issue_result r;
	if (o->forms < 1 || o->forms > FERRY_FORMS_MAX) {
		cli_error("--forms N is required, 1 to %d", FERRY_FORMS_MAX);
		return EXIT_OP;
	}
	if (!o->label) {
		cli_error("--label TEXT is required");
		cli_hint(
		    "a desk-private note on who has this pack, kept only in the vault");
		return EXIT_OP;
	}
	if (o->expires) {
		if (ferry_day_parse(&exp, o->expires) != 0) {
			cli_error("--expires '%s' is not a date like 2027-06-30",
			          o->expires);
			return EXIT_OP;
		}
		if (exp < ferry_today()) {
			cli_error("--expires '%s' is in the past", o->expires);
			return EXIT_OP;
		}
	}
	ferry_print_opts print = {NULL, FERRY_PAPER_A4, 8, FERRY_LANG_EN};
	ferry_questions q;
	memset(&q, 0, sizeof q);
	if (o->paper && (print.paper = ferry_paper_parse(o->paper)) < 0) {
		cli_error("--paper must be a4 or letter");
		return EXIT_OP;
	}
	if (o->lang && (print.lang = ferry_lang_parse(o->lang)) < 0) {
		cli_error("--lang must be en, ko or zh");
		return EXIT_OP;
	}
	if (o->qr_module) {
		if (o->qr_module < 1 || o->qr_module > 40) {
			cli_error("--qr-module must be 1 to 40 pixels");
			return EXIT_OP;
		}
		print.qr_module = (unsigned)o->qr_module;
	}
	if (o->questions) {
		uint8_t *text = NULL;
		size_t len = 0;
		if (ferry_read_file(o->questions, 1u << 20, &text, &len,
		                    "the questions file", &e) != FERRY_OK)
			return cli_report(&e);
		int qrc = ferry_questions_parse(&q, text, len, &e);
		free(text);
		if (qrc != FERRY_OK)
			return cli_report_ctx(&e, "'%s'", o->questions);
		print.questions = &q;
	}
	if (o->grace < 0 || o->grace > FERRY_GRACE_MAX) {
		cli_error("--grace takes a number of days from 0 to %d",
		          FERRY_GRACE_MAX);
		return EXIT_OP;
	}
	if (o->code_days < 0 || o->code_days > FERRY_CODE_DAYS_MAX ||
	    o->code_answers < 0 || o->code_answers > FERRY_CODE_MAX_MAX) {
		cli_error("--code-days takes 1 to %d days, --code-answers 1 to %d",
		          FERRY_CODE_DAYS_MAX, FERRY_CODE_MAX_MAX);
		return EXIT_OP;
	}
	ferry_issue_rules rules = {(uint16_t)o->grace, (uint16_t)o->code_days,
	                           (uint16_t)o->code_answers};
	/* The page is checked before the pack is issued, written after. */
	ferry_webpage web = {NULL, 0, {0}};
	char guide[FERRY_PATH_MAX] = "";
	if (o->web && ferry_webpage_load(&web, o->web, &e) != FERRY_OK) {
		ferry_questions_free(&q);
		return cli_report_ctx(&e, "no pack was issued");
	}
	int rc = ferry_desk_issue(d, (uint16_t)o->forms, o->label, exp, &rules,
	                          o->output, &print, &r, &e);
	ferry_questions_free(&q);
	int issued = rc == FERRY_OK;
	/* The page and the contact guide go with printable forms or a page. */
	if (rc == FERRY_OK && o->web &&
	    ferry_webpage_write(&web, r.dir, &e) != FERRY_OK)
		rc = FERRY_EOP;
	if (rc == FERRY_OK && (o->web || o->questions) &&
	    ferry_guide_write(r.dir, r.short_name, o->web ? web.sha256 : NULL, guide,
	                      sizeof guide, &e) != FERRY_OK)
		rc = FERRY_EOP;
	if (rc != FERRY_OK && issued)
		ferry_hint(
		    &e,
		    "pack %s was issued; give the contact the page, its SHA-256 and the guide by hand",
		    r.short_name);
	ferry_webpage_free(&web);
	if (rc != FERRY_OK)
		return cli_report(&e);
	printf(
	    "issued pack %s with %ld form%s\n  pack:  %s\n  codes: %s\n  qr:    %s/\n",
	    r.short_name, o->forms, o->forms == 1 ? "" : "s", r.pack_path, r.codes_path,
	    r.qr_dir);
	if (r.forms_path[0])
		printf("  forms: %s (%d page%s a form)\n", r.forms_path,
		       r.pages_per_form, r.pages_per_form == 1 ? "" : "s");
	if (o->web)
		printf("  page:  %s/" FERRY_WEBPAGE_NAME
		       " (the offline page) and its SHA-256\n",
		       r.dir);
	if (guide[0])
		printf("  guide: %s (for the contact: Korean, Chinese, English)\n",
		       guide);
	printf("  word:  %s (SECRET: the pack word, alone)\n", r.word_path);
	printf(
	    "give the contact the printed forms (or the pack) and the desk fingerprint; give the pack word apart, on a key card to memorise, never with the forms and never through relays; keep the codes file safe\n");
	return EXIT_OK;
}

int cmd_packs(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n)
{
	char shown[FERRY_LABEL_MAX * 4 + 8], issued[11], expires[11], when[21];
	uint64_t now = ferry_now();
	(void)dir, (void)o, (void)rest, (void)n;
	if (d->v->npacks == 0)
		printf("no packs yet: issue one with 'ferry-desk issue'\n");
	for (uint32_t p = 0; p < d->v->npacks; p++) {
		const ferry_vault_pack *pk = &d->v->packs[p];
		ferry_pack_summary s;
		char sn[5];
		ferry_pack_short(sn, pk->pack_id);
		ferry_pack_summarize(pk, now, &s);
		ferry_day_text(issued, (uint32_t)(pk->issued_at / FERRY_DAY_SECONDS));
		if (pk->expires_day)
			ferry_day_text(expires, pk->expires_day);
		else
			snprintf(expires, sizeof expires, "never");
		printf(
		    "%s  %-8s issued %s  expires %-10s  %u form%s: %u open, %u answered (%u in grace)  label: %s\n",
		    sn, s.state, issued, expires, pk->nforms,
		    pk->nforms == 1 ? "" : "s", s.open, s.answered, s.grace,
		    cli_shown(shown, sizeof shown, pk->label));
		if (pk->revoked_at) {
			ferry_iso_time(when, pk->revoked_at);
			printf(
			    "      REVOKED at %s: %s\n", when,
			    cli_shown(shown, sizeof shown, pk->revoke_reason));
		}
		if (!pk->has_word) {
			printf("      no pack word (issued before pack words): every answer counts as the pack's\n");
			continue;
		}
		unsigned code = 0;
		for (uint16_t f = 0; f < pk->nforms; f++)
			code += pk->forms[f].code_answers;
		printf("      %u answer%s sealed without the pack word; %u bundle%s with a WRONG pack word%s\n",
		       code, code == 1 ? "" : "s", pk->wrong_words,
		       pk->wrong_words == 1 ? "" : "s",
		       pk->wrong_words ? " (someone may be guessing it: consider 'revoke')" : "");
	}
	return EXIT_OK;
}

int cmd_retire(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n)
{
	ferry_err e;
	uint32_t p;
	char sn[5];
	(void)dir, (void)o, (void)n;
	if (ferry_desk_find_pack(d, rest[0], &p, &e) != FERRY_OK ||
	    ferry_desk_retire(d, p, ferry_now(), &e) != FERRY_OK)
		return cli_report(&e);
	ferry_pack_short(sn, d->v->packs[p].pack_id);
	printf(
	    "retired pack %s: its pack key and every one-time key left are destroyed (logged); bundles for it can no longer be opened and are quarantined as not-ours\n",
	    sn);
	return EXIT_OK;
}

int cmd_revoke(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n)
{
	ferry_err e;
	uint32_t p;
	char sn[5];
	(void)dir, (void)n;
	if (!o->reason) {
		cli_error("usage: ferry-desk revoke DESK PACK --reason TEXT");
		return EXIT_OP;
	}
	if (ferry_desk_find_pack(d, rest[0], &p, &e) != FERRY_OK ||
	    ferry_desk_revoke(d, p, ferry_now(), o->reason, &e) != FERRY_OK)
		return cli_report(&e);
	ferry_pack_short(sn, d->v->packs[p].pack_id);
	printf(
	    "revoked pack %s (logged): bundles for it still open, into cases marked as possibly forged; retire it ('ferry-desk retire DESK %s') to stop opening them\n",
	    sn, sn);
	return EXIT_OK;
}

static void case_flags(char *out, size_t cap, const ferry_case_info *c)
{
	snprintf(out, cap, "%s%s%s%s%s", c->answered_twice ? " ANSWERED-TWICE" : "",
	         c->revoked_at_open ? " REVOKED-PACK" : "",
	         c->revoked_since ? " PACK-REVOKED-SINCE" : "",
	         c->sealed_with == FERRY_SEALED_CODE         ? " CODE-ONLY"
	         : c->sealed_with == FERRY_SEALED_WRONG_WORD ? " WRONG-WORD"
	                                                     : "",
	         c->admitted ? " ADMITTED" : "");
}

static int list_cases(ferry_desk *d)
{
	ferry_err e;
	ferry_case_list l;
	char when[21], flags[80], shown[FERRY_LABEL_MAX * 4 + 8];
	if (ferry_desk_cases(d, &l, &e) != FERRY_OK)
		return cli_report(&e);
	if (l.n == 0)
		printf("no cases yet\n");
	for (size_t i = 0; i < l.n; i++) {
		const ferry_case_info *c = &l.cases[i];
		const ferry_vault_pack *pk = &d->v->packs[c->pack];
		char sn[5];
		ferry_pack_short(sn, pk->pack_id);
		ferry_iso_time(when, c->opened_at);
		case_flags(flags, sizeof flags, c);
		printf(
		    "%-20s %-9s form %-11s pack %s (%s)  opened %s  %u page%s, answers %s, %u note%s%s\n",
		    c->name, c->kind == FERRY_ENTRY_TESTIMONY ? "testimony" : "walk-in",
		    c->form[0] ? c->form : "-", sn,
		    cli_shown(shown, sizeof shown, pk->label), when, c->pages,
		    c->pages == 1 ? "" : "s", c->answers ? "yes" : "no", c->notes,
		    c->notes == 1 ? "" : "s", flags);
	}
	printf("%zu case%s\n", l.n, l.n == 1 ? "" : "s");
	ferry_case_list_free(&l);
	return EXIT_OK;
}

static int show_case_part(void *u, int kind, uint64_t at, const char *text, ferry_err *e)
{
	char when[21];
	(void)u;
	if (kind != FERRY_ENTRY_NOTE) {
		printf("%s", text);
		return FERRY_OK;
	}
	ferry_membuf m = {0};
	ferry_iso_time(when, at);
	int rc = ferry_note_text(text, &m, e);
	if (rc == FERRY_OK)
		printf("--- note, %s ---\n%s", when, (const char *)m.p);
	if (m.p)
		sodium_memzero(m.p, m.len);
	ferry_membuf_free(&m);
	return rc;
}

int cmd_cases(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n)
{
	ferry_err e;
	(void)dir, (void)o;
	if (n == 0)
		return list_cases(d);
	if (ferry_desk_case_show(d, rest[0], show_case_part, NULL, &e) != FERRY_OK)
		return cli_report(&e);
	return EXIT_OK;
}

int cmd_report(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n)
{
	ferry_err e;
	ferry_report_result r;
	(void)dir, (void)rest, (void)n;
	int flags = (o->labels ? FERRY_REPORT_LABELS : 0) |
	            (o->same_disk ? FERRY_REPORT_SAME_DISK : 0);
	if (ferry_desk_report(d, o->output, ferry_now(), flags, &r, &e) != FERRY_OK)
		return cli_report(&e);
	if (o->labels)
		cli_warn(
		    "the report names each pack's label, which otherwise stays in the vault; hand it on only where the labels may go");
	printf(
	    "wrote the report to %s: %u case%s, %u file%s checked against the log; open %s/index.html in any browser (it needs no network)\n",
	    o->output, r.cases, r.cases == 1 ? "" : "s", r.files,
	    r.files == 1 ? "" : "s", o->output);
	if (r.mismatched) {
		cli_warn(
		    "%u file%s in the desk's cases folder %s missing or did not match the log, and %s left out of the report",
		    r.mismatched, r.mismatched == 1 ? "" : "s",
		    r.mismatched == 1 ? "was" : "were",
		    r.mismatched == 1 ? "is" : "are");
		return EXIT_CHECK;
	}
	return EXIT_OK;
}

/* The note's text: the argument, stdin ("-"), or --file. */
static int note_text(const opts_t *o, const char *arg, ferry_membuf *m)
{
	ferry_err e;
	if (o->file) {
		uint8_t *b = NULL;
		size_t len = 0;
		if (ferry_read_file(o->file, FERRY_NOTE_MAX, &b, &len, "the note",
		                    &e) != 0)
			return cli_report(&e);
		int rc = ferry_membuf_write(m, b, len);
		free(b);
		return rc == 0 ? -1 : EXIT_OP;
	}
	if (!strcmp(arg, "-")) {
		uint8_t buf[4096];
		size_t got;
		while ((got = fread(buf, 1, sizeof buf, stdin)) > 0) {
			if (m->len + got > FERRY_NOTE_MAX) {
				cli_error("the note is longer than %u KiB",
				          FERRY_NOTE_MAX >> 10);
				return EXIT_OP;
			}
			if (ferry_membuf_write(m, buf, got) != 0)
				return EXIT_OP;
		}
		if (ferror(stdin)) {
			cli_error("cannot read the note from stdin");
			return EXIT_OP;
		}
		return -1;
	}
	return ferry_membuf_write(m, (const uint8_t *)arg, strlen(arg)) == 0 ? -1
	                                                                     : EXIT_OP;
}

int cmd_note(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n)
{
	ferry_err e;
	ferry_membuf m = {0};
	(void)dir;
	if ((n == 2) == (o->file != NULL)) {
		cli_error(
		    "usage: ferry-desk note DESK CASE TEXT, ... CASE - (stdin), or ... CASE --file FILE");
		return EXIT_OP;
	}
	int ec = note_text(o, n == 2 ? rest[1] : "", &m);
	if (ec < 0) {
		int rc = ferry_desk_note(d, rest[0], m.len ? (const char *)m.p : "",
		                         m.len, ferry_now(), &e);
		ec = rc == FERRY_OK ? EXIT_OK : cli_report(&e);
		const char *name =
		    strncmp(rest[0], "cases/", 6) ? rest[0] : rest[0] + 6;
		if (rc == FERRY_OK)
			printf(
			    "noted on %s (logged, encrypted; 'ferry-desk cases DESK %s' shows it)\n",
			    name, name);
	}
	if (m.p)
		sodium_memzero(m.p, m.len);
	ferry_membuf_free(&m);
	return ec;
}

/* A held bundle's quarantine name: NAME, NAME.bundle or NAME.reason, a
 * plain file name in DESK/quarantine. */
static int held_paths(const ferry_desk *d, const char *arg, char *bundle,
                      char *reason, size_t cap)
{
	char name[64];
	size_t n = strlen(arg);
	if (n > 7 && !strcmp(arg + n - 7, ".bundle"))
		n -= 7;
	else if (n > 7 && !strcmp(arg + n - 7, ".reason"))
		n -= 7;
	if (n == 0 || n >= sizeof name || arg[0] == '.' || memchr(arg, '/', n))
		return -1;
	memcpy(name, arg, n);
	name[n] = '\0';
	return ferry_path_fmt(bundle, cap, "%s/quarantine/%s.bundle", d->dir, name) ||
	       ferry_path_fmt(reason, cap, "%s/quarantine/%s.reason", d->dir, name);
}

int cmd_admit(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n)
{
	char bundle[FERRY_PATH_MAX], reason[FERRY_PATH_MAX], qdir[FERRY_PATH_MAX];
	ferry_err e;
	int ec = EXIT_OK;
	(void)o;
	for (int i = 0; i < n; i++) {
		uint8_t *why = NULL;
		size_t len = 0;
		ferry_open_result r;
		if (held_paths(d, rest[i], bundle, reason, sizeof bundle) != 0) {
			cli_error("'%s' is not the name of a bundle in %s/quarantine", rest[i], dir);
			ec = EXIT_OP;
			continue;
		}
		if (ferry_read_file(reason, 1u << 16, &why, &len, "the quarantine reason",
		                    &e) != FERRY_OK) {
			cli_report_ctx(&e, "'%s'", rest[i]);
			ec = EXIT_OP;
			continue;
		}
		int held = !strncmp((char *)why, "outcome: held\n", 14);
		free(why);
		if (!held) {
			cli_error(
			    "'%s' was not held for your decision (see its .reason file); only held bundles can be admitted",
			    rest[i]);
			ec = EXIT_OP;
			continue;
		}
		if (ferry_desk_admit_bundle(d, bundle, &r, &e) != FERRY_OK)
			r.outcome = FERRY_OUT_LEFT;
		desk_print_outcome(rest[i], &r, &e);
		if (r.outcome == FERRY_OUT_LEFT) {
			ec = EXIT_OP;
			continue;
		}
		/* The bundle left this quarantine name (opened, or moved under
		 * a new one with a new reason): its old reason goes too. */
		if (unlink(reason) != 0)
			cli_warn("cannot remove '%s': %s", reason, strerror(errno));
	}
	if (ferry_path_fmt(qdir, sizeof qdir, "%s/quarantine", d->dir) == 0 &&
	    ferry_fsync_dir(qdir) != 0)
		cli_warn("cannot sync the quarantine folder");
	if (ferry_desk_flush(d, &e) != FERRY_OK) {
		ferry_hint(&e, "the next 'ferry-desk open' finishes it from the log");
		return cli_report(&e);
	}
	return ec;
}
