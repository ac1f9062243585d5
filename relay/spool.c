#include "spool_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/clock.h"
#include "../crypto/bundle.h"

/* Reads and verifies a credential file; c is in sodium_malloc memory. */
static int load_credential(ferry_credential *c, const char *path, ferry_err *e)
{
	uint8_t *bytes = NULL;
	size_t len = 0;
	if (ferry_read_secret_file(path, FERRY_CREDENTIAL_TEXT_MAX, &bytes, &len,
	                           "the relay credential", e) != FERRY_OK)
		return FERRY_EOP;
	int rc = ferry_credential_parse(c, (const char *)bytes, len, e);
	sodium_free(bytes);
	if (rc != FERRY_OK)
		return ferry_err_prefix(e, "'%s'", path);
	return FERRY_OK;
}

/* A credential as init and renew take it: its signature checked, then
 * its key's fingerprint against the one the investigator checked out of
 * band. */
static int load_vouched(ferry_credential *c, const char *path, const char *fingerprint,
                        ferry_err *e)
{
	int rc = load_credential(c, path, e);
	return rc != FERRY_OK ? rc
	                      : ferry_fingerprint_check(fingerprint, c->identity_pk,
	                                                "relay credential", e);
}

int ferry_spool_renew(const char *dir, const char *credential_path,
                      const char *fingerprint, ferry_err *e)
{
	char p[FERRY_PATH_MAX];
	ferry_credential *c = sodium_malloc(sizeof *c), *old = sodium_malloc(sizeof *old);
	uint8_t *bytes = NULL;
	size_t len = 0;
	ferry_err ignored;
	int rc;
	if (!c || !old) {
		rc = ferry_fail(e, FERRY_EOP, "out of memory");
		goto out;
	}
	if ((rc = load_vouched(c, credential_path, fingerprint, e)) != FERRY_OK)
		goto out;
	if (ferry_path_join(p, sizeof p, dir, "credential") != 0) {
		rc = ferry_fail(e, FERRY_EOP, "the spool's path is too long");
		goto out;
	}
	struct stat st;
	if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = ferry_fail_hint(e, FERRY_EUSAGE,
		                     "name the folder 'ferry-relay init' made",
		                     "'%s' is not a relay spool (it has no credential)", dir);
		goto out;
	}
	/* The one there may be too old to read (from before wrap keys); one
	 * that reads must be the same desk's. */
	if (load_credential(old, p, &ignored) == FERRY_OK &&
	    sodium_memcmp(old->identity_pk, c->identity_pk, FERRY_ID_PK_LEN) != 0) {
		rc = ferry_fail_hint(e, FERRY_EUSAGE,
		                     "make a new spool for it with 'ferry-relay init'",
		                     "this credential is another desk's than the spool's");
		goto out;
	}
	if (ferry_read_secret_file(credential_path, FERRY_CREDENTIAL_TEXT_MAX, &bytes, &len,
	                           "the relay credential", e) != FERRY_OK) {
		rc = FERRY_EOP;
		goto out;
	}
	if (ferry_atomic_write(p, bytes, len, 0600, 0) != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot write '%s': %s", p, strerror(errno));
out:
	if (bytes)
		sodium_free(bytes);
	if (c)
		sodium_free(c);
	if (old)
		sodium_free(old);
	return rc;
}

/* The folders init makes beside the memory (relay/memory.c makes that). */
static const char *const SUBDIRS[] = {"tmp", "new", "sending"};

/* Takes away a spool that init could not finish: it made the folder in
 * this run (init refuses one that exists), so everything named here is
 * its own, and a half-made spool would refuse the retry. rmdir leaves a
 * folder anyone else put something in. */
static void unmake_spool(const char *dir)
{
	static const char *const files[] = {"credential", "keep-days"};
	char p[FERRY_PATH_MAX];
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		if (ferry_path_join(p, sizeof p, dir, files[i]) == 0)
			(void)unlink(p);
	if (ferry_path_join(p, sizeof p, dir, "memory") == 0)
		(void)rmdir(p);
	for (size_t i = 0; i < sizeof SUBDIRS / sizeof SUBDIRS[0]; i++)
		if (ferry_path_join(p, sizeof p, dir, SUBDIRS[i]) == 0)
			(void)rmdir(p);
	(void)rmdir(dir);
}

static int fill_spool(const char *dir, const char *credential_path, unsigned keep_days,
                      ferry_err *e)
{
	char p[FERRY_PATH_MAX];
	if (chmod(dir, 0700) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot make '%s' private: %s", dir,
		                  strerror(errno));
	for (size_t i = 0; i < sizeof SUBDIRS / sizeof SUBDIRS[0]; i++)
		if (ferry_path_join(p, sizeof p, dir, SUBDIRS[i]) != 0 ||
		    ferry_mkdir(p, 0700) != 0)
			return ferry_fail(e, FERRY_EOP, "cannot create '%s': %s", p,
			                  strerror(errno));
	int ok = ferry_path_join(p, sizeof p, dir, "credential") == 0 &&
	         ferry_copy_file(credential_path, p, NULL) == 0;
	if (!ok)
		return ferry_fail(e, FERRY_EOP,
		                  "cannot write the spool's files in '%s': %s", dir,
		                  strerror(errno));
	return ferry_memory_create(dir, keep_days, e);
}

static int make_spool(const char *dir, const char *credential_path, unsigned keep_days,
                      ferry_err *e)
{
	if (mkdir(dir, 0700) != 0)
		return errno == EEXIST
		           ? ferry_fail(e, FERRY_EOP,
		                        "'%s' already exists; refusing to overwrite it", dir)
		           : ferry_fail(e, FERRY_EOP, "cannot create '%s': %s", dir,
		                        strerror(errno));
	int rc = fill_spool(dir, credential_path, keep_days, e);
	if (rc != FERRY_OK)
		unmake_spool(dir);
	return rc;
}

int ferry_spool_init(const char *dir, const char *credential_path,
                     const char *fingerprint, unsigned keep_days, ferry_err *e)
{
	struct stat st;
	ferry_credential *c = sodium_malloc(sizeof *c);
	int rc;
	if (!c)
		return ferry_fail(e, FERRY_EOP, "out of memory");
	if ((rc = load_vouched(c, credential_path, fingerprint, e)) != FERRY_OK)
		goto out;
	if (stat(dir, &st) == 0) {
		rc = ferry_fail(e, FERRY_EOP,
		                "'%s' already exists; refusing to overwrite it", dir);
		goto out;
	}
	if (keep_days < 1 || keep_days > FERRY_KEEP_DAYS_MAX) {
		rc = ferry_fail(e, FERRY_EUSAGE, "--keep-days takes 1 to %d",
		                FERRY_KEEP_DAYS_MAX);
		goto out;
	}
	rc = make_spool(dir, credential_path, keep_days, e);
out:
	sodium_free(c);
	return rc;
}

int ferry_spool_open(ferry_spool **out, const char *dir, ferry_err *e)
{
	char p[FERRY_PATH_MAX];
	struct stat st;
	*out = NULL;
	ferry_spool *s = sodium_malloc(sizeof *s);
	if (!s)
		return ferry_fail(e, FERRY_EOP, "out of memory");
	memset(s, 0, sizeof *s);
	int rc = FERRY_EOP;
	if (ferry_path_fmt(s->dir, sizeof s->dir, "%s", dir) != 0) {
		ferry_fail(e, FERRY_EOP, "the spool's path is too long");
		goto fail;
	}
	if (ferry_path_join(p, sizeof p, dir, "credential") != 0 ||
	    lstat(p, &st) != 0) {
		char old[FERRY_PATH_MAX];
		/* A spool from before relay credentials kept the shared relay key
		 * in a "profile" file. */
		if (ferry_path_join(old, sizeof old, dir, "profile") == 0 &&
		    lstat(old, &st) == 0)
			ferry_fail_hint(
			    e, FERRY_EUSAGE,
			    "forward what waits in it with the old ferry-relay, ask the journalist for a relay credential ('ferry-desk relay-credential'), and create a new spool with 'ferry-relay init SPOOL --credential FILE --desk FINGERPRINT'",
			    "'%s' was made from a relay profile, which ferry no longer uses: it let any holder of a seal code recognise the desk's traffic",
			    dir);
		else
			ferry_fail_hint(e, FERRY_EOP,
			                "create one with 'ferry-relay init'",
			                "'%s' is not a relay spool", dir);
		goto fail;
	}
	if ((rc = load_credential(&s->cred, p, e)) != FERRY_OK) {
		ferry_err_prefix(e, "the spool's credential");
		goto fail;
	}
	if ((rc = ferry_memory_open(&s->mem, dir, ferry_now(), e)) != FERRY_OK)
		goto fail;
	/* Spools from before the credential's chaff table kept a histogram
	 * of accepted lengths per epoch: a record of traffic, gone now. */
	for (unsigned back = 0; back < 2; back++) {
		char ep[FERRY_PATH_MAX];
		if (ferry_memory_epoch_dir(&s->mem, back, ep, sizeof ep) == 0 &&
		    ferry_path_join(p, sizeof p, ep, "sizes") == 0)
			(void)unlink(p);
	}
	/* What a crash or a full disk left half-written. */
	if (ferry_path_join(p, sizeof p, dir, "tmp") == 0)
		(void)ferry_tmp_sweep(p);
	(void)ferry_tmp_sweep(dir);
	*out = s;
	return FERRY_OK;
fail:
	ferry_memory_close(&s->mem);
	sodium_free(s);
	return e && e->code != FERRY_OK ? e->code : (rc == FERRY_OK ? FERRY_EOP : rc);
}

int ferry_spool_close(ferry_spool *s)
{
	if (!s)
		return 0;
	/* Every run rewrites the records and keys, whether or not it added
	 * any, so none of them keeps the time of the accept that wrote it. */
	int rc = ferry_memory_save(&s->mem);
	ferry_memory_close(&s->mem);
	sodium_free(s);
	return rc;
}

/* Streams fd through the relay tag check, optionally copying to out_fd
 * and hashing into h. */
static int check_stream(const ferry_relay_keys *keys, int fd, uint64_t size, int out_fd,
                        crypto_generichash_state *h, ferry_err *e)
{
	uint8_t buf[65536], tail[FERRY_RELAYTAG_LEN];
	ferry_relaycheck rc_st;
	uint64_t left, flushed = 0;
	int rc = FERRY_EVERIFY;
	if (!ferry_bundle_len_valid(size))
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "its length (%llu bytes) is not a bundle length: cut short, padded, or not a bundle",
		    (unsigned long long)size);
	ssize_t got = ferry_read_full(fd, buf, FERRY_EPK_LEN);
	if (got < 0)
		return ferry_fail(e, FERRY_EOP, "cannot read it: %s", strerror(errno));
	if (got != FERRY_EPK_LEN)
		return ferry_fail(e, FERRY_EVERIFY, "it is cut short");
	if (ferry_relaycheck_init(&rc_st, keys, buf, size) != 0) {
		ferry_relaycheck_wipe(&rc_st);
		return ferry_fail(e, FERRY_EVERIFY,
		                  "its first bytes are no bundle's ephemeral key");
	}
	if (ferry_relaycheck_update(&rc_st, buf, FERRY_EPK_LEN) != 0) {
		ferry_relaycheck_wipe(&rc_st);
		return ferry_fail(e, FERRY_EOP, "internal error");
	}
	if (h)
		crypto_generichash_update(h, buf, FERRY_EPK_LEN);
	if (out_fd >= 0 && ferry_write_all(out_fd, buf, FERRY_EPK_LEN) != 0) {
		rc = ferry_fail(e, FERRY_EOP, "cannot write to the spool: %s",
		                strerror(errno));
		goto out;
	}
	left = size - FERRY_EPK_LEN - FERRY_RELAYTAG_LEN;
	while (left > 0) {
		size_t want = left > sizeof buf ? sizeof buf : (size_t)left;
		if ((got = ferry_read_full(fd, buf, want)) != (ssize_t)want) {
			rc = got < 0 ? ferry_fail(e, FERRY_EOP, "cannot read it: %s",
			                          strerror(errno))
			             : ferry_fail(e, FERRY_EVERIFY,
			                          "it changed while it was read");
			goto out;
		}
		if (ferry_relaycheck_update(&rc_st, buf, want) != 0) {
			rc = ferry_fail(e, FERRY_EOP, "internal error");
			goto out;
		}
		if (h)
			crypto_generichash_update(h, buf, want);
		if (out_fd >= 0 && ferry_write_all(out_fd, buf, want) != 0) {
			rc = ferry_fail(e, FERRY_EOP, "cannot write to the spool: %s",
			                strerror(errno));
			goto out;
		}
		left -= want;
		if (out_fd >= 0)
			ferry_start_writeback(out_fd, &flushed, size - FERRY_RELAYTAG_LEN - left);
	}
	if ((got = ferry_read_full(fd, tail, sizeof tail)) != (ssize_t)sizeof tail ||
	    (got = ferry_read_full(fd, buf, 1)) != 0) {
		rc = got < 0 ? ferry_fail(e, FERRY_EOP, "cannot read it: %s", strerror(errno))
		             : ferry_fail(e, FERRY_EVERIFY, "it changed while it was read");
		goto out;
	}
	/* What is stored carries the tag under the newest relay key, so that
	 * a bundle sealed before a rotation leaves this relay like every
	 * other: the next relay may hold the newest key alone. */
	if (ferry_relaycheck_verify_retag(&rc_st, tail, tail) != 0) {
		rc = ferry_fail(
		    e, FERRY_EVERIFY,
		    "its relay tag does not verify: altered, damaged, or not sealed for this desk");
		goto out;
	}
	if (h)
		crypto_generichash_update(h, tail, sizeof tail);
	if (out_fd >= 0 && ferry_write_all(out_fd, tail, sizeof tail) != 0) {
		rc = ferry_fail(e, FERRY_EOP, "cannot write to the spool: %s",
		                strerror(errno));
		goto out;
	}
	rc = FERRY_OK;
out:
	ferry_relaycheck_wipe(&rc_st);
	return rc;
}

int ferry_relay_check_fd(const ferry_relay_keys *keys, int fd, uint64_t size,
                         ferry_err *e)
{
	return check_stream(keys, fd, size, -1, NULL, e);
}

/* A temp file in SPOOL/tmp/, held (flocked) until it is committed or
 * aborted; tmp gets its path. */
static int open_tmp(const ferry_spool *s, char tmp[FERRY_PATH_MAX], ferry_err *e)
{
	char dir[FERRY_PATH_MAX];
	if (ferry_path_join(dir, sizeof dir, s->dir, "tmp") != 0) {
		ferry_fail(e, FERRY_EOP, "the spool's path is too long");
		return -1;
	}
	int fd = ferry_tmp_open(dir, 0600, tmp, FERRY_PATH_MAX);
	if (fd < 0)
		ferry_fail(e, FERRY_EOP, "cannot write to the spool: %s",
		           strerror(errno));
	return fd;
}

/* Stores the checked bundle of size bytes in the temp file out as
 * SPOOL/sub/NAME, NAME from its prefix and tag read back from the copy;
 * refuses an exact duplicate, then remembers it. The temp file is gone
 * on every path. */
static int store_copy(ferry_spool *s, int out, const char *tmp, uint64_t size,
                      const char *sub_dir, char name[FERRY_SPOOL_NAME_LEN + 1],
                      ferry_err *e)
{
	char dst[FERRY_PATH_MAX], sub[FERRY_PATH_MAX];
	uint8_t prefix[FERRY_PREFIX_LEN], tag[FERRY_MAC_LEN];
	struct stat st;
	if (pread(out, prefix, sizeof prefix, 0) != (ssize_t)sizeof prefix ||
	    pread(out, tag, sizeof tag, (off_t)(size - sizeof tag)) != (ssize_t)sizeof tag) {
		ferry_fail(e, FERRY_EOP, "cannot read back the copy: %s",
		           strerror(errno));
		ferry_tmp_abort(out, tmp);
		return FERRY_EOP;
	}
	ferry_memory_name(&s->mem, 0, prefix, tag, name);
	/* What goes into a batch (filling/) takes a random name, as the
	 * real bundles moved there do: the names a forward writes come from
	 * nothing the spool keeps. */
	char fname[FERRY_SPOOL_NAME_LEN + 1];
	if (strcmp(sub_dir, "filling") == 0)
		ferry_memory_random_name(fname);
	else
		memcpy(fname, name, sizeof fname);
	if (ferry_path_fmt(sub, sizeof sub, "%s/sending/%s", s->dir, name) != 0 ||
	    ferry_path_fmt(dst, sizeof dst, "%s/%s/%s", s->dir, sub_dir, fname) != 0) {
		ferry_tmp_abort(out, tmp);
		return ferry_fail(e, FERRY_EOP, "the spool's path is too long");
	}
	if (ferry_memory_seen(&s->mem, prefix, tag) || lstat(sub, &st) == 0) {
		ferry_tmp_abort(out, tmp);
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "an exact duplicate of a bundle this relay already handled");
	}
	/* A waiting bundle's arrival time, which --max-wait reads, is kept
	 * to the hour. */
	struct timespec when[2] = {{0, UTIME_OMIT}, {(time_t)(ferry_now() / 3600 * 3600), 0}};
	if (futimens(out, when) != 0) {
		ferry_tmp_abort(out, tmp);
		return ferry_fail(e, FERRY_EOP, "cannot store it: %s", strerror(errno));
	}
	if (ferry_tmp_commit(out, tmp, dst, 1) != 0) {
		if (errno == EEXIST)
			return ferry_fail(
			    e, FERRY_EVERIFY,
			    "an exact duplicate of a bundle already waiting");
		return ferry_fail(e, FERRY_EOP, "cannot store it: %s", strerror(errno));
	}
	/* Recorded after it is stored: a crash in between loses no bundle,
	 * it only forgets one (the desk still refuses a duplicate). Chaff
	 * made for a batch leaves as it is: a record of its own name would
	 * let a seizer holding a forwarded file find it here, so it records
	 * a random name, which keeps the count of records what it would be. */
	if (strcmp(sub_dir, "filling") == 0)
		ferry_memory_random_name(name);
	if (ferry_memory_remember(&s->mem, name) != 0)
		return ferry_fail(
		    e, FERRY_EOP,
		    "stored as %.8s..., but it could not be recorded against duplicates: %s",
		    name, strerror(errno));
	return FERRY_OK;
}

/* The credential's relay keys with the one a relay tags its output with
 * today moved last (ferry_relaycheck_verify_retag retags under the last). */
static void out_key_last(const ferry_credential *c, ferry_relay_keys *k)
{
	unsigned o = ferry_credential_out_key(c, ferry_now());
	unsigned j = 0;
	k->n = c->relay.n;
	for (unsigned i = 0; i < c->relay.n; i++)
		if (i != o) {
			memcpy(k->sk[j], c->relay.sk[i], FERRY_X25519_LEN);
			memcpy(k->pk[j++], c->relay.pk[i], FERRY_X25519_LEN);
		}
	memcpy(k->sk[j], c->relay.sk[o], FERRY_X25519_LEN);
	memcpy(k->pk[j], c->relay.pk[o], FERRY_X25519_LEN);
}

int ferry_spool_accept(ferry_spool *s, const char *path,
                       char name[FERRY_SPOOL_NAME_LEN + 1], ferry_err *e)
{
	char tmp[FERRY_PATH_MAX];
	struct stat st;
	name[0] = '\0';
	/* Never blocks on a FIFO; refuses what is not a regular file. */
	int in = ferry_open_input(path, "the bundle", &st, e);
	if (in < 0)
		return FERRY_EOP;
	int out = open_tmp(s, tmp, e);
	if (out < 0) {
		close(in);
		return FERRY_EOP;
	}
	/* One pass: the copy and the relay tag, checked under every key and
	 * stored under the one this relay tags its output with (the last). */
	ferry_relay_keys keys;
	out_key_last(&s->cred, &keys);
	int rc = check_stream(&keys, in, (uint64_t)st.st_size, out, NULL, e);
	sodium_memzero(&keys, sizeof keys);
	close(in);
	if (rc != FERRY_OK) {
		ferry_tmp_abort(out, tmp);
		return rc;
	}
	return store_copy(s, out, tmp, (uint64_t)st.st_size, "new", name, e);
}

/* One chaff bundle of a length drawn from the credential's distribution,
 * stored exactly as accept stores a bundle, so neither its name nor its
 * record tells it apart. */
static int store_chaff(ferry_spool *s, const char *sub, ferry_err *e)
{
	char tmp[FERRY_PATH_MAX], name[FERRY_SPOOL_NAME_LEN + 1];
	uint64_t len = ferry_chaff_draw(&s->cred);
	int out = open_tmp(s, tmp, e);
	if (out < 0)
		return FERRY_EOP;
	int rc = ferry_chaff_seal(&s->cred, len, ferry_write_fd, &out, e);
	if (rc != FERRY_OK) {
		ferry_tmp_abort(out, tmp);
		return rc;
	}
	return store_copy(s, out, tmp, len, sub, name, e);
}

int ferry_spool_chaff_into(ferry_spool *s, const char *sub, unsigned count,
                           unsigned *made, ferry_err *e)
{
	*made = 0;
	for (unsigned i = 0; i < count; i++) {
		int rc = store_chaff(s, sub, e);
		if (rc != FERRY_OK)
			return ferry_err_prefix(e, "chaff");
		(*made)++;
	}
	return FERRY_OK;
}

int ferry_spool_chaff(ferry_spool *s, unsigned count, unsigned *made, ferry_err *e)
{
	return ferry_spool_chaff_into(s, "new", count, made, e);
}

static unsigned count_dir(const char *dir, int tmp_only)
{
	DIR *d = opendir(dir);
	unsigned n = 0;
	if (!d)
		return 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (tmp_only || strlen(de->d_name) == FERRY_SPOOL_NAME_LEN)
			n++;
	}
	closedir(d);
	return n;
}

int ferry_spool_stat(ferry_spool *s, ferry_spool_status *st, ferry_err *e)
{
	char p[FERRY_PATH_MAX];
	memset(st, 0, sizeof *st);
	if (ferry_path_join(p, sizeof p, s->dir, "new") != 0)
		return ferry_fail(e, FERRY_EOP, "the spool's path is too long");
	st->waiting = count_dir(p, 0);
	if (ferry_path_join(p, sizeof p, s->dir, "sending") != 0)
		return ferry_fail(e, FERRY_EOP, "the spool's path is too long");
	st->sending = count_dir(p, 0);
	/* A batch a crash caught while it was built: the next forward
	 * finishes and sends it. */
	static const char *const building[] = {"wrapping", "wrapped", "filling"};
	for (size_t i = 0; i < sizeof building / sizeof *building; i++) {
		if (ferry_path_join(p, sizeof p, s->dir, building[i]) != 0)
			return ferry_fail(e, FERRY_EOP, "the spool's path is too long");
		st->sending += count_dir(p, 0);
	}
	if (ferry_path_join(p, sizeof p, s->dir, "tmp") != 0)
		return ferry_fail(e, FERRY_EOP, "the spool's path is too long");
	st->stale_tmp = count_dir(p, 1);
	st->remembered = ferry_memory_count(&s->mem);
	st->keep_days = s->mem.keep_days;
	return FERRY_OK;
}
