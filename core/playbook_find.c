/*
 * playbook_find.c: the playbook search path.
 *
 * The folders are read in this order: each folder of
 * $IRCASE_PLAYBOOK_PATH (colon-separated), ./playbooks,
 * $XDG_DATA_HOME/ircase/playbooks (or ~/.local/share/ircase/playbooks) and
 * IRC_SHAREDIR/playbooks, which the Makefile sets to the install prefix.
 * A folder named twice, by any spelling, is read once.  Drill scenarios
 * are found in the "scenarios" folder of each of these folders.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mem.h"
#include "playbook.h"
#include "scenario.h"
#include "status.h"

#ifndef IRC_SHAREDIR
#define IRC_SHAREDIR "/usr/local/share/ircase"
#endif

struct list {
	char **items;
	size_t n;
};

static void
list_add(struct list *l, char *item)
{
	l->items = irc_xrealloc(l->items, l->n + 2, sizeof *l->items);
	l->items[l->n++] = item;
	l->items[l->n] = NULL;
}

static void
list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_markdown_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 3 && strcasecmp(name + n - 3, ".md") == 0;
}

/* Adds the *.md regular files of dir to out, sorted by name. */
static enum irc_status
folder_read(const char *dir, struct list *out, struct irc_error *err)
{
	struct list names = { 0 };
	struct dirent *de;
	struct stat st;
	DIR *d;

	d = opendir(dir);
	if (d == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return IRC_OK;
		return irc_fail(err, IRC_ERR_IO, "%s: cannot list the playbook "
		    "folder: %s; fix its permissions or remove it from "
		    "IRCASE_PLAYBOOK_PATH", dir, strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		char *path;

		if (!is_markdown_name(de->d_name))
			continue;
		path = irc_xasprintf("%s/%s", dir, de->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			list_add(&names, path);
		else
			free(path);
	}
	closedir(d);

	if (names.n > 0)
		qsort(names.items, names.n, sizeof *names.items, name_cmp);
	for (size_t i = 0; i < names.n; i++)
		list_add(out, names.items[i]);
	free(names.items);
	return IRC_OK;
}

/* Adds dir to dirs unless it is empty or names a folder already there. */
static void
dirs_add(struct list *dirs, struct list *seen, const char *dir)
{
	char *real;

	if (dir == NULL || *dir == '\0')
		return;
	real = realpath(dir, NULL);
	if (real == NULL)
		real = irc_xstrdup(dir);
	for (size_t i = 0; i < seen->n; i++) {
		if (strcmp(seen->items[i], real) == 0) {
			free(real);
			return;
		}
	}
	list_add(seen, real);
	list_add(dirs, irc_xstrdup(dir));
}

static void
dirs_build(struct list *dirs, struct list *seen)
{
	const char *env = getenv("IRCASE_PLAYBOOK_PATH");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	char *dir;

	if (env != NULL) {
		char *copy = irc_xstrdup(env), *save = NULL;

		for (char *p = strtok_r(copy, ":", &save); p != NULL;
		    p = strtok_r(NULL, ":", &save))
			dirs_add(dirs, seen, p);
		free(copy);
	}
	dirs_add(dirs, seen, "./playbooks");
	if (xdg != NULL && *xdg == '/') {
		dir = irc_xasprintf("%s/ircase/playbooks", xdg);
		dirs_add(dirs, seen, dir);
		free(dir);
	} else if (home != NULL && *home != '\0') {
		dir = irc_xasprintf("%s/.local/share/ircase/playbooks", home);
		dirs_add(dirs, seen, dir);
		free(dir);
	}
	dirs_add(dirs, seen, IRC_SHAREDIR "/playbooks");
}

/*
 * Lists the *.md files of each search-path folder, or of its subfolder
 * sub when sub is not NULL, as irc_playbook_find() describes.
 */
static enum irc_status
files_find(const char *sub, char ***out, size_t *count, struct irc_error *err)
{
	struct list dirs = { 0 }, seen = { 0 }, files = { 0 };
	enum irc_status status = IRC_OK;

	if (out == NULL)
		return irc_fail(err, IRC_ERR_INVALID, "no place for the list of "
		    "files");
	*out = NULL;
	if (count != NULL)
		*count = 0;

	dirs_build(&dirs, &seen);
	for (size_t i = 0; i < dirs.n; i++) {
		char *dir = sub != NULL ?
		    irc_xasprintf("%s/%s", dirs.items[i], sub) :
		    irc_xstrdup(dirs.items[i]);

		status = folder_read(dir, &files, err);
		free(dir);
		if (status != IRC_OK)
			goto out;
	}
	if (files.items == NULL)
		files.items = irc_xcalloc(1, sizeof *files.items);
	*out = files.items;
	if (count != NULL)
		*count = files.n;
	files.items = NULL;
	files.n = 0;
out:
	list_free(&files);
	list_free(&dirs);
	list_free(&seen);
	return status;
}

enum irc_status
irc_playbook_find(char ***out, size_t *count, struct irc_error *err)
{
	return files_find(NULL, out, count, err);
}

enum irc_status
irc_scenario_find(char ***out, size_t *count, struct irc_error *err)
{
	return files_find("scenarios", out, count, err);
}

char **
irc_playbook_dirs(void)
{
	struct list dirs = { 0 }, seen = { 0 };

	dirs_build(&dirs, &seen);
	list_free(&seen);
	if (dirs.items == NULL)
		dirs.items = irc_xcalloc(1, sizeof *dirs.items);
	return dirs.items;
}

void
irc_playbook_paths_free(char **paths)
{
	if (paths == NULL)
		return;
	for (char **p = paths; *p != NULL; p++)
		free(*p);
	free(paths);
}
