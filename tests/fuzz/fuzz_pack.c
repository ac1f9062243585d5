/* libFuzzer: pack files. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../trust/pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static ferry_pack pack;
	static int init;
	ferry_err err;
	if (!init) {
		if (sodium_init() < 0)
			abort();
		init = 1;
	}
	(void)!ferry_pack_parse(&pack, d, n, &err);
	return 0;
}
