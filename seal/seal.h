/* Sealing pipeline: pages through the sanitizer, answers and attachments
 * into the container, the container into the bundle, in one streaming
 * pass. The contact's side has no code that opens a bundle. */
#ifndef FERRY_SEAL_H
#define FERRY_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"
#include "../common/io.h"
#include "../pages/sanitize.h"
#include "../trust/pack.h"

#define FERRY_SEAL_PAGES_MAX 99

typedef struct {
	const char *const *pages;
	size_t npages;
	const char *answers; /* NULL: none */
	const char *const *attachments;
	size_t nattachments;
	int walk_in;   /* seal to the pack's SPK alone, no form */
	unsigned jobs; /* threads that encrypt, the caller's included: 0 means
	                * one per CPU */
	/* The pack word (FERRY_PACK_WORD_LEN bytes) from the contact's key
	 * card, for a pack-proven bundle; NULL seals with the code alone. */
	const uint8_t *word;
} ferry_seal_input;

typedef struct {
	ferry_page_result *pages; /* npages entries, malloc'd */
	uint64_t answers_bytes;
	uint64_t bundle_len;
} ferry_seal_report;

/* Checks every input before anything is sealed: each page is a regular
 * file identified by content as JPEG or PNG, the answers are UTF-8. */
int ferry_seal_precheck(const ferry_seal_input *in, ferry_err *e) FERRY_WUR;
/* Seals to form f (or, with walk_in, to its pack). Bytes go to write.
 * Nothing is written unless every page sanitizes; on any failure the
 * caller discards what was written. */
int ferry_seal_bundle(const ferry_form_pub *f, const ferry_seal_input *in,
                      ferry_write_fn write, void *io, ferry_seal_report *rep,
                      ferry_err *e) FERRY_WUR;
void ferry_seal_report_free(ferry_seal_report *rep);

#endif
