/* What spool.c shares with forward.c; not part of the relay's API. */
#ifndef FERRY_SPOOL_INT_H
#define FERRY_SPOOL_INT_H

#include "spool.h"

/* Bundle names in a spool folder (names of the stored length only). */
typedef struct {
	char (*names)[FERRY_SPOOL_NAME_LEN + 1];
	time_t *mtimes; /* filled when asked for */
	size_t n, cap;
} ferry_namelist;

int ferry_spool_list(const char *dir, ferry_namelist *l, int with_mtimes) FERRY_WUR;
void ferry_namelist_free(ferry_namelist *l);

/* Seals count chaff bundles, each of a size class drawn from the
 * credential's weights, into SPOOL/sub/ exactly as accept stores a bundle
 * (remembered; named at random in filling/).
 * made counts what was stored, also on failure. */
int ferry_spool_chaff_into(ferry_spool *s, const char *sub, unsigned count,
                           unsigned *made, ferry_err *e) FERRY_WUR;

/* Wraps the waiting bundle src for the next hop (crypto/wrap.h) into a
 * new file dst, under a fresh key that is gone when this returns. dst
 * appears whole (temp file, fsync, rename) or not at all; src is left
 * for the caller to remove. */
int ferry_spool_rewrap(ferry_spool *s, const char *src, const char *dst,
                       ferry_err *e) FERRY_WUR;

#endif
