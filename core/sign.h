/*
 * sign.h: signed checkpoints of a case's hash chain.
 *
 * A checkpoint is a short text naming a case and its chain head, signed
 * with the responder's SSH key by "ssh-keygen -Y sign" in the namespace
 * IRC_SIGN_NAMESPACE.  The text, lines ending in "\n", is:
 *
 *	ircase-checkpoint-v1
 *	case-uuid: UUID
 *	case: NUMBER
 *	actions: COUNT
 *	head: HASH
 *	time: YYYY-MM-DDTHH:MM:SS.ffffffZ
 *
 * where HASH is the hash of action COUNT (the head when it was signed)
 * and time is RFC 3339 UTC with microseconds.  The checkpoint is stored
 * as a "chain.sign" action whose body contains "checkpoint" (the text), "signature" (the armored
 * SSHSIG), "signer_fingerprint" and "principal".  A signer without the
 * private key cannot forge it, so a chain rewritten whole no longer holds
 * a signed head.
 */
#ifndef IRC_SIGN_H
#define IRC_SIGN_H

#include <stdbool.h>
#include <stdint.h>

#include "action.h"
#include "actor.h"
#include "db.h"
#include "status.h"

#define IRC_SIGN_NAMESPACE "ircase"
#define IRC_SIGN_KIND "chain.sign"
#define IRC_SIGN_VERSION "ircase-checkpoint-v1"
/* Maximum length of a principal name, including the NUL. */
#define IRC_SIGN_PRINCIPAL_MAX 128

enum irc_sign_mode {
	IRC_SIGN_ALWAYS,	/* sign the current head, unless the same
				   key signed it last (unchanged set) */
	IRC_SIGN_IF_CHANGED,	/* skip when the last action is a checkpoint */
};

struct irc_sign_result {
	bool done;		/* a chain.sign action was added */
	bool unchanged;		/* the head was already signed: by any key
				   (IF_CHANGED) or by this key (ALWAYS) */
	/* Why nothing was signed because no key was available, or "". */
	char notice[IRC_ERROR_MAX];
	int64_t actions;	/* the signed action count */
	char head[IRC_HASH_HEX];
	char fingerprint[IRC_KEY_FINGERPRINT_MAX];
	char principal[IRC_SIGN_PRINCIPAL_MAX];
};

/*
 * Signs the chain head of a case and appends the checkpoint as a
 * "chain.sign" action.  The key is the file named by $IRCASE_SIGN_KEY (a
 * private key, or a public key whose private half is in ssh-agent), else
 * the first key that ssh-agent lists.  The principal is
 * $IRCASE_SIGN_PRINCIPAL, else the actor's login.  With no agent and no
 * key file, returns IRC_OK with result->notice saying so and nothing
 * written.  A key that fails to sign is IRC_ERR_IO with ssh-keygen's
 * message.
 */
enum irc_status irc_case_sign(struct irc_db *db, int64_t case_id,
    const struct irc_actor *actor, enum irc_sign_mode mode,
    struct irc_sign_result *result, struct irc_error *err);

/*
 * Returns the checkpoint text (caller frees) for a case uuid and number,
 * the action count, the head hash and a time in UTC microseconds.
 */
char *irc_sign_text(const char *case_uuid, int64_t case_number,
    int64_t actions, const char *head, int64_t time_us);

enum irc_sign_state {
	IRC_SIGN_GOOD,		/* signature verified, head in the chain */
	IRC_SIGN_UNCHECKED,	/* head in the chain; no allowed_signers file */
	IRC_SIGN_BAD,		/* ssh-keygen rejected the signature */
	IRC_SIGN_HEAD_GONE,	/* the signed head is not in the chain */
	IRC_SIGN_MALFORMED,	/* the checkpoint cannot be read */
};

/* One checkpoint as verify reports it. */
struct irc_sign_check {
	int64_t seq;		/* the chain.sign action */
	int64_t actions;	/* the signed count */
	char head[IRC_HASH_HEX];
	int64_t time_us;	/* the signed time */
	char principal[IRC_SIGN_PRINCIPAL_MAX];
	char fingerprint[IRC_KEY_FINGERPRINT_MAX];
	enum irc_sign_state state;
	char detail[IRC_ERROR_MAX];	/* why, when not GOOD */
};

/*
 * Checks the checkpoints of one chain, for callers that walk the actions
 * themselves (the database, an audit pack).  Start with the case's uuid
 * and number; pass every chain.sign action to irc_sign_walk_expect()
 * first, then every action in chain order to irc_sign_walk_add(), which
 * recomputes each hash from the content, not the stored hashes.  Then
 * irc_sign_walk_finish() verifies each signature against the
 * allowed_signers file (NULL to check only the heads) and calls report
 * once per checkpoint, in chain order.  Returns the number of checkpoints
 * that are neither GOOD nor UNCHECKED.
 */
struct irc_sign_walk;

struct irc_sign_walk *irc_sign_walk_new(const char *case_uuid,
    int64_t case_number);
void irc_sign_walk_expect(struct irc_sign_walk *walk, int64_t seq,
    const char *body);
void irc_sign_walk_add(struct irc_sign_walk *walk,
    const struct irc_action *action);
int64_t irc_sign_walk_finish(struct irc_sign_walk *walk,
    const char *allowed_signers,
    void (*report)(const struct irc_sign_check *check, void *data),
    void *data);
void irc_sign_walk_free(struct irc_sign_walk *walk);

/*
 * Runs irc_sign_walk over a case in the database.  *bad receives the
 * count of bad checkpoints and *total the count of all of them.
 */
enum irc_status irc_sign_verify(struct irc_db *db, int64_t case_id,
    const char *allowed_signers,
    void (*report)(const struct irc_sign_check *check, void *data),
    void *data, int64_t *total, int64_t *bad, struct irc_error *err);

#endif
