/* libFuzzer: the JPEG marker walker and EXIF reader. */
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
	if (ferry_sanitize_jpeg(ferry_read_mem, &m, sink, NULL, &r, &err) != 0 &&
	    err.msg[0] == 0)
		__builtin_trap(); /* every refusal must say why */
	return 0;
}
