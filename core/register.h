/*
 * register.h: the incident register, one row per case opened in a
 * period, as auditors ask for it (ISO/IEC 27001 A.16.1, 5.24-5.28).
 *
 * Rows are read with one SQL statement and written as they come, in case
 * number order.  Times are UTC microseconds; writers show them in local
 * time with the UTC offset that applied at that moment, so a period
 * across a daylight-saving change keeps each time exact.
 */
#ifndef IRC_REGISTER_H
#define IRC_REGISTER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "db.h"
#include "status.h"

enum irc_register_format {
	IRC_REGISTER_CSV,
	IRC_REGISTER_XLSX,
	IRC_REGISTER_MD,
};

struct irc_register_query {
	int64_t from_us;	/* cases opened at or after this */
	int64_t to_us;		/* and before this */
	bool drills;		/* include drill cases */
};

/* One case of the register; strings are borrowed from the statement. */
struct irc_register_row {
	int64_t number;
	const char *title;
	const char *category;	/* "" before the Assess decision */
	int severity;
	const char *kind;	/* "real" or "drill" */
	const char *status;
	/* Milestones, 0 when not reached. */
	int64_t reported, aware, assessed, contained, recovered, closed;
	int clocks_met, clocks_missed, clocks_running;
	int followups_open;
};

/* Number of milestones in a row, and their column names. */
#define IRC_REGISTER_MILESTONES 6
extern const char *const irc_register_milestone_names[IRC_REGISTER_MILESTONES];

/* Returns the milestone times of a row in the order of the names above. */
void irc_register_milestones(const struct irc_register_row *row,
    int64_t out[IRC_REGISTER_MILESTONES]);

/* Parses "csv", "xlsx" or "md". */
bool irc_register_format_parse(const char *name,
    enum irc_register_format *out);

/*
 * Parses a register bound: a date "YYYY-MM-DD" (local midnight at its
 * start, or, with end_of_day, the midnight that ends it) or a time that
 * irc_time_parse() accepts.  A date that the calendar does not have
 * (2026-02-30) is IRC_ERR_INVALID, and so is a date-time with such a
 * date; what names the value in that message (an option such as
 * "--from"; NULL for "the period").
 */
enum irc_status irc_register_date_parse(const char *text, bool end_of_day,
    const char *what, int64_t *out, struct irc_error *err);

/*
 * Calls each_row for every case in the query's period, lowest number
 * first.  A non-OK status from each_row stops the walk and is returned.
 */
enum irc_status irc_register_walk(struct irc_db *db,
    const struct irc_register_query *query,
    enum irc_status (*each_row)(const struct irc_register_row *, void *,
    struct irc_error *), void *data, struct irc_error *err);

/*
 * Writes the register as CSV (formula-neutralised, like the CSV export)
 * or Markdown to out, or as XLSX to the file at path (out unused) with
 * typed date cells and a frozen header row.  For CSV and Markdown, path
 * names out in messages (NULL: "standard output").  *rows is the number
 * of cases written.  libxlsxwriter's own error lines are kept off
 * stderr; a failure is one message in err that names path.
 */
enum irc_status irc_register_write(struct irc_db *db,
    const struct irc_register_query *query, enum irc_register_format format,
    FILE *out, const char *path, int64_t *rows, struct irc_error *err);

#endif
