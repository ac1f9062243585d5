/* The spool's short memory: which bundles it handled, to refuse exact
 * duplicates, kept for a window only. Time is cut into epochs of half the
 * window; each epoch has its own key, which names that epoch's records.
 * The current and the previous epoch are kept, older ones (records and
 * key) are deleted: a seized spool links nothing older than the window to
 * anything. An epoch's records are one file of a fixed size, a hash table
 * read when the spool opens and rewritten, whole, when it closes: its
 * size says nothing about how many bundles passed, no record carries a
 * time of its own, and no cost grows with history. */
#ifndef FERRY_MEMORY_H
#define FERRY_MEMORY_H

#include <stdint.h>

#include "../common/err.h"
#include "../common/fileio.h"
#include "../crypto/bundle.h"

#define FERRY_SPOOL_NAME_LEN    26
#define FERRY_KEEP_DAYS_DEFAULT 30
#define FERRY_KEEP_DAYS_MAX     3650

/* Records an epoch holds: 16 bytes each, so the file is 1 MiB. */
#define FERRY_MEMORY_SLOTS (1u << 16)
#define FERRY_RECORD_LEN   16
/* An epoch's key, which names the records and the files of that epoch. */
#define FERRY_MEMORY_KEY_LEN 32

typedef struct {
	char dir[FERRY_PATH_MAX]; /* SPOOL/memory */
	unsigned keep_days;
	uint64_t epoch;
	uint8_t key[2][FERRY_MEMORY_KEY_LEN]; /* the current epoch's, the previous one's */
	int have_prev;
	/* The records of the current and the previous epoch (malloc'd,
	 * FERRY_MEMORY_SLOTS each; an all-zero slot is empty). */
	uint8_t *table[2];
	unsigned used[2];
} ferry_memory;

/* Writes SPOOL/keep-days and the memory folder of a new spool. */
int ferry_memory_create(const char *spool, unsigned keep_days, ferry_err *e) FERRY_WUR;
/* Opens the memory at time now: makes the current epoch's key when it
 * is new, deletes the epochs that fell out of the window. m lives in
 * sodium_malloc memory (the keys). */
int ferry_memory_open(ferry_memory *m, const char *spool, uint64_t now,
                      ferry_err *e) FERRY_WUR;
/* The name of a bundle under the current epoch's key, from its first
 * 144 bytes and its relay tag: equal for exact duplicates, and two
 * genuine bundles never share an ephemeral key. */
void ferry_memory_name(const ferry_memory *m, int previous,
                       const uint8_t prefix[FERRY_PREFIX_LEN],
                       const uint8_t tag[FERRY_MAC_LEN],
                       char name[FERRY_SPOOL_NAME_LEN + 1]);
/* 1 when the bundle was handled in the window. */
int ferry_memory_seen(const ferry_memory *m, const uint8_t prefix[FERRY_PREFIX_LEN],
                      const uint8_t tag[FERRY_MAC_LEN]);
/* Records a name in the current epoch (in memory; ferry_memory_save
 * writes it). -1 with errno ENOSPC when the epoch's table is full, or
 * EINVAL for a name ferry did not make. */
int ferry_memory_remember(ferry_memory *m, const char *name) FERRY_WUR;
/* Rewrites both epochs' record files and key files whole (temp file,
 * fsync, rename): every run leaves them with its own times, whatever
 * changed, and frees nothing. */
int ferry_memory_save(const ferry_memory *m) FERRY_WUR;
void ferry_memory_close(ferry_memory *m);
/* A fresh random name of the same shape, for the files a forward
 * writes: nothing in the spool lets anyone derive it. */
void ferry_memory_random_name(char out[FERRY_SPOOL_NAME_LEN + 1]);
/* SPOOL/memory/EPOCH for the current (or the previous) epoch: what is
 * kept there goes when the epoch leaves the window. */
int ferry_memory_epoch_dir(const ferry_memory *m, int previous, char *out,
                           size_t cap) FERRY_WUR;
/* Records in the window. */
unsigned ferry_memory_count(const ferry_memory *m);

#endif
