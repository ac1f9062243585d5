/* libFuzzer: the log's framing, walked from memory (ferry_log_walk_read):
 * the header (its desk id taken from the input, so it matches), then
 * entries of any length field, torn tails included. The key is fixed, so
 * no entry decrypts: the walk's framing and its refusals are the target. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/io.h"
#include "../../store/log.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	fuzz_init();
	uint8_t *log = malloc(n + 8);
	if (!log)
		return 0;
	memcpy(log, "FERRYLG1", 8);
	memcpy(log + 8, d, n);
	uint8_t key[32] = {0}, id[32] = {0}, head[32] = {0};
	if (n >= 32)
		memcpy(id, d, 32);
	ferry_mem_reader m = {log, n + 8, 0};
	ferry_log_state st;
	ferry_err e;
	(void)!ferry_log_walk_read(ferry_read_mem, &m, key, id, 0, head, NULL, NULL, &st,
	                           &e);
	free(log);
	return 0;
}
