#include "qr.h"

#include <errno.h>
#include <png.h>
#include <qrencode.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

static int is_alnum_charset(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
		      strchr(" $%*+-./:", *s)))
			return 0;
	return 1;
}

int ferry_qr_encode(ferry_qr *q, const char *text)
{
	memset(q, 0, sizeof *q);
	size_t n = strlen(text);
	if (n == 0 || n > 4000 || !is_alnum_charset(text)) {
		errno = EINVAL;
		return -1;
	}
	/* Force alphanumeric mode: QRcode_encodeString would choose modes
	 * itself. Version 0 lets libqrencode pick the smallest that fits. */
	QRinput *in = QRinput_new2(0, QR_ECLEVEL_M);
	if (!in)
		return -1;
	QRcode *c = NULL;
	if (QRinput_append(in, QR_MODE_AN, (int)n, (const unsigned char *)text) == 0)
		c = QRcode_encodeInput(in);
	QRinput_free(in);
	if (!c)
		return -1;
	q->version = c->version;
	q->width = c->width;
	q->modules = malloc((size_t)c->width * (size_t)c->width);
	if (!q->modules) {
		QRcode_free(c);
		return -1;
	}
	for (int i = 0; i < c->width * c->width; i++)
		q->modules[i] = c->data[i] & 1;
	QRcode_free(c);
	return 0;
}

void ferry_qr_free(ferry_qr *q)
{
	free(q->modules);
	memset(q, 0, sizeof *q);
}

static int dark(const ferry_qr *q, int x, int y)
{
	x -= FERRY_QR_QUIET;
	y -= FERRY_QR_QUIET;
	if (x < 0 || y < 0 || x >= q->width || y >= q->width)
		return 0;
	return q->modules[(size_t)y * (size_t)q->width + (size_t)x];
}

typedef struct {
	ferry_write_fn write;
	void *io;
	int write_errno; /* of the write that failed, for the caller's message */
} png_sink;

static void png_out(png_structp png, png_bytep data, size_t len)
{
	png_sink *s = png_get_io_ptr(png);
	errno = 0;
	if (s->write(s->io, data, len) != 0) {
		s->write_errno = errno ? errno : EIO;
		png_error(png, "write failed");
	}
}

static void png_flush_none(png_structp png)
{
	(void)png;
}

static void png_fail(png_structp png, png_const_charp msg)
{
	(void)msg;
	png_longjmp(png, 1);
}

static void png_warn_none(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

int ferry_qr_png(const ferry_qr *q, unsigned module_px, ferry_write_fn write, void *io)
{
	if (module_px < 1 || module_px > 64 || !q->modules) {
		errno = EINVAL;
		return -1;
	}
	png_sink sink = {write, io, 0};
	unsigned side = (unsigned)(q->width + 2 * FERRY_QR_QUIET) * module_px;
	png_bytep volatile row = malloc((side + 7) / 8);
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_fail,
	                                          png_warn_none);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!row || !png || !info) {
		free(row);
		if (png)
			png_destroy_write_struct(&png, info ? &info : NULL);
		errno = ENOMEM;
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(row);
		/* The write's own errno; libpng fails otherwise only for memory. */
		errno = sink.write_errno ? sink.write_errno : ENOMEM;
		return -1;
	}
	png_set_write_fn(png, &sink, png_out, png_flush_none);
	png_set_IHDR(png, info, side, side, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (unsigned y = 0; y < side; y++) {
		memset(row, 0, (side + 7) / 8);
		for (unsigned x = 0; x < side; x++)
			if (!dark(q, (int)(x / module_px), (int)(y / module_px)))
				row[x / 8] |=
				    (png_byte)(0x80 >> (x % 8)); /* 1 = white */
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	return 0;
}

int ferry_qr_text(const ferry_qr *q, ferry_write_fn write, void *io)
{
	static const char FULL[] = "\xe2\x96\x88", UPPER[] = "\xe2\x96\x80",
	                  LOWER[] = "\xe2\x96\x84";
	int side = q->width + 2 * FERRY_QR_QUIET;
	for (int y = 0; y < side; y += 2) {
		for (int x = 0; x < side; x++) {
			/* A row past the end counts as dark: nothing is drawn. */
			int top = dark(q, x, y);
			int bottom = y + 1 < side ? dark(q, x, y + 1) : 1;
			const char *c = !top && !bottom ? FULL
			                : !top          ? UPPER
			                : !bottom       ? LOWER
			                                : " ";
			if (write(io, (const uint8_t *)c, strlen(c)) != 0)
				return -1;
		}
		if (write(io, (const uint8_t *)"\n", 1) != 0)
			return -1;
	}
	return 0;
}
