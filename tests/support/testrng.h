#ifndef FERRY_TESTRNG_H
#define FERRY_TESTRNG_H

#include <stdint.h>

/* Installs the deterministic generator (before sodium_init) and runs
 * sodium_init. */
int testrng_install(const char *seed);
/* Restarts the stream from a new seed. */
void testrng_reseed(const char *seed);

#endif
