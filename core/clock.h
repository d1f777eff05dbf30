/*
 * clock.h: notification deadlines that run from the awareness time.
 *
 * A rule names a deadline: a number of hours, or of calendar months in
 * the local zone, after the time the organisation became aware of an
 * incident.  The built-in rules are gdpr, ndpr, nis2-early-warning,
 * nis2-notification, nis2-final-report and pci-dss (ircase.conf(5) gives
 * each one's source); config.yaml adds more.  A clock is a rule started
 * on a case ("clock.start"); a notification record ("clock.notify": whom,
 * when, reference) stops it.
 */
#ifndef IRC_CLOCK_H
#define IRC_CLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "actor.h"
#include "config.h"
#include "db.h"
#include "lifecycle.h"
#include "status.h"

struct irc_clock_rule {
	const char *name;
	int hours;		/* elapsed hours, or 0 when months is set */
	int months;		/* calendar months in the local zone */
	const char *label;	/* what is due, for people */
};

/*
 * Finds the rule called name: a built-in rule, or a rule from cfg (which
 * may be NULL).  A cfg entry without hours that names a built-in rule
 * changes only its categories.  Returns false when there is none.
 */
bool irc_clock_rule_find(const struct irc_config *cfg, const char *name,
    struct irc_clock_rule *out);

/* Returns the built-in rules, terminated by an entry with a NULL name. */
const struct irc_clock_rule *irc_clock_builtin_rules(void);

/*
 * Returns the deadline of a rule started at start_us: start plus hours
 * of elapsed time, or plus months on the local calendar.  A month keeps
 * the local clock time, and a day past the month's end becomes its last
 * day.  A local time that the zone skips is resolved as mktime(3) does.
 */
int64_t irc_clock_deadline(int64_t start_us, int hours, int months);

/*
 * Starts the clock of rule name on a case.  The case needs an awareness
 * time (irc_case_decide()); a rule already started is IRC_ERR_INVALID.
 */
enum irc_status irc_clock_start(struct irc_db *db, int64_t case_id,
    const char *name, const struct irc_config *cfg,
    const struct irc_actor *actor, struct irc_error *err);

/*
 * As irc_clock_start(), inside the caller's transaction, for
 * irc_case_decide().  aware_us is the case's awareness time.
 */
enum irc_status irc_clock_start_tx(struct irc_db *db, int64_t case_id,
    const struct irc_clock_rule *rule, int64_t aware_us,
    const struct irc_actor *actor, struct irc_error *err);

/*
 * Moves the deadline of every clock of a case to follow a new awareness
 * time, inside the caller's transaction.
 */
enum irc_status irc_clock_restart_tx(struct irc_db *db, int64_t case_id,
    int64_t aware_us, struct irc_error *err);

/*
 * Records that the notification of clock name was sent to to at when
 * (now when when.us is 0) with an optional reference, which stops the
 * clock.  A clock that is not running is IRC_ERR_INVALID.
 */
enum irc_status irc_clock_notify(struct irc_db *db, int64_t case_id,
    const char *name, const char *to, const char *ref, struct irc_when when,
    const struct irc_actor *actor, struct irc_error *err);

struct irc_clock {
	int64_t case_id;
	char *case_title;
	char *rule;
	int hours;
	int months;
	int64_t start;		/* the awareness time */
	int64_t deadline;
	int64_t notified_at;	/* 0 while running */
	int notified_offset;
	char *notified_to;	/* NULL while running */
	char *notified_ref;	/* NULL when none */
};

/*
 * Lists clocks by deadline: of one case (case_id > 0) or of every open or
 * closed case, only the running ones when running_only.  Free with
 * irc_clocks_free().
 */
enum irc_status irc_clock_list(struct irc_db *db, int64_t case_id,
    bool running_only, struct irc_clock **out, size_t *count,
    struct irc_error *err);
void irc_clocks_free(struct irc_clock *list, size_t count);

/* Frees the strings inside one clock. */
void irc_clock_clear(struct irc_clock *c);

/*
 * Finds the running clock of a case with the nearest deadline, for the
 * status bar.  *found is false when no clock runs; otherwise *out is
 * filled and its strings are freed with irc_clock_clear().
 */
enum irc_status irc_clock_nearest(struct irc_db *db, int64_t case_id,
    struct irc_clock *out, bool *found, struct irc_error *err);

/*
 * Returns how far a clock has run at now: 0.0 at its start, 1.0 at its
 * deadline, more when overdue.  The status bar changes colour from 0.75.
 */
double irc_clock_elapsed_fraction(const struct irc_clock *c, int64_t now);

/* Builds the JSON object of a clock, with time_left_us at now. */
json_t *irc_clock_to_json(const struct irc_clock *c, int64_t now);

#endif
