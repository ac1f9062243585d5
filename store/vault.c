#include "vault.h"

#include "../common/le.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include "../common/clock.h"
#include "../common/fileio.h"
#include "../common/utf8.h"
#include "../crypto/b32.h"
#include "../trust/word.h"

#define MAGIC          "FERRYVT1"
#define MAGIC_LEN      (sizeof MAGIC - 1)
/* The file's header: magic, KDF algorithm and level, layout, reserved,
 * opslimit, memlimit, salt, then the nonce; all of it is the AEAD's
 * associated data. */
#define SALT_LEN       crypto_pwhash_SALTBYTES
_Static_assert(FERRY_VAULT_SALT_LEN == SALT_LEN, "the vault holds Argon2id's salt");
_Static_assert(FERRY_ID_SK_LEN == crypto_sign_ed25519_SEEDBYTES + FERRY_ID_PK_LEN,
               "an Ed25519 secret key is its seed, then its public key");
#define NONCE_LEN      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define HDR_OFF_NONCE  (MAGIC_LEN + 4 + 8 + 8 + SALT_LEN)
#define HDR_LEN        (HDR_OFF_NONCE + NONCE_LEN)
/* The shortest vault file: the header and the AEAD's tag. */
#define FILE_MIN       (HDR_LEN + crypto_aead_xchacha20poly1305_ietf_ABYTES)
#define VAULT_FILE_MAX (256u << 20)
/* A form: code, state, answers, answered_at, OPK pair, code_answers,
 * code_at, held_bytes (layouts 1 and 2). */
#define FORM_REC                                                                  \
	(FERRY_FORM_CODE_LEN + 1 + 4 + 8 + 2 * FERRY_X25519_LEN + 4 + 8 + 8)
/* A pack's word and its code-only settings (layout 1, with STATE_WORD). */
#define WORD_REC (FERRY_PACK_WORD_LEN + 2 + 2 + 4)
/* The count of a form's answers: one byte in layout 0, four since. */
#define ANSWERS_LEN(version) ((version) == FERRY_VAULT_PLAIN_V0 ? 1u : 4u)
/* In a pack's state byte: the pack is revoked, and its revocation time
 * and reason follow the label. Vaults from before revocation never set
 * it, so they read unchanged. */
#define STATE_REVOKED 0x80
/* In a pack's state byte (layout 1): the pack has a word, and its word
 * record follows the revocation. */
#define STATE_WORD 0x40
/* A wrap key pair and when it was rotated out (layout 2). */
#define WRAP_REC (2 * FERRY_X25519_LEN + 8)
/* The fixed part of a pack: id, state, expires, grace, issued_at, label
 * length, SPK pair, nforms, nseen. */
#define PACK_FIXED                                                                \
	(FERRY_PACK_ID_LEN + 1 + 4 + 2 + 8 + 2 + 2 * FERRY_X25519_LEN + 2 + 4)
/* A pack's questions (layout 3): their length, then when not 0 the
 * paper, the language and the text. */
#define QUESTIONS_HEAD 4
#define QUESTIONS_REC(p)                                                          \
	(QUESTIONS_HEAD + ((p)->questions_len ? 2 + (size_t)(p)->questions_len : 0))
/* The fixed head: identity, log key, log count and head, relay count. */
#define HEAD_FIXED (FERRY_ID_SK_LEN + FERRY_KEY_LEN + 8 + FERRY_HASH_LEN + 1)

static const uint64_t OPS[4] = {0, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                crypto_pwhash_OPSLIMIT_MODERATE,
                                crypto_pwhash_OPSLIMIT_SENSITIVE};
static const uint64_t MEM[4] = {0, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                crypto_pwhash_MEMLIMIT_MODERATE,
                                crypto_pwhash_MEMLIMIT_SENSITIVE};

int ferry_kdf_level_parse(const char *s)
{
	if (!strcmp(s, "interactive"))
		return FERRY_KDF_INTERACTIVE;
	if (!strcmp(s, "moderate"))
		return FERRY_KDF_MODERATE;
	if (!strcmp(s, "sensitive"))
		return FERRY_KDF_SENSITIVE;
	return -1;
}

static int derive_key(ferry_vault *v, const char *pass, size_t passlen)
{
	return crypto_pwhash(v->key, sizeof v->key, pass, passlen, v->salt, v->opslimit,
	                     (size_t)v->memlimit, crypto_pwhash_ALG_ARGON2ID13);
}

ferry_vault *ferry_vault_alloc(void)
{
	ferry_vault *v = sodium_malloc(sizeof *v);
	if (v)
		memset(v, 0, sizeof *v);
	return v;
}

ferry_vault *ferry_vault_create(int level, const char *pass, size_t passlen)
{
	if (level < FERRY_KDF_INTERACTIVE || level > FERRY_KDF_SENSITIVE) {
		errno = EINVAL;
		return NULL;
	}
	ferry_vault *v = ferry_vault_alloc();
	if (!v) {
		errno = ENOMEM;
		return NULL;
	}
	crypto_sign_keypair(v->id_pk, v->id_sk);
	crypto_box_keypair(v->relay.pk[0], v->relay.sk[0]);
	v->relay.n = 1;
	crypto_box_keypair(v->chaff_pk, v->chaff_sk);
	crypto_box_keypair(v->wrap.pk[0], v->wrap.sk[0]);
	v->wrap.n = 1;
	randombytes_buf(v->log_key, sizeof v->log_key);
	randombytes_buf(v->salt, sizeof v->salt);
	v->kdf_level = (uint8_t)level;
	v->opslimit = OPS[level];
	v->memlimit = MEM[level];
	if (derive_key(v, pass, passlen) != 0) {
		ferry_vault_free(v);
		errno = ENOMEM; /* Argon2id could not have its memory */
		return NULL;
	}
	return v;
}

static void free_packs(ferry_vault *v)
{
	for (uint32_t i = 0; i < v->npacks; i++) {
		sodium_free(v->packs[i].forms);
		sodium_free(v->packs[i].seen);
		sodium_free(v->packs[i].questions);
	}
	sodium_free(v->packs);
	v->packs = NULL;
	v->npacks = 0;
}

void ferry_vault_free(ferry_vault *v)
{
	if (!v)
		return;
	free_packs(v);
	sodium_free(v); /* sodium_free wipes before unmapping */
}

/* The plaintext's length in the layout serialize writes (docs/FORMAT.md,
 * "Vault"); ferry_vault_save holds the writer to it. */
static size_t plain_size(const ferry_vault *v)
{
	size_t n = HEAD_FIXED + (size_t)v->relay.n * 2 * FERRY_X25519_LEN +
	           2 * FERRY_X25519_LEN + 4;
	for (uint32_t i = 0; i < v->npacks; i++) {
		const ferry_vault_pack *p = &v->packs[i];
		n += PACK_FIXED + strlen(p->label) + (size_t)p->nforms * FORM_REC +
		     (size_t)p->nseen * FERRY_SEEN_LEN;
		if (p->revoked_at)
			n += 8 + 2 + strlen(p->revoke_reason);
		if (p->has_word)
			n += WORD_REC;
		n += QUESTIONS_REC(p);
	}
	/* The last attestation, then the wrap keys. */
	return n + FERRY_HASH_LEN + 8 + 1 + (size_t)v->wrap.n * WRAP_REC;
}

static void serialize_pack(const ferry_vault_pack *p, ferry_wbuf *w)
{
	size_t ll = strlen(p->label);
	ferry_w_bytes(w, p->pack_id, FERRY_PACK_ID_LEN);
	ferry_w_le(w, p->state | (p->revoked_at ? STATE_REVOKED : 0) |
	                  (p->has_word ? STATE_WORD : 0),
	           1);
	ferry_w_le(w, p->expires_day, 4);
	ferry_w_le(w, p->grace_days, 2);
	ferry_w_le(w, p->issued_at, 8);
	ferry_w_le(w, ll, 2);
	ferry_w_bytes(w, p->label, ll);
	if (p->revoked_at) {
		size_t rl = strlen(p->revoke_reason);
		ferry_w_le(w, p->revoked_at, 8);
		ferry_w_le(w, rl, 2);
		ferry_w_bytes(w, p->revoke_reason, rl);
	}
	if (p->has_word) {
		ferry_w_bytes(w, p->word, FERRY_PACK_WORD_LEN);
		ferry_w_le(w, p->code_days, 2);
		ferry_w_le(w, p->code_max, 2);
		ferry_w_le(w, p->wrong_words, 4);
	}
	ferry_w_bytes(w, p->spk_pk, FERRY_X25519_LEN);
	ferry_w_bytes(w, p->spk_sk, FERRY_X25519_LEN);
	ferry_w_le(w, p->nforms, 2);
	ferry_w_le(w, p->nseen, 4);
	for (uint16_t f = 0; f < p->nforms; f++) {
		const ferry_vault_form *fm = &p->forms[f];
		ferry_w_bytes(w, fm->code, FERRY_FORM_CODE_LEN);
		ferry_w_le(w, fm->state, 1);
		ferry_w_le(w, fm->answers, 4);
		ferry_w_le(w, fm->answered_at, 8);
		ferry_w_bytes(w, fm->opk_pk, FERRY_X25519_LEN);
		ferry_w_bytes(w, fm->opk_sk, FERRY_X25519_LEN);
		ferry_w_le(w, fm->code_answers, 4);
		ferry_w_le(w, fm->code_at, 8);
		ferry_w_le(w, fm->held_bytes, 8);
	}
	if (p->nseen)
		ferry_w_bytes(w, p->seen, (size_t)p->nseen * FERRY_SEEN_LEN);
	ferry_w_le(w, p->questions_len, QUESTIONS_HEAD);
	if (p->questions_len) {
		ferry_w_le(w, p->questions_paper, 1);
		ferry_w_le(w, p->questions_lang, 1);
		ferry_w_bytes(w, p->questions, p->questions_len);
	}
}

/* The plaintext in layout 3, field by field as ferry_vault_parse_plain
 * reads it. */
static void serialize(const ferry_vault *v, ferry_wbuf *w)
{
	ferry_w_bytes(w, v->id_sk, FERRY_ID_SK_LEN);
	ferry_w_bytes(w, v->log_key, FERRY_KEY_LEN);
	ferry_w_le(w, v->log_count, 8);
	ferry_w_bytes(w, v->log_head, FERRY_HASH_LEN);
	ferry_w_le(w, v->relay.n, 1);
	for (unsigned i = 0; i < v->relay.n; i++) {
		ferry_w_bytes(w, v->relay.pk[i], FERRY_X25519_LEN);
		ferry_w_bytes(w, v->relay.sk[i], FERRY_X25519_LEN);
	}
	ferry_w_bytes(w, v->chaff_pk, FERRY_X25519_LEN);
	ferry_w_bytes(w, v->chaff_sk, FERRY_X25519_LEN);
	ferry_w_le(w, v->npacks, 4);
	for (uint32_t i = 0; i < v->npacks; i++)
		serialize_pack(&v->packs[i], w);
	ferry_w_bytes(w, v->last_attest, FERRY_HASH_LEN);
	ferry_w_le(w, v->last_attest_entries, 8);
	ferry_w_le(w, v->wrap.n, 1);
	for (unsigned i = 0; i < v->wrap.n; i++) {
		ferry_w_bytes(w, v->wrap.pk[i], FERRY_X25519_LEN);
		ferry_w_bytes(w, v->wrap.sk[i], FERRY_X25519_LEN);
		ferry_w_le(w, v->wrap_retired[i], 8);
	}
}

/* Seen hashes are public (a hash of the bundle's first bytes), so a
 * plain ordering is fine for them. */
static int seen_cmp(const void *a, const void *b)
{
	return memcmp(a, b, FERRY_SEEN_LEN);
}

static int all_zero(const uint8_t *p, size_t n)
{
	return sodium_is_zero(p, n);
}

/* The relay key pairs and the chaff key pair. */
static int parse_keys(ferry_vault *v, ferry_rd *r)
{
	uint8_t pk[FERRY_X25519_LEN];
	v->relay.n = (unsigned)ferry_rd_le(r, 1);
	if (r->bad || v->relay.n == 0 || v->relay.n > FERRY_RELAY_KEYS_MAX)
		return -1;
	for (unsigned i = 0; i < v->relay.n; i++) {
		ferry_rd_copy(r, v->relay.pk[i], FERRY_X25519_LEN);
		ferry_rd_copy(r, v->relay.sk[i], FERRY_X25519_LEN);
		if (crypto_scalarmult_base(pk, v->relay.sk[i]) != 0 ||
		    sodium_memcmp(pk, v->relay.pk[i], FERRY_X25519_LEN) != 0)
			return -1;
	}
	ferry_rd_copy(r, v->chaff_pk, FERRY_X25519_LEN);
	ferry_rd_copy(r, v->chaff_sk, FERRY_X25519_LEN);
	if (r->bad || crypto_scalarmult_base(pk, v->chaff_sk) != 0 ||
	    sodium_memcmp(pk, v->chaff_pk, FERRY_X25519_LEN) != 0)
		return -1;
	return 0;
}

/* The wrap key pairs, oldest first: only the last is current (never
 * rotated out), the others were rotated out in order. A vault from
 * before them gets a fresh one, which its next save keeps. */
static int parse_wrap_keys(ferry_vault *v, ferry_rd *r)
{
	uint8_t pk[FERRY_X25519_LEN];
	if (v->plain_version < FERRY_VAULT_PLAIN_V2) {
		crypto_box_keypair(v->wrap.pk[0], v->wrap.sk[0]);
		v->wrap.n = 1;
		return 0;
	}
	v->wrap.n = (unsigned)ferry_rd_le(r, 1);
	if (r->bad || v->wrap.n == 0 || v->wrap.n > FERRY_WRAP_KEYS_MAX)
		return -1;
	for (unsigned i = 0; i < v->wrap.n; i++) {
		ferry_rd_copy(r, v->wrap.pk[i], FERRY_X25519_LEN);
		ferry_rd_copy(r, v->wrap.sk[i], FERRY_X25519_LEN);
		v->wrap_retired[i] = ferry_rd_le(r, 8);
		int last = i == v->wrap.n - 1;
		if (r->bad || crypto_scalarmult_base(pk, v->wrap.sk[i]) != 0 ||
		    sodium_memcmp(pk, v->wrap.pk[i], FERRY_X25519_LEN) != 0 ||
		    (v->wrap_retired[i] == 0) != last ||
		    (i > 0 && !last && v->wrap_retired[i] < v->wrap_retired[i - 1]))
			return -1;
	}
	return 0;
}

/* A pack's questions (layout 3): UTF-8 text in lines, the paper and
 * the language in range. 0, FERRY_VAULT_NO_MEMORY, or -1 when they are
 * malformed. */
static int parse_questions(ferry_vault_pack *p, ferry_rd *r)
{
	uint64_t ql = ferry_rd_le(r, QUESTIONS_HEAD);
	if (r->bad || ql > FERRY_VAULT_QUESTIONS_MAX)
		return -1;
	if (ql == 0)
		return 0;
	p->questions_paper = (uint8_t)ferry_rd_le(r, 1);
	p->questions_lang = (uint8_t)ferry_rd_le(r, 1);
	if (r->bad || p->questions_paper >= FERRY_VAULT_PAPERS ||
	    p->questions_lang >= FERRY_VAULT_LANGS || ql > r->len - r->off)
		return -1;
	if (!(p->questions = sodium_malloc((size_t)ql + 1)))
		return FERRY_VAULT_NO_MEMORY;
	p->questions_len = (uint32_t)ql;
	ferry_rd_copy(r, p->questions, (size_t)ql);
	p->questions[ql] = '\0';
	return r->bad || ferry_text_check(p->questions, (size_t)ql,
	                                  FERRY_TEXT_TAB | FERRY_TEXT_LINES) !=
	                     FERRY_TEXT_OK
	           ? -1
	           : 0;
}

int ferry_vault_parse_plain(ferry_vault *v, const uint8_t *in, size_t len)
{
	ferry_rd r = {in, len, 0, 0};
	ferry_rd_copy(&r, v->id_sk, FERRY_ID_SK_LEN);
	memcpy(v->id_pk, v->id_sk + FERRY_ID_SK_LEN - FERRY_ID_PK_LEN, FERRY_ID_PK_LEN);
	ferry_rd_copy(&r, v->log_key, FERRY_KEY_LEN);
	v->log_count = ferry_rd_le(&r, 8);
	ferry_rd_copy(&r, v->log_head, FERRY_HASH_LEN);
	if (parse_keys(v, &r) != 0)
		return -1;
	uint64_t np = ferry_rd_le(&r, 4);
	if (r.bad || np > FERRY_PACKS_MAX * 16)
		return -1;
	if (np) {
		v->packs = sodium_allocarray((size_t)np, sizeof *v->packs);
		if (!v->packs)
			return FERRY_VAULT_NO_MEMORY;
		memset(v->packs, 0, (size_t)np * sizeof *v->packs);
	}
	for (uint64_t i = 0; i < np; i++) {
		ferry_vault_pack *p = &v->packs[i];
		v->npacks = (uint32_t)i + 1;
		ferry_rd_copy(&r, p->pack_id, FERRY_PACK_ID_LEN);
		p->state = (uint8_t)ferry_rd_le(&r, 1);
		p->expires_day = (uint32_t)ferry_rd_le(&r, 4);
		p->grace_days = (uint16_t)ferry_rd_le(&r, 2);
		p->issued_at = ferry_rd_le(&r, 8);
		uint64_t ll = ferry_rd_le(&r, 2);
		if (r.bad || ll > FERRY_LABEL_MAX)
			return -1;
		ferry_rd_copy(&r, p->label, (size_t)ll);
		p->label[ll] = '\0';
		if (p->state & STATE_REVOKED) {
			p->state &= (uint8_t)~STATE_REVOKED;
			p->revoked_at = ferry_rd_le(&r, 8);
			uint64_t rl = ferry_rd_le(&r, 2);
			if (r.bad || rl > FERRY_REASON_MAX || p->revoked_at == 0)
				return -1;
			ferry_rd_copy(&r, p->revoke_reason, (size_t)rl);
			p->revoke_reason[rl] = '\0';
			if (strlen(p->revoke_reason) != rl)
				return -1;
		}
		if (p->state & STATE_WORD) {
			if (v->plain_version == FERRY_VAULT_PLAIN_V0)
				return -1;
			p->state &= (uint8_t)~STATE_WORD;
			p->has_word = 1;
			ferry_rd_copy(&r, p->word, FERRY_PACK_WORD_LEN);
			p->code_days = (uint16_t)ferry_rd_le(&r, 2);
			p->code_max = (uint16_t)ferry_rd_le(&r, 2);
			p->wrong_words = (uint32_t)ferry_rd_le(&r, 4);
			/* code_max fills its 16 bits (FERRY_CODE_MAX_MAX). */
			if (r.bad || p->code_days == 0 ||
			    p->code_days > FERRY_CODE_DAYS_MAX || p->code_max == 0)
				return -1;
		}
		ferry_rd_copy(&r, p->spk_pk, FERRY_X25519_LEN);
		ferry_rd_copy(&r, p->spk_sk, FERRY_X25519_LEN);
		uint64_t nf = ferry_rd_le(&r, 2), ns = ferry_rd_le(&r, 4);
		if (r.bad || nf == 0 || nf > FERRY_FORMS_MAX ||
		    p->grace_days > FERRY_GRACE_MAX ||
		    (p->state != FERRY_PACK_ACTIVE && p->state != FERRY_PACK_RETIRED) ||
		    (p->state == FERRY_PACK_RETIRED && !all_zero(p->spk_sk, FERRY_X25519_LEN)) ||
		    ns > (len - r.off) / FERRY_SEEN_LEN)
			return -1;
		p->forms = sodium_allocarray((size_t)nf, sizeof *p->forms);
		if (!p->forms)
			return FERRY_VAULT_NO_MEMORY;
		p->nforms = (uint16_t)nf;
		for (uint64_t f = 0; f < nf; f++) {
			ferry_vault_form *fm = &p->forms[f];
			ferry_rd_copy(&r, fm->code, FERRY_FORM_CODE_LEN);
			fm->state = (uint8_t)ferry_rd_le(&r, 1);
			fm->answers =
			    (uint32_t)ferry_rd_le(&r, ANSWERS_LEN(v->plain_version));
			fm->answered_at = ferry_rd_le(&r, 8);
			ferry_rd_copy(&r, fm->opk_pk, FERRY_X25519_LEN);
			ferry_rd_copy(&r, fm->opk_sk, FERRY_X25519_LEN);
			if (v->plain_version != FERRY_VAULT_PLAIN_V0) {
				fm->code_answers = (uint32_t)ferry_rd_le(&r, 4);
				fm->code_at = ferry_rd_le(&r, 8);
				fm->held_bytes = ferry_rd_le(&r, 8);
			}
			/* Fail closed: a destroyed key must read as zero. An
			 * open form has only code-only answers; an answered one
			 * has at least one more. */
			if (fm->state > FERRY_FORM_CLOSED ||
			    fm->code_answers > fm->answers ||
			    (fm->code_answers != 0) != (fm->code_at != 0) ||
			    (fm->code_answers && !p->has_word) ||
			    (fm->state == FERRY_FORM_OPEN &&
			     (fm->answers != fm->code_answers || fm->answered_at)) ||
			    (fm->state == FERRY_FORM_GRACE &&
			     (fm->answers == fm->code_answers || !fm->answered_at)) ||
			    (fm->state == FERRY_FORM_CLOSED &&
			     !all_zero(fm->opk_sk, FERRY_X25519_LEN)))
				return -1;
		}
		if (ns) {
			p->seen = sodium_allocarray((size_t)ns, FERRY_SEEN_LEN);
			if (!p->seen)
				return FERRY_VAULT_NO_MEMORY;
			ferry_rd_copy(&r, p->seen, (size_t)ns * FERRY_SEEN_LEN);
			/* Vaults written before the list was kept sorted. */
			qsort(p->seen, (size_t)ns, FERRY_SEEN_LEN, seen_cmp);
		}
		p->nseen = p->seen_cap = (uint32_t)ns;
		int q = v->plain_version >= FERRY_VAULT_PLAIN_V3 ? parse_questions(p, &r) : 0;
		if (q != 0)
			return q;
	}
	if (v->plain_version != FERRY_VAULT_PLAIN_V0) {
		ferry_rd_copy(&r, v->last_attest, FERRY_HASH_LEN);
		v->last_attest_entries = ferry_rd_le(&r, 8);
	}
	if (parse_wrap_keys(v, &r) != 0)
		return -1;
	/* The secret key embeds its public key; a mismatch means damage. */
	uint8_t pk[FERRY_ID_PK_LEN];
	if (crypto_sign_ed25519_sk_to_pk(pk, v->id_sk) != 0 ||
	    memcmp(pk, v->id_pk, FERRY_ID_PK_LEN) != 0)
		return -1;
	return (r.bad || r.off != len) ? -1 : 0;
}

/* The header up to the nonce, which the caller draws. */
static void header(const ferry_vault *v, uint8_t h[HDR_LEN])
{
	ferry_wbuf w = {h, HDR_OFF_NONCE, 0, 0};
	ferry_w_bytes(&w, MAGIC, MAGIC_LEN);
	ferry_w_le(&w, 2, 1); /* Argon2id v1.3 */
	ferry_w_le(&w, v->kdf_level, 1);
	ferry_w_le(&w, FERRY_VAULT_PLAIN_NEWEST, 1); /* the layout serialize writes */
	ferry_w_le(&w, 0, 1);
	ferry_w_le(&w, v->opslimit, 8);
	ferry_w_le(&w, v->memlimit, 8);
	ferry_w_bytes(&w, v->salt, SALT_LEN);
	_Static_assert(8 + 4 + 8 + 8 + SALT_LEN == HDR_OFF_NONCE, "the header's fields");
}

int ferry_vault_save(const ferry_vault *v, const char *path, ferry_err *e)
{
	size_t plen = plain_size(v);
	size_t flen = FILE_MIN + plen;
	uint8_t *plain = sodium_malloc(plen);
	uint8_t *file = sodium_malloc(flen);
	unsigned long long clen = 0;
	int rc = FERRY_EOP;
	if (!plain || !file) {
		ferry_fail(e, FERRY_EOP, "cannot write the vault: out of memory");
		goto out;
	}
	ferry_wbuf w = {plain, plen, 0, 0};
	serialize(v, &w);
	/* Fail closed on a writer and a size that disagree. */
	if (w.bad || w.len != plen) {
		ferry_fail(e, FERRY_EOP,
		           "cannot write the vault: its size (%zu bytes) and its contents (%zu) disagree, a bug; the vault on disk was left as it was",
		           plen, w.len);
		goto out;
	}
	header(v, file);
	randombytes_buf(file + HDR_OFF_NONCE, NONCE_LEN);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(file + HDR_LEN, &clen, plain,
	                                               plen, file, HDR_LEN, NULL,
	                                               file + HDR_OFF_NONCE, v->key) != 0) {
		ferry_fail(e, FERRY_EOP, "cannot write the vault: it could not be encrypted");
		goto out;
	}
	if (ferry_atomic_write(path, file, flen, 0600, 0) != 0)
		ferry_fail(e, FERRY_EOP, "cannot write the vault: %s", strerror(errno));
	else
		rc = FERRY_OK;
out:
	if (plain)
		sodium_free(plain);
	if (file)
		sodium_free(file);
	return rc;
}

size_t ferry_vault_plain_len(size_t flen)
{
	return flen < FILE_MIN ? 0 : flen - FILE_MIN;
}

int ferry_vault_decrypt(const ferry_vault *v, const uint8_t *file, size_t flen,
                        uint8_t *plain)
{
	if (flen < FILE_MIN)
		return -1;
	return crypto_aead_xchacha20poly1305_ietf_decrypt(
	           plain, NULL, NULL, file + HDR_LEN, flen - HDR_LEN, file, HDR_LEN,
	           file + HDR_OFF_NONCE, v->key) == 0
	           ? 0
	           : -1;
}

int ferry_vault_load(ferry_vault **out, const char *path, const char *pass,
                     size_t passlen, ferry_err *e)
{
	uint8_t *file = NULL, *plain = NULL;
	size_t flen = 0;
	ferry_vault *v = NULL;
	int rc = FERRY_EOP;
	*out = NULL;
	if (ferry_read_file(path, VAULT_FILE_MAX, &file, &flen, "the vault", e) != 0)
		return FERRY_EOP;
	if (flen < FILE_MIN ||
	    memcmp(file, MAGIC, MAGIC_LEN) != 0) {
		ferry_fail(e, FERRY_EOP, "not a ferry vault");
		goto out;
	}
	v = ferry_vault_alloc();
	if (!v) {
		ferry_fail(e, FERRY_EOP, "out of memory");
		goto out;
	}
	ferry_rd h = {file + MAGIC_LEN, HDR_OFF_NONCE - MAGIC_LEN, 0, 0};
	int alg = (int)ferry_rd_le(&h, 1), level = (int)ferry_rd_le(&h, 1);
	v->kdf_level = (uint8_t)level;
	v->plain_version = (uint8_t)ferry_rd_le(&h, 1);
	int reserved = (int)ferry_rd_le(&h, 1);
	v->opslimit = ferry_rd_le(&h, 8);
	v->memlimit = ferry_rd_le(&h, 8);
	ferry_rd_copy(&h, v->salt, SALT_LEN);
	/* Refuse costs no ferry writes rather than run an attacker's choice
	 * of a 1 TiB Argon2. */
	if (h.bad || alg != 2 || v->plain_version > FERRY_VAULT_PLAIN_NEWEST || reserved ||
	    level < FERRY_KDF_INTERACTIVE || level > FERRY_KDF_SENSITIVE ||
	    v->opslimit != OPS[level] || v->memlimit != MEM[level]) {
		ferry_fail(e, FERRY_EOP,
		           "vault header is damaged (unknown key derivation settings)");
		goto out;
	}
	if (derive_key(v, pass, passlen) != 0) {
		ferry_fail(e, FERRY_EOP,
		           "not enough memory for the vault's key derivation");
		goto out;
	}
	size_t plen = ferry_vault_plain_len(flen);
	plain = sodium_malloc(plen + 1);
	if (!plain) {
		ferry_fail(e, FERRY_EOP, "out of memory");
		goto out;
	}
	if (ferry_vault_decrypt(v, file, flen, plain) != 0) {
		rc = ferry_fail(e, FERRY_EVERIFY,
		                "wrong passphrase, or the vault file was altered");
		goto out;
	}
	int parsed = ferry_vault_parse_plain(v, plain, plen);
	if (parsed == FERRY_VAULT_NO_MEMORY) {
		ferry_fail(e, FERRY_EOP, "out of memory");
		goto out;
	}
	if (parsed != 0) {
		rc = ferry_fail(e, FERRY_EVERIFY, "vault contents are malformed");
		goto out;
	}
	*out = v;
	v = NULL;
	rc = FERRY_OK;
out:
	if (plain)
		sodium_free(plain);
	free(file);
	ferry_vault_free(v);
	return rc;
}

void ferry_pack_short(char out[5], const uint8_t id[FERRY_PACK_ID_LEN])
{
	char t[16];
	if (ferry_b32_encode(t, sizeof t, id, FERRY_PACK_ID_LEN) != 0)
		t[0] = '\0';
	snprintf(out, 5, "%.4s", t);
}

int ferry_vault_find_pack(const ferry_vault *v, const uint8_t id[FERRY_PACK_ID_LEN])
{
	for (uint32_t i = 0; i < v->npacks; i++)
		if (memcmp(v->packs[i].pack_id, id, FERRY_PACK_ID_LEN) == 0)
			return (int)i;
	return -1;
}

static int code_in_use(const ferry_vault *v, const ferry_vault_form *extra,
                       size_t nextra, const uint8_t code[FERRY_FORM_CODE_LEN])
{
	for (uint32_t i = 0; i < v->npacks; i++)
		for (uint16_t f = 0; f < v->packs[i].nforms; f++)
			if (!memcmp(v->packs[i].forms[f].code, code,
			            FERRY_FORM_CODE_LEN))
				return 1;
	for (size_t i = 0; i < nextra; i++)
		if (!memcmp(extra[i].code, code, FERRY_FORM_CODE_LEN))
			return 1;
	return 0;
}

int ferry_vault_add_pack(ferry_vault *v, uint16_t nforms, const char *label,
                         uint32_t expires_day, uint16_t grace_days, uint32_t *index)
{
	*index = 0;
	if (nforms == 0 || nforms > FERRY_FORMS_MAX || grace_days > FERRY_GRACE_MAX ||
	    strlen(label) > FERRY_LABEL_MAX || v->npacks >= FERRY_PACKS_MAX)
		return -1;
	ferry_vault_pack *np = sodium_allocarray(v->npacks + 1, sizeof *np);
	ferry_vault_form *forms = sodium_allocarray(nforms, sizeof *forms);
	if (!np || !forms) {
		sodium_free(np);
		sodium_free(forms);
		return -1;
	}
	memset(forms, 0, nforms * sizeof *forms);
	if (v->npacks)
		memcpy(np, v->packs, v->npacks * sizeof *np);
	ferry_vault_pack *p = &np[v->npacks];
	memset(p, 0, sizeof *p);
	/* Pack ids are unique, and so are their 4-character short names. */
	for (;;) {
		char s[5];
		randombytes_buf(p->pack_id, FERRY_PACK_ID_LEN);
		ferry_pack_short(s, p->pack_id);
		int clash = 0;
		for (uint32_t i = 0; i < v->npacks; i++) {
			char t[5];
			ferry_pack_short(t, v->packs[i].pack_id);
			clash |= !strcmp(s, t);
		}
		if (!clash)
			break;
	}
	p->state = FERRY_PACK_ACTIVE;
	p->has_word = 1;
	ferry_word_generate(p->word);
	p->code_days = FERRY_CODE_DAYS_DEFAULT;
	p->code_max = FERRY_CODE_MAX_DEFAULT;
	p->expires_day = expires_day;
	p->grace_days = grace_days;
	p->issued_at = ferry_now();
	snprintf(p->label, sizeof p->label, "%s", label);
	crypto_box_keypair(p->spk_pk, p->spk_sk);
	for (uint16_t f = 0; f < nforms; f++) {
		do
			randombytes_buf(forms[f].code, FERRY_FORM_CODE_LEN);
		while (code_in_use(v, forms, f, forms[f].code));
		crypto_box_keypair(forms[f].opk_pk, forms[f].opk_sk);
	}
	p->nforms = nforms;
	p->forms = forms;
	sodium_free(v->packs);
	v->packs = np;
	*index = v->npacks++;
	return 0;
}

/* Where seen is, or would go, in the pack's sorted list. */
static uint32_t seen_slot(const ferry_vault_pack *pk,
                          const uint8_t seen[FERRY_SEEN_LEN], int *found)
{
	uint32_t lo = 0, hi = pk->nseen;
	*found = 0;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = memcmp(pk->seen[mid], seen, FERRY_SEEN_LEN);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int ferry_vault_has_seen(const ferry_vault *v, uint32_t p,
                         const uint8_t seen[FERRY_SEEN_LEN])
{
	int found;
	(void)seen_slot(&v->packs[p], seen, &found);
	return found;
}

int ferry_vault_add_seen(ferry_vault *v, uint32_t p, const uint8_t seen[FERRY_SEEN_LEN])
{
	ferry_vault_pack *pk = &v->packs[p];
	int found;
	uint32_t at = seen_slot(pk, seen, &found);
	if (found)
		return 0;
	if (pk->nseen == UINT32_MAX)
		return -1;
	if (pk->nseen == pk->seen_cap) {
		/* Doubling: adding n hashes copies O(n) bytes in all. */
		uint32_t cap = pk->seen_cap < 64               ? 64
		               : pk->seen_cap > UINT32_MAX / 2 ? UINT32_MAX
		                                               : pk->seen_cap * 2;
		uint8_t(*ns)[FERRY_SEEN_LEN] = sodium_allocarray(cap, FERRY_SEEN_LEN);
		if (!ns)
			return -1;
		if (pk->nseen)
			memcpy(ns, pk->seen, (size_t)pk->nseen * FERRY_SEEN_LEN);
		sodium_free(pk->seen);
		pk->seen = ns;
		pk->seen_cap = cap;
	}
	memmove(pk->seen[at + 1], pk->seen[at],
	        (size_t)(pk->nseen - at) * FERRY_SEEN_LEN);
	memcpy(pk->seen[at], seen, FERRY_SEEN_LEN);
	pk->nseen++;
	return 0;
}

void ferry_vault_retire(ferry_vault *v, uint32_t p)
{
	ferry_vault_pack *pk = &v->packs[p];
	sodium_memzero(pk->spk_sk, sizeof pk->spk_sk);
	/* Nothing opens for the pack any more: its word proves nothing. */
	sodium_memzero(pk->word, sizeof pk->word);
	for (uint16_t f = 0; f < pk->nforms; f++) {
		sodium_memzero(pk->forms[f].opk_sk, FERRY_X25519_LEN);
		if (pk->forms[f].state == FERRY_FORM_GRACE)
			pk->forms[f].state = FERRY_FORM_CLOSED;
	}
	sodium_free(pk->seen);
	pk->seen = NULL;
	pk->nseen = pk->seen_cap = 0;
	pk->state = FERRY_PACK_RETIRED;
}

void ferry_vault_revoke(ferry_vault *v, uint32_t p, uint64_t at, const char *reason)
{
	ferry_vault_pack *pk = &v->packs[p];
	pk->revoked_at = at ? at : 1;
	snprintf(pk->revoke_reason, sizeof pk->revoke_reason, "%s", reason);
}

/* Once every form is closed nothing can open for the pack: it retires. */
static void retire_if_done(ferry_vault *v, uint32_t p)
{
	ferry_vault_pack *pk = &v->packs[p];
	int all = 1;
	for (uint16_t i = 0; i < pk->nforms; i++)
		all &= pk->forms[i].state == FERRY_FORM_CLOSED;
	if (all && pk->state == FERRY_PACK_ACTIVE)
		ferry_vault_retire(v, p);
}

int ferry_vault_set_questions(ferry_vault *v, uint32_t p, const char *text,
                              size_t len, uint8_t paper, uint8_t lang)
{
	if (p >= v->npacks || len == 0 || len > FERRY_VAULT_QUESTIONS_MAX ||
	    paper >= FERRY_VAULT_PAPERS || lang >= FERRY_VAULT_LANGS ||
	    ferry_text_check(text, len, FERRY_TEXT_TAB | FERRY_TEXT_LINES) !=
	        FERRY_TEXT_OK)
		return -1;
	char *q = sodium_malloc(len + 1);
	if (!q)
		return FERRY_VAULT_NO_MEMORY;
	memcpy(q, text, len);
	q[len] = '\0';
	ferry_vault_pack *pk = &v->packs[p];
	sodium_free(pk->questions);
	pk->questions = q;
	pk->questions_len = (uint32_t)len;
	pk->questions_paper = paper;
	pk->questions_lang = lang;
	return 0;
}

void ferry_vault_close_form(ferry_vault *v, uint32_t p, uint32_t f)
{
	if (p >= v->npacks || f >= v->packs[p].nforms)
		return;
	ferry_vault_form *fm = &v->packs[p].forms[f];
	sodium_memzero(fm->opk_sk, sizeof fm->opk_sk);
	if (fm->state == FERRY_FORM_GRACE ||
	    (fm->state == FERRY_FORM_OPEN && fm->code_answers))
		fm->state = FERRY_FORM_CLOSED;
	retire_if_done(v, p);
}

int ferry_vault_mark_answered(ferry_vault *v, uint32_t p, uint32_t f,
                              const uint8_t seen[FERRY_SEEN_LEN], uint64_t when,
                              int proven)
{
	if (p >= v->npacks || f >= v->packs[p].nforms)
		return FERRY_VAULT_NO_SUCH;
	ferry_vault_pack *pk = &v->packs[p];
	ferry_vault_form *fm = &pk->forms[f];
	if (fm->answers == UINT32_MAX)
		return FERRY_VAULT_COUNT_FULL;
	if (pk->state == FERRY_PACK_ACTIVE && ferry_vault_add_seen(v, p, seen) != 0)
		return FERRY_VAULT_NO_MEMORY;
	fm->answers++;
	if (!proven && pk->has_word) {
		/* Counted, and the key kept; only a pack-proven answer starts
		 * the grace period, so a forger cannot start the clock on the
		 * genuine testimony. */
		fm->code_answers++;
		if (!fm->code_at)
			fm->code_at = when ? when : 1;
		return 0;
	}
	if (fm->state == FERRY_FORM_OPEN) {
		fm->state = FERRY_FORM_GRACE;
		fm->answered_at = when;
		if (pk->grace_days == 0)
			ferry_vault_close_form(v, p, f);
	}
	return 0;
}

int ferry_vault_form_due(const ferry_vault_pack *pk, const ferry_vault_form *fm,
                         uint64_t now)
{
	if (fm->state == FERRY_FORM_GRACE)
		return now >= fm->answered_at + (uint64_t)pk->grace_days * FERRY_DAY_SECONDS;
	if (fm->state != FERRY_FORM_OPEN || fm->code_answers == 0)
		return 0;
	/* Only code-only answers: the key is kept code_days after the first,
	 * or until the pack's expiry day ends, whichever is first. */
	uint64_t end = fm->code_at + (uint64_t)pk->code_days * FERRY_DAY_SECONDS;
	if (pk->expires_day) {
		uint64_t expiry = ((uint64_t)pk->expires_day + 1) * FERRY_DAY_SECONDS;
		if (expiry < end)
			end = expiry;
	}
	return now >= end;
}

int ferry_vault_pack_expired(const ferry_vault_pack *pk, uint64_t now)
{
	/* The expiry day is the last day forms may be sealed: the pack
	 * expires at its end, and its keys go a grace period later. */
	uint64_t end =
	    ((uint64_t)pk->expires_day + 1 + pk->grace_days) * FERRY_DAY_SECONDS;
	return pk->expires_day != 0 && now >= end;
}

int ferry_vault_add_relay_key(ferry_vault *v)
{
	if (v->relay.n >= FERRY_RELAY_KEYS_MAX)
		return -1;
	crypto_box_keypair(v->relay.pk[v->relay.n], v->relay.sk[v->relay.n]);
	v->relay.n++;
	return 0;
}

int ferry_vault_rotate_wrap_key(ferry_vault *v, uint64_t now)
{
	unsigned n = v->wrap.n;
	if (n >= FERRY_WRAP_KEYS_MAX || n == 0)
		return -1;
	v->wrap_retired[n - 1] = now ? now : 1;
	crypto_box_keypair(v->wrap.pk[n], v->wrap.sk[n]);
	v->wrap_retired[n] = 0;
	v->wrap.n = n + 1;
	return 0;
}

unsigned ferry_vault_expire_wrap_keys(ferry_vault *v, uint64_t now)
{
	unsigned gone = 0;
	const uint64_t transit = (uint64_t)FERRY_WRAP_TRANSIT_DAYS * FERRY_DAY_SECONDS;
	/* Oldest first, and never the current one (retired 0). */
	while (v->wrap.n > 1 && v->wrap_retired[0] &&
	       now >= v->wrap_retired[0] + transit) {
		sodium_memzero(v->wrap.sk[0], FERRY_X25519_LEN);
		for (unsigned i = 0; i + 1 < v->wrap.n; i++) {
			memcpy(v->wrap.pk[i], v->wrap.pk[i + 1], FERRY_X25519_LEN);
			memcpy(v->wrap.sk[i], v->wrap.sk[i + 1], FERRY_X25519_LEN);
			v->wrap_retired[i] = v->wrap_retired[i + 1];
		}
		v->wrap.n--;
		sodium_memzero(v->wrap.sk[v->wrap.n], FERRY_X25519_LEN);
		sodium_memzero(v->wrap.pk[v->wrap.n], FERRY_X25519_LEN);
		v->wrap_retired[v->wrap.n] = 0;
		gone++;
	}
	return gone;
}

void ferry_vault_drop_old_relay_keys(ferry_vault *v)
{
	unsigned last = v->relay.n - 1;
	if (v->relay.n <= 1)
		return;
	memcpy(v->relay.pk[0], v->relay.pk[last], FERRY_X25519_LEN);
	memcpy(v->relay.sk[0], v->relay.sk[last], FERRY_X25519_LEN);
	for (unsigned i = 1; i < FERRY_RELAY_KEYS_MAX; i++) {
		sodium_memzero(v->relay.sk[i], FERRY_X25519_LEN);
		sodium_memzero(v->relay.pk[i], FERRY_X25519_LEN);
	}
	v->relay.n = 1;
}

void ferry_vault_pack_public(const ferry_vault *v, uint32_t p, ferry_pack *out)
{
	const ferry_vault_pack *pk = &v->packs[p];
	memset(out, 0, sizeof *out);
	memcpy(out->identity_pk, v->id_pk, FERRY_ID_PK_LEN);
	memcpy(out->pack_id, pk->pack_id, FERRY_PACK_ID_LEN);
	out->expires_day = pk->expires_day;
	memcpy(out->spk, pk->spk_pk, FERRY_X25519_LEN);
	memcpy(out->relay_pk, v->relay.pk[v->relay.n - 1], FERRY_X25519_LEN);
	out->nforms = pk->nforms;
	for (uint16_t f = 0; f < pk->nforms; f++) {
		memcpy(out->forms[f].code, pk->forms[f].code, FERRY_FORM_CODE_LEN);
		memcpy(out->forms[f].opk, pk->forms[f].opk_pk, FERRY_X25519_LEN);
	}
}
