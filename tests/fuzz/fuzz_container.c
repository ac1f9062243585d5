/* libFuzzer: the container reader (records, inflate, padding). */
#include <stdint.h>
#include <string.h>

#include "../../container/container_read.h"
#include "../../container/container_write.h"

static int b(void *u, unsigned i, uint8_t k)
{
	(void)u;
	(void)i;
	(void)k;
	return 0;
}
static int dd(void *u, const uint8_t *p, size_t n)
{
	(void)u;
	(void)p;
	(void)n;
	return 0;
}
static int e(void *u, const ferry_item_info *i)
{
	(void)u;
	(void)i;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const ferry_cr_callbacks cb = {b, dd, e};
	ferry_cr *cr = ferry_cr_create(&cb, NULL);
	if (!cr)
		return 0;
	/* Feed in two slices to exercise the state machine across calls. */
	size_t half = n / 2;
	ferry_err err;
	if (ferry_cr_feed(cr, d, half, &err) == 0 &&
	    ferry_cr_feed(cr, d + half, n - half, &err) == 0 &&
	    ferry_cr_finish(cr, &err) != 0 && err.msg[0] == 0)
		__builtin_trap(); /* every refusal must say why */
	ferry_cr_free(cr);
	return 0;
}
