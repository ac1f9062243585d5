/* The child's work (pages/qrscan.h): a page photo to gray pixels, then
 * the QR codes in them. Runs confined (pages/qrfind.c): it allocates and
 * computes, and touches no file. */
#include "qrscan.h"

/* jpeglib.h needs FILE declared before it. */
#include <stdio.h>

#include <jpeglib.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

#include "sanitize.h"

typedef struct {
	uint8_t *px; /* one byte a pixel, rows back to back */
	unsigned w, h;
} gray;

/* libjpeg reports a fatal error by calling error_exit, which must not
 * return: jump back out of the decode instead of exiting the process. */
typedef struct {
	struct jpeg_error_mgr mgr;
	jmp_buf jump;
} jpeg_trap;

static void jpeg_fail(j_common_ptr c)
{
	longjmp(((jpeg_trap *)c->err)->jump, 1);
}

static void jpeg_quiet(j_common_ptr c, int level)
{
	(void)c, (void)level; /* warnings about damaged data say nothing we use */
}

static int decode_jpeg(const uint8_t *img, size_t n, gray *g, ferry_err *e)
{
	struct jpeg_decompress_struct c;
	jpeg_trap trap;
	/* volatile: read after the longjmp. */
	uint8_t *volatile px = NULL;
	memset(&c, 0, sizeof c);
	c.err = jpeg_std_error(&trap.mgr);
	trap.mgr.error_exit = jpeg_fail;
	trap.mgr.emit_message = jpeg_quiet;
	if (setjmp(trap.jump)) {
		jpeg_destroy_decompress(&c);
		free(px);
		return ferry_fail(e, FERRY_EVERIFY, "its JPEG data is damaged");
	}
	jpeg_create_decompress(&c);
	jpeg_mem_src(&c, img, (unsigned long)n);
	if (jpeg_read_header(&c, TRUE) != JPEG_HEADER_OK)
		longjmp(trap.jump, 1);
	if (c.image_width == 0 || c.image_height == 0 ||
	    c.image_width > FERRY_PAGE_MAX_SIDE || c.image_height > FERRY_PAGE_MAX_SIDE)
		longjmp(trap.jump, 1);
	/* Large photos are decoded smaller: the scaling is nearly free in
	 * the DCT, and a printed code stays many pixels wide. */
	c.out_color_space = JCS_GRAYSCALE;
	c.scale_num = 1;
	c.scale_denom = 1;
	while (c.scale_denom < 8 && (uint64_t)(c.image_width / c.scale_denom) *
	                                    (c.image_height / c.scale_denom) >
	                                FERRY_QR_MAX_PIXELS)
		c.scale_denom *= 2;
	jpeg_start_decompress(&c);
	g->w = c.output_width;
	g->h = c.output_height;
	px = malloc((size_t)g->w * g->h);
	if (!px) {
		jpeg_destroy_decompress(&c);
		return ferry_fail(e, FERRY_EOP, "out of memory");
	}
	while (c.output_scanline < c.output_height) {
		JSAMPROW row = px + (size_t)c.output_scanline * g->w;
		jpeg_read_scanlines(&c, &row, 1);
	}
	jpeg_finish_decompress(&c);
	jpeg_destroy_decompress(&c);
	g->px = px;
	return FERRY_OK;
}

static int decode_png(const uint8_t *img, size_t n, gray *g, ferry_err *e)
{
	png_image p;
	memset(&p, 0, sizeof p);
	p.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&p, img, n))
		return ferry_fail(e, FERRY_EVERIFY, "its PNG data is damaged");
	if (p.width == 0 || p.height == 0 || p.width > FERRY_PAGE_MAX_SIDE ||
	    p.height > FERRY_PAGE_MAX_SIDE ||
	    (uint64_t)p.width * p.height > FERRY_QR_MAX_PIXELS) {
		png_image_free(&p);
		return ferry_fail(e, FERRY_EVERIFY,
		                  "it is too large to look for a code in (%ux%u)",
		                  p.width, p.height);
	}
	p.format = PNG_FORMAT_GRAY;
	g->w = p.width;
	g->h = p.height;
	g->px = malloc(PNG_IMAGE_SIZE(p));
	if (!g->px) {
		png_image_free(&p);
		return ferry_fail(e, FERRY_EOP, "out of memory");
	}
	if (!png_image_finish_read(&p, NULL, g->px, 0, NULL)) {
		free(g->px);
		g->px = NULL;
		return ferry_fail(e, FERRY_EVERIFY, "its PNG data is damaged");
	}
	return FERRY_OK;
}

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

int ferry_qr_scan(const uint8_t *img, size_t n, ferry_qr_found *out, ferry_err *e)
{
	const char *name = NULL;
	gray g = {NULL, 0, 0};
	int rc;
	memset(out, 0, sizeof *out);
	switch (ferry_page_identify(img, n, &name)) {
	case FERRY_PAGE_JPEG: rc = decode_jpeg(img, n, &g, e); break;
	case FERRY_PAGE_PNG: rc = decode_png(img, n, &g, e); break;
	default: return ferry_fail(e, FERRY_EVERIFY, "it is not a JPEG or PNG photo");
	}
	if (rc != FERRY_OK)
		return rc;
	/* The scales are searched on a copy, halved in place; only when none
	 * finds a code is the full-size picture sharpened and searched. */
	gray work = {malloc((size_t)g.w * g.h), g.w, g.h}, sharp = {NULL, g.w, g.h};
	if (!work.px) {
		rc = ferry_fail(e, FERRY_EOP, "out of memory");
		goto out;
	}
	memcpy(work.px, g.px, (size_t)g.w * g.h);
	if (search_scales(&work, out, 8) != 0) {
		rc = ferry_fail(e, FERRY_EOP, "the QR decoder failed");
		goto out;
	}
	if (out->n == 0) {
		if (!(sharp.px = sharpened(&g)))
			rc = ferry_fail(e, FERRY_EOP, "out of memory");
		else if (search_scales(&sharp, out, 1) != 0)
			rc = ferry_fail(e, FERRY_EOP, "the QR decoder failed");
	}
out:
	free(sharp.px);
	free(work.px);
	free(g.px);
	return rc;
}
