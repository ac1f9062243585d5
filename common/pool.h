/* One ordered worker pool, for sealing (seal/sealpipe.c) and opening
 * (opening/openpipe.c) alike: jobs numbered 0, 1, 2, ... are run on
 * worker threads in any order and handed back in their order, so what
 * comes out does not depend on the number of threads.
 *
 * The caller keeps the jobs' data in a ring of its own, job i in slot
 * i % ring; the pool says when a slot may be filled, runs the job, and
 * says when its result may be read. A producer reserves a slot, fills it
 * and submits it; a consumer (the producer itself, or another thread)
 * takes the oldest job, reads its result and releases the slot. A thread
 * that would wait for a job runs a queued one itself instead: the workers
 * are one fewer than the CPUs, and the waiting thread is the last.
 * Every hand-over is under the pool's one lock, which orders the slot's
 * contents between the threads. */
#ifndef FERRY_POOL_H
#define FERRY_POOL_H

#include <stdint.h>

#include "err.h"

typedef struct ferry_pool ferry_pool;

#define FERRY_POOL_MAX_WORKERS 7u
#define FERRY_POOL_MAX_RING    32u

/* Runs job index, whose data is in slot; 0 when it succeeded. Called on
 * a worker, or on a thread that would otherwise wait. */
typedef int (*ferry_pool_fn)(void *ctx, unsigned slot, uint64_t index);

/* A pool of workers threads (0: every job runs on the thread that
 * submits it) and a ring of ring slots (1 to FERRY_POOL_MAX_RING). NULL
 * when a thread or memory cannot be had (errno says which), or the sizes
 * are out of range (errno EINVAL). */
ferry_pool *ferry_pool_create(unsigned workers, unsigned ring);
/* One worker per online CPU but one (the caller's), capped. */
unsigned ferry_pool_default_workers(void);
unsigned ferry_pool_workers(const ferry_pool *p);
/* Stops and joins the workers. NULL is fine. The pool must not be in a
 * run (ferry_pool_stop first). */
void ferry_pool_free(ferry_pool *p);

/* Starts a run: jobs from 0, run by fn(ctx, ...). */
void ferry_pool_start(ferry_pool *p, ferry_pool_fn fn, void *ctx);

/* Producer: waits until the slot of the next job is free (the job ring
 * jobs before it was released); its slot, or -1 when the run failed. A
 * producer that is also the consumer must take a job first when
 * ferry_pool_full says so: it would wait for itself. */
int ferry_pool_reserve(ferry_pool *p) FERRY_WUR;
/* 1 when every slot holds a job not yet released. */
int ferry_pool_full(ferry_pool *p);
/* Producer: the reserved slot is filled; queue its job (without workers,
 * run it here). */
void ferry_pool_submit(ferry_pool *p);
/* Producer: no job follows the ones submitted. */
void ferry_pool_close(ferry_pool *p);

enum {
	FERRY_POOL_DONE = 0,   /* *slot holds the job's result */
	FERRY_POOL_BAD = 1,    /* the job's function failed; *slot is its slot */
	FERRY_POOL_END = 2,    /* closed, and every job was taken */
	FERRY_POOL_FAILED = 3, /* the run failed (ferry_pool_fail) */
};
/* Consumer: waits for the oldest job not taken yet, running queued jobs
 * meanwhile. After DONE or BAD, ferry_pool_release gives its slot back. */
int ferry_pool_take(ferry_pool *p, unsigned *slot) FERRY_WUR;
void ferry_pool_release(ferry_pool *p);

/* Either side: the run fails; every wait returns. */
void ferry_pool_fail(ferry_pool *p);
/* Ends the run: drops the jobs no thread has started and waits out the
 * ones running, so that no worker touches a slot or the context after
 * it (the caller may then wipe them). */
void ferry_pool_stop(ferry_pool *p);

#endif
