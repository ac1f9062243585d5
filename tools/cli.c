#include "cli.h"

#include "../common/i18n.h"
#include "../common/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "../common/fileio.h"

#define PASS_MAX 1024

static const char *prog_name = "ferry";

void cli_init(const char *prog)
{
	prog_name = prog;
	cli_harden();
}

/* Every message line goes out through cli_shown: it may carry a file
 * name or text from a bundle, and a log file of stderr is read on a
 * terminal later. */
static void say_line(const char *kind, const char *text)
{
	char shown[4 * FERRY_ERR_MSG_MAX];
	fprintf(stderr, "%s: %s: %s\n", prog_name, ferry_tr(kind),
	        cli_shown(shown, sizeof shown, text));
}

static void say(const char *kind, const char *fmt, va_list ap)
{
	char text[2 * FERRY_ERR_MSG_MAX];
	vsnprintf(text, sizeof text, ferry_tr(fmt), ap);
	say_line(kind, text);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(N_("error"), fmt, ap);
	va_end(ap);
}

void cli_hint(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(N_("hint"), fmt, ap);
	va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(N_("warning"), fmt, ap);
	va_end(ap);
}

int cli_sodium_init(void)
{
	if (sodium_init() < 0) {
		cli_error("libsodium failed to start");
		return -1;
	}
	/* sodium_malloc locks secret memory when it can and carries on when
	 * it cannot: say so rather than let secrets reach swap unseen. Root
	 * may lock past the limit. */
	struct rlimit rl;
	const rlim_t need = 4u << 20;
	if (geteuid() != 0 && getrlimit(RLIMIT_MEMLOCK, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need)
		cli_warn(
		    "secret memory may not be locked: the locked-memory limit is %llu KiB, below the %llu KiB ferry may lock; raise it (ulimit -l %llu) or keep swap encrypted",
		    (unsigned long long)rl.rlim_cur / 1024,
		    (unsigned long long)need / 1024, (unsigned long long)need / 1024);
	return 0;
}

int cli_exit_code(int rc)
{
	return rc == FERRY_OK ? EXIT_OK : rc == FERRY_EVERIFY ? EXIT_CHECK : EXIT_OP;
}

static void print_hint(const ferry_err *e)
{
	if (e->hint[0])
		say_line(N_("hint"), e->hint);
}

int cli_report(const ferry_err *e)
{
	cli_error("%s", e->msg[0] ? e->msg : ferry_tr("failed"));
	print_hint(e);
	return cli_exit_code(e->code ? e->code : FERRY_EOP);
}

int cli_report_ctx(const ferry_err *e, const char *fmt, ...)
{
	va_list ap;
	char ctx[FERRY_ERR_MSG_MAX], text[2 * FERRY_ERR_MSG_MAX + 8];
	va_start(ap, fmt);
	vsnprintf(ctx, sizeof ctx, ferry_tr(fmt), ap);
	va_end(ap);
	snprintf(text, sizeof text, "%s: %s", ctx, e->msg[0] ? e->msg : ferry_tr("failed"));
	say_line(N_("error"), text);
	print_hint(e);
	return cli_exit_code(e->code ? e->code : FERRY_EOP);
}

void cli_harden(void)
{
	struct rlimit rl = {0, 0};
	/* Keys live in this process's memory; a core file would put them on
	 * disk. */
	if (setrlimit(RLIMIT_CORE, &rl) != 0 || prctl(PR_SET_DUMPABLE, 0) != 0)
		cli_warn("could not turn core dumps off");
}

static int read_tty_line(int fd, char *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	for (;;) {
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n' || c == '\r')
			break;
		if (n + 1 >= cap)
			return -1;
		buf[n++] = c;
	}
	buf[n] = '\0';
	*len = n;
	return 0;
}

static char *prompt(int fd, const char *msg, size_t *len)
{
	struct termios old, quiet;
	char *buf = sodium_malloc(PASS_MAX);
	if (!buf)
		return NULL;
	if (write(fd, msg, strlen(msg)) < 0) {
		sodium_free(buf);
		return NULL;
	}
	int have_term = tcgetattr(fd, &old) == 0;
	if (have_term) {
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	int rc = read_tty_line(fd, buf, PASS_MAX, len);
	if (have_term)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0)
		rc = -1;
	if (rc != 0) {
		sodium_free(buf);
		return NULL;
	}
	return buf;
}

char *cli_passphrase(const char *file, int confirm, size_t *len)
{
	*len = 0;
	if (file) {
		uint8_t *data = NULL;
		size_t n = 0;
		ferry_err e;
		if (ferry_read_secret_file(file, PASS_MAX, &data, &n,
		                           N_("the passphrase file"), &e) != 0) {
			cli_report(&e);
			return NULL;
		}
		char *nl = memchr(data, '\n', n);
		if (nl)
			n = (size_t)(nl - (char *)data);
		if (n > 0 && data[n - 1] == '\r')
			n--;
		data[n] = '\0';
		if (n == 0) {
			cli_error("the passphrase file '%s' is empty", file);
			sodium_free(data);
			return NULL;
		}
		*len = n;
		return (char *)data;
	}
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		cli_error("no terminal to ask for the passphrase on");
		cli_hint("use --passphrase-file FILE");
		return NULL;
	}
	char *a = prompt(fd, "Passphrase: ", len);
	if (!a || *len == 0) {
		close(fd);
		if (a)
			sodium_free(a);
		cli_error("no passphrase given");
		return NULL;
	}
	if (confirm) {
		size_t l2 = 0;
		char *b = prompt(fd, "Passphrase again: ", &l2);
		int same = b && l2 == *len && sodium_memcmp(a, b, l2) == 0;
		if (b)
			sodium_free(b);
		if (!same) {
			close(fd);
			sodium_free(a);
			cli_error("the two passphrases differ");
			return NULL;
		}
	}
	close(fd);
	return a;
}

char *cli_ask_secret(const char *msg, size_t *len)
{
	*len = 0;
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *a = prompt(fd, msg, len);
	close(fd);
	return a;
}

void cli_passphrase_free(char *p)
{
	if (p)
		sodium_free(p);
}

long cli_parse_count(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	return (*end || end == s || errno != 0) ? -1 : v;
}

const char *cli_shown(char *out, size_t cap, const char *s)
{
	return ferry_utf8_shown(out, cap, s);
}

int cli_require(const char *dir, const char *marker, const char *what, const char *hint)
{
	char shown[512], path[FERRY_PATH_MAX];
	struct stat st;
	cli_shown(shown, sizeof shown, dir);
	if (stat(dir, &st) != 0) {
		cli_error("'%s' %s", shown,
		          errno == ENOENT ? ferry_tr("does not exist") : strerror(errno));
	} else if (!S_ISDIR(st.st_mode)) {
		cli_error("'%s' is not a folder", shown);
	} else if (snprintf(path, sizeof path, "%s/%s", dir, marker) >=
	           (int)sizeof path) {
		cli_error("'%s': the path is too long", shown);
	} else if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		cli_error("'%s' is not %s (it has no %s)", shown, what, marker);
	} else {
		return EXIT_OK;
	}
	cli_hint("%s", hint);
	return EXIT_OP;
}

int cli_require_destination(const char *path, const char *opt, int folder)
{
	char dir[FERRY_PATH_MAX], shown[512];
	struct stat st;
	if (folder)
		snprintf(dir, sizeof dir, "%s", path);
	else
		ferry_dirname(dir, sizeof dir, path);
	int found = stat(dir, &st) == 0, err = errno;
	if (found && S_ISDIR(st.st_mode))
		return EXIT_OK;
	cli_shown(shown, sizeof shown, dir);
	if (found)
		cli_error("%s '%s': '%s' is not a folder", opt, path, shown);
	else
		cli_error("%s '%s': the folder '%s' %s", opt, path, shown,
		          err == ENOENT || err == ENOTDIR ? ferry_tr("does not exist")
		                                          : strerror(err));
	cli_hint("check the path; if it is on a removable medium, check that it is mounted; "
	         "or create the folder first (mkdir). Nothing was written");
	return EXIT_OP;
}
