/* What every fuzz target shares: libsodium started once, and the input
 * as a NUL-terminated string for the parsers of text. */
#ifndef FERRY_FUZZ_H
#define FERRY_FUZZ_H

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline void fuzz_init(void)
{
	static int init;
	if (!init) {
		if (sodium_init() < 0)
			abort();
		init = 1;
	}
}

/* The n input bytes and a NUL after them, to free; NULL when memory runs
 * out (the run goes on). */
static inline char *fuzz_text(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, d, n);
		s[n] = 0;
	}
	return s;
}

#endif
