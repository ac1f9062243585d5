/* Finishing what a crash interrupted. An open writes the case folder,
 * then the log entry, then the vault: so any entry past the vault's
 * recorded head is an open (or a key destruction) whose vault update was
 * lost, and replaying the entry (count the answer, remember the bundle,
 * destroy the key) completes it. */
#include "recover.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/fileio.h"
#include "../store/case_entry.h"
#include "../store/log.h"

typedef struct {
	ferry_desk *d;
	ferry_err *e;
	int bad;
} recover_ctx;

static int apply_entry(ferry_vault *v, const ferry_case_entry *c, ferry_err *e)
{
	if (c->kind == FERRY_ENTRY_NOTE)
		return FERRY_OK; /* the log is the note's only record */
	int p = ferry_vault_find_pack(v, c->pack_id);
	if (p < 0)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "an entry in the log names a pack the vault does not have");
	uint32_t f = c->form_index;
	if ((c->kind == FERRY_ENTRY_TESTIMONY ||
	     c->kind == FERRY_ENTRY_KEY_DESTROYED) &&
	    f >= v->packs[p].nforms)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "an entry in the log names a form the pack does not have");
	switch (c->kind) {
	case FERRY_ENTRY_TESTIMONY:
		switch (ferry_vault_mark_answered(v, (uint32_t)p, f, c->seen, c->at,
		                                  c->sealed_with != FERRY_SEALED_CODE &&
		                                      c->sealed_with !=
		                                          FERRY_SEALED_WRONG_WORD)) {
		case 0: break;
		case FERRY_VAULT_COUNT_FULL:
			/* The desk refuses such a bundle before it is logged. */
			return ferry_fail(
			    e, FERRY_EVERIFY,
			    "an entry in the log answers form %s more often than the vault can count",
			    c->form);
		default: return ferry_fail(e, FERRY_EOP, "out of memory");
		}
		break;
	case FERRY_ENTRY_WALKIN:
		if (v->packs[p].state == FERRY_PACK_ACTIVE &&
		    ferry_vault_add_seen(v, (uint32_t)p, c->seen) != 0)
			return ferry_fail(e, FERRY_EOP, "out of memory");
		break;
	case FERRY_ENTRY_KEY_DESTROYED:
		ferry_vault_close_form(v, (uint32_t)p, f);
		break;
	case FERRY_ENTRY_PACK_REVOKED:
		if (!v->packs[p].revoked_at)
			ferry_vault_revoke(v, (uint32_t)p, c->at, c->reason);
		break;
	case FERRY_ENTRY_PACK_EXPIRED:
	case FERRY_ENTRY_PACK_RETIRED: ferry_vault_retire(v, (uint32_t)p); break;
	default:
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "an entry in the log is of a kind recovery does not know");
	}
	return FERRY_OK;
}

static int recover_visit(void *u, uint64_t seq, const char *text)
{
	recover_ctx *rc = u;
	ferry_case_entry c;
	if (seq < rc->d->v->log_count)
		return 0;
	if (ferry_case_entry_parse(&c, text, rc->e) != FERRY_OK ||
	    apply_entry(rc->d->v, &c, rc->e) != FERRY_OK) {
		rc->bad = 1;
		return -1;
	}
	return 0;
}

/* DESK/tmp holds only what an open or a vault write was doing: after a
 * crash, decrypted pages nobody knows about. Under the desk's lock no
 * other process is using it. */
static void clear_tmp(ferry_desk *d)
{
	char tmp[FERRY_PATH_MAX], child[FERRY_PATH_MAX];
	if (ferry_path_join(tmp, sizeof tmp, d->dir, "tmp") != 0)
		return;
	DIR *dir = opendir(tmp);
	if (!dir)
		return;
	struct dirent *de;
	while ((de = readdir(dir)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    ferry_path_join(child, sizeof child, tmp, de->d_name) == 0)
			(void)ferry_remove_tree(child);
	closedir(dir);
	if (ferry_fsync_dir(tmp) != 0)
		return; /* best effort: the next run clears it again */
}

/* A pending marker (opening/intake.c) whose bundle the vault now knows, or
 * whose pack can open nothing more, has done its work. The others stay:
 * they name a case folder whose bundle waits in intake to be logged. */
static void prune_pending(ferry_desk *d)
{
	char dir[FERRY_PATH_MAX], child[FERRY_PATH_MAX];
	if (ferry_path_join(dir, sizeof dir, d->dir, "pending") != 0)
		return;
	DIR *dp = opendir(dir);
	if (!dp)
		return;
	struct dirent *de;
	int dropped = 0;
	while ((de = readdir(dp)) != NULL) {
		uint8_t *text = NULL;
		size_t len = 0;
		ferry_case_entry c;
		ferry_err ignored;
		if (de->d_name[0] == '.' ||
		    ferry_path_join(child, sizeof child, dir, de->d_name) != 0 ||
		    ferry_read_file(child, FERRY_LOG_ENTRY_MAX, &text, &len,
		                    "a pending case", NULL) != 0)
			continue;
		if (ferry_case_entry_parse(&c, (char *)text, &ignored) == FERRY_OK) {
			int p = ferry_vault_find_pack(d->v, c.pack_id);
			if (p < 0 || d->v->packs[p].state != FERRY_PACK_ACTIVE ||
			    ferry_vault_has_seen(d->v, (uint32_t)p, c.seen))
				dropped += unlink(child) == 0;
		}
		free(text);
	}
	closedir(dp);
	if (dropped && ferry_fsync_dir(dir) != 0)
		return; /* a marker that comes back is dropped again */
}

int ferry_desk_recover(ferry_desk *d, ferry_err *e)
{
	char q[FERRY_PATH_MAX];
	clear_tmp(d);
	(void)ferry_tmp_sweep(d->dir);
	if (ferry_path_join(q, sizeof q, d->dir, "quarantine") == 0)
		(void)ferry_tmp_sweep(q);
	if (ferry_path_join(q, sizeof q, d->dir, "pending") == 0)
		(void)ferry_tmp_sweep(q);
	ferry_log_state st;
	ferry_err visit_err;
	recover_ctx rc = {d, &visit_err, 0};
	ferry_vault *v = d->v;
	ferry_err_clear(&visit_err);
	if (ferry_log_walk(d->log_path, v->log_key, d->desk_id, v->log_count,
	                   v->log_head, recover_visit, &rc, &st, e) != FERRY_OK) {
		if (rc.bad)
			return ferry_fail_hint(
			    e, FERRY_EVERIFY,
			    "run 'ferry-desk log DESK verify' for details",
			    "the log has an unfinished entry that cannot be applied (%s); nothing was opened",
			    visit_err.msg);
		int code =
		    ferry_err_prefix(e, "log verification failed; nothing was opened");
		if (e)
			ferry_hint(e, "run 'ferry-desk log DESK verify' for details");
		return code;
	}
	if (st.count < v->log_count || !st.head_matched)
		return ferry_fail_hint(
		    e, FERRY_EVERIFY, "run 'ferry-desk log DESK verify' for details",
		    "the log does not match the vault (cut off, replaced or rewritten); nothing was opened");
	int changed = st.count != v->log_count;
	if (st.torn_tail && ferry_log_truncate(d->log_path, st.good_end) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot repair the log's torn end: %s",
		                  strerror(errno));
	if (changed) {
		v->log_count = st.count;
		memcpy(v->log_head, st.head, FERRY_HASH_LEN);
		if (ferry_desk_save(d, e) != FERRY_OK)
			return FERRY_EOP;
	}
	prune_pending(d);
	return FERRY_OK;
}
