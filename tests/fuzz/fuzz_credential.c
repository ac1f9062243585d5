/* libFuzzer: relay credentials (the text, and the body behind it). */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../trust/credential.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static ferry_credential cred;
	static int init;
	ferry_err err;
	if (!init) {
		if (sodium_init() < 0)
			abort();
		init = 1;
	}
	(void)!ferry_credential_parse(&cred, (const char *)d, n, &err);
	return 0;
}
