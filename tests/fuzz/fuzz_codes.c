/* libFuzzer: what a person types: fingerprints (and their typo count),
 * form codes, dates and pack words. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../trust/pack.h"
#include "../../trust/word.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static int init;
	if (!init) {
		if (sodium_init() < 0)
			abort();
		init = 1;
	}
	char *s = malloc(n + 1);
	if (!s)
		return 0;
	memcpy(s, d, n);
	s[n] = 0;
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
