/* Deterministic test vectors: every key and every random byte fixed.
 * Built by tests/helpers/testtool.c (writes tests/vectors/) and checked
 * byte for byte by tests/unit/test_vectors.c. */
#ifndef FERRY_VECTORS_H
#define FERRY_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#include "../../trust/pack.h"

#define VEC_NBUNDLES 5
#define VEC_HOPS         3
#define VEC_WRAPPED_NAME "bundle-testimony-3-relays.bin"

typedef struct {
	uint8_t *data;
	size_t len;
} vec_blob;

typedef struct {
	uint8_t id_pk[32], id_sk[64];
	uint8_t spk_pk[32], spk_sk[32];
	uint8_t opk_pk[2][32], opk_sk[2][32];
	uint8_t relay_pk[32], relay_sk[32];
	uint8_t chaff_pk[32], chaff_sk[32];
	uint8_t wrap_pk[32], wrap_sk[32];
	ferry_pack pack;
	vec_blob pack_file;
	char credential[2048]; /* relay.credential */
	char sealcode[FERRY_SEALCODE_TEXT_LEN + 1];
	/* testimony (form 1), walk-in, chaff (to the chaff key), a walk-in
	 * of three chunks (so the chunk nonces and relay units past the first
	 * show), and a testimony (form 1) with a pack proof */
	uint8_t word[5]; /* the pack word of the proven vector */
	vec_blob bundle[VEC_NBUNDLES];
	vec_blob container[VEC_NBUNDLES];
	/* bundle 0 (testimony) after VEC_HOPS relays, each wrapping it to
	 * wrap_pk and tagging it under relay_pk */
	vec_blob wrapped;
	char keys_text[8192]; /* keys.txt */
} vec_set;

int vectors_build(vec_set *v);
/* Wraps b (len bytes) in place as a relay does, with the randomness the
 * caller set (tests/support/testrng.h). */
int vectors_wrap(uint8_t *b, size_t len, const uint8_t wrap_pk[32],
                 const uint8_t relay_pk[32]);
void vectors_free(vec_set *v);
extern const char *const VEC_BUNDLE_NAMES[VEC_NBUNDLES];
extern const uint8_t VEC_BUNDLE_KINDS[VEC_NBUNDLES];

#endif
