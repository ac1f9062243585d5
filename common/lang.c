/* Choosing the language of ferry-seal's messages from --lang or the
 * environment: the one setting an installed ferry program takes from the
 * environment (tests/link-boundaries.txt). */
#include "i18n.h"

#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The catalog folder: "locale" beside the running program (the build
 * tree, or a static binary carried with its catalogs), else localedir
 * (make install's). Written into dir (PATH_MAX bytes). */
static void catalog_dir(char *dir, const char *localedir)
{
	char exe[PATH_MAX];
	struct stat st;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash && (size_t)(slash - exe) + sizeof "/locale" <= PATH_MAX) {
			strcpy(slash, "/locale");
			if (stat(exe, &st) == 0 && S_ISDIR(st.st_mode)) {
				strcpy(dir, exe);
				return;
			}
		}
	}
	strncpy(dir, localedir, PATH_MAX - 1);
	dir[PATH_MAX - 1] = '\0';
}

/* The language part ("ko", "zh_CN") of the first of LC_ALL, LC_MESSAGES
 * and LANG that is set, for a machine that lacks its locale. */
static const char *env_language(char *out, size_t cap)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (!v || !v[0])
			continue;
		size_t n = strcspn(v, ".@");
		if (n == 0 || n >= cap)
			return NULL;
		memcpy(out, v, n);
		out[n] = '\0';
		return out;
	}
	return NULL;
}

/* Messages in language (a catalog name: "ko", "zh_CN") without needing
 * its locale: gettext follows LANGUAGE in any locale but plain C, and
 * C.UTF-8 is on every Debian machine. Where it is not (Android's Termux,
 * running a static binary), the copy of its LC_MESSAGES that make static
 * puts in the catalog folder is used. */
static int use_language(const char *language, const char *dir)
{
	if (!setlocale(LC_MESSAGES, "C.UTF-8") &&
	    (setenv("LOCPATH", dir, 1) != 0 || !setlocale(LC_MESSAGES, "C.UTF-8")))
		return -1;
	return setenv("LANGUAGE", language, 1);
}

int ferry_lang_init(const char *lang, const char *localedir, ferry_err *e)
{
	char dir[PATH_MAX], envlang[32];
	catalog_dir(dir, localedir);
	/* Messages are UTF-8 whatever LC_CTYPE says (it stays "C"): ours,
	 * and the C library's own (strerror) put into them. */
	if (!bindtextdomain(FERRY_TEXTDOMAIN, dir) ||
	    !bind_textdomain_codeset(FERRY_TEXTDOMAIN, "UTF-8") ||
	    !bind_textdomain_codeset("libc", "UTF-8"))
		return ferry_fail(e, FERRY_EOP, "cannot set up the messages' language");
	if (!lang) {
		/* A locale this machine lacks leaves "C" (a static binary's C
		 * library may answer "" without failing): then the language alone. */
		const char *got = setlocale(LC_MESSAGES, "");
		if (got && got[0] && strcmp(got, "C") && strcmp(got, "POSIX"))
			return FERRY_OK;
		const char *l = env_language(envlang, sizeof envlang);
		if (l && strcmp(l, "C") && strcmp(l, "POSIX"))
			(void)use_language(l, dir);
		return FERRY_OK;
	}
	if (!strcmp(lang, "en")) {
		(void)setlocale(LC_MESSAGES, "C");
		return FERRY_OK;
	}
	const char *catalog = !strcmp(lang, "ko")   ? "ko"
	                      : !strcmp(lang, "zh") ? "zh_CN"
	                                            : NULL;
	if (!catalog)
		return ferry_fail_hint(e, FERRY_EUSAGE, N_("give ko, zh or en"),
		                       "--lang '%s' is not a language ferry speaks",
		                       lang);
	if (use_language(catalog, dir) != 0)
		return ferry_fail(e, FERRY_EOP,
		                  "cannot switch the messages' language: this machine has no C.UTF-8 locale");
	return FERRY_OK;
}
