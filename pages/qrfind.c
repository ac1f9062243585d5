/* ferry_qr_find (pages/qrscan.h): the page decoders run in a child that
 * can do nothing but compute and write its answer.
 *
 * The parent reads the page file and forks. The child closes every other
 * file, limits its address space, CPU time and file size, loads a seccomp
 * filter that kills it on any system call but memory management (and a
 * lock's wake-up, a signal's return or stack query), writing to its pipe
 * and exiting, and only then decodes. The parent waits for the
 * answer until a deadline, kills the child past it, and reads the child's
 * end: a signal or a malformed answer is an error about that page, never
 * a crash of ferry-seal. */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <locale.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../common/fileio.h"
#include "../common/i18n.h"
#include "qrscan.h"

/* What the child may use: enough for a 64-megapixel page and the QR
 * decoder's working copies, and a few seconds a page. */
ferry_qr_limits ferry_qr_child_limits = {1536ull << 20, 30u};
#define DEADLINE_MS 60000

/* The child's answer, written whole to the pipe. */
typedef struct {
	int32_t rc;
	char msg[FERRY_ERR_MSG_MAX];
	ferry_qr_found found;
} answer;

__attribute__((weak)) void ferry_qr_child_hook(void) {}

/* zbar converts a code's text with iconv, whose first use of a charset
 * opens gconv files: open them now, before the filter forbids it, and
 * keep them open so nothing is loaded again. */
static void warm_iconv(void)
{
	static const char *const from[] = {"ISO8859-1", "SJIS", "UTF-8", "BIG5"};
	for (size_t i = 0; i < sizeof from / sizeof *from; i++)
		(void)iconv_open("UTF-8", from[i]);
}

/* AddressSanitizer and ThreadSanitizer map terabytes of shadow memory: a
 * limit on the address space would stop them before they start. Their
 * test builds run without one; every other build has it. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LIMIT_MEMORY 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define LIMIT_MEMORY 0
#endif
#endif
#ifndef LIMIT_MEMORY
#define LIMIT_MEMORY 1
#endif

static int confine(int out_fd)
{
	const ferry_qr_limits *l = &ferry_qr_child_limits;
	struct rlimit mem = {l->memory, l->memory};
	struct rlimit cpu = {l->cpu_secs, l->cpu_secs + 1};
	struct rlimit none = {0, 0};
	if ((LIMIT_MEMORY && setrlimit(RLIMIT_AS, &mem) != 0) ||
	    setrlimit(RLIMIT_CPU, &cpu) != 0 || setrlimit(RLIMIT_FSIZE, &none) != 0 ||
	    setrlimit(RLIMIT_CORE, &none) != 0)
		return -1;
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!f)
		return -1;
	static const int mem_calls[] = {SCMP_SYS(brk),     SCMP_SYS(mmap),
	                                SCMP_SYS(munmap),  SCMP_SYS(mremap),
	                                SCMP_SYS(madvise), SCMP_SYS(mprotect)};
	int rc = 0;
	for (size_t i = 0; i < sizeof mem_calls / sizeof *mem_calls; i++)
		rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, mem_calls[i], 0);
	/* Spelled out, not SCMP_A0, whose compound literal leaves a field
	 * to its default (clang's -Wmissing-field-initializers). */
	const struct scmp_arg_cmp to_pipe = {0, SCMP_CMP_EQ, (scmp_datum_t)out_fd, 0};
	rc |= seccomp_rule_add_array(f, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, &to_pipe);
	rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(exit), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(rt_sigreturn), 0);
	/* AddressSanitizer asks for the signal stack when libjpeg's error
	 * path longjmps; it changes nothing the filter guards. */
	rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(sigaltstack), 0);
	/* Locks of one thread (pthread_once and the like in the libraries)
	 * only ever wake, never wait on, another. */
	rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(futex), 0);
	/* glibc's qsort asks how much memory the machine has; it is told
	 * nothing and sorts in place. */
	rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(sysinfo), 0);
	/* Loading the filter sets no_new_privs first (libseccomp's default). */
	if (rc == 0)
		rc = seccomp_load(f);
	seccomp_release(f);
	return rc == 0 ? 0 : -1;
}

static void write_answer(int fd, const answer *a)
{
	const uint8_t *p = (const uint8_t *)a;
	size_t left = sizeof *a;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w <= 0)
			break;
		p += w;
		left -= (size_t)w;
	}
}

/* Ends the child with the exit system call itself: no atexit handler, and
 * no sanitizer's exit hook (a leak check needs calls the filter forbids). */
static __attribute__((noreturn)) void child_exit(int status)
{
	for (;;)
		syscall(SYS_exit_group, status);
}

static __attribute__((noreturn)) void child(const uint8_t *img, size_t n, int out_fd)
{
	static answer a;
	ferry_err e;
	ferry_err_clear(&e);
	/* Nothing but the pipe stays open. */
	if (dup2(out_fd, 3) != 3 || close_range(4, ~0u, 0) != 0)
		child_exit(2);
	warm_iconv();
	/* The child speaks English: looking a message up in a catalog may
	 * open the catalog, which the sandbox forbids. The parent puts the
	 * answer in the reader's language (take_answer). */
	(void)setlocale(LC_MESSAGES, "C");
	if (confine(3) != 0)
		child_exit(3);
	ferry_qr_child_hook();
	a.rc = ferry_qr_scan(img, n, &a.found, &e);
	snprintf(a.msg, sizeof a.msg, "%s", e.msg);
	write_answer(3, &a);
	child_exit(0);
}

/* Reads the answer until the deadline; 1 read whole, 0 cut short (the
 * child died), -1 past the deadline. */
static int read_answer(int fd, answer *a)
{
	uint8_t *p = (uint8_t *)a;
	size_t got = 0;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (got < sizeof *a) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long spent = (now.tv_sec - start.tv_sec) * 1000 +
		             (now.tv_nsec - start.tv_nsec) / 1000000;
		if (spent >= DEADLINE_MS)
			return -1;
		struct pollfd pf = {fd, POLLIN, 0};
		int r = poll(&pf, 1, (int)(DEADLINE_MS - spent));
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return -1;
		ssize_t n = read(fd, p + got, sizeof *a - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		got += (size_t)n;
	}
	return 1;
}

/* The child's end, as an error about the page (FERRY_OK when it exited
 * after a whole answer). */
static int child_end(pid_t pid, int got, ferry_err *e)
{
	int st = 0;
	if (got < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (got < 0)
		return ferry_fail(
		    e, FERRY_EOP,
		    "the QR decoder took longer than %d s on it and was stopped",
		    DEADLINE_MS / 1000);
	if (WIFSIGNALED(st)) {
		int sig = WTERMSIG(st);
		if (sig == SIGSYS)
			return ferry_fail(
			    e, FERRY_EOP,
			    "the QR decoder tried a system call its sandbox forbids and was stopped (a hostile image, or a fault)");
		if (sig == SIGXCPU || sig == SIGKILL)
			return ferry_fail(
			    e, FERRY_EOP,
			    "the QR decoder ran out of its time (%u s of CPU) on it",
			    ferry_qr_child_limits.cpu_secs);
		return ferry_fail(e, FERRY_EOP,
		                  "the QR decoder crashed on it (signal %d)", sig);
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && got == 0)
		return ferry_fail(e, FERRY_EOP,
		                  "the QR decoder ended without giving its answer");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || got == 0)
		return ferry_fail(
		    e, FERRY_EOP,
		    "the QR decoder could not start its sandbox (exit %d)",
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return FERRY_OK;
}

/* The answer checked as untrusted: the child may have been subverted. */
static int take_answer(answer *a, ferry_qr_found *out, ferry_err *e)
{
	if (a->rc != FERRY_OK) {
		a->msg[sizeof a->msg - 1] = '\0';
		if (a->rc == FERRY_EOP && strstr(a->msg, "out of memory"))
			return ferry_fail(
			    e, FERRY_EOP,
			    "it needs more memory than the QR decoder may use");
		/* Untrusted text, looked up as a whole and printed as an
		 * argument, never as a format. */
		return ferry_fail(e, a->rc == FERRY_EVERIFY ? FERRY_EVERIFY : FERRY_EOP,
		                  "%s",
		                  ferry_tr(a->msg[0] ? a->msg : N_("it could not be read")));
	}
	if (a->found.n > FERRY_QR_MAX)
		return ferry_fail(e, FERRY_EOP,
		                  "the QR decoder gave a malformed answer");
	for (unsigned i = 0; i < a->found.n; i++)
		if (!memchr(a->found.text[i], 0, sizeof a->found.text[i]))
			return ferry_fail(e, FERRY_EOP,
			                  "the QR decoder gave a malformed answer");
	*out = a->found;
	return FERRY_OK;
}

int ferry_qr_find(const char *path, ferry_qr_found *out, ferry_err *e)
{
	uint8_t *img = NULL;
	size_t n = 0;
	int fds[2];
	memset(out, 0, sizeof *out);
	if (ferry_read_file(path, FERRY_QR_FILE_MAX, &img, &n, N_("the page"), e) !=
	    FERRY_OK)
		return FERRY_EOP;
	answer *a = malloc(sizeof *a);
	if (!a || pipe2(fds, O_CLOEXEC) != 0) {
		free(img);
		free(a);
		return ferry_fail(e, FERRY_EOP, "cannot start the QR decoder: %s",
		                  strerror(errno));
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		child(img, n, fds[1]);
	close(fds[1]);
	free(img);
	if (pid < 0) {
		close(fds[0]);
		free(a);
		return ferry_fail(e, FERRY_EOP, "cannot start the QR decoder: %s",
		                  strerror(errno));
	}
	memset(a, 0, sizeof *a);
	int got = read_answer(fds[0], a);
	close(fds[0]);
	int rc = child_end(pid, got, e);
	if (rc == FERRY_OK)
		rc = take_answer(a, out, e);
	free(a);
	return rc;
}
