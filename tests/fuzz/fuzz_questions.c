/* libFuzzer: the questions file (ferry-desk issue --questions). */
#include <stdint.h>

#include "../../forms/questions.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	ferry_questions q;
	ferry_err e;
	if (ferry_questions_parse(&q, d, n, &e) == 0)
		ferry_questions_free(&q);
	return 0;
}
