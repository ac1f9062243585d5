#include "desk.h"

#include "../opening/openpipe.h"

#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/clock.h"
#include "../trust/credential.h"

static const char *SUBDIRS[] = {"intake", "cases", "quarantine", "packs", "tmp"};

static int dir_is_empty_or_missing(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 1 : 0;
	struct dirent *de;
	int empty = 1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

/* What a failed init made, so that it can take exactly that away: a
 * half-made desk would refuse the next init ("not empty") and leave the
 * journalist to clear it by hand. */
typedef struct {
	int dir;
	int sub[sizeof SUBDIRS / sizeof SUBDIRS[0]];
	int log;
} init_made;

static void init_undo(const char *dir, const init_made *m)
{
	char p[FERRY_PATH_MAX];
	if (m->log && ferry_path_join(p, sizeof p, dir, "log") == 0)
		(void)unlink(p);
	for (size_t i = 0; i < sizeof SUBDIRS / sizeof SUBDIRS[0]; i++)
		if (m->sub[i] && ferry_path_join(p, sizeof p, dir, SUBDIRS[i]) == 0)
			(void)rmdir(p);
	if (m->dir)
		(void)rmdir(dir);
}

static int init_folders(const char *dir, init_made *m, ferry_err *e)
{
	char p[FERRY_PATH_MAX];
	if (ferry_mkdir_made(dir, 0700, &m->dir) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot create '%s': %s", dir,
		                  strerror(errno));
	if (chmod(dir, 0700) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot make '%s' private: %s", dir,
		                  strerror(errno));
	for (size_t i = 0; i < sizeof SUBDIRS / sizeof SUBDIRS[0]; i++) {
		if (ferry_path_join(p, sizeof p, dir, SUBDIRS[i]) != 0 ||
		    mkdir(p, 0700) != 0)
			return ferry_fail(e, FERRY_EOP, "cannot create '%s': %s", p,
			                  strerror(errno));
		m->sub[i] = 1;
	}
	return FERRY_OK;
}

int ferry_desk_init(const char *dir, const char *pass, size_t passlen, int level,
                    char *fingerprint, ferry_err *e)
{
	char p[FERRY_PATH_MAX];
	uint8_t id[FERRY_HASH_LEN], head[FERRY_HASH_LEN];
	if (!dir_is_empty_or_missing(dir))
		return ferry_fail(
		    e, FERRY_EOP,
		    "'%s' already exists and is not empty; refusing to overwrite a desk",
		    dir);
	/* The keys first: a machine short of memory for Argon2id fails before
	 * anything is on disk. */
	ferry_vault *v = ferry_vault_create(level, pass, passlen);
	if (!v && errno == EINVAL)
		return ferry_fail(e, FERRY_EUSAGE, "unknown key derivation level %d", level);
	if (!v)
		return ferry_fail_hint(e, FERRY_EOP, "a lower --kdf level needs less memory",
		                       "cannot derive the vault key: not enough memory");
	ferry_identity_digest(id, v->id_pk);
	ferry_log_start(head, id);
	memcpy(v->log_head, head, FERRY_HASH_LEN);
	init_made made;
	memset(&made, 0, sizeof made);
	int rc = init_folders(dir, &made, e);
	if (rc == FERRY_OK && (ferry_path_join(p, sizeof p, dir, "log") != 0 ||
	                       ferry_log_create(p, id) != 0))
		rc = ferry_fail(e, FERRY_EOP, "cannot create the log: %s",
		                strerror(errno));
	made.log = rc == FERRY_OK;
	if (rc == FERRY_OK && ferry_path_join(p, sizeof p, dir, "vault") != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot write the vault: %s",
		                strerror(errno));
	if (rc == FERRY_OK)
		rc = ferry_vault_save(v, p, e);
	if (rc != FERRY_OK)
		init_undo(dir, &made);
	else if (fingerprint)
		ferry_fingerprint(fingerprint, v->id_pk);
	ferry_vault_free(v);
	return rc;
}

int ferry_desk_unlock(ferry_desk **out, const char *dir, const char *pass,
                      size_t passlen, ferry_err *e)
{
	uint8_t logid[FERRY_HASH_LEN];
	struct stat st;
	*out = NULL;
	ferry_desk *d = calloc(1, sizeof *d);
	if (!d)
		return ferry_fail(e, FERRY_EOP, "out of memory");
	if (ferry_path_fmt(d->dir, sizeof d->dir, "%s", dir) != 0 ||
	    ferry_path_join(d->vault_path, sizeof d->vault_path, dir, "vault") != 0 ||
	    ferry_path_join(d->log_path, sizeof d->log_path, dir, "log") != 0) {
		free(d);
		return ferry_fail(e, FERRY_EOP, "desk path too long");
	}
	if (stat(d->vault_path, &st) != 0) {
		free(d);
		return ferry_fail_hint(e, FERRY_EOP,
		                       "create one with 'ferry-desk init'",
		                       "'%s' is not a desk (no vault)", dir);
	}
	int rc = ferry_vault_load(&d->v, d->vault_path, pass, passlen, e);
	if (rc != FERRY_OK) {
		free(d);
		return ferry_err_prefix(e, "cannot open the vault");
	}
	ferry_identity_digest(d->desk_id, d->v->id_pk);
	if (ferry_log_desk_id(d->log_path, logid) != 0) {
		int err = errno;
		ferry_desk_close(d);
		return err ? ferry_fail(e, FERRY_EOP, "cannot read the desk's log '%s': %s",
		                        d->log_path, strerror(err))
		           : ferry_fail(e, FERRY_EOP,
		                        "the desk's log '%s' is not a ferry log (damaged or replaced)",
		                        d->log_path);
	}
	if (sodium_memcmp(logid, d->desk_id, FERRY_HASH_LEN) != 0) {
		ferry_desk_close(d);
		return ferry_fail_hint(
		    e, FERRY_EVERIFY, "put back this desk's own vault",
		    "this vault belongs to another desk than the log in '%s'", dir);
	}
	*out = d;
	return FERRY_OK;
}

void ferry_desk_close(ferry_desk *d)
{
	if (!d)
		return;
	ferry_openpipe_free(d->pipe);
	ferry_vault_free(d->v);
	free(d);
}

int ferry_desk_save(ferry_desk *d, ferry_err *e)
{
	int rc = ferry_vault_save(d->v, d->vault_path, e);
	if (rc != FERRY_OK)
		return rc;
	d->unsaved = 0;
	return FERRY_OK;
}

int ferry_desk_flush(ferry_desk *d, ferry_err *e)
{
	return d->unsaved ? ferry_desk_save(d, e) : FERRY_OK;
}

int ferry_desk_relay_credential(ferry_desk *d, const char *out_path,
                                uint64_t chaff_up_to, uint32_t newest_from_day,
                                unsigned cover_hours, ferry_err *e)
{
	ferry_credential *c = sodium_malloc(sizeof *c);
	char *text = sodium_malloc(FERRY_CREDENTIAL_TEXT_MAX);
	size_t len = 0;
	int rc = FERRY_OK;
	/* A vault from before wrap keys got one when it was read: it must be
	 * saved before any relay wraps to it. */
	if (d->v->plain_version < FERRY_VAULT_PLAIN_V2 &&
	    (rc = ferry_desk_save(d, e)) != FERRY_OK)
		goto out;
	if (!c || !text) {
		rc = ferry_fail(e, FERRY_EOP, "out of memory");
		goto out;
	}
	memset(c, 0, sizeof *c);
	memcpy(c->identity_pk, d->v->id_pk, FERRY_ID_PK_LEN);
	memcpy(c->chaff_pk, d->v->chaff_pk, FERRY_X25519_LEN);
	memcpy(c->wrap_pk, d->v->wrap.pk[d->v->wrap.n - 1], FERRY_X25519_LEN);
	c->newest_from_day = newest_from_day;
	c->cover_hours = (uint16_t)cover_hours;
	c->relay = d->v->relay;
	ferry_chaff_weights_default(c->chaff_weight);
	unsigned kept = 0;
	for (unsigned k = 0; k < FERRY_CLASSES; k++) {
		if (chaff_up_to && ferry_class_len(k) > chaff_up_to)
			c->chaff_weight[k] = 0;
		kept += c->chaff_weight[k] != 0;
	}
	if (!kept)
		c->chaff_weight[0] = 1;
	/* Secret: written 0600, never replacing a file that is there. */
	if (ferry_credential_format(text, FERRY_CREDENTIAL_TEXT_MAX, &len, c,
	                            d->v->id_sk) != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot build the relay credential");
	else
		rc = ferry_write_new(out_path, (const uint8_t *)text, len, 0600, e);
out:
	if (c)
		sodium_free(c);
	if (text)
		sodium_free(text);
	return rc;
}

int ferry_desk_relay_rotate(ferry_desk *d, int drop_old, ferry_err *e)
{
	if (drop_old) {
		ferry_vault_drop_old_relay_keys(d->v);
		return ferry_desk_save(d, e);
	}
	if (d->v->relay.n >= FERRY_RELAY_KEYS_MAX)
		return ferry_fail_hint(
		    e, FERRY_EUSAGE,
		    "retire the older ones with 'ferry-desk relay-rotate DESK --drop-old' once no pack that carries them is in use",
		    "the desk already holds %u relay keys", FERRY_RELAY_KEYS_MAX);
	/* A new wrap key with every rotation: relays given the new
	 * credential wrap to it, and the old one goes once what was wrapped
	 * to it has had time to arrive. */
	uint64_t now = ferry_now();
	ferry_vault_expire_wrap_keys(d->v, now);
	if (ferry_vault_rotate_wrap_key(d->v, now) != 0)
		return ferry_fail_hint(
		    e, FERRY_EUSAGE,
		    "rotate again once the oldest is past its transit time ('ferry-desk expire' destroys it)",
		    "the desk already holds %u wrap keys, each kept %u days after its rotation for the bundles still on their way",
		    FERRY_WRAP_KEYS_MAX, FERRY_WRAP_TRANSIT_DAYS);
	if (ferry_vault_add_relay_key(d->v) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot add a relay key");
	return ferry_desk_save(d, e);
}

int ferry_desk_log_append(ferry_desk *d, const char *text, ferry_err *e)
{
	uint64_t count = d->v->log_count;
	uint8_t head[FERRY_HASH_LEN];
	memcpy(head, d->v->log_head, sizeof head);
	if (ferry_log_append(d->log_path, d->v->log_key, d->desk_id, &count, head,
	                     text) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot write the log entry: %s",
		                  strerror(errno));
	d->v->log_count = count;
	memcpy(d->v->log_head, head, sizeof head);
	return FERRY_OK;
}

int ferry_desk_log_verify(ferry_desk *d, ferry_log_visit_fn visit, void *u,
                          uint64_t *count, ferry_err *e)
{
	ferry_log_state st;
	*count = 0;
	if (ferry_log_walk(d->log_path, d->v->log_key, d->desk_id, d->v->log_count,
	                   d->v->log_head, visit, u, &st, e) != 0)
		return ferry_err_prefix(e, "log verification failed");
	*count = st.count;
	if (st.count < d->v->log_count)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "log verification failed: the log has %llu entries but the vault recorded %llu: entries were cut off",
		    (unsigned long long)st.count, (unsigned long long)d->v->log_count);
	if (!st.head_matched)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "log verification failed: the chain does not reach the head the vault recorded: the log was replaced or rewritten");
	if (st.count > d->v->log_count)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "the log has %llu entries the vault has not recorded (an interrupted open): run 'ferry-desk open' to finish it",
		    (unsigned long long)(st.count - d->v->log_count));
	if (st.torn_tail)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "the log ends with a partial entry (an interrupted write): run 'ferry-desk open' to repair it");
	return FERRY_OK;
}
