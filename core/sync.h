/*
 * sync.h: keeping cases in step with TheHive.
 *
 * Local first: every action that TheHive should see gets an outbox row in
 * the same transaction (irc_sync_outbox_add(), called by
 * irc_action_append()), and a later sync pass sends it.  A pass takes an
 * exclusive lock beside the database file, so two processes never send
 * the same rows at once.
 *
 * Mapping: a case becomes a TheHive case tagged "ircase:<uuid>" (and, when
 * a string custom field is configured, with the uuid in it); each step
 * becomes a task in a group named after its phase, and case-wide actions
 * go to one more task, "Case log"; each action becomes a task log whose
 * text ends with the marker "<!-- ircase:<uuid>:<seq> -->"; observables
 * become observables; a closed case gets the version's close.  The case
 * description ends with the chain head, rewritten on every pass.
 *
 * Idempotence: the case and its tasks are always looked up by their
 * markers before they are created, and when a log request's outcome is
 * unknown (a timeout, a reset, a 5xx, or a pass that stopped half-way)
 * the task's logs are searched for the marker before the log is sent
 * again.  Remote ids are stored as soon as TheHive returns 201.
 *
 * Pull: task status changes, new task logs and new observables made in
 * TheHive come back as actions whose actor is "thehive:<login>".  When a
 * step changed on both sides since the last pass, both changes are kept:
 * the local state stays and is sent, and a "sync.conflict" action records
 * TheHive's value.
 */
#ifndef IRC_SYNC_H
#define IRC_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "action.h"
#include "db.h"
#include "status.h"
#include "thehive.h"

/* Actor prefix of actions pulled from TheHive; these are never sent back. */
#define IRC_SYNC_ACTOR_PREFIX "thehive:"

/*
 * Adds the outbox row for action action_id of case case_id, unless the
 * action came from TheHive (actor starting with IRC_SYNC_ACTOR_PREFIX) or
 * is a sync record ("sync.*").  Must run inside the action's transaction.
 */
enum irc_status irc_sync_outbox_add(struct irc_db *db, int64_t case_id,
    int64_t action_id, const char *actor, const char *kind,
    struct irc_error *err);

struct irc_sync_opts {
	int64_t case_id;	/* 0 for every case with pending rows */
	bool push_only;		/* skip the pull */
	int max_attempts;	/* tries per request in one pass; 0 for 6 */
	int64_t backoff_base_ms;	/* first retry delay; 0 for 250 */
	bool no_wait;		/* return at once when another pass runs */
};

struct irc_sync_result {
	int cases;		/* cases visited */
	int64_t sent;		/* outbox rows completed */
	int64_t failed;		/* rows that failed for good in this pass */
	int64_t pending;	/* rows left to send */
	int64_t pulled;		/* actions added from TheHive */
	int64_t conflicts;	/* steps changed on both sides */
	int64_t requests;	/* HTTP requests made */
	int cases_skipped;	/* drill cases left out: no drill target */
	int64_t errors;		/* cases whose pull, tasks or update failed */
	char last_error[IRC_ERROR_MAX];	/* the last error of the pass, or "" */
	bool busy;		/* another pass held the lock (no_wait) */
};

/*
 * Runs one sync pass with the settings in cfg.  Rows of drill cases go to
 * cfg->drill only.  Without a drill URL, drill cases are skipped: they
 * are counted in result->cases_skipped, not as pending or failed, and
 * their rows stay as they are.  A pass that could reach no server is
 * IRC_ERR_IO; per-row failures are not errors of the pass but are
 * counted in *result and kept on the rows.
 */
enum irc_status irc_sync_run(struct irc_db *db,
    const struct irc_hive_config *cfg, const struct irc_sync_opts *opts,
    struct irc_sync_result *result, struct irc_error *err);

/*
 * Creates a local case from the TheHive case with this number on the
 * production target (the drill target when drill, as a drill case), linked
 * to it: tasks become steps by phase (from the task group) with their
 * states, and the next pass pulls the logs and observables.  A case
 * already linked here, by its remote id or its marker tag, is
 * IRC_ERR_INVALID naming the local case.  On success *case_id is the new
 * case.
 */
enum irc_status irc_sync_import(struct irc_db *db,
    const struct irc_hive_config *cfg, int64_t number, bool drill,
    int64_t *case_id, struct irc_error *err);

/*
 * Forgets the TheHive case that case_id is linked to on its target, for
 * a case deleted in TheHive: the mappings of the case, its tasks, logs
 * and observables go, and every outbox row of the case is pending again
 * and uncertain, so the next pass finds the case by its marker tag or
 * creates it, and searches for each row's marker before it sends it.
 * Records a "sync.relink" action with the old id and number, which are
 * also copied into remote.  A case with no link is IRC_ERR_INVALID; a
 * running sync pass is IRC_ERR_BUSY.
 */
enum irc_status irc_sync_relink(struct irc_db *db, int64_t case_id,
    const struct irc_actor *actor, char *remote, size_t remote_size,
    struct irc_error *err);

/* One case's sync state, for "ircase sync --status" and the TUI. */
struct irc_sync_status {
	int64_t case_id;
	char target[16];	/* "production" or "drill" */
	bool skipped;		/* a drill case with no drill target: not synced */
	char remote_id[64];	/* "" before the first sync */
	int64_t remote_number;	/* 0 before the first sync */
	int64_t pending;
	int64_t failed;
	int64_t last_sync_us;	/* 0 when never */
	char pushed_head[IRC_HASH_HEX];	/* head TheHive holds, or "" */
	char local_head[IRC_HASH_HEX];
	int64_t conflicts;
	char *last_error;	/* NULL when none */
};

/*
 * Fills *out with one entry per case that has outbox rows (only case_id
 * when it is not 0).  cfg, when not NULL, sets skipped on the drill
 * cases when it has no drill URL; with NULL no case is marked skipped.
 * Free with irc_sync_status_free().
 */
enum irc_status irc_sync_status(struct irc_db *db,
    const struct irc_hive_config *cfg, int64_t case_id,
    struct irc_sync_status **out, size_t *count, struct irc_error *err);
void irc_sync_status_free(struct irc_sync_status *list, size_t count);

/* One outbox row, for "ircase sync --dry-run". */
struct irc_sync_pending {
	int64_t case_id;
	int64_t seq;		/* the action's number in the case */
	char *kind;
	char *target;
	char *state;		/* "pending", "sending" or "failed" */
	char *last_error;	/* NULL when none */
};

/*
 * Fills *out with the outbox rows not yet done (only case_id's when it
 * is not 0), by case and then outbox order.  cfg, when not NULL, leaves
 * out the rows of drill cases when it has no drill URL, since a pass
 * skips them.  Free with irc_sync_pending_free().
 */
enum irc_status irc_sync_pending_list(struct irc_db *db,
    const struct irc_hive_config *cfg, int64_t case_id,
    struct irc_sync_pending **out, size_t *count, struct irc_error *err);
void irc_sync_pending_free(struct irc_sync_pending *list, size_t count);

#endif
