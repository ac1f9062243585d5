/* libFuzzer: pack files. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../trust/pack.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static ferry_pack pack;
	ferry_err err;
	fuzz_init();
	(void)!ferry_pack_parse(&pack, d, n, &err);
	return 0;
}
