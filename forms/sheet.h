/* Printable questionnaires: one self-contained HTML document, one form
 * per printed page (or page group), each page with the form code in large
 * type, the seal code as a QR image and "page k of n". It loads nothing
 * from anywhere. */
#ifndef FERRY_SHEET_H
#define FERRY_SHEET_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"
#include "../common/io.h"
#include "questions.h"

enum { FERRY_PAPER_A4 = 0, FERRY_PAPER_LETTER = 1 };
/* The language of the form's own words ("form", "page 1 of 3") and of
 * its lang attribute: the questions' language. */
enum { FERRY_LANG_EN = 0, FERRY_LANG_KO = 1, FERRY_LANG_ZH = 2 };

typedef struct {
	const char *form_code; /* "K7QF-M2XA" */
	const uint8_t *qr_png;
	size_t qr_len;
} ferry_sheet_form;

int ferry_paper_parse(const char *s);
/* "en", "ko" or "zh"; -1 for anything else. */
int ferry_lang_parse(const char *s);
/* Pages one form takes on this paper; -1 (and e says which question)
 * when a question does not fit on a page. */
int ferry_sheet_pages(const ferry_questions *q, int paper, ferry_err *e) FERRY_WUR;
/* page_of[i] (q->n of them): the page, from 0, question i is printed on;
 * returns the pages, or -1 as ferry_sheet_pages. */
int ferry_sheet_page_of(const ferry_questions *q, int paper, int *page_of,
                        ferry_err *e) FERRY_WUR;
int ferry_sheet_write(const ferry_questions *q, int paper, int lang,
                      const ferry_sheet_form *forms, size_t nforms,
                      ferry_write_fn write, void *io, ferry_err *e) FERRY_WUR;

#endif
