/* Signed statements of the log's state (trust/attest.h), made and
 * checked against this desk's log. */
#ifndef FERRY_ATTEST_LOG_H
#define FERRY_ATTEST_LOG_H

#include "../trust/attest.h"
#include "desk.h"

/* Verifies the log, then writes a statement of its entry count and head
 * at time now to out_path (atomically; refuses to replace a file). */
int ferry_desk_log_attest(ferry_desk *d, const char *out_path, uint64_t now,
                          ferry_attestation *a, ferry_err *e) FERRY_WUR;
/* Verifies the log, then that it extends the statement in path: it has
 * at least the attested entries, and its chain passes through the
 * attested head at that count. FERRY_EVERIFY when it does not, or the
 * statement is another desk's, altered or malformed. now_count gets the
 * log's entries. */
int ferry_desk_log_check_attestation(ferry_desk *d, const char *path,
                                     ferry_attestation *a, uint64_t *now_count,
                                     ferry_err *e) FERRY_WUR;

#endif
