/*
 * actor.c: the identity recorded on each action.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actor.h"

/*
 * Copies the client address, the first field of $SSH_CONNECTION
 * ("client-ip client-port server-ip server-port"), when it holds only the
 * characters of an IPv4 or IPv6 address.
 */
static void
actor_ssh_origin(char *out, size_t size)
{
	const char *conn = getenv("SSH_CONNECTION");
	size_t n;

	out[0] = '\0';
	if (conn == NULL)
		return;
	n = strcspn(conn, " ");
	if (n == 0 || n >= size || strspn(conn, "0123456789abcdefABCDEF.:") < n)
		return;
	memcpy(out, conn, n);
	out[n] = '\0';
}

void
irc_actor_current(struct irc_actor *actor)
{
	uid_t uid = geteuid();
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL && pw->pw_name != NULL &&
	    strlen(pw->pw_name) < sizeof actor->login)
		snprintf(actor->login, sizeof actor->login, "%s", pw->pw_name);
	else
		snprintf(actor->login, sizeof actor->login, "uid:%lu",
		    (unsigned long)uid);
	actor_ssh_origin(actor->origin, sizeof actor->origin);
#ifdef IRC_TEST_BUILD
	/*
	 * Test builds only: IRCASE_TEST_LOGIN stands in for a second
	 * responder, so tests can approve a step as someone else.
	 */
	const char *login = getenv("IRCASE_TEST_LOGIN");

	if (login != NULL && *login != '\0' && strlen(login) < sizeof actor->login)
		snprintf(actor->login, sizeof actor->login, "%s", login);
#endif
}
