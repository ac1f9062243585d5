#include "pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cpus.h"

/* A slot's job: not there, queued, being run, or run. */
enum { S_FREE, S_QUEUED, S_RUNNING, S_DONE, S_BAD };

struct ferry_pool {
	pthread_mutex_t mu;
	pthread_cond_t work;   /* a job was queued, or the workers must quit */
	pthread_cond_t change; /* a job ran, a slot was freed, or the run ended */
	pthread_t th[FERRY_POOL_MAX_WORKERS];
	unsigned workers, started_threads, ring;
	int quit;
	/* The run. Jobs [started, submitted) are queued, [taken, started)
	 * are running or run and not taken, [released, taken) are being
	 * read by the consumer. */
	ferry_pool_fn fn;
	void *ctx;
	uint64_t submitted, started, taken, released;
	unsigned running;
	int closed, failed;
	unsigned char state[FERRY_POOL_MAX_RING];
};

/* Runs the oldest queued job on this thread. Called with mu held;
 * returns with it held. */
static void run_one(ferry_pool *p)
{
	uint64_t i = p->started++;
	unsigned s = (unsigned)(i % p->ring);
	p->state[s] = S_RUNNING;
	p->running++;
	pthread_mutex_unlock(&p->mu);
	int rc = p->fn(p->ctx, s, i);
	pthread_mutex_lock(&p->mu);
	p->state[s] = rc == 0 ? S_DONE : S_BAD;
	p->running--;
	pthread_cond_broadcast(&p->change);
}

static void *worker(void *arg)
{
	ferry_pool *p = arg;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->quit && (p->failed || p->started == p->submitted))
			pthread_cond_wait(&p->work, &p->mu);
		if (p->quit)
			break;
		run_one(p);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

unsigned ferry_pool_default_workers(void)
{
	return ferry_cpus(FERRY_POOL_MAX_WORKERS + 1) - 1;
}

unsigned ferry_pool_workers(const ferry_pool *p)
{
	return p->workers;
}

ferry_pool *ferry_pool_create(unsigned workers, unsigned ring)
{
	if (workers > FERRY_POOL_MAX_WORKERS || ring == 0 ||
	    ring > FERRY_POOL_MAX_RING) {
		errno = EINVAL;
		return NULL;
	}
	ferry_pool *p = calloc(1, sizeof *p);
	if (!p)
		return NULL; /* errno is ENOMEM */
	p->workers = workers;
	p->ring = ring;
	/* pthread_*_init return their error rather than set errno; callers
	 * report errno. */
	int err = pthread_mutex_init(&p->mu, NULL);
	if (err != 0) {
		free(p);
		errno = err;
		return NULL;
	}
	if ((err = pthread_cond_init(&p->work, NULL)) != 0) {
		pthread_mutex_destroy(&p->mu);
		free(p);
		errno = err;
		return NULL;
	}
	if ((err = pthread_cond_init(&p->change, NULL)) != 0) {
		pthread_cond_destroy(&p->work);
		pthread_mutex_destroy(&p->mu);
		free(p);
		errno = err;
		return NULL;
	}
	while (p->started_threads < workers &&
	       (err = pthread_create(&p->th[p->started_threads], NULL, worker, p)) == 0)
		p->started_threads++;
	if (p->started_threads < workers) {
		ferry_pool_free(p);
		errno = err; /* why the thread could not be had */
		return NULL;
	}
	return p;
}

void ferry_pool_free(ferry_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < p->started_threads; i++)
		pthread_join(p->th[i], NULL);
	pthread_cond_destroy(&p->change);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

void ferry_pool_start(ferry_pool *p, ferry_pool_fn fn, void *ctx)
{
	pthread_mutex_lock(&p->mu);
	p->fn = fn;
	p->ctx = ctx;
	p->submitted = p->started = p->taken = p->released = 0;
	p->closed = p->failed = 0;
	memset(p->state, S_FREE, sizeof p->state);
	pthread_mutex_unlock(&p->mu);
}

int ferry_pool_reserve(ferry_pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (!p->failed && p->submitted - p->released >= p->ring)
		pthread_cond_wait(&p->change, &p->mu);
	int s = p->failed ? -1 : (int)(p->submitted % p->ring);
	pthread_mutex_unlock(&p->mu);
	return s;
}

int ferry_pool_full(ferry_pool *p)
{
	pthread_mutex_lock(&p->mu);
	int full = p->submitted - p->released >= p->ring;
	pthread_mutex_unlock(&p->mu);
	return full;
}

void ferry_pool_submit(ferry_pool *p)
{
	pthread_mutex_lock(&p->mu);
	/* The caller reserved the slot: it is free. */
	p->state[p->submitted % p->ring] = S_QUEUED;
	p->submitted++;
	pthread_cond_signal(&p->work);
	pthread_cond_broadcast(&p->change);
	pthread_mutex_unlock(&p->mu);
}

void ferry_pool_close(ferry_pool *p)
{
	pthread_mutex_lock(&p->mu);
	p->closed = 1;
	pthread_cond_broadcast(&p->change);
	pthread_mutex_unlock(&p->mu);
}

int ferry_pool_take(ferry_pool *p, unsigned *slot)
{
	int rc;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		if (p->failed) {
			rc = FERRY_POOL_FAILED;
			break;
		}
		if (p->taken == p->submitted && p->closed) {
			rc = FERRY_POOL_END;
			break;
		}
		if (p->taken < p->submitted) {
			unsigned s = (unsigned)(p->taken % p->ring);
			if (p->state[s] == S_DONE || p->state[s] == S_BAD) {
				rc = p->state[s] == S_DONE ? FERRY_POOL_DONE
				                           : FERRY_POOL_BAD;
				p->taken++;
				*slot = s;
				break;
			}
			if (p->started < p->submitted) {
				run_one(p);
				continue;
			}
		}
		pthread_cond_wait(&p->change, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

void ferry_pool_release(ferry_pool *p)
{
	pthread_mutex_lock(&p->mu);
	if (p->released < p->taken) {
		p->state[p->released % p->ring] = S_FREE;
		p->released++;
		pthread_cond_broadcast(&p->change);
	}
	pthread_mutex_unlock(&p->mu);
}

void ferry_pool_fail(ferry_pool *p)
{
	pthread_mutex_lock(&p->mu);
	p->failed = 1;
	pthread_cond_broadcast(&p->change);
	pthread_mutex_unlock(&p->mu);
}

void ferry_pool_stop(ferry_pool *p)
{
	pthread_mutex_lock(&p->mu);
	for (uint64_t i = p->started; i < p->submitted; i++)
		p->state[i % p->ring] = S_FREE;
	p->submitted = p->started;
	p->failed = 1; /* anything still waiting returns */
	pthread_cond_broadcast(&p->change);
	while (p->running > 0)
		pthread_cond_wait(&p->change, &p->mu);
	p->fn = NULL;
	p->ctx = NULL;
	pthread_mutex_unlock(&p->mu);
}
