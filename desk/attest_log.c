#include "attest_log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/clock.h"
#include "../common/fileio.h"
#include "../trust/minisign.h"

/* A statement file of this desk, read, parsed and hashed. */
static int read_statement(ferry_desk *d, const char *path, ferry_attestation *a,
                          uint8_t sha[FERRY_HASH_LEN], ferry_err *e)
{
	uint8_t *text = NULL;
	size_t len = 0;
	if (ferry_read_file(path, FERRY_ATTEST_TEXT_MAX, &text, &len, "the statement",
	                    e) != 0)
		return FERRY_EOP;
	int rc = ferry_attestation_parse(a, (const char *)text, len, d->v->id_pk, e);
	if (rc == FERRY_OK && sha)
		crypto_hash_sha256(sha, text, len);
	free(text);
	return rc == FERRY_OK ? FERRY_OK : ferry_err_prefix(e, "'%s'", path);
}

/* Whether the log (already verified, now_count entries) passes through
 * the attested head at the attested count: it extends the statement.
 * where ("" or " in ...") says which statement, in the messages. */
static int log_extends(ferry_desk *d, const ferry_attestation *a, uint64_t now_count,
                       const char *name, ferry_err *e)
{
	ferry_log_state st;
	if (now_count < a->entries)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "the log has %llu entries, fewer than the %llu attested%s: entries %llu to %llu were lost (cut, or a desk restored from an older backup)",
		    (unsigned long long)now_count, (unsigned long long)a->entries, name,
		    (unsigned long long)now_count + 1, (unsigned long long)a->entries);
	/* A second walk, asking for the attested point instead of the
	 * vault's head. */
	if (ferry_log_walk(d->log_path, d->v->log_key, d->desk_id, a->entries, a->head,
	                   NULL, NULL, &st, e) != FERRY_OK)
		return ferry_err_prefix(e, "log verification failed");
	if (!st.head_matched)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "the log does not extend the attested one%s: its chain after entry %llu is not the attested head, so entries before the statement were rewritten or replaced",
		    name, (unsigned long long)a->entries);
	return FERRY_OK;
}

int ferry_desk_log_attest(ferry_desk *d, const char *out_path, const char *previous,
                          uint64_t now, ferry_attestation *a, ferry_err *e)
{
	char text[FERRY_ATTEST_TEXT_MAX], sig[FERRY_MINISIGN_SIG_MAX], comment[200];
	char sig_path[FERRY_PATH_MAX], when[21];
	size_t len = 0, slen = 0;
	uint64_t count = 0;
	struct stat st;
	ferry_minisign_key mk;
	memset(a, 0, sizeof *a);
	if (ferry_path_fmt(sig_path, sizeof sig_path, "%s.minisig", out_path) != 0)
		return ferry_fail(e, FERRY_EOP, "the output path is too long");
	if (lstat(out_path, &st) == 0 || lstat(sig_path, &st) == 0)
		return ferry_fail_hint(e, FERRY_EOP, "keep every statement; choose a new name",
		                       "'%s' or its .minisig already exists", out_path);
	/* Attest only a log that verifies: a statement about a damaged log
	 * would vouch for the damage. */
	if (ferry_desk_log_verify(d, NULL, NULL, &count, e) != FERRY_OK)
		return ferry_err_prefix(e, "nothing was attested");
	if (previous) {
		/* Re-anchoring (a desk restored from a backup): only onto a
		 * statement this log still extends. */
		ferry_attestation prev;
		if (read_statement(d, previous, &prev, a->previous, e) != FERRY_OK ||
		    log_extends(d, &prev, count, " in the previous statement", e) != FERRY_OK)
			return ferry_err_prefix(e, "nothing was attested");
		a->has_previous = 1;
	} else if (!sodium_is_zero(d->v->last_attest, FERRY_HASH_LEN)) {
		memcpy(a->previous, d->v->last_attest, FERRY_HASH_LEN);
		a->has_previous = 1;
	}
	memcpy(a->id_pk, d->v->id_pk, sizeof a->id_pk);
	a->entries = d->v->log_count;
	memcpy(a->head, d->v->log_head, sizeof a->head);
	a->made = now;
	a->version = 2;
	if (ferry_minisign_key_derive(&mk, d->v->id_sk) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot make the minisign key");
	ferry_minisign_pk_text(a->minisign_key, &mk);
	ferry_iso_time(when, now);
	snprintf(comment, sizeof comment,
	         "ferry log attestation: %llu entries, made %s",
	         (unsigned long long)a->entries, when);
	int rc = ferry_attestation_format(text, sizeof text, &len, a, d->v->id_sk) == 0 &&
	                 ferry_minisign_sign(sig, sizeof sig, &slen, (const uint8_t *)text,
	                                     len, comment, &mk) == 0
	             ? FERRY_OK
	             : ferry_fail(e, FERRY_EOP, "cannot sign the statement");
	sodium_memzero(&mk, sizeof mk);
	if (rc != FERRY_OK)
		return rc;
	if (ferry_write_new(out_path, (const uint8_t *)text, len, 0644, e) != FERRY_OK)
		return FERRY_EOP;
	if (ferry_atomic_write(sig_path, (const uint8_t *)sig, slen, 0644, 1) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot write '%s': %s", sig_path,
		                  strerror(errno));
	/* The next statement names this one. */
	crypto_hash_sha256(d->v->last_attest, (const uint8_t *)text, len);
	d->v->last_attest_entries = a->entries;
	if (ferry_desk_save(d, e) != FERRY_OK)
		return ferry_err_prefix(
		    e, "the statement was written, but the vault could not record it; give the next 'attest' --previous %s",
		    out_path);
	return FERRY_OK;
}

int ferry_desk_log_check_attestation(ferry_desk *d, const char *path,
                                     ferry_attestation *a, uint64_t *now_count,
                                     ferry_err *e)
{
	int rc;
	*now_count = 0;
	if ((rc = read_statement(d, path, a, NULL, e)) != FERRY_OK)
		return rc;
	if ((rc = ferry_desk_log_verify(d, NULL, NULL, now_count, e)) != FERRY_OK)
		return rc;
	return log_extends(d, a, *now_count, "", e);
}

int ferry_desk_log_chain(ferry_desk *d, char **paths, int n, ferry_chain_fn say,
                         void *u, ferry_err *e)
{
	ferry_attestation *a = calloc((size_t)(n ? n : 1), sizeof *a);
	uint8_t(*sha)[FERRY_HASH_LEN] = calloc((size_t)(n ? n : 1), FERRY_HASH_LEN);
	int rc = FERRY_OK, firsts = 0;
	char msg[600];
	if (!a || !sha) {
		free(a);
		free(sha);
		return ferry_fail(e, FERRY_EOP, "out of memory");
	}
	for (int i = 0; i < n && rc == FERRY_OK; i++)
		rc = read_statement(d, paths[i], &a[i], sha[i], e);
	for (int i = 0; i < n && rc == FERRY_OK; i++) {
		if (a[i].version < 2) {
			snprintf(msg, sizeof msg,
			         "%s is a v1 statement, from before statements named their previous one: it cannot be placed in the chain",
			         paths[i]);
			say(u, 0, msg);
			continue;
		}
		if (!a[i].has_previous) {
			firsts++;
			continue;
		}
		int before = -1, forks = 0;
		for (int j = 0; j < n; j++)
			if (!memcmp(sha[j], a[i].previous, FERRY_HASH_LEN))
				before = j;
		for (int j = 0; j < n; j++)
			forks += j != i && a[j].version == 2 && a[j].has_previous &&
			         !memcmp(a[j].previous, a[i].previous, FERRY_HASH_LEN);
		if (before < 0) {
			snprintf(msg, sizeof msg,
			         "%s follows a statement that is not among these: keep and bring every statement",
			         paths[i]);
			say(u, 0, msg);
			rc = FERRY_EVERIFY;
		} else if (forks) {
			snprintf(msg, sizeof msg,
			         "FORK after %s (%llu entries): %s (%llu entries) and another statement both follow it; the desk was put back to an earlier state (a restored backup, or tampering) between them",
			         paths[before], (unsigned long long)a[before].entries, paths[i],
			         (unsigned long long)a[i].entries);
			say(u, 0, msg);
			rc = FERRY_EVERIFY;
		} else if (a[i].entries < a[before].entries) {
			snprintf(msg, sizeof msg,
			         "%s attests %llu entries, fewer than the %llu of %s before it: entries were lost",
			         paths[i], (unsigned long long)a[i].entries,
			         (unsigned long long)a[before].entries, paths[before]);
			say(u, 0, msg);
			rc = FERRY_EVERIFY;
		} else {
			snprintf(msg, sizeof msg, "%s (%llu entries) follows %s (%llu entries)",
			         paths[i], (unsigned long long)a[i].entries, paths[before],
			         (unsigned long long)a[before].entries);
			say(u, 1, msg);
		}
	}
	if (rc == FERRY_OK && firsts != 1) {
		snprintf(msg, sizeof msg,
		         firsts ? "%d statements say they are the first: only one can be"
		                : "no statement says it is the first%.0d: bring them all",
		         firsts);
		say(u, 0, msg);
		rc = FERRY_EVERIFY;
	}
	free(a);
	free(sha);
	if (rc == FERRY_EVERIFY)
		return ferry_fail(e, FERRY_EVERIFY, "the statements do not form one chain");
	return rc;
}
