/* ferry-desk's commands on the desk's keys: its fingerprint (and
 * minisign key), the log and its attestations, relay credentials and
 * rotation, and release signatures. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/fileio.h"
#include "../desk/attest_log.h"
#include "../desk/desk.h"
#include "../forms/qr.h"
#include "../trust/credential.h"
#include "../trust/minisign.h"
#include "../trust/release.h"
#include "cli.h"
#include "ferry-desk.h"

static int write_stdout(void *io, const uint8_t *p, size_t n)
{
	(void)io;
	return fwrite(p, 1, n, stdout) == n ? 0 : -1;
}

int cmd_fingerprint(const char *desk, ferry_desk *d, const opts_t *o,
                           char **rest, int n)
{
	(void)desk, (void)rest, (void)n;
	char fp[FERRY_FP_TEXT_LEN + 1];
	ferry_qr q;
	if (o->minisign) {
		ferry_minisign_key mk;
		char pk[FERRY_MINISIGN_PK_TEXT_LEN + 1];
		if (ferry_minisign_key_derive(&mk, d->v->id_sk) != 0) {
			cli_error("cannot make the minisign key");
			return EXIT_OP;
		}
		ferry_minisign_pk_text(pk, &mk);
		sodium_memzero(&mk, sizeof mk);
		printf("%s\n", pk);
		return EXIT_OK;
	}
	ferry_fingerprint(fp, d->v->id_pk);
	printf("%s\n", fp);
	if (!o->qr && !o->png)
		return EXIT_OK;
	if (ferry_qr_encode(&q, fp) != 0) {
		cli_error("cannot make the QR code: %s", strerror(errno));
		return EXIT_OP;
	}
	int ec = EXIT_OK;
	if (o->qr && ferry_qr_text(&q, write_stdout, NULL) != 0)
		ec = EXIT_OP;
	if (o->png) {
		char dir[FERRY_PATH_MAX], tmp[FERRY_PATH_MAX];
		ferry_dirname(dir, sizeof dir, o->png);
		int fd = ferry_tmp_open(dir, 0644, tmp, sizeof tmp);
		int ok = fd >= 0;
		if (ok && ferry_qr_png(&q, 10, ferry_write_fd, &fd) != 0) {
			ferry_tmp_abort(fd, tmp);
			ok = 0;
		}
		/* commit closes fd and removes the temp file on failure */
		if (ok && ferry_tmp_commit(fd, tmp, o->png, 0) != 0)
			ok = 0;
		if (!ok) {
			cli_error("cannot write '%s': %s", o->png, strerror(errno));
			ec = EXIT_OP;
		} else {
			printf("wrote the key card QR to %s\n", o->png);
		}
	}
	ferry_qr_free(&q);
	return ec;
}

static int show_entry(void *u, uint64_t seq, const char *text)
{
	(void)u;
	printf("--- entry %llu ---\n%s", (unsigned long long)seq + 1, text);
	return 0;
}

static int log_attest(ferry_desk *d, const opts_t *o)
{
	ferry_err e;
	ferry_attestation a;
	char when[21];
	if (!o->output) {
		cli_error("usage: ferry-desk log DESK attest -o FILE");
		return EXIT_OP;
	}
	if (ferry_desk_log_attest(d, o->output, o->previous, ferry_now(), &a, &e) !=
	    FERRY_OK)
		return cli_report(&e);
	ferry_iso_time(when, a.made);
	printf(
	    "wrote %s and %s.minisig: the log had %llu entr%s at %s, signed by this desk; hand both to an editor or a lawyer\n",
	    o->output, o->output, (unsigned long long)a.entries,
	    a.entries == 1 ? "y" : "ies", when);
	printf("it follows %s\n",
	       a.has_previous
	           ? (o->previous ? o->previous : "the last statement this desk wrote")
	           : "no earlier statement: it is the first");
	printf("they check it with: minisign -V -P %s -m %s\n", a.minisign_key,
	       o->output);
	return EXIT_OK;
}

static int log_check_attestation(ferry_desk *d, const opts_t *o)
{
	ferry_err e;
	ferry_attestation a;
	uint64_t n = 0;
	char when[21];
	if (ferry_desk_log_check_attestation(d, o->attestation, &a, &n, &e) != FERRY_OK)
		return cli_report(&e);
	ferry_iso_time(when, a.made);
	printf("log verified: %llu entr%s, chain intact, head matches the vault\n",
	       (unsigned long long)n, n == 1 ? "y" : "ies");
	printf(
	    "it extends the attested log: the %llu entr%s attested at %s are unchanged, %llu added since\n",
	    (unsigned long long)a.entries, a.entries == 1 ? "y" : "ies", when,
	    (unsigned long long)(n - a.entries));
	return EXIT_OK;
}

static void say_chain(void *u, int ok, const char *line)
{
	(void)u;
	printf("%s %s\n", ok ? "ok  " : "BAD ", line);
}

int cmd_log(const char *dir, ferry_desk *d, const opts_t *o, char **rest,
                   int nrest)
{
	const char *what = rest[0];
	(void)dir;
	ferry_err e;
	uint64_t n = 0;
	int show = !strcmp(what, "show");
	if (strcmp(what, "chain") && nrest != 1) {
		cli_error(
		    "usage: ferry-desk log DESK show|verify|attest, or chain FILE...");
		return EXIT_OP;
	}
	if (!strcmp(what, "chain")) {
		if (nrest < 2) {
			cli_error("usage: ferry-desk log DESK chain FILE...");
			return EXIT_OP;
		}
		if (ferry_desk_log_chain(d, rest + 1, nrest - 1, say_chain, NULL, &e) !=
		    FERRY_OK)
			return cli_report(&e);
		printf("the %d statements form one chain\n", nrest - 1);
		return EXIT_OK;
	}
	if (!strcmp(what, "attest"))
		return log_attest(d, o);
	if (!show && strcmp(what, "verify")) {
		cli_error("log takes 'show', 'verify', 'attest' or 'chain'");
		return EXIT_OP;
	}
	if (!show && o->attestation)
		return log_check_attestation(d, o);
	if (ferry_desk_log_verify(d, show ? show_entry : NULL, NULL, &n, &e) !=
	    FERRY_OK)
		return cli_report(&e);
	if (!show)
		printf(
		    "log verified: %llu entr%s, chain intact, head matches the vault\n",
		    (unsigned long long)n, n == 1 ? "y" : "ies");
	return EXIT_OK;
}

int cmd_relay_credential(const char *dir, ferry_desk *d, const opts_t *o,
                                char **rest, int n)
{
	ferry_err e;
	(void)dir, (void)rest, (void)n;
	uint32_t from = 0;
	if (o->newest_from && ferry_day_parse(&from, o->newest_from) != 0) {
		cli_error("--newest-from takes a date, YYYY-MM-DD");
		return EXIT_OP;
	}
	long cover = o->cover_every ? o->cover_every : FERRY_COVER_HOURS_DEFAULT;
	if (cover < 1 || cover > FERRY_COVER_HOURS_MAX) {
		cli_error("--cover-every takes a number of hours from 1 to %d",
		          FERRY_COVER_HOURS_MAX);
		return EXIT_OP;
	}
	if (ferry_desk_relay_credential(d, o->output, o->chaff_up_to, from,
	                                (unsigned)cover, &e) != FERRY_OK)
		return cli_report(&e);
	printf(
	    "wrote the relay credential %s (SECRET: give it only to the investigators who run relays, over a channel you trust)\n",
	    o->output);
	return EXIT_OK;
}

int cmd_relay_rotate(const char *dir, ferry_desk *d, const opts_t *o,
                            char **rest, int n)
{
	ferry_err e;
	(void)dir, (void)rest, (void)n;
	if (ferry_desk_relay_rotate(d, o->drop_old, &e) != FERRY_OK)
		return cli_report(&e);
	if (o->drop_old)
		printf(
		    "relay keys: only the newest is left; packs issued before it no longer pass relays with a new credential\n");
	else
		printf(
		    "relay keys: %u; packs issued from now on carry the new one, and relays given a new credential ('ferry-desk relay-credential') wrap to a new wrap key; the one before is kept %u days for what is on its way\n",
		    d->v->relay.n, FERRY_WRAP_TRANSIT_DAYS);
	return EXIT_OK;
}

int cmd_sign(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n)
{
	(void)dir, (void)o;
	ferry_minisign_key mk;
	char pk[FERRY_MINISIGN_PK_TEXT_LEN + 1];
	int ec = EXIT_OK;
	for (int i = 0; i < n; i++) {
		char sigpath[FERRY_PATH_MAX];
		ferry_err e;
		if (ferry_release_sign_file(rest[i], d->v->id_sk, sigpath,
		                            sizeof sigpath, &e) != FERRY_OK) {
			int code = cli_report_ctx(&e, "'%s'", rest[i]);
			ec = code > ec ? code : ec;
			continue;
		}
		printf("signed %s -> %s\n", rest[i], sigpath);
	}
	if (ferry_minisign_key_derive(&mk, d->v->id_sk) == 0) {
		ferry_minisign_pk_text(pk, &mk);
		sodium_memzero(&mk, sizeof mk);
		printf(
		    "check with: minisign -V -P %s -m FILE, or ferry-seal --verify FILE --desk "
		    "FINGERPRINT\n",
		    pk);
	}
	return ec;
}

