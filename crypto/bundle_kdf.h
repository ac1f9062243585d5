/* Internal to crypto/: the key schedule shared by the sealing and the
 * opening halves of the bundle (docs/FORMAT.md, "Key schedule"). */
#ifndef FERRY_BUNDLE_KDF_H
#define FERRY_BUNDLE_KDF_H

#include <sodium.h>
#include <stdint.h>

#include "bundle.h"
#include "sizes.h"

extern const uint8_t FERRY_ZERO_NONCE[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];

/* K_h || C = BLAKE2b-512(dh1; domain || epk || spk). */
int ferry_derive_header_key(uint8_t k_h[FERRY_KEY_LEN], uint8_t commit[FERRY_HASH_LEN],
                            const uint8_t dh1[FERRY_X25519_LEN],
                            const uint8_t epk[FERRY_X25519_LEN],
                            const uint8_t spk[FERRY_X25519_LEN]);
/* K_p; dh2 and opk are NULL for walk-in and chaff. */
int ferry_derive_payload_key(uint8_t k_p[FERRY_KEY_LEN],
                             const uint8_t dh1[FERRY_X25519_LEN], const uint8_t *dh2,
                             const uint8_t epk[FERRY_X25519_LEN],
                             const uint8_t spk[FERRY_X25519_LEN], const uint8_t *opk,
                             const uint8_t hdr_ct[FERRY_HDR_CT_LEN]);

/* The pack proof over the header's first 8 bytes (flag set) and the
 * form's OPK (32 zero bytes for a walk-in):
 *   K_w   = H(dh1; "ferry-v1 pack proof key\0" || epk || SPK || pack_id || word, 32)
 *   proof = H(K_w; "ferry-v1 pack proof\0" || header[0..8) || OPK, 32) */
int ferry_derive_pack_proof(uint8_t proof[FERRY_PROOF_LEN],
                            const uint8_t dh1[FERRY_X25519_LEN],
                            const uint8_t epk[FERRY_X25519_LEN],
                            const uint8_t spk[FERRY_X25519_LEN],
                            const ferry_pack_proof *pp, const uint8_t hdr8[8],
                            const uint8_t *opk);

/* K_tag = BLAKE2b-256(dh_r; domain || epk as in the file || relay_pk). */
int ferry_derive_relaytag_key(uint8_t key[FERRY_KEY_LEN],
                              const uint8_t dh_r[FERRY_X25519_LEN],
                              const uint8_t epk_raw[FERRY_X25519_LEN],
                              const uint8_t relay_pk[FERRY_X25519_LEN]);

/* The 12-byte nonce of payload chunk i under K_p, and of relay unit i
 * under K_r: LE64(i) || 00 00 00 || flag. For chunks the flag is 1 on
 * the final chunk and 0 before it; for relay units it is 0, and the
 * fold key uses i = 0 with flag 1. */
void ferry_chunk_nonce(uint8_t n[FERRY_NONCE_LEN], uint64_t i, uint8_t flag);

/* The sealer's filler, the FERRY_FILLER_LEN bytes of its key stack after
 * its key: ChaCha20 under H(dh1; "ferry-v1 slot filler\0" || epk || SPK,
 * 32), so the desk can restore the slots relays pushed off. */
int ferry_derive_filler(uint8_t out[FERRY_FILLER_LEN],
                        const uint8_t dh1[FERRY_X25519_LEN],
                        const uint8_t epk[FERRY_X25519_LEN],
                        const uint8_t spk[FERRY_X25519_LEN]);

/* A layer's stream key and check: H(dh; "ferry-v1 hop key\0" || point as
 * in the file || wrap_pk, 64), the first 32 bytes and the next 16. */
int ferry_derive_hop_keys(uint8_t k_s[FERRY_KEY_LEN], uint8_t check[FERRY_MAC_LEN],
                          const uint8_t dh[FERRY_X25519_LEN],
                          const uint8_t point_raw[FERRY_X25519_LEN],
                          const uint8_t wrap_pk[FERRY_X25519_LEN]);

/* XORs n bytes at p with ChaCha20 (64-bit block counter, zero nonce)
 * under key from key stream byte pos on. */
int ferry_stream_xor_at(const uint8_t key[FERRY_KEY_LEN], uint64_t pos, uint8_t *p,
                        size_t n);

#endif
