/*
 * record_time.c: checks of the times that users give for records, so
 * that the register shows no negative durations from a mistyped time.
 */
#include <inttypes.h>
#include <string.h>

#include "lifecycle.h"
#include "record.h"
#include "record_time.h"
#include "timeutil.h"

enum irc_status
irc_record_time_past(const char *what, int64_t at, int64_t now,
    struct irc_error *err)
{
	char when[48], clock[48];

	if (at <= now + IRC_TIME_FUTURE_SLACK_US)
		return IRC_OK;
	return irc_fail(err, IRC_ERR_INVALID, "%s %s is in the future (it is "
	    "now %s); give the time it happened", what,
	    irc_time_local(at, when, sizeof when),
	    irc_time_local(now, clock, sizeof clock));
}

/* Reads when case case_id was opened. */
static enum irc_status
case_opened(struct irc_db *db, int64_t case_id, int64_t *opened,
    struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	int rc;

	if ((st = irc_record_prepare(db, "SELECT opened_at FROM \"case\""
	    " WHERE id = ?", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*opened = sqlite3_column_int64(stmt, 0);
	else if (rc == SQLITE_DONE)
		st = irc_fail(err, IRC_ERR_NOT_FOUND, "no case %" PRId64
		    "; run 'ircase list' to see case numbers", case_id);
	else
		st = irc_db_fail(db, err, "cannot read the case");
	sqlite3_finalize(stmt);
	return st;
}

enum irc_status
irc_record_time_after_open(struct irc_db *db, int64_t case_id,
    const char *what, int64_t at, struct irc_error *err)
{
	char when[48], opened_text[48];
	int64_t opened = 0;
	enum irc_status st;

	if ((st = case_opened(db, case_id, &opened, err)) != IRC_OK)
		return st;
	if (at >= opened)
		return IRC_OK;
	return irc_fail(err, IRC_ERR_INVALID, "%s %s is before case %" PRId64
	    " was opened (%s); give a later time", what,
	    irc_time_local(at, when, sizeof when), case_id,
	    irc_time_local(opened, opened_text, sizeof opened_text));
}

enum irc_status
irc_record_time_milestone(struct irc_db *db, int64_t case_id,
    const char *name, int64_t at, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	size_t mine = 0, other;
	int rc;

	while (irc_milestones[mine] != NULL &&
	    strcmp(irc_milestones[mine], name) != 0)
		mine++;
	if ((st = irc_record_prepare(db, "SELECT name, at FROM milestone"
	    " WHERE case_id = ?", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *taken = (const char *)sqlite3_column_text(stmt, 0);
		int64_t taken_at = sqlite3_column_int64(stmt, 1);
		char when[48], taken_text[48];

		for (other = 0; irc_milestones[other] != NULL; other++)
			if (strcmp(irc_milestones[other], taken) == 0)
				break;
		if (other == mine || (other < mine ? taken_at <= at :
		    taken_at >= at))
			continue;
		st = irc_fail(err, IRC_ERR_INVALID, "%s at %s would be %s %s "
		    "(%s); milestones go contained, eradicated, recovered, so "
		    "give a time %s that", name,
		    irc_time_local(at, when, sizeof when),
		    other < mine ? "before" : "after", taken,
		    irc_time_local(taken_at, taken_text, sizeof taken_text),
		    other < mine ? "at or after" : "at or before");
		break;
	}
	if (st == IRC_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot read the milestones");
	sqlite3_finalize(stmt);
	return st;
}
