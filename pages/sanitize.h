/* Page sanitizer: every page photo passes through here before it is
 * sealed. JPEG by walking markers (pixels untouched), PNG by decoding
 * and re-encoding rows with libpng. Anything else is refused.
 * Reports name the kinds of metadata removed, never their values. */
#ifndef FERRY_SANITIZE_H
#define FERRY_SANITIZE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../common/err.h"
#include "../common/io.h"
#include "../container/format.h"

enum { FERRY_PAGE_OTHER = 0, FERRY_PAGE_JPEG = 1, FERRY_PAGE_PNG = 2 };

/* Stated limits (docs/FORMAT.md, "Pages"). */
#define FERRY_PAGE_MAX_SIDE      30000u
#define FERRY_PAGE_MAX_PIXELS    250000000u
#define FERRY_PNG_INTERLACED_MAX (64u << 20) /* bytes held to de-interlace */
#define FERRY_JPEG_HEADER_MAX    (4u << 20)  /* tables held before a scan */

typedef struct {
	int type;
	uint8_t orientation; /* EXIF orientation 1..8, 0 = none recorded */
	uint32_t width, height;
	uint64_t in_bytes, out_bytes;
	char report[FERRY_REPORT_MAX + 1]; /* English: into the manifest */
	char shown[2 * FERRY_REPORT_MAX + 1]; /* the reader's language */
} ferry_page_result;

/* Identifies an image by its first bytes (at least 16 when available).
 * For anything but JPEG and PNG, *name names the type when known. */
int ferry_page_identify(const uint8_t *head, size_t n, const char **name);
/* "a" or "an" before a type's name. */
const char *ferry_page_article(const char *name);
/* Advice for a refused type, e.g. "set the camera to JPEG...". */
const char *ferry_page_advice(const char *name);

/* Each sanitizer reads one image through rd and writes it, stripped,
 * through out. On failure (FERRY_EOP) e says what is wrong with the
 * image; the caller discards what was written. */
int ferry_sanitize_jpeg(ferry_read_fn rd, void *rio, ferry_write_fn out, void *wio,
                        ferry_page_result *res, ferry_err *e) FERRY_WUR;
int ferry_sanitize_png(ferry_read_fn rd, void *rio, ferry_write_fn out, void *wio,
                       ferry_page_result *res, ferry_err *e) FERRY_WUR;

/* Opens a page file, identifies it by content and rewinds it: the fd,
 * with *type JPEG or PNG; anything else is refused with a message that
 * names the type and what to do. */
int ferry_page_open(const char *path, int *type, ferry_err *e) FERRY_WUR;
/* Sanitizes an opened page into write (NULL: check only). */
int ferry_sanitize_fd(int fd, int type, ferry_write_fn write, void *io,
                      ferry_page_result *res, ferry_err *e) FERRY_WUR;
/* Opens, identifies and sanitizes the page at path; messages name it. */
int ferry_sanitize_path(const char *path, ferry_write_fn write, void *io,
                        ferry_page_result *res, ferry_err *e) FERRY_WUR;

#endif
