/* PNG: decode and re-encode with libpng, row by row, keeping only the
 * pixels, bit depth, colour type, palette and transparency. The chunk
 * stream is watched as libpng reads it, to report what was dropped. */
#include <png.h>
#include <setjmp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "../common/i18n.h"
#include "sanitize.h"

#define INBUF 65536

typedef struct {
	ferry_read_fn rd;
	void *rio;
	ferry_write_fn out;
	void *wio;
	ferry_page_result *res;
	ferry_err *e;
	ferry_strip_report rep;
	int io_failed;
	/* chunk watcher */
	uint64_t pos;      /* stream bytes handed to libpng */
	uint64_t next_hdr; /* offset of the next chunk header */
	uint8_t hdr[8];
	unsigned hdr_have;
	int after_iend;
	uint8_t buf[INBUF];
	size_t bpos, blen;
	uint32_t rows_kept; /* for wiping the de-interlacing buffer */
	/* an eXIf chunk's data, read for the report and the orientation */
	uint8_t exif[65536];
	uint32_t exif_len, exif_have;
	int in_exif;
} pw;

static void classify_chunk(pw *p, const uint8_t type[4], uint32_t len)
{
	static const struct {
		const char name[5];
		int block;
	} map[] = {
	    {"tEXt", RB_PNG_TEXT},   {"zTXt", RB_PNG_TEXT},   {"iTXt", RB_PNG_TEXT},
	    {"eXIf", RB_PNG_EXIF},   {"tIME", RB_PNG_TIME},   {"iCCP", RB_PNG_ICC},
	    {"pHYs", RB_PNG_PHYS},   {"gAMA", RB_PNG_COLOUR}, {"cHRM", RB_PNG_COLOUR},
	    {"sRGB", RB_PNG_COLOUR}, {"sBIT", RB_PNG_COLOUR}, {"bKGD", RB_PNG_COLOUR},
	    {"acTL", RB_PNG_ANIM},   {"fcTL", RB_PNG_ANIM},   {"fdAT", RB_PNG_ANIM},
	};
	static const char *kept[] = {"IHDR", "PLTE", "IDAT", "IEND", "tRNS"};
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
		if (memcmp(type, kept[i], 4) == 0) {
			if (memcmp(type, "IEND", 4) == 0)
				p->after_iend = 1;
			return;
		}
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (memcmp(type, map[i].name, 4) == 0) {
			ferry_report_block(&p->rep, map[i].block, (uint64_t)len + 12);
			return;
		}
	ferry_report_block(&p->rep, RB_PNG_OTHER, (uint64_t)len + 12);
}

/* Follows chunk boundaries in the bytes libpng consumes. */
static void watch(pw *p, const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++, p->pos++) {
		if (p->in_exif && p->pos < p->next_hdr - 4) {
			if (p->exif_have < sizeof p->exif)
				p->exif[p->exif_have++] = d[i];
			if (p->exif_have == p->exif_len) {
				/* The same TIFF structure as a JPEG's EXIF. */
				ferry_exif_scan(p->exif, p->exif_len, &p->rep,
				                &p->res->orientation);
				p->in_exif = 0;
			}
			continue;
		}
		if (p->pos < 8 || p->pos < p->next_hdr || p->after_iend)
			continue;
		p->hdr[p->hdr_have++] = d[i];
		if (p->hdr_have == 8) {
			uint32_t len = (uint32_t)p->hdr[0] << 24 |
			               (uint32_t)p->hdr[1] << 16 |
			               (uint32_t)p->hdr[2] << 8 | p->hdr[3];
			classify_chunk(p, p->hdr + 4, len);
			p->next_hdr = p->pos + 1 + (uint64_t)len + 4;
			p->hdr_have = 0;
			if (!memcmp(p->hdr + 4, "eXIf", 4) && len > 0 &&
			    len <= sizeof p->exif) {
				p->in_exif = 1;
				p->exif_len = len;
				p->exif_have = 0;
			}
		}
	}
}

static void png_read_cb(png_structp png, png_bytep data, size_t len)
{
	pw *p = png_get_io_ptr(png);
	size_t done = 0;
	while (done < len) {
		if (p->bpos == p->blen) {
			ssize_t r = p->rd(p->rio, p->buf, sizeof p->buf);
			if (r < 0) {
				p->io_failed = 1;
				png_error(png, "could not read the file");
			}
			if (r == 0)
				png_error(png, "the file is cut short (truncated)");
			p->bpos = 0;
			p->blen = (size_t)r;
			p->res->in_bytes += (uint64_t)r;
		}
		size_t take = p->blen - p->bpos;
		if (take > len - done)
			take = len - done;
		memcpy(data + done, p->buf + p->bpos, take);
		watch(p, p->buf + p->bpos, take);
		p->bpos += take;
		done += take;
	}
}

static void png_write_cb(png_structp png, png_bytep data, size_t len)
{
	pw *p = png_get_io_ptr(png);
	if (p->out(p->wio, data, len) != 0) {
		p->io_failed = 1;
		png_error(png, "could not write the sanitized page");
	}
	p->res->out_bytes += len;
}

static void png_flush_cb(png_structp png)
{
	(void)png;
}

/* libpng's message, sorted into what a contact can act on. */
static void png_err_cb(png_structp png, png_const_charp msg)
{
	static const struct {
		const char *needles[4];
		const char *what;
	} kinds[] = {
	    /* libpng's "Out of memory" and "Insufficient memory": the
	     * machine, not the photo. */
	    {{"emory"}, N_("not enough memory to check this PNG")},
	    {{"CRC"}, N_("damaged PNG: a chunk checksum (CRC) does not match")},
	    {{"ecompress", "zlib", "IDAT", "stream"},
	     N_("damaged PNG: the compressed image data is corrupt")},
	    {{"width", "height", "dimension", "IHDR"},
	     N_("PNG dimensions are invalid or over the limit (30000 pixels a side, 250 megapixels)")},
	};
	pw *p = png_get_error_ptr(png);
	const char *what = N_("malformed PNG");
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0] && !p->e->msg[0]; k++)
		for (size_t n = 0; n < 4 && kinds[k].needles[n]; n++)
			if (strstr(msg, kinds[k].needles[n]))
				what = kinds[k].what;
	if (!p->e->msg[0])
		ferry_fail(p->e, FERRY_EOP, "%s (%s)", ferry_tr(what), msg);
	png_longjmp(png, 1);
}

static void png_warn_cb(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg; /* a warning never lets bad data through: errors do that */
}

/* Chunks libpng would otherwise parse into its info struct: discard
 * them unread (their CRC is still checked). */
static const png_byte DISCARD[] = "bKGD\0cHRM\0gAMA\0hIST\0iCCP\0iTXt\0oFFs\0"
                                  "pCAL\0pHYs\0sBIT\0sCAL\0sPLT\0sRGB\0tEXt\0"
                                  "tIME\0zTXt\0eXIf\0";

/* Whatever follows IEND is read to the end and dropped, and counted for
 * the report. */
static int drain_trailer(pw *p)
{
	uint64_t trailer = p->blen - p->bpos;
	for (;;) {
		ssize_t r = p->rd(p->rio, p->buf, sizeof p->buf);
		if (r < 0)
			return ferry_fail(p->e, FERRY_EOP, "could not read the file");
		if (r == 0)
			break;
		p->res->in_bytes += (uint64_t)r;
		trailer += (uint64_t)r;
	}
	if (trailer) {
		ferry_report_block(&p->rep, RB_TRAILER, trailer);
		p->rep.trailer_kinds |= TR_UNKNOWN;
	}
	return 0;
}

static int sanitize_png(ferry_read_fn rd, void *rio, ferry_write_fn out, void *wio,
                        ferry_page_result *res, ferry_err *e)
{
	pw *volatile p = calloc(1, sizeof(pw));
	png_structp rp = NULL, wp = NULL;
	png_infop ri = NULL, rend = NULL, wi = NULL;
	png_bytep volatile row = NULL;
	png_bytep volatile image = NULL;
	volatile int rc = FERRY_EOP;
	volatile size_t rowbytes_kept = 0;

	memset(res, 0, sizeof *res);
	res->type = FERRY_PAGE_PNG;
	if (!p)
		return ferry_fail(e, FERRY_EOP, "out of memory");
	p->rd = rd;
	p->rio = rio;
	p->out = out;
	p->wio = wio;
	p->res = res;
	p->e = e;

	rp = png_create_read_struct(PNG_LIBPNG_VER_STRING, p, png_err_cb, png_warn_cb);
	wp = png_create_write_struct(PNG_LIBPNG_VER_STRING, p, png_err_cb, png_warn_cb);
	if (!rp || !wp || !(ri = png_create_info_struct(rp)) ||
	    !(rend = png_create_info_struct(rp)) ||
	    !(wi = png_create_info_struct(wp))) {
		ferry_fail(e, FERRY_EOP, "out of memory");
		goto out;
	}
	/* Errors in either struct longjmp back here, in this frame. */
	if (setjmp(png_jmpbuf(rp)))
		goto out;
	if (setjmp(png_jmpbuf(wp)))
		goto out;

	png_set_read_fn(rp, p, png_read_cb);
	png_set_write_fn(wp, p, png_write_cb, png_flush_cb);
	png_set_crc_action(rp, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
	png_set_keep_unknown_chunks(rp, PNG_HANDLE_CHUNK_NEVER, NULL, 0);
	png_set_keep_unknown_chunks(rp, PNG_HANDLE_CHUNK_NEVER, DISCARD,
	                            (int)(sizeof DISCARD / 5));
	png_set_user_limits(rp, FERRY_PAGE_MAX_SIDE, FERRY_PAGE_MAX_SIDE);
	png_set_chunk_malloc_max(rp, 16u << 20);
	png_set_chunk_cache_max(rp, 1000);

	png_read_info(rp, ri);
	png_uint_32 w = 0, h = 0;
	int depth = 0, ctype = 0, interlace = 0;
	png_get_IHDR(rp, ri, &w, &h, &depth, &ctype, &interlace, NULL, NULL);
	if ((uint64_t)w * h > FERRY_PAGE_MAX_PIXELS) {
		ferry_fail(
		    e, FERRY_EOP,
		    "image dimensions are over the limit (30000 pixels a side, 250 megapixels)");
		goto out;
	}
	res->width = w;
	res->height = h;
	png_set_IHDR(wp, wi, w, h, depth, ctype, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_colorp pal = NULL;
	int npal = 0;
	if (png_get_PLTE(rp, ri, &pal, &npal) & PNG_INFO_PLTE)
		png_set_PLTE(wp, wi, pal, npal);
	png_bytep trans = NULL;
	int ntrans = 0;
	png_color_16p tcol = NULL;
	if (png_get_tRNS(rp, ri, &trans, &ntrans, &tcol) & PNG_INFO_tRNS)
		png_set_tRNS(wp, wi, trans, ntrans, tcol);
	/* Speed over size: the bundle is padded anyway, and SUB alone
	 * costs one pass where trying all five filters costs five. */
	png_set_compression_level(wp, 1);
	png_set_filter(wp, 0, PNG_FILTER_SUB);
	png_write_info(wp, wi);

	size_t rowbytes = png_get_rowbytes(rp, ri);
	rowbytes_kept = rowbytes;
	p->rows_kept = h;
	if (interlace == PNG_INTERLACE_NONE) {
		row = malloc(rowbytes);
		if (!row) {
			ferry_fail(e, FERRY_EOP, "out of memory");
			goto out;
		}
		for (png_uint_32 y = 0; y < h; y++) {
			png_read_row(rp, row, NULL);
			png_write_row(wp, row);
		}
	} else {
		/* Interlaced rows arrive a pass at a time: the whole image has to
		 * be held to write it out in order. */
		if ((uint64_t)rowbytes * h > FERRY_PNG_INTERLACED_MAX) {
			ferry_fail(
			    e, FERRY_EOP,
			    "interlaced PNG larger than 64 MiB decoded: re-save it without interlacing");
			goto out;
		}
		image = malloc((size_t)rowbytes * h + 1);
		if (!image) {
			ferry_fail(e, FERRY_EOP, "out of memory");
			goto out;
		}
		memset(image, 0, rowbytes * h);
		int passes = png_set_interlace_handling(rp);
		png_read_update_info(rp, ri);
		for (int pass = 0; pass < passes; pass++)
			for (png_uint_32 y = 0; y < h; y++)
				png_read_row(rp, image + (size_t)y * rowbytes, NULL);
		for (png_uint_32 y = 0; y < h; y++)
			png_write_row(wp, image + (size_t)y * rowbytes);
	}
	png_read_end(rp, rend);
	png_write_end(wp, NULL);

	if (drain_trailer(p) != 0)
		goto out;
	ferry_report_render(&p->rep, res->report, sizeof res->report);
	ferry_report_render_shown(&p->rep, res->shown, sizeof res->shown);
	rc = FERRY_OK;
out:
	if (rc != FERRY_OK && !e->msg[0])
		ferry_fail(e, FERRY_EOP, "malformed PNG");
	if (rp)
		png_destroy_read_struct(&rp, ri ? &ri : NULL, rend ? &rend : NULL);
	if (wp)
		png_destroy_write_struct(&wp, wi ? &wi : NULL);
	/* The rows and the input buffer held the page: wiped, then freed. */
	if (row)
		sodium_memzero(row, rowbytes_kept);
	if (image)
		sodium_memzero(image, (size_t)rowbytes_kept * p->rows_kept + 1);
	free(row);
	free(image);
	sodium_memzero(p, sizeof(pw));
	free(p);
	return rc;
}

int ferry_sanitize_png(ferry_read_fn rd, void *rio, ferry_write_fn out, void *wio,
                       ferry_page_result *res, ferry_err *e)
{
	ferry_err local;
	if (!e)
		e = &local;
	ferry_err_clear(e);
	return sanitize_png(rd, rio, out, wio, res, e);
}
