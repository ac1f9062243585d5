#include "questions.h"
#include "../common/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	       (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	       (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
}

/* How wide a character prints in 11 pt sans-serif, in twentieths of an
 * em, rounded up from Noto Sans and Noto Sans CJK: the widest letters
 * and capitals get their own class so that a line of them is not
 * underestimated. */
static unsigned char_width(uint32_t cp)
{
	if (wide(cp))
		return 20;
	if (cp == ' ')
		return 6;
	if (cp == 'm' || cp == 'w' || cp == 'M' || cp == 'W' || cp == '@')
		return 17;
	if (cp >= 'A' && cp <= 'Z')
		return 14;
	if (cp >= '0' && cp <= '9')
		return 12;
	if (cp >= 'a' && cp <= 'z')
		return 11;
	if (cp < 0x80)
		return 8;
	return 14;
}

/* Hangul is kept whole between spaces (word-break: keep-all); Chinese
 * and Japanese break between any two characters. */
static int breaks_around(uint32_t cp)
{
	return wide(cp) && !(cp >= 0xac00 && cp <= 0xd7a3) &&
	       !(cp >= 0x1100 && cp <= 0x115f);
}

unsigned ferry_text_lines(const char *s, unsigned first, unsigned width)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t n = strlen(s);
	/* used: the line so far; word: the unbroken run being placed. */
	unsigned lines = 1, used = first, word = 0;
	while (n > 0) {
		uint32_t cp = 0;
		size_t l = ferry_utf8_next(p, n, &cp);
		if (l == 0)
			l = 1;
		unsigned w = char_width(cp);
		if (cp == '-' || cp == '/') {
			/* A line may end after a hyphen or a slash (an address's
			 * parts). */
			word += w;
			if (used + word > width && used > 0) {
				lines++;
				used = 0;
			}
			used += word;
			word = 0;
		} else if (cp == ' ' || breaks_around(cp)) {
			/* The run ends: it goes on this line or the next. */
			if (used + word > width && used > 0) {
				lines++;
				used = 0;
			}
			used += word;
			word = 0;
			if (cp == ' ') {
				used += w;
			} else if (used + w > width) {
				lines++;
				used = w;
			} else {
				used += w;
			}
		} else if (word + w > width) {
			/* A run longer than a line breaks anywhere
			 * (overflow-wrap: anywhere). */
			if (used > 0)
				lines++;
			lines++;
			used = 0;
			word = w;
		} else {
			word += w;
		}
		p += l;
		n -= l;
	}
	if (used + word > width && used > 0)
		lines++;
	return lines;
}

size_t ferry_text_columns(const char *s)
{
	size_t cols = 0, n = strlen(s);
	const uint8_t *p = (const uint8_t *)s;
	while (n > 0) {
		uint32_t cp = 0;
		size_t l = ferry_utf8_next(p, n, &cp);
		if (l == 0)
			l = 1;
		cols += wide(cp) ? 2 : 1;
		p += l;
		n -= l;
	}
	return cols;
}

static char *dup_range(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

void ferry_questions_free(ferry_questions *q)
{
	free(q->title);
	for (size_t i = 0; i < q->n; i++)
		free(q->q[i].text);
	free(q->q);
	memset(q, 0, sizeof *q);
}

static int put(ferry_write_fn write, void *io, const char *s)
{
	return write(io, (const uint8_t *)s, strlen(s));
}

int ferry_questions_write(const ferry_questions *q, ferry_write_fn write, void *io)
{
	char lines[16];
	/* A title that itself starts with a byte-order mark keeps it: the
	 * parser drops the first one only. */
	int bad = !strncmp(q->title, "\xef\xbb\xbf", 3) && put(write, io, "\xef\xbb\xbf");
	bad |= put(write, io, q->title) || put(write, io, "\n");
	for (size_t i = 0; i < q->n && !bad; i++) {
		const ferry_question *x = &q->q[i];
		snprintf(lines, sizeof lines, " [%u]\n", x->lines);
		bad |= (x->instruction && put(write, io, "> ")) ||
		       put(write, io, x->text) ||
		       put(write, io, x->instruction ? "\n" : lines);
	}
	return bad ? -1 : 0;
}

/* Every character of a line must be UTF-8 text: no control characters
 * but tab. */
static int check_text(const uint8_t *line, size_t ll, unsigned lineno, ferry_err *e)
{
	switch (ferry_text_check((const char *)line, ll, FERRY_TEXT_TAB)) {
	case FERRY_TEXT_OK: return FERRY_OK;
	case FERRY_TEXT_NOT_UTF8:
		return ferry_fail_hint(e, FERRY_EOP, "save the file as UTF-8",
		                       "questions file, line %u: not valid UTF-8", lineno);
	default:
		return ferry_fail(e, FERRY_EOP,
		                  "questions file, line %u: contains a control character",
		                  lineno);
	}
}

static void trim(const uint8_t **line, size_t *ll)
{
	while (*ll > 0 && ((*line)[0] == ' ' || (*line)[0] == '\t')) {
		(*line)++;
		(*ll)--;
	}
	while (*ll > 0 && ((*line)[*ll - 1] == ' ' || (*line)[*ll - 1] == '\t'))
		(*ll)--;
}

/* A trailing "[N]" sets the answer lines: *lines gets N and *ll drops it.
 * Anything else in brackets is question text. */
static int answer_lines(const uint8_t *line, size_t *ll, unsigned *lines,
                        unsigned lineno, ferry_err *e)
{
	*lines = FERRY_ANSWER_LINES_DEFAULT;
	if (*ll < 3 || line[*ll - 1] != ']')
		return FERRY_OK;
	size_t open = *ll - 1;
	while (open > 0 && line[open - 1] != '[')
		open--;
	size_t dl = *ll - 1 - open;
	if (open == 0 || dl == 0 || dl > 3)
		return FERRY_OK;
	unsigned v = 0;
	for (size_t k = 0; k < dl; k++) {
		if (line[open + k] < '0' || line[open + k] > '9')
			return FERRY_OK;
		v = v * 10 + (unsigned)(line[open + k] - '0');
	}
	if (v > FERRY_ANSWER_LINES_MAX)
		return ferry_fail(
		    e, FERRY_EOP,
		    "questions file, line %u: [%u] answer lines is more than the %d that fit on a page",
		    lineno, v, FERRY_ANSWER_LINES_MAX);
	*lines = v;
	*ll = open - 1;
	trim(&line, ll);
	return FERRY_OK;
}

/* One meaningful line: the title if there is none yet, else a question. */
static int add_line(ferry_questions *out, const uint8_t *line, size_t ll,
                    unsigned lineno, ferry_err *e)
{
	if (!out->title) {
		if (ll > FERRY_TITLE_MAX)
			return ferry_fail(
			    e, FERRY_EOP,
			    "questions file, line %u: the title is longer than %d bytes",
			    lineno, FERRY_TITLE_MAX);
		out->title = dup_range(line, ll);
		return out->title ? FERRY_OK
		                  : ferry_fail(e, FERRY_EOP, "out of memory");
	}
	unsigned lines = 0;
	int instruction = line[0] == '>';
	if (instruction) {
		line++;
		ll--;
		trim(&line, &ll);
	} else if (answer_lines(line, &ll, &lines, lineno, e) != FERRY_OK) {
		return FERRY_EOP;
	}
	if (ll == 0)
		return ferry_fail(e, FERRY_EOP,
		                  "questions file, line %u: %s with no text", lineno,
		                  instruction ? "an instruction" : "a question");
	if (ll > FERRY_QUESTION_MAX)
		return ferry_fail_hint(
		    e, FERRY_EOP, "split it",
		    "questions file, line %u: the question is %zu bytes, longer than fits a page (at most %d)",
		    lineno, ll, FERRY_QUESTION_MAX);
	if (out->n == FERRY_QUESTIONS_MAX)
		return ferry_fail(e, FERRY_EOP,
		                  "questions file, line %u: more than %d questions",
		                  lineno, FERRY_QUESTIONS_MAX);
	ferry_question *q = &out->q[out->n];
	if (!(q->text = dup_range(line, ll)))
		return ferry_fail(e, FERRY_EOP, "out of memory");
	q->lines = lines;
	q->src_line = lineno;
	q->instruction = instruction;
	out->n++;
	return FERRY_OK;
}

int ferry_questions_parse(ferry_questions *out, const uint8_t *buf, size_t len,
                          ferry_err *e)
{
	memset(out, 0, sizeof *out);
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
		buf += 3;
		len -= 3;
	}
	out->q = calloc(FERRY_QUESTIONS_MAX, sizeof *out->q);
	if (!out->q)
		return ferry_fail(e, FERRY_EOP, "out of memory");
	unsigned lineno = 0;
	size_t off = 0;
	int rc = FERRY_OK;
	while (rc == FERRY_OK && off < len) {
		const uint8_t *line = buf + off;
		const uint8_t *nl = memchr(line, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - line) : len - off;
		off += ll + (nl ? 1 : 0);
		lineno++;
		if (ll > 0 && line[ll - 1] == '\r')
			ll--;
		if ((rc = check_text(line, ll, lineno, e)) != FERRY_OK)
			break;
		trim(&line, &ll);
		if (ll > 0 && line[0] != '#')
			rc = add_line(out, line, ll, lineno, e);
	}
	size_t asked = 0;
	for (size_t i = 0; i < out->n; i++)
		asked += !out->q[i].instruction;
	if (rc == FERRY_OK && (!out->title || asked == 0))
		rc = ferry_fail_hint(e, FERRY_EOP,
		                     "write a title line, then one question a line",
		                     "questions file has %s",
		                     lineno == 0 ? "nothing in it" : "no questions");
	if (rc != FERRY_OK)
		ferry_questions_free(out);
	return rc;
}
