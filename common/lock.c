#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"

/* The process that holds the lock wrote its id into the file. */
static long holder(int fd)
{
	char b[32];
	ssize_t n = pread(fd, b, sizeof b - 1, 0);
	if (n <= 0)
		return 0;
	b[n] = '\0';
	long pid = 0;
	return sscanf(b, "%ld", &pid) == 1 ? pid : 0;
}

int ferry_lock_take(ferry_lock *l, const char *dir, const char *what, int exclusive,
                    unsigned wait_ms, ferry_err *e)
{
	char path[FERRY_PATH_MAX];
	l->fd = -1;
	if (ferry_path_join(path, sizeof path, dir, "lock") != 0)
		return ferry_fail(e, FERRY_EOP, "the path of '%s' is too long", dir);
	int fd =
	    open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
	if (fd < 0)
		return ferry_fail(e, FERRY_EOP, "cannot open the lock file '%s': %s",
		                  path, strerror(errno));
	int op = (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
	struct timespec nap = {0, 100 * 1000 * 1000};
	for (unsigned waited = 0;; waited += 100) {
		if (flock(fd, op) == 0)
			break;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			close(fd);
			return ferry_fail(e, FERRY_EOP, "cannot lock '%s': %s", path,
			                  strerror(errno));
		}
		if (waited >= wait_ms) {
			long pid = holder(fd);
			close(fd);
			if (pid > 0)
				return ferry_fail_hint(
				    e, FERRY_EOP,
				    "wait for it to finish, then run this again",
				    "%s is in use by process %ld", what, pid);
			return ferry_fail_hint(
			    e, FERRY_EOP, "wait for it to finish, then run this again",
			    "%s is in use by another process", what);
		}
		nanosleep(&nap, NULL);
	}
	if (exclusive) {
		char b[32];
		int n = snprintf(b, sizeof b, "%ld\n", (long)getpid());
		if (ftruncate(fd, 0) != 0 || pwrite(fd, b, (size_t)n, 0) != n) {
			/* The id is only for the message; the lock holds anyway. */
		}
	}
	l->fd = fd;
	return FERRY_OK;
}

void ferry_lock_release(ferry_lock *l)
{
	if (l->fd >= 0)
		close(l->fd); /* closing drops the flock */
	l->fd = -1;
}
