/* ferry-desk's help: the whole usage, and one command's part of it (its
 * synopsis and the options it names), so that the two never differ. */
#include "ferry-desk.h"

#include <stdio.h>
#include <string.h>

static const char USAGE[] =
    "usage: ferry-desk init DESK [--kdf interactive|moderate|sensitive]\n"
    "       ferry-desk fingerprint DESK [--qr] [--png FILE] [--minisign]\n"
    "       ferry-desk issue DESK --forms N --label TEXT [--expires YYYY-MM-DD]\n"
    "                  [--grace DAYS] [--code-days DAYS] [--code-answers K]\n"
    "                  [--questions FILE] [--lang en|ko|zh] [--paper a4|letter]\n"
    "                  [--qr-module PX] [--web PAGE] [-o DIR]\n"
    "       ferry-desk relay-credential DESK -o FILE [--chaff-up-to SIZE]\n"
    "                  [--newest-from YYYY-MM-DD] [--cover-every HOURS]\n"
    "       ferry-desk relay-rotate DESK [--drop-old]\n"
    "       ferry-desk open DESK [-j N] [INTAKE...]\n"
    "       ferry-desk admit DESK NAME...\n"
    "       ferry-desk expire DESK\n"
    "       ferry-desk packs DESK\n"
    "       ferry-desk cases DESK [CASE]\n"
    "       ferry-desk report DESK -o DIR [--labels] [--same-disk]\n"
    "       ferry-desk note DESK CASE TEXT|-\n"
    "       ferry-desk note DESK CASE --file FILE\n"
    "       ferry-desk retire DESK PACK\n"
    "       ferry-desk revoke DESK PACK --reason TEXT\n"
    "       ferry-desk log DESK show|verify [--attestation FILE]\n"
    "       ferry-desk log DESK attest -o FILE [--previous FILE]\n"
    "       ferry-desk log DESK chain FILE...\n"
    "       ferry-desk sign DESK FILE...\n"
    "\n"
    "  --passphrase-file FILE  read the vault passphrase from FILE's first line\n"
    "  --kdf LEVEL             Argon2id cost for a new vault (default moderate)\n"
    "  --forms N               forms in the pack (1 to 1000)\n"
    "  --label TEXT            desk-private note, kept only in the vault\n"
    "  --expires YYYY-MM-DD    last day the pack's forms may be sealed\n"
    "  --grace DAYS            keep a form's one-time key DAYS after its first\n"
    "                          testimony, so a second one still opens (default 14)\n"
    "  --code-days DAYS        keep a form's one-time key DAYS after its first\n"
    "                          answer sealed without the pack word (default 90)\n"
    "  --code-answers K        open K answers to a form sealed without the pack\n"
    "                          word, then hold later ones (default 8)\n"
    "  --questions FILE        also write printable forms (forms-XXXX.html)\n"
    "  --lang en|ko|zh         the printable forms' own words (\"form\", \"page 1 of 2\")\n"
    "                          in the questions' language (default en)\n"
    "  --paper a4|letter       paper size of the printable forms (default a4)\n"
    "  --qr-module PX          pixels a QR module in qr/*.png (default 8)\n"
    "  --web PAGE              issue: also write the offline page (make web) with its\n"
    "                          SHA-256 and a contact guide\n"
    "  --qr                    fingerprint: also show it as a QR code\n"
    "  --png FILE              fingerprint: write it as a QR image\n"
    "  --minisign              fingerprint: print the desk's minisign public key\n"
    "                          (what minisign -P takes) instead\n"
    "  -o, --output PATH       output folder (issue, report) or file (relay-credential,\n"
    "                          log attest)\n"
    "  -j, --jobs N            open: decrypt on N threads (default: one per CPU, up to 8)\n"
    "  --labels                report: also show each pack's desk-private label\n"
    "  --same-disk             report: allow writing it on the desk's own disk\n"
    "                          (refused otherwise: it is every testimony in the clear)\n"
    "  --drop-old              relay-rotate: destroy every relay key but the newest\n"
    "  --chaff-up-to SIZE      relay-credential: chaff no larger than SIZE (bytes, or\n"
    "                          with K or M); default up to 72M, like phone pages\n"
    "  --cover-every HOURS     relay-credential: relays send a cover batch only when\n"
    "                          no batch left in the last HOURS hours (default 6)\n"
    "  --newest-from DAY       relay-credential: relays tag with the newest relay key\n"
    "                          from DAY (UTC) on, the one before until then\n"
    "  --attestation FILE      log verify: also prove the log extends this statement\n"
    "  --previous FILE         log attest: name FILE as the statement before (after a\n"
    "                          restore), only if the log extends it\n"
    "  --reason TEXT           revoke: why the pack is believed compromised\n"
    "  --file FILE             note: read the note from FILE ('-' as TEXT: stdin)\n"
    "  -h, --help              this help\n"
    "  -V, --version           the version\n";

void desk_usage(FILE *f)
{
	fputs(USAGE, f);
}

/* The line of USAGE at *at, copied into line; moves *at past it. 0 at
 * the end. */
static int next_line(const char **at, char *line, size_t cap)
{
	if (!**at)
		return 0;
	size_t n = strcspn(*at, "\n");
	snprintf(line, cap, "%.*s", (int)n, *at);
	*at += (*at)[n] == '\n' ? n + 1 : n;
	return 1;
}

/* 1 when synopsis holds name (n bytes, NUL-terminated) as a word of its
 * own. */
static int has_word(const char *synopsis, const char *name, size_t n)
{
	for (const char *p = synopsis; (p = strstr(p, name)) != NULL; p += n)
		if (!((p[n] >= 'a' && p[n] <= 'z') || p[n] == '-'))
			return 1;
	return 0;
}

/* 1 when the option line (as USAGE writes it, "  -o, --output PATH ...")
 * names an option that synopsis holds, by its long or short name. */
static int option_named(const char *opt_line, const char *synopsis)
{
	char shortname[3] = {'-', opt_line[3], '\0'};
	if (opt_line[2] == '-' && opt_line[3] != '-' && opt_line[4] == ',' &&
	    has_word(synopsis, shortname, 2))
		return 1;
	const char *l = strstr(opt_line, "--");
	if (!l)
		return 0;
	size_t n = strcspn(l, " \t");
	char name[40];
	if (n >= sizeof name)
		return 0;
	memcpy(name, l, n);
	name[n] = '\0';
	return has_word(synopsis, name, n);
}

void desk_command_help(FILE *f, const char *cmd, int passphrase)
{
	char line[160], synopsis[2048] = "", want[40];
	const char *at = USAGE;
	int in_synopsis = 0, in_option = 0, first = 1;
	snprintf(want, sizeof want, "ferry-desk %s ", cmd);
	/* The synopsis lines of the command, and their continuations. */
	while (next_line(&at, line, sizeof line) && line[0]) {
		const char *l = strstr(line, "ferry-desk ");
		if (l)
			in_synopsis = !strncmp(l, want, strlen(want));
		if (!in_synopsis)
			continue;
		if (l)
			fprintf(f, "%s%s\n", first ? "usage: " : "       ", l);
		else
			fprintf(f, "%s\n", line);
		first = 0;
		strncat(synopsis, line, sizeof synopsis - strlen(synopsis) - 1);
	}
	fputs("\n", f);
	/* The options they name, the passphrase file where a passphrase is
	 * asked for, and help. */
	while (next_line(&at, line, sizeof line)) {
		int continuation = line[0] == ' ' && line[2] == ' ';
		if (!continuation)
			in_option = option_named(line, synopsis) ||
			            (passphrase && strstr(line, "--passphrase-file")) ||
			            strstr(line, "--help");
		if (in_option)
			fprintf(f, "%s\n", line);
	}
}
