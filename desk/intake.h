/* Opening bundles at the desk, exactly once each, even across a crash:
 * extract to a temp folder, fsync, rename into cases/, append the log
 * entry, destroy the one-time key in the vault, then remove the bundle.
 * Anything that cannot be opened is moved to quarantine/ intact with a
 * reason beside it. */
#ifndef FERRY_INTAKE_H
#define FERRY_INTAKE_H

#include "desk.h"

typedef enum {
	FERRY_OUT_TESTIMONY = 0,
	FERRY_OUT_WALKIN,
	FERRY_OUT_CHAFF,
	FERRY_OUT_DUPLICATE,
	FERRY_OUT_ANSWERED,
	FERRY_OUT_UNKNOWN, /* no pack of this desk opens it (or damaged) */
	FERRY_OUT_CORRUPT,
	FERRY_OUT_LEFT /* could not be processed; left where it was */
} ferry_outcome;

typedef struct {
	int outcome;
	char case_name[64];
	char form[FERRY_CODE_TEXT_LEN + 1];
	unsigned pages, answers, attachments;
	char detail[800];
	char moved_to[FERRY_PATH_MAX];
	char reports[16][200]; /* the first 16 items' removal reports */
	unsigned nreports;
} ferry_open_result;

const char *ferry_outcome_name(int outcome);

/* Brings the vault up to date with the log after an interrupted open,
 * and cuts off a torn partial log entry. Fails closed when the log and
 * the vault disagree in any other way. */
int ferry_desk_recover(ferry_desk *d, ferry_err *e) FERRY_WUR;

/* Processes one bundle file. Returns 0 when it was accounted for (opened,
 * counted as chaff, or quarantined: see r->outcome), -2 when it could
 * not be processed and was left in place (r->detail says why). */
int ferry_desk_open_bundle(ferry_desk *d, const char *path,
                           ferry_open_result *r) FERRY_WUR;

#endif
