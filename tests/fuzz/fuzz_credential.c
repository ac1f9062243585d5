/* libFuzzer: relay credentials (the text, and the body behind it). */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../trust/credential.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static ferry_credential cred;
	ferry_err err;
	fuzz_init();
	(void)!ferry_credential_parse(&cred, (const char *)d, n, &err);
	return 0;
}
