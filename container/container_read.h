/* Reading the container (container/format.h) from payload plaintext in
 * any slicing, handing each item to callbacks as it streams. */
#ifndef FERRY_CONTAINER_READ_H
#define FERRY_CONTAINER_READ_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"
#include "format.h"

typedef struct {
	/* Each returns 0 to go on, -1 to stop (the reader then fails with
	 * FERRY_EOP: the bytes were not at fault). */
	int (*begin)(void *u, unsigned index, uint8_t kind);
	int (*data)(void *u, const uint8_t *p, size_t n);
	int (*end)(void *u, const ferry_item_info *info);
} ferry_cr_callbacks;

typedef struct ferry_cr ferry_cr;

ferry_cr *ferry_cr_create(const ferry_cr_callbacks *cb, void *u);
/* Feeds payload plaintext. FERRY_EVERIFY when the container is
 * malformed, FERRY_EOP when a callback stopped it; e says which. */
int ferry_cr_feed(ferry_cr *cr, const uint8_t *p, size_t n, ferry_err *e) FERRY_WUR;
/* At the end of the payload: the end record must have been seen and
 * everything after it must be zero. */
int ferry_cr_finish(ferry_cr *cr, ferry_err *e) FERRY_WUR;
unsigned ferry_cr_items(const ferry_cr *cr);
void ferry_cr_free(ferry_cr *cr);

#endif
