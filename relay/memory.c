#include "memory.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../crypto/b32.h"

static const char DOM_NAME[] = "ferry-v1 spool name";
#define TABLE_LEN ((size_t)FERRY_MEMORY_SLOTS * FERRY_RECORD_LEN)

/* A name is NAME_BYTES bytes (random, or keyed hash) in base32. */
#define NAME_BYTES 16
_Static_assert(FERRY_B32_LEN(NAME_BYTES) == FERRY_SPOOL_NAME_LEN,
               "names are NAME_BYTES bytes in base32");

static void name_of(char out[FERRY_SPOOL_NAME_LEN + 1], const uint8_t h[NAME_BYTES])
{
	char t[FERRY_SPOOL_NAME_LEN + 1];
	if (ferry_b32_encode(t, sizeof t, h, NAME_BYTES) != 0)
		memset(t, '0', sizeof t);
	for (size_t i = 0; i < FERRY_SPOOL_NAME_LEN; i++)
		out[i] = (char)(t[i] >= 'A' && t[i] <= 'Z' ? t[i] - 'A' + 'a' : t[i]);
	out[FERRY_SPOOL_NAME_LEN] = '\0';
}

void ferry_memory_random_name(char out[FERRY_SPOOL_NAME_LEN + 1])
{
	uint8_t r[NAME_BYTES];
	randombytes_buf(r, sizeof r);
	name_of(out, r);
}

int ferry_memory_create(const char *spool, unsigned keep_days, ferry_err *e)
{
	char p[FERRY_PATH_MAX], text[32];
	int n = snprintf(text, sizeof text, "%u\n", keep_days);
	if (ferry_path_join(p, sizeof p, spool, "keep-days") != 0 ||
	    ferry_atomic_write(p, (const uint8_t *)text, (size_t)n, 0600, 1) != 0 ||
	    ferry_path_join(p, sizeof p, spool, "memory") != 0 ||
	    ferry_mkdir(p, 0700) != 0)
		return ferry_fail(e, FERRY_EOP,
		                  "cannot write the spool's memory in '%s': %s", spool,
		                  strerror(errno));
	return FERRY_OK;
}

static int read_keep_days(const char *spool, unsigned *days, ferry_err *e)
{
	char p[FERRY_PATH_MAX];
	uint8_t *t = NULL;
	size_t n = 0;
	if (ferry_path_join(p, sizeof p, spool, "keep-days") != 0 ||
	    ferry_read_file(p, 32, &t, &n, "the spool's keep-days", e) != FERRY_OK)
		return FERRY_EOP;
	char *end = NULL;
	unsigned long v = strtoul((char *)t, &end, 10);
	int ok = end != (char *)t && (*end == '\n' || *end == '\0') && v >= 1 &&
	         v <= FERRY_KEEP_DAYS_MAX;
	free(t);
	if (!ok)
		return ferry_fail(e, FERRY_EOP,
		                  "the spool's keep-days file is damaged");
	*days = (unsigned)v;
	return FERRY_OK;
}

/* SPOOL/memory/EPOCH/key: made when the epoch is first used. 0, or -1
 * with errno: the disk's, ENOENT when there is none and create is 0,
 * EBADMSG when the file is there but is no key (damaged). */
static int epoch_key(const ferry_memory *m, uint64_t epoch,
                     uint8_t key[FERRY_MEMORY_KEY_LEN], int create)
{
	char d[FERRY_PATH_MAX], p[FERRY_PATH_MAX];
	uint8_t *b = NULL;
	size_t n = 0;
	struct stat st;
	if (ferry_path_fmt(d, sizeof d, "%s/%llu", m->dir, (unsigned long long)epoch) !=
	        0 ||
	    ferry_path_join(p, sizeof p, d, "key") != 0)
		return -1;
	if (lstat(p, &st) == 0) {
		if (!S_ISREG(st.st_mode) || st.st_size != FERRY_MEMORY_KEY_LEN) {
			errno = EBADMSG;
			return -1;
		}
		errno = 0;
		int rc = ferry_read_secret_file(p, FERRY_MEMORY_KEY_LEN, &b, &n,
		                                "an epoch key", NULL);
		if (rc == FERRY_OK && n == FERRY_MEMORY_KEY_LEN)
			memcpy(key, b, FERRY_MEMORY_KEY_LEN);
		if (b)
			sodium_free(b);
		if (rc == FERRY_OK && n == FERRY_MEMORY_KEY_LEN)
			return 0;
		if (errno == 0)
			errno = rc == FERRY_OK ? EBADMSG : EIO; /* changed while read */
		return -1;
	}
	if (errno != ENOENT || !create)
		return -1;
	randombytes_buf(key, FERRY_MEMORY_KEY_LEN);
	if (ferry_mkdir(d, 0700) != 0 || ferry_atomic_write(p, key, FERRY_MEMORY_KEY_LEN, 0600, 1) != 0)
		return errno == EEXIST ? epoch_key(m, epoch, key, 0) : -1;
	return 0;
}

/* Every epoch before the previous one goes, key and records. */
static void forget_old(const ferry_memory *m)
{
	DIR *d = opendir(m->dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		char *end = NULL, p[FERRY_PATH_MAX];
		unsigned long long ep = strtoull(de->d_name, &end, 10);
		if (de->d_name[0] < '0' || de->d_name[0] > '9' || *end ||
		    ep + 1 >= m->epoch)
			continue;
		if (ferry_path_join(p, sizeof p, m->dir, de->d_name) == 0)
			(void)ferry_remove_tree(p);
	}
	closedir(d);
	if (ferry_fsync_dir(m->dir) != 0)
		return; /* the next open deletes them again */
}

/* SPOOL/memory/EPOCH/records: the epoch's table, or an empty one when
 * there is none yet. A file of another size is not this table: the
 * memory starts empty (it only refuses duplicates; the desk refuses them
 * too). A table that is there but cannot be read is an error (errno),
 * not an empty memory: the next save would overwrite what it holds.
 * Spools from before kept a file per record in subfolders, each with the
 * time it was written: those go. -1 with errno 0: out of memory. */
static int load_table(ferry_memory *m, int previous)
{
	char d[FERRY_PATH_MAX], p[FERRY_PATH_MAX];
	uint8_t *t = calloc(1, TABLE_LEN);
	errno = 0;
	if (!t)
		return -1;
	m->table[previous] = t;
	m->used[previous] = 0;
	if (ferry_memory_epoch_dir(m, previous, d, sizeof d) != 0 ||
	    ferry_path_join(p, sizeof p, d, "records") != 0)
		return 0;
	int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0 && errno != ENOENT)
		return -1;
	struct stat st;
	ssize_t got = TABLE_LEN;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size == TABLE_LEN)
		got = ferry_read_full(fd, t, TABLE_LEN);
	int err = errno;
	if (fd >= 0)
		close(fd);
	if (got < 0) {
		errno = err;
		return -1;
	}
	if (got != (ssize_t)TABLE_LEN)
		memset(t, 0, TABLE_LEN); /* it shrank while read: not the table */
	for (size_t i = 0; i < FERRY_MEMORY_SLOTS; i++)
		m->used[previous] +=
		    !sodium_is_zero(t + i * FERRY_RECORD_LEN, FERRY_RECORD_LEN);
	DIR *dp = opendir(d);
	if (dp) {
		struct dirent *de;
		/* The old record folders: two characters of the name
		 * alphabet ("." and ".." are not among them). */
		while ((de = readdir(dp)) != NULL)
			if (strlen(de->d_name) == 2 && de->d_name[0] != '.' &&
			    ferry_path_join(p, sizeof p, d, de->d_name) == 0)
				(void)ferry_remove_tree(p);
		closedir(dp);
	}
	return 0;
}

int ferry_memory_open(ferry_memory *m, const char *spool, uint64_t now, ferry_err *e)
{
	memset(m, 0, sizeof *m);
	if (read_keep_days(spool, &m->keep_days, e) != FERRY_OK ||
	    ferry_path_join(m->dir, sizeof m->dir, spool, "memory") != 0)
		return FERRY_EOP;
	uint64_t len = (uint64_t)m->keep_days * 86400 / 2;
	m->epoch = now / len;
	if (epoch_key(m, m->epoch, m->key[0], 1) != 0) {
		if (errno == EBADMSG)
			return ferry_fail_hint(
			    e, FERRY_EOP,
			    "remove that period's folder to start its memory afresh (the desk still refuses a bundle it has opened)",
			    "the spool's key for this period in '%s/%llu' is damaged", m->dir,
			    (unsigned long long)m->epoch);
		return ferry_fail(e, FERRY_EOP,
		                  "cannot make the spool's key for this period: %s",
		                  strerror(errno));
	}
	m->have_prev = m->epoch > 0 && epoch_key(m, m->epoch - 1, m->key[1], 0) == 0;
	forget_old(m);
	if (load_table(m, 0) != 0 || (m->have_prev && load_table(m, 1) != 0)) {
		int err = errno;
		ferry_memory_close(m);
		return err ? ferry_fail_hint(e, FERRY_EOP,
		                             "check the disk; the memory was left as it is",
		                             "cannot read the spool's memory of bundles seen: %s",
		                             strerror(err))
		           : ferry_fail(e, FERRY_EOP, "out of memory");
	}
	return FERRY_OK;
}

void ferry_memory_close(ferry_memory *m)
{
	for (int i = 0; i < 2; i++) {
		free(m->table[i]);
		m->table[i] = NULL;
	}
}

/* base32(H(key; domain || a || b, NAME_BYTES)); the keyed state is wiped. */
static void keyed_name(const uint8_t key[FERRY_MEMORY_KEY_LEN], const char *domain,
                       size_t dlen,
                       const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
                       char out[FERRY_SPOOL_NAME_LEN + 1])
{
	crypto_generichash_state h;
	uint8_t d[NAME_BYTES];
	crypto_generichash_init(&h, key, FERRY_MEMORY_KEY_LEN, sizeof d);
	crypto_generichash_update(&h, (const uint8_t *)domain, dlen);
	crypto_generichash_update(&h, a, alen);
	crypto_generichash_update(&h, b, blen);
	crypto_generichash_final(&h, d, sizeof d);
	name_of(out, d);
	sodium_memzero(&h, sizeof h);
	sodium_memzero(d, sizeof d);
}

void ferry_memory_name(const ferry_memory *m, int previous,
                       const uint8_t prefix[FERRY_PREFIX_LEN],
                       const uint8_t tag[FERRY_MAC_LEN],
                       char name[FERRY_SPOOL_NAME_LEN + 1])
{
	keyed_name(m->key[previous ? 1 : 0], DOM_NAME, sizeof DOM_NAME, prefix,
	           FERRY_PREFIX_LEN, tag, FERRY_MAC_LEN, name);
}

/* The slot of a record in a table, or of the empty slot where it would
 * go (linear probing from its first bytes; names are keyed hashes, so
 * evenly spread); SIZE_MAX when the table is full without it. */
static size_t slot_of(const uint8_t *t, const uint8_t rec[FERRY_RECORD_LEN])
{
	size_t i = ((size_t)rec[0] | (size_t)rec[1] << 8) % FERRY_MEMORY_SLOTS;
	for (size_t n = 0; n < FERRY_MEMORY_SLOTS; n++) {
		const uint8_t *s = t + i * FERRY_RECORD_LEN;
		if (sodium_is_zero(s, FERRY_RECORD_LEN) || !memcmp(s, rec, FERRY_RECORD_LEN))
			return i;
		i = (i + 1) % FERRY_MEMORY_SLOTS;
	}
	return SIZE_MAX;
}

static int record_of(const char *name, uint8_t rec[FERRY_RECORD_LEN])
{
	return ferry_b32_decode(rec, FERRY_RECORD_LEN, name, FERRY_SPOOL_NAME_LEN) ==
	                   0 &&
	               !sodium_is_zero(rec, FERRY_RECORD_LEN)
	           ? 0
	           : -1;
}

int ferry_memory_seen(const ferry_memory *m, const uint8_t prefix[FERRY_PREFIX_LEN],
                      const uint8_t tag[FERRY_MAC_LEN])
{
	char name[FERRY_SPOOL_NAME_LEN + 1];
	uint8_t rec[FERRY_RECORD_LEN];
	for (int prev = 0; prev <= m->have_prev; prev++) {
		ferry_memory_name(m, prev, prefix, tag, name);
		if (!m->table[prev] || record_of(name, rec) != 0)
			continue;
		size_t i = slot_of(m->table[prev], rec);
		if (i != SIZE_MAX &&
		    !memcmp(m->table[prev] + i * FERRY_RECORD_LEN, rec, FERRY_RECORD_LEN))
			return 1;
	}
	return 0;
}

int ferry_memory_remember(ferry_memory *m, const char *name)
{
	uint8_t rec[FERRY_RECORD_LEN];
	if (!m->table[0] || record_of(name, rec) != 0) {
		errno = EINVAL; /* a name ferry did not make: a bug */
		return -1;
	}
	size_t i = slot_of(m->table[0], rec);
	/* Kept below 7/8 full, so probing stays short. */
	if (i == SIZE_MAX || m->used[0] >= FERRY_MEMORY_SLOTS / 8 * 7) {
		errno = ENOSPC;
		return -1;
	}
	uint8_t *s = m->table[0] + i * FERRY_RECORD_LEN;
	if (sodium_is_zero(s, FERRY_RECORD_LEN)) {
		memcpy(s, rec, FERRY_RECORD_LEN);
		m->used[0]++;
	}
	return 0;
}

int ferry_memory_save(const ferry_memory *m)
{
	char d[FERRY_PATH_MAX], p[FERRY_PATH_MAX];
	for (int prev = 0; prev <= m->have_prev; prev++) {
		if (!m->table[prev] || ferry_memory_epoch_dir(m, prev, d, sizeof d) != 0 ||
		    ferry_path_join(p, sizeof p, d, "records") != 0 ||
		    ferry_atomic_write(p, m->table[prev], TABLE_LEN, 0600, 0) != 0 ||
		    ferry_path_join(p, sizeof p, d, "key") != 0 ||
		    ferry_atomic_write(p, m->key[prev], FERRY_MEMORY_KEY_LEN, 0600, 0) != 0)
			return -1;
	}
	return 0;
}


int ferry_memory_epoch_dir(const ferry_memory *m, int previous, char *out, size_t cap)
{
	if (previous && m->epoch == 0)
		return -1;
	return ferry_path_fmt(out, cap, "%s/%llu", m->dir,
	                      (unsigned long long)(m->epoch - (previous ? 1 : 0)));
}

unsigned ferry_memory_count(const ferry_memory *m)
{
	return m->used[0] + (m->have_prev ? m->used[1] : 0);
}
