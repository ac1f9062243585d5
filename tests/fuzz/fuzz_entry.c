/* libFuzzer: a log entry's text as recovery and 'cases' parse it (a
 * case, a key destruction, a revocation, a note). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../store/case_entry.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *text = malloc(n + 1);
	if (!text)
		return 0;
	memcpy(text, d, n);
	text[n] = 0;
	ferry_case_entry c;
	ferry_err e;
	(void)!ferry_case_entry_parse(&c, text, &e);
	free(text);
	return 0;
}
