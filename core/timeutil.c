/*
 * timeutil.c: clocks and time formatting.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timeutil.h"

int64_t
irc_now_us(void)
{
	struct timespec ts;
#ifdef IRC_TEST_BUILD
	/*
	 * Test builds only: IRCASE_TEST_NOW (RFC 3339 or local time as
	 * irc_time_parse() reads it) fixes the clock, so tests can check
	 * deadlines and metrics.  Release builds never read it.
	 */
	const char *fixed = getenv("IRCASE_TEST_NOW");
	int64_t t;

	if (fixed != NULL && *fixed != '\0' &&
	    irc_time_parse(fixed, &t, NULL, NULL) == IRC_OK)
		return t;
#endif
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

	if (gmtime_r(&sec, &tm) == NULL) {
		snprintf(buf, size, "@%" PRId64, t);
	} else if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999 ||
	    size < sizeof "YYYY-MM-DDTHH:MM:SS.uuuuuuZ") {
		snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%06" PRId64
		    "Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
	} else {
		/*
		 * Written digit by digit: exports format two times per action,
		 * and strftime() with snprintf() took a twelfth of the time of
		 * a JSON export of a million actions.
		 */
		const int parts[] = { tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec };
		static const char seps[] = "--T::.";
		char *p = buf;

		for (size_t i = 0; i < 6; i++) {
			int v = parts[i];

			if (i == 0) {
				*p++ = (char)('0' + v / 1000);
				*p++ = (char)('0' + v / 100 % 10);
			}
			*p++ = (char)('0' + v / 10 % 10);
			*p++ = (char)('0' + v % 10);
			*p++ = seps[i];
		}
		for (int64_t div = 100000; div > 0; div /= 10)
			*p++ = (char)('0' + frac / div % 10);
		*p++ = 'Z';
		*p = '\0';
	}
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

/* Reads exactly n digits at *p into *value and moves *p past them. */
static int
parse_digits(const char **p, int n, int *value)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return 0;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*value = v;
	return 1;
}

/*
 * Parses "YYYY-MM-DD[T ]HH:MM[:SS[.frac]]" into tm and *us; *rest points
 * at what follows.  Returns 0 when the text does not have that form.
 */
static int
parse_fields(const char *text, struct tm *tm, int64_t *us, const char **rest)
{
	const char *p = text;
	int y, mo, d, h, mi, s = 0, scale = 100000;

	*us = 0;
	if (!parse_digits(&p, 4, &y) || *p++ != '-' ||
	    !parse_digits(&p, 2, &mo) || *p++ != '-' ||
	    !parse_digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' '))
		return 0;
	p++;
	if (!parse_digits(&p, 2, &h) || *p++ != ':' || !parse_digits(&p, 2, &mi))
		return 0;
	if (*p == ':' && (p++, !parse_digits(&p, 2, &s)))
		return 0;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return 0;
		for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
			*us += (int64_t)(*p - '0') * scale;
	}
	/* irc_time_parse() checks the date, so that it can say what is wrong. */
	if (h > 23 || mi > 59 || s > 60)
		return 0;
	memset(tm, 0, sizeof *tm);
	tm->tm_year = y - 1900;
	tm->tm_mon = mo - 1;
	tm->tm_mday = d;
	tm->tm_hour = h;
	tm->tm_min = mi;
	tm->tm_sec = s == 60 ? 59 : s;	/* a leap second counts as :59 */
	*rest = p;
	return 1;
}

bool
irc_date_valid(int year, int month, int day, char *why, size_t size)
{
	static const char *const names[12] = { "January", "February",
	    "March", "April", "May", "June", "July", "August", "September",
	    "October", "November", "December" };
	static const int lengths[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	int days;

	if (month < 1 || month > 12) {
		snprintf(why, size, "there is no month %d", month);
		return false;
	}
	days = lengths[month - 1] + (month == 2 && leap ? 1 : 0);
	if (day < 1 || day > days) {
		snprintf(why, size, "%s %d has %d days", names[month - 1], year,
		    days);
		return false;
	}
	return true;
}

/* Returns true when tm's date and time fields equal want's. */
static int
same_fields(const struct tm *tm, const struct tm *want)
{
	return tm->tm_year == want->tm_year && tm->tm_mon == want->tm_mon &&
	    tm->tm_mday == want->tm_mday && tm->tm_hour == want->tm_hour &&
	    tm->tm_min == want->tm_min && tm->tm_sec == want->tm_sec;
}

/* Converts local fields with mktime; 0 when the zone has no such time. */
static int
local_try(const struct tm *want, int isdst, time_t *out, long *gmtoff)
{
	struct tm tm = *want, back;

	tm.tm_isdst = isdst;
	*out = mktime(&tm);
	if (localtime_r(out, &back) == NULL || !same_fields(&back, want) ||
	    (isdst >= 0 && back.tm_isdst != isdst))
		return 0;
	*gmtoff = back.tm_gmtoff;
	return 1;
}

static enum irc_status
parse_local(const char *text, const struct tm *want, time_t *sec, int *offset,
    struct irc_error *err)
{
	time_t std, dst;
	long std_off = 0, dst_off = 0;
	int has_std = local_try(want, 0, &std, &std_off);
	int has_dst = local_try(want, 1, &dst, &dst_off);

	if (has_std && has_dst && std != dst)
		return irc_fail(err, IRC_ERR_INVALID, "'%s' happens twice in the "
		    "local time zone (the clocks go back); add the offset, such "
		    "as %s%+03ld:%02ld", text, text, std_off / 3600,
		    labs(std_off) % 3600 / 60);
	if (!has_std && !has_dst)
		return irc_fail(err, IRC_ERR_INVALID, "'%s' does not exist in the "
		    "local time zone (the clocks go forward); check the time or "
		    "add the offset", text);
	*sec = has_std ? std : dst;
	*offset = (int)(has_std ? std_off : dst_off);
	return IRC_OK;
}

enum irc_status
irc_time_parse(const char *text, int64_t *out, int *offset,
    struct irc_error *err)
{
	struct tm tm, back;
	const char *rest;
	int64_t us;
	time_t sec = 0;
	int oh, om, sign, off = 0;
	enum irc_status st;
	char why[64];

	if (text == NULL || !parse_fields(text, &tm, &us, &rest))
		return irc_fail(err, IRC_ERR_INVALID, "invalid time '%s'; use "
		    "RFC 3339 such as 2026-03-29T14:05:00Z or 2026-03-29T15:05:00"
		    "+01:00, or local time as 2026-03-29 15:05",
		    text ? text : "");
	if (!irc_date_valid(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, why,
	    sizeof why))
		return irc_fail(err, IRC_ERR_INVALID, "invalid date in '%s': %s",
		    text, why);
	if (*rest == '\0') {
		if ((st = parse_local(text, &tm, &sec, &off, err)) != IRC_OK)
			return st;
	} else {
		if (*rest == 'Z' || *rest == 'z') {
			rest++;
		} else if (*rest == '+' || *rest == '-') {
			sign = *rest++ == '-' ? -1 : 1;
			if (!parse_digits(&rest, 2, &oh) || *rest++ != ':' ||
			    !parse_digits(&rest, 2, &om) || oh > 23 || om > 59)
				rest = "?";
			else
				off = sign * (oh * 3600 + om * 60);
		} else {
			rest = "?";
		}
		if (*rest != '\0')
			return irc_fail(err, IRC_ERR_INVALID, "invalid time "
			    "offset in '%s'; end the time with Z or an offset "
			    "such as +01:00", text);
		back = tm;
		sec = timegm(&back);	/* timegm() normalises its argument */
		if (gmtime_r(&sec, &back) == NULL || !same_fields(&back, &tm))
			return irc_fail(err, IRC_ERR_INVALID, "invalid date in "
			    "'%s'; check the day of the month", text);
		sec -= off;
	}
	/*
	 * Stored times use 0 for "not set", and no incident record predates
	 * the Unix epoch; years past 9999 do not fit RFC 3339.
	 */
	if (sec <= 0 || tm.tm_year + 1900 > 9999)
		return irc_fail(err, IRC_ERR_INVALID, "time '%s' is out of range; "
		    "give a time after 1970-01-01T00:00:00Z", text);
	*out = (int64_t)sec * 1000000 + us;
	if (offset != NULL)
		*offset = off;
	return IRC_OK;
}
