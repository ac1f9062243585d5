/* libFuzzer: pack files, relay credentials, seal codes, fingerprints, form
 * codes, dates. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../trust/credential.h"
#include "../../trust/pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static ferry_pack pack;
	static ferry_credential cred;
	static int init;
	ferry_err err;
	if (!init) {
		if (sodium_init() < 0)
			abort();
		init = 1;
	}
	(void)!ferry_pack_parse(&pack, d, n, &err);
	(void)!ferry_credential_parse(&cred, (const char *)d, n, &err);
	char *s = malloc(n + 1);
	if (!s)
		return 0;
	memcpy(s, d, n);
	s[n] = 0;
	ferry_form_pub f;
	uint8_t pk[32] = {0}, code[5];
	uint32_t day;
	(void)!ferry_sealcode_decode(&f, s, &err);
	(void)!ferry_fingerprint_check(s, pk, "pack", &err);
	(void)!ferry_form_code_parse(code, s);
	(void)!ferry_day_parse(&day, s);
	free(s);
	return 0;
}
