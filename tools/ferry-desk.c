/* ferry-desk: the journalist's program. Holds the vault; issues packs,
 * opens bundles, keeps the log. Meant for an offline machine. */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/clock.h"
#include "../common/fileio.h"
#include "../common/lock.h"
#include "../desk/attest_log.h"
#include "../desk/cases.h"
#include "../desk/desk.h"
#include "../desk/expire.h"
#include "../desk/guide.h"
#include "../desk/intake.h"
#include "../desk/openpipe.h"
#include "../desk/packs.h"
#include "../desk/passphrase.h"
#include "../desk/recover.h"
#include "../desk/report.h"
#include "../desk/webpage.h"
#include "../forms/qr.h"
#include "../forms/sheet.h"
#include "../trust/credential.h"
#include "../trust/minisign.h"
#include "../trust/release.h"
#include "cli.h"
#include "ferry-desk.h"

static ferry_desk *unlock(const char *dir, const opts_t *o, int *exit_code)
{
	size_t plen = 0;
	ferry_desk *d = NULL;
	ferry_err e;
	char *pass = cli_passphrase(o->passfile, 0, &plen);
	if (!pass) {
		*exit_code = EXIT_OP;
		return NULL;
	}
	int rc = ferry_desk_unlock(&d, dir, pass, plen, &e);
	cli_passphrase_free(pass);
	if (rc != FERRY_OK) {
		*exit_code = cli_report(&e);
		return NULL;
	}
	return d;
}

static int cmd_init(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n)
{
	(void)d, (void)rest, (void)n;
	int level = ferry_kdf_level_parse(o->kdf ? o->kdf : "moderate");
	ferry_err e;
	size_t plen = 0;
	if (level < 0) {
		cli_error("--kdf must be interactive, moderate or sensitive");
		return EXIT_OP;
	}
	char *pass = cli_passphrase(o->passfile, 1, &plen);
	if (!pass)
		return EXIT_OP;
	char fp[FERRY_FP_TEXT_LEN + 1];
	int rc = ferry_passphrase_check(pass, plen, &e);
	if (rc == FERRY_OK)
		rc = ferry_desk_init(dir, pass, plen, level, fp, &e);
	cli_passphrase_free(pass);
	if (rc != FERRY_OK)
		return cli_report(&e);
	/* Show the fingerprint right away: it is what contacts must check. */
	printf("created desk %s\nfingerprint: %s\n", dir, fp);
	return EXIT_OK;
}

static int cmd_issue(const char *dir, ferry_desk *d, const opts_t *o, char **rest,
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

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct {
	char **paths;
	size_t n, cap;
} pathlist;

static int add_path(pathlist *l, const char *p)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		char **q = realloc(l->paths, cap * sizeof *q);
		if (!q)
			return -1;
		l->paths = q;
		l->cap = cap;
	}
	l->paths[l->n] = strdup(p);
	return l->paths[l->n++] ? 0 : -1;
}

static int collect(pathlist *l, const char *p)
{
	if (!is_dir(p))
		return add_path(l, p);
	DIR *dir = opendir(p);
	if (!dir) {
		cli_error("cannot read '%s': %s", p, strerror(errno));
		return -1;
	}
	struct dirent *de;
	size_t start = l->n;
	while ((de = readdir(dir)) != NULL) {
		char full[FERRY_PATH_MAX];
		/* A dot-named file is a bundle like any other (a relay or a
		 * copy may name it so): opened or named, never skipped. */
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (ferry_path_join(full, sizeof full, p, de->d_name) != 0) {
			cli_error("'%s/%s': the path is too long", p, de->d_name);
			closedir(dir);
			return -1;
		}
		if (is_dir(full))
			continue;
		if (add_path(l, full) != 0) {
			closedir(dir);
			return -1;
		}
	}
	closedir(dir);
	if (l->n > start)
		qsort(l->paths + start, l->n - start, sizeof *l->paths, cmp_str);
	return 0;
}

/* An intake argument that is the desk, or inside it but not in its
 * intake, would have the vault or the log moved to quarantine: refused
 * before anything moves. */
static int inside_desk(const char *desk, const char *arg)
{
	char d[PATH_MAX], a[PATH_MAX], in[FERRY_PATH_MAX];
	if (!realpath(desk, d) || !realpath(arg, a))
		return 0; /* the open itself reports a path that does not exist */
	if (!ferry_path_within(a, d))
		return 0;
	if (ferry_path_join(in, sizeof in, d, "intake") == 0 &&
	    ferry_path_within(a, in))
		return 0;
	cli_error(
	    "'%s' is the desk itself or one of its own folders; nothing was opened",
	    arg);
	cli_hint("copy bundles into '%s/intake' or give a folder outside the desk",
	         desk);
	return 1;
}

void desk_print_outcome(const char *name, const ferry_open_result *r,
                        const ferry_err *e)
{
	char shown[1024], rep[4 * FERRY_ERR_MSG_MAX];
	const char *base = cli_shown(shown, sizeof shown, name);
	switch (r->outcome) {
	case FERRY_OUT_TESTIMONY:
	case FERRY_OUT_WALKIN:
		printf("opened       %s: %s%s%s, %u page%s%s%s -> %s\n", base,
		       ferry_outcome_name(r->outcome), r->form[0] ? " for form " : "",
		       r->form, r->pages, r->pages == 1 ? "" : "s",
		       r->answers ? ", answers" : "",
		       r->attachments ? ", attachments" : "", r->detail);
		if (r->revoked)
			printf(
			    "             WARNING: its pack is revoked (%s): it may be forged; do not trust it without other evidence\n",
			    cli_shown(rep, sizeof rep, r->revoke_reason));
		if (r->sealed_with == FERRY_SEALED_CODE)
			printf(
			    "             WARNING: sealed with the form's code alone, without the pack word: anyone who saw or photographed the form could have made it (marked CODE-ONLY)\n");
		if (r->sealed_with == FERRY_SEALED_WRONG_WORD)
			printf(
			    "             WARNING: sealed with a WRONG PACK WORD (%u so far for this pack): a typo by the contact, or someone guessing; filed as code-only\n",
			    r->wrong_words);
		if (r->answer > 1)
			printf(
			    "             WARNING: form %s is answered for the %u%s time: compare its cases before trusting any\n",
			    r->form, r->answer,
			    r->answer % 100 >= 11 && r->answer % 100 <= 13 ? "th"
			    : r->answer % 10 == 2                          ? "nd"
			    : r->answer % 10 == 3                          ? "rd"
			                                                   : "th");
		if (r->same_pages[0])
			printf(
			    "             the same pages as cases/%s: probably sent twice by the contact\n",
			    r->same_pages);
		for (unsigned k = 0; k < r->nreports; k++)
			printf("             %s\n",
			       cli_shown(rep, sizeof rep, r->reports[k]));
		break;
	case FERRY_OUT_CHAFF:
		printf("chaff        %s: counted and removed\n", base);
		break;
	case FERRY_OUT_LEFT:
		printf("NOT OPENED   %s: %s\n", base,
		       cli_shown(rep, sizeof rep, e->msg));
		if (e->hint[0])
			printf("             %s\n",
			       cli_shown(rep, sizeof rep, e->hint));
		break;
	case FERRY_OUT_HELD: {
		const char *q = strrchr(r->moved_to, '/');
		printf("held         %s: %s\n", base,
		       cli_shown(rep, sizeof rep, r->detail));
		printf("             to open it: ferry-desk admit DESK %s\n",
		       cli_shown(rep, sizeof rep, q ? q + 1 : r->moved_to));
		if (r->sealed_with == FERRY_SEALED_WRONG_WORD)
			printf(
			    "             WARNING: a WRONG PACK WORD (%u so far for this pack)\n",
			    r->wrong_words);
		break;
	}
	default:
		printf("quarantined  %s: %s\n", base,
		       cli_shown(rep, sizeof rep, r->detail));
		break;
	}
}

/* Progress on a terminal: counts, bytes and rate only, on stderr,
 * redrawn in place; never when stderr is a file or a pipe, and never a
 * name or anything from inside a bundle. */
typedef struct {
	int on;
	size_t total, done;
	uint64_t bytes;
	struct timespec start;
} progress;

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void progress_clear(const progress *p)
{
	if (p->on) {
		fflush(stdout);
		fputs("\r\033[K", stderr);
	}
}

static void progress_show(const progress *p)
{
	if (!p->on)
		return;
	double dt = seconds_since(&p->start);
	double mb = (double)p->bytes / 1e6;
	fflush(stdout);
	fprintf(stderr, "\r\033[Kopening: %zu/%zu bundles, %.1f MB, %.1f MB/s", p->done,
	        p->total, mb, dt > 0 ? mb / dt : 0.0);
}

static int cmd_open(const char *dir, ferry_desk *d, const opts_t *o, char **intake,
                    int nintake)
{
	(void)dir;
	ferry_err e;
	pathlist l = {0};
	char def[FERRY_PATH_MAX];
	unsigned counts[FERRY_OUT_LEFT + 1] = {0};
	int full = 0;
	for (int i = 0; i < nintake; i++)
		if (inside_desk(d->dir, intake[i]))
			return EXIT_OP;
	if (nintake == 0) {
		if (ferry_path_join(def, sizeof def, d->dir, "intake") != 0 ||
		    collect(&l, def) != 0)
			return EXIT_OP;
	}
	for (int i = 0; i < nintake; i++)
		if (collect(&l, intake[i]) != 0)
			return EXIT_OP;
	/* One vault rewrite per 32 opens, not per open: the log entry each
	 * open fsyncs first is the record (docs/FORMAT.md, "When keys are
	 * destroyed"). */
	d->save_every = 32;
	/* The caller's thread decrypts too: -j N is N - 1 workers. */
	unsigned workers =
	    o->jobs ? (unsigned)o->jobs - 1 : ferry_openpipe_default_workers();
	if (!(d->pipe = ferry_openpipe_create(workers))) {
		cli_error("cannot start %u decryption thread%s", workers,
		          workers == 1 ? "" : "s");
		return EXIT_OP;
	}
	progress pr = {isatty(STDERR_FILENO), l.n, 0, 0, {0, 0}};
	clock_gettime(CLOCK_MONOTONIC, &pr.start);
	for (size_t i = 0; i < l.n; i++) {
		ferry_open_result r;
		struct stat st;
		const char *base = strrchr(l.paths[i], '/');
		base = base ? base + 1 : l.paths[i];
		if (full) {
			counts[FERRY_OUT_LEFT]++;
			free(l.paths[i]);
			continue;
		}
		if (lstat(l.paths[i], &st) == 0 && S_ISREG(st.st_mode))
			pr.bytes += (uint64_t)st.st_size;
		if (ferry_desk_open_bundle(d, l.paths[i], &r, &e) != FERRY_OK)
			r.outcome = FERRY_OUT_LEFT;
		counts[r.outcome]++;
		progress_clear(&pr);
		desk_print_outcome(base, &r, &e);
		pr.done = i + 1;
		progress_show(&pr);
		if (r.outcome == FERRY_OUT_LEFT && r.out_of_space) {
			full = 1; /* the rest stays in intake for a rerun */
			printf("stopped: the disk is full; %zu bundle%s not tried\n",
			       l.n - i - 1, l.n - i - 1 == 1 ? "" : "s");
		}
		free(l.paths[i]);
	}
	free(l.paths);
	ferry_openpipe_free(d->pipe);
	d->pipe = NULL;
	progress_clear(&pr);
	ferry_expire_report xr;
	int xrc = ferry_desk_flush(d, &e);
	if (xrc != FERRY_OK) {
		ferry_hint(&e, "the next 'ferry-desk open' finishes it from the log");
		cli_report(&e);
	} else if ((xrc = ferry_desk_expire(d, ferry_now(), &xr, &e)) != FERRY_OK)
		cli_report(&e);
	else if (xr.forms || xr.packs || xr.wrap)
		printf(
		    "destroyed    %u one-time key%s past their grace period, the keys of %u expired pack%s, %u wrap key%s past transit\n",
		    xr.forms, xr.forms == 1 ? "" : "s", xr.packs,
		    xr.packs == 1 ? "" : "s", xr.wrap, xr.wrap == 1 ? "" : "s");
	unsigned q = counts[FERRY_OUT_DUPLICATE] + counts[FERRY_OUT_ANSWERED] +
	             counts[FERRY_OUT_UNKNOWN] + counts[FERRY_OUT_CORRUPT] +
	             counts[FERRY_OUT_EXPIRED] + counts[FERRY_OUT_HELD];
	printf(
	    "%zu bundle%s: %u testimony, %u walk-in, %u chaff, %u quarantined, %u left in place\n",
	    l.n, l.n == 1 ? "" : "s", counts[FERRY_OUT_TESTIMONY],
	    counts[FERRY_OUT_WALKIN], counts[FERRY_OUT_CHAFF], q,
	    counts[FERRY_OUT_LEFT]);
	if (counts[FERRY_OUT_TESTIMONY] + counts[FERRY_OUT_WALKIN] &&
	    d->v->last_attest_entries < d->v->log_count)
		printf(
		    "reminder: no attestation covers the newest %llu log entr%s; run 'ferry-desk log DESK attest -o FILE' and give FILE and FILE.minisig to your editor\n",
		    (unsigned long long)(d->v->log_count - d->v->last_attest_entries),
		    d->v->log_count - d->v->last_attest_entries == 1 ? "y" : "ies");
	/* Quarantined bundles are accounted for (moved, with a reason): only a
	 * bundle left where it was is a failure of the run. */
	return counts[FERRY_OUT_LEFT] || xrc != FERRY_OK ? EXIT_OP : EXIT_OK;
}

static int write_stdout(void *io, const uint8_t *p, size_t n)
{
	(void)io;
	return fwrite(p, 1, n, stdout) == n ? 0 : -1;
}

static int cmd_fingerprint(const char *desk, ferry_desk *d, const opts_t *o,
                           char **rest, int n)
{
	(void)desk, (void)rest, (void)n;
	char fp[FERRY_FP_TEXT_LEN + 1];
	ferry_qr q;
	if (o->minisign) {
		ferry_minisign_key mk;
		char pk[FERRY_MINISIGN_PK_TEXT_LEN + 1];
		if (ferry_minisign_key_derive(&mk, d->v->id_sk) != 0) {
			cli_error("cannot make the minisign key");
			return EXIT_OP;
		}
		ferry_minisign_pk_text(pk, &mk);
		sodium_memzero(&mk, sizeof mk);
		printf("%s\n", pk);
		return EXIT_OK;
	}
	ferry_fingerprint(fp, d->v->id_pk);
	printf("%s\n", fp);
	if (!o->qr && !o->png)
		return EXIT_OK;
	if (ferry_qr_encode(&q, fp) != 0) {
		cli_error("cannot make the QR code");
		return EXIT_OP;
	}
	int ec = EXIT_OK;
	if (o->qr && ferry_qr_text(&q, write_stdout, NULL) != 0)
		ec = EXIT_OP;
	if (o->png) {
		char dir[FERRY_PATH_MAX], tmp[FERRY_PATH_MAX];
		ferry_dirname(dir, sizeof dir, o->png);
		int fd = ferry_tmp_open(dir, 0644, tmp, sizeof tmp);
		int ok = fd >= 0;
		if (ok && ferry_qr_png(&q, 10, ferry_write_fd, &fd) != 0) {
			ferry_tmp_abort(fd, tmp);
			ok = 0;
		}
		/* commit closes fd and removes the temp file on failure */
		if (ok && ferry_tmp_commit(fd, tmp, o->png, 0) != 0)
			ok = 0;
		if (!ok) {
			cli_error("cannot write '%s': %s", o->png, strerror(errno));
			ec = EXIT_OP;
		} else {
			printf("wrote the key card QR to %s\n", o->png);
		}
	}
	ferry_qr_free(&q);
	return ec;
}

static int show_entry(void *u, uint64_t seq, const char *text)
{
	(void)u;
	printf("--- entry %llu ---\n%s", (unsigned long long)seq + 1, text);
	return 0;
}

static int log_attest(ferry_desk *d, const opts_t *o)
{
	ferry_err e;
	ferry_attestation a;
	char when[21];
	if (!o->output) {
		cli_error("usage: ferry-desk log DESK attest -o FILE");
		return EXIT_OP;
	}
	if (ferry_desk_log_attest(d, o->output, o->previous, ferry_now(), &a, &e) !=
	    FERRY_OK)
		return cli_report(&e);
	ferry_iso_time(when, a.made);
	printf(
	    "wrote %s and %s.minisig: the log had %llu entr%s at %s, signed by this desk; hand both to an editor or a lawyer\n",
	    o->output, o->output, (unsigned long long)a.entries,
	    a.entries == 1 ? "y" : "ies", when);
	printf("it follows %s\n",
	       a.has_previous
	           ? (o->previous ? o->previous : "the last statement this desk wrote")
	           : "no earlier statement: it is the first");
	printf("they check it with: minisign -V -P %s -m %s\n", a.minisign_key,
	       o->output);
	return EXIT_OK;
}

static int log_check_attestation(ferry_desk *d, const opts_t *o)
{
	ferry_err e;
	ferry_attestation a;
	uint64_t n = 0;
	char when[21];
	if (ferry_desk_log_check_attestation(d, o->attestation, &a, &n, &e) != FERRY_OK)
		return cli_report(&e);
	ferry_iso_time(when, a.made);
	printf("log verified: %llu entr%s, chain intact, head matches the vault\n",
	       (unsigned long long)n, n == 1 ? "y" : "ies");
	printf(
	    "it extends the attested log: the %llu entr%s attested at %s are unchanged, %llu added since\n",
	    (unsigned long long)a.entries, a.entries == 1 ? "y" : "ies", when,
	    (unsigned long long)(n - a.entries));
	return EXIT_OK;
}

static void say_chain(void *u, int ok, const char *line)
{
	(void)u;
	printf("%s %s\n", ok ? "ok  " : "BAD ", line);
}

static int cmd_log(const char *dir, ferry_desk *d, const opts_t *o, char **rest,
                   int nrest)
{
	const char *what = rest[0];
	(void)dir;
	ferry_err e;
	uint64_t n = 0;
	int show = !strcmp(what, "show");
	if (strcmp(what, "chain") && nrest != 1) {
		cli_error(
		    "usage: ferry-desk log DESK show|verify|attest, or chain FILE...");
		return EXIT_OP;
	}
	if (!strcmp(what, "chain")) {
		if (nrest < 2) {
			cli_error("usage: ferry-desk log DESK chain FILE...");
			return EXIT_OP;
		}
		if (ferry_desk_log_chain(d, rest + 1, nrest - 1, say_chain, NULL, &e) !=
		    FERRY_OK)
			return cli_report(&e);
		printf("the %d statements form one chain\n", nrest - 1);
		return EXIT_OK;
	}
	if (!strcmp(what, "attest"))
		return log_attest(d, o);
	if (!show && strcmp(what, "verify")) {
		cli_error("log takes 'show', 'verify', 'attest' or 'chain'");
		return EXIT_OP;
	}
	if (!show && o->attestation)
		return log_check_attestation(d, o);
	if (ferry_desk_log_verify(d, show ? show_entry : NULL, NULL, &n, &e) !=
	    FERRY_OK)
		return cli_report(&e);
	if (!show)
		printf(
		    "log verified: %llu entr%s, chain intact, head matches the vault\n",
		    (unsigned long long)n, n == 1 ? "y" : "ies");
	return EXIT_OK;
}

static int cmd_relay_credential(const char *dir, ferry_desk *d, const opts_t *o,
                                char **rest, int n)
{
	ferry_err e;
	(void)dir, (void)rest, (void)n;
	uint32_t from = 0;
	if (o->newest_from && ferry_day_parse(&from, o->newest_from) != 0) {
		cli_error("--newest-from takes a date, YYYY-MM-DD");
		return EXIT_OP;
	}
	long cover = o->cover_every ? o->cover_every : FERRY_COVER_HOURS_DEFAULT;
	if (cover < 1 || cover > FERRY_COVER_HOURS_MAX) {
		cli_error("--cover-every takes a number of hours from 1 to %d",
		          FERRY_COVER_HOURS_MAX);
		return EXIT_OP;
	}
	if (ferry_desk_relay_credential(d, o->output, o->chaff_up_to, from,
	                                (unsigned)cover, &e) != FERRY_OK)
		return cli_report(&e);
	printf(
	    "wrote the relay credential %s (SECRET: give it only to the investigators who run relays, over a channel you trust)\n",
	    o->output);
	return EXIT_OK;
}

static int cmd_relay_rotate(const char *dir, ferry_desk *d, const opts_t *o,
                            char **rest, int n)
{
	ferry_err e;
	(void)dir, (void)rest, (void)n;
	if (ferry_desk_relay_rotate(d, o->drop_old, &e) != FERRY_OK)
		return cli_report(&e);
	if (o->drop_old)
		printf(
		    "relay keys: only the newest is left; packs issued before it no longer pass relays with a new credential\n");
	else
		printf(
		    "relay keys: %u; packs issued from now on carry the new one, and relays given a new credential ('ferry-desk relay-credential') wrap to a new wrap key; the one before is kept %u days for what is on its way\n",
		    d->v->relay.n, FERRY_WRAP_TRANSIT_DAYS);
	return EXIT_OK;
}

static int cmd_expire(const char *dir, ferry_desk *d, const opts_t *o, char **rest,
                      int n)
{
	ferry_err e;
	ferry_expire_report r;
	(void)dir, (void)o, (void)rest, (void)n;
	if (ferry_desk_expire(d, ferry_now(), &r, &e) != FERRY_OK)
		return cli_report(&e);
	printf(
	    "destroyed %u one-time key%s past their grace period, the keys of %u expired pack%s and %u rotated-out wrap key%s past their transit time\n",
	    r.forms, r.forms == 1 ? "" : "s", r.packs, r.packs == 1 ? "" : "s", r.wrap,
	    r.wrap == 1 ? "" : "s");
	return EXIT_OK;
}

/* sign: FILE.minisig for each FILE, a release signed with the desk's
 * minisign key (trust/release.h). Nothing is replaced. */
static int cmd_sign(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n)
{
	(void)dir, (void)o;
	ferry_minisign_key mk;
	char pk[FERRY_MINISIGN_PK_TEXT_LEN + 1];
	int ec = EXIT_OK;
	for (int i = 0; i < n; i++) {
		char sigpath[FERRY_PATH_MAX];
		ferry_err e;
		if (ferry_release_sign_file(rest[i], d->v->id_sk, sigpath,
		                            sizeof sigpath, &e) != FERRY_OK) {
			int code = cli_report_ctx(&e, "'%s'", rest[i]);
			ec = code > ec ? code : ec;
			continue;
		}
		printf("signed %s -> %s\n", rest[i], sigpath);
	}
	if (ferry_minisign_key_derive(&mk, d->v->id_sk) == 0) {
		ferry_minisign_pk_text(pk, &mk);
		sodium_memzero(&mk, sizeof mk);
		printf(
		    "check with: minisign -V -P %s -m FILE, or ferry-seal --verify FILE --desk "
		    "FINGERPRINT\n",
		    pk);
	}
	return ec;
}

/* Each command's runner gets the unlocked desk (NULL for init), the
 * options and the words after DESK. */
typedef struct {
	const char *name;
	int (*run)(const char *dir, ferry_desk *d, const opts_t *o, char **rest,
	           int nrest);
	int unlocks;            /* asks for the passphrase and opens the vault */
	int writes;             /* holds the desk's lock exclusively (else shared) */
	int recovers;           /* finishes an interrupted run first (writes only) */
	int min_rest, max_rest; /* words after DESK; max -1: any number */
	int needs_output;       /* -o is required */
	const char *usage;
} desk_command;

/* name, runner, unlocks, writes, recovers, words after DESK (min, max),
 * needs -o. Every command that changes the desk first finishes what a
 * crash interrupted (main does it, from this table: tests/e2e/recovery.sh
 * holds each command to it); the others only read. */
static const desk_command COMMANDS[] = {
    {"init", cmd_init, 0, 1, 0, 0, 0, 0, "ferry-desk init DESK [--kdf LEVEL]"},
    {"fingerprint", cmd_fingerprint, 1, 0, 0, 0, 0, 0,
     "ferry-desk fingerprint DESK [--qr] [--png FILE]"},
    {"issue", cmd_issue, 1, 1, 1, 0, 0, 0,
     "ferry-desk issue DESK --forms N --label TEXT ..."},
    {"relay-credential", cmd_relay_credential, 1, 0, 0, 0, 0, 1,
     "ferry-desk relay-credential DESK -o FILE [--chaff-up-to SIZE] [--newest-from YYYY-MM-DD] [--cover-every HOURS]"},
    {"relay-rotate", cmd_relay_rotate, 1, 1, 1, 0, 0, 0,
     "ferry-desk relay-rotate DESK [--drop-old]"},
    {"open", cmd_open, 1, 1, 1, 0, -1, 0, "ferry-desk open DESK [INTAKE...]"},
    {"admit", cmd_admit, 1, 1, 1, 1, -1, 0, "ferry-desk admit DESK NAME..."},
    {"expire", cmd_expire, 1, 1, 1, 0, 0, 0, "ferry-desk expire DESK"},
    {"packs", cmd_packs, 1, 0, 0, 0, 0, 0, "ferry-desk packs DESK"},
    {"cases", cmd_cases, 1, 0, 0, 0, 1, 0, "ferry-desk cases DESK [CASE]"},
    {"report", cmd_report, 1, 0, 0, 0, 0, 1, "ferry-desk report DESK -o DIR [--labels]"},
    {"note", cmd_note, 1, 1, 1, 1, 2, 0,
     "ferry-desk note DESK CASE TEXT|- | CASE --file FILE"},
    {"retire", cmd_retire, 1, 1, 1, 1, 1, 0, "ferry-desk retire DESK PACK"},
    {"revoke", cmd_revoke, 1, 1, 1, 1, 1, 0, "ferry-desk revoke DESK PACK --reason TEXT"},
    {"sign", cmd_sign, 1, 0, 0, 1, -1, 0, "ferry-desk sign DESK FILE..."},
    {"log", cmd_log, 1, 1, 1, 1, -1, 0,
     "ferry-desk log DESK show|verify [--attestation FILE] | attest -o FILE [--previous FILE] | chain FILE..."},
};

static const desk_command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
		if (!strcmp(COMMANDS[i].name, name))
			return &COMMANDS[i];
	return NULL;
}

/* Parses the options into o; returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, opts_t *o)
{
	static const struct option lopts[] = {
	    {"passphrase-file", required_argument, NULL, 'P'},
	    {"kdf", required_argument, NULL, 'k'},
	    {"forms", required_argument, NULL, 'n'},
	    {"label", required_argument, NULL, 'l'},
	    {"expires", required_argument, NULL, 'x'},
	    {"output", required_argument, NULL, 'o'},
	    {"questions", required_argument, NULL, 'Q'},
	    {"paper", required_argument, NULL, 'p'},
	    {"qr-module", required_argument, NULL, 'm'},
	    {"web", required_argument, NULL, 'W'},
	    {"lang", required_argument, NULL, 'T'},
	    {"qr", no_argument, NULL, 'R'},
	    {"grace", required_argument, NULL, 'g'},
	    {"code-days", required_argument, NULL, 'c'},
	    {"code-answers", required_argument, NULL, 'K'},
	    {"drop-old", no_argument, NULL, 'D'},
	    {"labels", no_argument, NULL, 'L'},
	    {"chaff-up-to", required_argument, NULL, 'U'},
	    {"newest-from", required_argument, NULL, 'N'},
	    {"cover-every", required_argument, NULL, 'E'},
	    {"png", required_argument, NULL, 'G'},
	    {"attestation", required_argument, NULL, 'A'},
	    {"previous", required_argument, NULL, 'v'},
	    {"minisign", no_argument, NULL, 'M'},
	    {"reason", required_argument, NULL, 'r'},
	    {"file", required_argument, NULL, 'f'},
	    {"jobs", required_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0}};
	int c;
	memset(o, 0, sizeof *o);
	o->grace = FERRY_GRACE_DEFAULT;
	while ((c = getopt_long(argc, argv, "o:j:hV", lopts, NULL)) != -1) {
		switch (c) {
		case 'P': o->passfile = optarg; break;
		case 'k': o->kdf = optarg; break;
		case 'n': o->forms = cli_parse_count(optarg); break;
		case 'l': o->label = optarg; break;
		case 'x': o->expires = optarg; break;
		case 'o': o->output = optarg; break;
		case 'Q': o->questions = optarg; break;
		case 'p': o->paper = optarg; break;
		case 'm': o->qr_module = cli_parse_count(optarg); break;
		case 'W': o->web = optarg; break;
		case 'T': o->lang = optarg; break;
		case 'R': o->qr = 1; break;
		case 'g': o->grace = cli_parse_count(optarg); break;
		case 'c':
			if ((o->code_days = cli_parse_count(optarg)) == 0)
				o->code_days = -1;
			break;
		case 'K':
			if ((o->code_answers = cli_parse_count(optarg)) == 0)
				o->code_answers = -1;
			break;
		case 'D': o->drop_old = 1; break;
		case 'L': o->labels = 1; break;
		case 'U': {
			char *end = NULL;
			unsigned long long v = strtoull(optarg, &end, 10);
			uint64_t unit = *end == 'K'   ? 1024u
			                : *end == 'M' ? 1u << 20
			                              : 1u;
			if (end == optarg || (*end && end[1]) || (*end && unit == 1) ||
			    v == 0 || v > (1ull << 30)) {
				cli_error("--chaff-up-to takes a size like 64K or 16M");
				return EXIT_OP;
			}
			o->chaff_up_to = v * unit;
			break;
		}
		case 'N': o->newest_from = optarg; break;
		case 'E':
			if ((o->cover_every = cli_parse_count(optarg)) == 0)
				o->cover_every = -1;
			break;
		case 'G': o->png = optarg; break;
		case 'A': o->attestation = optarg; break;
		case 'v': o->previous = optarg; break;
		case 'M': o->minisign = 1; break;
		case 'r': o->reason = optarg; break;
		case 'f': o->file = optarg; break;
		case 'j':
			o->jobs = cli_parse_count(optarg);
			if (o->jobs < 1 ||
			    o->jobs > (long)FERRY_OPENPIPE_MAX_WORKERS + 1) {
				cli_error("--jobs takes a number from 1 to %u",
				          FERRY_OPENPIPE_MAX_WORKERS + 1);
				return EXIT_OP;
			}
			break;
		case 'h': o->help = 1; break;
		case 'V':
			printf("ferry-desk %s\n%s", FERRY_VERSION, FERRY_LICENSE_LINE);
			return EXIT_OK;
		default: desk_usage(stderr); return EXIT_OP;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	opts_t o;
	cli_init("ferry-desk");
	int ec = parse_args(argc, argv, &o);
	if (ec >= 0)
		return ec;
	const desk_command *cmd = optind < argc ? find_command(argv[optind]) : NULL;
	if (o.help) {
		/* init asks for the new passphrase. */
		if (cmd)
			desk_command_help(stdout, cmd->name,
			                  cmd->unlocks || cmd->run == cmd_init);
		else
			desk_usage(stdout);
		return EXIT_OK;
	}
	if (optind >= argc) {
		cli_error("no command given");
		cli_hint(
		    "'ferry-desk --help' lists the commands; 'ferry-desk COMMAND --help' says what one takes");
		return EXIT_OP;
	}
	if (!cmd && !strcmp(argv[optind], "relay-profile")) {
		cli_error(
		    "relay-profile is gone: a relay profile let anyone with a seal code recognise this desk's traffic");
		cli_hint(
		    "give relays a relay credential instead: 'ferry-desk relay-credential DESK -o FILE'");
		return EXIT_OP;
	}
	if (!cmd) {
		cli_error("unknown command '%s'", argv[optind]);
		cli_hint("'ferry-desk --help' lists the commands");
		return EXIT_OP;
	}
	if (argc - optind < 2) {
		cli_error("%s needs DESK, the desk's folder", cmd->name);
		desk_command_help(stderr, cmd->name, cmd->unlocks);
		return EXIT_OP;
	}
	const char *dir = argv[optind + 1];
	char **rest = argv + optind + 2;
	int nrest = argc - optind - 2;
	if (nrest < cmd->min_rest || (cmd->max_rest >= 0 && nrest > cmd->max_rest) ||
	    (cmd->needs_output && !o.output)) {
		cli_error("usage: %s", cmd->usage);
		return EXIT_OP;
	}
	if (o.output && cli_require_destination(o.output, "-o", 0) != EXIT_OK)
		return EXIT_OP;
	if (cli_sodium_init() != 0)
		return EXIT_OP;
	ferry_desk *d = NULL;
	ferry_lock lock = {-1};
	ferry_err e;
	if (cmd->unlocks &&
	    cli_require(dir, "vault", "a ferry desk",
	                "check the path, or create a desk with 'ferry-desk init'") !=
	        EXIT_OK)
		return EXIT_OP;
	if (cmd->unlocks && ferry_lock_take(&lock, dir, "the desk", cmd->writes,
	                                    FERRY_LOCK_WAIT_MS, &e) != FERRY_OK)
		return cli_report(&e);
	if (cmd->unlocks && !(d = unlock(dir, &o, &ec))) {
		ferry_lock_release(&lock);
		return ec;
	}
	/* Recovery rewrites the log and the vault: the table gives every
	 * command that recovers the exclusive lock. */
	assert(!cmd->recovers || cmd->writes);
	if (cmd->recovers && ferry_desk_recover(d, &e) != FERRY_OK)
		ec = cli_report(&e);
	else
		ec = cmd->run(dir, d, &o, rest, nrest);
	ferry_desk_close(d);
	ferry_lock_release(&lock);
	return ec;
}
