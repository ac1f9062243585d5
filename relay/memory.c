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
static const char DOM_DEST[] = "ferry-v1 forward name";

_Static_assert(FERRY_B32_LEN(16) == FERRY_SPOOL_NAME_LEN,
               "names are 16 bytes in base32");

static void name_of(char out[FERRY_SPOOL_NAME_LEN + 1], const uint8_t h[16])
{
	char t[FERRY_SPOOL_NAME_LEN + 1];
	if (ferry_b32_encode(t, sizeof t, h, 16) != 0)
		memset(t, '0', sizeof t);
	for (size_t i = 0; i < FERRY_SPOOL_NAME_LEN; i++)
		out[i] = (char)(t[i] >= 'A' && t[i] <= 'Z' ? t[i] - 'A' + 'a' : t[i]);
	out[FERRY_SPOOL_NAME_LEN] = '\0';
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

/* SPOOL/memory/EPOCH/key: made when the epoch is first used. */
static int epoch_key(const ferry_memory *m, uint64_t epoch, uint8_t key[32], int create)
{
	char d[FERRY_PATH_MAX], p[FERRY_PATH_MAX];
	uint8_t *b = NULL;
	size_t n = 0;
	if (ferry_path_fmt(d, sizeof d, "%s/%llu", m->dir, (unsigned long long)epoch) !=
	        0 ||
	    ferry_path_join(p, sizeof p, d, "key") != 0)
		return -1;
	if (ferry_read_secret_file(p, 32, &b, &n, "an epoch key", NULL) == FERRY_OK &&
	    n == 32) {
		memcpy(key, b, 32);
		sodium_free(b);
		return 0;
	}
	if (b)
		sodium_free(b);
	if (!create)
		return -1;
	randombytes_buf(key, 32);
	if (ferry_mkdir(d, 0700) != 0 || ferry_atomic_write(p, key, 32, 0600, 1) != 0)
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

int ferry_memory_open(ferry_memory *m, const char *spool, uint64_t now, ferry_err *e)
{
	memset(m, 0, sizeof *m);
	if (read_keep_days(spool, &m->keep_days, e) != FERRY_OK ||
	    ferry_path_join(m->dir, sizeof m->dir, spool, "memory") != 0)
		return FERRY_EOP;
	uint64_t len = (uint64_t)m->keep_days * 86400 / 2;
	m->epoch = now / len;
	if (epoch_key(m, m->epoch, m->key[0], 1) != 0)
		return ferry_fail(e, FERRY_EOP,
		                  "cannot make the spool's key for this period: %s",
		                  strerror(errno));
	m->have_prev = m->epoch > 0 && epoch_key(m, m->epoch - 1, m->key[1], 0) == 0;
	forget_old(m);
	return FERRY_OK;
}

/* base32(H(key; domain || a || b, 16)); the keyed state is wiped. */
static void keyed_name(const uint8_t key[32], const char *domain, size_t dlen,
                       const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
                       char out[FERRY_SPOOL_NAME_LEN + 1])
{
	crypto_generichash_state h;
	uint8_t d[16];
	crypto_generichash_init(&h, key, 32, sizeof d);
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

static int record_path(const ferry_memory *m, uint64_t epoch, const char *name, char *p,
                       size_t cap)
{
	return ferry_path_fmt(p, cap, "%s/%llu/%.2s/%s", m->dir,
	                      (unsigned long long)epoch, name, name);
}

int ferry_memory_seen(const ferry_memory *m, const uint8_t prefix[FERRY_PREFIX_LEN],
                      const uint8_t tag[FERRY_MAC_LEN])
{
	char name[FERRY_SPOOL_NAME_LEN + 1], p[FERRY_PATH_MAX];
	struct stat st;
	for (int prev = 0; prev <= m->have_prev; prev++) {
		ferry_memory_name(m, prev, prefix, tag, name);
		if (record_path(m, m->epoch - (uint64_t)prev, name, p, sizeof p) == 0 &&
		    lstat(p, &st) == 0)
			return 1;
	}
	return 0;
}

int ferry_memory_remember(const ferry_memory *m, const char *name)
{
	char p[FERRY_PATH_MAX], d[FERRY_PATH_MAX];
	if (record_path(m, m->epoch, name, p, sizeof p) != 0)
		return -1;
	ferry_dirname(d, sizeof d, p);
	if (ferry_mkdir(d, 0700) != 0)
		return -1;
	int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	int rc = fsync(fd) == 0 ? 0 : -1;
	if (close(fd) != 0)
		rc = -1;
	return rc == 0 ? ferry_fsync_dir(d) : -1;
}

void ferry_memory_dest_name(const ferry_memory *m, const char *name,
                            char out[FERRY_SPOOL_NAME_LEN + 1])
{
	keyed_name(m->key[0], DOM_DEST, sizeof DOM_DEST, (const uint8_t *)name,
	           FERRY_SPOOL_NAME_LEN, NULL, 0, out);
}

static unsigned count_tree(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	unsigned n = 0;
	if (!d)
		return 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		char p[FERRY_PATH_MAX];
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "key") ||
		    !strcmp(de->d_name, "sizes"))
			continue;
		if (depth == 0)
			n++;
		else if (ferry_path_join(p, sizeof p, dir, de->d_name) == 0)
			n += count_tree(p, depth - 1);
	}
	closedir(d);
	return n;
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
	return count_tree(m->dir, 2);
}
