/* Bundle sizes: PADMÉ over the whole file, with a 64 KiB floor.
 * See docs/FORMAT.md, "Padding". */
#ifndef FERRY_PADME_H
#define FERRY_PADME_H

#include <stdint.h>

#include "../common/err.h"

#define FERRY_CHUNK_LEN      65536u
#define FERRY_CHUNK_OVERHEAD 16u  /* ChaCha20-Poly1305 tag */
#define FERRY_PREFIX_LEN     144u /* epk 32 + commitment 32 + header 80 */
#define FERRY_RELAYTAG_LEN   16u
#define FERRY_BUNDLE_FLOOR   65536u
#define FERRY_BUNDLE_MAX     (UINT64_C(1) << 40)
/* Length of a bundle whose payload plaintext is empty. */
#define FERRY_BUNDLE_FIXED                                                             \
	(FERRY_PREFIX_LEN + FERRY_CHUNK_OVERHEAD + FERRY_RELAYTAG_LEN)

/* PADMÉ (Nikitin et al., PETS 2019) of len: len rounded up so that only
 * O(log log len) bits of it remain. padme(0) = 0, padme(1) = 1. */
uint64_t ferry_padme(uint64_t len);

/* File length of a bundle whose payload plaintext is plain_len bytes
 * (chunks of 64 KiB, then a final chunk of 0..65535 bytes). */
uint64_t ferry_bundle_len_of_plain(uint64_t plain_len);

/* The inverse: the payload plaintext length of a bundle of bundle_len
 * bytes. Returns -1 when no plaintext length gives that file length. */
int ferry_plain_len_of_bundle(uint64_t bundle_len, uint64_t *plain_len) FERRY_WUR;

/* The padded bundle length for a container of container_len bytes: the
 * smallest PADMÉ value >= max(floor, unpadded length) that a bundle can
 * have. Returns -1 if the result would exceed FERRY_BUNDLE_MAX. */
int ferry_bundle_len_for(uint64_t container_len, uint64_t *bundle_len) FERRY_WUR;

/* 1 if bundle_len is a length ferry_bundle_len_for can produce, else 0. */
int ferry_bundle_len_valid(uint64_t bundle_len);

#endif
