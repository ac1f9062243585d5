/* A fault-injection shim for the tests (LD_PRELOAD, never installed).
 *
 *   FERRY_FAULT="CALL:N:ACTION[,CALL:N:ACTION...]"
 *
 * CALL is write, fsync, fdatasync, rename, link, open, unlink, ftruncate,
 * mkdir or read; N is the call's number (from 1) among the process's calls
 * of it, "N+" for that call and every later one. With FERRY_FAULT_PATH set,
 * only reads and writes of files opened by a path containing it are
 * counted (and failed). ACTION is an errno name
 * (ENOSPC, EDQUOT, EIO, EMFILE, ENOENT, EACCES), "short" (a write that
 * writes half), or "pause:PATH": the call waits, having created
 * PATH.waiting, until PATH exists (at most 60 s), then goes on. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

enum {
	C_WRITE,
	C_FSYNC,
	C_FDATASYNC,
	C_RENAME,
	C_LINK,
	C_OPEN,
	C_UNLINK,
	C_FTRUNCATE,
	C_MKDIR,
	C_READ,
	C_N
};
static const char *NAMES[C_N] = {"write",  "fsync",     "fdatasync", "rename", "link",
                                 "open",   "unlink",    "ftruncate", "mkdir",  "read"};
/* File descriptors opened by a path holding FERRY_FAULT_PATH. */
#define WATCHED_MAX 4096
static unsigned char watched[WATCHED_MAX];
static char watch_path[512]; /* FERRY_FAULT_PATH, read with the rules */
static unsigned long counts[C_N];

typedef struct {
	int call;
	unsigned long n;
	int and_after;
	int err;     /* errno to fail with, or 0 */
	int shorten; /* write half */
	char pause[512];
} rule;

static rule rules[16];
static int nrules = -1;

static int errno_of(const char *s)
{
	static const struct {
		const char *n;
		int e;
	} t[] = {{"ENOSPC", ENOSPC}, {"EDQUOT", EDQUOT}, {"EIO", EIO},
	         {"EMFILE", EMFILE}, {"ENOENT", ENOENT}, {"EACCES", EACCES},
	         {"EXDEV", EXDEV}};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(s, t[i].n))
			return t[i].e;
	return EIO;
}

static void load(void)
{
	nrules = 0;
	const char *wp = getenv("FERRY_FAULT_PATH");
	snprintf(watch_path, sizeof watch_path, "%s", wp ? wp : "");
	const char *env = getenv("FERRY_FAULT");
	if (!env)
		return;
	char buf[2048];
	snprintf(buf, sizeof buf, "%s", env);
	for (char *save = NULL, *r = strtok_r(buf, ",", &save); r && nrules < 16;
	     r = strtok_r(NULL, ",", &save)) {
		char *c = r, *n = strchr(c, ':'), *a;
		if (!n || !(a = strchr(n + 1, ':')))
			continue;
		*n++ = '\0';
		*a++ = '\0';
		rule *x = &rules[nrules];
		memset(x, 0, sizeof *x);
		x->call = -1;
		for (int i = 0; i < C_N; i++)
			if (!strcmp(c, NAMES[i]))
				x->call = i;
		x->n = strtoul(n, NULL, 10);
		x->and_after = strchr(n, '+') != NULL;
		if (!strncmp(a, "pause:", 6))
			snprintf(x->pause, sizeof x->pause, "%s", a + 6);
		else if (!strcmp(a, "short"))
			x->shorten = 1;
		else
			x->err = errno_of(a);
		if (x->call >= 0)
			nrules++;
	}
}

static void wait_for(const char *path)
{
	char w[600];
	snprintf(w, sizeof w, "%s.waiting", path);
	int fd = ((int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open"))(
	    w, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	struct timespec nap = {0, 20 * 1000 * 1000};
	for (int i = 0; i < 3000 && access(path, F_OK) != 0; i++)
		nanosleep(&nap, NULL);
}

/* The rule for this call, after counting it; NULL to pass it through. */
static const rule *hit(int call)
{
	if (nrules < 0)
		load();
	unsigned long k = ++counts[call];
	for (int i = 0; i < nrules; i++) {
		const rule *r = &rules[i];
		if (r->call == call && (k == r->n || (r->and_after && k > r->n))) {
			if (r->pause[0]) {
				wait_for(r->pause);
				return NULL;
			}
			return r;
		}
	}
	return NULL;
}

#define REAL(name, type) ((type)dlsym(RTLD_NEXT, name))

/* Whether a read or write of fd counts: every one, or with
 * FERRY_FAULT_PATH only those of the files it names. */
static int counted(int fd)
{
	if (nrules < 0)
		load();
	return !watch_path[0] || (fd >= 0 && fd < WATCHED_MAX && watched[fd]);
}

ssize_t write(int fd, const void *b, size_t n)
{
	const rule *r = counted(fd) ? hit(C_WRITE) : NULL;
	if (r && r->shorten && n > 1)
		n /= 2;
	else if (r) {
		errno = r->err;
		return -1;
	}
	return REAL("write", ssize_t(*)(int, const void *, size_t))(fd, b, n);
}

#define SIMPLE(fn, call, proto, args)                                                  \
	int fn proto                                                                   \
	{                                                                              \
		const rule *r = hit(call);                                             \
		if (r) {                                                               \
			errno = r->err;                                                \
			return -1;                                                     \
		}                                                                      \
		return REAL(#fn, int(*) proto) args;                                   \
	}

SIMPLE(fsync, C_FSYNC, (int fd), (fd))
SIMPLE(fdatasync, C_FDATASYNC, (int fd), (fd))
SIMPLE(rename, C_RENAME, (const char *a, const char *b), (a, b))
SIMPLE(link, C_LINK, (const char *a, const char *b), (a, b))
SIMPLE(unlink, C_UNLINK, (const char *a), (a))
SIMPLE(ftruncate, C_FTRUNCATE, (int fd, off_t n), (fd, n))
SIMPLE(mkdir, C_MKDIR, (const char *p, mode_t m), (p, m))

static int open_with(const char *name, const char *p, int flags, va_list ap)
{
	mode_t mode = 0;
	if (flags & (O_CREAT | O_TMPFILE))
		mode = (mode_t)va_arg(ap, int);
	const rule *r = hit(C_OPEN);
	if (r) {
		errno = r->err;
		return -1;
	}
	/* hit() has read the rules and FERRY_FAULT_PATH. */
	int fd = REAL(name, int (*)(const char *, int, ...))(p, flags, mode);
	if (fd >= 0 && fd < WATCHED_MAX)
		watched[fd] = watch_path[0] && strstr(p, watch_path) != NULL;
	return fd;
}

ssize_t read(int fd, void *b, size_t n)
{
	const rule *r = counted(fd) ? hit(C_READ) : NULL;
	if (r) {
		errno = r->err;
		return -1;
	}
	return REAL("read", ssize_t(*)(int, void *, size_t))(fd, b, n);
}

int open(const char *p, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	int fd = open_with("open", p, flags, ap);
	va_end(ap);
	return fd;
}

int open64(const char *p, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	int fd = open_with("open64", p, flags, ap);
	va_end(ap);
	return fd;
}
