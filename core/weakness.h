/*
 * weakness.h: the register of reported security weaknesses.
 *
 * A weakness report is not tied to a case, so the register keeps its own
 * append-only log in the weakness table with its own hash chain.  Each
 * entry is hashed as an action (action.h) whose case uuid is the fixed
 * string IRC_WEAKNESS_CHAIN and whose step number is empty; the
 * chain_head row named IRC_WEAKNESS_CHAIN keeps the head and the count,
 * so removed entries show as well.  Kinds: "weakness.add" (body: by,
 * text) and "weakness.promote" (body: case, title).
 */
#ifndef IRC_WEAKNESS_H
#define IRC_WEAKNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "action.h"
#include "actor.h"
#include "db.h"
#include "playbook.h"
#include "status.h"

#define IRC_WEAKNESS_CHAIN "weakness-register"

/* Records a weakness reported by reporter; *id is its number. */
enum irc_status irc_weakness_add(struct irc_db *db, const char *reporter,
    const char *text, const struct irc_actor *actor, int64_t *id,
    struct irc_error *err);

/*
 * Opens a case from weakness id with playbook pb and title, in one
 * transaction with a "weakness.promote" entry and a "weakness.promoted"
 * action on the new case.  A weakness promoted before is IRC_ERR_INVALID.
 */
enum irc_status irc_weakness_promote(struct irc_db *db, int64_t id,
    const struct irc_playbook *pb, const char *title, int severity,
    const struct irc_actor *actor, int64_t *case_id, struct irc_error *err);

struct irc_weakness {
	int64_t id;
	int64_t time_us;
	char *actor;
	char *reporter;
	char *text;
	int64_t case_id;	/* 0 until promoted */
};

/* Lists the weaknesses, oldest first.  Free with irc_weaknesses_free(). */
enum irc_status irc_weakness_list(struct irc_db *db,
    struct irc_weakness **out, size_t *count, struct irc_error *err);
void irc_weaknesses_free(struct irc_weakness *list, size_t count);

/* Recomputes the register's chain, as irc_chain_verify() does for a case. */
enum irc_status irc_weakness_verify(struct irc_db *db,
    struct irc_verify_result *result, struct irc_error *err);

#endif
