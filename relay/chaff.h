/* Chaff: cover traffic a relay makes with its credential alone. A chaff
 * bundle is a real bundle of kind chaff, sealed to the chaff key, with an
 * empty container padded to a length drawn from the sizes the spool has
 * seen, so nobody but the desk can tell it from testimony. It uses the
 * bundle sealer only: the relay links nothing else of the contact's side. */
#ifndef FERRY_CHAFF_H
#define FERRY_CHAFF_H

#include <stdint.h>

#include "../common/err.h"
#include "../common/io.h"
#include "../trust/credential.h"

#define FERRY_SIZES_MAX 64 /* distinct lengths the histogram keeps */

typedef struct {
	uint64_t len[FERRY_SIZES_MAX];
	uint32_t count[FERRY_SIZES_MAX];
	unsigned n;
} ferry_sizes;

/* DIR/sizes: bundle lengths and how often each was accepted; a missing
 * file is an empty histogram. The spool keeps one per memory epoch, so
 * it is forgotten with the epoch. */
int ferry_sizes_load(ferry_sizes *h, const char *dir, ferry_err *e) FERRY_WUR;
int ferry_sizes_save(const ferry_sizes *h, const char *dir) FERRY_WUR;
/* Adds every count of from to h. */
void ferry_sizes_merge(ferry_sizes *h, const ferry_sizes *from);
/* The text of SPOOL/sizes; lines that are not "LENGTH COUNT" with a
 * bundle length and a count from 1 are skipped, as is a repeated length. */
void ferry_sizes_parse(ferry_sizes *h, const char *text, size_t len);
/* Counts one bundle of len; the rarest length goes when it is full. */
void ferry_sizes_add(ferry_sizes *h, uint64_t len);
/* A length drawn in proportion to the counts, or from a built-in spread of
 * phone-photo pages when the histogram is empty. */
uint64_t ferry_sizes_draw(const ferry_sizes *h);

/* Seals one chaff bundle of bundle_len bytes through write. */
int ferry_chaff_seal(const ferry_credential *c, uint64_t bundle_len,
                     ferry_write_fn write, void *io, ferry_err *e) FERRY_WUR;

#endif
