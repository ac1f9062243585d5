/* What the three programs share: error output, exit codes, core dumps
 * off, passphrase input. */
#ifndef FERRY_CLI_H
#define FERRY_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "../common/err.h"

#define FERRY_VERSION "0.1.0"
/* What --version says the program was built for: the static builds set
 * it ("aarch64-linux, static"); else the compiler's target. */
#ifndef FERRY_TARGET
#if defined(__x86_64__)
#define FERRY_TARGET "x86_64-linux"
#elif defined(__aarch64__)
#define FERRY_TARGET "aarch64-linux"
#else
#define FERRY_TARGET "linux"
#endif
#endif
/* What --version prints after the name and version (LICENSE). */
#define FERRY_LICENSE_LINE                                                             \
	"License GPL-3.0-or-later: you may share and change it; there is NO WARRANTY.\n" \
	"Source and license: see LICENSE in ferry's source.\n"

enum { EXIT_OK = 0, EXIT_CHECK = 1, EXIT_OP = 2 };

/* Sets the program name used in messages ("ferry-seal") and turns core
 * dumps off (cli_harden). */
void cli_init(const char *prog);
__attribute__((format(printf, 1, 2))) void cli_error(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void cli_warn(const char *fmt, ...);
/* A second line after an error: what to do about it. */
__attribute__((format(printf, 1, 2))) void cli_hint(const char *fmt, ...);
/* sodium_init(), once; -1 (with the message printed) when it fails. */
int cli_sodium_init(void);
/* Prints a library error as "prog: error: msg" and, when it has one,
 * "prog: hint: hint"; returns the exit code for it. */
int cli_report(const ferry_err *e);
/* Like cli_report, with context in front of the message. */
__attribute__((format(printf, 2, 3))) int cli_report_ctx(const ferry_err *e,
                                                         const char *fmt, ...);
/* Maps a library return (FERRY_OK, FERRY_EVERIFY, ...) to an exit code. */
int cli_exit_code(int rc);
/* A whole decimal number, or -1 (which every range check then refuses). */
long cli_parse_count(const char *s);
/* No core dumps, no ptrace attach by other users' processes. */
void cli_harden(void);
/* Reads a passphrase into sodium_malloc memory: the first line of file,
 * or from /dev/tty without echo (twice when confirm). NULL on failure
 * (the message has been printed). */
char *cli_passphrase(const char *file, int confirm, size_t *len);
void cli_passphrase_free(char *p);
/* Asks for a secret line on the terminal without echo; NULL when there
 * is no terminal. Free with cli_passphrase_free. */
char *cli_ask_secret(const char *msg, size_t *len);
/* Text that came from a bundle or a file name, as it may be shown
 * anywhere (a terminal, a file or a pipe that a terminal shows later):
 * control characters and bytes that are not UTF-8 escaped (\x1b), bidi
 * controls too (\u202e). Cut to fit cap. Returns out. */
const char *cli_shown(char *out, size_t cap, const char *s);
/* EXIT_OK when dir is a folder that holds the regular file marker (a
 * desk's vault, a spool's credential); otherwise says what dir is not,
 * with hint, and returns EXIT_OP. Checked before anything, a lock file
 * included, is made in dir: a mistyped path gets nothing written to it. */
int cli_require(const char *dir, const char *marker, const char *what,
                const char *hint);
/* EXIT_OK when path can be written to as opt names it: a folder that
 * exists (folder 1, like --to), or a path whose parent folder exists
 * (folder 0, like -o). Otherwise says which folder is missing and how
 * to make or find it, and returns EXIT_OP: checked before the
 * passphrase is asked for or anything is made. */
int cli_require_destination(const char *path, const char *opt, int folder);

#endif
