/* libFuzzer: what a person types: fingerprints (and their typo count),
 * form codes, dates and pack words. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../trust/pack.h"
#include "../../trust/word.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	fuzz_init();
	char *s = fuzz_text(d, n);
	if (!s)
		return 0;
	uint8_t pk[32] = {0}, code[5], w[FERRY_PACK_WORD_LEN];
	uint32_t day;
	ferry_err err;
	(void)!ferry_fingerprint_check(s, pk, "pack", &err);
	(void)ferry_fingerprint_typos(s, pk, NULL);
	(void)!ferry_form_code_parse(code, s);
	(void)!ferry_day_parse(&day, s);
	(void)!ferry_word_parse(w, s, &err);
	free(s);
	return 0;
}
