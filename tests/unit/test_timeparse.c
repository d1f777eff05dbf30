/*
 * test_timeparse.c: reading times typed on the command line: RFC 3339
 * with an offset, and local times around DST changes in Europe/London and
 * in Africa/Lagos, which has no DST.
 */
#include <time.h>

#include "unit.h"

#include "timeutil.h"

/* 2026-03-29T00:30:00Z, half an hour before London moves to BST. */
#define T_0030Z (INT64_C(1774744200) * 1000000)

static void
zone_set(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static void
parse_utc_and_offset(void **state)
{
	struct irc_error err;
	int64_t t = 0;
	int off = -1;

	assert_int_equal(irc_time_parse("2026-03-29T00:30:00Z", &t, &off, &err),
	    IRC_OK);
	assert_int_equal(t, T_0030Z);
	assert_int_equal(off, 0);
	assert_int_equal(irc_time_parse("2026-03-29 02:30:00.25+02:00", &t, &off,
	    &err), IRC_OK);
	assert_int_equal(t, T_0030Z + 250000);
	assert_int_equal(off, 7200);
	assert_int_equal(irc_time_parse("2026-03-28T19:30-05:00", &t, &off, &err),
	    IRC_OK);
	assert_int_equal(t, T_0030Z);
	assert_int_equal(off, -18000);
}

static void
parse_rejects_bad_text(void **state)
{
	static const char *const bad[] = { "", "yesterday", "2026-3-29 10:00",
	    "2026-03-29", "2026-03-29T25:00Z", "2026-02-30T10:00Z",
	    "2026-03-29T10:00+1", "2026-03-29T10:00Zjunk", "2026-03-29T10:00:00.",
	    "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
	    "1969-12-31T23:59:59Z" };
	struct irc_error err;
	int64_t t;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(irc_time_parse(bad[i], &t, NULL, &err),
		    IRC_ERR_INVALID);
}

static void
parse_local_london(void **state)
{
	struct irc_error err;
	int64_t t = 0;
	int off = -1;

	zone_set("Europe/London");
	/* Winter time is UTC; summer time is UTC+1. */
	assert_int_equal(irc_time_parse("2026-03-29 00:30", &t, &off, &err),
	    IRC_OK);
	assert_int_equal(t, T_0030Z);
	assert_int_equal(off, 0);
	assert_int_equal(irc_time_parse("2026-03-29 02:30", &t, &off, &err),
	    IRC_OK);
	assert_int_equal(t, T_0030Z + INT64_C(3600) * 1000000);
	assert_int_equal(off, 3600);
	/* 01:30 does not exist on 29 March; it is passed twice on 25 October. */
	assert_int_equal(irc_time_parse("2026-03-29 01:30", &t, &off, &err),
	    IRC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "does not exist"));
	assert_int_equal(irc_time_parse("2026-10-25 01:30", &t, &off, &err),
	    IRC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "happens twice"));
	assert_int_equal(irc_time_parse("2026-10-25T01:30+01:00", &t, &off,
	    &err), IRC_OK);
}

static void
parse_local_lagos(void **state)
{
	struct irc_error err;
	int64_t t = 0;
	int off = -1;

	zone_set("Africa/Lagos");
	assert_int_equal(irc_time_parse("2026-03-29 01:30", &t, &off, &err),
	    IRC_OK);
	assert_int_equal(t, T_0030Z);
	assert_int_equal(off, 3600);
	assert_int_equal(irc_time_parse("2026-10-25 01:30", &t, &off, &err),
	    IRC_OK);
	assert_int_equal(off, 3600);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_utc_and_offset),
		cmocka_unit_test(parse_rejects_bad_text),
		cmocka_unit_test(parse_local_london),
		cmocka_unit_test(parse_local_lagos),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
