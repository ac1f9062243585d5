/* ferry-desk open and expire: the open run is opening/run.c's; this file
 * prints what it hands back, a line per bundle, progress on a terminal,
 * and the run's sums. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/clock.h"
#include "../common/fileio.h"
#include "../desk/expire.h"
#include "../opening/run.h"
#include "cli.h"
#include "ferry-desk.h"

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
		printf("held         %s: %s\n", base,
		       cli_shown(rep, sizeof rep, r->detail));
		printf("             to open it: ferry-desk admit DESK %s\n",
		       cli_shown(rep, sizeof rep, ferry_basename(r->moved_to)));
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


static void on_outcome(void *u, const char *name, const ferry_open_result *r,
                       const ferry_err *e, size_t done, size_t total, uint64_t bytes)
{
	progress *p = u;
	progress_clear(p);
	desk_print_outcome(name, r, e);
	p->done = done;
	p->total = total;
	p->bytes = bytes;
	progress_show(p);
}

static void on_disk_full(void *u, size_t not_tried)
{
	progress_clear(u);
	printf("stopped: the disk is full; %zu bundle%s not tried\n", not_tried,
	       not_tried == 1 ? "" : "s");
}

int cmd_open(const char *dir, ferry_desk *d, const opts_t *o, char **intake,
             int nintake)
{
	(void)dir;
	ferry_err e;
	ferry_run_report rep;
	progress pr = {isatty(STDERR_FILENO), 0, 0, 0, {0, 0}};
	clock_gettime(CLOCK_MONOTONIC, &pr.start);
	const ferry_run_callbacks cb = {on_outcome, on_disk_full, &pr};
	if (ferry_desk_open_run(d, intake, nintake, (unsigned)o->jobs, &cb, &rep, &e) !=
	    FERRY_OK)
		return cli_report(&e);
	progress_clear(&pr);
	const unsigned *c = rep.counts;
	const ferry_expire_report *xr = &rep.expired;
	if (rep.end_failed)
		cli_report(&rep.end_err);
	else if (xr->forms || xr->packs || xr->wrap)
		printf(
		    "destroyed    %u one-time key%s past their grace period, the keys of %u expired pack%s, %u wrap key%s past transit\n",
		    xr->forms, xr->forms == 1 ? "" : "s", xr->packs,
		    xr->packs == 1 ? "" : "s", xr->wrap, xr->wrap == 1 ? "" : "s");
	unsigned q = c[FERRY_OUT_DUPLICATE] + c[FERRY_OUT_ANSWERED] + c[FERRY_OUT_UNKNOWN] +
	             c[FERRY_OUT_CORRUPT] + c[FERRY_OUT_EXPIRED] + c[FERRY_OUT_HELD];
	printf(
	    "%zu bundle%s: %u testimony, %u walk-in, %u chaff, %u quarantined, %u left in place\n",
	    rep.total, rep.total == 1 ? "" : "s", c[FERRY_OUT_TESTIMONY],
	    c[FERRY_OUT_WALKIN], c[FERRY_OUT_CHAFF], q, c[FERRY_OUT_LEFT]);
	if (c[FERRY_OUT_TESTIMONY] + c[FERRY_OUT_WALKIN] &&
	    d->v->last_attest_entries < d->v->log_count)
		printf(
		    "reminder: no attestation covers the newest %llu log entr%s; run 'ferry-desk log DESK attest -o FILE' and give FILE and FILE.minisig to your editor\n",
		    (unsigned long long)(d->v->log_count - d->v->last_attest_entries),
		    d->v->log_count - d->v->last_attest_entries == 1 ? "y" : "ies");
	/* Quarantined bundles are accounted for (moved, with a reason): only a
	 * bundle left where it was is a failure of the run. */
	return c[FERRY_OUT_LEFT] || rep.end_failed ? EXIT_OP : EXIT_OK;
}

int cmd_expire(const char *dir, ferry_desk *d, const opts_t *o, char **rest,
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
