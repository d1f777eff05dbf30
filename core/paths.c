/*
 * paths.c: the database location and its folder.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"
#include "paths.h"

enum irc_status
irc_path_db(const char *override, char **out, struct irc_error *err)
{
	const char *env;

	*out = NULL;
	if (override != NULL && *override != '\0') {
		*out = irc_xstrdup(override);
		return IRC_OK;
	}
	env = getenv("IRCASE_DB");
	if (env != NULL && *env != '\0') {
		*out = irc_xstrdup(env);
		return IRC_OK;
	}
	env = getenv("XDG_DATA_HOME");
	if (env != NULL && *env == '/') {
		*out = irc_xasprintf("%s/ircase/ircase.db", env);
		return IRC_OK;
	}
	env = getenv("HOME");
	if (env == NULL || *env == '\0')
		return irc_fail(err, IRC_ERR_INVALID,
		    "HOME is not set: set IRCASE_DB or pass --db PATH");
	*out = irc_xasprintf("%s/.local/share/ircase/ircase.db", env);
	return IRC_OK;
}

enum irc_status
irc_path_make_parent(const char *path, struct irc_error *err)
{
	char *dir = irc_xstrdup(path);
	char *slash = strrchr(dir, '/');
	enum irc_status st = IRC_OK;

	if (slash == NULL || slash == dir)
		goto out;
	*slash = '\0';

	/* Create each missing component from the top down. */
	for (char *p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			st = irc_fail(err, IRC_ERR_IO,
			    "cannot create folder %s: %s", dir, strerror(errno));
			goto out;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
out:
	free(dir);
	return st;
}

enum irc_status
irc_path_open_regular(const char *path, const char *what, FILE **out,
    struct irc_error *err)
{
	struct stat sb;
	int fd;

	*out = NULL;
	/* O_NONBLOCK has no effect on a regular file, only on the open. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return irc_fail(err, errno == ENOENT ? IRC_ERR_NOT_FOUND :
		    IRC_ERR_IO, "cannot read %s %s: %s", what, path,
		    strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return irc_fail(err, IRC_ERR_IO, "%s %s is not a regular file; "
		    "give the path of a regular file", what, path);
	}
	if ((*out = fdopen(fd, "rb")) == NULL) {
		close(fd);
		return irc_fail(err, IRC_ERR_IO, "cannot read %s %s: %s", what,
		    path, strerror(errno));
	}
	return IRC_OK;
}
