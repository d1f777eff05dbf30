/*
 * actor.h: who is acting, as recorded on every action.
 */
#ifndef IRC_ACTOR_H
#define IRC_ACTOR_H

#include "status.h"

struct irc_actor {
	char login[64];		/* from the password database */
	char origin[64];	/* SSH client address, or "" when local */
};

/*
 * Fills actor from the effective user's password entry and from the first
 * field of $SSH_CONNECTION when it is set and looks like an IP address.
 * A uid with no password entry is recorded as "uid:N".
 */
void irc_actor_current(struct irc_actor *actor);

#endif
