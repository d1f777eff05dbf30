/*
 * timeutil.h: timestamps.  ircase stores UTC microseconds since the Unix
 * epoch and shows local time with its zone offset.
 */
#ifndef IRC_TIMEUTIL_H
#define IRC_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

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

#endif
