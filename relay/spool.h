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
} ferry_spool;

/* Creates SPOOL with a verified relay credential. Fails closed when the
 * credential's signature or its key's fingerprint does not match. */
int ferry_spool_init(const char *dir, const char *credential_path,
                     const char *fingerprint, unsigned keep_days,
                     ferry_err *e) FERRY_WUR;
/* Replaces SPOOL's credential with a new one from the same desk (after a
 * rotation: new relay and wrap keys), verified like init's; the caller
 * holds the spool's lock. A credential of another desk is refused: that
 * is a new spool. Nothing else in the spool changes. */
int ferry_spool_renew(const char *dir, const char *credential_path,
                      const char *fingerprint, ferry_err *e) FERRY_WUR;
int ferry_spool_open(ferry_spool **s, const char *dir, ferry_err *e) FERRY_WUR;
/* Saves the memory (ferry_memory_save) and frees s: -1 when the save
 * failed (the records of this run are then forgotten; nothing is lost). */
int ferry_spool_close(ferry_spool *s);

/* Checks a bundle's length and relay tag (one streaming pass). */
int ferry_relay_check_fd(const ferry_relay_keys *keys, int fd, uint64_t size,
                         ferry_err *e) FERRY_WUR;

/* Accepts one bundle: checks it while copying it into tmp/ (its relay
 * tag recomputed under the newest key), refuses an exact duplicate of one
 * waiting or already handled, then renames it into new/. The input file
 * is never modified. name gets the stored name. Returns 0, FERRY_EVERIFY
 * (rejected: with name set, an exact duplicate; with name empty, not a
 * bundle for this desk), FERRY_EOP. */
int ferry_spool_accept(ferry_spool *s, const char *path,
                       char name[FERRY_SPOOL_NAME_LEN + 1], ferry_err *e) FERRY_WUR;

/* Seals count chaff bundles into new/, each of a size class drawn from
 * the credential's weights and stored exactly as an accepted bundle is. made gets how
 * many were stored, also on failure. */
int ferry_spool_chaff(ferry_spool *s, unsigned count, unsigned *made,
                      ferry_err *e) FERRY_WUR;

/* When a forward sends, and how much. */
typedef struct {
	unsigned min_batch;      /* this many waiting release a batch */
	unsigned max_wait_hours; /* or the oldest having waited this long */
	unsigned batch_size;     /* 0: power-of-two classes (ferry_batch_class) */
	int cover;               /* nothing released: send a chaff-only batch, at
	                          * most one every cover_hours (the credential's) */
} ferry_batch_policy;

#define FERRY_BATCH_MIN_BATCH_DEFAULT 4
#define FERRY_BATCH_MAX_WAIT_DEFAULT  24
#define FERRY_BATCH_MIN_CLASS         4
#define FERRY_BATCH_STEP              64
#define FERRY_BATCH_SIZE_MAX          1024

/* The number of files a batch of n waiting bundles is topped up to:
 * fixed > 0, the next multiple of fixed (fixed for n = 0); else the next
 * power of two from FERRY_BATCH_MIN_CLASS to FERRY_BATCH_STEP, then the
 * next multiple of FERRY_BATCH_STEP. */
unsigned ferry_batch_class(unsigned n, unsigned fixed);

typedef struct {
	unsigned resumed; /* a batch a crash interrupted, finished first */
	unsigned real;    /* waiting bundles in this run's batch */
	unsigned chaff;   /* chaff added to it */
	unsigned sent;    /* files of this run's batch delivered */
	unsigned held;    /* waiting bundles kept back */
	unsigned cover_wait; /* with cover: hours until the desk's cover rate
	                      * lets the next cover batch go (0: it went) */
} ferry_forward_result;

/* Finishes any forward a crash interrupted, then, when policy releases
 * them, sends every waiting bundle to todir as one batch topped up with
 * chaff to its class, in random order, each file atomically under a
 * fresh name and with the batch's one (hour) time stamp. */
int ferry_spool_forward(ferry_spool *s, const char *todir, const ferry_batch_policy *p,
                        ferry_forward_result *r, ferry_err *e) FERRY_WUR;

typedef struct {
	unsigned waiting, sending, remembered, stale_tmp, keep_days;
} ferry_spool_status;
int ferry_spool_stat(ferry_spool *s, ferry_spool_status *st, ferry_err *e) FERRY_WUR;

#endif
