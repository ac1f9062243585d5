/* ferry-relay: the investigator's program. Checks, dedupes and forwards
 * bundles it cannot read. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../relay/spool.h"
#include "cli.h"

static const char USAGE[] =
    "usage: ferry-relay init SPOOL --profile FILE --desk FINGERPRINT\n"
    "       ferry-relay accept SPOOL FILE...\n"
    "       ferry-relay forward SPOOL --to DIR\n"
    "       ferry-relay status SPOOL\n"
    "\n"
    "  --profile FILE       the relay profile the desk signed\n"
    "  --desk FINGERPRINT   the desk's fingerprint, checked out of band\n"
    "  --to DIR             where forwarded bundles go\n"
    "  -h, --help           this help\n"
    "  -V, --version        the version\n";

static void usage(FILE *f)
{
	fputs(USAGE, f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"profile", required_argument, NULL, 'p'},
	                                     {"desk", required_argument, NULL, 'd'},
	                                     {"to", required_argument, NULL, 't'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {"version", no_argument, NULL, 'V'},
	                                     {NULL, 0, NULL, 0}};
	const char *profile = NULL, *desk = NULL, *to = NULL;
	int c;
	cli_init("ferry-relay");
	cli_harden();
	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (c) {
		case 'p': profile = optarg; break;
		case 'd': desk = optarg; break;
		case 't': to = optarg; break;
		case 'h': usage(stdout); return EXIT_OK;
		case 'V': printf("ferry-relay %s\n", FERRY_VERSION); return EXIT_OK;
		default: usage(stderr); return EXIT_OP;
		}
	}
	if (argc - optind < 2) {
		usage(stderr);
		return EXIT_OP;
	}
	const char *cmd = argv[optind], *spool = argv[optind + 1];
	char **files = argv + optind + 2;
	int nfiles = argc - optind - 2;
	if (sodium_init() < 0) {
		cli_error("libsodium failed to start");
		return EXIT_OP;
	}
	ferry_err e;
	if (!strcmp(cmd, "init")) {
		if (!profile || !desk || nfiles) {
			cli_error("init needs SPOOL --profile FILE --desk FINGERPRINT");
			return EXIT_OP;
		}
		int rc = ferry_spool_init(spool, profile, desk, &e);
		if (rc != FERRY_OK) {
			cli_error("%s", e.msg);
			return cli_exit_code(rc);
		}
		printf("created relay spool %s\n", spool);
		return EXIT_OK;
	}
	ferry_spool *s = NULL;
	int rc = ferry_spool_open(&s, spool, &e);
	if (rc != FERRY_OK) {
		cli_error("%s", e.msg);
		return cli_exit_code(rc);
	}
	int exit_code = EXIT_OK;
	if (!strcmp(cmd, "accept")) {
		if (nfiles == 0) {
			cli_error("accept needs at least one FILE");
			exit_code = EXIT_OP;
		}
		unsigned ok = 0, bad = 0;
		for (int i = 0; i < nfiles; i++) {
			char name[FERRY_SPOOL_NAME_LEN + 1];
			int r = ferry_spool_accept(s, files[i], name, &e);
			if (r == FERRY_OK) {
				printf("accepted %s (stored as %.8s...)\n", files[i],
				       name);
				ok++;
			} else {
				cli_error("rejected %s: %s", files[i], e.msg);
				bad++;
				int ec = cli_exit_code(r);
				if (ec > exit_code)
					exit_code = ec;
			}
		}
		if (nfiles)
			printf("%u accepted, %u rejected\n", ok, bad);
	} else if (!strcmp(cmd, "forward")) {
		unsigned moved = 0;
		if (!to || nfiles) {
			cli_error("forward needs SPOOL --to DIR");
			exit_code = EXIT_OP;
		} else if ((rc = ferry_spool_forward(s, to, &moved, &e)) != FERRY_OK) {
			cli_error("%s (%u bundles were forwarded before this)", e.msg,
			          moved);
			exit_code = cli_exit_code(rc);
		} else {
			printf("forwarded %u bundle%s to %s\n", moved,
			       moved == 1 ? "" : "s", to);
		}
	} else if (!strcmp(cmd, "status")) {
		ferry_spool_status st;
		if ((rc = ferry_spool_stat(s, &st, &e)) != FERRY_OK) {
			cli_error("%s", e.msg);
			exit_code = cli_exit_code(rc);
		} else {
			printf(
			    "waiting: %u\nforwarding (interrupted): %u\nforwarded: %u\n"
			    "partial copies in tmp: %u\n",
			    st.waiting, st.sending, st.forwarded, st.stale_tmp);
		}
	} else {
		cli_error("unknown command '%s'", cmd);
		usage(stderr);
		exit_code = EXIT_OP;
	}
	ferry_spool_close(s);
	return exit_code;
}
