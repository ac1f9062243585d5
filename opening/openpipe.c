#include "openpipe.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/fileio.h"
#include "../common/pool.h"

/* A chunk as it goes through: its ciphertext (not secret) and, once a
 * job decrypted it, its plaintext until the sink has it. */
typedef struct {
	uint8_t *ct;
	uint8_t *pt; /* sodium_malloc */
	size_t ct_len, pt_len;
	uint64_t index;
	int last;
	int has_pt; /* pt may hold plaintext: wiped before the slot is reused */
} chunk;

/* Two chunks a thread: one being decrypted, one waiting to be. */
#define RING(workers) (2 * ((workers) + 1))

struct ferry_openpipe {
	ferry_pool *pool;
	unsigned ring;
	chunk c[RING(FERRY_OPENPIPE_MAX_WORKERS)];
	const ferry_opener *o; /* while a run is going */
};

_Static_assert(FERRY_OPENPIPE_MAX_WORKERS <= FERRY_POOL_MAX_WORKERS &&
                   RING(FERRY_OPENPIPE_MAX_WORKERS) <= FERRY_POOL_MAX_RING,
               "the pool holds the pipe's threads and chunks");

/* The pool's job: decrypt and verify one chunk. */
static int decrypt(void *ctx, unsigned slot, uint64_t index)
{
	ferry_openpipe *p = ctx;
	chunk *c = &p->c[slot];
	(void)index; /* the chunk's own index, from the opener, is c->index */
	c->has_pt = 1;
	return ferry_opener_chunk_at(p->o, c->index, c->last, c->ct, c->ct_len, c->pt,
	                             &c->pt_len);
}

unsigned ferry_openpipe_default_workers(void)
{
	return ferry_pool_default_workers();
}

ferry_openpipe *ferry_openpipe_create(unsigned workers)
{
	if (workers > FERRY_OPENPIPE_MAX_WORKERS)
		workers = FERRY_OPENPIPE_MAX_WORKERS;
	ferry_openpipe *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->ring = RING(workers);
	for (unsigned i = 0; i < p->ring; i++) {
		p->c[i].ct = malloc(FERRY_CHUNK_CT_LEN);
		p->c[i].pt = sodium_malloc(FERRY_CHUNK_LEN);
		if (!p->c[i].ct || !p->c[i].pt) {
			ferry_openpipe_free(p);
			return NULL;
		}
	}
	if (!(p->pool = ferry_pool_create(workers, p->ring))) {
		ferry_openpipe_free(p);
		return NULL;
	}
	return p;
}

void ferry_openpipe_free(ferry_openpipe *p)
{
	if (!p)
		return;
	ferry_pool_free(p->pool);
	for (unsigned i = 0; i < p->ring; i++) {
		free(p->c[i].ct);
		if (p->c[i].pt)
			sodium_free(p->c[i].pt);
	}
	free(p);
}

/* Reads and takes the next chunk into c; 1 when there was one, 0 at the
 * end of the payload, -1 when the bundle is cut or the chunk refused, -2
 * when reading fails (errno): the disk, not the bundle. */
static int read_chunk(ferry_opener *o, int fd, chunk *c)
{
	size_t want = ferry_opener_next_len(o);
	if (want == 0)
		return 0;
	ssize_t got = ferry_read_full(fd, c->ct, want);
	if (got < 0)
		return -2;
	if (got != (ssize_t)want)
		return -1;
	if (ferry_opener_take(o, c->ct, want, &c->index, &c->last) != 0)
		return -1;
	c->ct_len = want;
	return 1;
}

static void wipe(chunk *c)
{
	if (c->has_pt)
		sodium_memzero(c->pt, FERRY_CHUNK_LEN);
	c->has_pt = 0;
}

typedef struct {
	ferry_openpipe *p;
	ferry_plain_sink sink;
	void *u;
	ferry_err e;
	int rc;
} consumer;

/* Takes one chunk in order and hands its plaintext on: FERRY_OK, 1 at
 * the end, or the failure (the run is failed then). */
static int consume_one(consumer *x)
{
	unsigned s;
	switch (ferry_pool_take(x->p->pool, &s)) {
	case FERRY_POOL_END: return 1;
	case FERRY_POOL_FAILED: return FERRY_EOP; /* the producer's error stands */
	case FERRY_POOL_BAD:
		wipe(&x->p->c[s]);
		ferry_pool_fail(x->p->pool);
		return x->rc = ferry_fail(
		           &x->e, FERRY_EVERIFY,
		           "the payload does not authenticate (altered, cut or spliced)");
	default: break;
	}
	chunk *c = &x->p->c[s];
	int rc = x->sink(x->u, c->pt, c->pt_len, &x->e);
	wipe(c);
	ferry_pool_release(x->p->pool);
	if (rc != FERRY_OK) {
		ferry_pool_fail(x->p->pool);
		x->rc = rc;
	}
	return rc;
}

/* The sink's thread: the chunks in order as they verify. */
static void *consumer_thread(void *arg)
{
	consumer *x = arg;
	while (consume_one(x) == FERRY_OK)
		;
	return NULL;
}

/* Reads the chunks into the pool in file order; with no other consumer,
 * hands each on before reading the next. */
static int produce(consumer *x, ferry_opener *o, int fd, int inline_sink, ferry_err *e)
{
	for (;;) {
		int s = ferry_pool_reserve(x->p->pool);
		if (s < 0)
			return FERRY_OK; /* the consumer failed: its error stands */
		int got = read_chunk(o, fd, &x->p->c[s]);
		if (got == -2) {
			ferry_pool_fail(x->p->pool);
			return ferry_fail(e, FERRY_EOP, "cannot read the bundle: %s",
			                  strerror(errno));
		}
		if (got < 0) {
			ferry_pool_fail(x->p->pool);
			return ferry_fail(
			    e, FERRY_EVERIFY,
			    "the bundle is cut short or its chunks were altered");
		}
		if (got == 0) {
			ferry_pool_close(x->p->pool);
			return inline_sink && consume_one(x) < 0 ? x->rc : FERRY_OK;
		}
		ferry_pool_submit(x->p->pool);
		if (inline_sink && consume_one(x) != FERRY_OK)
			return x->rc;
	}
}

static int stream(ferry_openpipe *p, ferry_opener *o, int fd, ferry_plain_sink sink,
                  void *u, ferry_err *e)
{
	consumer x = {p, sink, u, {0}, FERRY_OK};
	ferry_err_clear(&x.e);
	if (ferry_pool_workers(p->pool) == 0) {
		int rc = produce(&x, o, fd, 1, e);
		if (rc != FERRY_OK && x.rc == rc && e)
			*e = x.e;
		return rc;
	}
	/* With workers, the plaintext goes to the sink on a thread of its
	 * own, so hashing and writing the items overlaps reading and
	 * relay-tagging the chunks. */
	pthread_t th;
	int err = pthread_create(&th, NULL, consumer_thread, &x);
	if (err != 0)
		return ferry_fail(e, FERRY_EOP, "cannot start a thread: %s", strerror(err));
	int rc = produce(&x, o, fd, 0, e);
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
	uint8_t tag[FERRY_RELAYTAG_LEN + 1]; /* a byte past the tag: the file grew */
	p->o = o;
	ferry_pool_start(p->pool, decrypt, p);
	int rc = stream(p, o, fd, sink, u, e);
	/* No job runs past here, and no plaintext is left in a chunk. */
	ferry_pool_stop(p->pool);
	for (unsigned i = 0; i < p->ring; i++)
		wipe(&p->c[i]);
	p->o = NULL;
	ssize_t got = rc == FERRY_OK ? ferry_read_full(fd, tag, sizeof tag) : FERRY_RELAYTAG_LEN;
	if (got < 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot read the bundle: %s",
		                strerror(errno));
	else if (got != FERRY_RELAYTAG_LEN)
		rc = ferry_fail(e, FERRY_EVERIFY,
		                "the bundle's length changed while it was read");
	if (rc == FERRY_OK && ferry_opener_finish(o, tag) != 0)
		rc = ferry_fail(
		    e, FERRY_EVERIFY,
		    "the relay tag does not verify (the bundle was altered)");
	ferry_opener_wipe(o);
	return rc;
}
