/* The intake log: append-only, each entry encrypted under the vault's
 * log key and hash-chained; the vault keeps the head (count and hash),
 * so a truncated or reordered log is detected. docs/FORMAT.md, "Log". */
#ifndef FERRY_LOG_H
#define FERRY_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"
#include "../common/io.h"
#include "../crypto/sizes.h"

/* An entry holds a case's manifest: up to 1000 items with reports of
 * up to 4000 bytes each (container/format.h), and the lines around them. */
#define FERRY_LOG_ENTRY_MAX (8u << 20)

/* Creates an empty log for the desk; fails if path exists. */
int ferry_log_create(const char *path, const uint8_t desk_id[FERRY_HASH_LEN]) FERRY_WUR;
/* The head of an empty log. */
void ferry_log_start(uint8_t head[FERRY_HASH_LEN],
                     const uint8_t desk_id[FERRY_HASH_LEN]);

/* Appends entry number *count (from 0) after head; on success both are
 * advanced. The entry is fsync'd before this returns. -1 with errno:
 * the disk's, ENOMEM, EINVAL for a log that is not a regular file, or
 * EMSGSIZE for text over FERRY_LOG_ENTRY_MAX. */
int ferry_log_append(const char *path, const uint8_t key[FERRY_KEY_LEN],
                     const uint8_t desk_id[FERRY_HASH_LEN], uint64_t *count,
                     uint8_t head[FERRY_HASH_LEN], const char *text) FERRY_WUR;

typedef int (*ferry_log_visit_fn)(void *u, uint64_t seq, const char *text);

typedef struct {
	uint64_t count;               /* entries that verified */
	uint8_t head[FERRY_HASH_LEN]; /* head after them */
	uint64_t good_end;            /* file offset just past the last good entry */
	int head_matched;             /* the vault's (count, head) was met on the way */
	int torn_tail;                /* bytes after good_end that are not an entry */
	uint64_t head_offset;         /* file offset where the vault's head was met */
} ferry_log_state;

/* Walks and verifies the log, calling visit for each entry (visit may be
 * NULL). want_count/want_head is what the vault records. Returns 0 when
 * every entry verified (r->torn_tail tells of a partial last write),
 * FERRY_EVERIFY when the log is not this desk's, or an entry fails to
 * decrypt or chain; FERRY_EOP when it cannot be read. */
int ferry_log_walk(const char *path, const uint8_t key[FERRY_KEY_LEN],
                   const uint8_t desk_id[FERRY_HASH_LEN], uint64_t want_count,
                   const uint8_t want_head[FERRY_HASH_LEN], ferry_log_visit_fn visit,
                   void *u, ferry_log_state *r, ferry_err *e) FERRY_WUR;
/* The same over any reader (the log's bytes from the start): for memory,
 * as the fuzz target reads it. */
int ferry_log_walk_read(ferry_read_fn rd, void *rio, const uint8_t key[FERRY_KEY_LEN],
                        const uint8_t desk_id[FERRY_HASH_LEN], uint64_t want_count,
                        const uint8_t want_head[FERRY_HASH_LEN],
                        ferry_log_visit_fn visit, void *u, ferry_log_state *r,
                        ferry_err *e) FERRY_WUR;
/* Reads only the desk id in the log's header; -1 with errno set when
 * the file cannot be opened or read, with errno 0 when it is not a log. */
int ferry_log_desk_id(const char *path, uint8_t desk_id[FERRY_HASH_LEN]) FERRY_WUR;
/* Cuts a torn partial entry off the end (after a crash mid-append). */
int ferry_log_truncate(const char *path, uint64_t len) FERRY_WUR;

#endif
