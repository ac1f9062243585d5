#include "sealpipe.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "../common/pool.h"

/* Chunk i lives in ring[i % RING]. Sixteen slots keep up to eight
 * threads busy while the writer waits on the oldest; 1 MiB in all. */
#define RING 16u

_Static_assert(FERRY_SEALPIPE_MAX_WORKERS <= FERRY_POOL_MAX_WORKERS &&
                   RING <= FERRY_POOL_MAX_RING,
               "the pool holds the pipe's threads and chunks");

typedef struct {
	uint8_t buf[FERRY_CHUNK_CT_LEN];
	uint8_t unit_tag[FERRY_MAC_LEN];
	size_t len; /* plaintext bytes */
	int final;
} slot;

struct ferry_sealpipe {
	ferry_sealer s;
	slot ring[RING];
	ferry_pool *pool; /* seals the chunks; this thread writes them */
	uint64_t fill;    /* index of the chunk being filled */
	uint64_t written; /* chunks written out */
	uint64_t plain_len;
	ferry_write_fn write;
	void *io;
	int write_errno; /* of the write that failed this bundle, or 0 */
	int state;       /* 0 idle, 1 sealing, -1 failed */
};

/* Writes through the caller's function, keeping its errno: a full disk
 * must reach the contact as that, not as "cannot finish". */
static int put(ferry_sealpipe *p, const uint8_t *b, size_t n)
{
	errno = 0;
	if (p->write(p->io, b, n) == 0)
		return 0;
	p->write_errno = errno ? errno : EIO;
	return -1;
}

int ferry_sealpipe_write_errno(const ferry_sealpipe *p)
{
	return p->write_errno;
}

/* The pool's job: seal one chunk in place. */
static int seal_chunk(void *ctx, unsigned i, uint64_t index)
{
	ferry_sealpipe *p = ctx;
	slot *sl = &p->ring[i];
	return ferry_sealer_chunk(&p->s, index, sl->final, sl->buf, sl->len,
	                          sl->unit_tag);
}

unsigned ferry_sealpipe_default_workers(void)
{
	return ferry_pool_default_workers();
}

ferry_sealpipe *ferry_sealpipe_create(unsigned workers)
{
	if (workers > FERRY_SEALPIPE_MAX_WORKERS) {
		errno = EINVAL;
		return NULL;
	}
	ferry_sealpipe *p = sodium_malloc(sizeof *p);
	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	memset(p, 0, sizeof *p);
	if (!(p->pool = ferry_pool_create(workers, RING))) {
		int err = errno;
		sodium_free(p);
		errno = err;
		return NULL;
	}
	return p;
}

void ferry_sealpipe_free(ferry_sealpipe *p)
{
	if (!p)
		return;
	ferry_pool_free(p->pool);
	ferry_sealer_wipe(&p->s);
	sodium_free(p); /* wipes the ring too */
}

/* No thread reads the keys or a slot any more; wipe them all. */
static void fail(ferry_sealpipe *p)
{
	ferry_pool_stop(p->pool);
	p->state = -1;
	ferry_sealer_wipe(&p->s);
	sodium_memzero(p->ring, sizeof p->ring);
}

/* Waits for the oldest unwritten chunk, writes it and folds its relay
 * unit tag. Chunks leave in index order whatever order they were sealed
 * in, so the fold and the file are the same as a one-thread seal. While
 * it waits, this thread seals queued chunks itself (ferry_pool_take). */
static int write_oldest(ferry_sealpipe *p)
{
	unsigned i;
	if (ferry_pool_take(p->pool, &i) != FERRY_POOL_DONE)
		return -1;
	slot *sl = &p->ring[i];
	size_t n = sl->len + FERRY_CHUNK_OVERHEAD;
	if (put(p, sl->buf, n) != 0 ||
	    ferry_sealer_fold(&p->s, sl->unit_tag) != 0)
		return -1;
	/* The buffer holds ciphertext now; only its length needs resetting. */
	sl->len = 0;
	ferry_pool_release(p->pool);
	p->written++;
	return 0;
}

/* Hands the slot being filled to the pool, writes the oldest chunk when
 * every slot is taken, and makes sure the next slot is free to fill. */
static int queue_fill(ferry_sealpipe *p, int final)
{
	p->ring[p->fill % RING].final = final;
	ferry_pool_submit(p->pool);
	p->fill++;
	if (ferry_pool_full(p->pool) && write_oldest(p) != 0)
		return -1;
	return ferry_pool_reserve(p->pool) == (int)(p->fill % RING) ? 0 : -1;
}

int ferry_sealpipe_begin(ferry_sealpipe *p, uint8_t kind, uint32_t form_index,
                         const uint8_t spk[FERRY_X25519_LEN], const uint8_t *opk,
                         const uint8_t relay_pk[FERRY_X25519_LEN], ferry_write_fn write, void *io)
{
	return ferry_sealpipe_begin_proven(p, kind, form_index, spk, opk, relay_pk,
	                                   NULL, write, io);
}

int ferry_sealpipe_begin_proven(ferry_sealpipe *p, uint8_t kind, uint32_t form_index,
                                const uint8_t spk[FERRY_X25519_LEN], const uint8_t *opk,
                                const uint8_t relay_pk[FERRY_X25519_LEN],
                                const ferry_pack_proof *proof, ferry_write_fn write,
                                void *io)
{
	uint8_t prefix[FERRY_PREFIX_LEN];
	if (p->state != 0 || p->fill != 0)
		return -1;
	p->write = write;
	p->io = io;
	p->write_errno = 0;
	ferry_pool_start(p->pool, seal_chunk, p);
	if (ferry_sealer_begin(&p->s, kind, form_index, spk, opk, relay_pk, proof,
	                       prefix) != 0 ||
	    put(p, prefix, sizeof prefix) != 0) {
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
	uint8_t tag[FERRY_RELAYTAG_LEN];
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
	if (ferry_sealer_tag(&p->s, tag) != 0 || put(p, tag, sizeof tag) != 0)
		goto fail;
	*bundle_len = target;
	/* Ready for the next bundle: every chunk was written, so no job is
	 * queued or running; ferry_sealpipe_begin starts the pool anew. */
	p->fill = p->written = 0;
	p->plain_len = 0;
	p->state = 0;
	return 0;
fail:
	fail(p);
	return -1;
}
