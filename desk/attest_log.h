/* Signed statements of the log's state (trust/attest.h), made and
 * checked against this desk's log. */
#ifndef FERRY_ATTEST_LOG_H
#define FERRY_ATTEST_LOG_H

#include "../trust/attest.h"
#include "desk.h"

/* Verifies the log, then writes a statement of its entry count and head
 * at time now to out_path, and its minisign signature to
 * out_path.minisig (atomically; refuses to replace either). The statement
 * names the one before it: previous (a statement file this log must
 * extend: re-anchoring a restored desk) or the last one this desk wrote.
 * The vault records it for the next. */
int ferry_desk_log_attest(ferry_desk *d, const char *out_path, const char *previous,
                          uint64_t now, ferry_attestation *a, ferry_err *e) FERRY_WUR;
/* Checks that statement files of this desk form one chain: one first,
 * each other's previous among them, no two with the same previous (a
 * fork: the desk was rolled back between them), entries never fewer.
 * say gets a line for each link (ok 1) or problem (ok 0). */
typedef void (*ferry_chain_fn)(void *u, int ok, const char *line);
int ferry_desk_log_chain(ferry_desk *d, char **paths, int n, ferry_chain_fn say,
                         void *u, ferry_err *e) FERRY_WUR;
/* Verifies the log, then that it extends the statement in path: it has
 * at least the attested entries, and its chain passes through the
 * attested head at that count. FERRY_EVERIFY when it does not, or the
 * statement is another desk's, altered or malformed. now_count gets the
 * log's entries. */
int ferry_desk_log_check_attestation(ferry_desk *d, const char *path,
                                     ferry_attestation *a, uint64_t *now_count,
                                     ferry_err *e) FERRY_WUR;

#endif
