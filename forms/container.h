/* The container: what a bundle's payload carries, as self-delimiting
 * records, so it can be written in one streaming pass. docs/FORMAT.md,
 * "Container". */
#ifndef FERRY_CONTAINER_H
#define FERRY_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#include "../crypto/bundle.h"

enum {
	FERRY_ITEM_PAGE_JPEG = 1,
	FERRY_ITEM_PAGE_PNG = 2,
	FERRY_ITEM_ANSWERS = 3,   /* UTF-8 text, deflated */
	FERRY_ITEM_ATTACHMENT = 4 /* opaque, metadata not removed */
};

#define FERRY_ITEM_MAX    1000u
#define FERRY_REPORT_MAX  4000u
#define FERRY_ANSWERS_MAX (16u << 20) /* inflated */

typedef struct {
	uint8_t kind;
	uint8_t orientation; /* EXIF orientation 1..8, 0 = none */
	uint64_t size;       /* bytes of the item as the desk stores it */
	char report[FERRY_REPORT_MAX + 1];
} ferry_item_info;

typedef struct ferry_cw ferry_cw;

ferry_cw *ferry_cw_create(ferry_write_fn write, void *io);
int ferry_cw_begin(ferry_cw *cw, uint8_t kind) FERRY_WUR;
int ferry_cw_data(ferry_cw *cw, const uint8_t *p, size_t n) FERRY_WUR;
/* report: the sanitizer's field list for this item (may be NULL). */
int ferry_cw_end(ferry_cw *cw, uint8_t orientation, const char *report) FERRY_WUR;
int ferry_cw_finish(ferry_cw *cw) FERRY_WUR;
/* Container bytes written so far. */
uint64_t ferry_cw_written(const ferry_cw *cw);
void ferry_cw_free(ferry_cw *cw);

typedef struct {
	/* Each returns 0 to go on, -1 to stop (the reader then fails). */
	int (*begin)(void *u, unsigned index, uint8_t kind);
	int (*data)(void *u, const uint8_t *p, size_t n);
	int (*end)(void *u, const ferry_item_info *info);
} ferry_cr_callbacks;

typedef struct ferry_cr ferry_cr;

ferry_cr *ferry_cr_create(const ferry_cr_callbacks *cb, void *u);
/* Feeds payload plaintext in any slicing. */
int ferry_cr_feed(ferry_cr *cr, const uint8_t *p, size_t n) FERRY_WUR;
/* At the end of the payload: the end record must have been seen and
 * everything after it must be zero. */
int ferry_cr_finish(ferry_cr *cr) FERRY_WUR;
unsigned ferry_cr_items(const ferry_cr *cr);
const char *ferry_cr_error(const ferry_cr *cr);
void ferry_cr_free(ferry_cr *cr);

#endif
