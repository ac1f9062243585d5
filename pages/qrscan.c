/* Looking for QR codes in gray pixels (pages/qrscan.h): at full size,
 * then at smaller scales, then sharpened. The same code runs in the
 * sandboxed child of ferry-seal (after pages/qrdecode.c) and in the
 * offline page (after the browser's own image decoder). */
#include "qrscan.h"

#include <stdlib.h>
#include <string.h>
#include <zbar.h>

typedef struct {
	uint8_t *px; /* one byte a pixel, rows back to back */
	unsigned w, h;
} gray;

/* Halves the picture in place (2x2 averages): a blurred or noisy photo
 * often reads at a smaller scale when it does not at full size. */
static void halve(gray *g)
{
	unsigned w = g->w / 2, h = g->h / 2;
	for (unsigned y = 0; y < h; y++)
		for (unsigned x = 0; x < w; x++) {
			const uint8_t *a = g->px + (size_t)(2 * y) * g->w + 2 * x;
			const uint8_t *b = a + g->w;
			g->px[(size_t)y * w + x] =
			    (uint8_t)((a[0] + a[1] + b[0] + b[1] + 2) / 4);
		}
	g->w = w;
	g->h = h;
}

/* The QR codes zbar finds in g, added to out (no duplicates). -1 when
 * zbar cannot be set up. */
static int find_codes(const gray *g, ferry_qr_found *out)
{
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_t *im = zbar_image_create();
	int rc = -1;
	if (!sc || !im)
		goto out;
	/* QR codes only: fewer false finds, and no other decoder runs. */
	zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(im, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(im, g->w, g->h);
	zbar_image_set_data(im, g->px, (unsigned long)g->w * g->h, NULL);
	if (zbar_scan_image(sc, im) < 0)
		goto out;
	for (const zbar_symbol_t *s = zbar_image_first_symbol(im);
	     s && out->n < FERRY_QR_MAX; s = zbar_symbol_next(s)) {
		const char *d = zbar_symbol_get_data(s);
		unsigned len = zbar_symbol_get_data_length(s);
		if (zbar_symbol_get_type(s) != ZBAR_QRCODE || !d || len == 0 ||
		    len > FERRY_QR_TEXT_MAX || memchr(d, 0, len))
			continue;
		int seen = 0;
		for (unsigned i = 0; i < out->n && !seen; i++)
			seen = strlen(out->text[i]) == len &&
			       !memcmp(out->text[i], d, len);
		if (seen)
			continue;
		memcpy(out->text[out->n], d, len);
		out->text[out->n][len] = '\0';
		out->n++;
	}
	rc = 0;
out:
	if (im)
		zbar_image_destroy(im);
	if (sc)
		zbar_image_scanner_destroy(sc);
	return rc;
}

/* Box blur of radius r along rows (step 1) or columns (step w), from src
 * into dst: running sums, so the cost does not grow with r. */
static void box_pass(const uint8_t *src, uint8_t *dst, unsigned w, unsigned h,
                     unsigned r, int rows)
{
	unsigned lines = rows ? h : w, len = rows ? w : h;
	size_t step = rows ? 1 : w, next = rows ? w : 1;
	for (unsigned l = 0; l < lines; l++) {
		const uint8_t *s = src + (size_t)l * next;
		uint8_t *d = dst + (size_t)l * next;
		uint32_t sum = 0, cnt = 0;
		for (unsigned i = 0; i < r && i < len; i++, cnt++)
			sum += s[i * step];
		for (unsigned i = 0; i < len; i++) {
			if (i + r < len)
				sum += s[(i + r) * step], cnt++;
			if (i > r)
				sum -= s[(i - r - 1) * step], cnt--;
			d[i * step] = (uint8_t)(sum / cnt);
		}
	}
}

/* An unsharp mask (about a 3-pixel Gaussian, amount 2) into a new
 * picture: a blurred photo whose code zbar misses at every scale often
 * reads once its edges are steepened. NULL when memory runs out. */
static uint8_t *sharpened(const gray *g)
{
	size_t n = (size_t)g->w * g->h;
	uint8_t *a = malloc(n), *b = malloc(n);
	if (!a || !b) {
		free(a);
		free(b);
		return NULL;
	}
	/* Two box passes each way approximate the Gaussian. */
	box_pass(g->px, a, g->w, g->h, 3, 1);
	box_pass(a, b, g->w, g->h, 3, 0);
	box_pass(b, a, g->w, g->h, 3, 1);
	box_pass(a, b, g->w, g->h, 3, 0);
	for (size_t i = 0; i < n; i++) {
		int v = g->px[i] + 2 * (g->px[i] - b[i]);
		a[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
	}
	free(b);
	return a;
}

/* Searches g at full size, then halved while the code is still many
 * pixels wide, until one scale finds something; g is halved in place. */
static int search_scales(gray *g, ferry_qr_found *out, unsigned max_halvings)
{
	for (unsigned k = 0;; k++) {
		if (find_codes(g, out) != 0)
			return -1;
		if (out->n > 0 || k == max_halvings || g->w < 400 || g->h < 400)
			return 0;
		halve(g);
	}
}

int ferry_qr_scan_gray(const uint8_t *px, unsigned w, unsigned h, ferry_qr_found *out,
                       ferry_err *e)
{
	int rc = FERRY_OK;
	memset(out, 0, sizeof *out);
	if (w == 0 || h == 0 || (uint64_t)w * h > FERRY_QR_MAX_PIXELS)
		return ferry_fail(e, FERRY_EVERIFY,
		                  "it is too large to look for a code in (%ux%u)", w,
		                  h);
	/* The scales are searched on a copy, halved in place; only when none
	 * finds a code is the full-size picture sharpened and searched. */
	gray g = {(uint8_t *)px, w, h};
	gray work = {malloc((size_t)w * h), w, h}, sharp = {NULL, w, h};
	if (!work.px)
		return ferry_fail(e, FERRY_EOP, "out of memory");
	memcpy(work.px, px, (size_t)w * h);
	if (search_scales(&work, out, 8) != 0) {
		rc = ferry_fail(e, FERRY_EOP, "the QR decoder failed");
	} else if (out->n == 0) {
		if (!(sharp.px = sharpened(&g)))
			rc = ferry_fail(e, FERRY_EOP, "out of memory");
		else if (search_scales(&sharp, out, 1) != 0)
			rc = ferry_fail(e, FERRY_EOP, "the QR decoder failed");
	}
	free(sharp.px);
	free(work.px);
	return rc;
}
