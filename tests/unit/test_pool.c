/* common/pool: jobs come back in their order on 0..7 workers and any
 * ring, with a producer and a consumer on one thread or on two; a job
 * that fails is handed back as failed in its place; a failed run wakes
 * both sides; and after ferry_pool_stop no job runs. Run under
 * ThreadSanitizer too (make check). */
#include "../support/t.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "../../common/pool.h"

#define JOBS 600

typedef struct {
	uint64_t index[FERRY_POOL_MAX_RING];  /* written by the producer */
	uint64_t result[FERRY_POOL_MAX_RING]; /* written by the job */
	uint64_t bad_at;                      /* this job fails; UINT64_MAX none */
	atomic_int ran;                       /* jobs run */
	atomic_int after_stop;                /* jobs run after a stop returned */
	atomic_int stopped;
} work;

static int job(void *ctx, unsigned slot, uint64_t index)
{
	work *w = ctx;
	/* Uneven job lengths, so that jobs finish out of order. */
	for (unsigned k = (unsigned)(index * 7919 % 13); k > 0; k--)
		sched_yield();
	if (atomic_load(&w->stopped))
		atomic_fetch_add(&w->after_stop, 1);
	atomic_fetch_add(&w->ran, 1);
	if (w->index[slot] != index)
		return -1; /* the slot does not hold the job the pool says */
	w->result[slot] = index * 3 + 1;
	return index == w->bad_at ? -1 : 0;
}

typedef struct {
	ferry_pool *p;
	work *w;
	uint64_t n;
} producer;

static void *produce(void *arg)
{
	producer *x = arg;
	for (uint64_t i = 0; i < x->n; i++) {
		int s = ferry_pool_reserve(x->p);
		if (s < 0)
			return NULL;
		x->w->index[s] = i;
		ferry_pool_submit(x->p);
	}
	ferry_pool_close(x->p);
	return NULL;
}

/* Takes every job in order; returns the jobs taken done, and in *bad the
 * index of the first one handed back as failed (UINT64_MAX: none). */
static uint64_t consume(ferry_pool *p, work *w, uint64_t *bad)
{
	unsigned s;
	uint64_t next = 0;
	int r;
	*bad = UINT64_MAX;
	while ((r = ferry_pool_take(p, &s)) == FERRY_POOL_DONE) {
		assert_int_equal(w->index[s], next);
		assert_int_equal(w->result[s], next * 3 + 1);
		next++;
		ferry_pool_release(p);
	}
	if (r == FERRY_POOL_BAD) {
		*bad = w->index[s];
		ferry_pool_release(p);
	}
	return next;
}

static void in_order_on_any_threads_and_ring(void **state)
{
	(void)state;
	static const unsigned rings[] = {1, 2, 5, 16, FERRY_POOL_MAX_RING};
	for (unsigned workers = 0; workers <= FERRY_POOL_MAX_WORKERS; workers++)
		for (size_t r = 0; r < sizeof rings / sizeof rings[0]; r++) {
			ferry_pool *p = ferry_pool_create(workers, rings[r]);
			assert_non_null(p);
			work w = {.bad_at = UINT64_MAX};
			ferry_pool_start(p, job, &w);
			producer x = {p, &w, JOBS};
			pthread_t th;
			assert_int_equal(pthread_create(&th, NULL, produce, &x), 0);
			uint64_t bad;
			assert_int_equal(consume(p, &w, &bad), JOBS);
			assert_int_equal(bad, UINT64_MAX);
			pthread_join(th, NULL);
			ferry_pool_stop(p);
			assert_int_equal(atomic_load(&w.ran), JOBS);
			ferry_pool_free(p);
		}
}

/* One thread both produces and consumes, as the sealer does: it takes
 * the oldest whenever the ring is full. */
static void one_thread_producer_and_consumer(void **state)
{
	(void)state;
	for (unsigned workers = 0; workers <= 3; workers++) {
		ferry_pool *p = ferry_pool_create(workers, 4);
		work w = {.bad_at = UINT64_MAX};
		unsigned s;
		uint64_t out = 0;
		ferry_pool_start(p, job, &w);
		for (uint64_t i = 0; i < JOBS; i++) {
			if (ferry_pool_full(p)) {
				assert_int_equal(ferry_pool_take(p, &s),
				                 FERRY_POOL_DONE);
				assert_int_equal(w.index[s], out++);
				ferry_pool_release(p);
			}
			int r = ferry_pool_reserve(p);
			assert_int_equal(r, (int)(i % 4));
			w.index[r] = i;
			ferry_pool_submit(p);
		}
		ferry_pool_close(p);
		while (ferry_pool_take(p, &s) == FERRY_POOL_DONE) {
			assert_int_equal(w.index[s], out++);
			ferry_pool_release(p);
		}
		assert_int_equal(out, JOBS);
		ferry_pool_stop(p);
		ferry_pool_free(p);
	}
}

/* A failed job is handed back in its place, after every job before it
 * came back done; a failed run ends both sides' waits. */
static void failures_in_their_place(void **state)
{
	(void)state;
	for (unsigned workers = 0; workers <= 4; workers++) {
		ferry_pool *p = ferry_pool_create(workers, 8);
		work w = {.bad_at = 37};
		ferry_pool_start(p, job, &w);
		producer x = {p, &w, JOBS};
		pthread_t th;
		assert_int_equal(pthread_create(&th, NULL, produce, &x), 0);
		uint64_t bad;
		assert_int_equal(consume(p, &w, &bad), 37);
		assert_int_equal(bad, 37);
		/* The consumer gives up: the producer's wait ends. */
		ferry_pool_fail(p);
		pthread_join(th, NULL);
		unsigned s;
		assert_int_equal(ferry_pool_take(p, &s), FERRY_POOL_FAILED);
		assert_int_equal(ferry_pool_reserve(p), -1);
		ferry_pool_stop(p);
		ferry_pool_free(p);
	}
}

/* After ferry_pool_stop returns, no job runs: the queued ones are
 * dropped, the running ones waited out. The pool then runs again. */
static void nothing_runs_after_stop(void **state)
{
	(void)state;
	for (unsigned workers = 1; workers <= 4; workers++) {
		ferry_pool *p = ferry_pool_create(workers, 16);
		work w = {.bad_at = UINT64_MAX};
		ferry_pool_start(p, job, &w);
		for (uint64_t i = 0; i < 16; i++) {
			int s = ferry_pool_reserve(p);
			assert_true(s >= 0);
			w.index[s] = i;
			ferry_pool_submit(p);
		}
		ferry_pool_stop(p);
		atomic_store(&w.stopped, 1);
		int ran = atomic_load(&w.ran);
		for (int k = 0; k < 200; k++)
			sched_yield();
		assert_int_equal(atomic_load(&w.after_stop), 0);
		assert_int_equal(atomic_load(&w.ran), ran);
		assert_true(ran <= 16);
		/* A new run starts clean. */
		work v = {.bad_at = UINT64_MAX};
		ferry_pool_start(p, job, &v);
		producer x = {p, &v, 50};
		pthread_t th;
		assert_int_equal(pthread_create(&th, NULL, produce, &x), 0);
		uint64_t bad;
		assert_int_equal(consume(p, &v, &bad), 50);
		pthread_join(th, NULL);
		ferry_pool_stop(p);
		ferry_pool_free(p);
	}
}

static void refuses_bad_sizes(void **state)
{
	(void)state;
	assert_null(ferry_pool_create(FERRY_POOL_MAX_WORKERS + 1, 4));
	assert_null(ferry_pool_create(1, 0));
	assert_null(ferry_pool_create(1, FERRY_POOL_MAX_RING + 1));
	assert_true(ferry_pool_default_workers() <= FERRY_POOL_MAX_WORKERS);
	ferry_pool_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(in_order_on_any_threads_and_ring),
	    cmocka_unit_test(one_thread_producer_and_consumer),
	    cmocka_unit_test(failures_in_their_place),
	    cmocka_unit_test(nothing_runs_after_stop),
	    cmocka_unit_test(refuses_bad_sizes)};
	return T_RUN("pool", tests);
}
