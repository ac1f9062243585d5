#include "peeled.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "../common/fileio.h"

/* The payload chunks, peeled, to out and through the new tag. */
static int copy_chunks(int fd, int out, uint64_t size, const ferry_peeled *pl,
                       ferry_relaycheck *rc_st, uint8_t *buf, ferry_err *e)
{
	uint64_t off = FERRY_PREFIX_LEN, end = size - FERRY_RELAYTAG_LEN;
	while (off < end) {
		size_t n = end - off > FERRY_CHUNK_CT_LEN ? FERRY_CHUNK_CT_LEN
		                                          : (size_t)(end - off);
		ssize_t got = pread(fd, buf, n, (off_t)off);
		if (got < 0)
			return ferry_fail(e, FERRY_EOP, "cannot read it again: %s",
			                  strerror(errno));
		if (got != (ssize_t)n)
			return ferry_fail(e, FERRY_EOP,
			                  "it is shorter than when it was read: it changed meanwhile");
		if (ferry_peeled_xor(pl, off, buf, n) != 0 ||
		    ferry_relaycheck_update(rc_st, buf, n) != 0)
			return ferry_fail(e, FERRY_EOP, "cannot peel it");
		if (ferry_write_all(out, buf, n) != 0)
			return ferry_fail(e, FERRY_EOP, "cannot write the copy: %s",
			                  strerror(errno));
		off += n;
	}
	return FERRY_OK;
}

int ferry_write_peeled(int fd, uint64_t size, const ferry_peeled *pl,
                       const ferry_relay_keys *relay, const char *dst, ferry_err *e)
{
	char dir[FERRY_PATH_MAX], tmp[FERRY_PATH_MAX];
	uint8_t tag[FERRY_MAC_LEN];
	ferry_relay_keys newest;
	ferry_relaycheck rc_st;
	int rc = FERRY_EOP;
	if (relay->n == 0 || size < FERRY_BUNDLE_FIXED)
		return ferry_fail(e, FERRY_EOP, "cannot peel it");
	/* Tagged under the newest relay key alone, as a relay would. */
	memset(&newest, 0, sizeof newest);
	memcpy(newest.sk[0], relay->sk[relay->n - 1], FERRY_X25519_LEN);
	memcpy(newest.pk[0], relay->pk[relay->n - 1], FERRY_X25519_LEN);
	newest.n = 1;
	uint8_t *buf = sodium_malloc(FERRY_CHUNK_CT_LEN);
	ferry_dirname(dir, sizeof dir, dst);
	int out = ferry_tmp_open(dir, 0600, tmp, sizeof tmp);
	if (!buf || out < 0) {
		rc = ferry_fail(e, FERRY_EOP, "cannot write the copy: %s",
		                buf ? strerror(errno) : "out of memory");
		if (out >= 0)
			ferry_tmp_abort(out, tmp);
		goto done;
	}
	if (ferry_relaycheck_init(&rc_st, &newest, pl->prefix, size) != 0 ||
	    ferry_relaycheck_update(&rc_st, pl->prefix, FERRY_PREFIX_LEN) != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot peel it");
	else if (ferry_write_all(out, pl->prefix, FERRY_PREFIX_LEN) != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot write the copy: %s",
		                strerror(errno));
	else if ((rc = copy_chunks(fd, out, size, pl, &rc_st, buf, e)) != FERRY_OK)
		;
	else if (ferry_relaycheck_tag(&rc_st, tag) != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot peel it");
	else if (ferry_write_all(out, tag, sizeof tag) != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot write the copy: %s",
		                strerror(errno));
	ferry_relaycheck_wipe(&rc_st);
	if (rc != FERRY_OK)
		ferry_tmp_abort(out, tmp);
	else if (ferry_tmp_commit(out, tmp, dst, 1) != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot write the copy: %s",
		                strerror(errno));
done:
	if (buf)
		sodium_free(buf);
	sodium_memzero(&newest, sizeof newest);
	return rc;
}
