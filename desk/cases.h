/* The journalist's view of the cases, read from the log (the encrypted
 * record of what arrived), not from the case folders, which anyone with
 * the disk could have changed; and notes on a case, appended to the log
 * like every entry. */
#ifndef FERRY_CASES_H
#define FERRY_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "../store/case_entry.h"
#include "desk.h"

#define FERRY_NOTE_MAX (64u << 10)

typedef struct {
	char name[FERRY_CASE_NAME_MAX]; /* the folder in cases/ */
	int kind;                       /* FERRY_ENTRY_TESTIMONY or _WALKIN */
	char form[FERRY_CODE_TEXT_LEN + 1];
	uint32_t pack; /* index in the vault */
	uint64_t opened_at, seq;
	unsigned pages, answers, attachments, notes;
	int answered_twice;     /* its form was answered more than once */
	int revoked_at_open;    /* its pack was revoked when it opened */
	int revoked_since;      /* its pack was revoked after it opened */
	int sealed_with;        /* FERRY_SEALED_*: code-only cases are marked */
	int admitted;           /* opened from quarantine on the journalist's word */
	char same_pages[FERRY_CASE_NAME_MAX]; /* an earlier case, the same pages */
	uint8_t entry_hash[FERRY_HASH_LEN]; /* BLAKE2b-256 of the log entry's text */
} ferry_case_info;

typedef struct {
	ferry_case_info *cases;
	size_t n, cap;
} ferry_case_list;

/* Verifies the log and lists its cases in the order they opened. */
int ferry_desk_cases(ferry_desk *d, ferry_case_list *l, ferry_err *e) FERRY_WUR;
/* The same, calling each for every entry as the list grows: i is the
 * index of the case the entry is (a case) or is about (a note), -1 for
 * other entries; a failure from each (which fills e) stops the walk and
 * is the walk's. */
typedef int (*ferry_case_entry_fn)(void *u, const ferry_case_list *l, long i,
                                   const ferry_case_entry *ce, const char *text,
                                   ferry_err *e);
int ferry_desk_cases_walk(ferry_desk *d, ferry_case_list *l, ferry_case_entry_fn each,
                          void *u, ferry_err *e) FERRY_WUR;
void ferry_case_list_free(ferry_case_list *l);
/* The index of the case named name (with or without "cases/"), or -1. */
long ferry_case_find(const ferry_case_list *l, const char *name);

/* Calls visit with the text of the case's log entry and of each note on
 * it, in log order (the log verified first); a failure from visit (which
 * fills e) stops the walk and is returned. */
typedef int (*ferry_case_visit_fn)(void *u, int kind, uint64_t at, const char *text,
                                   ferry_err *e);
int ferry_desk_case_show(ferry_desk *d, const char *name, ferry_case_visit_fn visit,
                         void *u, ferry_err *e) FERRY_WUR;

/* Appends a note (UTF-8 text, tabs and newlines allowed, CRLF read as LF,
 * at most FERRY_NOTE_MAX bytes) on the named case to the log, then saves
 * the vault. FERRY_EUSAGE for an unknown case or text that is not
 * allowed. */
int ferry_desk_note(ferry_desk *d, const char *name, const char *text, size_t len,
                    uint64_t now, ferry_err *e) FERRY_WUR;

#endif
