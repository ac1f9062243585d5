/* The ferry bundle, v1: epk | commitment | header | payload | relay tag.
 * Byte layout and key schedule: docs/FORMAT.md, "Bundle".
 *
 * This module does no allocation, no printing and no file I/O: sealed
 * bytes leave through a caller-supplied write function, and the opener
 * is fed one ciphertext chunk at a time. Contexts are plain structs so
 * that callers can place them in sodium_malloc memory. */
#ifndef FERRY_BUNDLE_H
#define FERRY_BUNDLE_H

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

#include "padme.h"

#define FERRY_WUR __attribute__((warn_unused_result))

enum {
	FERRY_KIND_TESTIMONY = 1, /* sealed to a form: SPK and the form's OPK */
	FERRY_KIND_WALKIN = 2,    /* sealed to a pack's SPK alone */
	FERRY_KIND_CHAFF = 3,     /* relay-made cover traffic, SPK alone */
};

#define FERRY_EPK_LEN       32u
#define FERRY_COMMIT_LEN    32u
#define FERRY_HDR_PLAIN_LEN 64u
#define FERRY_HDR_CT_LEN    80u
#define FERRY_CHUNK_CT_LEN  (FERRY_CHUNK_LEN + FERRY_CHUNK_OVERHEAD)
#define FERRY_NO_FORM       UINT32_C(0xffffffff)

/* Returns 0 when all len bytes were written, -1 otherwise. */
typedef int (*ferry_write_fn)(void *io, const uint8_t *buf, size_t len);

typedef struct {
	uint8_t version;
	uint8_t kind;
	uint32_t form_index; /* FERRY_NO_FORM unless kind is testimony */
} ferry_header_info;

typedef struct {
	crypto_secretstream_xchacha20poly1305_state ss;
	crypto_onetimeauth_state tag;
	ferry_write_fn write;
	void *io;
	uint64_t plain_len; /* payload plaintext pushed so far */
	size_t buf_len;
	int state; /* 0 unused, 1 open, 2 finished, -1 failed */
	uint8_t buf[FERRY_CHUNK_LEN];
	uint8_t ct[FERRY_CHUNK_CT_LEN];
} ferry_sealer;

/* Starts a bundle: fresh ephemeral key, header, stream. opk is required
 * for FERRY_KIND_TESTIMONY and must be NULL otherwise. The first 144
 * bytes are written before this returns. */
int ferry_sealer_begin(ferry_sealer *s, uint8_t kind, uint32_t form_index,
                       const uint8_t spk[32], const uint8_t *opk,
                       const uint8_t relay_key[32], ferry_write_fn write,
                       void *io) FERRY_WUR;
/* Pushes container bytes. */
int ferry_sealer_update(ferry_sealer *s, const uint8_t *p, size_t n) FERRY_WUR;
/* Pads to the bundle size, writes the final chunk and the relay tag. */
int ferry_sealer_finish(ferry_sealer *s, uint64_t *bundle_len) FERRY_WUR;
/* Wipes every key and buffer; safe to call at any point. */
void ferry_sealer_wipe(ferry_sealer *s);

typedef struct {
	crypto_secretstream_xchacha20poly1305_state ss;
	crypto_onetimeauth_state tag;
	ferry_header_info info;
	uint8_t prefix[FERRY_PREFIX_LEN]; /* as read, for the relay tag */
	uint8_t epk[32];                  /* top bit cleared */
	uint8_t spk[32];
	uint8_t dh1[32];
	uint8_t ss_header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
	uint64_t bundle_len;
	uint64_t plain_len;  /* payload plaintext length implied by bundle_len */
	uint64_t plain_done; /* plaintext released so far */
	int state; /* 0 unused, 1 header open, 2 streaming, 3 final seen, -1 failed */
} ferry_opener;

/* Tries to open the header of a bundle of bundle_len bytes whose first
 * 144 bytes are prefix, with one pack's SPK key pair. 0 when the
 * commitment and the header AEAD both check and every reserved field is
 * zero; -1 otherwise (the opener is then wiped). */
int ferry_opener_try(ferry_opener *o, const uint8_t prefix[FERRY_PREFIX_LEN],
                     uint64_t bundle_len, const uint8_t spk_sk[32],
                     const uint8_t spk_pk[32]) FERRY_WUR;
/* After a successful try: derives the payload key. opk_sk/opk_pk are the
 * form's one-time key for a testimony and NULL otherwise. relay_key is
 * used to check the relay tag at the end. */
int ferry_opener_payload_init(ferry_opener *o, const uint8_t *opk_sk,
                              const uint8_t *opk_pk,
                              const uint8_t relay_key[32]) FERRY_WUR;
/* Length of the next ciphertext chunk to pass, or 0 when none is left. */
size_t ferry_opener_next_len(const ferry_opener *o);
/* Decrypts one chunk of exactly ferry_opener_next_len() bytes into out
 * (FERRY_CHUNK_LEN bytes of room). Nothing is written to out unless the
 * chunk's MAC verified. */
int ferry_opener_chunk(ferry_opener *o, const uint8_t *ct, size_t ct_len, uint8_t *out,
                       size_t *out_len) FERRY_WUR;
/* Checks the 16-byte relay tag that closes the bundle. */
int ferry_opener_finish(ferry_opener *o, const uint8_t tag[16]) FERRY_WUR;
void ferry_opener_wipe(ferry_opener *o);

/* The relay tag key for a bundle whose first 32 bytes are epk_raw. */
int ferry_relaytag_key(uint8_t key[32], const uint8_t relay_key[32],
                       const uint8_t epk_raw[32]) FERRY_WUR;

/* Reads header fields without keys: fixed-position parse of a plaintext
 * header (exposed for tests). */
int ferry_header_parse(ferry_header_info *info, uint8_t ss_header[24],
                       const uint8_t plain[FERRY_HDR_PLAIN_LEN]) FERRY_WUR;

#endif
