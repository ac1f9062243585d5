/* One 'ferry-desk open' run as a library function: the bundles named (a
 * folder's files, in name order; the desk's intake when none is named),
 * opened one after another with a pool of decryption threads, the vault
 * saved every FERRY_RUN_SAVE_EVERY opens and at the end, the run stopped
 * at a full disk, then the keys that are due destroyed. The caller only
 * prints what the callbacks hand it. */
#ifndef FERRY_RUN_H
#define FERRY_RUN_H

#include "../desk/desk.h"
#include "../desk/expire.h"
#include "intake.h"

/* One vault rewrite per this many opens, not per open: the log entry
 * each open fsyncs first is the record (docs/FORMAT.md, "When keys are
 * destroyed"). */
#define FERRY_RUN_SAVE_EVERY 32

typedef struct {
	/* A bundle handled: its file name, what became of it (e when it was
	 * left in place), and the run so far (bundles done of total, and
	 * their bytes). */
	void (*outcome)(void *u, const char *name, const ferry_open_result *r,
	                const ferry_err *e, size_t done, size_t total, uint64_t bytes);
	/* The disk is full: the not_tried bundles after this one stay where
	 * they are, for the next run. */
	void (*disk_full)(void *u, size_t not_tried);
	void *u;
} ferry_run_callbacks;

typedef struct {
	size_t total;                        /* bundles named */
	unsigned counts[FERRY_OUT_LEFT + 1]; /* by outcome */
	ferry_expire_report expired;         /* keys destroyed after the run */
	int end_failed;   /* saving or expiring after the bundles failed */
	ferry_err end_err; /* why (its hint says what the next run does) */
} ferry_run_report;

/* Runs the open. paths (n of them; none: DESK/intake) are checked first:
 * a path that is the desk or one of its own folders but its intake is
 * refused before anything moves. jobs is the threads that decrypt (the
 * caller's included; 0: one per CPU, up to 8). FERRY_OK when the run
 * went through (rep says what each bundle became; a bundle left in place
 * is counted, not an error); FERRY_EUSAGE or FERRY_EOP, with nothing
 * opened, when the paths or the threads are wrong. */
int ferry_desk_open_run(ferry_desk *d, char **paths, int n, unsigned jobs,
                        const ferry_run_callbacks *cb, ferry_run_report *rep,
                        ferry_err *e) FERRY_WUR;

#endif
