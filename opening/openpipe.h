/* Opening a bundle's payload on several threads.
 *
 * The calling thread reads each chunk in file order and hands it to
 * ferry_opener_take (length, relay tag); worker threads decrypt and
 * verify chunks in parallel (ferry_opener_chunk_at); the calling thread
 * passes each chunk's plaintext to the sink in order, only once its tag
 * verified, then wipes it. Memory is constant (two chunks a thread), and
 * what the sink sees does not depend on the number of threads. */
#ifndef FERRY_OPENPIPE_H
#define FERRY_OPENPIPE_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"
#include "../crypto/bundle.h"

typedef struct ferry_openpipe ferry_openpipe;

#define FERRY_OPENPIPE_MAX_WORKERS 7u

/* workers == 0 opens on the calling thread; otherwise that many threads
 * (at most FERRY_OPENPIPE_MAX_WORKERS) are started, and the calling
 * thread decrypts too when it would otherwise wait. NULL when memory or
 * a thread cannot be had. */
ferry_openpipe *ferry_openpipe_create(unsigned workers);
/* One worker per online CPU but one (the caller's), capped. */
unsigned ferry_openpipe_default_workers(void);
void ferry_openpipe_free(ferry_openpipe *p);

/* Receives the plaintext, in order; FERRY_OK to go on. */
typedef int (*ferry_plain_sink)(void *u, const uint8_t *p, size_t n, ferry_err *e);

/* Reads the payload chunks of the bundle in fd (positioned after its
 * prefix) and the relay tag after them, and feeds the plaintext to sink.
 * FERRY_EVERIFY when the bundle is cut short, a chunk or the relay tag
 * does not verify; the sink's code when it fails. The opener is wiped on
 * every path. */
int ferry_openpipe_run(ferry_openpipe *p, ferry_opener *o, int fd,
                       ferry_plain_sink sink, void *u, ferry_err *e) FERRY_WUR;

#endif
