/* Writing the container (container/format.h) as one stream: items are
 * begun, fed and ended in turn, and the end record closes it. */
#ifndef FERRY_CONTAINER_WRITE_H
#define FERRY_CONTAINER_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "../common/io.h"
#include "format.h"

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

#endif
