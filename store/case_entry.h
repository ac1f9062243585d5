/* The desk's log entries: a case (testimony or walk-in), whose text also
 * heads the case's manifest.txt, and the destruction of keys (a form's
 * one-time key after its grace period, a pack's keys after it expired).
 * One type with its writer and its parser, so what open and expire write
 * is exactly what recovery reads back (docs/FORMAT.md, "Log": the entry
 * text). */
#ifndef FERRY_CASE_ENTRY_H
#define FERRY_CASE_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"
#include "../common/io.h"
#include "../trust/pack.h"
#include "vault.h"

#define FERRY_CASE_NAME_MAX 64

enum {
	FERRY_ENTRY_TESTIMONY = 1,
	FERRY_ENTRY_WALKIN = 2,
	FERRY_ENTRY_KEY_DESTROYED = 3, /* a form's one-time key, its grace over */
	FERRY_ENTRY_PACK_EXPIRED = 4,  /* a pack's keys, its expiry and grace over */
	FERRY_ENTRY_PACK_RETIRED = 5,  /* a pack's keys, retired by the journalist */
	FERRY_ENTRY_PACK_REVOKED = 6,  /* a pack believed compromised; keys kept */
	FERRY_ENTRY_NOTE = 7,          /* the journalist's note on a case */
};

/* How a case was sealed (the "sealed-with" field). A pack without a
 * word (issued before pack words) has no such field: unchecked. */
enum {
	FERRY_SEALED_UNCHECKED = 0,
	FERRY_SEALED_PACK = 1,       /* with the pack word: a pack holder */
	FERRY_SEALED_CODE = 2,       /* with a seal code alone */
	FERRY_SEALED_WRONG_WORD = 3, /* with a pack proof that did not verify */
};

typedef struct {
	int kind;
	uint64_t at; /* unix seconds: opened, or destroyed */
	uint8_t pack_id[FERRY_PACK_ID_LEN];
	char form[FERRY_CODE_TEXT_LEN + 1]; /* empty for walk-ins and packs */
	uint32_t form_index;                /* from 0; FERRY_NO_FORM when none */
	/* cases only */
	uint8_t seen[FERRY_SEEN_LEN];
	char case_name[FERRY_CASE_NAME_MAX];
	uint64_t bundle_bytes;
	unsigned answer; /* 1 for a form's first testimony */
	int sealed_with; /* FERRY_SEALED_* */
	char same_pages[FERRY_CASE_NAME_MAX]; /* an earlier case of the form with
	                                       * the very same pages, or "" */
	int admitted;    /* opened from quarantine on the journalist's word */
	char first_case
	    [FERRY_CASE_NAME_MAX]; /* the form's first case, when answer > 1 */
	/* destructions only */
	uint16_t grace_days;
	uint32_t expires_day;
	/* a case from a revoked pack, and a revocation: when and why */
	uint64_t revoked_at;
	char reason[FERRY_REASON_MAX + 1];
	/* notes only: the text (not owned; written, never parsed) */
	const char *note;
} ferry_case_entry;

/* Appends the entry's text to out; for a case, up to and including
 * "items:" (the item lines follow). FERRY_EUSAGE when a field is refused
 * (a reason or note that is not safe text, a field too long to fit),
 * FERRY_EOP when out cannot grow. */
int ferry_case_entry_write(const ferry_case_entry *c, ferry_membuf *out,
                           ferry_err *e) FERRY_WUR;
/* Reads back what recovery and the case list need (kind, time, pack-id,
 * form-index, seen, case, answer, and a revocation's reason) from an
 * entry's text; FERRY_EVERIFY when a field is missing or malformed. */
int ferry_case_entry_parse(ferry_case_entry *c, const char *text,
                           ferry_err *e) FERRY_WUR;
/* "pack", "code" or "wrong-word"; NULL for FERRY_SEALED_UNCHECKED. */
const char *ferry_sealed_with_name(int sealed_with);
/* The words a form answered more than once carries in its manifests. */
int ferry_answered_twice_text(char *out, size_t cap, const char *form,
                              const char *first_case, const char *this_case) FERRY_WUR;

/* A note's text as the entry holds it: from the line after "text:",
 * each line without its two-space indent, into out, which is then a
 * NUL-terminated string (ferry_membuf keeps one). FERRY_EVERIFY when
 * the entry has no such text, FERRY_EOP when out cannot grow. */
int ferry_note_text(const char *entry, ferry_membuf *out, ferry_err *e) FERRY_WUR;
/* Checks a note or a reason: UTF-8, no control characters but newline
 * (notes only) and tab. */
int ferry_text_ok(const char *text, size_t len, int multiline);

/* One item line of a case's manifest (docs/FORMAT.md, "Log"):
 *   "  " NAME " " SIZE " bytes blake2b-256:" HEX64
 *       [ "; orientation " N ] [ "; removed by the sealer: " REPORT ]
 * written by the desk as it opens a bundle, read back by the report and
 * the same-pages check: the format's writer and parser side by side. */
#define FERRY_ITEM_NAME_MAX 63
typedef struct {
	char name[FERRY_ITEM_NAME_MAX + 1]; /* page-01.jpg: letters, digits, . - _ */
	uint64_t size;
	uint8_t hash[FERRY_HASH_LEN];
	unsigned orientation; /* 1..8, or 0 for none */
	const char *report;   /* parse: into the line, report_len bytes; NULL: none */
	size_t report_len;
} ferry_item_line;
/* Appends it's line (report, when not NULL, is report_len bytes). */
int ferry_item_line_write(ferry_membuf *out, const ferry_item_line *it) FERRY_WUR;
/* Parses the line at l (ending at end, its newline not included): 0, or
 * -1 when it is not an item line. */
int ferry_item_line_parse(ferry_item_line *it, const char *l, const char *end) FERRY_WUR;

#endif
