/* Each hop re-wraps (crypto/wrap.h): a forward writes every real bundle
 * anew, under a fresh key, into the batch being built. The output is
 * written once: a rerun after a crash delivers those stored bytes and
 * never wraps them again (relay/forward.c keeps the order of the steps
 * that makes that so). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/clock.h"
#include "../common/cpus.h"
#include "../common/fileio.h"
#include "../crypto/wrap.h"
#include "spool_int.h"

/* Chunks are wrapped a block at a time, the block's chunks spread over
 * the CPUs (each chunk's key stream and unit tag are independent of the
 * others), then folded in order and written: constant memory, and the
 * output does not depend on the number of threads. */
#define BLOCK_CHUNKS 16u
#define MAX_THREADS  8u

typedef struct {
	const ferry_wrapper *w;
	uint8_t *buf;        /* the block, chunks back to back */
	uint64_t first;      /* index of the block's first chunk */
	size_t n;            /* bytes in the block */
	unsigned from, step; /* this thread's chunks: from, from + step, ... */
	uint8_t (*units)[FERRY_MAC_LEN];
	int rc;
} block_job;

static void *wrap_some(void *arg)
{
	block_job *j = arg;
	for (unsigned c = j->from; (size_t)c * FERRY_CHUNK_CT_LEN < j->n;
	     c += j->step) {
		size_t off = (size_t)c * FERRY_CHUNK_CT_LEN;
		size_t len =
		    j->n - off < FERRY_CHUNK_CT_LEN ? j->n - off : FERRY_CHUNK_CT_LEN;
		if (ferry_wrap_chunk(j->w, j->first + c, j->buf + off, len,
		                     j->units[c]) != 0)
			j->rc = -1;
	}
	return NULL;
}

/* One block being wrapped on threads of its own, while the caller reads
 * the next block and writes the one before: the crypto overlaps the
 * input and output. */
typedef struct {
	block_job jobs[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	unsigned threads;
	int running[MAX_THREADS];
} block_run;

static void block_start(block_run *r, const ferry_wrapper *w, uint8_t *buf, size_t n,
                        uint64_t first, unsigned threads,
                        uint8_t (*units)[FERRY_MAC_LEN])
{
	unsigned nchunks =
	    (unsigned)((n + FERRY_CHUNK_CT_LEN - 1) / FERRY_CHUNK_CT_LEN);
	r->threads = threads > nchunks ? nchunks : threads;
	for (unsigned t = 0; t < r->threads; t++) {
		r->jobs[t] = (block_job){w, buf, first, n, t, r->threads, units, 0};
		r->running[t] =
		    pthread_create(&r->th[t], NULL, wrap_some, &r->jobs[t]) == 0;
	}
}

/* Waits for the block; a thread that could not start does its share
 * here. 0 when every chunk wrapped. */
static int block_finish(block_run *r)
{
	int rc = 0;
	for (unsigned t = 0; t < r->threads; t++) {
		if (r->running[t])
			pthread_join(r->th[t], NULL);
		else
			wrap_some(&r->jobs[t]);
		r->running[t] = 0;
		rc |= r->jobs[t].rc;
	}
	r->threads = 0;
	return rc;
}

/* Reads the next block (at most a block, whole chunks but the last) of
 * the left bytes of the payload; its length, 0 at the end, -1 cut. */
static ssize_t read_block(int in, uint8_t *buf, uint64_t left)
{
	const uint64_t block = (uint64_t)BLOCK_CHUNKS * FERRY_CHUNK_CT_LEN;
	size_t n = left > block ? (size_t)block : (size_t)left;
	return n == 0 ? 0 : ferry_read_full(in, buf, n) == (ssize_t)n ? (ssize_t)n : -1;
}

/* The chunks of src after the prefix, wrapped, to out; then the tag.
 * Two buffers: block k + 1 is read and block k - 1 written while block k
 * is wrapped. */
static int wrap_body(ferry_wrapper *w, int in, int out, uint64_t size, uint8_t *buf[2],
                     ferry_err *e)
{
	uint8_t units[2][BLOCK_CHUNKS][FERRY_MAC_LEN];
	uint8_t tag[FERRY_MAC_LEN];
	uint64_t body = size - FERRY_PREFIX_LEN - FERRY_RELAYTAG_LEN, flushed = 0;
	uint64_t read_so_far = 0, written = 0;
	block_run run = {0};
	unsigned threads = ferry_cpus(MAX_THREADS), cur = 0;
	int rc = FERRY_OK;
	ssize_t n[2];
	if ((n[0] = read_block(in, buf[0], body)) < 0)
		return ferry_fail(e, FERRY_EOP, "it changed while it was read");
	read_so_far = (uint64_t)n[0];
	if (n[0] > 0)
		block_start(&run, w, buf[0], (size_t)n[0], 0, threads, units[0]);
	for (uint64_t first = 0; n[cur] > 0; first += BLOCK_CHUNKS) {
		unsigned nxt = 1 - cur;
		n[nxt] = read_block(in, buf[nxt], body - read_so_far);
		int wrapped = block_finish(&run);
		if (n[nxt] < 0)
			return ferry_fail(e, FERRY_EOP, "it changed while it was read");
		if (wrapped != 0)
			return ferry_fail(e, FERRY_EOP, "cannot wrap it");
		read_so_far += (uint64_t)n[nxt];
		for (size_t c = 0; (uint64_t)c * FERRY_CHUNK_CT_LEN < (uint64_t)n[cur];
		     c++)
			if (ferry_wrap_fold(w, units[cur][c]) != 0)
				return ferry_fail(e, FERRY_EOP, "cannot wrap it");
		if (n[nxt] > 0)
			block_start(&run, w, buf[nxt], (size_t)n[nxt],
			            first + BLOCK_CHUNKS, threads, units[nxt]);
		if (ferry_write_all(out, buf[cur], (size_t)n[cur]) != 0) {
			rc = ferry_fail(e, FERRY_EOP, "cannot write to the spool: %s",
			                strerror(errno));
			(void)block_finish(&run);
			return rc;
		}
		written += (uint64_t)n[cur];
		ferry_start_writeback(out, &flushed, FERRY_PREFIX_LEN + written);
		cur = nxt;
	}
	/* The input's tag was checked when it was accepted; the output gets
	 * its own. */
	ssize_t got = ferry_read_full(in, tag, sizeof tag);
	ssize_t more = got == (ssize_t)sizeof tag ? ferry_read_full(in, buf[0], 1) : 0;
	if (got < 0 || more < 0)
		return ferry_fail(e, FERRY_EOP, "cannot read it: %s", strerror(errno));
	if (got != (ssize_t)sizeof tag || more != 0)
		return ferry_fail(e, FERRY_EOP, "it changed while it was read");
	if (ferry_wrap_tag(w, tag) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot wrap it");
	if (ferry_write_all(out, tag, sizeof tag) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot write to the spool: %s",
		                  strerror(errno));
	return FERRY_OK;
}

int ferry_spool_rewrap(ferry_spool *s, const char *src, const char *dst, ferry_err *e)
{
	char tmpdir[FERRY_PATH_MAX], tmp[FERRY_PATH_MAX];
	uint8_t in_prefix[FERRY_PREFIX_LEN], out_prefix[FERRY_PREFIX_LEN];
	struct stat st;
	int rc = FERRY_EOP, out = -1;
	ferry_wrapper *w = sodium_malloc(sizeof *w);
	/* Not secret: ciphertext in, ciphertext out. */
	uint8_t *buf[2] = {malloc((size_t)BLOCK_CHUNKS * FERRY_CHUNK_CT_LEN),
	                   malloc((size_t)BLOCK_CHUNKS * FERRY_CHUNK_CT_LEN)};
	int in = ferry_open_input(src, "a waiting bundle", &st, e);
	if (!w || !buf[0] || !buf[1]) {
		rc = ferry_fail(e, FERRY_EOP, "out of memory");
		goto done;
	}
	if (in < 0)
		goto done;
	/* The spool took only checked bundles: one that is not is damaged. */
	if (!ferry_bundle_len_valid((uint64_t)st.st_size)) {
		rc = ferry_fail(e, FERRY_EOP,
		                "'%s' was damaged in the spool: %llu bytes is no bundle's length",
		                src, (unsigned long long)st.st_size);
		goto done;
	}
	ssize_t got = ferry_read_full(in, in_prefix, sizeof in_prefix);
	if (got < 0) {
		rc = ferry_fail(e, FERRY_EOP, "cannot read '%s': %s", src, strerror(errno));
		goto done;
	}
	if (got != (ssize_t)sizeof in_prefix) {
		rc = ferry_fail(e, FERRY_EOP, "'%s' changed while it was read", src);
		goto done;
	}
	unsigned k = ferry_credential_out_key(&s->cred, ferry_now());
	if (ferry_wrap_begin(w, s->cred.wrap_pk, s->cred.relay.pk[k], in_prefix,
	                     out_prefix) != 0) {
		rc = ferry_fail(e, FERRY_EOP, "cannot wrap '%s'", src);
		goto done;
	}
	if (ferry_path_join(tmpdir, sizeof tmpdir, s->dir, "tmp") != 0 ||
	    (out = ferry_tmp_open(tmpdir, 0600, tmp, sizeof tmp)) < 0) {
		rc = ferry_fail(e, FERRY_EOP, "cannot write to the spool: %s",
		                strerror(errno));
		goto done;
	}
	if (ferry_write_all(out, out_prefix, sizeof out_prefix) != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot write to the spool: %s",
		                strerror(errno));
	else
		rc = wrap_body(w, in, out, (uint64_t)st.st_size, buf, e);
	if (rc != FERRY_OK) {
		ferry_tmp_abort(out, tmp);
		goto done;
	}
	/* The one step that makes the output exist: after it the input may
	 * go, and a rerun finds the output, not a reason to wrap again. */
	if (ferry_tmp_commit(out, tmp, dst, 1) != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot store the wrapped bundle: %s",
		                strerror(errno));
done:
	if (in >= 0)
		close(in);
	if (w) {
		ferry_wrap_wipe(w);
		sodium_free(w);
	}
	free(buf[0]);
	free(buf[1]);
	return rc;
}
