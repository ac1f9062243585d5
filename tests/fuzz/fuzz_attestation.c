/* libFuzzer: log attestations, as given and after a valid first two
 * lines of each version, so that the fields past the desk's fingerprint
 * are reached. */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../trust/attest.h"
#include "../../trust/pack.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	fuzz_init();
	uint8_t pk[32] = {0};
	ferry_attestation a;
	ferry_err err;
	(void)!ferry_attestation_parse(&a, (const char *)d, n, pk, &err);
	char fp[FERRY_FP_TEXT_LEN + 1], *t = malloc(n + 128);
	if (!t)
		return 0;
	ferry_fingerprint(fp, pk);
	int h = snprintf(t, 128, "ferry log attestation v1\ndesk: %s\n", fp);
	memcpy(t + h, d, n);
	(void)!ferry_attestation_parse(&a, t, (size_t)h + n, pk, &err);
	h = snprintf(t, 128, "ferry log attestation v2\ndesk: %s\n", fp);
	memcpy(t + h, d, n);
	(void)!ferry_attestation_parse(&a, t, (size_t)h + n, pk, &err);
	free(t);
	return 0;
}
