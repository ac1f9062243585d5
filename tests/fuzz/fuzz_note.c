/* libFuzzer: a note entry's text, read back into the note. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/io.h"
#include "../../store/case_entry.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *text = fuzz_text(d, n);
	if (!text)
		return 0;
	ferry_membuf m = {0};
	(void)!ferry_note_text(text, &m, NULL);
	ferry_membuf_free(&m);
	free(text);
	return 0;
}
