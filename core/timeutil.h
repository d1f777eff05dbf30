/*
 * timeutil.h: timestamps.  ircase stores UTC microseconds since the Unix
 * epoch and shows local time with its zone offset.
 */
#ifndef IRC_TIMEUTIL_H
#define IRC_TIMEUTIL_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "status.h"

/* Returns the wall-clock time in microseconds since the epoch (UTC). */
int64_t irc_now_us(void);

/*
 * Formats t (microseconds, UTC) as local time with offset into buf, for
 * example "2026-12-04 21:03:05 +0100".  Returns buf.
 */
char *irc_time_local(int64_t t, char *buf, size_t size);

/* Formats t as RFC 3339 UTC with microseconds: "2026-12-04T20:03:05.123456Z". */
char *irc_time_utc(int64_t t, char *buf, size_t size);

/* Formats a duration in microseconds as "3d 4h", "2h 05m", "4m 10s", "9s". */
char *irc_duration(int64_t us, char *buf, size_t size);

/*
 * Checks year-month-day against the Gregorian calendar.  Returns true
 * when the date exists; otherwise writes why it does not, such as
 * "February 2026 has 28 days" or "there is no month 13", to why.
 */
bool irc_date_valid(int year, int month, int day, char *why, size_t size);

/*
 * Parses a time typed by a user: RFC 3339 with 'T' or a space between date
 * and time, seconds and a fraction optional ("2026-03-29T01:30:00Z",
 * "2026-03-29 02:30+01:00"), or the same without an offset, read as local
 * time in $TZ.  A local time that the zone skips (a DST gap) or passes
 * twice (a DST fall-back) is IRC_ERR_INVALID asking for an offset.  Sets
 * *out to UTC microseconds and *offset (when not NULL) to the offset
 * that applied, in seconds east of UTC.
 */
enum irc_status irc_time_parse(const char *text, int64_t *out, int *offset,
    struct irc_error *err);

#endif
