/* ferry-desk's command runners, in files by what they work on, and the
 * options they share with main (ferry-desk.c, which parses, applies the
 * command table and calls them). */
#ifndef FERRY_DESK_TOOL_H
#define FERRY_DESK_TOOL_H

#include <stdio.h>

#include "../desk/desk.h"
#include "../opening/intake.h"

typedef struct {
	const char *passfile, *kdf, *label, *expires, *output;
	const char *questions, *paper, *png, *attestation, *reason, *file, *previous;
	const char *newest_from, *web, *lang;
	long forms, qr_module, grace, jobs, code_days, code_answers, cover_every;
	int qr, drop_old, labels, minisign, help, same_disk;
	uint64_t chaff_up_to;
} opts_t;

/* Each gets the desk's folder, the unlocked desk, the options and the
 * words after DESK, and returns the exit code. Packs and cases
 * (ferry-desk-cases.c): */
int cmd_issue(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n);
int cmd_packs(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n);
int cmd_retire(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n);
int cmd_revoke(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n);
int cmd_cases(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n);
int cmd_report(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n);
int cmd_note(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n);
int cmd_admit(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n);
/* Opening (ferry-desk-open.c): */
int cmd_open(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n);
int cmd_expire(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n);
/* The desk's keys (ferry-desk-keys.c): */
int cmd_fingerprint(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n);
int cmd_log(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n);
int cmd_relay_credential(const char *dir, ferry_desk *d, const opts_t *o, char **rest,
                         int n);
int cmd_relay_rotate(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n);
int cmd_sign(const char *dir, ferry_desk *d, const opts_t *o, char **rest, int n);

/* The whole usage, and one command's (its synopsis and the options it
 * names; the passphrase option where it asks for the passphrase). */
void desk_usage(FILE *f);
void desk_command_help(FILE *f, const char *cmd, int passphrase);

/* One line (and its warnings) for a bundle open or admit handled. */
void desk_print_outcome(const char *name, const ferry_open_result *r,
                        const ferry_err *e);

#endif
