/* libFuzzer: the vault's decrypted contents (what follows the AEAD), in
 * each of its plaintext layouts. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../store/vault.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	fuzz_init();
	for (uint8_t layout = FERRY_VAULT_PLAIN_V0; layout <= FERRY_VAULT_PLAIN_NEWEST;
	     layout++) {
		ferry_vault *v = ferry_vault_alloc();
		if (v) {
			v->plain_version = layout;
			(void)!ferry_vault_parse_plain(v, d, n);
			ferry_vault_free(v);
		}
	}
	return 0;
}
