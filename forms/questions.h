/* The questions file a journalist writes for printable forms.
 * Format (docs/QUESTIONS.md): UTF-8 text; '#' comment lines and blank
 * lines are ignored; the first remaining line is the title; a line that
 * starts with '>' is an instruction (consent, "do not write your name"),
 * printed as a block and not numbered; every other line is one question,
 * optionally ending in "[N]" for N answer lines (0 to 30, default 4). */
#ifndef FERRY_QUESTIONS_H
#define FERRY_QUESTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "../common/err.h"

#define FERRY_TITLE_MAX            200
#define FERRY_QUESTION_MAX         600 /* bytes of question text */
#define FERRY_QUESTIONS_MAX        100
#define FERRY_ANSWER_LINES_MAX     30
#define FERRY_ANSWER_LINES_DEFAULT 4

typedef struct {
	char *text; /* UTF-8, NUL-terminated */
	unsigned lines;
	unsigned src_line;
	int instruction; /* a '>' line: printed as a block, no number, no lines */
} ferry_question;

typedef struct {
	char *title;
	ferry_question *q;
	size_t n;
} ferry_questions;

/* Parses buf; errors name the line. */
int ferry_questions_parse(ferry_questions *out, const uint8_t *buf, size_t len,
                          ferry_err *e) FERRY_WUR;
void ferry_questions_free(ferry_questions *q);
/* Width of UTF-8 text in half-em columns (CJK and Hangul count 2). */
size_t ferry_text_columns(const char *s);
/* The lines UTF-8 text takes when wrapped as the printed form wraps it
 * (at spaces, after hyphens and slashes, between Chinese characters,
 * anywhere inside a run too long for a line), at width twentieths of an em a line, the first line
 * already holding first: an estimate that errs towards more lines. */
unsigned ferry_text_lines(const char *s, unsigned first, unsigned width);

#endif
