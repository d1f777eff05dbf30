/*
 * drill.h: drill cases, their clock and their injects.
 *
 * A drill is a case of kind "drill" with a row in the drill table: its
 * speed (drill seconds per wall second) and the wall time it started.
 * Drill time is the wall time since the start multiplied by the speed,
 * and every action on a drill records it as "drill_time_us" in its body
 * beside the wall time of the action itself.  A drill may run a scenario
 * (scenario.h), stored whole; its injects become "drill.inject" actions
 * when the drill clock reaches their offsets, in offset order.
 */
#ifndef IRC_DRILL_H
#define IRC_DRILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "actor.h"
#include "db.h"
#include "playbook.h"
#include "scenario.h"
#include "status.h"

/* Fastest drill clock accepted: drill seconds per wall second. */
#define IRC_DRILL_SPEED_MAX 10000

struct irc_drill_opts {
	const char *title;	/* the case title */
	int severity;		/* 1-4 */
	int speed;		/* 1 to IRC_DRILL_SPEED_MAX */
	const struct irc_scenario *scenario;	/* may be NULL */
};

/*
 * Opens a drill case from a playbook: the case (kind "drill"), its drill
 * row and a "drill.start" action naming the scenario and the speed, in one
 * transaction.  A scenario with errors is IRC_ERR_INVALID.  On success
 * *case_id is the new case number.
 */
enum irc_status irc_drill_start(struct irc_db *db,
    const struct irc_playbook *pb, const struct irc_drill_opts *opts,
    const struct irc_actor *actor, int64_t *case_id, struct irc_error *err);

struct irc_drill {
	int64_t case_id;
	int speed;
	int64_t started_at;	/* wall time, UTC microseconds */
	struct irc_scenario *scenario;	/* NULL when the drill runs none */
	size_t delivered;	/* injects delivered so far */
	bool closed;		/* the case is closed: no more injects */
};

/*
 * Loads the drill of a case.  A case that is not a drill is
 * IRC_ERR_NOT_FOUND.  Free *out with irc_drill_free().
 */
enum irc_status irc_drill_load(struct irc_db *db, int64_t case_id,
    struct irc_drill **out, struct irc_error *err);
void irc_drill_free(struct irc_drill *d);

/* Returns the drill time at wall time wall_us: microseconds after T+0. */
int64_t irc_drill_time(const struct irc_drill *d, int64_t wall_us);

/*
 * Converts a clock window on a drill to drill time: the window (deadline
 * minus start) runs in drill time from the drill time of the awareness
 * time, as the after-action report counts it.  Sets *start_us and
 * *deadline_us to drill times; compare them with irc_drill_time().
 */
void irc_drill_clock_window(const struct irc_drill *d, int64_t start_wall_us,
    int64_t deadline_wall_us, int64_t *start_us, int64_t *deadline_us);

/*
 * Adds "drill_time_us" to an action body when case_id is a drill.  Runs
 * inside irc_action_append(); a case that is not a drill is left as it is.
 */
enum irc_status irc_drill_stamp(struct irc_db *db, int64_t case_id,
    int64_t wall_us, json_t *body, struct irc_error *err);

/*
 * Delivers the injects that are due at the drill clock's current time and
 * not yet delivered, each as a "drill.inject" action (index, offset, text
 * and the observable, severity and expected step it carries), in one
 * transaction.  An inject's observable is also recorded on the case as an
 * observable.add action whose body holds "inject", unless the case has it
 * already.  The severity is only carried: it does not change the case.
 * *delivered (may be NULL) is how many were written.  A case
 * that is not a drill is IRC_ERR_NOT_FOUND; a closed drill gets none.
 */
enum irc_status irc_drill_tick(struct irc_db *db, int64_t case_id,
    const struct irc_actor *actor, size_t *delivered, struct irc_error *err);

/*
 * Builds the after-action report of a drill (or of any case, whose times
 * then run at speed 1 from its opening): time per phase and per step
 * against the scenario's targets, steps skipped with their reasons,
 * injects with the time to the first action after each, notification
 * clocks in drill time, and the earlier drills of the same playbook.  The
 * keys are documented in ircase(1) under JSON OUTPUT.  The caller owns
 * *out.
 */
enum irc_status irc_drill_report(struct irc_db *db, int64_t case_id,
    json_t **out, struct irc_error *err);

/*
 * Writes a report built by irc_drill_report() as Markdown: the caller
 * frees the result.  Text from the case is written as it was typed.
 */
char *irc_drill_report_md(const json_t *report);

/*
 * Writes a scenario that rehearses a past case (caller frees): its
 * reports and observables become injects at their recorded offsets from
 * the case's opening, its playbook is named by its path, and the targets
 * are the time each phase took.
 */
enum irc_status irc_drill_scenario_from_case(struct irc_db *db,
    int64_t case_id, char **out, struct irc_error *err);

#endif
