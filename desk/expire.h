/* Destroying keys on time: a form's one-time key when its grace period
 * after the first testimony is over, a pack's keys when it expired and
 * its grace period is over, and a rotated-out wrap key when the longest
 * transit time after its rotation is over (not logged: it names no
 * testimony, and a crash before the save only delays it to the next
 * run). Each destruction is logged before the
 * vault is saved, so a crash in between is finished by recovery. */
#ifndef FERRY_EXPIRE_H
#define FERRY_EXPIRE_H

#include "../store/case_entry.h"
#include "desk.h"

typedef struct {
	unsigned forms; /* one-time keys destroyed */
	unsigned packs; /* packs whose keys were destroyed */
	unsigned wrap;  /* rotated-out wrap keys past their transit time */
} ferry_expire_report;

/* An entry about pack pk (a destruction, a retirement, a revocation) at
 * now, with no form. */
void ferry_pack_entry_init(ferry_case_entry *c, const ferry_vault_pack *pk, int kind,
                           uint64_t now);
/* Writes the entry (any kind, notes too) and appends it to the log
 * (fsynced), wiping its text after; the caller changes and saves the
 * vault after, so a crash between is replayed. */
int ferry_desk_log_entry(ferry_desk *d, const ferry_case_entry *c,
                         ferry_err *e) FERRY_WUR;

/* Destroys every key that is due at now, logs each, saves the vault. */
int ferry_desk_expire(ferry_desk *d, uint64_t now, ferry_expire_report *r,
                      ferry_err *e) FERRY_WUR;

#endif
