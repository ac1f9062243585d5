/* Re-wrapping at each relay, and peeling at the desk. docs/FORMAT.md,
 * "Key stack".
 *
 * A bundle starts with a stack of FERRY_SLOTS slots of 48 bytes. Its
 * first slot is always a curve point and 16 bytes: the sealer's own
 * ephemeral key and filler, or the fresh ephemeral key of the last relay
 * that wrapped it and a check only the desk can compute. A relay wraps
 * by pushing a new first slot and XORing everything after it (the old
 * slots but the last, and the whole body) with a ChaCha20 key stream
 * keyed by X25519(fresh secret, the desk's wrap key): the output shares
 * no bytes with the input, has its length, and says nothing a relay can
 * read about how many relays it crossed. The oldest slot falls off the
 * end, so past FERRY_HOPS_MAX relays the sealer's key is lost.
 *
 * No allocation, printing or I/O here; contexts are plain structs so
 * callers can put them in sodium_malloc memory. */
#ifndef FERRY_WRAP_H
#define FERRY_WRAP_H

#include <stddef.h>
#include <stdint.h>

#include "bundle.h"

/* A relay's wrapping of one bundle: this hop's stream key and the relay
 * tag of the output, folded over its units as they are written. */
typedef struct {
	uint8_t k_s[FERRY_KEY_LEN];
	ferry_relaytag_writer tag;
	int state; /* 0 unused, 1 open, -1 failed or finished */
} ferry_wrapper;

/* Wraps the prefix of a bundle (its first FERRY_PREFIX_LEN bytes, in)
 * into out, with a fresh random ephemeral key: to the desk's wrap public
 * key, tagged under relay_pk (the newest relay key). The secret is gone
 * when this returns; the output prefix's unit tag is already folded. in
 * and out may not overlap. */
int ferry_wrap_begin(ferry_wrapper *w, const uint8_t wrap_pk[FERRY_X25519_LEN],
                     const uint8_t relay_pk[FERRY_X25519_LEN],
                     const uint8_t in[FERRY_PREFIX_LEN],
                     uint8_t out[FERRY_PREFIX_LEN]) FERRY_WUR;
/* Wraps payload chunk i in place (len bytes as it lies in the file, its
 * AEAD tag included) and gives the unit tag of the result. Reads w only,
 * so threads may call it at once on different chunks. */
int ferry_wrap_chunk(const ferry_wrapper *w, uint64_t i, uint8_t *buf, size_t len,
                     uint8_t unit_tag[FERRY_MAC_LEN]) FERRY_WUR;
/* Folds the next chunk's unit tag; chunks in order. */
int ferry_wrap_fold(ferry_wrapper *w, const uint8_t unit_tag[FERRY_MAC_LEN]) FERRY_WUR;
/* The relay tag of the output. Wipes the keys. */
int ferry_wrap_tag(ferry_wrapper *w, uint8_t tag[FERRY_MAC_LEN]) FERRY_WUR;
void ferry_wrap_wipe(ferry_wrapper *w);

/* Peeling (the desk): finds the layers of a bundle's prefix with the
 * desk's wrap key pairs. 0 with pl filled (pl->hops layers, 0 to
 * FERRY_HOPS_MAX); FERRY_PEEL_TOO_DEEP when a layer was found under
 * every slot that could hold the sealer's key (more than FERRY_HOPS_MAX
 * relays: the sealer's key is lost); -1 on a bad argument. */
#define FERRY_PEEL_TOO_DEEP 1
int ferry_peel(ferry_peeled *pl, const uint8_t raw[FERRY_PREFIX_LEN],
               const ferry_wrap_keys *keys) FERRY_WUR;

#endif
