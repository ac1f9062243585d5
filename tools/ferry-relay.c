/* ferry-relay: the investigator's program. Checks, dedupes and forwards
 * bundles it cannot read. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/lock.h"
#include "../relay/spool.h"
#include "cli.h"

static const char USAGE[] =
    "usage: ferry-relay init SPOOL --credential FILE --desk FINGERPRINT [--keep-days N]\n"
    "       ferry-relay renew SPOOL --credential FILE --desk FINGERPRINT\n"
    "       ferry-relay accept SPOOL FILE... | --inbox DIR\n"
    "       ferry-relay chaff SPOOL --count N\n"
    "       ferry-relay forward SPOOL --to DIR [--min-batch K] [--max-wait HOURS]\n"
    "                           [--batch-size S] [--cover]\n"
    "       ferry-relay status SPOOL\n"
    "\n"
    "  --credential FILE    the relay credential the desk signed (secret)\n"
    "  --desk FINGERPRINT   the desk's fingerprint, checked out of band\n"
    "  --to DIR             where forwarded bundles go\n"
    "  --inbox DIR          accept: every file in DIR, removing each one accepted or\n"
    "                       refused as a duplicate (for a scheduled run)\n"
    "  --min-batch K        forward: send once K bundles wait (4)\n"
    "  --max-wait HOURS     forward: or once the oldest has waited HOURS (24)\n"
    "  --batch-size S       forward: top batches up with chaff to a multiple of S\n"
    "                       (default: 4, 8, 16, 32, 64, then multiples of 64)\n"
    "  --cover              forward: when nothing is sent, send a batch of chaff\n"
    "  --count N            chaff: how many chaff bundles to add (1 to 10000)\n"
    "  --keep-days N        init: remember bundles against duplicates for N days (30)\n"
    "  -h, --help           this help\n"
    "  -V, --version        the version\n";

static void usage(FILE *f)
{
	fputs(USAGE, f);
}

typedef struct {
	const char *credential, *desk, *to, *inbox;
	long keep_days, count, min_batch, max_wait, batch_size;
	int cover;
} relay_opts;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The inbox's regular files, sorted; a ferry program's temp file still
 * being written (".tmp-") is left for the next run. */
static char **inbox_files(const char *dir, int *n)
{
	DIR *d = opendir(dir);
	char **l = NULL;
	size_t cap = 0;
	*n = 0;
	if (!d)
		return NULL;
	struct dirent *de;
	struct stat st;
	while ((de = readdir(d)) != NULL) {
		char p[FERRY_PATH_MAX];
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strncmp(de->d_name, ".tmp-", 5) ||
		    ferry_path_join(p, sizeof p, dir, de->d_name) != 0 ||
		    lstat(p, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if ((size_t)*n == cap) {
			cap = cap ? cap * 2 : 64;
			char **q = realloc(l, cap * sizeof *l);
			if (!q)
				break;
			l = q;
		}
		if (!(l[*n] = strdup(p)))
			break;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(l, (size_t)*n, sizeof *l, cmp_str);
	return l;
}

static int cmd_accept(ferry_spool *s, const relay_opts *o, char **files, int nfiles)
{
	ferry_err e;
	unsigned ok = 0, bad = 0, taken = 0;
	int ec = EXIT_OK, ninbox = 0;
	char **inbox = NULL;
	if (!o->inbox == !nfiles) {
		cli_error("usage: ferry-relay accept SPOOL FILE... | --inbox DIR");
		return EXIT_OP;
	}
	if (o->inbox) {
		struct stat st;
		if (stat(o->inbox, &st) != 0 || !S_ISDIR(st.st_mode)) {
			cli_error("--inbox '%s' is not a folder", o->inbox);
			return EXIT_OP;
		}
		inbox = inbox_files(o->inbox, &ninbox);
		files = inbox;
		nfiles = ninbox;
	}
	for (int i = 0; i < nfiles; i++) {
		char name[FERRY_SPOOL_NAME_LEN + 1], shown[1024];
		int rc = ferry_spool_accept(s, files[i], name, &e);
		/* From the inbox goes what the spool now holds or already held
		 * (an exact duplicate): a scheduled run leaves it empty of
		 * everything but what was refused, for the investigator to see. */
		int done = rc == FERRY_OK || (rc == FERRY_EVERIFY && name[0]);
		if (inbox && done && unlink(files[i]) == 0)
			taken++;
		if (rc == FERRY_OK) {
			printf("accepted %s (stored as %.8s...)\n",
			       cli_shown(shown, sizeof shown, files[i]), name);
			ok++;
			continue;
		}
		int r = cli_report_ctx(&e, "rejected '%s'", files[i]);
		bad++;
		if (r > ec)
			ec = r;
	}
	printf("%u accepted, %u rejected\n", ok, bad);
	if (inbox) {
		if (taken && ferry_fsync_dir(o->inbox) != 0)
			cli_warn("cannot sync '%s'", o->inbox);
		for (int i = 0; i < ninbox; i++)
			free(inbox[i]);
		free(inbox);
	}
	return ec;
}

static int cmd_chaff(ferry_spool *s, const relay_opts *o, char **files, int nfiles)
{
	ferry_err e;
	unsigned made = 0;
	(void)files, (void)nfiles;
	if (o->count < 1 || o->count > 10000) {
		cli_error("--count takes a number of chaff bundles from 1 to 10000");
		return EXIT_OP;
	}
	if (ferry_spool_chaff(s, (unsigned)o->count, &made, &e) != FERRY_OK) {
		ferry_hint(&e, "%u chaff bundle%s were added before this", made,
		           made == 1 ? "" : "s");
		return cli_report(&e);
	}
	printf("added %u chaff bundle%s\n", made, made == 1 ? "" : "s");
	return EXIT_OK;
}

/* Says only what the destination sees (how many files arrived), never
 * how many were chaff: a journal of scheduled runs then tells no more
 * than the traffic does. */
static int cmd_forward(ferry_spool *s, const relay_opts *o, char **files, int nfiles)
{
	ferry_err e;
	ferry_forward_result r;
	(void)files, (void)nfiles;
	if (o->min_batch < 1 || o->min_batch > 100000) {
		cli_error("--min-batch takes a number of bundles from 1 to 100000");
		return EXIT_OP;
	}
	if (o->max_wait < 0 || o->max_wait > 8760) {
		cli_error("--max-wait takes a number of hours from 0 to 8760");
		return EXIT_OP;
	}
	if (o->batch_size < 0 || o->batch_size > FERRY_BATCH_SIZE_MAX) {
		cli_error("--batch-size takes a number of bundles from 1 to %d",
		          FERRY_BATCH_SIZE_MAX);
		return EXIT_OP;
	}
	ferry_batch_policy p = {(unsigned)o->min_batch, (unsigned)o->max_wait,
	                        (unsigned)o->batch_size, o->cover};
	int rc = ferry_spool_forward(s, o->to, &p, &r, &e);
	if (r.resumed)
		printf("finished an interrupted forward: %u bundle%s\n", r.resumed,
		       r.resumed == 1 ? "" : "s");
	if (rc != FERRY_OK) {
		ferry_hint(&e, "run forward again: it finishes a batch it started and "
		               "puts back one it did not");
		return cli_report(&e);
	}
	if (r.sent)
		printf("forwarded a batch of %u bundle%s to %s\n", r.sent,
		       r.sent == 1 ? "" : "s", o->to);
	else if (r.cover_wait)
		printf(
		    "nothing forwarded: the desk's credential sends cover at most every "
		    "%u hours, and a batch left less than that ago (the next cover in "
		    "%u hour%s)\n",
		    (unsigned)s->cred.cover_hours, r.cover_wait,
		    r.cover_wait == 1 ? "" : "s");
	else
		printf(
		    "nothing forwarded: a batch goes when --min-batch bundles wait or "
		    "the oldest has waited --max-wait hours\n");
	return EXIT_OK;
}

static int cmd_status(ferry_spool *s, const relay_opts *o, char **files, int nfiles)
{
	ferry_err e;
	ferry_spool_status st;
	(void)o, (void)files, (void)nfiles;
	if (ferry_spool_stat(s, &st, &e) != FERRY_OK)
		return cli_report(&e);
	printf(
	    "waiting: %u\nforwarding (interrupted): %u\nremembered against duplicates (at most %u days): %u\npartial copies in tmp: %u\n",
	    st.waiting, st.sending, st.keep_days, st.remembered, st.stale_tmp);
	return EXIT_OK;
}

/* Commands on an existing spool; init makes one. */
typedef struct {
	const char *name;
	int (*run)(ferry_spool *s, const relay_opts *o, char **files, int nfiles);
	int min_files, max_files; /* max -1: any number */
	int needs_to;
	int writes; /* holds the spool's lock exclusively (else shared) */
	const char *usage;
} relay_command;

static const relay_command COMMANDS[] = {
    {"accept", cmd_accept, 0, -1, 0, 1, "ferry-relay accept SPOOL FILE... | --inbox DIR"},
    {"chaff", cmd_chaff, 0, 0, 0, 1, "ferry-relay chaff SPOOL --count N"},
    {"forward", cmd_forward, 0, 0, 1, 1,
     "ferry-relay forward SPOOL --to DIR [--min-batch K] [--max-wait HOURS] [--batch-size S] [--cover]"},
    {"status", cmd_status, 0, 0, 0, 0, "ferry-relay status SPOOL"},
};

static int cmd_init(const char *spool, const relay_opts *o, int nfiles)
{
	ferry_err e;
	if (!o->credential || !o->desk || nfiles) {
		cli_error(
		    "usage: ferry-relay init SPOOL --credential FILE --desk FINGERPRINT");
		return EXIT_OP;
	}
	if (o->keep_days < 1 || o->keep_days > FERRY_KEEP_DAYS_MAX) {
		cli_error("--keep-days takes a number of days from 1 to %d",
		          FERRY_KEEP_DAYS_MAX);
		return EXIT_OP;
	}
	if (ferry_spool_init(spool, o->credential, o->desk, (unsigned)o->keep_days,
	                     &e) != FERRY_OK)
		return cli_report(&e);
	printf("created relay spool %s\n", spool);
	return EXIT_OK;
}

/* SPOOL is a spool (checked before a lock file is made in it). One made
 * from an old relay profile passes here: opening it says what to do. */
static int is_spool(const char *spool, const char *hint)
{
	char p[FERRY_PATH_MAX];
	struct stat st;
	if (snprintf(p, sizeof p, "%s/profile", spool) < (int)sizeof p &&
	    lstat(p, &st) == 0 && S_ISREG(st.st_mode))
		return EXIT_OK;
	return cli_require(spool, "credential", "a relay spool", hint);
}

/* A new credential from the same desk, after it rotated its keys: in
 * place, under the spool's lock, with nothing else changed. */
static int cmd_renew(const char *spool, const relay_opts *o, int nfiles)
{
	ferry_err e;
	ferry_lock lock = {-1};
	if (!o->credential || !o->desk || nfiles) {
		cli_error(
		    "usage: ferry-relay renew SPOOL --credential FILE --desk FINGERPRINT");
		return EXIT_OP;
	}
	if (is_spool(spool, "name the folder 'ferry-relay init' made") != EXIT_OK)
		return EXIT_OP;
	if (ferry_lock_take(&lock, spool, "the spool", 1, FERRY_LOCK_WAIT_MS, &e) !=
	    FERRY_OK)
		return cli_report(&e);
	int rc = ferry_spool_renew(spool, o->credential, o->desk, &e);
	ferry_lock_release(&lock);
	if (rc != FERRY_OK)
		return cli_report(&e);
	printf("renewed the credential of %s\n", spool);
	return EXIT_OK;
}

static int run_command(const char *name, const char *spool, const relay_opts *o,
                       char **files, int nfiles)
{
	const relay_command *cmd = NULL;
	ferry_err e;
	ferry_spool *s = NULL;
	for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
		if (!strcmp(COMMANDS[i].name, name))
			cmd = &COMMANDS[i];
	if (!cmd) {
		cli_error("unknown command '%s'", name);
		usage(stderr);
		return EXIT_OP;
	}
	if (o->inbox && cmd->run != cmd_accept) {
		cli_error("--inbox goes with accept only");
		return EXIT_OP;
	}
	if (nfiles < cmd->min_files ||
	    (cmd->max_files >= 0 && nfiles > cmd->max_files) ||
	    (cmd->needs_to && !o->to)) {
		cli_error("usage: %s", cmd->usage);
		return EXIT_OP;
	}
	if (o->to && cli_require_destination(o->to, "--to", 1) != EXIT_OK)
		return EXIT_OP;
	ferry_lock lock = {-1};
	if (is_spool(spool,
	             "check the path, or create a spool with 'ferry-relay init'") !=
	    EXIT_OK)
		return EXIT_OP;
	if (ferry_lock_take(&lock, spool, "the spool", cmd->writes, FERRY_LOCK_WAIT_MS,
	                    &e) != FERRY_OK)
		return cli_report(&e);
	if (ferry_spool_open(&s, spool, &e) != FERRY_OK) {
		ferry_lock_release(&lock);
		return cli_report(&e);
	}
	int ec = cmd->run(s, o, files, nfiles);
	if (ferry_spool_close(s) != 0) {
		cli_warn(
		    "could not rewrite the spool's memory (%s): this run's bundles are not remembered against duplicates (the desk still refuses them)",
		    strerror(errno));
		if (ec == EXIT_OK)
			ec = EXIT_OP;
	}
	ferry_lock_release(&lock);
	return ec;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"credential", required_argument, NULL, 'c'},
	    {"profile", required_argument, NULL, 'p'},
	    {"desk", required_argument, NULL, 'd'},
	    {"to", required_argument, NULL, 't'},
	    {"inbox", required_argument, NULL, 'i'},
	    {"keep-days", required_argument, NULL, 'k'},
	    {"count", required_argument, NULL, 'n'},
	    {"min-batch", required_argument, NULL, 'm'},
	    {"max-wait", required_argument, NULL, 'w'},
	    {"batch-size", required_argument, NULL, 'b'},
	    {"cover", no_argument, NULL, 'C'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0}};
	relay_opts o = {NULL,
	                NULL,
	                NULL,
	                NULL,
	                FERRY_KEEP_DAYS_DEFAULT,
	                0,
	                FERRY_BATCH_MIN_BATCH_DEFAULT,
	                FERRY_BATCH_MAX_WAIT_DEFAULT,
	                0,
	                0};
	int c;
	cli_init("ferry-relay");
	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (c) {
		case 'c': o.credential = optarg; break;
		case 'p':
			cli_error(
			    "--profile is gone: a relay profile let anyone with a seal code recognise the desk's traffic");
			cli_hint(
			    "ask the journalist for a relay credential and use --credential FILE");
			return EXIT_OP;
		case 'd': o.desk = optarg; break;
		case 't': o.to = optarg; break;
		case 'i': o.inbox = optarg; break;
		case 'k': o.keep_days = cli_parse_count(optarg); break;
		case 'n': o.count = cli_parse_count(optarg); break;
		case 'm': o.min_batch = cli_parse_count(optarg); break;
		case 'w': o.max_wait = cli_parse_count(optarg); break;
		case 'b':
			/* 0 is the class default, not a size one can ask for. */
			o.batch_size = cli_parse_count(optarg);
			if (o.batch_size == 0)
				o.batch_size = -1;
			break;
		case 'C': o.cover = 1; break;
		case 'h': usage(stdout); return EXIT_OK;
		case 'V':
			printf("ferry-relay %s\n%s", FERRY_VERSION, FERRY_LICENSE_LINE);
			return EXIT_OK;
		default: usage(stderr); return EXIT_OP;
		}
	}
	if (argc - optind < 2) {
		usage(stderr);
		return EXIT_OP;
	}
	if (cli_sodium_init() != 0)
		return EXIT_OP;
	const char *cmd = argv[optind], *spool = argv[optind + 1];
	char **files = argv + optind + 2;
	int nfiles = argc - optind - 2;
	if (!strcmp(cmd, "init"))
		return cmd_init(spool, &o, nfiles);
	if (!strcmp(cmd, "renew"))
		return cmd_renew(spool, &o, nfiles);
	return run_command(cmd, spool, &o, files, nfiles);
}
