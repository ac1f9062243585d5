/* Held batches: the relay forwards nothing until enough bundles wait or
 * the oldest has waited long enough, then sends them re-wrapped
 * (crypto/wrap.h), topped up with chaff to a batch-size class, in random
 * order, under one time stamp.
 *
 * A batch's real bundles move from new/ to wrapping/ (a crash before the
 * first wrap puts them back); each is wrapped into wrapped/ (and only
 * then removed from wrapping/), moved to filling/ under a random name,
 * chaff is added, and filling/ becomes sending/ in one rename. A crash
 * after the first wrap leaves a batch that the next run finishes from
 * where it stopped, delivering the bytes already wrapped, never wrapping
 * one twice. Nothing is lost or sent twice, and no half-built batch
 * leaves the relay showing how many real bundles it held. */
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
#include "spool_int.h"

unsigned ferry_batch_class(unsigned n, unsigned fixed)
{
	if (fixed)
		return n == 0 ? fixed : (n + fixed - 1) / fixed * fixed;
	unsigned c = FERRY_BATCH_MIN_CLASS;
	while (c < n && c < FERRY_BATCH_STEP)
		c *= 2;
	if (c >= n)
		return c;
	return (n + FERRY_BATCH_STEP - 1) / FERRY_BATCH_STEP * FERRY_BATCH_STEP;
}

static int grow(ferry_namelist *l, int with_mtimes)
{
	size_t cap = l->cap ? l->cap * 2 : 64;
	void *q = realloc(l->names, cap * sizeof *l->names);
	if (!q)
		return -1;
	l->names = q;
	if (with_mtimes) {
		q = realloc(l->mtimes, cap * sizeof *l->mtimes);
		if (!q)
			return -1;
		l->mtimes = q;
	}
	l->cap = cap;
	return 0;
}

int ferry_spool_list(const char *dir, ferry_namelist *l, int with_mtimes)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *de;
	struct stat st;
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) != FERRY_SPOOL_NAME_LEN)
			continue;
		/* Only regular files are bundles; lstat also keeps a symlink
		 * planted here from being followed. */
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (l->n == l->cap && grow(l, with_mtimes) != 0) {
			closedir(d);
			return -1;
		}
		memcpy(l->names[l->n], de->d_name, FERRY_SPOOL_NAME_LEN + 1);
		if (with_mtimes)
			l->mtimes[l->n] = st.st_mtim.tv_sec;
		l->n++;
	}
	closedir(d);
	return 0;
}

void ferry_namelist_free(ferry_namelist *l)
{
	free(l->names);
	free(l->mtimes);
	memset(l, 0, sizeof *l);
}

/* Fisher-Yates with libsodium's unbiased uniform draw: the order out says
 * nothing about the order in. */
static void shuffle(ferry_namelist *l)
{
	for (size_t i = l->n; i > 1; i--) {
		size_t j = randombytes_uniform((uint32_t)i);
		char t[FERRY_SPOOL_NAME_LEN + 1];
		memcpy(t, l->names[i - 1], sizeof t);
		memcpy(l->names[i - 1], l->names[j], sizeof t);
		memcpy(l->names[j], t, sizeof t);
	}
}

static int sub_path(const ferry_spool *s, const char *sub, char out[FERRY_PATH_MAX])
{
	return ferry_path_join(out, FERRY_PATH_MAX, s->dir, sub);
}

/* Delivers sending/NAME to todir under the same name: a random one,
 * given when the batch was built, so a delivery cut off by a crash is
 * recognized when it is retried and nothing in the spool derives it. */
static int deliver(ferry_spool *s, const char *name, const char *todir, time_t stamp,
                   ferry_err *e)
{
	char src[FERRY_PATH_MAX], dst[FERRY_PATH_MAX];
	struct stat st;
	if (ferry_path_fmt(src, sizeof src, "%s/sending/%s", s->dir, name) != 0 ||
	    ferry_path_join(dst, sizeof dst, todir, name) != 0)
		return ferry_fail(e, FERRY_EOP, "path too long");
	/* Every file of a batch carries the same time stamp. */
	struct timespec ts = {stamp, 0};
	if (lstat(dst, &st) == 0) {
		/* Delivered before a crash: recognized by its name. */
	} else if (link(src, dst) == 0) {
		/* The same file system: the batch's file, whole and durable,
		 * becomes the delivery itself, with no second copy. */
		struct timespec t[2] = {{0, UTIME_OMIT}, ts};
		if (utimensat(AT_FDCWD, dst, t, AT_SYMLINK_NOFOLLOW) != 0 ||
		    ferry_fsync_dir(todir) != 0)
			return ferry_fail(e, FERRY_EOP, "cannot deliver into '%s': %s",
			                  todir, strerror(errno));
	} else if (ferry_copy_file(src, dst, &ts) != 0) {
		return ferry_fail(e, FERRY_EOP, "cannot copy '%s' into '%s': %s", src,
		                  todir, strerror(errno));
	}
	if (unlink(src) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot clear '%s': %s", src,
		                  strerror(errno));
	return FERRY_OK;
}

/* SPOOL/sending.to: where the bundles in sending/ are being delivered.
 * A forward cut off by a crash is finished there, whatever --to the next
 * run names, so no bundle reaches two places. */
static int read_dest(ferry_spool *s, char *out, size_t cap)
{
	char p[FERRY_PATH_MAX];
	uint8_t *b = NULL;
	size_t n = 0;
	if (sub_path(s, "sending.to", p) != 0 ||
	    ferry_read_file(p, FERRY_PATH_MAX - 1, &b, &n, "the forward record",
	                    NULL) != 0)
		return -1;
	int rc = n > 0 && n < cap && !memchr(b, 0, n) ? 0 : -1;
	if (rc == 0)
		memcpy(out, b, n + 1);
	free(b);
	return rc;
}

static int write_dest(ferry_spool *s, const char *todir)
{
	char p[FERRY_PATH_MAX];
	return sub_path(s, "sending.to", p) == 0
	           ? ferry_atomic_write(p, (const uint8_t *)todir, strlen(todir), 0600,
	                                0)
	           : -1;
}

/* Delivers all of sending/, in random order, to where it was going (or
 * to todir when no record says). */
static int deliver_sending(ferry_spool *s, const char *todir, time_t stamp,
                           unsigned *sent, ferry_err *e)
{
	char dir[FERRY_PATH_MAX], pending[FERRY_PATH_MAX];
	ferry_namelist l = {0};
	int rc = FERRY_OK;
	if (sub_path(s, "sending", dir) != 0 || ferry_spool_list(dir, &l, 0) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot read '%s': %s", dir,
		                  strerror(errno));
	const char *to =
	    l.n && read_dest(s, pending, sizeof pending) == 0 ? pending : todir;
	shuffle(&l);
	for (size_t i = 0; i < l.n && rc == FERRY_OK; i++)
		if ((rc = deliver(s, l.names[i], to, stamp, e)) == FERRY_OK)
			(*sent)++;
	ferry_namelist_free(&l);
	/* Delivered: the record of where it went goes too. Its removal need
	 * not be durable: beside an empty sending/ a stale record is unused. */
	if (rc == FERRY_OK && sub_path(s, "sending.to", pending) == 0 &&
	    unlink(pending) == 0)
		(void)!ferry_fsync_dir(s->dir);
	return rc;
}

/* Moves every bundle in from/ to to/ (under a fresh random name each
 * with fresh_names), then makes both renames durable (both folders: a
 * rename durable in one and not the other could lose a bundle on some
 * file systems). */
static int move_all(ferry_spool *s, const char *from, const char *to,
                    const ferry_namelist *l, int fresh_names, ferry_err *e)
{
	char a[FERRY_PATH_MAX], b[FERRY_PATH_MAX], fd_[FERRY_PATH_MAX],
	    td[FERRY_PATH_MAX], rnd[FERRY_SPOOL_NAME_LEN + 1];
	if (sub_path(s, from, fd_) != 0 || sub_path(s, to, td) != 0)
		return ferry_fail(e, FERRY_EOP, "the spool's path is too long");
	for (size_t i = 0; i < l->n; i++) {
		if (fresh_names)
			ferry_memory_random_name(rnd);
		if (ferry_path_join(a, sizeof a, fd_, l->names[i]) != 0 ||
		    ferry_path_join(b, sizeof b, td, fresh_names ? rnd : l->names[i]) != 0 ||
		    rename(a, b) != 0)
			return ferry_fail(e, FERRY_EOP,
			                  "cannot move '%s' into '%s': %s", a, td,
			                  strerror(errno));
	}
	if (ferry_fsync_dir(td) != 0 || ferry_fsync_dir(fd_) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot make the spool durable: %s",
		                  strerror(errno));
	return FERRY_OK;
}

/* A folder of the spool, made if missing (durably). */
static int sub_dir(ferry_spool *s, const char *sub, char out[FERRY_PATH_MAX],
                   ferry_err *e)
{
	struct stat st;
	if (sub_path(s, sub, out) != 0)
		return ferry_fail(e, FERRY_EOP, "the spool's path is too long");
	if (lstat(out, &st) != 0) {
		if (errno != ENOENT || mkdir(out, 0700) != 0 ||
		    ferry_fsync_dir(s->dir) != 0)
			return ferry_fail(e, FERRY_EOP, "cannot make '%s': %s", out,
			                  strerror(errno));
	} else if (!S_ISDIR(st.st_mode)) {
		return ferry_fail_hint(
		    e, FERRY_EOP, "move it away; the spool keeps only folders there",
		    "'%s' is not a folder", out);
	}
	return FERRY_OK;
}

/* Wraps every bundle of wrapping/ into wrapped/ under its name, then
 * removes it from wrapping/. One whose output is already there was
 * wrapped before a crash: it is not wrapped again. */
static int wrap_all(ferry_spool *s, ferry_err *e)
{
	char in_dir[FERRY_PATH_MAX], out_dir[FERRY_PATH_MAX];
	char src[FERRY_PATH_MAX], dst[FERRY_PATH_MAX];
	ferry_namelist l = {0};
	struct stat st;
	int rc = sub_dir(s, "wrapping", in_dir, e);
	if (rc == FERRY_OK)
		rc = sub_dir(s, "wrapped", out_dir, e);
	if (rc != FERRY_OK)
		return rc;
	if (ferry_spool_list(in_dir, &l, 0) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot read '%s': %s", in_dir,
		                  strerror(errno));
	for (size_t i = 0; i < l.n && rc == FERRY_OK; i++) {
		if (ferry_path_join(src, sizeof src, in_dir, l.names[i]) != 0 ||
		    ferry_path_join(dst, sizeof dst, out_dir, l.names[i]) != 0) {
			rc = ferry_fail(e, FERRY_EOP, "the spool's path is too long");
			break;
		}
		if (lstat(dst, &st) != 0)
			rc = ferry_spool_rewrap(s, src, dst, e);
		if (rc == FERRY_OK && unlink(src) != 0)
			rc = ferry_fail(e, FERRY_EOP, "cannot clear '%s': %s", src,
			                strerror(errno));
	}
	ferry_namelist_free(&l);
	/* The inputs' removal is durable before their outputs leave
	 * wrapped/: an input back after a crash would be wrapped twice. */
	if (rc == FERRY_OK && ferry_fsync_dir(in_dir) != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot make the spool durable: %s",
		                strerror(errno));
	return rc;
}
/* What waits in new/ and how long the oldest has waited. */
static int survey(ferry_spool *s, ferry_namelist *l, uint64_t now, uint64_t *oldest_age,
                  ferry_err *e)
{
	char dir[FERRY_PATH_MAX];
	*oldest_age = 0;
	if (sub_path(s, "new", dir) != 0 || ferry_spool_list(dir, l, 1) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot read '%s': %s", dir,
		                  strerror(errno));
	for (size_t i = 0; i < l->n; i++) {
		uint64_t t = l->mtimes[i] > 0 ? (uint64_t)l->mtimes[i] : 0;
		if (now > t && now - t > *oldest_age)
			*oldest_age = now - t;
	}
	return FERRY_OK;
}

static unsigned count_files(const char *dir)
{
	ferry_namelist l = {0};
	unsigned n = ferry_spool_list(dir, &l, 0) == 0 ? (unsigned)l.n : 0;
	ferry_namelist_free(&l);
	return n;
}

/* Finishes the batch whose real bundles are in wrapping/ (or already
 * wrapped): wraps them, gives them random names in filling/, tops it up
 * with chaff to its class, records where it goes and turns it into
 * sending/. Run on a new batch and on one a crash interrupted alike:
 * every step finds where the last one stopped. A batch is the class of
 * its size: with k files in filling/, real and chaff, the class of k is
 * the class of its real count, so a rerun tops it up to the same. */
static int finish_batch(ferry_spool *s, const ferry_batch_policy *p, const char *todir,
                        unsigned *chaff, ferry_err *e)
{
	char filling[FERRY_PATH_MAX], wrapped[FERRY_PATH_MAX], sending[FERRY_PATH_MAX];
	ferry_namelist l = {0};
	int rc = sub_dir(s, "filling", filling, e);
	if (rc == FERRY_OK)
		rc = wrap_all(s, e);
	if (rc != FERRY_OK)
		return rc;
	if (sub_path(s, "wrapped", wrapped) != 0 ||
	    ferry_spool_list(wrapped, &l, 0) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot read the spool: %s",
		                  strerror(errno));
	rc = l.n ? move_all(s, "wrapped", "filling", &l, 1, e) : FERRY_OK;
	ferry_namelist_free(&l);
	if (rc != FERRY_OK)
		return rc;
	unsigned have = count_files(filling);
	unsigned total = ferry_batch_class(have, p->batch_size);
	if ((rc = ferry_spool_chaff_into(s, "filling", total - have, chaff, e)) !=
	    FERRY_OK)
		return rc;
	if (sub_path(s, "sending", sending) != 0)
		return ferry_fail(e, FERRY_EOP, "the spool's path is too long");
	if (write_dest(s, todir) != 0)
		return ferry_fail(e, FERRY_EOP,
		                  "cannot record where the bundles go: %s",
		                  strerror(errno));
	/* sending/ is empty here; rename replaces an empty folder. */
	if (rename(filling, sending) != 0 || ferry_fsync_dir(s->dir) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot start sending the batch: %s",
		                  strerror(errno));
	return FERRY_OK;
}

static unsigned count_sub(ferry_spool *s, const char *sub)
{
	char d[FERRY_PATH_MAX];
	return sub_path(s, sub, d) == 0 ? count_files(d) : 0;
}

/* SPOOL/last-batch: the hour (since 1970) the last batch was committed,
 * which paces cover. It says no more than the batch's own time stamp,
 * which every file of it carries downstream. 0 when none or unreadable
 * (cover then goes). */
static uint64_t last_batch_hour(ferry_spool *s)
{
	char p[FERRY_PATH_MAX], text[24];
	uint8_t *b = NULL;
	size_t n = 0;
	uint64_t h = 0;
	if (sub_path(s, "last-batch", p) != 0 ||
	    ferry_read_file(p, sizeof text - 1, &b, &n, "the last batch's hour",
	                    NULL) != 0)
		return 0;
	memcpy(text, b, n);
	text[n] = '\0';
	free(b);
	char *end = NULL;
	unsigned long long v = strtoull(text, &end, 10);
	if (end != text && (*end == '\n' || *end == '\0'))
		h = v;
	return h;
}

/* Best effort: a lost record only lets the next cover go early. */
static void note_batch_hour(ferry_spool *s, uint64_t hour)
{
	char p[FERRY_PATH_MAX], text[24];
	int n = snprintf(text, sizeof text, "%llu\n", (unsigned long long)hour);
	if (n > 0 && sub_path(s, "last-batch", p) == 0)
		(void)!ferry_atomic_write(p, (const uint8_t *)text, (size_t)n, 0600, 0);
}

/* What a crash left of a batch being built. Before anything was wrapped
 * or made (wrapped/ and filling/ empty) its real bundles go back to new/:
 * the moves out of new/ may have been cut off part way, and nothing of
 * the batch exists yet. After it, the batch is finished and sent, its
 * wrapped bundles as they were written. */
static int resume_batch(ferry_spool *s, const ferry_batch_policy *p, const char *todir,
                        time_t stamp, unsigned *resumed, ferry_err *e)
{
	unsigned more = 0;
	if (count_sub(s, "wrapped") == 0 && count_sub(s, "filling") == 0) {
		char d[FERRY_PATH_MAX];
		ferry_namelist l = {0};
		if (sub_path(s, "wrapping", d) != 0 ||
		    ferry_spool_list(d, &l, 0) != 0) {
			ferry_namelist_free(&l);
			return errno == ENOENT ? FERRY_OK
			                       : ferry_fail(e, FERRY_EOP,
			                                    "cannot read the spool: %s",
			                                    strerror(errno));
		}
		int rc = l.n ? move_all(s, "wrapping", "new", &l, 0, e) : FERRY_OK;
		ferry_namelist_free(&l);
		return rc;
	}
	int rc = finish_batch(s, p, todir, &more, e);
	return rc == FERRY_OK ? deliver_sending(s, todir, stamp, resumed, e) : rc;
}

/* Gives every file and folder of the spool this run's change time, and
 * its modification time too except a waiting bundle's (its hour of
 * arrival): after a forward nothing in the spool carries the time of an
 * accept before it. Records and keys are rewritten whole when the spool
 * closes. Depth 3 reaches SPOOL/memory/EPOCH/records. */
static void restamp(const char *dir, int depth, int keep_mtimes)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		char p[FERRY_PATH_MAX];
		struct stat st;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    ferry_path_join(p, sizeof p, dir, de->d_name) != 0 ||
		    lstat(p, &st) != 0 || S_ISLNK(st.st_mode))
			continue;
		if (S_ISDIR(st.st_mode) && depth > 0)
			restamp(p, depth - 1, !strcmp(de->d_name, "new"));
		struct timespec t[2] = {{0, UTIME_OMIT}, st.st_mtim};
		(void)utimensat(AT_FDCWD, p, keep_mtimes && S_ISREG(st.st_mode) ? t : NULL,
		                AT_SYMLINK_NOFOLLOW);
	}
	closedir(d);
	(void)utimensat(AT_FDCWD, dir, NULL, AT_SYMLINK_NOFOLLOW);
}

int ferry_spool_forward(ferry_spool *s, const char *todir, const ferry_batch_policy *p,
                        ferry_forward_result *r, ferry_err *e)
{
	char real[PATH_MAX];
	ferry_namelist l = {0};
	struct stat st;
	uint64_t age;
	memset(r, 0, sizeof *r);
	if (stat(todir, &st) != 0 || !S_ISDIR(st.st_mode) || !realpath(todir, real))
		return ferry_fail(e, FERRY_EOP, "--to '%s' is not a folder", todir);
	uint64_t now = ferry_now();
	time_t stamp = (time_t)(now / 3600 * 3600);
	(void)ferry_tmp_sweep(real);

	/* First what a crash interrupted: a batch being delivered is
	 * finished, where it was going; one being built is finished and
	 * sent, or put back if nothing of it was made yet. */
	int rc = deliver_sending(s, real, stamp, &r->resumed, e);
	if (rc == FERRY_OK)
		rc = resume_batch(s, p, real, stamp, &r->resumed, e);
	if (rc == FERRY_OK)
		rc = survey(s, &l, now, &age, e);
	if (rc != FERRY_OK)
		goto out;
	int release = l.n > 0 && (l.n >= p->min_batch ||
	                          age >= (uint64_t)p->max_wait_hours * 3600);
	if (!release) {
		r->held = (unsigned)l.n;
		if (!p->cover)
			goto out;
		/* Cover at the rate the desk set: none while a batch left
		 * within the last cover_hours hours. */
		uint64_t last = last_batch_hour(s), hour = now / 3600;
		if (last && hour < last + s->cred.cover_hours) {
			r->cover_wait = (unsigned)(last + s->cred.cover_hours - hour);
			goto out;
		}
		l.n = 0; /* a cover batch: chaff only, the real ones stay held */
	}
	if (l.n > UINT_MAX / 2) {
		rc = ferry_fail(e, FERRY_EOP, "too many bundles waiting for one batch");
		goto out;
	}
	/* The real bundles leave new/ in one durable step; from there on a
	 * crash leaves a batch that the next run finishes. */
	char wrapping[FERRY_PATH_MAX];
	if ((rc = sub_dir(s, "wrapping", wrapping, e)) != FERRY_OK ||
	    (l.n && (rc = move_all(s, "new", "wrapping", &l, 0, e)) != FERRY_OK))
		goto out;
	if ((rc = finish_batch(s, p, real, &r->chaff, e)) == FERRY_OK)
		note_batch_hour(s, now / 3600);
	if (rc != FERRY_OK) {
		(void)ferry_hint(e, "run the forward again: it finishes the batch");
		goto out;
	}
	r->real = (unsigned)l.n;
	rc = deliver_sending(s, real, stamp, &r->sent, e);
out:
	ferry_namelist_free(&l);
	restamp(s->dir, 3, 0);
	return rc;
}
