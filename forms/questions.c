#include "questions.h"

#include <stdlib.h>
#include <string.h>

/* Decodes one UTF-8 sequence (strict: no overlongs, no surrogates).
 * Returns its length, or 0 when it is malformed. */
static size_t utf8_next(const uint8_t *s, size_t n, uint32_t *cp)
{
	uint8_t c = s[0];
	size_t len;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		len = 2;
		*cp = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		*cp = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		*cp = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[k] & 0x3f);
	}
	if ((len == 2 && *cp < 0x80) || (len == 3 && *cp < 0x800) ||
	    (len == 4 && *cp < 0x10000) || *cp > 0x10ffff ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

static int wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	       (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	       (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
}

size_t ferry_text_columns(const char *s)
{
	size_t cols = 0, n = strlen(s);
	const uint8_t *p = (const uint8_t *)s;
	while (n > 0) {
		uint32_t cp = 0;
		size_t l = utf8_next(p, n, &cp);
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
	while (off < len) {
		const uint8_t *line = buf + off;
		const uint8_t *nl = memchr(line, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - line) : len - off;
		off += ll + (nl ? 1 : 0);
		lineno++;
		if (ll > 0 && line[ll - 1] == '\r')
			ll--;
		for (size_t i = 0; i < ll;) {
			uint32_t cp;
			size_t l = utf8_next(line + i, ll - i, &cp);
			if (l == 0 || cp == 0 || (cp < 0x20 && cp != '\t') || cp == 0x7f) {
				ferry_questions_free(out);
				return ferry_fail(e, FERRY_EOP,
				                  "questions file, line %u: %s", lineno,
				                  l == 0 ? "not valid UTF-8 (save the file as "
				                           "UTF-8)"
				                         : "contains a control character");
			}
			i += l;
		}
		/* Trim spaces and tabs. */
		while (ll > 0 && (line[0] == ' ' || line[0] == '\t')) {
			line++;
			ll--;
		}
		while (ll > 0 && (line[ll - 1] == ' ' || line[ll - 1] == '\t'))
			ll--;
		if (ll == 0 || line[0] == '#')
			continue;
		if (!out->title) {
			if (ll > FERRY_TITLE_MAX) {
				ferry_questions_free(out);
				return ferry_fail(e, FERRY_EOP,
				                  "questions file, line %u: the title is longer "
				                  "than %d bytes",
				                  lineno, FERRY_TITLE_MAX);
			}
			out->title = dup_range(line, ll);
			if (!out->title) {
				ferry_questions_free(out);
				return ferry_fail(e, FERRY_EOP, "out of memory");
			}
			continue;
		}
		unsigned lines = FERRY_ANSWER_LINES_DEFAULT;
		if (ll >= 3 && line[ll - 1] == ']') {
			size_t open = ll - 1;
			while (open > 0 && line[open - 1] != '[')
				open--;
			if (open > 0) {
				const uint8_t *d = line + open;
				size_t dl = ll - 1 - open;
				unsigned v = 0;
				int okd = dl > 0 && dl <= 3;
				for (size_t k = 0; okd && k < dl; k++) {
					if (d[k] < '0' || d[k] > '9')
						okd = 0;
					else
						v = v * 10 + (unsigned)(d[k] - '0');
				}
				if (okd) {
					if (v > FERRY_ANSWER_LINES_MAX) {
						ferry_questions_free(out);
						return ferry_fail(e, FERRY_EOP,
						                  "questions file, line %u: [%u] answer "
						                  "lines is more than the %d that fit "
						                  "on a page",
						                  lineno, v, FERRY_ANSWER_LINES_MAX);
					}
					lines = v;
					ll = open - 1;
					while (ll > 0 && (line[ll - 1] == ' ' || line[ll - 1] == '\t'))
						ll--;
				}
			}
		}
		if (ll == 0) {
			ferry_questions_free(out);
			return ferry_fail(e, FERRY_EOP,
			                  "questions file, line %u: a question with no text",
			                  lineno);
		}
		if (ll > FERRY_QUESTION_MAX) {
			ferry_questions_free(out);
			return ferry_fail(e, FERRY_EOP,
			                  "questions file, line %u: the question is %zu "
			                  "bytes, longer than fits a page (at most %d); "
			                  "split it",
			                  lineno, ll, FERRY_QUESTION_MAX);
		}
		if (out->n == FERRY_QUESTIONS_MAX) {
			ferry_questions_free(out);
			return ferry_fail(e, FERRY_EOP,
			                  "questions file, line %u: more than %d questions",
			                  lineno, FERRY_QUESTIONS_MAX);
		}
		ferry_question *q = &out->q[out->n];
		q->text = dup_range(line, ll);
		if (!q->text) {
			ferry_questions_free(out);
			return ferry_fail(e, FERRY_EOP, "out of memory");
		}
		q->lines = lines;
		q->src_line = lineno;
		out->n++;
	}
	if (!out->title || out->n == 0) {
		ferry_questions_free(out);
		return ferry_fail(e, FERRY_EOP,
		                  "questions file has %s: write a title line, then one "
		                  "question a line",
		                  lineno == 0 ? "nothing in it" : "no questions");
	}
	return FERRY_OK;
}
