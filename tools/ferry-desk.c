/* ferry-desk: the journalist's program. Holds the vault; issues packs,
 * opens bundles, keeps the log. Meant for an offline machine. This file
 * parses the command line and applies the command table (what each
 * command needs: the passphrase, the lock, recovery) in one place; the
 * runners are in ferry-desk-*.c and the work in the library. */
#include <assert.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/lock.h"
#include "../desk/desk.h"
#include "../desk/passphrase.h"
#include "../opening/openpipe.h"
#include "../opening/recover.h"
#include "cli.h"
#include "ferry-desk.h"

static ferry_desk *unlock(const char *dir, const opts_t *o, int *exit_code)
{
	size_t plen = 0;
	ferry_desk *d = NULL;
	ferry_err e;
	char *pass = cli_passphrase(o->passfile, 0, &plen);
	if (!pass) {
		*exit_code = EXIT_OP;
		return NULL;
	}
	int rc = ferry_desk_unlock(&d, dir, pass, plen, &e);
	cli_passphrase_free(pass);
	if (rc != FERRY_OK) {
		*exit_code = cli_report(&e);
		return NULL;
	}
	return d;
}

static int cmd_init(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n)
{
	(void)d, (void)rest, (void)n;
	int level = ferry_kdf_level_parse(o->kdf ? o->kdf : "moderate");
	ferry_err e;
	size_t plen = 0;
	if (level < 0) {
		cli_error("--kdf must be interactive, moderate or sensitive");
		return EXIT_OP;
	}
	char *pass = cli_passphrase(o->passfile, 1, &plen);
	if (!pass)
		return EXIT_OP;
	char fp[FERRY_FP_TEXT_LEN + 1];
	int rc = ferry_passphrase_check(pass, plen, &e);
	if (rc == FERRY_OK)
		rc = ferry_desk_init(dir, pass, plen, level, fp, &e);
	cli_passphrase_free(pass);
	if (rc != FERRY_OK)
		return cli_report(&e);
	/* Show the fingerprint right away: it is what contacts must check. */
	printf("created desk %s\nfingerprint: %s\n", dir, fp);
	return EXIT_OK;
}

/* Each command's runner gets the unlocked desk (NULL for init), the
 * options and the words after DESK. */
typedef struct {
	const char *name;
	int (*run)(const char *dir, ferry_desk *d, const opts_t *o, char **rest,
	           int nrest);
	int unlocks;            /* asks for the passphrase and opens the vault */
	int writes;             /* holds the desk's lock exclusively (else shared) */
	int recovers;           /* finishes an interrupted run first (writes only) */
	int min_rest, max_rest; /* words after DESK; max -1: any number */
	int needs_output;       /* -o is required */
	const char *usage;
} desk_command;

/* name, runner, unlocks, writes, recovers, words after DESK (min, max),
 * needs -o. Every command that changes the desk first finishes what a
 * crash interrupted (main does it, from this table: tests/e2e/recovery.sh
 * holds each command to it); the others only read. */
static const desk_command COMMANDS[] = {
    {"init", cmd_init, 0, 1, 0, 0, 0, 0, "ferry-desk init DESK [--kdf LEVEL]"},
    {"fingerprint", cmd_fingerprint, 1, 0, 0, 0, 0, 0,
     "ferry-desk fingerprint DESK [--qr] [--png FILE]"},
    {"issue", cmd_issue, 1, 1, 1, 0, 0, 0,
     "ferry-desk issue DESK --forms N --label TEXT ..."},
    {"relay-credential", cmd_relay_credential, 1, 0, 0, 0, 0, 1,
     "ferry-desk relay-credential DESK -o FILE [--chaff-up-to SIZE] [--newest-from YYYY-MM-DD] [--cover-every HOURS]"},
    {"relay-rotate", cmd_relay_rotate, 1, 1, 1, 0, 0, 0,
     "ferry-desk relay-rotate DESK [--drop-old]"},
    {"open", cmd_open, 1, 1, 1, 0, -1, 0, "ferry-desk open DESK [INTAKE...]"},
    {"admit", cmd_admit, 1, 1, 1, 1, -1, 0, "ferry-desk admit DESK NAME..."},
    {"expire", cmd_expire, 1, 1, 1, 0, 0, 0, "ferry-desk expire DESK"},
    {"packs", cmd_packs, 1, 0, 0, 0, 0, 0, "ferry-desk packs DESK"},
    {"cases", cmd_cases, 1, 0, 0, 0, 1, 0, "ferry-desk cases DESK [CASE]"},
    {"report", cmd_report, 1, 0, 0, 0, 0, 1, "ferry-desk report DESK -o DIR [--labels] [--same-disk]"},
    {"note", cmd_note, 1, 1, 1, 1, 2, 0,
     "ferry-desk note DESK CASE TEXT|- | CASE --file FILE"},
    {"retire", cmd_retire, 1, 1, 1, 1, 1, 0, "ferry-desk retire DESK PACK"},
    {"revoke", cmd_revoke, 1, 1, 1, 1, 1, 0, "ferry-desk revoke DESK PACK --reason TEXT"},
    {"sign", cmd_sign, 1, 0, 0, 1, -1, 0, "ferry-desk sign DESK FILE..."},
    {"log", cmd_log, 1, 1, 1, 1, -1, 0,
     "ferry-desk log DESK show|verify [--attestation FILE] | attest -o FILE [--previous FILE] | chain FILE..."},
};

static const desk_command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
		if (!strcmp(COMMANDS[i].name, name))
			return &COMMANDS[i];
	return NULL;
}

/* Parses the options into o; returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, opts_t *o)
{
	static const struct option lopts[] = {
	    {"passphrase-file", required_argument, NULL, 'P'},
	    {"kdf", required_argument, NULL, 'k'},
	    {"forms", required_argument, NULL, 'n'},
	    {"label", required_argument, NULL, 'l'},
	    {"expires", required_argument, NULL, 'x'},
	    {"output", required_argument, NULL, 'o'},
	    {"questions", required_argument, NULL, 'Q'},
	    {"paper", required_argument, NULL, 'p'},
	    {"qr-module", required_argument, NULL, 'm'},
	    {"web", required_argument, NULL, 'W'},
	    {"lang", required_argument, NULL, 'T'},
	    {"qr", no_argument, NULL, 'R'},
	    {"grace", required_argument, NULL, 'g'},
	    {"code-days", required_argument, NULL, 'c'},
	    {"code-answers", required_argument, NULL, 'K'},
	    {"drop-old", no_argument, NULL, 'D'},
	    {"labels", no_argument, NULL, 'L'},
	    {"same-disk", no_argument, NULL, 'S'},
	    {"chaff-up-to", required_argument, NULL, 'U'},
	    {"newest-from", required_argument, NULL, 'N'},
	    {"cover-every", required_argument, NULL, 'E'},
	    {"png", required_argument, NULL, 'G'},
	    {"attestation", required_argument, NULL, 'A'},
	    {"previous", required_argument, NULL, 'v'},
	    {"minisign", no_argument, NULL, 'M'},
	    {"reason", required_argument, NULL, 'r'},
	    {"file", required_argument, NULL, 'f'},
	    {"jobs", required_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0}};
	int c;
	memset(o, 0, sizeof *o);
	o->grace = FERRY_GRACE_DEFAULT;
	while ((c = getopt_long(argc, argv, "o:j:hV", lopts, NULL)) != -1) {
		switch (c) {
		case 'P': o->passfile = optarg; break;
		case 'k': o->kdf = optarg; break;
		case 'n': o->forms = cli_parse_count(optarg); break;
		case 'l': o->label = optarg; break;
		case 'x': o->expires = optarg; break;
		case 'o': o->output = optarg; break;
		case 'Q': o->questions = optarg; break;
		case 'p': o->paper = optarg; break;
		case 'm': o->qr_module = cli_parse_count(optarg); break;
		case 'W': o->web = optarg; break;
		case 'T': o->lang = optarg; break;
		case 'R': o->qr = 1; break;
		case 'g': o->grace = cli_parse_count(optarg); break;
		case 'c':
			if ((o->code_days = cli_parse_count(optarg)) == 0)
				o->code_days = -1;
			break;
		case 'K':
			if ((o->code_answers = cli_parse_count(optarg)) == 0)
				o->code_answers = -1;
			break;
		case 'D': o->drop_old = 1; break;
		case 'L': o->labels = 1; break;
		case 'S': o->same_disk = 1; break;
		case 'U': {
			char *end = NULL;
			unsigned long long v = strtoull(optarg, &end, 10);
			uint64_t unit = *end == 'K'   ? 1024u
			                : *end == 'M' ? 1u << 20
			                              : 1u;
			if (end == optarg || (*end && end[1]) || (*end && unit == 1) ||
			    v == 0 || v > (1ull << 30)) {
				cli_error("--chaff-up-to takes a size like 64K or 16M");
				return EXIT_OP;
			}
			o->chaff_up_to = v * unit;
			break;
		}
		case 'N': o->newest_from = optarg; break;
		case 'E':
			if ((o->cover_every = cli_parse_count(optarg)) == 0)
				o->cover_every = -1;
			break;
		case 'G': o->png = optarg; break;
		case 'A': o->attestation = optarg; break;
		case 'v': o->previous = optarg; break;
		case 'M': o->minisign = 1; break;
		case 'r': o->reason = optarg; break;
		case 'f': o->file = optarg; break;
		case 'j':
			o->jobs = cli_parse_count(optarg);
			if (o->jobs < 1 ||
			    o->jobs > (long)FERRY_OPENPIPE_MAX_WORKERS + 1) {
				cli_error("--jobs takes a number from 1 to %u",
				          FERRY_OPENPIPE_MAX_WORKERS + 1);
				return EXIT_OP;
			}
			break;
		case 'h': o->help = 1; break;
		case 'V':
			printf("ferry-desk %s\n%s", FERRY_VERSION, FERRY_LICENSE_LINE);
			return EXIT_OK;
		default: desk_usage(stderr); return EXIT_OP;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	opts_t o;
	cli_init("ferry-desk");
	int ec = parse_args(argc, argv, &o);
	if (ec >= 0)
		return ec;
	const desk_command *cmd = optind < argc ? find_command(argv[optind]) : NULL;
	if (o.help) {
		/* init asks for the new passphrase. */
		if (cmd)
			desk_command_help(stdout, cmd->name,
			                  cmd->unlocks || cmd->run == cmd_init);
		else
			desk_usage(stdout);
		return EXIT_OK;
	}
	if (optind >= argc) {
		cli_error("no command given");
		cli_hint(
		    "'ferry-desk --help' lists the commands; 'ferry-desk COMMAND --help' says what one takes");
		return EXIT_OP;
	}
	if (!cmd && !strcmp(argv[optind], "relay-profile")) {
		cli_error(
		    "relay-profile is gone: a relay profile let anyone with a seal code recognise this desk's traffic");
		cli_hint(
		    "give relays a relay credential instead: 'ferry-desk relay-credential DESK -o FILE'");
		return EXIT_OP;
	}
	if (!cmd) {
		cli_error("unknown command '%s'", argv[optind]);
		cli_hint("'ferry-desk --help' lists the commands");
		return EXIT_OP;
	}
	if (argc - optind < 2) {
		cli_error("%s needs DESK, the desk's folder", cmd->name);
		desk_command_help(stderr, cmd->name, cmd->unlocks);
		return EXIT_OP;
	}
	const char *dir = argv[optind + 1];
	char **rest = argv + optind + 2;
	int nrest = argc - optind - 2;
	if (nrest < cmd->min_rest || (cmd->max_rest >= 0 && nrest > cmd->max_rest) ||
	    (cmd->needs_output && !o.output)) {
		cli_error("usage: %s", cmd->usage);
		return EXIT_OP;
	}
	if (o.output && cli_require_destination(o.output, "-o", 0) != EXIT_OK)
		return EXIT_OP;
	if (cli_sodium_init() != 0)
		return EXIT_OP;
	ferry_desk *d = NULL;
	ferry_lock lock = {-1};
	ferry_err e;
	if (cmd->unlocks &&
	    cli_require(dir, "vault", "a ferry desk",
	                "check the path, or create a desk with 'ferry-desk init'") !=
	        EXIT_OK)
		return EXIT_OP;
	if (cmd->unlocks && ferry_lock_take(&lock, dir, "the desk", cmd->writes,
	                                    FERRY_LOCK_WAIT_MS, &e) != FERRY_OK)
		return cli_report(&e);
	if (cmd->unlocks && !(d = unlock(dir, &o, &ec))) {
		ferry_lock_release(&lock);
		return ec;
	}
	/* Recovery rewrites the log and the vault: the table gives every
	 * command that recovers the exclusive lock. */
	assert(!cmd->recovers || cmd->writes);
	if (cmd->recovers && ferry_desk_recover(d, &e) != FERRY_OK)
		ec = cli_report(&e);
	else
		ec = cmd->run(dir, d, &o, rest, nrest);
	ferry_desk_close(d);
	ferry_lock_release(&lock);
	return ec;
}
