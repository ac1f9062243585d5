/* The case entry: the text that heads a case's manifest.txt and is the
 * case's log entry (docs/FORMAT.md, "Log": the entry text). One type with its
 * writer and its parser, so what open writes is exactly what recovery
 * reads back. */
#ifndef FERRY_CASE_ENTRY_H
#define FERRY_CASE_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"
#include "../common/io.h"
#include "../trust/pack.h"
#include "vault.h"

#define FERRY_CASE_NAME_MAX 64

typedef struct {
	int testimony;   /* 1: testimony for a form; 0: walk-in */
	uint64_t opened; /* unix seconds */
	uint8_t pack_id[FERRY_PACK_ID_LEN];
	char form[FERRY_CODE_TEXT_LEN + 1]; /* empty for walk-ins */
	uint32_t form_index;                /* from 0; FERRY_NO_FORM for walk-ins */
	uint8_t seen[FERRY_SEEN_LEN];
	char case_name[FERRY_CASE_NAME_MAX];
	uint64_t bundle_bytes;
} ferry_case_entry;

/* Appends the entry's lines, up to and including "items:", to out. */
int ferry_case_entry_write(const ferry_case_entry *c, ferry_membuf *out) FERRY_WUR;
/* Reads back what recovery needs (kind, opened-unix, pack-id,
 * form-index, seen) from an entry's text; FERRY_EVERIFY when a field is
 * missing or malformed. */
int ferry_case_entry_parse(ferry_case_entry *c, const char *text,
                           ferry_err *e) FERRY_WUR;

#endif
