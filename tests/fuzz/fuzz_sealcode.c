/* libFuzzer: seal codes, both versions, and what claims to be one. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../trust/pack.h"

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
	ferry_form_pub f;
	ferry_err err;
	(void)!ferry_sealcode_decode(&f, s, &err);
	(void)ferry_sealcode_claims(s);
	free(s);
	return 0;
}
