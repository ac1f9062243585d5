/* Shared by the cmocka unit tests. */
#ifndef FERRY_T_H
#define FERRY_T_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four includes above first. */
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/io.h"

/* A fresh folder for one test, on tmpfs when there is one (the sweeps
 * fsync a great deal). Removed by t_rmdir. */
char *t_mkdtemp(void);
void t_rmdir(const char *dir);
int t_write(const char *path, const void *p, size_t n);
/* The whole file, malloc'd, NUL-terminated past its *n bytes. */
uint8_t *t_read(const char *path, size_t *n);
/* Counts entries (not . or ..) in a folder. */
int t_count(const char *dir);

/* A unit test's main: libsodium first, then the named group. */
#define T_RUN(name, tests)                                                             \
	(sodium_init() < 0 ? 1 : cmocka_run_group_tests_name(name, tests, NULL, NULL))

/* A growable output buffer: the library's own. */
typedef ferry_membuf t_buf;
#define t_buf_write ferry_membuf_write

/* ferry_opener_try on a bundle straight from a sealer (no relay
 * layers): prefix is its first FERRY_PREFIX_LEN bytes. */
#include "../../crypto/bundle.h"
int t_opener_try(ferry_opener *o, const uint8_t *prefix, uint64_t len,
                 const uint8_t sk[32], const uint8_t pk[32]);

#endif
