/* libFuzzer: pack files, relay credentials, seal codes (both versions, and
 * what claims to be one), fingerprints (and their typo count), form codes,
 * dates, log attestations (as given, and after a valid first two lines, so
 * the fields past the desk's fingerprint are reached), minisign files and
 * release signatures with their certificate. */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../trust/attest.h"
#include "../../trust/credential.h"
#include "../../trust/minisign.h"
#include "../../trust/pack.h"
#include "../../trust/release.h"
#include "../../trust/word.h"

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
	(void)ferry_sealcode_claims(s);
	(void)!ferry_fingerprint_check(s, pk, "pack", &err);
	(void)ferry_fingerprint_typos(s, pk, NULL);
	(void)!ferry_form_code_parse(code, s);
	(void)!ferry_day_parse(&day, s);
	ferry_attestation a;
	(void)!ferry_attestation_parse(&a, s, n, pk, &err);
	char fp[FERRY_FP_TEXT_LEN + 1], *t = malloc(n + 128);
	ferry_fingerprint(fp, pk);
	if (t) {
		int h = snprintf(t, 128, "ferry log attestation v1\ndesk: %s\n", fp);
		memcpy(t + h, d, n);
		(void)!ferry_attestation_parse(&a, t, (size_t)h + n, pk, &err);
		h = snprintf(t, 128, "ferry log attestation v2\ndesk: %s\n", fp);
		memcpy(t + h, d, n);
		(void)!ferry_attestation_parse(&a, t, (size_t)h + n, pk, &err);
		free(t);
	}
	/* The pack word as typed, and a minisign signature file (the text
	 * before the first NUL as the key, the rest as the .minisig). */
	uint8_t w[FERRY_PACK_WORD_LEN];
	(void)!ferry_word_parse(w, s, &err);
	size_t kl = strlen(s);
	char comment[128];
	(void)!ferry_minisign_verify(s + (kl < n ? kl + 1 : n),
	                             n - (kl < n ? kl + 1 : n), d, n, s, comment,
	                             sizeof comment, &err);
	/* The whole input as a release signature of itself. */
	(void)!ferry_release_verify(s, n, d, n, "ferry-seal.html", fp, &err);
	free(s);
	return 0;
}
