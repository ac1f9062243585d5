#include "fileio.h"

#include "i18n.h"
#include "io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int ferry_write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

ssize_t ferry_read_full(int fd, uint8_t *p, size_t n)
{
	return ferry_read_all(ferry_read_fd, &fd, p, n);
}

int ferry_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc == 0 ? 0 : -1;
}

int ferry_path_within(const char *path, const char *root)
{
	size_t n = strlen(root);
	return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

void ferry_dirname(char *out, size_t cap, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		snprintf(out, cap, ".");
	} else if (slash == path) {
		snprintf(out, cap, "/");
	} else {
		snprintf(out, cap, "%.*s", (int)(slash - path), path);
	}
}

const char *ferry_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

void ferry_random_name(char *out, size_t n)
{
	static const char A[] = "0123456789abcdefghjkmnpqrstvwxyz";
	uint8_t r[64];
	/* One draw per 64 characters, not one per character; 32 divides 256,
	 * so the low five bits of a uniform byte are uniform. */
	for (size_t i = 0; i < n; i += sizeof r) {
		size_t k = n - i < sizeof r ? n - i : sizeof r;
		randombytes_buf(r, k);
		for (size_t j = 0; j < k; j++)
			out[i + j] = A[r[j] & 31];
	}
	sodium_memzero(r, sizeof r);
	out[n] = '\0';
}

void ferry_start_writeback(int fd, uint64_t *flushed, uint64_t written)
{
	if (written - *flushed >= ((uint64_t)8 << 20)) {
		(void)sync_file_range(fd, (off_t)*flushed, (off_t)(written - *flushed),
		                      SYNC_FILE_RANGE_WRITE);
		*flushed = written;
	}
}

int ferry_tmp_open(const char *dir, mode_t mode, char *tmp_path, size_t cap)
{
	for (int tries = 0; tries < 16; tries++) {
		char name[24];
		ferry_random_name(name, 16);
		if (ferry_path_fmt(tmp_path, cap, "%s/.tmp-%s", dir, name) != 0)
			return -1; /* errno ENAMETOOLONG */
		int fd = open(tmp_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (fd >= 0) {
			/* Held until the file is committed or removed: a temp
			 * file nobody holds is one a crash left behind. */
			if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
				ferry_tmp_abort(fd, tmp_path);
				return -1;
			}
			return fd;
		}
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

void ferry_tmp_abort(int fd, const char *tmp_path)
{
	int saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp_path);
	errno = saved;
}

int ferry_tmp_commit(int fd, const char *tmp_path, const char *final_path,
                     int no_replace)
{
	char dir[FERRY_PATH_MAX];
	if (fsync(fd) != 0) {
		ferry_tmp_abort(fd, tmp_path);
		return -1;
	}
	/* The file is put in place while it is still open, and so still
	 * locked: a sweep never takes a temp file that is being committed. */
	int rc, saved;
	if (no_replace) {
		/* link() fails with EEXIST instead of replacing. */
		rc = link(tmp_path, final_path);
		saved = errno;
		unlink(tmp_path);
	} else {
		rc = rename(tmp_path, final_path);
		saved = errno;
		if (rc != 0)
			unlink(tmp_path);
	}
	if (close(fd) != 0 && rc == 0) {
		saved = errno;
		rc = -1;
	}
	errno = saved;
	if (rc != 0)
		return -1;
	ferry_dirname(dir, sizeof dir, final_path);
	return ferry_fsync_dir(dir);
}

int ferry_atomic_write(const char *path, const uint8_t *data, size_t len, mode_t mode,
                       int no_replace)
{
	char dir[FERRY_PATH_MAX], tmp[FERRY_PATH_MAX];
	ferry_dirname(dir, sizeof dir, path);
	int fd = ferry_tmp_open(dir, mode, tmp, sizeof tmp);
	if (fd < 0)
		return -1;
	if (ferry_write_all(fd, data, len) != 0) {
		ferry_tmp_abort(fd, tmp);
		return -1;
	}
	return ferry_tmp_commit(fd, tmp, path, no_replace);
}

int ferry_write_new(const char *path, const uint8_t *data, size_t len, mode_t mode,
                    ferry_err *e)
{
	if (ferry_atomic_write(path, data, len, mode, 1) == 0)
		return FERRY_OK;
	return ferry_fail(e, FERRY_EOP, "cannot write '%s': %s", path,
	                  errno == EEXIST ? ferry_tr("it already exists")
	                                  : strerror(errno));
}

int ferry_path_fmt(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, cap, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cap) {
		if (cap)
			out[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int ferry_path_join(char *out, size_t cap, const char *a, const char *b)
{
	return ferry_path_fmt(out, cap, "%s/%s", a, b);
}

/* Why st is not an acceptable input, or NULL. */
static const char *not_regular(const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return N_("is a folder, not a file");
	if (!S_ISREG(st->st_mode))
		return N_("is not a regular file");
	return NULL;
}

static int open_input(const char *path, struct stat *st, const char **why)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		*why = strerror(errno);
		return -1;
	}
	if (fstat(fd, st) != 0) {
		*why = strerror(errno);
		close(fd);
		return -1;
	}
	if ((*why = not_regular(st)) != NULL) {
		close(fd);
		return -1;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		*why = strerror(errno);
		close(fd);
		return -1;
	}
	return fd;
}

int ferry_open_input(const char *path, const char *what, struct stat *st, ferry_err *e)
{
	const char *why = "";
	int fd = open_input(path, st, &why);
	if (fd < 0)
		return ferry_fail(e, FERRY_EOP, "%s '%s': %s", ferry_tr(what), path,
		                  ferry_tr(why));
	return fd;
}

int ferry_open_regular(const char *path, const char *what, ferry_err *e)
{
	struct stat st;
	int fd = ferry_open_input(path, what, &st, e);
	if (fd < 0)
		return FERRY_EOP;
	if (st.st_size == 0) {
		close(fd);
		return ferry_fail(e, FERRY_EOP, "%s '%s': the file is empty", ferry_tr(what),
		                  path);
	}
	return fd;
}

static int read_into(const char *path, size_t max, uint8_t **data, size_t *len,
                     const char *what, ferry_err *e, int secret)
{
	struct stat st;
	const char *why = "";
	*data = NULL;
	*len = 0;
	int fd = open_input(path, &st, &why);
	if (fd < 0)
		return ferry_fail(e, FERRY_EOP, "cannot read %s '%s': %s", ferry_tr(what),
		                  path, ferry_tr(why));
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return ferry_fail(e, FERRY_EOP, "cannot read %s '%s': is too large",
		                  ferry_tr(what), path);
	}
	size_t n = (size_t)st.st_size;
	uint8_t *buf = secret ? sodium_malloc(n + 1) : malloc(n + 1);
	if (!buf) {
		close(fd);
		return ferry_fail(e, FERRY_EOP, "cannot read %s '%s': out of memory",
		                  ferry_tr(what), path);
	}
	ssize_t got = ferry_read_full(fd, buf, n + 1);
	int saved = errno;
	close(fd);
	if (got < 0 || (size_t)got != n) {
		if (secret)
			sodium_free(buf);
		else
			free(buf);
		return ferry_fail(e, FERRY_EOP, "cannot read %s '%s': %s", ferry_tr(what),
		                  path,
		                  got < 0 ? strerror(saved)
		                          : ferry_tr("changed while it was read"));
	}
	buf[n] = 0;
	*data = buf;
	*len = n;
	return FERRY_OK;
}

int ferry_read_file(const char *path, size_t max, uint8_t **data, size_t *len,
                    const char *what, ferry_err *e)
{
	return read_into(path, max, data, len, what, e, 0);
}

int ferry_read_secret_file(const char *path, size_t max, uint8_t **data, size_t *len,
                           const char *what, ferry_err *e)
{
	return read_into(path, max, data, len, what, e, 1);
}

int ferry_mkdir(const char *path, mode_t mode)
{
	struct stat st;
	if (mkdir(path, mode) == 0)
		return 0;
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return -1;
}

int ferry_mkdir_made(const char *path, mode_t mode, int *made)
{
	if (mkdir(path, mode) == 0) {
		*made = 1;
		return 0;
	}
	return ferry_mkdir(path, mode);
}

int ferry_rename_noreplace(const char *src, const char *dst)
{
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, src, AT_FDCWD, dst, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
#endif
	/* A file system (or a libc, as the offline page's) without
	 * RENAME_NOREPLACE: claim dst with an exclusive mkdir, then rename
	 * over that empty folder of our own (a rename replaces only an empty
	 * folder, never one with content). */
	if (mkdir(dst, 0700) != 0)
		return -1;
	if (rename(src, dst) == 0)
		return 0;
	int err = errno;
	(void)rmdir(dst);
	errno = err;
	return -1;
}

int ferry_copy_file(const char *src, const char *dst, const struct timespec *stamp)
{
	char dir[FERRY_PATH_MAX], tmp[FERRY_PATH_MAX];
	uint8_t buf[65536];
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	ferry_dirname(dir, sizeof dir, dst);
	int out = ferry_tmp_open(dir, 0600, tmp, sizeof tmp);
	if (out < 0) {
		close(in);
		return -1;
	}
	for (;;) {
		ssize_t r = ferry_read_full(in, buf, sizeof buf);
		if (r < 0 || (r > 0 && ferry_write_all(out, buf, (size_t)r) != 0)) {
			close(in);
			ferry_tmp_abort(out, tmp);
			return -1;
		}
		if ((size_t)r < sizeof buf)
			break;
	}
	close(in);
	if (stamp) {
		struct timespec ts[2] = {*stamp, *stamp};
		if (futimens(out, ts) != 0) {
			ferry_tmp_abort(out, tmp);
			return -1;
		}
	}
	return ferry_tmp_commit(out, tmp, dst, 1);
}

int ferry_move_file(const char *src, const char *dst)
{
	char dir[FERRY_PATH_MAX];
	struct stat st;
	if (lstat(dst, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	if (rename(src, dst) == 0) {
		ferry_dirname(dir, sizeof dir, dst);
		int rc = ferry_fsync_dir(dir);
		ferry_dirname(dir, sizeof dir, src);
		return (ferry_fsync_dir(dir) == 0 && rc == 0) ? 0 : -1;
	}
	if (errno != EXDEV)
		return -1;
	if (ferry_copy_file(src, dst, NULL) != 0)
		return -1;
	if (unlink(src) != 0)
		return -1;
	ferry_dirname(dir, sizeof dir, src);
	return ferry_fsync_dir(dir);
}

unsigned ferry_tmp_sweep(const char *dir)
{
	unsigned n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		char p[FERRY_PATH_MAX];
		struct stat st, now;
		if (strncmp(de->d_name, ".tmp-", 5) != 0 ||
		    ferry_path_join(p, sizeof p, dir, de->d_name) != 0)
			continue;
		int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		if (fd < 0)
			continue;
		/* Locked: a live writer's. Free: its writer died. */
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    flock(fd, LOCK_EX | LOCK_NB) == 0 && lstat(p, &now) == 0 &&
		    now.st_ino == st.st_ino && now.st_dev == st.st_dev &&
		    unlink(p) == 0)
			n++;
		close(fd);
	}
	closedir(d);
	if (n && ferry_fsync_dir(dir) != 0)
		return n;
	return n;
}

int ferry_remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char child[FERRY_PATH_MAX];
		if ((size_t)snprintf(child, sizeof child, "%s/%s", path, de->d_name) >=
		    sizeof child) {
			rc = -1;
			continue;
		}
		if (ferry_remove_tree(child) != 0)
			rc = -1;
	}
	closedir(d);
	if (rmdir(path) != 0)
		rc = -1;
	return rc;
}
