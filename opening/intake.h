/* Opening bundles at the desk, exactly once each, even across a crash:
 * extract to a temp folder, fsync, rename into cases/, append the log
 * entry, destroy the one-time key in the vault, then remove the bundle.
 * Anything that cannot be opened is moved to quarantine/ intact with a
 * reason beside it. Crash recovery is opening/recover.h. */
#ifndef FERRY_INTAKE_H
#define FERRY_INTAKE_H

#include "../desk/desk.h"
#include "../store/case_entry.h"

typedef enum {
	FERRY_OUT_TESTIMONY = 0,
	FERRY_OUT_WALKIN,
	FERRY_OUT_CHAFF,
	FERRY_OUT_DUPLICATE,
	FERRY_OUT_ANSWERED,
	FERRY_OUT_UNKNOWN, /* no pack of this desk opens it (or damaged) */
	FERRY_OUT_CORRUPT,
	FERRY_OUT_EXPIRED, /* for a pack past its expiry date and grace period */
	FERRY_OUT_HELD,    /* quarantined until the journalist admits it: a
	                    * walk-in or too many answers without the pack word */
	FERRY_OUT_LEFT     /* could not be processed; left where it was */
} ferry_outcome;

typedef struct {
	int outcome;
	char case_name[FERRY_CASE_NAME_MAX];
	char form[FERRY_CODE_TEXT_LEN + 1];
	unsigned pages, answers, attachments;
	unsigned answer; /* a testimony's place among its form's answers: 1 first */
	int revoked;     /* sealed to a revoked pack: it may be forged */
	int sealed_with; /* FERRY_SEALED_* (case_entry.h) */
	char same_pages[FERRY_CASE_NAME_MAX]; /* an earlier case, same pages */
	unsigned wrong_words; /* the pack's count, when sealed_with says wrong */
	char revoke_reason[FERRY_REASON_MAX + 1];
	int out_of_space; /* left in place because the disk is full: stop the run */
	char detail[800]; /* the case folder, or why it was quarantined */
	char moved_to[FERRY_PATH_MAX];
	char reports[16][200]; /* the first 16 items' removal reports */
	unsigned nreports;
} ferry_open_result;

const char *ferry_outcome_name(int outcome);

/* Processes one bundle file. FERRY_OK when it was accounted for
 * (opened, counted as chaff, or quarantined: see r->outcome); FERRY_EOP
 * when it could not be processed and was left in place (outcome
 * FERRY_OUT_LEFT, e says why). */
int ferry_desk_open_bundle(ferry_desk *d, const char *path, ferry_open_result *r,
                           ferry_err *e) FERRY_WUR;
/* The same for a bundle the journalist decided to open although it was
 * held (FERRY_OUT_HELD): it is opened and filed with its mark. */
int ferry_desk_admit_bundle(ferry_desk *d, const char *path, ferry_open_result *r,
                            ferry_err *e) FERRY_WUR;

#endif
