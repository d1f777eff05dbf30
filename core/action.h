/*
 * action.h: the append-only, hash-chained action log.
 *
 * Each case has its own chain.  An action's hash is SHA-256 over a
 * canonical encoding of the action that includes the previous action's
 * hash.  The first action of a case uses 64 '0' characters as its
 * previous hash.  The encoding is a sequence of fields, each written as its length
 * in bytes in decimal, ':', the bytes, and ',' (a netstring):
 *
 *	"ircase-action-v1", prev_hash, case uuid, seq, step number ("" when
 *	the action is about the whole case), time_us, actor, origin, kind,
 *	body
 *
 * Numbers are written in decimal without leading zeros, hashes in lower-
 * case hex, and the body is the stored JSON text: compact, keys sorted,
 * as jansson writes it with JSON_COMPACT | JSON_SORT_KEYS.  The case row
 * keeps the head hash and the action count, so removing the last actions
 * shows as well.
 *
 * When the responder logged in over SSH with a public key and sshd
 * exposes it (ExposeAuthInfo), irc_action_append() adds its fingerprint
 * to the body as "key_fingerprint" ("SHA256:..."), so the hash covers it
 * without a new encoding version: actions written before it and actions
 * without a key verify the same way.
 */
#ifndef IRC_ACTION_H
#define IRC_ACTION_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "actor.h"
#include "db.h"
#include "status.h"

#define IRC_HASH_HEX 65		/* 64 hex digits and a NUL */
#define IRC_CHAIN_GENESIS \
	"0000000000000000000000000000000000000000000000000000000000000000"

struct irc_action {
	int64_t id;		/* rowid, unique over all cases */
	int64_t case_id;
	int64_t seq;		/* 1, 2, ... within the case */
	int step_seq;		/* step number shown to users, 0 for none */
	int64_t time_us;	/* UTC microseconds since the epoch */
	char *actor;
	char *origin;		/* "" when local */
	char *kind;		/* "case.open", "step.state", "note", ... */
	char *body;		/* canonical JSON text */
	char prev_hash[IRC_HASH_HEX];
	char hash[IRC_HASH_HEX];
	bool malformed;		/* read with a column of the wrong type */
};

/*
 * Appends an action to a case's chain.  Must run inside a transaction
 * opened with irc_db_begin(): callers write the action and the change it
 * records (a step's state, say) in one commit.  body is borrowed and may
 * be NULL for {}.  step_seq is 0 for a case-wide action.  When the wall
 * clock reads earlier than the case's last action, the body records
 * "clock_went_back_us" with the difference instead of hiding it; an actor
 * with a key fingerprint adds "key_fingerprint" unless the body has one.
 * On success *out (when not NULL) holds the new action; free its strings
 * with irc_action_clear().
 */
enum irc_status irc_action_append(struct irc_db *db, int64_t case_id,
    int step_seq, const struct irc_actor *actor, const char *kind,
    json_t *body, struct irc_action *out, struct irc_error *err);

/* Frees the strings inside an action. */
void irc_action_clear(struct irc_action *action);

/*
 * Computes the hash of an action from its fields and prev_hash into
 * hex (IRC_HASH_HEX bytes).  case_uuid is the owning case's uuid.
 */
void irc_action_hash(const struct irc_action *action, const char *case_uuid,
    char hex[IRC_HASH_HEX]);

/*
 * Loads the actions of a case in chain order.  *out is an array of *count
 * actions that the caller frees with irc_actions_free().
 */
enum irc_status irc_actions_load(struct irc_db *db, int64_t case_id,
    struct irc_action **out, size_t *count, struct irc_error *err);
void irc_actions_free(struct irc_action *actions, size_t count);

struct irc_verify_result {
	bool ok;
	int64_t checked;	/* actions whose hash was recomputed */
	/*
	 * First action that does not match and its sequence number in the
	 * case; both 0 when the mismatch is in the case row's head or count
	 * (the last actions were removed).
	 */
	int64_t bad_action_id;
	int64_t bad_seq;
	char head[IRC_HASH_HEX];/* hash of the last action, or the genesis */
	int64_t count;		/* action count stored on the case row */
	char reason[256];	/* what did not match, when !ok */
};

/*
 * Loads at most max actions of a case in seq order, starting at the first
 * action whose seq is at least first_seq.  It reads the rows through the
 * UNIQUE (case_id, seq) index, so the cost does not grow with the log.
 * Free *out with irc_actions_free().
 */
enum irc_status irc_actions_range(struct irc_db *db, int64_t case_id,
    int64_t first_seq, size_t max, struct irc_action **out, size_t *count,
    struct irc_error *err);

/*
 * Loads the newest action of a case whose kind is kind into *out (free
 * its strings with irc_action_clear()).  Returns IRC_ERR_NOT_FOUND when
 * the case has none.
 */
enum irc_status irc_action_last_of_kind(struct irc_db *db, int64_t case_id,
    const char *kind, struct irc_action *out, struct irc_error *err);

/*
 * Recomputes the chain of one case and compares it with the stored hashes,
 * the sequence numbers and the head and count kept on the case row.
 * Returns IRC_OK when the check ran (result->ok is true when the chain is
 * intact) and an error only when the check itself could not run.
 */
enum irc_status irc_chain_verify(struct irc_db *db, int64_t case_id,
    struct irc_verify_result *result, struct irc_error *err);

/*
 * Checks only the actions after seq after_seq, for a caller that already
 * verified the chain up to that action and kept its hash as after_hash.
 * The new actions must continue from after_hash, and the case row's head
 * and count must match the last of them.  When the case row still
 * records after_seq actions and head after_hash, no action is read.
 * result->checked counts the actions read here; result->count is the
 * count stored on the case row.  An edit to an action at or before
 * after_seq that leaves the head alone is not seen: irc_chain_verify()
 * finds it.
 */
enum irc_status irc_chain_verify_after(struct irc_db *db, int64_t case_id,
    int64_t after_seq, const char *after_hash,
    struct irc_verify_result *result, struct irc_error *err);

/*
 * Checks a chain one action at a time, for callers that stream actions
 * (exports, packs) instead of reading them from the database.  Start with
 * the case's uuid, add each action in chain order, then finish with the
 * head and count stored on the case; result then holds what
 * irc_chain_verify() would report.
 */
struct irc_chain_walk {
	char uuid[37];
	char prev[IRC_HASH_HEX];
	int64_t want_seq;
	struct irc_verify_result result;
};

void irc_chain_walk_start(struct irc_chain_walk *walk, const char *case_uuid);
/*
 * As irc_chain_walk_start(), for a walk that begins after action
 * after_seq, whose hash is after_hash.  The actions up to after_seq count
 * as checked, so irc_chain_walk_finish() compares the whole count.
 */
void irc_chain_walk_resume(struct irc_chain_walk *walk, const char *case_uuid,
    int64_t after_seq, const char *after_hash);
void irc_chain_walk_add(struct irc_chain_walk *walk,
    const struct irc_action *action);
void irc_chain_walk_finish(struct irc_chain_walk *walk, int64_t case_id,
    const char *stored_head, int64_t stored_count);

/*
 * Reads the actions of a case one row at a time, in chain order, so a log
 * of any length is read in constant memory.  irc_action_iter_next() sets
 * *action to the next row, or to NULL after the last one; the strings in
 * it are borrowed from the statement and stay valid only until the next
 * call (never pass it to irc_action_clear()).  Close with
 * irc_action_iter_close().
 */
struct irc_action_iter;

enum irc_status irc_action_iter_open(struct irc_db *db, int64_t case_id,
    struct irc_action_iter **out, struct irc_error *err);
enum irc_status irc_action_iter_next(struct irc_action_iter *it,
    const struct irc_action **action, struct irc_error *err);
void irc_action_iter_close(struct irc_action_iter *it);

/* Word that starts every syslog line that ircase writes for an action. */
#define IRC_SYSLOG_TAG "ircase-action"

/*
 * Returns the syslog line for an action (caller frees): IRC_SYSLOG_TAG, a
 * space and a compact JSON object with the keys case, uuid, action, seq,
 * time_us, kind, actor, origin and hash, in that order, all ASCII.
 */
char *irc_action_syslog_line(const struct irc_action *action,
    int64_t case_id, const char *case_uuid);

/*
 * Sends the syslog lines queued by irc_action_append() on db since the
 * last call when committed is true, and drops them when the transaction
 * was rolled back.  irc_db_commit() and irc_db_rollback() call it.  The
 * facility is $IRCASE_SYSLOG_FACILITY (local0-local7, user, daemon, auth,
 * authpriv), else syslog.facility in config.yaml, else local5; "off"
 * sends nothing.
 */
void irc_action_syslog_flush(struct irc_db *db, bool committed);

/*
 * Returns the syslog(3) facility code for a name that
 * irc_action_syslog_flush() accepts, -1 for "off" and -2 for a name it
 * does not know.  Case does not matter.
 */
int irc_action_syslog_facility(const char *name);

#endif
