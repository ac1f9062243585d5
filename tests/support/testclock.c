/* The test build's clock: FERRY_TEST_NOW (unix seconds) when it is set,
 * the real time otherwise. Linked into the unit tests and the test-only
 * ferry-desk-clock program in place of common/now.c; the programs that
 * are installed never read it. */
#include <stdlib.h>
#include <time.h>

#include "../../common/clock.h"

uint64_t ferry_now(void)
{
	const char *t = getenv("FERRY_TEST_NOW");
	if (t && *t) {
		char *end = NULL;
		unsigned long long v = strtoull(t, &end, 10);
		if (end && *end == '\0')
			return v;
	}
	time_t now = time(NULL);
	return now < 0 ? 0 : (uint64_t)now;
}
