/* ferry-seal: the field contact's program. Seals sanitized page photos
 * into a bundle for one form; holds public keys only and cannot open a
 * bundle, its own included. */
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../forms/fileio.h"
#include "../forms/pack.h"
#include "../forms/seal.h"
#include "../forms/sealpipe.h"
#include "cli.h"

static const char USAGE[] =
    "usage: ferry-seal --pack FILE --form CODE --desk FINGERPRINT\n"
    "                  [--answers FILE] [--attach FILE]... [-o DIR|FILE|-]\n"
    "                  [-j N] PAGE...\n"
    "       ferry-seal --code SEALCODE | --code-file FILE --desk FINGERPRINT ...\n"
    "       ferry-seal --pack FILE --walk-in --desk FINGERPRINT ...\n"
    "       ferry-seal --check PAGE...\n"
    "\n"
    "  --pack FILE          the pack of forms the desk gave you\n"
    "  --form CODE          the form code printed on the form (K7QF-M2XA)\n"
    "  --code SEALCODE      the seal code from the form's QR code (instead of --pack)\n"
    "  --code-file FILE     read the seal code from FILE\n"
    "  --walk-in            seal to the pack without a form\n"
    "  --desk FINGERPRINT   the desk's fingerprint, checked out of band (required)\n"
    "  --answers FILE       typed answers (UTF-8 text)\n"
    "  --attach FILE        carry FILE unchanged (its metadata is NOT removed)\n"
    "  -o, --output PATH    folder for the bundle, a file name, or - for stdout\n"
    "  --check              only show what metadata the pages carry; seal nothing\n"
    "  -j, --jobs N         encrypt on N threads (default: one per CPU, up to 8)\n"
    "  -q, --quiet          print only errors\n"
    "  -h, --help           this help\n"
    "  -V, --version        the version\n";

static void usage(FILE *f)
{
	fputs(USAGE, f);
}

static int read_code_file(const char *path, char *out, size_t cap)
{
	uint8_t *d = NULL;
	size_t n = 0;
	const char *why = "";
	if (ferry_read_file(path, 8192, &d, &n, &why) != 0) {
		cli_error("cannot read the seal code file %s: %s", path, why);
		return -1;
	}
	snprintf(out, cap, "%s", (char *)d);
	free(d);
	return 0;
}

/* Exit code for a failed fingerprint check of what (a pack or a code). */
static int fingerprint_failed(int fpc, const char *what)
{
	if (fpc == -2) {
		cli_error("--desk is not a fingerprint (32 characters in groups of "
		          "four)");
		return EXIT_OP;
	}
	cli_error("the %s was not signed by the desk whose fingerprint you gave: "
	          "do not use it; check the fingerprint with the journalist",
	          what);
	return EXIT_CHECK;
}

static int check_pages(char **pages, int n, int quiet)
{
	int bad = 0;
	for (int i = 0; i < n; i++) {
		ferry_page_result r;
		if (ferry_sanitize_path(pages[i], NULL, NULL, &r) != 0) {
			cli_error("%s", r.error);
			bad = 1;
			continue;
		}
		if (!quiet)
			printf("%s: %s %ux%u, %s%s\n", pages[i],
			       r.type == FERRY_PAGE_JPEG ? "JPEG" : "PNG", r.width,
			       r.height, r.report,
			       r.orientation > 1
			           ? "; orientation kept as a manifest field"
			           : "");
	}
	return bad ? EXIT_OP : EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"pack", required_argument, NULL, 'p'},
	    {"form", required_argument, NULL, 'f'},
	    {"code", required_argument, NULL, 'c'},
	    {"code-file", required_argument, NULL, 'C'},
	    {"walk-in", no_argument, NULL, 'w'},
	    {"desk", required_argument, NULL, 'd'},
	    {"answers", required_argument, NULL, 'a'},
	    {"attach", required_argument, NULL, 'A'},
	    {"output", required_argument, NULL, 'o'},
	    {"check", no_argument, NULL, 'k'},
	    {"jobs", required_argument, NULL, 'j'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0}};
	const char *pack_path = NULL, *form = NULL, *code = NULL, *code_file = NULL;
	const char *desk = NULL, *answers = NULL, *output = NULL;
#define MAX_ATTACH 64
	const char *attach[MAX_ATTACH];
	size_t nattach = 0;
	int walk_in = 0, check = 0, quiet = 0, c;
	long jobs = 0;
	char codebuf[8192];

	cli_init("ferry-seal");
	cli_harden();
	while ((c = getopt_long(argc, argv, "o:j:qhV", opts, NULL)) != -1) {
		switch (c) {
		case 'p': pack_path = optarg; break;
		case 'f': form = optarg; break;
		case 'c': code = optarg; break;
		case 'C': code_file = optarg; break;
		case 'w': walk_in = 1; break;
		case 'd': desk = optarg; break;
		case 'a': answers = optarg; break;
		case 'A':
			if (nattach == MAX_ATTACH) {
				cli_error("at most %d --attach files", MAX_ATTACH);
				return EXIT_OP;
			}
			attach[nattach++] = optarg;
			break;
		case 'o': output = optarg; break;
		case 'k': check = 1; break;
		case 'j':
			jobs = cli_parse_count(optarg);
			if (jobs < 1 || jobs > (long)FERRY_SEALPIPE_MAX_WORKERS + 1) {
				cli_error("--jobs takes a number from 1 to %u",
				          FERRY_SEALPIPE_MAX_WORKERS + 1);
				return EXIT_OP;
			}
			break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return EXIT_OK;
		case 'V': printf("ferry-seal %s\n", FERRY_VERSION); return EXIT_OK;
		default: usage(stderr); return EXIT_OP;
		}
	}
	char **pages = argv + optind;
	int npages = argc - optind;
	if (sodium_init() < 0) {
		cli_error("libsodium failed to start");
		return EXIT_OP;
	}
	if (check) {
		if (npages == 0) {
			cli_error("--check needs at least one PAGE");
			return EXIT_OP;
		}
		return check_pages(pages, npages, quiet);
	}
	int sources = (pack_path != NULL) + (code != NULL) + (code_file != NULL);
	if (sources != 1) {
		cli_error("give exactly one of --pack, --code or --code-file");
		usage(stderr);
		return EXIT_OP;
	}
	if (pack_path && !form && !walk_in) {
		cli_error("--pack needs --form CODE (the code printed on the "
		          "form), or "
		          "--walk-in");
		return EXIT_OP;
	}
	if ((form && walk_in) || (walk_in && !pack_path) || (form && !pack_path)) {
		cli_error("--form goes with --pack; --walk-in goes with --pack "
		          "alone");
		return EXIT_OP;
	}
	if (!desk) {
		cli_error("--desk FINGERPRINT is required: without the desk's "
		          "fingerprint, checked with the journalist out of band, a "
		          "forged pack cannot be told from a real one");
		return EXIT_OP;
	}

	/* The keys are verified before any page is read. */
	ferry_form_pub fp;
	const char *why = "";
	memset(&fp, 0, sizeof fp);
	if (pack_path) {
		uint8_t *bytes = NULL;
		size_t len = 0;
		ferry_pack *pk = malloc(sizeof *pk);
		if (!pk)
			return EXIT_OP;
		if (ferry_read_file(pack_path, 1u << 20, &bytes, &len, &why) != 0) {
			cli_error("cannot read the pack %s: %s", pack_path, why);
			free(pk);
			return EXIT_OP;
		}
		int prc = ferry_pack_parse(pk, bytes, len, &why);
		free(bytes);
		if (prc != 0) {
			cli_error("%s: %s; do not use it, ask the desk for a "
			          "new pack",
			          pack_path, why);
			free(pk);
			return EXIT_CHECK;
		}
		int fpc = ferry_fingerprint_check(desk, pk->identity_pk);
		if (fpc != 0) {
			free(pk);
			return fingerprint_failed(fpc, "pack");
		}
		int found = -1;
		if (form) {
			uint8_t want[FERRY_FORM_CODE_LEN];
			if (ferry_form_code_parse(want, form) != 0) {
				cli_error("--form %s is not a form code (like "
				          "K7QF-M2XA)",
				          form);
				free(pk);
				return EXIT_OP;
			}
			for (uint16_t i = 0; i < pk->nforms; i++)
				if (!memcmp(pk->forms[i].code, want,
				            FERRY_FORM_CODE_LEN))
					found = i;
			if (found < 0) {
				cli_error("form %s is not in this pack: check "
				          "the code on the "
				          "form",
				          form);
				free(pk);
				return EXIT_OP;
			}
		}
		ferry_pack_form_pub(&fp, pk, (uint16_t)(found < 0 ? 0 : found));
		free(pk);
	} else {
		if (code_file &&
		    read_code_file(code_file, codebuf, sizeof codebuf) != 0)
			return EXIT_OP;
		if (ferry_sealcode_decode(&fp, code_file ? codebuf : code, &why) != 0) {
			cli_error("%s", why);
			return EXIT_CHECK;
		}
		int fpc = ferry_fingerprint_check(desk, fp.identity_pk);
		if (fpc != 0)
			return fingerprint_failed(fpc, "seal code");
	}
	if (fp.expires_day && fp.expires_day < ferry_today()) {
		char d[11];
		ferry_day_text(d, fp.expires_day);
		cli_error("this pack expired on %s: ask the desk for new forms", d);
		return EXIT_CHECK;
	}

	ferry_seal_input in = {(const char *const *)pages,
	                       (size_t)npages,
	                       answers,
	                       attach,
	                       nattach,
	                       walk_in,
	                       (unsigned)jobs};
	ferry_err e;
	if (ferry_seal_precheck(&in, &e) != FERRY_OK) {
		cli_error("%s; nothing was sealed", e.msg);
		return EXIT_OP;
	}

	/* Where the bundle goes: a temp file renamed into place, or stdout. */
	char final[FERRY_PATH_MAX], tmp[FERRY_PATH_MAX], dir[FERRY_PATH_MAX];
	int to_stdout = output && !strcmp(output, "-");
	int fd = -1;
	struct stat st;
	if (to_stdout) {
		if (isatty(STDOUT_FILENO)) {
			cli_error("refusing to write a binary bundle to a "
			          "terminal; use -o "
			          "FILE or a pipe");
			return EXIT_OP;
		}
		fd = STDOUT_FILENO;
	} else {
		char name[32];
		ferry_random_name(name, 20);
		if (!output || (stat(output, &st) == 0 && S_ISDIR(st.st_mode)))
			snprintf(final, sizeof final, "%s/%s", output ? output : ".",
			         name);
		else
			snprintf(final, sizeof final, "%s", output);
		if (lstat(final, &st) == 0) {
			cli_error("%s already exists; refusing to overwrite it", final);
			return EXIT_OP;
		}
		ferry_dirname(dir, sizeof dir, final);
		fd = ferry_tmp_open(dir, 0600, tmp, sizeof tmp);
		if (fd < 0) {
			cli_error("cannot write in %s: %s", dir, strerror(errno));
			return EXIT_OP;
		}
	}
	for (size_t i = 0; i < nattach; i++)
		cli_warn("%s is carried as an opaque attachment: its metadata (GPS, "
		         "times, device) was NOT removed",
		         attach[i]);

	ferry_seal_report rep;
	int rc = ferry_seal_bundle(&fp, &in, ferry_write_fd, &fd, &rep, &e);
	if (rc != FERRY_OK) {
		if (!to_stdout)
			ferry_tmp_abort(fd, tmp);
		ferry_seal_report_free(&rep);
		cli_error("%s", e.msg);
		return cli_exit_code(rc);
	}
	if (!to_stdout && ferry_tmp_commit(fd, tmp, final, 1) != 0) {
		cli_error("cannot store the bundle as %s: %s", final, strerror(errno));
		ferry_seal_report_free(&rep);
		return EXIT_OP;
	}
	FILE *msg = to_stdout ? stderr : stdout;
	if (!quiet) {
		char fc[FERRY_CODE_TEXT_LEN + 1];
		ferry_form_code_text(fc, fp.form_code);
		for (int i = 0; i < npages; i++)
			fprintf(msg, "page-%02d.%s  from %s: removed %s\n", i + 1,
			        rep.pages[i].type == FERRY_PAGE_JPEG ? "jpg" : "png",
			        pages[i], rep.pages[i].report);
		fprintf(msg, "sealed %d page%s%s%s for %s%s into %s (%llu bytes)\n",
		        npages, npages == 1 ? "" : "s", answers ? " and answers" : "",
		        nattach ? " and attachments" : "",
		        walk_in ? "pack (walk-in)" : "form ", walk_in ? "" : fc,
		        to_stdout ? "stdout" : final,
		        (unsigned long long)rep.bundle_len);
	}
	ferry_seal_report_free(&rep);
	return EXIT_OK;
}
