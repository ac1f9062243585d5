/* Sealing a bundle as a stream of bytes, on several threads.
 *
 * crypto/bundle.h seals one chunk at a time and leaves the chunking to
 * its caller. This is that caller: it cuts the container into 64 KiB
 * chunks, pads to the bundle length, has worker threads encrypt and
 * relay-tag the chunks in parallel, and writes them in order. The bytes
 * written do not depend on the number of workers. */
#ifndef FERRY_SEALPIPE_H
#define FERRY_SEALPIPE_H

#include <stddef.h>
#include <stdint.h>

#include "../common/io.h"
#include "../crypto/bundle.h"

typedef struct ferry_sealpipe ferry_sealpipe;

#define FERRY_SEALPIPE_MAX_WORKERS 7u

/* workers == 0 seals on the calling thread; otherwise that many threads
 * (at most FERRY_SEALPIPE_MAX_WORKERS) are started, and the calling
 * thread seals chunks too whenever it would otherwise wait. The context, its
 * keys and its plaintext buffers live in sodium_malloc memory. NULL when
 * memory or a thread cannot be had, errno saying which. */
ferry_sealpipe *ferry_sealpipe_create(unsigned workers);
/* One worker per online CPU but one (the caller's), capped. */
unsigned ferry_sealpipe_default_workers(void);

/* Starts a bundle (see ferry_sealer_begin) and writes its first 144
 * bytes through write. -1 when the keys are refused or the write fails:
 * ferry_sealpipe_write_errno says which. */
int ferry_sealpipe_begin(ferry_sealpipe *p, uint8_t kind, uint32_t form_index,
                         const uint8_t spk[FERRY_X25519_LEN], const uint8_t *opk,
                         const uint8_t relay_key[FERRY_X25519_LEN], ferry_write_fn write,
                         void *io) FERRY_WUR;
/* The same with the pack holder's proof in the header (NULL: none). */
int ferry_sealpipe_begin_proven(ferry_sealpipe *p, uint8_t kind, uint32_t form_index,
                                const uint8_t spk[FERRY_X25519_LEN], const uint8_t *opk,
                                const uint8_t relay_key[FERRY_X25519_LEN],
                                const ferry_pack_proof *proof, ferry_write_fn write,
                                void *io) FERRY_WUR;
/* The errno of the write that failed the bundle being sealed (EIO when
 * write left errno 0), or 0 when no write failed: then the failure was a
 * refused key, memory, or a bundle over the size limit. */
int ferry_sealpipe_write_errno(const ferry_sealpipe *p);
/* Pushes container bytes. */
int ferry_sealpipe_update(ferry_sealpipe *p, const uint8_t *b, size_t n) FERRY_WUR;
/* Pads to the bundle length, writes every chunk left and the relay tag,
 * and wipes the keys. bundle_len gets the file length. */
int ferry_sealpipe_finish(ferry_sealpipe *p, uint64_t *bundle_len) FERRY_WUR;
/* ferry_write_fn adapter: io is a ferry_sealpipe. */
int ferry_sealpipe_sink(void *io, const uint8_t *b, size_t n);
/* Stops the workers and wipes everything. NULL is fine. */
void ferry_sealpipe_free(ferry_sealpipe *p);

#endif
