/*
 * presence.h: who has which case open right now.
 *
 * Each TUI that shows a case keeps one row in the presence table: login,
 * SSH client address, process id, the kernel's boot id and two times, when
 * it opened the case and its last heartbeat.  A row counts as gone when its
 * heartbeat is older than IRC_PRESENCE_STALE_S, or when it was written
 * since the current boot and its process has exited, so a session
 * killed with SIGKILL or cut off with its terminal drops out within one
 * read instead of staying forever.
 *
 * Presence is not an action and is not in the hash chain.  The chain
 * records changes to the case, is append-only and is exported, synced and
 * audited; a heartbeat every few seconds from every viewer would bury the
 * record of what was done under rows that say only who was looking, and
 * they could never be removed.  Who changed what is already in the chain:
 * each action names its actor, origin and key.
 */
#ifndef IRC_PRESENCE_H
#define IRC_PRESENCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "actor.h"
#include "db.h"
#include "status.h"

/* Seconds between heartbeats of a viewer. */
#define IRC_PRESENCE_BEAT_S 10

/* Seconds after its last heartbeat that a row counts as gone. */
#define IRC_PRESENCE_STALE_S 30

struct irc_presence {
	int64_t id;
	char login[64];
	char origin[64];	/* "" when local */
	pid_t pid;
	int64_t since_us;	/* when the case was opened */
	int64_t heartbeat_us;
};

/*
 * Records that this process shows case_id and sets *id to the row, for
 * irc_presence_beat() and irc_presence_leave().  Runs its own transaction.
 */
enum irc_status irc_presence_enter(struct irc_db *db, int64_t case_id,
    const struct irc_actor *actor, int64_t *id, struct irc_error *err);

/*
 * Refreshes the heartbeat of row id and deletes every row that counts as
 * gone.  A row that was pruned meanwhile (the process was stopped past
 * the stale time) is not written again; the caller enters anew.
 * Returns IRC_ERR_NOT_FOUND in that case.
 */
enum irc_status irc_presence_beat(struct irc_db *db, int64_t id,
    struct irc_error *err);

/* Deletes row id; errors are ignored, since a stale row ages out. */
void irc_presence_leave(struct irc_db *db, int64_t id);

/*
 * Lists the live viewers of case_id, oldest first, without writing.
 * *out is an array of *count rows that the caller frees.
 */
enum irc_status irc_presence_list(struct irc_db *db, int64_t case_id,
    struct irc_presence **out, size_t *count, struct irc_error *err);

#endif
