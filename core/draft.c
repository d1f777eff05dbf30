/*
 * draft.c: unsaved notes kept in files; draft.h describes the layout.
 *
 * A draft file is "ircase-draft 1\n", "step N\n", then the text as it
 * was typed, to the end of the file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "draft.h"
#include "mem.h"
#include "paths.h"

#define DRAFT_MAGIC "ircase-draft 1\n"
/* Maximum draft size read back; a note is far shorter. */
#define DRAFT_MAX (1024 * 1024)

/* Returns the draft file of a case (caller frees), or NULL without HOME. */
static char *
draft_path(const char *uuid)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (strspn(uuid, "0123456789abcdef-") != strlen(uuid) || *uuid == '\0')
		return NULL;
	if (state != NULL && *state == '/')
		return irc_xasprintf("%s/ircase/drafts/%s.txt", state, uuid);
	if (home != NULL && *home != '\0')
		return irc_xasprintf("%s/.local/state/ircase/drafts/%s.txt",
		    home, uuid);
	return NULL;
}

/* Writes all of buf to fd; false on any error. */
static bool
draft_write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

enum irc_status
irc_draft_save(const struct irc_draft *draft, struct irc_error *err)
{
	char *path = draft_path(draft->uuid), *tmp = NULL;
	char head[64];
	enum irc_status st = IRC_OK;
	int fd = -1, len;

	if (path == NULL)
		return irc_fail(err, IRC_ERR_INVALID, "no folder for drafts: set "
		    "XDG_STATE_HOME or HOME");
	if ((st = irc_path_make_parent(path, err)) != IRC_OK)
		goto out;
	tmp = irc_xasprintf("%s.new", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	len = snprintf(head, sizeof head, DRAFT_MAGIC "step %d\n", draft->step);
	if (fd < 0 || !draft_write_all(fd, head, (size_t)len) ||
	    !draft_write_all(fd, draft->text, strlen(draft->text)) ||
	    fsync(fd) != 0) {
		st = irc_fail(err, IRC_ERR_IO, "cannot save the draft %s: %s",
		    tmp, strerror(errno));
		goto out;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		fd = -1;
		st = irc_fail(err, IRC_ERR_IO, "cannot save the draft %s: %s",
		    path, strerror(errno));
		goto out;
	}
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	if (st != IRC_OK && tmp != NULL)
		unlink(tmp);
	free(tmp);
	free(path);
	return st;
}

enum irc_status
irc_draft_load(const char *uuid, struct irc_draft *out, struct irc_error *err)
{
	char *path = draft_path(uuid), *buf = NULL, *text;
	enum irc_status st = IRC_OK;
	size_t n = 0;
	long step;
	FILE *f;

	memset(out, 0, sizeof *out);
	if (path == NULL)
		return irc_fail(err, IRC_ERR_NOT_FOUND, "no draft");
	f = fopen(path, "r");
	if (f == NULL) {
		st = irc_fail(err, errno == ENOENT ? IRC_ERR_NOT_FOUND :
		    IRC_ERR_IO, "cannot read the draft %s: %s", path,
		    strerror(errno));
		goto out;
	}
	buf = irc_xcalloc(DRAFT_MAX + 1, 1);
	n = fread(buf, 1, DRAFT_MAX, f);
	fclose(f);
	buf[n] = '\0';
	if (strncmp(buf, DRAFT_MAGIC, strlen(DRAFT_MAGIC)) != 0 ||
	    sscanf(buf + strlen(DRAFT_MAGIC), "step %ld", &step) != 1 ||
	    step < 0 || step > 1000000 ||
	    (text = strchr(buf + strlen(DRAFT_MAGIC), '\n')) == NULL) {
		st = irc_fail(err, IRC_ERR_INVALID, "draft %s is not in the "
		    "format ircase writes; move it away", path);
		goto out;
	}
	snprintf(out->uuid, sizeof out->uuid, "%s", uuid);
	out->step = (int)step;
	out->text = irc_xstrdup(text + 1);
out:
	free(buf);
	free(path);
	return st;
}

void
irc_draft_remove(const char *uuid)
{
	char *path = draft_path(uuid);

	if (path != NULL)
		unlink(path);
	free(path);
}

/* Returns the case id with that uuid in db, or 0. */
static int64_t
draft_case_id(struct irc_db *db, const char *uuid)
{
	sqlite3_stmt *stmt = NULL;
	int64_t id = 0;

	if (sqlite3_prepare_v2(irc_db_handle(db), "SELECT id FROM \"case\""
	    " WHERE uuid = ?", -1, &stmt, NULL) == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			id = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	return id;
}

enum irc_status
irc_draft_find(struct irc_db *db, int64_t *case_id, struct irc_draft *out,
    struct irc_error *err)
{
	char *path = draft_path("0"), *slash;
	char uuid[37];
	struct dirent *de;
	enum irc_status st = IRC_ERR_NOT_FOUND;
	DIR *dir;
	size_t len;

	*case_id = 0;
	memset(out, 0, sizeof *out);
	if (path == NULL)
		return irc_fail(err, st, "no draft");
	slash = strrchr(path, '/');
	*slash = '\0';
	dir = opendir(path);
	free(path);
	if (dir == NULL)
		return irc_fail(err, st, "no draft");
	while (st == IRC_ERR_NOT_FOUND && (de = readdir(dir)) != NULL) {
		len = strlen(de->d_name);
		if (len != 36 + 4 || strcmp(de->d_name + 36, ".txt") != 0)
			continue;
		memcpy(uuid, de->d_name, 36);
		uuid[36] = '\0';
		if ((*case_id = draft_case_id(db, uuid)) == 0)
			continue;
		st = irc_draft_load(uuid, out, err);
		if (st != IRC_OK)
			st = IRC_ERR_NOT_FOUND;
	}
	closedir(dir);
	if (st != IRC_OK) {
		*case_id = 0;
		return irc_fail(err, st, "no draft");
	}
	return IRC_OK;
}
