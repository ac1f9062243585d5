#include "sheet.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/html.h"

/* Page geometry in tenths of a millimetre. The layout is computed here
 * rather than left to the browser: every printed page is a fixed box with
 * the form's code on it, so "page k of n" is known when the HTML is
 * written. The estimate errs towards more lines by a little (2 % of the
 * width, the widest letters' widths); tests/e2e/forms.sh measures it in
 * Chromium: nothing runs under a page's footer, and no question goes to
 * the next page when it fitted on the last. */
typedef struct {
	const char *css_size;
	int w, h;
	unsigned width; /* a line of 11 pt text, in twentieths of an em, less 2 % */
} paper_t;

/* 186 and 191.9 mm of text (the page less two margins) at 3.88 mm an em. */
static const paper_t PAPERS[2] = {{"A4", 2100, 2970, 940}, {"letter", 2159, 2794, 970}};

#define MARGIN      120
#define HEAD        560
#define FOOT        60 /* 10 pt footer line and 1 mm to spare */
#define NOTE_INDENT 20 /* an instruction's rule and padding, in 1/20 em */
#define TEXT_LINE   55
#define ANSWER_LINE 90
#define GAP         50

/* The form's own words in each language (FERRY_LANG_*). The page line
 * takes the page number, then the count (positional where the language
 * says the count first). */
typedef struct {
	const char *lang, *form, *page_of;
} words_t;

static const words_t WORDS[3] = {
    {"en", "form", "page %1$d of %2$d"},
    {"ko", "설문지", "%2$d쪽 중 %1$d쪽"},
    {"zh-CN", "问卷", "第 %1$d 页，共 %2$d 页"},
};

int ferry_lang_parse(const char *s)
{
	/* As --lang spells them, in FERRY_LANG_* order. */
	static const char *const NAMES[] = {"en", "ko", "zh"};
	_Static_assert(sizeof NAMES / sizeof *NAMES == sizeof WORDS / sizeof *WORDS,
	               "a name for every language");
	for (int i = 0; i < (int)(sizeof NAMES / sizeof *NAMES); i++)
		if (!strcmp(s, NAMES[i]))
			return i;
	return -1;
}

int ferry_paper_parse(const char *s)
{
	if (!strcmp(s, "a4") || !strcmp(s, "A4"))
		return FERRY_PAPER_A4;
	if (!strcmp(s, "letter"))
		return FERRY_PAPER_LETTER;
	return -1;
}

static int body_height(const paper_t *p)
{
	return p->h - 10 - 2 * MARGIN - HEAD - FOOT;
}

/* An instruction (number 0) has no number, no answer lines and no space
 * under its text but the gap. */
static int block_height(const paper_t *p, const ferry_question *q, int number)
{
	if (number == 0)
		return (int)ferry_text_lines(q->text, 0, p->width - NOTE_INDENT) * TEXT_LINE +
		       GAP;
	char prefix[16];
	snprintf(prefix, sizeof prefix, "%d. ", number);
	unsigned first = 0;
	for (const char *c = prefix; *c; c++)
		first += *c == ' ' ? 6 : *c == '.' ? 8 : 12;
	return (int)ferry_text_lines(q->text, first, p->width) * TEXT_LINE + 20 +
	       (int)q->lines * ANSWER_LINE + GAP;
}

/* The number printed before question i: instructions are not counted. */
static int number_of(const ferry_questions *q, size_t i)
{
	int n = 0;
	if (q->q[i].instruction)
		return 0;
	for (size_t k = 0; k <= i; k++)
		n += !q->q[k].instruction;
	return n;
}

/* page_of[i]: the page (from 0) question i is printed on. */
static int paginate(const ferry_questions *q, const paper_t *p, int *page_of,
                    ferry_err *e)
{
	int avail = body_height(p), used = 0, page = 0;
	for (size_t i = 0; i < q->n; i++) {
		int h = block_height(p, &q->q[i], number_of(q, i));
		if (h > avail)
			return ferry_fail(
			    e, FERRY_EOP,
			    "questions file, line %u: this question and its %u answer lines do not fit on one %s page; shorten it or give it fewer lines",
			    q->q[i].src_line, q->q[i].lines, p->css_size);
		if (used + h > avail) {
			page++;
			used = 0;
		}
		used += h;
		if (page_of)
			page_of[i] = page;
	}
	return page + 1;
}

int ferry_sheet_page_of(const ferry_questions *q, int paper, int *page_of,
                        ferry_err *e)
{
	if (paper < 0 || paper > 1)
		return ferry_fail(e, FERRY_EOP, "unknown paper size");
	return paginate(q, &PAPERS[paper], page_of, e);
}

int ferry_sheet_pages(const ferry_questions *q, int paper, ferry_err *e)
{
	return ferry_sheet_page_of(q, paper, NULL, e);
}

typedef struct {
	ferry_write_fn write;
	void *io;
	int failed;
} out_t;

static void put(out_t *o, const char *s)
{
	if (!o->failed && o->write(o->io, (const uint8_t *)s, strlen(s)) != 0)
		o->failed = 1;
}

static void putf(out_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(out_t *o, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	put(o, buf);
}

static void put_escaped(out_t *o, const char *s)
{
	if (!o->failed && ferry_html_escape(o->write, o->io, s, strlen(s)) != 0)
		o->failed = 1;
}

static void put_mm(out_t *o, const char *prop, int tenths)
{
	putf(o, "%s:%d.%dmm;", prop, tenths / 10, tenths % 10);
}

static void style(out_t *o, const paper_t *p)
{
	putf(o, "@page{size:%s;margin:0}\n", p->css_size);
	put(o,
	    "html,body{margin:0;padding:0;background:#fff;color:#000}\n"
	    "body{font-family:\"Noto Sans CJK KR\",\"Noto Sans CJK SC\",\"Noto Sans CJK JP\",\"Noto Sans\",\"DejaVu Sans\",sans-serif;font-size:11pt;-webkit-print-color-adjust:exact}\n.page{");
	put(o, "box-sizing:border-box;position:relative;overflow:hidden;");
	put_mm(o, "width", p->w);
	put_mm(o, "height", p->h - 10);
	put_mm(o, "padding", MARGIN);
	put(o,
	    "}\n.page:not(:last-child){break-after:page;page-break-after:always}\n"
	    ".head{display:flex;justify-content:space-between;align-items:flex-start;");
	put_mm(o, "height", HEAD);
	put(o,
	    "}\n.title{font-size:14pt;font-weight:bold;margin-bottom:4mm;max-width:120mm}\n.label{font-size:9pt}\n"
	    ".code{font-family:\"DejaVu Sans Mono\",\"Noto Sans Mono\",monospace;font-size:30pt;font-weight:bold;letter-spacing:1mm;white-space:nowrap}\n"
	    ".qr{width:48mm;height:48mm;image-rendering:pixelated}\n.q{");
	put_mm(o, "margin-bottom", GAP);
	put(o, "}\n.qt{");
	put_mm(o, "line-height", TEXT_LINE);
	put(o,
	    "margin-bottom:2mm}\n.note{border-left:0.8mm solid #000;padding-left:3mm;font-style:italic;");
	put_mm(o, "line-height", TEXT_LINE);
	put_mm(o, "margin-bottom", GAP);
	/* A long word or an address wraps instead of running off the page;
	 * Korean breaks between words, as it is read. */
	put(o,
	    "}\n.title,.qt,.note{overflow-wrap:anywhere}\n:lang(ko) .qt,:lang(ko) .note,:lang(ko) .title{word-break:keep-all}\n"
	    ".line{border-bottom:0.3mm solid #444;");
	put_mm(o, "height", ANSWER_LINE - 3);
	put(o,
	    "}\n.foot{position:absolute;display:flex;justify-content:space-between;font-size:10pt;");
	put_mm(o, "left", MARGIN);
	put_mm(o, "right", MARGIN);
	put_mm(o, "bottom", MARGIN);
	put(o, "}\n");
}

int ferry_sheet_write(const ferry_questions *q, int paper, int lang,
                      const ferry_sheet_form *forms, size_t nforms,
                      ferry_write_fn write, void *io, ferry_err *e)
{
	if (paper < 0 || paper > 1 || lang < 0 || lang > 2 || nforms == 0)
		return ferry_fail(e, FERRY_EOP, "nothing to print");
	const paper_t *p = &PAPERS[paper];
	const words_t *w = &WORDS[lang];
	int *page_of = calloc(q->n, sizeof *page_of);
	if (!page_of)
		return ferry_fail(e, FERRY_EOP, "out of memory");
	int pages = paginate(q, p, page_of, e);
	if (pages < 0) {
		free(page_of);
		return FERRY_EOP;
	}
	out_t o = {write, io, 0};
	put(&o, "<!DOCTYPE html>\n<html lang=\"");
	put(&o, w->lang);
	put(&o,
	    "\"><head><meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
	    "<title>");
	put_escaped(&o, q->title);
	put(&o, "</title>\n<style>\n");
	style(&o, p);
	put(&o, "</style></head>\n<body>\n");
	for (size_t f = 0; f < nforms; f++) {
		size_t b64len = sodium_base64_ENCODED_LEN(
		    forms[f].qr_len, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = malloc(b64len);
		if (!b64) {
			free(page_of);
			return ferry_fail(e, FERRY_EOP, "out of memory");
		}
		sodium_bin2base64(b64, b64len, forms[f].qr_png, forms[f].qr_len,
		                  sodium_base64_VARIANT_ORIGINAL);
		size_t qi = 0;
		for (int pg = 0; pg < pages; pg++) {
			put(&o,
			    "<section class=\"page\">\n<div class=\"head\"><div><div class=\"title\">");
			put_escaped(&o, q->title);
			putf(&o,
			     "</div><div class=\"label\">%s</div><div class=\"code\">",
			     w->form);
			put_escaped(&o, forms[f].form_code);
			put(&o,
			    "</div></div><img class=\"qr\" alt=\"QR\" src=\"data:image/png;base64,");
			put(&o, b64);
			put(&o, "\"></div>\n<div class=\"body\">\n");
			for (; qi < q->n && page_of[qi] == pg; qi++) {
				if (q->q[qi].instruction) {
					put(&o, "<div class=\"note\">");
					put_escaped(&o, q->q[qi].text);
					put(&o, "</div>\n");
					continue;
				}
				putf(&o, "<div class=\"q\"><div class=\"qt\">%d. ",
				     number_of(q, qi));
				put_escaped(&o, q->q[qi].text);
				put(&o, "</div>");
				for (unsigned l = 0; l < q->q[qi].lines; l++)
					put(&o, "<div class=\"line\"></div>");
				put(&o, "</div>\n");
			}
			put(&o, "</div>\n<div class=\"foot\"><span>");
			put_escaped(&o, forms[f].form_code);
			put(&o, "</span><span>");
			putf(&o, w->page_of, pg + 1, pages);
			put(&o, "</span></div>\n</section>\n");
		}
		free(b64);
	}
	put(&o, "</body></html>\n");
	free(page_of);
	if (o.failed)
		return ferry_fail(e, FERRY_EOP, "cannot write the forms file");
	return FERRY_OK;
}
