#include "openpipe.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/cpus.h"
#include "../common/fileio.h"

enum { S_FREE, S_QUEUED, S_BUSY, S_DONE, S_BAD };

typedef struct {
	uint8_t *ct; /* ciphertext: not secret */
	uint8_t *pt; /* sodium_malloc */
	size_t ct_len, pt_len;
	uint64_t index;
	int last, state;
} slot;

#define MAX_SLOTS (2 * (FERRY_OPENPIPE_MAX_WORKERS + 1))

struct ferry_openpipe {
	unsigned workers, nslots, started;
	slot slots[MAX_SLOTS];
	const ferry_opener *o; /* while a run is going */
	pthread_mutex_t mu;
	pthread_cond_t work; /* a chunk was queued, or stop */
	pthread_cond_t done; /* a chunk was decrypted */
	pthread_t th[FERRY_OPENPIPE_MAX_WORKERS];
	int stop;
	/* A run with workers: the plaintext goes to the sink on a thread of
	 * its own, so hashing and writing the items overlaps reading and
	 * relay-tagging the chunks. */
	pthread_cond_t freed;        /* a slot was consumed, or the run failed */
	uint64_t out_done, in_total; /* in_total: UINT64_MAX while reading */
	int failed;
};

typedef struct {
	ferry_openpipe *p;
	ferry_plain_sink sink;
	void *u;
	ferry_err e;
	int rc;
} out_ctx;

static void decrypt(const ferry_opener *o, slot *s)
{
	int ok = ferry_opener_chunk_at(o, s->index, s->last, s->ct, s->ct_len, s->pt,
	                               &s->pt_len) == 0;
	s->state = ok ? S_DONE : S_BAD;
}

/* Runs one queued chunk with the lock dropped; the caller holds mu. */
static void run_slot(ferry_openpipe *p, slot *s)
{
	slot job = *s;
	s->state = S_BUSY;
	pthread_mutex_unlock(&p->mu);
	decrypt(p->o, &job);
	pthread_mutex_lock(&p->mu);
	s->pt_len = job.pt_len;
	s->state = job.state;
	pthread_cond_broadcast(&p->done);
}

static void *worker(void *arg)
{
	ferry_openpipe *p = arg;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		slot *s = NULL;
		for (unsigned i = 0; i < p->nslots && !s; i++)
			if (p->slots[i].state == S_QUEUED)
				s = &p->slots[i];
		if (s)
			run_slot(p, s);
		else if (p->stop)
			break;
		else
			pthread_cond_wait(&p->work, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

unsigned ferry_openpipe_default_workers(void)
{
	/* One CPU is the caller's. */
	return ferry_cpus(FERRY_OPENPIPE_MAX_WORKERS + 1) - 1;
}

ferry_openpipe *ferry_openpipe_create(unsigned workers)
{
	if (workers > FERRY_OPENPIPE_MAX_WORKERS)
		workers = FERRY_OPENPIPE_MAX_WORKERS;
	ferry_openpipe *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->workers = workers;
	p->nslots = 2 * (workers + 1);
	for (unsigned i = 0; i < p->nslots; i++) {
		p->slots[i].ct = malloc(FERRY_CHUNK_CT_LEN);
		p->slots[i].pt = sodium_malloc(FERRY_CHUNK_LEN);
		if (!p->slots[i].ct || !p->slots[i].pt)
			goto no_sync;
	}
	if (pthread_mutex_init(&p->mu, NULL) != 0)
		goto no_sync;
	if (pthread_cond_init(&p->work, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		goto no_sync;
	}
	if (pthread_cond_init(&p->done, NULL) != 0) {
		pthread_cond_destroy(&p->work);
		pthread_mutex_destroy(&p->mu);
		goto no_sync;
	}
	if (pthread_cond_init(&p->freed, NULL) != 0) {
		pthread_cond_destroy(&p->done);
		pthread_cond_destroy(&p->work);
		pthread_mutex_destroy(&p->mu);
		goto no_sync;
	}
	while (p->started < workers &&
	       pthread_create(&p->th[p->started], NULL, worker, p) == 0)
		p->started++;
	if (p->started < workers) {
		ferry_openpipe_free(p);
		return NULL;
	}
	return p;
no_sync:
	for (unsigned i = 0; i < p->nslots; i++) {
		free(p->slots[i].ct);
		if (p->slots[i].pt)
			sodium_free(p->slots[i].pt);
	}
	free(p);
	return NULL;
}

void ferry_openpipe_free(ferry_openpipe *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < p->started; i++)
		pthread_join(p->th[i], NULL);
	pthread_cond_destroy(&p->freed);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	for (unsigned i = 0; i < p->nslots; i++) {
		free(p->slots[i].ct);
		if (p->slots[i].pt)
			sodium_free(p->slots[i].pt);
	}
	free(p);
}

/* No worker holds a chunk of this run any more, and every plaintext is
 * wiped: the chunks handed on were wiped then, so only those decrypted
 * but never handed on (the run stopped) still need it. */
static void quiesce(ferry_openpipe *p)
{
	pthread_mutex_lock(&p->mu);
	for (;;) {
		int busy = 0;
		for (unsigned i = 0; i < p->nslots; i++) {
			if (p->slots[i].state == S_QUEUED)
				p->slots[i].state = S_FREE;
			busy |= p->slots[i].state == S_BUSY;
		}
		if (!busy)
			break;
		pthread_cond_wait(&p->done, &p->mu);
	}
	for (unsigned i = 0; i < p->nslots; i++) {
		if (p->slots[i].state != S_FREE)
			sodium_memzero(p->slots[i].pt, FERRY_CHUNK_LEN);
		p->slots[i].state = S_FREE;
	}
	p->o = NULL;
	pthread_mutex_unlock(&p->mu);
}

/* Reads and takes the next chunk into s; 1 when there was one, 0 at the
 * end of the payload, -1 when the bundle is cut or the chunk refused. */
static int read_chunk(ferry_opener *o, int fd, slot *s)
{
	size_t want = ferry_opener_next_len(o);
	if (want == 0)
		return 0;
	if (ferry_read_full(fd, s->ct, want) != (ssize_t)want)
		return -1;
	if (ferry_opener_take(o, s->ct, want, &s->index, &s->last) != 0)
		return -1;
	s->ct_len = want;
	return 1;
}

/* On the caller's thread alone (no workers): read, decrypt, hand on. */
static int stream_inline(ferry_openpipe *p, ferry_opener *o, int fd,
                         ferry_plain_sink sink, void *u, ferry_err *e)
{
	slot *s = &p->slots[0];
	for (;;) {
		int got = read_chunk(o, fd, s);
		if (got < 0)
			return ferry_fail(
			    e, FERRY_EVERIFY,
			    "the bundle is cut short or its chunks were altered");
		if (got == 0)
			return FERRY_OK;
		decrypt(o, s);
		if (s->state != S_DONE)
			return ferry_fail(
			    e, FERRY_EVERIFY,
			    "the payload does not authenticate (altered, cut or spliced)");
		int rc = sink(u, s->pt, s->pt_len, e);
		sodium_memzero(s->pt, s->pt_len);
		s->state = S_FREE;
		if (rc != FERRY_OK)
			return rc;
	}
}

static void fail_run(ferry_openpipe *p)
{
	p->failed = 1;
	pthread_cond_broadcast(&p->freed);
	pthread_cond_broadcast(&p->done);
}

/* The sink's thread: takes the chunks in order as they verify (running a
 * queued one itself rather than wait), hands their plaintext on, wipes
 * and frees their slots. */
static void *out_thread(void *arg)
{
	out_ctx *x = arg;
	ferry_openpipe *p = x->p;
	pthread_mutex_lock(&p->mu);
	for (uint64_t out = 0;; out++) {
		slot *s = &p->slots[out % p->nslots];
		for (;;) {
			if (p->failed || p->in_total == out) {
				pthread_mutex_unlock(&p->mu);
				return NULL;
			}
			if (s->state == S_DONE || s->state == S_BAD)
				break;
			if (s->state == S_QUEUED)
				run_slot(p, s);
			else
				pthread_cond_wait(&p->done, &p->mu);
		}
		if (s->state == S_BAD) {
			x->rc = ferry_fail(
			    &x->e, FERRY_EVERIFY,
			    "the payload does not authenticate (altered, cut or spliced)");
			fail_run(p);
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		pthread_mutex_unlock(&p->mu);
		int rc = x->sink(x->u, s->pt, s->pt_len, &x->e);
		sodium_memzero(s->pt, s->pt_len);
		pthread_mutex_lock(&p->mu);
		s->state = S_FREE;
		p->out_done = out + 1;
		pthread_cond_broadcast(&p->freed);
		if (rc != FERRY_OK) {
			x->rc = rc;
			fail_run(p);
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
	}
}

static int stream(ferry_openpipe *p, ferry_opener *o, int fd, ferry_plain_sink sink,
                  void *u, ferry_err *e)
{
	if (p->workers == 0)
		return stream_inline(p, o, fd, sink, u, e);
	out_ctx x = {p, sink, u, {0}, FERRY_OK};
	pthread_t th;
	ferry_err_clear(&x.e);
	p->out_done = 0;
	p->in_total = UINT64_MAX;
	p->failed = 0;
	if (pthread_create(&th, NULL, out_thread, &x) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot start a thread");
	int rc = FERRY_OK;
	for (uint64_t in = 0;; in++) {
		pthread_mutex_lock(&p->mu);
		while (!p->failed && in - p->out_done >= p->nslots)
			pthread_cond_wait(&p->freed, &p->mu);
		int stop = p->failed;
		pthread_mutex_unlock(&p->mu);
		if (stop)
			break;
		slot *s = &p->slots[in % p->nslots];
		int got = read_chunk(o, fd, s);
		pthread_mutex_lock(&p->mu);
		if (got < 0) {
			rc = ferry_fail(
			    e, FERRY_EVERIFY,
			    "the bundle is cut short or its chunks were altered");
			fail_run(p);
		} else if (got == 0) {
			p->in_total = in;
			pthread_cond_broadcast(&p->done);
		} else {
			s->state = S_QUEUED;
			pthread_cond_signal(&p->work);
			pthread_cond_broadcast(&p->done);
		}
		pthread_mutex_unlock(&p->mu);
		if (got <= 0)
			break;
	}
	pthread_join(th, NULL);
	if (rc == FERRY_OK && x.rc != FERRY_OK) {
		rc = x.rc;
		if (e)
			*e = x.e;
	}
	return rc;
}

int ferry_openpipe_run(ferry_openpipe *p, ferry_opener *o, int fd,
                       ferry_plain_sink sink, void *u, ferry_err *e)
{
	uint8_t tag[17];
	pthread_mutex_lock(&p->mu);
	p->o = o;
	pthread_mutex_unlock(&p->mu);
	int rc = stream(p, o, fd, sink, u, e);
	quiesce(p);
	if (rc == FERRY_OK && ferry_read_full(fd, tag, sizeof tag) != 16)
		rc = ferry_fail(e, FERRY_EVERIFY,
		                "the bundle's length changed while it was read");
	if (rc == FERRY_OK && ferry_opener_finish(o, tag) != 0)
		rc = ferry_fail(
		    e, FERRY_EVERIFY,
		    "the relay tag does not verify (the bundle was altered)");
	ferry_opener_wipe(o);
	return rc;
}
