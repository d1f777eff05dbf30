/*
 * timeutil.c: clocks and time formatting.
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "timeutil.h"

int64_t
irc_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Splits microseconds into whole seconds and the remainder, rounding down. */
static time_t
split_us(int64_t t, int64_t *frac)
{
	int64_t sec = t / 1000000, rem = t % 1000000;

	if (rem < 0) {
		rem += 1000000;
		sec--;
	}
	*frac = rem;
	return (time_t)sec;
}

char *
irc_time_local(int64_t t, char *buf, size_t size)
{
	int64_t frac;
	time_t sec = split_us(t, &frac);
	struct tm tm;

	if (localtime_r(&sec, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%d %H:%M:%S %z", &tm) == 0)
		snprintf(buf, size, "@%" PRId64, t);
	return buf;
}

char *
irc_time_utc(int64_t t, char *buf, size_t size)
{
	int64_t frac;
	time_t sec = split_us(t, &frac);
	struct tm tm;
	char date[32];

	if (gmtime_r(&sec, &tm) == NULL ||
	    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(buf, size, "@%" PRId64, t);
	else
		snprintf(buf, size, "%s.%06" PRId64 "Z", date, frac);
	return buf;
}

char *
irc_duration(int64_t us, char *buf, size_t size)
{
	int64_t s = us / 1000000;
	const char *sign = "";

	if (s < 0) {
		sign = "-";
		s = -s;
	}
	if (s >= 86400)
		snprintf(buf, size, "%s%" PRId64 "d %" PRId64 "h", sign,
		    s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, size, "%s%" PRId64 "h %02" PRId64 "m", sign,
		    s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, size, "%s%" PRId64 "m %02" PRId64 "s", sign,
		    s / 60, s % 60);
	else
		snprintf(buf, size, "%s%" PRId64 "s", sign, s);
	return buf;
}
