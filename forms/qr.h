/* QR codes for seal codes and the desk fingerprint: libqrencode for the
 * symbol, libpng for the image. */
#ifndef FERRY_QR_H
#define FERRY_QR_H

#include <stddef.h>
#include <stdint.h>

#include "../common/io.h"

/* Seal codes must fit this version at error correction M (351
 * alphanumeric characters; version 11-M holds 362). */
#define FERRY_QR_MAX_VERSION 11
#define FERRY_QR_QUIET       4

typedef struct {
	int version;
	int width;        /* modules a side, without the quiet zone */
	uint8_t *modules; /* width * width, 1 = dark */
} ferry_qr;

/* Encodes text at error level M in alphanumeric mode (the text must use
 * only the QR alphanumeric charset), the smallest version that fits.
 * -1 with errno: EINVAL for text it refuses, or libqrencode's (ENOMEM,
 * ERANGE when no version holds it). */
int ferry_qr_encode(ferry_qr *q, const char *text) FERRY_WUR;
void ferry_qr_free(ferry_qr *q);
/* Writes a 1-bit greyscale PNG: module_px pixels a module, 4-module
 * quiet zone. -1 with errno: the failed write's, or ENOMEM. */
int ferry_qr_png(const ferry_qr *q, unsigned module_px, ferry_write_fn write,
                 void *io) FERRY_WUR;
/* Renders with UTF-8 half blocks for a terminal (light modules drawn, for
 * dark terminal backgrounds), quiet zone included. */
int ferry_qr_text(const ferry_qr *q, ferry_write_fn write, void *io) FERRY_WUR;

#endif
