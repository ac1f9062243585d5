/* The offline page (make web: build/web/ferry-seal.html) handed out with a
 * pack: 'ferry-desk issue --web PAGE' writes it next to the forms, with its
 * SHA-256, which the contact guide (desk/guide.h) prints. */
#ifndef FERRY_WEBPAGE_H
#define FERRY_WEBPAGE_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"

#define FERRY_WEBPAGE_MAX  (4u << 20) /* bytes: make web's limit */
#define FERRY_WEBPAGE_NAME "ferry-seal.html"

typedef struct {
	uint8_t *bytes;
	size_t len;
	char sha256[65]; /* hex */
} ferry_webpage;

/* Reads the page at path and checks that it is ferry's offline page (its
 * marker and its content policy): a guard against handing out the wrong
 * file, not a proof of anything. */
int ferry_webpage_load(ferry_webpage *w, const char *path, ferry_err *e) FERRY_WUR;
/* Writes ferry-seal.html and ferry-seal.html.sha256 (as sha256sum prints
 * it) into dir, both or neither; never replaces a file. */
int ferry_webpage_write(const ferry_webpage *w, const char *dir,
                        ferry_err *e) FERRY_WUR;
void ferry_webpage_free(ferry_webpage *w);

#endif
