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
#include "../common/io.h"

#define FERRY_TITLE_MAX            200
#define FERRY_QUESTION_MAX         600 /* bytes of question text */
#define FERRY_QUESTIONS_MAX        100
#define FERRY_ANSWER_LINES_MAX     30
#define FERRY_ANSWER_LINES_DEFAULT 4
/* The longest text ferry_questions_write makes: a byte-order mark, the
 * title and its newline, and each question with " [NN]" and a newline
 * (an instruction's "> " is shorter). */
#define FERRY_QUESTIONS_TEXT_MAX                                                  \
	(3 + FERRY_TITLE_MAX + 1 + FERRY_QUESTIONS_MAX * (FERRY_QUESTION_MAX + 6))

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
/* Writes q as a questions file that ferry_questions_parse reads back to
 * the same title, texts, answer lines and instructions: no comments,
 * every question with its "[N]", line feeds only (the form the desk's
 * vault keeps). Returns 0, or -1 when write fails. */
int ferry_questions_write(const ferry_questions *q, ferry_write_fn write,
                          void *io) FERRY_WUR;
/* Width of UTF-8 text in half-em columns (CJK and Hangul count 2). */
size_t ferry_text_columns(const char *s);
/* The lines UTF-8 text takes when wrapped as the printed form wraps it
 * (at spaces, after hyphens and slashes, between Chinese characters,
 * anywhere inside a run too long for a line), at width twentieths of an em a line, the first line
 * already holding first: an estimate that errs towards more lines. */
unsigned ferry_text_lines(const char *s, unsigned first, unsigned width);

#endif
