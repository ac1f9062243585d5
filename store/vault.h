/* The vault: every secret the desk holds, in one file encrypted under
 * Argon2id(passphrase). docs/FORMAT.md, "Vault". The in-memory vault
 * lives in sodium_malloc memory; free it with ferry_vault_free. */
#ifndef FERRY_VAULT_H
#define FERRY_VAULT_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"
#include "../crypto/bundle.h"
#include "../crypto/sizes.h"

#include "../trust/pack.h"

#define FERRY_LABEL_MAX  200
#define FERRY_REASON_MAX 200
#define FERRY_SEEN_LEN   16
/* Argon2id's salt: libsodium's crypto_pwhash_SALTBYTES, asserted in
 * vault.c (this header does not include sodium.h). */
#define FERRY_VAULT_SALT_LEN 16

enum { FERRY_KDF_INTERACTIVE = 1, FERRY_KDF_MODERATE = 2, FERRY_KDF_SENSITIVE = 3 };
#define FERRY_GRACE_DEFAULT                                                            \
	14 /* days a form's one-time key outlives its first answer */
#define FERRY_GRACE_MAX 365

enum { FERRY_PACK_ACTIVE = 1, FERRY_PACK_RETIRED = 2 };
enum {
	FERRY_FORM_OPEN = 0,  /* not answered yet */
	FERRY_FORM_GRACE = 1, /* answered; its one-time key kept for the grace period */
	FERRY_FORM_CLOSED = 2, /* answered; its one-time key destroyed */
};

typedef struct {
	uint8_t code[FERRY_FORM_CODE_LEN];
	uint8_t state;
	uint32_t answers;     /* testimonies opened for it; never wraps */
	uint64_t answered_at; /* unix seconds of the first pack-proven one
	                       * (the first one, for a pack without a word), 0
	                       * while open */
	/* Answers sealed with the form's code alone (no or a wrong pack
	 * word), counted in answers too; the first one's time; and the bytes
	 * of its bundles held in quarantine as answered too often. */
	uint32_t code_answers;
	uint64_t code_at;
	uint64_t held_bytes;
	uint8_t opk_pk[FERRY_X25519_LEN];
	uint8_t opk_sk[FERRY_X25519_LEN]; /* all zero once closed */
} ferry_vault_form;

typedef struct {
	uint8_t pack_id[FERRY_PACK_ID_LEN];
	uint8_t state;
	uint32_t expires_day; /* last day its forms may be sealed; 0 = never */
	uint16_t grace_days;
	uint64_t issued_at;
	char label[FERRY_LABEL_MAX + 1];
	uint8_t spk_pk[FERRY_X25519_LEN];
	uint8_t spk_sk[FERRY_X25519_LEN]; /* all zero once the pack retires */
	uint16_t nforms;
	ferry_vault_form *forms; /* sodium_allocarray */
	uint32_t nseen, seen_cap;
	uint8_t (*seen)[FERRY_SEEN_LEN]; /* hashes of opened bundles' epk, sorted */
	/* Revoked: believed compromised. Its bundles still open, into cases
	 * that say they may be forged. 0 when not revoked. */
	uint64_t revoked_at;
	char revoke_reason[FERRY_REASON_MAX + 1];
	/* The pack word (trust/word.h). Packs issued before it existed have
	 * none and keep the rules they were issued under: every answer counts
	 * as the pack's. */
	uint8_t has_word;
	uint8_t word[FERRY_PACK_WORD_LEN];
	uint16_t code_days;   /* a code-only answer keeps the key this long */
	uint16_t code_max;    /* code-only answers a form opens before holding */
	uint32_t wrong_words; /* bundles whose pack proof did not verify */
	/* The questions printed on its forms (issue --questions) as the
	 * canonical questions file ferry_questions_write makes, with the
	 * paper and language they were printed in, so the report shows each
	 * page's questions beside its answers. NULL when none (packs issued
	 * without questions, or before layout 3). Not a key: kept when the
	 * pack retires. */
	char *questions; /* sodium_malloc, NUL-terminated */
	uint32_t questions_len;
	uint8_t questions_paper; /* FERRY_PAPER_* (forms/sheet.h) */
	uint8_t questions_lang;  /* FERRY_LANG_* (forms/sheet.h) */
} ferry_vault_pack;

/* A pack's questions text: far above the largest canonical questions
 * file (FERRY_QUESTIONS_TEXT_MAX in forms/questions.h, asserted in
 * desk/desk.c). Papers and languages are counted here so that the vault
 * does not depend on the forms. */
#define FERRY_VAULT_QUESTIONS_MAX (64u << 10)
#define FERRY_VAULT_PAPERS        2u
#define FERRY_VAULT_LANGS         3u

#define FERRY_CODE_DAYS_DEFAULT 90
#define FERRY_CODE_DAYS_MAX     365
#define FERRY_CODE_MAX_DEFAULT  8
#define FERRY_CODE_MAX_MAX      UINT16_MAX
/* Bytes of one form's bundles held in quarantine as answered too often;
 * past it they stay in intake. */
#define FERRY_HELD_BUDGET (256ull << 20)

typedef struct {
	uint8_t id_sk[FERRY_ID_SK_LEN];
	uint8_t id_pk[FERRY_ID_PK_LEN];
	ferry_relay_keys relay; /* newest last: new packs carry its public key */
	uint8_t chaff_pk[FERRY_X25519_LEN];
	uint8_t chaff_sk[FERRY_X25519_LEN];
	/* Wrap key pairs (relays wrap every hop to the newest, the last);
	 * each older one with the time it was rotated out, destroyed
	 * FERRY_WRAP_TRANSIT_DAYS after that. */
	ferry_wrap_keys wrap;
	uint64_t wrap_retired[FERRY_WRAP_KEYS_MAX];
	uint8_t log_key[FERRY_KEY_LEN];
	uint64_t log_count;
	uint8_t log_head[FERRY_HASH_LEN];
	uint32_t npacks;
	ferry_vault_pack *packs; /* sodium_allocarray */
	/* file key and its derivation */
	uint8_t kdf_level;
	uint64_t opslimit, memlimit;
	uint8_t salt[FERRY_VAULT_SALT_LEN];
	uint8_t key[FERRY_KEY_LEN];
	/* SHA-256 of the last log attestation this desk wrote (zero: none
	 * yet) and the entries it covered: the next one names it as its
	 * previous, so a chain of statements exposes a desk rolled back
	 * between two of them. Layout 1 only. */
	uint8_t last_attest[FERRY_HASH_LEN];
	uint64_t last_attest_entries;
	/* The plaintext layout the file was read in (FERRY_VAULT_PLAIN_*);
	 * a save always writes the newest. */
	uint8_t plain_version;
} ferry_vault;

/* Plaintext layouts, named in the header's first reserved byte: 0 kept a
 * form's answers in one byte, which stuck at 255; 1 keeps four; 2 adds
 * the wrap keys (a vault read in an older layout gets a fresh one); 3
 * adds each pack's questions. */
enum {
	FERRY_VAULT_PLAIN_V0 = 0,
	FERRY_VAULT_PLAIN_V1 = 1,
	FERRY_VAULT_PLAIN_V2 = 2,
	FERRY_VAULT_PLAIN_V3 = 3,
	FERRY_VAULT_PLAIN_NEWEST = FERRY_VAULT_PLAIN_V3
};

/* How long a rotated-out wrap key is kept: the longest a bundle may take
 * from its last relay to the desk. After it, a seizure of the desk and
 * of recorded traffic cannot link the hops of what passed before. */
#define FERRY_WRAP_TRANSIT_DAYS 30u

/* A new vault with fresh identity, relay, chaff and log keys; the file key is
 * derived from pass at the chosen cost. NULL with errno EINVAL for an
 * unknown level, ENOMEM when the vault or Argon2id gets no memory. */
ferry_vault *ferry_vault_create(int kdf_level, const char *pass, size_t passlen);
/* Reads and decrypts a vault. FERRY_EVERIFY when the passphrase is
 * wrong or the vault was altered (the two cannot be told apart),
 * FERRY_EOP when the file is not a vault or cannot be read. */
int ferry_vault_load(ferry_vault **v, const char *path, const char *pass,
                     size_t passlen, ferry_err *e) FERRY_WUR;
/* Atomically rewrites the vault file (temp, fsync, rename, fsync dir);
 * FERRY_EOP, saying whether memory or the disk failed, leaves the old
 * file as it was. */
int ferry_vault_save(const ferry_vault *v, const char *path, ferry_err *e) FERRY_WUR;
void ferry_vault_free(ferry_vault *v);

/* Adds a pack with nforms forms and fresh keys; returns its index. */
int ferry_vault_add_pack(ferry_vault *v, uint16_t nforms, const char *label,
                         uint32_t expires_day, uint16_t grace_days,
                         uint32_t *index) FERRY_WUR;
/* ferry_vault_mark_answered's failures, apart so that no caller guesses
 * which: no such pack or form, the form's answer count full, or out of
 * memory. */
enum {
	FERRY_VAULT_NO_SUCH = -1,
	FERRY_VAULT_COUNT_FULL = -2,
	FERRY_VAULT_NO_MEMORY = -3,
};
/* Records a testimony for form f of pack p opened at when (0, or one of
 * the failures above; the caller refuses a bundle for a form whose count
 * is full before it opens it). A
 * pack-proven one (proven: sealed with the pack word, or any answer for a
 * pack without a word) starts the grace period if it is the first (or,
 * with no grace, destroys the one-time key at once); a code-only one
 * counts, and never starts or shortens a grace period. Remembers the
 * bundle; retires the pack once every form is closed. */
int ferry_vault_mark_answered(ferry_vault *v, uint32_t p, uint32_t f,
                              const uint8_t seen[FERRY_SEEN_LEN], uint64_t when,
                              int proven) FERRY_WUR;
/* Keeps the questions printed on pack p's forms (len bytes of UTF-8
 * text, lines and tabs allowed, at most FERRY_VAULT_QUESTIONS_MAX) and
 * the paper and language they were printed in; replaces any kept
 * before. 0, FERRY_VAULT_NO_MEMORY, or -1 when the pack, the text, the
 * paper or the language is refused. */
int ferry_vault_set_questions(ferry_vault *v, uint32_t p, const char *text,
                              size_t len, uint8_t paper, uint8_t lang) FERRY_WUR;
/* Destroys form f's one-time key (its grace period is over). */
void ferry_vault_close_form(ferry_vault *v, uint32_t p, uint32_t f);
/* 1 when form f's one-time key must go at now: its grace period after
 * the first pack-proven answer is over, or, with code-only answers and
 * none proven, code_days after the first of them or the end of the
 * pack's expiry day, whichever comes first. */
int ferry_vault_form_due(const ferry_vault_pack *pk, const ferry_vault_form *fm,
                         uint64_t now);
/* 1 when the pack is past its expiry date and grace period at now. */
int ferry_vault_pack_expired(const ferry_vault_pack *pk, uint64_t now);
/* A new relay key pair, carried by the packs issued from now on; the
 * older ones stay until ferry_vault_drop_old_relay_keys. */
int ferry_vault_add_relay_key(ferry_vault *v) FERRY_WUR;
/* A new wrap key pair for relays to wrap to from now on; the one it
 * replaces is kept, marked rotated out at now. -1 when the desk already
 * holds FERRY_WRAP_KEYS_MAX (ferry_vault_expire_wrap_keys frees them). */
int ferry_vault_rotate_wrap_key(ferry_vault *v, uint64_t now) FERRY_WUR;
/* Destroys every rotated-out wrap key whose transit time is over at now;
 * returns how many. */
unsigned ferry_vault_expire_wrap_keys(ferry_vault *v, uint64_t now);
void ferry_vault_drop_old_relay_keys(ferry_vault *v);
int ferry_vault_add_seen(ferry_vault *v, uint32_t p,
                         const uint8_t seen[FERRY_SEEN_LEN]) FERRY_WUR;
int ferry_vault_has_seen(const ferry_vault *v, uint32_t p,
                         const uint8_t seen[FERRY_SEEN_LEN]);
/* Destroys the pack's SPK secret, every one-time key and its replay list. */
void ferry_vault_retire(ferry_vault *v, uint32_t p);
/* Marks the pack revoked at `at` for reason (one line of UTF-8, at most
 * FERRY_REASON_MAX bytes; checked by the caller); keeps its keys. */
void ferry_vault_revoke(ferry_vault *v, uint32_t p, uint64_t at, const char *reason);
int ferry_vault_find_pack(const ferry_vault *v, const uint8_t id[FERRY_PACK_ID_LEN]);
/* The pack's public side as handed out (pack file contents). */
void ferry_vault_pack_public(const ferry_vault *v, uint32_t p, ferry_pack *out);
/* Short pack name used in file names: 4 base32 characters of the id. */
void ferry_pack_short(char out[5], const uint8_t id[FERRY_PACK_ID_LEN]);

int ferry_kdf_level_parse(const char *s);

/* The plaintext length of a vault file of flen bytes (0 when too short),
 * and the plaintext of that file under v's file key: 0, or -1 when it
 * does not verify. plain holds ferry_vault_plain_len(flen) bytes.
 * ferry_vault_load's own decryption, exposed for the tests and the fuzz
 * seed, which read what a save wrote. */
size_t ferry_vault_plain_len(size_t flen);
int ferry_vault_decrypt(const ferry_vault *v, const uint8_t *file, size_t flen,
                        uint8_t *plain) FERRY_WUR;
/* Parses decrypted vault contents, in the layout v->plain_version names,
 * into an empty vault from ferry_vault_alloc (exposed for the fuzz
 * target): 0, FERRY_VAULT_NO_MEMORY, or -1 when the contents are
 * malformed. */
ferry_vault *ferry_vault_alloc(void);
int ferry_vault_parse_plain(ferry_vault *v, const uint8_t *in, size_t len) FERRY_WUR;

#endif
