/* A page photo to gray pixels for the QR search (pages/qrscan.h), in the
 * sandboxed child of ferry-seal (pages/qrfind.c): libjpeg and libpng
 * decode from memory and touch no file. */
#include "qrscan.h"

/* jpeglib.h needs FILE declared before it. */
#include <stdio.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

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

/* Decodes img to gray, at most max_side pixels on the long side when
 * max_side is not 0 (and never more than FERRY_QR_MAX_PIXELS); *smaller
 * is set when the picture came out smaller than the photo. */
static int decode_jpeg(const uint8_t *img, size_t n, unsigned max_side, gray *g,
                       int *smaller, ferry_err *e)
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
		/* libjpeg's own code for why it stopped: the decoder's memory
		 * limit is not damaged data. */
		int oom = trap.mgr.msg_code == JERR_OUT_OF_MEMORY;
		jpeg_destroy_decompress(&c);
		free(px);
		return oom ? ferry_fail(e, FERRY_EOP, "out of memory")
		           : ferry_fail(e, FERRY_EVERIFY, "its JPEG data is damaged");
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
	unsigned long long side =
	    c.image_width > c.image_height ? c.image_width : c.image_height;
	while (c.scale_denom < 8 && ((uint64_t)(c.image_width / c.scale_denom) *
	                                     (c.image_height / c.scale_denom) >
	                                 FERRY_QR_MAX_PIXELS ||
	                             (max_side && side / c.scale_denom > max_side)))
		c.scale_denom *= 2;
	*smaller = c.scale_denom > 1;
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

/* Why libpng's simplified reader stopped: it names running out of memory
 * in its message, and anything else is the data. */
static int png_failed(const png_image *p, ferry_err *e)
{
	return strcasestr(p->message, "memory")
	           ? ferry_fail(e, FERRY_EOP, "out of memory")
	           : ferry_fail(e, FERRY_EVERIFY, "its PNG data is damaged");
}

static int decode_png(const uint8_t *img, size_t n, gray *g, ferry_err *e)
{
	png_image p;
	memset(&p, 0, sizeof p);
	p.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&p, img, n))
		return png_failed(&p, e);
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
		return png_failed(&p, e);
	}
	return FERRY_OK;
}

int ferry_qr_scan(const uint8_t *img, size_t n, ferry_qr_found *out, ferry_err *e)
{
	const char *name = NULL;
	gray g = {NULL, 0, 0};
	int rc, smaller = 0;
	memset(out, 0, sizeof *out);
	switch (ferry_page_identify(img, n, &name)) {
	case FERRY_PAGE_JPEG:
		/* A phone's photo is first searched at about 2000 pixels on its
		 * long side (scaled in the DCT, nearly free), which reads most
		 * codes at a quarter of the work; only when that finds nothing
		 * is the photo decoded and searched whole. */
		rc = decode_jpeg(img, n, FERRY_QR_FIRST_SIDE, &g, &smaller, e);
		if (rc == FERRY_OK && smaller) {
			rc = ferry_qr_scan_gray(g.px, g.w, g.h, out, e);
			free(g.px);
			g.px = NULL;
			if (rc != FERRY_OK || out->n > 0)
				return rc;
			rc = decode_jpeg(img, n, 0, &g, &smaller, e);
		}
		break;
	case FERRY_PAGE_PNG: rc = decode_png(img, n, &g, e); break;
	default: return ferry_fail(e, FERRY_EVERIFY, "it is not a JPEG or PNG photo");
	}
	if (rc != FERRY_OK)
		return rc;
	rc = ferry_qr_scan_gray(g.px, g.w, g.h, out, e);
	free(g.px);
	return rc;
}
