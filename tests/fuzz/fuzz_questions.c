/* libFuzzer: the questions file (ferry-desk issue --questions), and its
 * writer: what the parser accepts, written out (as the vault keeps it),
 * reads back the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../forms/questions.h"

static int same(const ferry_questions *a, const ferry_questions *b)
{
	if (strcmp(a->title, b->title) || a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->q[i].text, b->q[i].text) || a->q[i].lines != b->q[i].lines ||
		    a->q[i].instruction != b->q[i].instruction)
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	ferry_questions q, r;
	ferry_err e;
	ferry_membuf m = {0};
	if (ferry_questions_parse(&q, d, n, &e) != 0)
		return 0;
	if (ferry_questions_write(&q, ferry_membuf_write, &m) != 0 ||
	    m.len > FERRY_QUESTIONS_TEXT_MAX ||
	    ferry_questions_parse(&r, m.p, m.len, &e) != 0)
		abort();
	if (!same(&q, &r))
		abort();
	ferry_questions_free(&r);
	ferry_questions_free(&q);
	ferry_membuf_free(&m);
	return 0;
}
