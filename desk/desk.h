/* The journalist's desk: one folder holding the vault, the log, and the
 * intake, cases, quarantine and packs folders. */
#ifndef FERRY_DESK_H
#define FERRY_DESK_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"
#include "../common/fileio.h"
#include "../forms/questions.h"
#include "../store/log.h"
#include "../store/vault.h"

typedef struct {
	char dir[FERRY_PATH_MAX];
	char vault_path[FERRY_PATH_MAX];
	char log_path[FERRY_PATH_MAX];
	ferry_vault *v;
	uint8_t desk_id[FERRY_HASH_LEN];
	/* Opens since the vault was last saved, and how many may pass before
	 * it must be (1 unless the caller batches; see ferry_desk_flush). */
	unsigned unsaved, save_every;
	/* Threads that decrypt a bundle's chunks; NULL: on the caller's. */
	struct ferry_openpipe *pipe;
} ferry_desk;

/* Creates DIR (must not exist or be empty) with a new vault and log.
 * fingerprint (may be NULL) gets the new identity's fingerprint. */
int ferry_desk_init(const char *dir, const char *pass, size_t passlen, int kdf_level,
                    char *fingerprint, ferry_err *e) FERRY_WUR;
/* Unlocks a desk: vault decrypted, log checked to belong to it. */
int ferry_desk_unlock(ferry_desk **d, const char *dir, const char *pass, size_t passlen,
                      ferry_err *e) FERRY_WUR;
void ferry_desk_close(ferry_desk *d);
/* Saves the vault atomically. */
int ferry_desk_save(ferry_desk *d, ferry_err *e) FERRY_WUR;
/* Saves the vault if an open changed it since the last save. With
 * save_every > 1 an open leaves the vault to be saved by a later open or
 * by this: the log entry, written and fsynced first, is what a crash is
 * recovered from (opening/recover.c), so nothing is lost; a one-time key an
 * open destroyed stays in the vault file on disk until the save. */
int ferry_desk_flush(ferry_desk *d, ferry_err *e) FERRY_WUR;

typedef struct {
	char short_name[5];
	char dir[FERRY_PATH_MAX];
	char pack_path[FERRY_PATH_MAX];
	char codes_path[FERRY_PATH_MAX];
	char forms_path[FERRY_PATH_MAX]; /* empty without questions */
	char qr_dir[FERRY_PATH_MAX];
	uint32_t index; /* in the vault */
	int pages_per_form;
	char word_path[FERRY_PATH_MAX]; /* the pack word's file */
} ferry_issue_result;

typedef struct {
	const ferry_questions *questions; /* NULL: no printable forms */
	int paper;                        /* FERRY_PAPER_A4 or _LETTER */
	unsigned qr_module;               /* pixels a QR module */
	int lang;                         /* FERRY_LANG_*: the form's own words */
} ferry_print_opts;

/* A new pack's rules: the grace period after a form's first pack-proven
 * answer, how long a form with only code-only answers keeps its key, and
 * how many code-only answers a form opens before later ones are held. */
typedef struct {
	uint16_t grace_days, code_days, code_max;
} ferry_issue_rules;

/* Creates a pack of nforms forms; writes pack-XXXX.ferrypack (0600),
 * codes-XXXX.txt and qr/<form-code>.png into outdir (NULL:
 * DESK/packs/XXXX), forms-XXXX.html when print->questions is set, and
 * the pack word, alone, to secret/word-XXXX.txt (0600, folder 0700).
 * The vault is saved before any file is handed out. */
int ferry_desk_issue(ferry_desk *d, uint16_t nforms, const char *label,
                     uint32_t expires_day, const ferry_issue_rules *rules,
                     const char *outdir, const ferry_print_opts *print,
                     ferry_issue_result *r, ferry_err *e) FERRY_WUR;
/* Seal code text of form f of pack p (signed now); -1 with errno ENOMEM,
 * or EOVERFLOW when out has no room for it. */
int ferry_desk_sealcode(const ferry_desk *d, uint32_t p, uint16_t f, char *out,
                        size_t cap) FERRY_WUR;
/* Writes the signed relay credential (secret, 0600): the identity, the
 * relay key pairs (relays tag under the newest from newest_from_day on,
 * 0: at once), the chaff and the current wrap public keys, the cover
 * interval (relays send a cover batch only when no batch left in the last
 * cover_hours hours) and the chaff
 * distribution (the default weights over size classes up to chaff_up_to
 * bytes; 0: all of them; only the smallest class when none is that
 * small); nothing about packs. */
int ferry_desk_relay_credential(ferry_desk *d, const char *out_path,
                                uint64_t chaff_up_to, uint32_t newest_from_day,
                                unsigned cover_hours, ferry_err *e) FERRY_WUR;
/* Adds a relay key pair for the packs issued from now on and a wrap key
 * for relays to wrap to (the one before is kept FERRY_WRAP_TRANSIT_DAYS),
 * or with drop_old destroys every relay key but the newest. */
int ferry_desk_relay_rotate(ferry_desk *d, int drop_old, ferry_err *e) FERRY_WUR;

/* Appends text to the log (fsynced) and advances the vault's record of
 * the head in memory; the caller saves the vault after. */
int ferry_desk_log_append(ferry_desk *d, const char *text, ferry_err *e) FERRY_WUR;

/* Verifies the whole log against the vault's head; visit (may be NULL)
 * sees each entry. */
int ferry_desk_log_verify(ferry_desk *d, ferry_log_visit_fn visit, void *u,
                          uint64_t *count, ferry_err *e) FERRY_WUR;

#endif
