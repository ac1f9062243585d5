#include "questions.h"
#include "../common/utf8.h"

#include <stdlib.h>
#include <string.h>

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
			size_t l = ferry_utf8_next(line + i, ll - i, &cp);
			if (l == 0 || cp == 0 || (cp < 0x20 && cp != '\t') ||
			    cp == 0x7f) {
				ferry_questions_free(out);
				return ferry_fail(
				    e, FERRY_EOP, "questions file, line %u: %s", lineno,
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
				return ferry_fail(
				    e, FERRY_EOP,
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
						return ferry_fail(
						    e, FERRY_EOP,
						    "questions file, line %u: [%u] "
						    "answer "
						    "lines is more than the %d that "
						    "fit "
						    "on a page",
						    lineno, v, FERRY_ANSWER_LINES_MAX);
					}
					lines = v;
					ll = open - 1;
					while (ll > 0 && (line[ll - 1] == ' ' ||
					                  line[ll - 1] == '\t'))
						ll--;
				}
			}
		}
		if (ll == 0) {
			ferry_questions_free(out);
			return ferry_fail(
			    e, FERRY_EOP,
			    "questions file, line %u: a question with no text", lineno);
		}
		if (ll > FERRY_QUESTION_MAX) {
			ferry_questions_free(out);
			return ferry_fail(
			    e, FERRY_EOP,
			    "questions file, line %u: the question is %zu "
			    "bytes, longer than fits a page (at most %d); "
			    "split it",
			    lineno, ll, FERRY_QUESTION_MAX);
		}
		if (out->n == FERRY_QUESTIONS_MAX) {
			ferry_questions_free(out);
			return ferry_fail(
			    e, FERRY_EOP,
			    "questions file, line %u: more than %d questions", lineno,
			    FERRY_QUESTIONS_MAX);
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
