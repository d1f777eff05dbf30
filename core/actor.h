/*
 * actor.h: who is acting, as recorded on every action.
 */
#ifndef IRC_ACTOR_H
#define IRC_ACTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

/* Room for "SHA256:" and 43 base64 characters, with the NUL. */
#define IRC_KEY_FINGERPRINT_MAX 56

struct irc_actor {
	char login[64];		/* from the password database */
	char origin[64];	/* SSH client address, or "" when local */
	/* "SHA256:..." of the SSH public key the session logged in with, as
	 * ssh-keygen -l prints it, or "" when the server does not expose it */
	char key_fingerprint[IRC_KEY_FINGERPRINT_MAX];
};

/*
 * Fills actor from the effective user's password entry and from the first
 * field of $SSH_CONNECTION when it is set and looks like an IP address.
 * A uid with no password entry is recorded as "uid:N".  The key
 * fingerprint comes from the first "publickey" line of the file named by
 * $SSH_USER_AUTH, which sshd sets when ExposeAuthInfo is on.
 */
void irc_actor_current(struct irc_actor *actor);

/*
 * Computes the SHA256 fingerprint of an OpenSSH public key from its
 * authorized_keys form ("ssh-ed25519 AAAA... [comment]"): "SHA256:" and
 * the base64 of the SHA-256 of the decoded key blob, without padding, as
 * ssh-keygen -l prints it.  Returns false, with out set to "", when the
 * text holds no key that decodes.
 */
bool irc_actor_key_fingerprint(const char *key, char *out, size_t size);

#endif
