/* Managing packs after they are issued: finding one by its short name,
 * summing up its forms, retiring it (its keys destroyed) and revoking it
 * (believed compromised: its bundles still open, flagged as possibly
 * forged). Each change is logged before the vault is saved, so recovery
 * replays one a crash cut short. */
#ifndef FERRY_PACKS_H
#define FERRY_PACKS_H

#include "desk.h"

/* The pack whose short name (4 characters, as in pack-XXXX.ferrypack) is
 * name, any case; FERRY_EUSAGE with a hint when there is none. */
int ferry_desk_find_pack(const ferry_desk *d, const char *name, uint32_t *index,
                         ferry_err *e) FERRY_WUR;

typedef struct {
	unsigned open, answered, grace; /* forms: never answered, answered, of
	                                   those still in their grace period */
	const char *state;              /* active, expired (keys go at the next open or
	                      expire), retired; revoked is separate */
} ferry_pack_summary;
void ferry_pack_summarize(const ferry_vault_pack *pk, uint64_t now,
                          ferry_pack_summary *s);

/* Destroys the pack's keys (logged, then saved). FERRY_EUSAGE when it is
 * retired already. */
int ferry_desk_retire(ferry_desk *d, uint32_t p, uint64_t now, ferry_err *e) FERRY_WUR;
/* Marks the pack revoked for reason: one line of UTF-8 text, 1 to
 * FERRY_REASON_MAX bytes (logged, then saved). */
int ferry_desk_revoke(ferry_desk *d, uint32_t p, uint64_t now, const char *reason,
                      ferry_err *e) FERRY_WUR;

#endif
