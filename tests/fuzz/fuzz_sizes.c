/* The spool's size histogram: any text parses to a bounded histogram of
 * valid bundle lengths, and a draw from it is one of them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../crypto/padme.h"
#include "../../relay/chaff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ferry_sizes h;
	ferry_sizes_parse(&h, (const char *)data, size);
	if (h.n > FERRY_SIZES_MAX)
		abort();
	for (unsigned i = 0; i < h.n; i++)
		if (!ferry_bundle_len_valid(h.len[i]) || h.count[i] == 0)
			abort();
	if (h.n) {
		uint64_t d = ferry_sizes_draw(&h);
		int found = 0;
		for (unsigned i = 0; i < h.n; i++)
			found |= h.len[i] == d;
		if (!found)
			abort();
	}
	return 0;
}
