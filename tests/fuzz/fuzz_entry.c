/* libFuzzer: a log entry's text as recovery and 'cases' parse it (a
 * case, a key destruction, a revocation, a note), and a manifest's item
 * line as the report reads it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../store/case_entry.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *text = fuzz_text(d, n);
	if (!text)
		return 0;
	ferry_case_entry c;
	ferry_err e;
	(void)!ferry_case_entry_parse(&c, text, &e);
	ferry_item_line it;
	(void)!ferry_item_line_parse(&it, text, text + n);
	free(text);
	return 0;
}
