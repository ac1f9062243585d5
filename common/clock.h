/* Time for ferry's rules (grace periods, expiry dates), in one place so
 * that the test build can set it: ferry_now() lives alone in now.c, and
 * the test programs link tests/support/testclock.c in its place. */
#ifndef FERRY_CLOCK_H
#define FERRY_CLOCK_H

#include <stdint.h>

#include "err.h"

#define FERRY_DAY_SECONDS 86400
/* The last second of the year 9999: no time ferry reads may be later. */
#define FERRY_TIME_MAX 253402300799ull

/* Unix seconds now. */
uint64_t ferry_now(void);
/* Today's day number (days since 1970-01-01, UTC). */
uint32_t ferry_today(void);
/* YYYY-MM-DD into a day number; -1 for anything else (2026-02-31 too). */
int ferry_day_parse(uint32_t *day, const char *text) FERRY_WUR;
void ferry_day_text(char out[11], uint32_t day);
/* "2026-12-01T10:00:00Z" of unix seconds t; all zeros past
 * FERRY_TIME_MAX. */
void ferry_iso_time(char out[21], uint64_t t);

#endif
