/* The ferry bundle, v1: key stack | commitment | header | payload | relay tag.
 * Byte layout and key schedule: docs/FORMAT.md, "Bundle".
 *
 * This module does no allocation, no printing, no file I/O and no
 * threads: the sealer encrypts chunks the caller hands it, and the
 * opener is fed one ciphertext chunk at a time. Contexts are plain structs so
 * that callers can place them in sodium_malloc memory. */
#ifndef FERRY_BUNDLE_H
#define FERRY_BUNDLE_H

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"
#include "sizes.h"

#include "sizeclass.h"

enum {
	FERRY_KIND_TESTIMONY = 1, /* sealed to a form: SPK and the form's OPK */
	FERRY_KIND_WALKIN = 2,    /* sealed to a pack's SPK alone */
	FERRY_KIND_CHAFF = 3,     /* relay-made cover traffic, to the chaff key */
};

#define FERRY_EPK_LEN       32u
#define FERRY_COMMIT_LEN    32u
#define FERRY_HDR_PLAIN_LEN 64u
#define FERRY_HDR_CT_LEN    80u
#define FERRY_CHUNK_CT_LEN  (FERRY_CHUNK_LEN + FERRY_CHUNK_OVERHEAD)
#define FERRY_NO_FORM       UINT32_C(0xffffffff)

/* The layout docs/FORMAT.md gives, held to the constants. */
_Static_assert(FERRY_EPK_LEN == FERRY_X25519_LEN, "epk is an X25519 public key");
_Static_assert(FERRY_COMMIT_LEN == FERRY_HASH_LEN, "the commitment is a BLAKE2b-256");
_Static_assert(FERRY_HDR_CT_LEN ==
                   FERRY_HDR_PLAIN_LEN + crypto_aead_chacha20poly1305_ietf_ABYTES,
               "header ciphertext = header + AEAD tag");
_Static_assert(FERRY_SLOT_LEN == FERRY_EPK_LEN + FERRY_MAC_LEN,
               "a slot = a curve point + a 16-byte check");
_Static_assert(FERRY_PREFIX_LEN ==
                   FERRY_STACK_LEN + FERRY_COMMIT_LEN + FERRY_HDR_CT_LEN,
               "prefix = key stack + commitment + header");
/* Where the commitment and the header ciphertext lie in the prefix. */
#define FERRY_OFF_COMMIT FERRY_STACK_LEN
#define FERRY_OFF_HDR    (FERRY_STACK_LEN + FERRY_COMMIT_LEN)
_Static_assert(FERRY_CHUNK_OVERHEAD == crypto_aead_chacha20poly1305_ietf_ABYTES,
               "a chunk carries one AEAD tag");
_Static_assert(FERRY_RELAYTAG_LEN == FERRY_MAC_LEN, "the relay tag is one Poly1305");
_Static_assert(FERRY_BUNDLE_FLOOR >= FERRY_BUNDLE_FIXED,
               "the floor holds an empty bundle");

/* The key stack (crypto/wrap.h): a bundle opens after at most
 * FERRY_HOPS_MAX relays, and the desk holds at most FERRY_WRAP_KEYS_MAX
 * wrap key pairs (its current one and those it rotated out but keeps
 * for the bundles still on their way). */
#define FERRY_HOPS_MAX      (FERRY_SLOTS - 1u)
#define FERRY_WRAP_KEYS_MAX 4u
/* Bytes of the sealer's stack after its key: derived filler. */
#define FERRY_FILLER_LEN (FERRY_STACK_LEN - FERRY_EPK_LEN)

/* Key pairs, oldest first: the relay key pairs a relay (or the desk)
 * checks tags with (the desk's current one, and older ones during a
 * rotation), and the desk's wrap key pairs (the current one, and those
 * rotated out but kept for what is on its way). */
#define FERRY_RELAY_KEYS_MAX 4u
typedef struct {
	uint8_t sk[FERRY_RELAY_KEYS_MAX][FERRY_X25519_LEN];
	uint8_t pk[FERRY_RELAY_KEYS_MAX][FERRY_X25519_LEN];
	unsigned n;
} ferry_relay_keys;
typedef ferry_relay_keys ferry_wrap_keys;
_Static_assert(FERRY_WRAP_KEYS_MAX == FERRY_RELAY_KEYS_MAX,
               "wrap key pairs are held like relay key pairs");

/* A bundle's prefix with the relays' layers found: raw as it is in the
 * file (the relay tag covers it), prefix as the sealer wrote it (the
 * slots the layers pushed off are zero until the header opens, which
 * restores them), and each layer's stream key, outermost first. */
typedef struct {
	uint8_t raw[FERRY_PREFIX_LEN];
	uint8_t prefix[FERRY_PREFIX_LEN];
	uint8_t key[FERRY_HOPS_MAX][FERRY_KEY_LEN];
	unsigned hops;
} ferry_peeled;

/* The X25519 point in a key slot's first FERRY_EPK_LEN bytes (a
 * bundle's epk, or a layer's): a sealer or relay fills the top bit, which
 * X25519 ignores, at random so that the bytes look random; the point is
 * those bytes with that bit clear. */
void ferry_epk_point(uint8_t point[FERRY_EPK_LEN], const uint8_t raw[FERRY_EPK_LEN]);
/* Its writer: sets that top bit of a public key at random. */
void ferry_epk_hide_top(uint8_t epk[FERRY_EPK_LEN]);

/* A prefix with no layers (a bundle straight from a sealer). */
void ferry_peeled_none(ferry_peeled *pl, const uint8_t raw[FERRY_PREFIX_LEN]);
/* Removes every layer from n bytes that lie at offset off of the file
 * (off >= FERRY_SLOT_LEN). */
int ferry_peeled_xor(const ferry_peeled *pl, uint64_t off, uint8_t *p,
                     size_t n) FERRY_WUR;

/* Header flags (byte 2). */
#define FERRY_HDR_FLAG_PROOF 0x01u /* bytes 8..39 carry a pack proof */
#define FERRY_PROOF_LEN      32u

/* What a pack holder adds so that the desk can tell a bundle sealed
 * with the pack word from one sealed with a seal code alone: the word
 * and the pack's id, bound into the header by ferry_sealer_begin. */
typedef struct {
	uint8_t word[FERRY_PACK_WORD_LEN];
	uint8_t pack_id[FERRY_PROOF_PACK_ID_LEN];
} ferry_pack_proof;

typedef struct {
	uint8_t version;
	uint8_t kind;
	uint32_t form_index; /* FERRY_NO_FORM unless kind is testimony */
	uint8_t has_proof;   /* FERRY_HDR_FLAG_PROOF was set */
	uint8_t proof[FERRY_PROOF_LEN];
} ferry_header_info;

/* The relay tag (docs/FORMAT.md, "Relay tag"). Everything before the
 * tag is cut into units: unit 0 is the prefix, unit j >= 1 is
 * payload chunk j-1 as it lies in the file. Each unit gets a Poly1305
 * tag under its own one-time key, and the bundle's relay tag is one
 * more Poly1305 over the unit tags in order. Units are independent, so
 * a sealer can tag them on several threads; checking is one pass.
 *
 * The tag key comes from X25519(e, relay public key) at the sealer and
 * X25519(relay secret key, epk) at a relay: holding seal codes or packs,
 * which carry only the public key, gives no way to check a tag. */

/* Writing a relay tag as units are written: the key, and the fold of the
 * unit tags so far. The sealer and a relay that wraps both tag what they
 * write; the desk never does (it checks). */
typedef struct {
	uint8_t key[FERRY_KEY_LEN];
	crypto_onetimeauth_state fold;
	uint64_t units; /* unit tags folded so far, the prefix's included */
} ferry_relaytag_writer;

/* Derives the tag key from the writer's ephemeral secret e and the relay
 * public key, with the prefix's first slot as written, and folds the
 * prefix's unit tag. */
int ferry_relaytag_writer_start(ferry_relaytag_writer *t,
                                const uint8_t e[FERRY_X25519_LEN],
                                const uint8_t relay_pk[FERRY_X25519_LEN],
                                const uint8_t prefix[FERRY_PREFIX_LEN]) FERRY_WUR;
/* Folds the next chunk's unit tag; chunks in order. */
int ferry_relaytag_writer_fold(ferry_relaytag_writer *t,
                               const uint8_t unit_tag[FERRY_MAC_LEN]) FERRY_WUR;
/* The tag, once the prefix and at least one chunk are folded. */
int ferry_relaytag_writer_final(ferry_relaytag_writer *t,
                                uint8_t tag[FERRY_MAC_LEN]) FERRY_WUR;

/* The tag of unit j (a whole unit of n bytes). Reads key only. */
int ferry_relaytag_unit(const uint8_t key[FERRY_KEY_LEN], uint64_t j, const uint8_t *p,
                        size_t n, uint8_t out[16]) FERRY_WUR;
/* Starts the fold over unit tags. */
int ferry_relaytag_fold_init(crypto_onetimeauth_state *fold,
                             const uint8_t key[FERRY_KEY_LEN]) FERRY_WUR;

/* Checks a bundle's relay tag in one forward pass, fed any slicing of
 * the bundle_len - 16 bytes before the tag, under every key pair it was
 * started with (a tag that verifies under any one of them passes). */
typedef struct {
	uint8_t key[FERRY_RELAY_KEYS_MAX][FERRY_KEY_LEN];
	crypto_onetimeauth_state fold[FERRY_RELAY_KEYS_MAX];
	crypto_onetimeauth_state unit[FERRY_RELAY_KEYS_MAX];
	unsigned nkeys;
	uint64_t unit_index;
	uint64_t unit_left; /* bytes still to come in the current unit */
	uint64_t body_left; /* bytes still to come before the tag */
	int state;          /* 0 unused, 1 running, -1 failed */
} ferry_relaycheck;

/* epk_raw is the bundle's first 32 bytes as they are in the file (the
 * sealer's key or the last relay's); the
 * caller feeds them again with the rest of the prefix. Fails when any
 * key's X25519 with the epk is all zero (a low-order epk). */
int ferry_relaycheck_init(ferry_relaycheck *c, const ferry_relay_keys *keys,
                          const uint8_t epk_raw[FERRY_X25519_LEN],
                          uint64_t bundle_len) FERRY_WUR;
/* The same with the tag key itself, for tests that try candidate keys. */
int ferry_relaycheck_init_tagkey(ferry_relaycheck *c, const uint8_t key[FERRY_KEY_LEN],
                                 uint64_t bundle_len) FERRY_WUR;
/* -1 if more bytes are fed than come before the tag. */
int ferry_relaycheck_update(ferry_relaycheck *c, const uint8_t *p, size_t n) FERRY_WUR;
/* 0 when every byte before the tag was fed and the tag matches under one
 * of the keys, compared in constant time. Wipes the context either way. */
int ferry_relaycheck_verify(ferry_relaycheck *c,
                            const uint8_t tag[FERRY_MAC_LEN]) FERRY_WUR;
/* The same, and newest gets the tag these bytes have under the last
 * (newest) key it was started with: a relay stores every bundle under
 * the newest relay key, so a rotation marks no bundle. */
int ferry_relaycheck_verify_retag(ferry_relaycheck *c, const uint8_t tag[FERRY_MAC_LEN],
                                  uint8_t newest[FERRY_MAC_LEN]) FERRY_WUR;
/* The tag of the bytes fed under the last key the check was started
 * with, for whoever writes a bundle anew (the desk, keeping a peeled
 * copy). Wipes the context. */
int ferry_relaycheck_tag(ferry_relaycheck *c, uint8_t tag[FERRY_MAC_LEN]) FERRY_WUR;
void ferry_relaycheck_wipe(ferry_relaycheck *c);

/* The payload is cut into chunks of 64 KiB plaintext, then a final
 * chunk of 0..65535 bytes. Chunk i is ChaCha20-Poly1305-IETF under K_p
 * with nonce LE64(i) || 00 00 00 || final flag, and no additional data.
 * Every chunk is independent of the others, which lets a sealer encrypt
 * them on several threads (seal/sealpipe.h does). */
typedef struct {
	uint8_t k_p[FERRY_KEY_LEN];
	ferry_relaytag_writer tag;
	int state; /* 0 unused, 1 open, -1 failed or finished */
} ferry_sealer;

/* Starts a bundle: fresh ephemeral key, header, keys. spk is the pack's
 * SPK (the chaff key for chaff). opk is required for
 * FERRY_KIND_TESTIMONY and must be NULL otherwise. relay_pk is the
 * desk's relay public key. proof, when not NULL (testimony and walk-ins
 * only), puts the pack proof in the header. The first FERRY_PREFIX_LEN
 * bytes of the bundle are returned in prefix; the prefix's unit tag is already
 * folded. */
int ferry_sealer_begin(ferry_sealer *s, uint8_t kind, uint32_t form_index,
                       const uint8_t spk[FERRY_X25519_LEN], const uint8_t *opk,
                       const uint8_t relay_pk[FERRY_X25519_LEN],
                       const ferry_pack_proof *proof,
                       uint8_t prefix[FERRY_PREFIX_LEN]) FERRY_WUR;
/* Encrypts payload chunk i in place: buf holds len plaintext bytes
 * (len == FERRY_CHUNK_LEN unless final) and has room for 16 more, which
 * receive the chunk's tag. unit_tag gets the relay tag of the chunk as
 * it will lie in the file. Reads s only, so several threads may call it
 * at once on different chunks. */
int ferry_sealer_chunk(const ferry_sealer *s, uint64_t i, int final, uint8_t *buf,
                       size_t len, uint8_t unit_tag[FERRY_MAC_LEN]) FERRY_WUR;
/* Folds the unit tag of the next chunk; chunks must come in order. On
 * failure the caller wipes s (once no thread reads it). */
int ferry_sealer_fold(ferry_sealer *s, const uint8_t unit_tag[FERRY_MAC_LEN]) FERRY_WUR;
/* The relay tag that closes the bundle. Wipes the keys. */
int ferry_sealer_tag(ferry_sealer *s, uint8_t tag[FERRY_MAC_LEN]) FERRY_WUR;
/* Wipes every key; safe to call at any point. */
void ferry_sealer_wipe(ferry_sealer *s);

typedef struct {
	ferry_relaycheck relay;
	ferry_header_info info;
	ferry_peeled pl; /* the prefix as read and as sealed, and the layers */
	uint8_t epk[FERRY_X25519_LEN];    /* top bit cleared */
	uint8_t spk[FERRY_X25519_LEN];
	uint8_t dh1[FERRY_X25519_LEN];
	uint8_t k_p[FERRY_KEY_LEN];
	uint64_t bundle_len;
	uint64_t plain_len;  /* payload plaintext length implied by bundle_len */
	uint64_t plain_done; /* plaintext released so far */
	uint64_t chunk;      /* index of the next chunk */
	int state;           /* 0 unused, 1 header open, 2 streaming, 3 final seen, -1
		      failed */
} ferry_opener;

/* Tries to open the header of a bundle of bundle_len bytes whose prefix
 * was peeled into pl (ferry_peel, or ferry_peeled_none), with one pack's
 * SPK key pair. 0 when the commitment and the header AEAD both check
 * (its associated data is the sealer's whole key stack, the slots the
 * layers pushed off restored from dh1) and every reserved field is zero;
 * the opener then holds pl with the sealer's prefix restored. Otherwise
 * (the opener is then wiped) FERRY_OPENER_NOT_OURS when the key does not
 * open the header, FERRY_OPENER_BAD_HEADER when it does but the header
 * breaks the format's rules (version, kind, form index, flags, reserved
 * bytes): sealed for this key by a sealer that is not ferry's, or a
 * faulty one. */
enum { FERRY_OPENER_NOT_OURS = -1, FERRY_OPENER_BAD_HEADER = -2 };
int ferry_opener_try(ferry_opener *o, const ferry_peeled *pl, uint64_t bundle_len,
                     const uint8_t spk_sk[FERRY_X25519_LEN],
                     const uint8_t spk_pk[FERRY_X25519_LEN]) FERRY_WUR;
/* After a successful try, on a header that carries a proof: 0 when it
 * was made with this pack word and pack id (opk: the form's one-time
 * public key for a testimony, NULL for a walk-in), compared in constant
 * time; -1 otherwise. Reads the opener only. */
int ferry_opener_check_proof(const ferry_opener *o, const ferry_pack_proof *proof,
                             const uint8_t *opk) FERRY_WUR;
/* After a successful try: derives the payload key. opk_sk/opk_pk are the
 * form's one-time key for a testimony and NULL otherwise. The relay tag
 * is checked at the end under the desk's relay key pairs. */
int ferry_opener_payload_init(ferry_opener *o, const uint8_t *opk_sk,
                              const uint8_t *opk_pk,
                              const ferry_relay_keys *relay) FERRY_WUR;
/* Length of the next ciphertext chunk to pass, or 0 when none is left. */
size_t ferry_opener_next_len(const ferry_opener *o);
/* Decrypts one chunk of exactly ferry_opener_next_len() bytes into out
 * (FERRY_CHUNK_LEN bytes of room). Nothing is written to out unless the
 * chunk's MAC verified. ct is the chunk as it lies in the file; the
 * relays' layers are removed from it in place. */
int ferry_opener_chunk(ferry_opener *o, uint8_t *ct, size_t ct_len, uint8_t *out,
                       size_t *out_len) FERRY_WUR;
/* The same in two steps, for opening on several threads. take accepts
 * the next chunk in file order (its length, and the relay tag over it)
 * and says which chunk it is; it leaves the opener unusable on failure
 * but does not wipe it, so that chunk_at calls still running can finish
 * first (wipe it then). chunk_at removes the layers from ct in place
 * and decrypts and verifies that chunk into out; it only reads the opener, so calls on other threads may overlap
 * with each other and with take. Nothing is written to out unless the
 * chunk's tag verifies. */
int ferry_opener_take(ferry_opener *o, const uint8_t *ct, size_t ct_len,
                      uint64_t *index, int *last) FERRY_WUR;
int ferry_opener_chunk_at(const ferry_opener *o, uint64_t index, int last, uint8_t *ct,
                          size_t ct_len, uint8_t *out, size_t *out_len) FERRY_WUR;
/* Checks the 16-byte relay tag that closes the bundle, over the bytes
 * as they were in the file. */
int ferry_opener_finish(ferry_opener *o, const uint8_t tag[FERRY_MAC_LEN]) FERRY_WUR;
void ferry_opener_wipe(ferry_opener *o);

/* Reads header fields without keys: fixed-position parse of a plaintext
 * header (exposed for tests). */
int ferry_header_parse(ferry_header_info *info,
                       const uint8_t plain[FERRY_HDR_PLAIN_LEN]) FERRY_WUR;

#endif
