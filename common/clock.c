#include "clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

uint32_t ferry_today(void)
{
	return (uint32_t)(ferry_now() / FERRY_DAY_SECONDS);
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Howard Hinnant's algorithm, proleptic Gregorian. */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int ferry_day_parse(uint32_t *day, const char *text)
{
	int y, m, d;
	char tail;
	*day = 0;
	if (strlen(text) != 10 || sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return -1;
	if (y < 2000 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	int64_t n = days_from_civil(y, (unsigned)m, (unsigned)d);
	char back[11];
	ferry_day_text(back, (uint32_t)n);
	if (strcmp(back, text) != 0)
		return -1; /* 2026-02-31 and the like */
	*day = (uint32_t)n;
	return 0;
}

void ferry_day_text(char out[11], uint32_t day)
{
	time_t t = (time_t)day * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

void ferry_iso_time(char out[21], uint64_t t)
{
	/* Past the year 9999 the text would not fit (and strftime would
	 * leave out unterminated): such a time is shown as all zeros. */
	time_t tt = (time_t)t;
	struct tm tm;
	if (t > FERRY_TIME_MAX || !gmtime_r(&tt, &tm) ||
	    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
		memcpy(out, "0000-00-00T00:00:00Z", 21);
}
