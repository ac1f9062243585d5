/* libFuzzer: the PNG decode/re-encode path and its chunk watcher. */
#include <stdint.h>
#include <string.h>

#include "../../pages/sanitize.h"

static int sink(void *io, const uint8_t *p, size_t n)
{
	(void)io;
	(void)p;
	(void)n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	ferry_mem_reader m = {d, n, 0};
	ferry_page_result r;
	ferry_err err;
	if (ferry_sanitize_png(ferry_read_mem, &m, sink, NULL, &r, &err) != 0 &&
	    err.msg[0] == 0)
		__builtin_trap();
	return 0;
}
