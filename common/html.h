/* Text into HTML, for the printable forms and the case browser. */
#ifndef FERRY_HTML_H
#define FERRY_HTML_H

#include <stddef.h>

#include "err.h"
#include "io.h"

/* Writes the n bytes of s with & < > " ' as entities, so that text from
 * a questions file, a label or a bundle can never become markup; the
 * rest in runs, as it is. */
int ferry_html_escape(ferry_write_fn write, void *io, const char *s,
                      size_t n) FERRY_WUR;

#endif
