/* Bundle lengths: a small public set of size classes. docs/FORMAT.md,
 * "Size classes".
 *
 * Every bundle is padded to a class, so a relay or an observer learns
 * only which class it is in; classes grow by 2^(1/4) from 64 KiB, so the
 * padding costs at most 19 % (about 10 % on average) and there are 57
 * classes up to 1 GiB. Chaff lengths are drawn from a distribution over
 * these classes that the desk fixes in the relay credential, never from
 * the traffic a relay saw. */
#ifndef FERRY_SIZECLASS_H
#define FERRY_SIZECLASS_H

#include <stdint.h>

#include "../common/err.h"

#define FERRY_CHUNK_LEN      65536u
#define FERRY_CHUNK_OVERHEAD 16u  /* ChaCha20-Poly1305 tag */
/* The key stack (docs/FORMAT.md, "Key stack"): FERRY_SLOTS slots of a
 * curve point and 16 more bytes each; a bundle can cross
 * FERRY_SLOTS - 1 relays and still be opened. */
#define FERRY_SLOT_LEN  48u
#define FERRY_SLOTS     9u
#define FERRY_STACK_LEN (FERRY_SLOT_LEN * FERRY_SLOTS)
/* The key stack, the commitment (32) and the header (80). */
#define FERRY_PREFIX_LEN     (FERRY_STACK_LEN + 32u + 80u)
#define FERRY_RELAYTAG_LEN   16u
#define FERRY_BUNDLE_FLOOR   65536u
#define FERRY_BUNDLE_MAX     (UINT64_C(1) << 40)
/* Length of a bundle whose payload plaintext is empty. */
#define FERRY_BUNDLE_FIXED                                                             \
	(FERRY_PREFIX_LEN + FERRY_CHUNK_OVERHEAD + FERRY_RELAYTAG_LEN)
/* Classes 0 .. FERRY_CLASSES - 1: class 0 is the floor, the last the
 * largest class not above FERRY_BUNDLE_MAX. */
#define FERRY_CLASSES 97u

/* The length of class k (k < FERRY_CLASSES): the smallest length a
 * bundle can have that is at least 2^(16 + k/4), that power taken from a
 * fixed table and rounded up to a multiple of 4096. */
uint64_t ferry_class_len(unsigned k);
/* The class of a bundle length, or -1 when it is no class's length. */
int ferry_class_of(uint64_t bundle_len);

/* File length of a bundle whose payload plaintext is plain_len bytes
 * (chunks of 64 KiB, then a final chunk of 0..65535 bytes). */
uint64_t ferry_bundle_len_of_plain(uint64_t plain_len);

/* The inverse: the payload plaintext length of a bundle of bundle_len
 * bytes. Returns -1 when no plaintext length gives that file length. */
int ferry_plain_len_of_bundle(uint64_t bundle_len, uint64_t *plain_len) FERRY_WUR;

/* The padded bundle length for a container of container_len bytes: the
 * smallest class length that holds it. Returns -1 past the largest. */
int ferry_bundle_len_for(uint64_t container_len, uint64_t *bundle_len) FERRY_WUR;

/* 1 if bundle_len is a class's length, else 0. */
int ferry_bundle_len_valid(uint64_t bundle_len);

#endif
