#include "attest_log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../common/fileio.h"

int ferry_desk_log_attest(ferry_desk *d, const char *out_path, uint64_t now,
                          ferry_attestation *a, ferry_err *e)
{
	char text[FERRY_ATTEST_TEXT_MAX];
	size_t len = 0;
	uint64_t count = 0;
	memset(a, 0, sizeof *a);
	/* Attest only a log that verifies: a statement about a damaged log
	 * would vouch for the damage. */
	if (ferry_desk_log_verify(d, NULL, NULL, &count, e) != FERRY_OK)
		return ferry_err_prefix(e, "nothing was attested");
	memcpy(a->id_pk, d->v->id_pk, sizeof a->id_pk);
	a->entries = d->v->log_count;
	memcpy(a->head, d->v->log_head, sizeof a->head);
	a->made = now;
	if (ferry_attestation_format(text, sizeof text, &len, a, d->v->id_sk) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot sign the statement");
	if (ferry_atomic_write(out_path, (const uint8_t *)text, len, 0644, 1) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot write '%s': %s", out_path,
		                  errno == EEXIST ? "it already exists"
		                                  : strerror(errno));
	return FERRY_OK;
}

int ferry_desk_log_check_attestation(ferry_desk *d, const char *path,
                                     ferry_attestation *a, uint64_t *now_count,
                                     ferry_err *e)
{
	uint8_t *text = NULL;
	size_t len = 0;
	ferry_log_state st;
	*now_count = 0;
	memset(a, 0, sizeof *a);
	if (ferry_read_file(path, FERRY_ATTEST_TEXT_MAX, &text, &len, "the statement",
	                    e) != 0)
		return FERRY_EOP;
	int rc = ferry_attestation_parse(a, (const char *)text, len, d->v->id_pk, e);
	free(text);
	if (rc != FERRY_OK)
		return ferry_err_prefix(e, "'%s'", path);
	if ((rc = ferry_desk_log_verify(d, NULL, NULL, now_count, e)) != FERRY_OK)
		return rc;
	if (*now_count < a->entries)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "the log has %llu entries, fewer than the %llu attested: it was cut after the statement was made",
		    (unsigned long long)*now_count, (unsigned long long)a->entries);
	/* A second walk, asking for the attested point instead of the
	 * vault's head. */
	if (ferry_log_walk(d->log_path, d->v->log_key, d->desk_id, a->entries, a->head,
	                   NULL, NULL, &st, e) != FERRY_OK)
		return ferry_err_prefix(e, "log verification failed");
	if (!st.head_matched)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "the log does not extend the attested one: its chain after entry %llu is not the attested head, so entries before the statement were rewritten or replaced",
		    (unsigned long long)a->entries);
	return FERRY_OK;
}
