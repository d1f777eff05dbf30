/*
 * actor.c: the identity recorded on each action.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "actor.h"

/* Longest authorized_keys line read from $SSH_USER_AUTH; RSA-16384 fits. */
#define ACTOR_AUTH_LINE_MAX 8192

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

bool
irc_actor_key_fingerprint(const char *key, char *out, size_t size)
{
	unsigned char *blob = NULL, digest[EVP_MAX_MD_SIZE];
	char b64[64];
	const char *p;
	size_t n;
	int len, pad = 0;
	unsigned int dlen = 0;
	bool ok = false;

	out[0] = '\0';
	/* Skip the key type to reach the base64 blob. */
	p = key + strspn(key, " \t");
	p += strcspn(p, " \t");
	p += strspn(p, " \t");
	n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/=");
	if (n == 0 || n % 4 != 0 || n > ACTOR_AUTH_LINE_MAX)
		return false;
	blob = malloc(n / 4 * 3 + 1);
	if (blob == NULL)
		return false;
	len = EVP_DecodeBlock(blob, (const unsigned char *)p, (int)n);
	/* EVP_DecodeBlock counts the padding as zero bytes of output. */
	if (p[n - 1] == '=')
		pad++;
	if (n >= 2 && p[n - 2] == '=')
		pad++;
	if (len <= pad)
		goto out;
	if (EVP_Digest(blob, (size_t)(len - pad), digest, &dlen, EVP_sha256(),
	    NULL) != 1)
		goto out;
	len = EVP_EncodeBlock((unsigned char *)b64, digest, (int)dlen);
	while (len > 0 && b64[len - 1] == '=')
		b64[--len] = '\0';
	ok = (size_t)snprintf(out, size, "SHA256:%s", b64) < size;
	if (!ok)
		out[0] = '\0';
out:
	free(blob);
	return ok;
}

/*
 * Reads the key the session authenticated with from the file named by
 * $SSH_USER_AUTH (sshd's ExposeAuthInfo), whose lines read "publickey
 * TYPE BASE64" for keys and name other methods otherwise.
 */
static void
actor_ssh_key(char *out, size_t size)
{
	const char *path = getenv("SSH_USER_AUTH");
	char *line;
	FILE *f;

	out[0] = '\0';
	if (path == NULL || *path == '\0' || (f = fopen(path, "r")) == NULL)
		return;
	line = malloc(ACTOR_AUTH_LINE_MAX);
	while (line != NULL && fgets(line, ACTOR_AUTH_LINE_MAX, f) != NULL) {
		if (strncmp(line, "publickey ", 10) != 0)
			continue;
		if (irc_actor_key_fingerprint(line + 10, out, size))
			break;
	}
	free(line);
	fclose(f);
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
	actor_ssh_key(actor->key_fingerprint, sizeof actor->key_fingerprint);
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
