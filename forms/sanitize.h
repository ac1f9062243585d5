/* Page sanitizer: every page photo passes through here before it is
 * sealed. JPEG by walking markers (pixels untouched), PNG by decoding
 * and re-encoding rows with libpng. Anything else is refused.
 * Reports name the kinds of metadata removed, never their values. */
#ifndef FERRY_SANITIZE_H
#define FERRY_SANITIZE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../crypto/bundle.h"
#include "container.h"

enum { FERRY_PAGE_OTHER = 0, FERRY_PAGE_JPEG = 1, FERRY_PAGE_PNG = 2 };

/* Stated limits (docs/FORMAT.md, "Pages"). */
#define FERRY_PAGE_MAX_SIDE      30000u
#define FERRY_PAGE_MAX_PIXELS    250000000u
#define FERRY_PNG_INTERLACED_MAX (64u << 20) /* bytes held to de-interlace */
#define FERRY_JPEG_HEADER_MAX    (4u << 20)  /* tables held before a scan */

/* Returns bytes read (0 at end of input) or -1. */
typedef ssize_t (*ferry_read_fn)(void *io, uint8_t *buf, size_t cap);

typedef struct {
	int type;
	uint8_t orientation; /* EXIF orientation 1..8, 0 = none recorded */
	uint32_t width, height;
	uint64_t in_bytes, out_bytes;
	char report[FERRY_REPORT_MAX + 1];
	char error[256];
} ferry_page_result;

/* Identifies an image by its first bytes (at least 16 when available).
 * For anything but JPEG and PNG, *name names the type when known. */
int ferry_page_identify(const uint8_t *head, size_t n, const char **name);
/* Advice for a refused type, e.g. "set the camera to JPEG...". */
const char *ferry_page_advice(const char *name);

int ferry_sanitize_jpeg(ferry_read_fn rd, void *rio, ferry_write_fn out, void *wio,
                        ferry_page_result *res) FERRY_WUR;
int ferry_sanitize_png(ferry_read_fn rd, void *rio, ferry_write_fn out, void *wio,
                       ferry_page_result *res) FERRY_WUR;

/* ferry_read_fn over a file descriptor. */
ssize_t ferry_read_fd(void *fdp, uint8_t *buf, size_t cap);

/* Memory reader for tests and fuzzing. */
typedef struct {
	const uint8_t *p;
	size_t len, off;
} ferry_mem_reader;
ssize_t ferry_read_mem(void *mr, uint8_t *buf, size_t cap);

#endif
