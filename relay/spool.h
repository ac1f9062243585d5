/* The relay's spool: bundles waiting to be forwarded, kept with the
 * Maildir discipline (tmp/ then rename), so a crash never loses or
 * doubles one. A relay can check a bundle's size class and relay tag; it
 * holds no key that opens one. */
#ifndef FERRY_SPOOL_H
#define FERRY_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"
#include "../common/fileio.h"
#include "../trust/credential.h"
#include "../trust/pack.h"
#include "chaff.h"
#include "memory.h"

typedef struct {
	char dir[FERRY_PATH_MAX];
	ferry_credential cred;
	ferry_memory mem; /* names files and refuses duplicates, for a window */
	/* Lengths accepted in this epoch (saved on close) and the last: chaff
	 * draws from both, so the histogram is the window's. */
	ferry_sizes sizes_now, sizes_prev;
	int sizes_changed;
} ferry_spool;

/* Creates SPOOL with a verified relay credential. Fails closed when the
 * credential's signature or its key's fingerprint does not match. */
int ferry_spool_init(const char *dir, const char *credential_path,
                     const char *fingerprint, unsigned keep_days,
                     ferry_err *e) FERRY_WUR;
int ferry_spool_open(ferry_spool **s, const char *dir, ferry_err *e) FERRY_WUR;
void ferry_spool_close(ferry_spool *s);

/* Checks a bundle's length and relay tag (one streaming pass). */
int ferry_relay_check_fd(const ferry_relay_keys *keys, int fd, uint64_t size,
                         ferry_err *e) FERRY_WUR;

/* Accepts one bundle: checks it while copying it into tmp/, refuses an
 * exact duplicate of one waiting or already forwarded, then renames it
 * into new/. The input file is never modified. name gets the stored
 * name. Returns 0, FERRY_EVERIFY (rejected), FERRY_EOP. */
int ferry_spool_accept(ferry_spool *s, const char *path,
                       char name[FERRY_SPOOL_NAME_LEN + 1], ferry_err *e) FERRY_WUR;

/* Seals count chaff bundles into new/, each sized from the spool's
 * histogram and stored exactly as an accepted bundle is. made gets how
 * many were stored, also on failure. */
int ferry_spool_chaff(ferry_spool *s, unsigned count, unsigned *made,
                      ferry_err *e) FERRY_WUR;

/* Moves every waiting bundle to todir, in random order, each atomically
 * under a fresh name; finishes any forward a crash interrupted. */
int ferry_spool_forward(ferry_spool *s, const char *todir, unsigned *moved,
                        ferry_err *e) FERRY_WUR;

typedef struct {
	unsigned waiting, sending, remembered, stale_tmp, keep_days;
} ferry_spool_status;
int ferry_spool_stat(ferry_spool *s, ferry_spool_status *st, ferry_err *e) FERRY_WUR;

#endif
