/*
 * record_time.h: the rule for times that a user gives for a record on a
 * case, such as a report's receipt, a milestone, a notification or an
 * evidence transfer.  No such time is in the future.  A milestone is not
 * before the case was opened, and milestones keep the order contained,
 * eradicated, recovered.
 */
#ifndef IRC_RECORD_TIME_H
#define IRC_RECORD_TIME_H

#include <stdint.h>

#include "db.h"
#include "status.h"

/*
 * How far past the current time a given time may be, in microseconds:
 * 5 minutes, so that a responder whose clock runs a little ahead of the
 * machine that holds the database is not rejected.
 */
#define IRC_TIME_FUTURE_SLACK_US (5 * 60 * INT64_C(1000000))

/*
 * Checks that at (UTC microseconds) is not later than now plus
 * IRC_TIME_FUTURE_SLACK_US.  what names the time in the message ("the
 * report time").  Returns IRC_ERR_INVALID with a message naming the time.
 */
enum irc_status irc_record_time_past(const char *what, int64_t at, int64_t now,
    struct irc_error *err);

/*
 * Checks that at is not before case case_id was opened.  Returns
 * IRC_ERR_INVALID naming both times, IRC_ERR_NOT_FOUND for a missing case.
 */
enum irc_status irc_record_time_after_open(struct irc_db *db, int64_t case_id,
    const char *what, int64_t at, struct irc_error *err);

/*
 * Checks the time at of milestone name ("contained", "eradicated",
 * "recovered") against the milestones case_id already has: an earlier
 * milestone of that list may not be later than at, a later one not
 * earlier.  Returns IRC_ERR_INVALID naming the milestone in the way.
 */
enum irc_status irc_record_time_milestone(struct irc_db *db, int64_t case_id,
    const char *name, int64_t at, struct irc_error *err);

#endif
