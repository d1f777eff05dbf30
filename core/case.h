/*
 * case.h: incident cases, their steps and the records on them.
 *
 * Every function that changes a case writes an action in the same
 * transaction (action.h), so the log and the state never disagree.
 */
#ifndef IRC_CASE_H
#define IRC_CASE_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "action.h"
#include "actor.h"
#include "db.h"
#include "model.h"
#include "playbook.h"
#include "status.h"

/* Longest note accepted, in bytes of UTF-8; the TUI input uses it too. */
#define IRC_CASE_NOTE_MAX (64 * 1024)

struct irc_case_summary {
	int64_t id;		/* the case number users type */
	char uuid[37];
	char *title;
	int severity;		/* 1-4 */
	char *status;		/* "open" or "closed" */
	char *kind;		/* "real" or "drill" */
	int64_t opened_at;	/* UTC microseconds */
	int steps_done;		/* steps done, skipped or not applicable */
	int steps_total;
};

struct irc_step {
	int64_t id;
	int seq;		/* number shown to users: 1..n over the case */
	enum irc_phase phase;
	int ord;		/* position within its phase, from 1 */
	char *grp;		/* heading it sat under in the playbook, or NULL */
	char *title;
	char *body;		/* Markdown */
	enum irc_step_state state;
	int64_t started_at;	/* 0 when never started */
	int64_t done_at;	/* 0 when not closed */
	int line;		/* source line in the playbook snapshot */
	char *anchor;		/* slug that "#anchor" links name it by, or NULL
				   for a case opened before anchors were stored */
	bool requires_approval;	/* done only when a second responder confirms */
	char *approval_requested_by;	/* login awaiting approval, or NULL */
};

struct irc_case {
	struct irc_case_summary sum;
	char *description;
	char *playbook_title;
	char *playbook_path;
	char playbook_sha256[IRC_HASH_HEX];
	int64_t closed_at;	/* 0 while open */
	struct irc_step *steps;	/* in phase order, then ord */
	size_t nsteps;
	struct irc_action *actions;	/* in chain order */
	size_t nactions;
	char head_hash[IRC_HASH_HEX];
	int64_t action_count;	/* stored on the case row, loaded or not */
};

/*
 * Opens a new case from a loaded playbook: stores the playbook snapshot
 * (text, SHA-256, path), one step row per playbook step and a "case.open"
 * action, all in one transaction.  title must be non-empty valid UTF-8 and
 * severity 1-4.  On success *case_id is the new case number.
 */
enum irc_status irc_case_create(struct irc_db *db,
    const struct irc_playbook *pb, const char *title, int severity,
    const struct irc_actor *actor, int64_t *case_id, struct irc_error *err);

/*
 * As irc_case_create(), inside the caller's transaction, for callers that
 * record more in the same commit (a promoted weakness report).
 */
enum irc_status irc_case_create_tx(struct irc_db *db,
    const struct irc_playbook *pb, const char *title, int severity,
    const struct irc_actor *actor, int64_t *case_id, struct irc_error *err);

/*
 * As irc_case_create_tx(), for a case of kind "real" or "drill".  A drill
 * is stored with its kind before its first action, so its case.open body
 * records kind "drill" and none of its outbox rows go to production.
 */
enum irc_status irc_case_create_kind_tx(struct irc_db *db,
    const struct irc_playbook *pb, const char *title, int severity,
    const char *kind, const struct irc_actor *actor, int64_t *case_id,
    struct irc_error *err);

/*
 * Lists every case, newest first.  The caller frees *out with
 * irc_case_summaries_free().
 */
enum irc_status irc_case_list(struct irc_db *db,
    struct irc_case_summary **out, size_t *count, struct irc_error *err);
void irc_case_summaries_free(struct irc_case_summary *list, size_t count);

/* Which side of the key case irc_case_list_page() reads. */
enum irc_case_page {
	IRC_CASE_PAGE_OLDER,	/* cases numbered below the key */
	IRC_CASE_PAGE_NEWER,	/* cases numbered above the key */
};

/*
 * Lists at most limit cases next to the case numbered from, newest first,
 * for a list that shows a window of cases (keyset paging).  OLDER lists
 * the cases numbered just below from, and from 0 or less starts at the
 * newest case.  NEWER lists the cases numbered just above from, the
 * nearest ones, so from 0 lists the oldest cases.  Reads only the rows it
 * returns.  The caller frees *out with irc_case_summaries_free().
 */
enum irc_status irc_case_list_page(struct irc_db *db, int64_t from,
    enum irc_case_page dir, size_t limit, struct irc_case_summary **out,
    size_t *count, struct irc_error *err);

/* Sets *count to the number of cases in db. */
enum irc_status irc_case_count(struct irc_db *db, int64_t *count,
    struct irc_error *err);

/*
 * Loads a case with its steps and actions.  A missing case is
 * IRC_ERR_NOT_FOUND with a message naming the number.  The caller frees
 * *out with irc_case_free().
 */
enum irc_status irc_case_load(struct irc_db *db, int64_t case_id,
    struct irc_case **out, struct irc_error *err);
void irc_case_free(struct irc_case *c);

/*
 * Loads a case with its steps but not its actions (nactions is 0), for
 * callers that stream the log with irc_action_iter_open().  As
 * irc_case_load() otherwise.
 */
enum irc_status irc_case_load_meta(struct irc_db *db, int64_t case_id,
    struct irc_case **out, struct irc_error *err);

/* Returns the step numbered seq in a loaded case, or NULL. */
struct irc_step *irc_case_step(struct irc_case *c, int seq);

/*
 * Sets the state of step seq and records a "step.state" action with the
 * old and new state and the optional note.  Marking done a step that
 * requires approval records an approval request instead, or approves it
 * when another responder requested it (irc_step_approval_gate()).  Setting the state a step
 * already has is IRC_ERR_INVALID.  started_at is set the first time a step
 * becomes active, done_at when it is closed.
 */
enum irc_status irc_case_step_set(struct irc_db *db, int64_t case_id,
    int seq, enum irc_step_state state, const char *note,
    const struct irc_actor *actor, struct irc_error *err);

/*
 * Records a "note" action on a case, about step seq when seq > 0.
 * text must be non-empty valid UTF-8; it is stored as typed and sanitised
 * only when shown.
 */
enum irc_status irc_case_note(struct irc_db *db, int64_t case_id, int seq,
    const char *text, const struct irc_actor *actor, struct irc_error *err);

/*
 * Returns the stored playbook snapshot of a case: *text (caller frees)
 * and its length.
 */
enum irc_status irc_case_playbook_text(struct irc_db *db, int64_t case_id,
    char **text, size_t *len, struct irc_error *err);

/*
 * Builds the JSON form of a loaded case, as documented in ircase(1) under
 * JSON OUTPUT: keys number, uuid, title, severity, status, kind,
 * opened_at, playbook, phases (each with name, key and steps), actions
 * (each with its hash) and chain (head, count).  with_actions false leaves
 * out the actions array.  The caller owns the reference.
 */
json_t *irc_case_to_json(const struct irc_case *c, bool with_actions);

/* Builds the JSON form of the case list: an array of summaries. */
json_t *irc_case_list_to_json(const struct irc_case_summary *list,
    size_t count);

/*
 * Parses a case number as typed by a user ("12" or "#12").  Returns false
 * when it is not a positive integer.
 */
bool irc_case_number_parse(const char *text, int64_t *out);

#endif
