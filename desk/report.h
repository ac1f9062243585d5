/* The case browser: a static, offline HTML report of every case, written
 * from the log (the record of what arrived) and the case folders, whose
 * files are copied next to the HTML only when they match the hashes the
 * log holds. No network: a strict Content-Security-Policy, images as
 * files beside the pages, no script but the index's one (inline, allowed
 * by its hash: it sorts and filters). docs/ferry-desk.1, "report". */
#ifndef FERRY_REPORT_H
#define FERRY_REPORT_H

#include <stdint.h>

#include "desk.h"

typedef struct {
	unsigned cases, files, mismatched; /* files that did not match the log */
} ferry_report_result;

/* The report names each pack by its short name only: a label is the
 * desk's private note ("given to contact B via courier") and goes into
 * the report only with this flag. */
#define FERRY_REPORT_LABELS 1
/* The report may be written on the desk's own file system (by default
 * refused: it is one more copy of every testimony, in the clear, on the
 * disk a seizure takes with the desk; it belongs on the encrypted medium
 * it is handed on with). */
#define FERRY_REPORT_SAME_DISK 2

/* Writes the report into outdir, which must not exist, must not be
 * inside the desk, and without FERRY_REPORT_SAME_DISK must not be on the
 * desk's file system: built in a temp folder beside it, then renamed. */
int ferry_desk_report(ferry_desk *d, const char *outdir, uint64_t now, int flags,
                      ferry_report_result *r, ferry_err *e) FERRY_WUR;

#endif
