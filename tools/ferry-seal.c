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

#include "../common/fileio.h"
#include "../common/i18n.h"
#include "../seal/formfind.h"
#include "../seal/seal.h"
#include "../seal/sealpipe.h"
#include "../trust/pack.h"
#include "../trust/release.h"
#include "../trust/word.h"
#include "cli.h"

/* TRANSLATORS: keep the option names (--desk, -o ...) as they are. */
static const char USAGE[] = N_(
    "usage: ferry-seal --desk FINGERPRINT [-o DIR|FILE|-] PAGE...\n"
    "       ferry-seal --pack FILE --form CODE --desk FINGERPRINT\n"
    "                  [--answers FILE] [--attach FILE]... [-o DIR|FILE|-]\n"
    "                  [-j N] [--force] PAGE...\n"
    "       ferry-seal --code SEALCODE | --code-file FILE --desk FINGERPRINT ...\n"
    "       ferry-seal --pack FILE --walk-in --desk FINGERPRINT ...\n"
    "                  [--word WORD | --word-file FILE]\n"
    "       ferry-seal --check PAGE...\n"
    "       ferry-seal --verify FILE... --desk FINGERPRINT\n"
    "       (each with [--lang ko|zh|en])\n"
    "\n"
    "  (with neither --pack nor --code, the seal code is read from the QR code\n"
    "  on the photographed pages)\n"
    "  --pack FILE          the pack of forms the desk gave you\n"
    "  --form CODE          the form code printed on the form (K7QF-M2XA)\n"
    "  --code SEALCODE      the seal code from the form's QR code (instead of --pack)\n"
    "  --code-file FILE     read the seal code from FILE\n"
    "  --walk-in            seal to the pack without a form\n"
    "  --word-file FILE     the pack word from your key card, read from FILE\n"
    "  --word WORD          the pack word (others on this machine may see it;\n"
    "                       without either, it is asked on the terminal)\n"
    "  --desk FINGERPRINT   the desk's fingerprint, checked out of band (required)\n"
    "  --answers FILE       typed answers (UTF-8 text)\n"
    "  --attach FILE        carry FILE unchanged (its metadata is NOT removed)\n"
    "  --force              seal even when a page's QR code names another form\n"
    "  -o, --output PATH    folder for the bundle, a file name, or - for stdout\n"
    "  --check              only show what metadata the pages carry; seal nothing\n"
    "  --verify             check that the desk signed each FILE (FILE.minisig, from\n"
    "                       'ferry-desk sign'); seal nothing\n"
    "  -j, --jobs N         encrypt on N threads (default: one per CPU, up to 8)\n"
    "  -q, --quiet          print only errors\n"
    "  --lang ko|zh|en      messages in Korean, Chinese or English (default: from\n"
    "                       LANG and LC_MESSAGES)\n"
    "  -h, --help           this help\n"
    "  -V, --version        the version\n");

#ifndef FERRY_LOCALEDIR
#define FERRY_LOCALEDIR "/usr/local/share/locale"
#endif

static void usage(FILE *f)
{
	fputs(ferry_tr(USAGE), f);
}

/* --lang is applied before anything else is read, so that every message
 * about the rest of the command line is in the language asked for. */
static int choose_language(int argc, char **argv)
{
	const char *lang = NULL;
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strncmp(argv[i], "--lang=", 7))
			lang = argv[i] + 7;
		else if (!strcmp(argv[i], "--lang") && i + 1 < argc)
			lang = argv[++i];
	}
	ferry_err e;
	int rc = ferry_lang_init(lang, FERRY_LOCALEDIR, &e);
	if (rc == FERRY_EUSAGE)
		return cli_report(&e);
	/* A machine that cannot switch still seals, in English. */
	if (rc != FERRY_OK)
		cli_warn("%s", e.msg);
	return -1;
}

/* getopt's own complaints are not in the catalog (opterr is 0): said
 * here, in the reader's language. missing is 1 for an option without
 * its value. */
static int bad_option(char **argv, int missing)
{
	char shortopt[3] = {'-', (char)optopt, '\0'};
	const char *arg = argv[optind - 1];
	const char *name = !strncmp(arg, "--", 2) || !optopt ? arg : shortopt;
	if (missing)
		cli_error("option '%s' needs a value", name);
	else
		cli_error("unknown option '%s'", name);
	usage(stderr);
	return EXIT_OP;
}

#define MAX_ATTACH 64

typedef struct {
	const char *pack_path, *form, *code, *code_file, *desk, *answers, *output;
	const char *word, *word_file;
	const char *attach[MAX_ATTACH];
	size_t nattach;
	int walk_in, check, quiet, force, verify;
	long jobs;
	char **pages;
	int npages;
} seal_opts;

/* Where the bundle goes: a temp file renamed into place, or stdout. */
typedef struct {
	int to_stdout, fd;
	char final[FERRY_PATH_MAX], tmp[FERRY_PATH_MAX];
} seal_output;

/* Parses the command line into o; returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, seal_opts *o)
{
	static const struct option opts[] = {
	    {"pack", required_argument, NULL, 'p'},
	    {"form", required_argument, NULL, 'f'},
	    {"code", required_argument, NULL, 'c'},
	    {"code-file", required_argument, NULL, 'C'},
	    {"walk-in", no_argument, NULL, 'w'},
	    {"word", required_argument, NULL, 'W'},
	    {"word-file", required_argument, NULL, 'F'},
	    {"desk", required_argument, NULL, 'd'},
	    {"answers", required_argument, NULL, 'a'},
	    {"attach", required_argument, NULL, 'A'},
	    {"output", required_argument, NULL, 'o'},
	    {"check", no_argument, NULL, 'k'},
	    {"verify", no_argument, NULL, 'v'},
	    {"force", no_argument, NULL, 'x'},
	    {"jobs", required_argument, NULL, 'j'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {"lang", required_argument, NULL, 'L'},
	    {NULL, 0, NULL, 0}};
	int c;
	memset(o, 0, sizeof *o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:j:qhV", opts, NULL)) != -1) {
		switch (c) {
		case 'p': o->pack_path = optarg; break;
		case 'f': o->form = optarg; break;
		case 'c': o->code = optarg; break;
		case 'C': o->code_file = optarg; break;
		case 'w': o->walk_in = 1; break;
		case 'W': o->word = optarg; break;
		case 'F': o->word_file = optarg; break;
		case 'd': o->desk = optarg; break;
		case 'a': o->answers = optarg; break;
		case 'A':
			if (o->nattach == MAX_ATTACH) {
				cli_error("at most %d --attach files", MAX_ATTACH);
				return EXIT_OP;
			}
			o->attach[o->nattach++] = optarg;
			break;
		case 'o': o->output = optarg; break;
		case 'k': o->check = 1; break;
		case 'v': o->verify = 1; break;
		case 'x': o->force = 1; break;
		case 'j':
			o->jobs = cli_parse_count(optarg);
			if (o->jobs < 1 ||
			    o->jobs > (long)FERRY_SEALPIPE_MAX_WORKERS + 1) {
				cli_error("--jobs takes a number from 1 to %u",
				          FERRY_SEALPIPE_MAX_WORKERS + 1);
				return EXIT_OP;
			}
			break;
		case 'q': o->quiet = 1; break;
		case 'L': break; /* applied first, by choose_language */
		case 'h': usage(stdout); return EXIT_OK;
		case 'V':
			printf("ferry-seal %s (%s)\n%s", FERRY_VERSION, FERRY_TARGET,
			       FERRY_LICENSE_LINE);
			return EXIT_OK;
		case ':': return bad_option(argv, 1);
		default: return bad_option(argv, 0);
		}
	}
	o->pages = argv + optind;
	o->npages = argc - optind;
	return -1;
}

/* The combinations of key sources the usage allows. */
static int check_sources(const seal_opts *o)
{
	int sources =
	    (o->pack_path != NULL) + (o->code != NULL) + (o->code_file != NULL);
	if (sources > 1) {
		cli_error("give at most one of --pack, --code or --code-file");
		usage(stderr);
		return EXIT_OP;
	}
	if (sources == 0 && (o->npages == 0 || o->walk_in || o->form)) {
		if (o->npages == 0)
			cli_error("no page to read the seal code from");
		else
			cli_error("--form and --walk-in go with --pack");
		cli_hint(
		    "photograph the form's page with its QR code, or give --pack or --code");
		return EXIT_OP;
	}
	if (o->pack_path && !o->form && !o->walk_in) {
		cli_error(
		    "--pack needs --form CODE (the code printed on the form), or --walk-in");
		return EXIT_OP;
	}
	if ((o->form && o->walk_in) || (o->walk_in && !o->pack_path) ||
	    (o->form && !o->pack_path)) {
		cli_error("--form goes with --pack; --walk-in goes with --pack alone");
		return EXIT_OP;
	}
	if (!o->desk) {
		cli_error("--desk FINGERPRINT is required");
		cli_hint(
		    "without the desk's fingerprint, checked with the journalist out of band, a forged pack cannot be told from a real one");
		return EXIT_OP;
	}
	return -1;
}

static int check_pages(char **pages, int n, int quiet)
{
	int bad = 0;
	for (int i = 0; i < n; i++) {
		ferry_page_result r;
		ferry_err e;
		if (ferry_sanitize_path(pages[i], NULL, NULL, &r, &e) != FERRY_OK) {
			cli_report(&e);
			bad = 1;
			continue;
		}
		if (quiet)
			continue;
		const char *type = r.type == FERRY_PAGE_JPEG ? "JPEG" : "PNG";
		if (r.orientation > 1)
			printf(ferry_tr("%s: %s %ux%u, %s; orientation kept as a manifest field\n"),
			       pages[i], type, r.width, r.height, r.shown);
		else
			printf(ferry_tr("%s: %s %ux%u, %s\n"), pages[i], type, r.width,
			       r.height, r.shown);
	}
	return bad ? EXIT_OP : EXIT_OK;
}

/* The index of the form whose printed code is text, or -1. */
static int find_form(const ferry_pack *pk, const char *text)
{
	uint8_t want[FERRY_FORM_CODE_LEN];
	if (ferry_form_code_parse(want, text) != 0) {
		cli_error("--form '%s' is not a form code (like K7QF-M2XA)", text);
		return -1;
	}
	for (uint16_t i = 0; i < pk->nforms; i++)
		if (!memcmp(pk->forms[i].code, want, FERRY_FORM_CODE_LEN))
			return i;
	cli_error("form %s is not in this pack", text);
	cli_hint("check the code on the form");
	return -1;
}

static int load_from_pack(const seal_opts *o, ferry_form_pub *fp)
{
	uint8_t *bytes = NULL;
	size_t len = 0;
	ferry_err e;
	ferry_pack *pk = malloc(sizeof *pk);
	if (!pk) {
		cli_error("out of memory");
		return EXIT_OP;
	}
	int ec = EXIT_OK, found = 0;
	if (ferry_read_file(o->pack_path, 1u << 20, &bytes, &len, N_("the pack"), &e) !=
	    FERRY_OK) {
		ec = cli_report(&e);
	} else if (ferry_pack_parse(pk, bytes, len, &e) != FERRY_OK) {
		ferry_hint(&e, "do not use it; ask the desk for a new pack");
		ec = cli_report_ctx(&e, "'%s'", o->pack_path);
	} else if (ferry_fingerprint_check(o->desk, pk->identity_pk, N_("pack"), &e) !=
	           FERRY_OK) {
		ec = cli_report(&e);
	} else if (o->form && (found = find_form(pk, o->form)) < 0) {
		ec = EXIT_OP;
	} else {
		ferry_pack_form_pub(fp, pk, (uint16_t)found);
	}
	free(bytes);
	free(pk);
	return ec;
}

/* The form seals itself: its seal code read from the pages. */
static int load_from_pages(const seal_opts *o, ferry_form_pub *fp,
                           ferry_formfind_report *rep)
{
	ferry_err e;
	if (ferry_formfind((const char *const *)o->pages, (size_t)o->npages, fp, rep,
	                   &e) != FERRY_OK ||
	    ferry_fingerprint_check(o->desk, fp->identity_pk, N_("seal code"), &e) !=
	        FERRY_OK)
		return cli_report_ctx(&e, "nothing was sealed");
	return EXIT_OK;
}

static int load_from_code(const seal_opts *o, ferry_form_pub *fp)
{
	ferry_err e;
	uint8_t *text = NULL;
	size_t len = 0;
	const char *code = o->code;
	if (o->code_file) {
		if (ferry_read_file(o->code_file, 8192, &text, &len,
		                    N_("the seal code file"), &e) != FERRY_OK)
			return cli_report(&e);
		code = (const char *)text;
	}
	int ec = EXIT_OK;
	if (ferry_sealcode_decode(fp, code, &e) != FERRY_OK ||
	    ferry_fingerprint_check(o->desk, fp->identity_pk, N_("seal code"), &e) !=
	        FERRY_OK)
		ec = cli_report(&e);
	free(text);
	return ec;
}

/* The form's public material, verified before any page is sealed: from
 * the pack, the seal code given, or the codes on the pages; with a form
 * named, no page may carry another form's code (unless --force). */
static int load_form(const seal_opts *o, ferry_form_pub *fp, ferry_formfind_report *rep)
{
	ferry_err e;
	memset(fp, 0, sizeof *fp);
	memset(rep, 0, sizeof *rep);
	int ec = o->pack_path              ? load_from_pack(o, fp)
	         : o->code || o->code_file ? load_from_code(o, fp)
	                                   : load_from_pages(o, fp, rep);
	if (ec != EXIT_OK)
		return ec;
	if ((o->pack_path || o->code || o->code_file) && !o->force &&
	    ferry_formfind_agrees((const char *const *)o->pages, (size_t)o->npages, fp,
	                          o->walk_in, &e) != FERRY_OK)
		return cli_report_ctx(&e, "nothing was sealed");
	if (fp->expires_day && fp->expires_day < ferry_today()) {
		char d[11];
		ferry_day_text(d, fp->expires_day);
		cli_error("this pack expired on %s", d);
		cli_hint("ask the desk for new forms");
		return EXIT_CHECK;
	}
	return EXIT_OK;
}

static int open_output(const char *output, seal_output *out)
{
	char dir[FERRY_PATH_MAX], name[32];
	struct stat st;
	memset(out, 0, sizeof *out);
	out->to_stdout = output && !strcmp(output, "-");
	if (out->to_stdout) {
		if (isatty(STDOUT_FILENO)) {
			cli_error("refusing to write a binary bundle to a terminal");
			cli_hint("use -o FILE or a pipe");
			return EXIT_OP;
		}
		out->fd = STDOUT_FILENO;
		return EXIT_OK;
	}
	ferry_random_name(name, 20);
	int n = (!output || (stat(output, &st) == 0 && S_ISDIR(st.st_mode)))
	            ? snprintf(out->final, sizeof out->final, "%s/%s",
	                       output ? output : ".", name)
	            : snprintf(out->final, sizeof out->final, "%s", output);
	if (n < 0 || (size_t)n >= sizeof out->final) {
		cli_error("the output path is too long");
		return EXIT_OP;
	}
	if (lstat(out->final, &st) == 0) {
		cli_error("'%s' already exists; refusing to overwrite it", out->final);
		return EXIT_OP;
	}
	ferry_dirname(dir, sizeof dir, out->final);
	/* A partial bundle a killed or failed run left here goes first. */
	(void)ferry_tmp_sweep(dir);
	out->fd = ferry_tmp_open(dir, 0600, out->tmp, sizeof out->tmp);
	if (out->fd < 0) {
		cli_error("cannot write in '%s': %s", dir, strerror(errno));
		return EXIT_OP;
	}
	return EXIT_OK;
}

static int seal_with(const seal_opts *o, const ferry_form_pub *fp,
                     const ferry_seal_input *inp, const ferry_formfind_report *found);

static void print_summary(const seal_opts *o, const ferry_form_pub *fp,
                          const seal_output *out, const ferry_seal_report *rep,
                          const ferry_formfind_report *found)
{
	FILE *msg = out->to_stdout ? stderr : stdout;
	char fc[FERRY_CODE_TEXT_LEN + 1];
	ferry_form_code_text(fc, fp->form_code);
	if (found->ncarried) {
		char list[FERRY_FORMFIND_PAGES_MAX * 5 + 1];
		size_t at = 0;
		list[0] = '\0';
		for (size_t i = 0; i < found->npages && at < sizeof list; i++)
			if (found->carried[i])
				at += (size_t)snprintf(list + at, sizeof list - at,
				                       at ? ", %zu" : "%zu", i + 1);
		fprintf(msg,
		        ferry_trn("seal code of form %s read from page %s\n",
		                  "seal code of form %s read from pages %s\n",
		                  found->ncarried),
		        fc, list);
	}
	for (int i = 0; i < o->npages; i++)
		fprintf(msg, ferry_tr("page-%02d.%s  from %s: removed %s\n"), i + 1,
		        rep->pages[i].type == FERRY_PAGE_JPEG ? "jpg" : "png",
		        o->pages[i], rep->pages[i].shown);
	if (o->answers)
		fputs(ferry_tr("the typed answers are sealed with the pages\n"), msg);
	if (o->nattach)
		fprintf(msg,
		        ferry_trn("%zu attachment is sealed as it is\n",
		                  "%zu attachments are sealed as they are\n", o->nattach),
		        o->nattach);
	const char *where = out->to_stdout ? ferry_tr("stdout") : out->final;
	unsigned long long bytes = (unsigned long long)rep->bundle_len;
	if (o->walk_in)
		fprintf(msg,
		        ferry_trn("sealed %d page for the pack (walk-in) into %s (%llu bytes)\n",
		                  "sealed %d pages for the pack (walk-in) into %s (%llu bytes)\n",
		                  (unsigned long)o->npages),
		        o->npages, where, bytes);
	else
		fprintf(msg,
		        ferry_trn("sealed %d page for form %s into %s (%llu bytes)\n",
		                  "sealed %d pages for form %s into %s (%llu bytes)\n",
		                  (unsigned long)o->npages),
		        o->npages, fc, where, bytes);
}

/* The pack word: --word, --word-file, or asked on the terminal. 1 when
 * there is one, 0 when the contact seals without it, or an exit code
 * (> 1) on an error. */
static int read_word(const seal_opts *o, uint8_t word[FERRY_PACK_WORD_LEN])
{
	ferry_err e;
	char *asked = NULL;
	size_t len = 0;
	const char *text = o->word;
	if (o->word && o->word_file) {
		cli_error("give the pack word once: --word or --word-file");
		return EXIT_OP;
	}
	if (o->word_file)
		return ferry_word_file_read(word, o->word_file, &e) == FERRY_OK
		           ? 1
		           : cli_report(&e);
	if (!o->word && isatty(STDIN_FILENO) && isatty(STDERR_FILENO)) {
		asked = cli_ask_secret(
		    ferry_tr("Pack word from your key card (Enter to seal without it): "),
		    &len);
		if (!asked || len == 0) {
			cli_passphrase_free(asked);
			return 0;
		}
		text = asked;
	}
	if (!text)
		return 0;
	int rc = ferry_word_parse(word, text, &e) == FERRY_OK ? 1 : cli_report(&e);
	cli_passphrase_free(asked);
	return rc;
}

static int seal(const seal_opts *o, const ferry_form_pub *fp,
                const ferry_formfind_report *found)
{
	uint8_t word[FERRY_PACK_WORD_LEN];
	int have_word = read_word(o, word);
	if (have_word > 1)
		return have_word;
	ferry_seal_input in = {(const char *const *)o->pages,
	                       (size_t)o->npages,
	                       o->answers,
	                       o->attach,
	                       o->nattach,
	                       o->walk_in,
	                       (unsigned)o->jobs,
	                       have_word ? word : NULL};
	int ec = seal_with(o, fp, &in, found);
	sodium_memzero(word, sizeof word);
	if (ec != EXIT_OK || have_word || o->quiet)
		return ec;
	if (o->walk_in)
		cli_warn(
		    "sealed without the pack word: the desk holds a walk-in without it in quarantine until the journalist decides, since anyone who saw a form could have made it");
	else
		cli_warn(
		    "sealed without the pack word: the desk marks it as sealed with the form's code alone, which anyone who saw the form could have done");
	return ec;
}

static int seal_with(const seal_opts *o, const ferry_form_pub *fp,
                     const ferry_seal_input *inp, const ferry_formfind_report *found)
{
	ferry_seal_input in = *inp;
	ferry_seal_report rep;
	seal_output out;
	ferry_err e;
	if (ferry_seal_precheck(&in, &e) != FERRY_OK)
		return cli_report_ctx(&e, "nothing was sealed");
	int ec = open_output(o->output, &out);
	if (ec != EXIT_OK)
		return ec;
	for (size_t i = 0; i < o->nattach; i++)
		cli_warn(
		    "'%s' is carried as an opaque attachment: its metadata (GPS, times, device) was NOT removed",
		    o->attach[i]);
	if (ferry_seal_bundle(fp, &in, ferry_write_fd, &out.fd, &rep, &e) != FERRY_OK) {
		if (!out.to_stdout)
			ferry_tmp_abort(out.fd, out.tmp);
		ferry_seal_report_free(&rep);
		return cli_report(&e);
	}
	if (!out.to_stdout && ferry_tmp_commit(out.fd, out.tmp, out.final, 1) != 0) {
		cli_error("cannot store the bundle as '%s': %s", out.final,
		          strerror(errno));
		ferry_seal_report_free(&rep);
		return EXIT_OP;
	}
	if (!o->quiet)
		print_summary(o, fp, &out, &rep, found);
	ferry_seal_report_free(&rep);
	return EXIT_OK;
}

/* --verify: each FILE against FILE.minisig, signed by the desk as a
 * release of that name. 0 when all verify. */
static int verify_releases(const seal_opts *o)
{
	int ec = EXIT_OK;
	if (!o->desk || o->npages == 0) {
		cli_error("--verify needs --desk FINGERPRINT and at least one FILE");
		return EXIT_OP;
	}
	for (int i = 0; i < o->npages; i++) {
		ferry_err e;
		if (ferry_release_verify_file(o->pages[i], o->desk, &e) != FERRY_OK) {
			/* An operational failure outranks a failed check. */
			int code = cli_report_ctx(&e, "'%s'", o->pages[i]);
			ec = code > ec ? code : ec;
		} else if (!o->quiet) {
			printf(ferry_tr("%s: signed by the desk as the release '%s'\n"),
			       o->pages[i], ferry_basename(o->pages[i]));
		}
	}
	return ec;
}

int main(int argc, char **argv)
{
	seal_opts o;
	ferry_form_pub fp;
	ferry_formfind_report found;
	cli_init("ferry-seal");
	int ec = choose_language(argc, argv);
	if (ec >= 0)
		return ec;
	ec = parse_args(argc, argv, &o);
	if (ec >= 0)
		return ec;
	if (cli_sodium_init() != 0)
		return EXIT_OP;
	if (o.verify)
		return verify_releases(&o);
	if (o.check) {
		if (o.npages == 0) {
			cli_error("--check needs at least one PAGE");
			return EXIT_OP;
		}
		return check_pages(o.pages, o.npages, o.quiet);
	}
	if ((ec = check_sources(&o)) >= 0)
		return ec;
	if ((ec = load_form(&o, &fp, &found)) != EXIT_OK)
		return ec;
	return seal(&o, &fp, &found);
}
