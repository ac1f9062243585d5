/* libFuzzer: seal codes, both versions, and what claims to be one. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../trust/pack.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	fuzz_init();
	char *s = fuzz_text(d, n);
	if (!s)
		return 0;
	ferry_form_pub f;
	ferry_err err;
	(void)!ferry_sealcode_decode(&f, s, &err);
	(void)ferry_sealcode_claims(s);
	free(s);
	return 0;
}
