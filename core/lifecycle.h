/*
 * lifecycle.h: the ISO/IEC 27001 incident records on a case.
 *
 * Prepare: roles held by named people.  Report: who reported what, when
 * and through which channel.  Assess: the decision (incident, event or not
 * an incident) with its reason, category, severity, TLP, PAP and the
 * awareness time.  Respond: the contained, eradicated and recovered
 * milestones and second-person approval of steps.  Learn: root cause,
 * what went well or badly, a waiver, and follow-ups.  Closing checks that
 * each of these is there.
 *
 * Every change runs in one transaction with the action that records it
 * (action kinds "role.assign", "report.add", "decision", "milestone",
 * "step.approval_request", "step.approve", "lesson.add", "followup.add",
 * "followup.done", "case.close").  Times typed by a user come with the
 * UTC offset that applied, and the action body keeps it.
 */
#ifndef IRC_LIFECYCLE_H
#define IRC_LIFECYCLE_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "actor.h"
#include "config.h"
#include "db.h"
#include "playbook.h"
#include "status.h"

/* Maximum length of a record's free text (report, reason, lesson), in bytes. */
#define IRC_LIFECYCLE_TEXT_MAX (64 * 1024)
/* Maximum length of a name or a short field (category, owner), in bytes. */
#define IRC_LIFECYCLE_NAME_MAX 200

/* Roles on a case, in display order, NULL-terminated: "incident_commander", ... */
extern const char *const irc_roles[];
/* Report channels, NULL-terminated: "email", "phone", "chat", "monitoring", "other". */
extern const char *const irc_report_channels[];
/* Milestones, NULL-terminated: "contained", "eradicated", "recovered". */
extern const char *const irc_milestones[];
/* TLP and PAP levels, NULL-terminated: "clear", "green", "amber", "amber+strict", "red". */
extern const char *const irc_tlp_levels[];

/* Verdicts, NULL-terminated: "incident", "event", "not_incident". */
extern const char *const irc_verdicts[];
/* Lesson kinds, NULL-terminated: "root_cause", "went_well", "went_badly". */
extern const char *const irc_lesson_kinds[];

/*
 * Returns the word of the NULL-terminated list of lower-case words that
 * typed names, ignoring case, where a '-' typed may stand for '_'
 * ("Not-incident" names "not_incident"), or NULL when it names none.
 */
const char *irc_word_match(const char *typed, const char *const *list);

/*
 * Checks that typed names a word of list as irc_word_match() does, else
 * fails with IRC_ERR_INVALID "invalid WHAT 'typed'; use a, b or c".
 */
enum irc_status irc_word_check(const char *what, const char *typed,
    const char *const *list, struct irc_error *err);

/* Checks that due is a real calendar date written "YYYY-MM-DD". */
enum irc_status irc_followup_due_check(const char *due,
    struct irc_error *err);

/* Returns true when word is one of the NULL-terminated list. */
bool irc_word_in(const char *word, const char *const *list);

/* A time typed by a user: UTC microseconds and the offset east of UTC. */
struct irc_when {
	int64_t us;		/* 0 means "now" */
	int offset;		/* seconds east of UTC that applied */
};

/*
 * Hands role (one of irc_roles) on a case to person and records
 * "role.assign" with from (the previous holder or null) and to.  Giving
 * a role to its current holder is IRC_ERR_INVALID.
 */
enum irc_status irc_case_role_set(struct irc_db *db, int64_t case_id,
    const char *role, const char *person, const struct irc_actor *actor,
    struct irc_error *err);

/*
 * Records a report received from reporter through channel (one of
 * irc_report_channels) at received (now when received.us is 0), with the
 * text as said.  *number (when not NULL) is the report's number on the case.
 */
enum irc_status irc_case_report_add(struct irc_db *db, int64_t case_id,
    const char *reporter, const char *channel, struct irc_when received,
    const char *text, const struct irc_actor *actor, int64_t *number,
    struct irc_error *err);

struct irc_decision_input {
	const char *verdict;	/* "incident", "event" or "not_incident" */
	const char *reason;	/* required */
	const char *category;	/* NULL to leave as it is */
	int severity;		/* 1-4, 0 to leave as it is */
	const char *tlp;	/* one of irc_tlp_levels, NULL to leave */
	const char *pap;	/* one of irc_tlp_levels, NULL to leave */
	struct irc_when aware;	/* aware.us 0 leaves the awareness time */
};

/*
 * Records the Assess decision and updates the case's verdict, category,
 * severity, TLP, PAP and awareness time.  A new awareness time moves the
 * deadline of every clock on the case.  For an incident, each clock rule
 * whose applies_to lists the category starts (cfg may be NULL for the
 * built-in rules alone, which have no categories).  The "decision" action
 * holds every field and the names of the clocks started.
 */
enum irc_status irc_case_decide(struct irc_db *db, int64_t case_id,
    const struct irc_decision_input *in, const struct irc_config *cfg,
    const struct irc_actor *actor, struct irc_error *err);

/*
 * Records milestone name (one of irc_milestones) reached at when (now
 * when when.us is 0) with an optional note.  Each milestone is recorded
 * once; a second time is IRC_ERR_INVALID.
 */
enum irc_status irc_case_milestone(struct irc_db *db, int64_t case_id,
    const char *name, struct irc_when when, const char *note,
    const struct irc_actor *actor, struct irc_error *err);

/*
 * Approves step seq, which must await approval, as a responder other
 * than the one who requested it: the step becomes done and
 * "step.approve" and "step.state" are recorded.
 */
enum irc_status irc_case_step_approve(struct irc_db *db, int64_t case_id,
    int seq, const struct irc_actor *actor, struct irc_error *err);

/*
 * Called by irc_case_step_set() inside its transaction before it marks
 * step seq done.  When the step requires approval and no request exists,
 * records "step.approval_request", leaves the step active and sets
 * *handled.  When another login requested it, approves it (as
 * irc_case_step_approve()) and sets *handled.  When actor requested it, fails
 * with IRC_ERR_INVALID.  Otherwise leaves *handled false.  note (NULL or
 * "" for none) is recorded in the body of each action written.
 */
enum irc_status irc_step_approval_gate(struct irc_db *db, int64_t case_id,
    int seq, const char *note, const struct irc_actor *actor, bool *handled,
    struct irc_error *err);

/*
 * Returns the step titles that pb's front matter lists under "approval:"
 * (*count of them; free with irc_strings_free()), or NULL when none.
 */
char **irc_pb_approval_titles(const struct irc_playbook *pb, size_t *count);

/*
 * Returns true when a step with this title requires approval: the title
 * ends with "(approval)" or is one of titles.  *title_len is the length
 * of the title without the marker and the blanks before it.
 */
bool irc_pb_step_approval(const char *title, char **titles, size_t ntitles,
    size_t *title_len);

/* Lesson kinds: "root_cause", "went_well", "went_badly". */
enum irc_status irc_case_lesson_add(struct irc_db *db, int64_t case_id,
    const char *kind, const char *text, const struct irc_actor *actor,
    struct irc_error *err);

/* Waives the Learn phase for the close rule, with a required reason. */
enum irc_status irc_case_lesson_waive(struct irc_db *db, int64_t case_id,
    const char *reason, const struct irc_actor *actor, struct irc_error *err);

/*
 * Adds a follow-up (a corrective action) to a case: owner, due date
 * "YYYY-MM-DD" and text.  *id (when not NULL) is its number, unique over
 * all cases.
 */
enum irc_status irc_followup_add(struct irc_db *db, int64_t case_id,
    const char *owner, const char *due, const char *text,
    const struct irc_actor *actor, int64_t *id, struct irc_error *err);

/* Marks follow-up id done with an optional note. */
enum irc_status irc_followup_done(struct irc_db *db, int64_t id,
    const char *note, const struct irc_actor *actor, struct irc_error *err);

struct irc_followup {
	int64_t id;
	int64_t case_id;
	char *owner;
	char due[11];		/* "YYYY-MM-DD" */
	char *text;
	bool done;
	int64_t added_at;
	int64_t done_at;	/* 0 while open */
	char *done_note;	/* NULL when none */
};

/*
 * Lists follow-ups by due date, of one case (case_id > 0) or of all, only
 * the open ones when open_only.  Free with irc_followups_free().
 */
enum irc_status irc_followup_list(struct irc_db *db, int64_t case_id,
    bool open_only, struct irc_followup **out, size_t *count,
    struct irc_error *err);
void irc_followups_free(struct irc_followup *list, size_t count);

/* Returns true when f is open and its due date is before now's local date. */
bool irc_followup_overdue(const struct irc_followup *f, int64_t now);

/* What keeps a case from closing, one kind per rule. */
enum irc_close_missing_kind {
	IRC_MISSING_DECISION,		/* Assess: no decision recorded */
	IRC_MISSING_APPROVAL,		/* a Respond step awaits a second responder */
	IRC_MISSING_SKIP_REASON,	/* a Respond step skipped with no reason */
	IRC_MISSING_STEP_OPEN,		/* a Respond step still pending or active */
	IRC_MISSING_ROOT_CAUSE,		/* Learn: no root cause, not waived */
	IRC_MISSING_LESSON,		/* Learn: no went_well or went_badly */
};

/* One missing item; each front end words it for its own keys or commands. */
struct irc_close_missing {
	enum irc_close_missing_kind kind;
	int step;		/* the Respond step's number; 0 for Assess, Learn */
	char *title;		/* the step's title; NULL for Assess, Learn */
	char *state;		/* the step's state ("pending", ...); or NULL */
};

/*
 * Checks whether a case may close, without closing it: a decision
 * recorded; for an incident, every Respond step done, not applicable or
 * skipped with a reason (the note of the action that skipped it), no step
 * awaiting approval, and the Learn phase filled (a root cause and one
 * went_well or went_badly) or waived.  *missing is a new array of
 * *nmissing items in phase and step order (caller frees with
 * irc_close_missing_free()); empty when the case may close.  A closed or
 * unknown case is an error.
 */
enum irc_status irc_case_close_check(struct irc_db *db, int64_t case_id,
    struct irc_close_missing **missing, size_t *nmissing,
    struct irc_error *err);

/*
 * Closes a case after irc_case_close_check() in the same transaction.
 * When pieces are missing, returns IRC_ERR_INVALID and fills *missing as
 * irc_case_close_check() does; the case is unchanged.  summary may be NULL.
 */
enum irc_status irc_case_close(struct irc_db *db, int64_t case_id,
    const char *summary, const struct irc_actor *actor,
    struct irc_close_missing **missing, size_t *nmissing,
    struct irc_error *err);

void irc_close_missing_free(struct irc_close_missing *list, size_t count);

void irc_strings_free(char **list, size_t count);

/*
 * Builds the lifecycle records of a case for show --json: an object with
 * keys verdict, category, aware_at, tlp, pap, summary, roles, reports,
 * decisions, milestones, lessons, followups and clocks, as documented in
 * ircase(1).  The caller owns the reference.
 */
enum irc_status irc_lifecycle_to_json(struct irc_db *db, int64_t case_id,
    json_t **out, struct irc_error *err);

/*
 * Sets the "evidence" (with custody transfers), "observables" and
 * "assets" arrays of case case_id on obj, each as its list --json prints
 * it.  On failure obj may hold some of the keys.
 */
enum irc_status irc_case_records_to_json(struct irc_db *db, int64_t case_id,
    json_t *obj, struct irc_error *err);

/* Builds the contacts of cfg as a JSON array; [] when cfg is NULL. */
json_t *irc_contacts_to_json(const struct irc_config *cfg);

/*
 * Formats t as RFC 3339 in the zone offset east of UTC that applied when
 * it was typed: "2026-12-04T14:00:00+01:00".  Returns buf.
 */
char *irc_time_with_offset(int64_t t, int offset, char *buf, size_t size);

#endif
