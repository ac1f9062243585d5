#include "sealpipe.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "../common/cpus.h"

/* Chunk i lives in ring[i % RING]. Sixteen slots keep up to eight
 * workers busy while the writer waits on the oldest; 1 MiB in all. */
#define RING 16u

enum { SLOT_FREE, SLOT_QUEUED, SLOT_DONE, SLOT_FAILED };

typedef struct {
	uint8_t buf[FERRY_CHUNK_CT_LEN];
	uint8_t unit_tag[16];
	size_t len; /* plaintext bytes */
	int final;
	int state;
} slot;

struct ferry_sealpipe {
	ferry_sealer s;
	slot ring[RING];
	pthread_mutex_t mu;
	pthread_cond_t work; /* a chunk was queued, or stop */
	pthread_cond_t done; /* a chunk was sealed */
	pthread_t th[FERRY_SEALPIPE_MAX_WORKERS];
	unsigned nthreads;
	int stop;
	uint64_t fill;     /* index of the chunk being filled */
	uint64_t queued;   /* chunks handed to the workers */
	uint64_t taken;    /* chunks a worker has started */
	uint64_t written;  /* chunks written out */
	unsigned inflight; /* chunks a worker is sealing right now */
	uint64_t plain_len;
	ferry_write_fn write;
	void *io;
	int state; /* 0 idle, 1 sealing, -1 failed */
};

/* Seals the oldest queued chunk no thread has started yet, on the
 * calling thread (a worker, or the writer while it waits). The slot is
 * this thread's until it is marked done: the writer touches only slots
 * that are free or done. Called with mu held; returns with it held. */
static void help_one(ferry_sealpipe *p)
{
	uint64_t i = p->taken++;
	slot *sl = &p->ring[i % RING];
	p->inflight++;
	pthread_mutex_unlock(&p->mu);
	int rc =
	    ferry_sealer_chunk(&p->s, i, sl->final, sl->buf, sl->len, sl->unit_tag);
	pthread_mutex_lock(&p->mu);
	sl->state = rc == 0 ? SLOT_DONE : SLOT_FAILED;
	p->inflight--;
}

static void *worker(void *arg)
{
	ferry_sealpipe *p = arg;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && p->taken == p->queued)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->stop)
			break;
		help_one(p);
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

unsigned ferry_sealpipe_default_workers(void)
{
	/* One CPU is the caller's. */
	return ferry_cpus(FERRY_SEALPIPE_MAX_WORKERS + 1) - 1;
}

ferry_sealpipe *ferry_sealpipe_create(unsigned workers)
{
	if (workers > FERRY_SEALPIPE_MAX_WORKERS)
		return NULL;
	ferry_sealpipe *p = sodium_malloc(sizeof *p);
	if (!p)
		return NULL;
	memset(p, 0, sizeof *p);
	if (pthread_mutex_init(&p->mu, NULL) != 0) {
		sodium_free(p);
		return NULL;
	}
	if (pthread_cond_init(&p->work, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		sodium_free(p);
		return NULL;
	}
	if (pthread_cond_init(&p->done, NULL) != 0) {
		pthread_cond_destroy(&p->work);
		pthread_mutex_destroy(&p->mu);
		sodium_free(p);
		return NULL;
	}
	for (unsigned i = 0; i < workers; i++) {
		if (pthread_create(&p->th[i], NULL, worker, p) != 0) {
			ferry_sealpipe_free(p);
			return NULL;
		}
		p->nthreads++;
	}
	return p;
}

void ferry_sealpipe_free(ferry_sealpipe *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->th[i], NULL);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	ferry_sealer_wipe(&p->s);
	sodium_free(p); /* wipes the ring too */
}

/* Drops the chunks no worker has started and waits out the ones being
 * sealed, so that the keys can be wiped with no thread reading them. */
static void quiesce(ferry_sealpipe *p)
{
	if (p->nthreads == 0)
		return;
	pthread_mutex_lock(&p->mu);
	for (uint64_t i = p->taken; i < p->queued; i++)
		p->ring[i % RING].state = SLOT_FREE;
	p->queued = p->taken;
	while (p->inflight > 0)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

static void fail(ferry_sealpipe *p)
{
	quiesce(p);
	p->state = -1;
	ferry_sealer_wipe(&p->s);
	sodium_memzero(p->ring, sizeof p->ring);
}

/* Waits for the oldest unwritten chunk, writes it and folds its relay
 * unit tag. Chunks leave in index order whatever order they were sealed
 * in, so the fold and the file are the same as a one-thread seal. While
 * it waits, the caller seals queued chunks itself rather than sleep: the
 * workers are one fewer than the CPUs, and the caller is the last. */
static int write_oldest(ferry_sealpipe *p)
{
	slot *sl = &p->ring[p->written % RING];
	if (p->nthreads > 0) {
		pthread_mutex_lock(&p->mu);
		while (sl->state == SLOT_QUEUED) {
			if (p->taken < p->queued)
				help_one(p);
			else
				pthread_cond_wait(&p->done, &p->mu);
		}
		pthread_mutex_unlock(&p->mu);
	}
	int ok = sl->state == SLOT_DONE;
	size_t n = sl->len + FERRY_CHUNK_OVERHEAD;
	if (!ok || p->write(p->io, sl->buf, n) != 0 ||
	    ferry_sealer_fold(&p->s, sl->unit_tag) != 0) {
		sodium_memzero(sl, sizeof *sl);
		return -1;
	}
	/* The buffer holds ciphertext now; only its length needs resetting. */
	sl->len = 0;
	sl->state = SLOT_FREE;
	p->written++;
	return 0;
}

/* Hands the slot being filled to a worker (or seals it here), then makes
 * the next slot free for filling. */
static int queue_fill(ferry_sealpipe *p, int final)
{
	slot *sl = &p->ring[p->fill % RING];
	sl->final = final;
	if (p->nthreads == 0) {
		int rc = ferry_sealer_chunk(&p->s, p->fill, final, sl->buf, sl->len,
		                            sl->unit_tag);
		sl->state = rc == 0 ? SLOT_DONE : SLOT_FAILED;
	} else {
		pthread_mutex_lock(&p->mu);
		sl->state = SLOT_QUEUED;
		p->queued++;
		pthread_cond_signal(&p->work);
		pthread_mutex_unlock(&p->mu);
	}
	p->fill++;
	if (p->fill - p->written == RING)
		return write_oldest(p);
	return 0;
}

int ferry_sealpipe_begin(ferry_sealpipe *p, uint8_t kind, uint32_t form_index,
                         const uint8_t spk[32], const uint8_t *opk,
                         const uint8_t relay_pk[32], ferry_write_fn write, void *io)
{
	return ferry_sealpipe_begin_proven(p, kind, form_index, spk, opk, relay_pk, NULL,
	                                   write, io);
}

int ferry_sealpipe_begin_proven(ferry_sealpipe *p, uint8_t kind, uint32_t form_index,
                                const uint8_t spk[32], const uint8_t *opk,
                                const uint8_t relay_pk[32],
                                const ferry_pack_proof *proof, ferry_write_fn write,
                                void *io)
{
	uint8_t prefix[FERRY_PREFIX_LEN];
	if (p->state != 0 || p->fill != 0)
		return -1;
	p->write = write;
	p->io = io;
	if (ferry_sealer_begin(&p->s, kind, form_index, spk, opk, relay_pk, proof,
	                       prefix) != 0 ||
	    write(io, prefix, sizeof prefix) != 0) {
		fail(p);
		return -1;
	}
	p->state = 1;
	return 0;
}

/* Appends n bytes (plaintext or padding zeros when b is NULL). A full
 * slot is queued only once more bytes follow it, because the final
 * chunk must stay below 64 KiB and is flagged as final. */
static int push(ferry_sealpipe *p, const uint8_t *b, uint64_t n)
{
	while (n > 0) {
		slot *sl = &p->ring[p->fill % RING];
		if (sl->len == FERRY_CHUNK_LEN) {
			if (queue_fill(p, 0) != 0)
				return -1;
			continue;
		}
		size_t take = FERRY_CHUNK_LEN - sl->len;
		if (take > n)
			take = (size_t)n;
		if (b) {
			memcpy(sl->buf + sl->len, b, take);
			b += take;
		} else {
			memset(sl->buf + sl->len, 0, take);
		}
		sl->len += take;
		n -= take;
	}
	return 0;
}

int ferry_sealpipe_update(ferry_sealpipe *p, const uint8_t *b, size_t n)
{
	if (p->state != 1)
		return -1;
	if (p->plain_len + n > FERRY_BUNDLE_MAX || p->plain_len + n < p->plain_len ||
	    push(p, b, n) != 0) {
		fail(p);
		return -1;
	}
	p->plain_len += n;
	return 0;
}

int ferry_sealpipe_sink(void *io, const uint8_t *b, size_t n)
{
	return ferry_sealpipe_update(io, b, n);
}

int ferry_sealpipe_finish(ferry_sealpipe *p, uint64_t *bundle_len)
{
	uint64_t target = 0, plain = 0;
	uint8_t tag[16];
	*bundle_len = 0;
	if (p->state != 1)
		return -1;
	if (ferry_bundle_len_for(p->plain_len, &target) != 0 ||
	    ferry_plain_len_of_bundle(target, &plain) != 0 || plain < p->plain_len ||
	    push(p, NULL, plain - p->plain_len) != 0)
		goto fail;
	/* The final chunk holds plain mod 64 KiB bytes, possibly none. */
	if (p->ring[p->fill % RING].len == FERRY_CHUNK_LEN && queue_fill(p, 0) != 0)
		goto fail;
	if (queue_fill(p, 1) != 0)
		goto fail;
	while (p->written < p->fill)
		if (write_oldest(p) != 0)
			goto fail;
	if (ferry_sealer_tag(&p->s, tag) != 0 || p->write(p->io, tag, sizeof tag) != 0)
		goto fail;
	*bundle_len = target;
	/* Ready for the next bundle. The workers read queued and taken while
	 * they wait, so those are reset under the lock. */
	pthread_mutex_lock(&p->mu);
	p->queued = p->taken = 0;
	pthread_mutex_unlock(&p->mu);
	p->fill = p->written = 0;
	p->plain_len = 0;
	p->state = 0;
	return 0;
fail:
	fail(p);
	return -1;
}
