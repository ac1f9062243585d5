#include "log.h"

#include "../common/le.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/fileio.h"

/* The header: the magic, then the desk id. */
#define MAGIC     "FERRYLG1"
#define MAGIC_LEN 8
#define HDR_LEN   (MAGIC_LEN + FERRY_HASH_LEN)
#define SEQ_LEN   8 /* an entry's number, little-endian */
#define ELEN_LEN  4 /* an entry's length field: what follows it */
#define NONCE_LEN crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define ABYTES    crypto_aead_xchacha20poly1305_ietf_ABYTES

static const char DOM_START[] = "ferry-v1 log start";
static const char DOM_CHAIN[] = "ferry-v1 log chain";
static const char DOM_AD[] = "ferry-v1 log entry";

/* An entry's associated data: the domain, the desk id, its number and the
 * head before it. */
#define AD_LEN (sizeof DOM_AD + FERRY_HASH_LEN + SEQ_LEN + FERRY_HASH_LEN)
_Static_assert(sizeof MAGIC - 1 == MAGIC_LEN, "the magic fills its field");

void ferry_log_start(uint8_t head[FERRY_HASH_LEN],
                     const uint8_t desk_id[FERRY_HASH_LEN])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, FERRY_HASH_LEN);
	crypto_generichash_update(&st, (const uint8_t *)DOM_START, sizeof DOM_START);
	crypto_generichash_update(&st, desk_id, FERRY_HASH_LEN);
	crypto_generichash_final(&st, head, FERRY_HASH_LEN);
}

static void ad_for(uint8_t ad[AD_LEN], const uint8_t desk_id[FERRY_HASH_LEN],
                   uint64_t seq, const uint8_t prev[FERRY_HASH_LEN])
{
	uint8_t *p = ad;
	memcpy(p, DOM_AD, sizeof DOM_AD);
	p += sizeof DOM_AD;
	memcpy(p, desk_id, FERRY_HASH_LEN);
	p += FERRY_HASH_LEN;
	ferry_put_le(p, seq, SEQ_LEN);
	p += SEQ_LEN;
	memcpy(p, prev, FERRY_HASH_LEN);
}

static void chain(uint8_t head[FERRY_HASH_LEN], uint64_t seq, const uint8_t *entry,
                  size_t len)
{
	crypto_generichash_state st;
	uint8_t s[SEQ_LEN], prev[FERRY_HASH_LEN];
	memcpy(prev, head, FERRY_HASH_LEN);
	ferry_put_le(s, seq, SEQ_LEN);
	crypto_generichash_init(&st, NULL, 0, FERRY_HASH_LEN);
	crypto_generichash_update(&st, (const uint8_t *)DOM_CHAIN, sizeof DOM_CHAIN);
	crypto_generichash_update(&st, prev, FERRY_HASH_LEN);
	crypto_generichash_update(&st, s, SEQ_LEN);
	crypto_generichash_update(&st, entry, len);
	crypto_generichash_final(&st, head, FERRY_HASH_LEN);
}

int ferry_log_create(const char *path, const uint8_t desk_id[FERRY_HASH_LEN])
{
	uint8_t h[HDR_LEN];
	memcpy(h, MAGIC, MAGIC_LEN);
	memcpy(h + MAGIC_LEN, desk_id, FERRY_HASH_LEN);
	return ferry_atomic_write(path, h, sizeof h, 0600, 1);
}

int ferry_log_desk_id(const char *path, uint8_t desk_id[FERRY_HASH_LEN])
{
	uint8_t h[HDR_LEN];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = ferry_read_full(fd, h, sizeof h);
	int err = errno;
	close(fd);
	if (n < 0) {
		errno = err;
		return -1;
	}
	if (n != HDR_LEN || memcmp(h, MAGIC, MAGIC_LEN) != 0) {
		errno = 0;
		return -1;
	}
	memcpy(desk_id, h + MAGIC_LEN, FERRY_HASH_LEN);
	return 0;
}

int ferry_log_append(const char *path, const uint8_t key[FERRY_KEY_LEN],
                     const uint8_t desk_id[FERRY_HASH_LEN], uint64_t *count,
                     uint8_t head[FERRY_HASH_LEN], const char *text)
{
	size_t tl = strlen(text);
	if (tl > FERRY_LOG_ENTRY_MAX) {
		errno = EMSGSIZE; /* the callers' entries are bounded: a bug */
		return -1;
	}
	size_t elen = ELEN_LEN + NONCE_LEN + tl + ABYTES;
	uint8_t *e = malloc(elen);
	uint8_t ad[AD_LEN];
	unsigned long long clen = 0;
	int rc = -1;
	if (!e)
		return -1;
	ferry_put_le(e, tl + ABYTES, ELEN_LEN);
	randombytes_buf(e + ELEN_LEN, NONCE_LEN);
	ad_for(ad, desk_id, *count, head);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(
	        e + ELEN_LEN + NONCE_LEN, &clen, (const uint8_t *)text, tl, ad, sizeof ad,
	        NULL, e + ELEN_LEN, key) != 0)
		goto out;
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;
	if (fd < 0)
		goto out;
	int stat_ok = fstat(fd, &st) == 0;
	if (!stat_ok || !S_ISREG(st.st_mode)) {
		int err = stat_ok ? EINVAL : errno; /* not a regular file: refused */
		close(fd);
		errno = err;
		goto out;
	}
	if (ferry_write_all(fd, e, elen) != 0 || fsync(fd) != 0) {
		/* Cut a partial entry off at once, so the next one is not written
		 * after it; recovery cuts it off too if this fails. */
		int saved = errno;
		if (ftruncate(fd, st.st_size) == 0)
			(void)fsync(fd);
		close(fd);
		errno = saved;
		goto out;
	}
	if (close(fd) != 0)
		goto out;
	chain(head, *count, e, elen);
	(*count)++;
	rc = 0;
out:
	free(e);
	return rc;
}

/* Reads the next whole entry into *buf, grown to fit it (entries are
 * as long as their cases: most are a few KB, the largest 8 MiB): 1 when
 * there is one, 0 at a clean end, -1 at a torn tail (a partial last
 * write), -2 when memory runs out, -3 when reading fails (errno): never
 * a torn tail, which recovery cuts off. */
static int read_entry(ferry_read_fn rd, void *rio, uint8_t **buf, size_t *cap,
                      size_t *len)
{
	uint8_t lenb[ELEN_LEN];
	ssize_t n = ferry_read_all(rd, rio, lenb, ELEN_LEN);
	if (n < 0)
		return -3;
	if (n == 0)
		return 0;
	if (n != ELEN_LEN)
		return -1;
	uint64_t clen = ferry_get_le(lenb, ELEN_LEN);
	if (clen < ABYTES || clen > FERRY_LOG_ENTRY_MAX + ABYTES)
		return -1;
	size_t rest = NONCE_LEN + (size_t)clen;
	if (ELEN_LEN + rest > *cap) {
		uint8_t *grown = realloc(*buf, ELEN_LEN + rest);
		if (!grown)
			return -2;
		*buf = grown;
		*cap = 4 + rest;
	}
	memcpy(*buf, lenb, ELEN_LEN);
	n = ferry_read_all(rd, rio, *buf + ELEN_LEN, rest);
	if (n < 0)
		return -3;
	if (n != (ssize_t)rest)
		return -1;
	*len = 4 + rest;
	return 1;
}

static int check_header(ferry_read_fn rd, void *rio, const uint8_t desk_id[FERRY_HASH_LEN],
                        ferry_err *e)
{
	uint8_t h[HDR_LEN];
	ssize_t n = ferry_read_all(rd, rio, h, HDR_LEN);
	if (n < 0)
		return ferry_fail(e, FERRY_EOP, "cannot read the log: %s", strerror(errno));
	if (n != HDR_LEN || memcmp(h, MAGIC, MAGIC_LEN) != 0)
		return ferry_fail(e, FERRY_EVERIFY, "the log file is not a ferry log");
	if (sodium_memcmp(h + MAGIC_LEN, desk_id, FERRY_HASH_LEN) != 0)
		return ferry_fail(e, FERRY_EVERIFY, "the log belongs to another desk");
	return FERRY_OK;
}

static void note_head(ferry_log_state *r, uint64_t want_count,
                      const uint8_t want_head[FERRY_HASH_LEN])
{
	if (r->count == want_count && sodium_memcmp(r->head, want_head, FERRY_HASH_LEN) == 0) {
		r->head_matched = 1;
		r->head_offset = r->good_end;
	}
}

int ferry_log_walk(const char *path, const uint8_t key[FERRY_KEY_LEN],
                   const uint8_t desk_id[FERRY_HASH_LEN], uint64_t want_count,
                   const uint8_t want_head[FERRY_HASH_LEN], ferry_log_visit_fn visit,
                   void *u, ferry_log_state *r, ferry_err *e)
{
	memset(r, 0, sizeof *r);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return ferry_fail(e, FERRY_EOP, "cannot open the log '%s': %s", path,
		                  strerror(errno));
	int rc = ferry_log_walk_read(ferry_read_fd, &fd, key, desk_id, want_count,
	                             want_head, visit, u, r, e);
	close(fd);
	return rc;
}

int ferry_log_walk_read(ferry_read_fn rd, void *rio, const uint8_t key[FERRY_KEY_LEN],
                        const uint8_t desk_id[FERRY_HASH_LEN], uint64_t want_count,
                        const uint8_t want_head[FERRY_HASH_LEN],
                        ferry_log_visit_fn visit, void *u, ferry_log_state *r,
                        ferry_err *e)
{
	uint8_t ad[AD_LEN];
	uint8_t *ent = NULL, *plain = NULL;
	size_t plain_cap = 0;
	memset(r, 0, sizeof *r);
	size_t ent_cap = 0;
	int rc = check_header(rd, rio, desk_id, e);
	ferry_log_start(r->head, desk_id);
	r->good_end = HDR_LEN;
	note_head(r, want_count, want_head);
	size_t len = 0;
	int got;
	while (rc == FERRY_OK && (got = read_entry(rd, rio, &ent, &ent_cap, &len)) != 0) {
		if (got == -2) {
			rc = ferry_fail(e, FERRY_EOP, "out of memory");
			break;
		}
		if (got == -3) {
			rc = ferry_fail_hint(e, FERRY_EOP,
			                     "check the disk; nothing in the log was changed",
			                     "cannot read the log after entry %llu: %s",
			                     (unsigned long long)r->count, strerror(errno));
			break;
		}
		if (got < 0) {
			r->torn_tail = 1;
			break;
		}
		unsigned long long mlen = 0;
		/* Plaintext lives in locked memory sized to the largest entry
		 * so far, not to the largest an entry may be. */
		size_t need = len - ELEN_LEN - NONCE_LEN - ABYTES + 1;
		if (need > plain_cap) {
			if (plain)
				sodium_free(plain);
			plain_cap = need < 65536 ? 65536 : need;
			if (!(plain = sodium_malloc(plain_cap))) {
				rc = ferry_fail(e, FERRY_EOP, "out of memory");
				break;
			}
		}
		ad_for(ad, desk_id, r->count, r->head);
		if (crypto_aead_xchacha20poly1305_ietf_decrypt(
		        plain, &mlen, NULL, ent + ELEN_LEN + NONCE_LEN, len - ELEN_LEN - NONCE_LEN,
		        ad, sizeof ad, ent + ELEN_LEN, key) != 0) {
			rc = ferry_fail(
			    e, FERRY_EVERIFY,
			    "a log entry does not verify: the log was altered");
			break;
		}
		plain[mlen] = '\0';
		if (memchr(plain, 0, (size_t)mlen)) {
			rc = ferry_fail(e, FERRY_EVERIFY, "a log entry is malformed");
			break;
		}
		chain(r->head, r->count, ent, len);
		r->count++;
		r->good_end += len;
		note_head(r, want_count, want_head);
		if (visit && visit(u, r->count - 1, (const char *)plain) != 0)
			rc = ferry_fail(e, FERRY_EOP, "stopped");
	}
	free(ent);
	if (plain)
		sodium_free(plain);
	return rc;
}

int ferry_log_truncate(const char *path, uint64_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = ftruncate(fd, (off_t)len) == 0 && fsync(fd) == 0 ? 0 : -1;
	close(fd);
	return rc;
}
