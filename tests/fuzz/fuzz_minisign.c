/* libFuzzer: minisign signature files (the text before the first NUL as
 * the public key, the rest as the .minisig) and release signatures with
 * their certificate (the whole input as the signature of itself). */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../trust/minisign.h"
#include "../../trust/pack.h"
#include "../../trust/release.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	fuzz_init();
	char *s = fuzz_text(d, n);
	if (!s)
		return 0;
	uint8_t pk[32] = {0};
	char comment[128], fp[FERRY_FP_TEXT_LEN + 1];
	ferry_err err;
	size_t kl = strlen(s);
	(void)!ferry_minisign_verify(s + (kl < n ? kl + 1 : n), n - (kl < n ? kl + 1 : n),
	                             d, n, s, comment, sizeof comment, &err);
	ferry_fingerprint(fp, pk);
	(void)!ferry_release_verify(s, n, d, n, "ferry-seal.html", fp, &err);
	free(s);
	return 0;
}
