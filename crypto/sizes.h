/* Key and tag sizes, named from libsodium's own constants so that a
 * length in an API says which primitive it belongs to. The format fixes
 * every one of them (docs/FORMAT.md); the asserts hold libsodium to it. */
#ifndef FERRY_SIZES_H
#define FERRY_SIZES_H

#include <sodium.h>

/* X25519 public keys, secret keys and shared secrets. */
#define FERRY_X25519_LEN crypto_scalarmult_curve25519_BYTES
/* Symmetric keys: ChaCha20-Poly1305, keyed BLAKE2b, the relay tag. */
#define FERRY_KEY_LEN crypto_aead_chacha20poly1305_ietf_KEYBYTES
/* A Poly1305 tag: chunk tags, relay unit tags, the relay tag. */
#define FERRY_MAC_LEN crypto_onetimeauth_poly1305_BYTES
/* The identity: Ed25519. */
#define FERRY_ID_PK_LEN crypto_sign_ed25519_PUBLICKEYBYTES
#define FERRY_ID_SK_LEN crypto_sign_ed25519_SECRETKEYBYTES
#define FERRY_SIG_LEN   crypto_sign_ed25519_BYTES
/* BLAKE2b-256 digests: the log chain, desk ids, commitments. */
#define FERRY_HASH_LEN crypto_generichash_blake2b_BYTES
/* A STREAM chunk nonce. */
#define FERRY_NONCE_LEN crypto_aead_chacha20poly1305_ietf_NPUBBYTES

/* The pack word: 40 random bits the desk gives a pack's contact apart
 * from its forms (docs/FORMAT.md, "Pack proof"); and a pack's id. */
#define FERRY_PACK_WORD_LEN 5
#define FERRY_PROOF_PACK_ID_LEN 8

_Static_assert(FERRY_X25519_LEN == 32, "X25519 keys are 32 bytes in the format");
_Static_assert(crypto_scalarmult_curve25519_SCALARBYTES == FERRY_X25519_LEN,
               "X25519 secret keys are 32 bytes in the format");
_Static_assert(FERRY_KEY_LEN == 32, "symmetric keys are 32 bytes in the format");
_Static_assert(crypto_onetimeauth_poly1305_KEYBYTES == FERRY_KEY_LEN,
               "Poly1305 keys are 32 bytes in the format");
_Static_assert(FERRY_MAC_LEN == 16 && crypto_aead_chacha20poly1305_ietf_ABYTES == 16,
               "tags are 16 bytes in the format");
_Static_assert(FERRY_ID_PK_LEN == 32 && FERRY_ID_SK_LEN == 64 && FERRY_SIG_LEN == 64,
               "Ed25519 sizes in the format");
_Static_assert(FERRY_HASH_LEN == 32, "digests are 32 bytes in the format");
_Static_assert(FERRY_NONCE_LEN == 12, "chunk nonces are 12 bytes in the format");

#endif
