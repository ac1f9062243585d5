/* Finding QR codes in a page photo: the form seals itself (ferry-seal
 * with neither --pack nor --code reads the seal code printed on the page
 * it photographs).
 *
 * The photo is untrusted, and decoding it to pixels (libjpeg, libpng) and
 * looking for codes in them (libzbar) is far more code than the sanitizer's
 * marker walk: ferry_qr_find runs all of it in a child process confined
 * by a seccomp filter, with memory and time limits. ferry_qr_scan is the
 * child's work (pages/qrdecode.c, then pages/qrscan.c), exposed for the
 * tests and the fuzz target. */
#ifndef FERRY_QRSCAN_H
#define FERRY_QRSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"

/* The QR codes a page may give: at most FERRY_QR_MAX, each at most
 * FERRY_QR_TEXT_MAX bytes (a seal code is 351); longer ones are dropped,
 * since none of them is a seal code. */
#define FERRY_QR_MAX      8u
#define FERRY_QR_TEXT_MAX 1023u
/* Pages are searched at most this large (pixels); a larger JPEG is
 * decoded scaled down, a larger PNG is refused. */
#define FERRY_QR_MAX_PIXELS (64u << 20)
/* A JPEG is first searched at most this many pixels on its long side
 * (the offline page does the same in the browser: web/page.js). */
#define FERRY_QR_FIRST_SIDE 2000u
/* Bytes of a page file read for the search. */
#define FERRY_QR_FILE_MAX (256u << 20)

typedef struct {
	unsigned n;
	char text[FERRY_QR_MAX][FERRY_QR_TEXT_MAX + 1]; /* NUL-terminated */
} ferry_qr_found;

/* Decodes the JPEG or PNG in img to gray and collects the QR codes in it,
 * trying smaller scales when none is found at full size. FERRY_OK (out->n
 * may be 0), FERRY_EVERIFY when img is not a readable image, FERRY_EOP when
 * memory runs out. In-process: production code calls ferry_qr_find. */
int ferry_qr_scan(const uint8_t *img, size_t n, ferry_qr_found *out,
                  ferry_err *e) FERRY_WUR;

/* The search alone, on w x h gray pixels (one byte each, rows back to
 * back), which it does not change: what the offline page calls after the
 * browser has decoded the photo. FERRY_EVERIFY when the picture is empty
 * or larger than FERRY_QR_MAX_PIXELS. */
int ferry_qr_scan_gray(const uint8_t *px, unsigned w, unsigned h, ferry_qr_found *out,
                       ferry_err *e) FERRY_WUR;

/* The same on the file at path, in a sandboxed child (seccomp: nothing but
 * memory and writing its answer to a pipe; address space and CPU time
 * limited; killed past a deadline). FERRY_OK with out filled,
 * FERRY_EVERIFY when the page is not a readable image, FERRY_EOP when the
 * decoder crashed, was killed or ran out of time or memory (e says which)
 * or the file cannot be read. Call it before starting threads. */
int ferry_qr_find(const char *path, ferry_qr_found *out, ferry_err *e) FERRY_WUR;

/* The child's limits: address space (bytes) and CPU time (seconds). */
typedef struct {
	unsigned long long memory;
	unsigned cpu_secs;
} ferry_qr_limits;
extern ferry_qr_limits ferry_qr_child_limits;

/* Called in the child once it is confined, before it decodes anything: a
 * no-op, which a test-only program replaces (with lower limits) to show
 * that the sandbox kills a forbidden call and enforces its limits. */
void ferry_qr_child_hook(void);

#endif
