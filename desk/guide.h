/* The contact guide: one printed page, in Korean, Chinese and English,
 * that 'ferry-desk issue' writes next to the printable forms. It says how
 * to photograph a form, seal it (the offline page or one command), send
 * the bundle on, delete what the phone keeps, and keep the pack apart from
 * the forms; with the offline page (--web), how to get the page and check
 * its SHA-256. It names no desk, pack label, person or place. */
#ifndef FERRY_GUIDE_H
#define FERRY_GUIDE_H

#include <stddef.h>

#include "../common/err.h"

/* Writes contact-guide-NAME.html (NAME: the pack's short name) into dir,
 * never replacing a file; page_sha256 (hex) is the offline page's, or
 * NULL when no page goes with the pack. path gets the guide's path. */
int ferry_guide_write(const char *dir, const char *pack_name, const char *page_sha256,
                      char *path, size_t cap, ferry_err *e) FERRY_WUR;

#endif
