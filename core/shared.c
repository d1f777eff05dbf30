/*
 * shared.c: checks and set-up for a database shared by a group of
 * responders on one host.  shared.h explains why network filesystems are
 * refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "db.h"
#include "mem.h"
#include "shared.h"

/* statfs f_type values of network filesystems, from <linux/magic.h>. */
static const struct {
	unsigned long type;
	const char *name;
} network_types[] = {
	{ 0x6969, "NFS" },
	{ 0x517B, "SMB" },
	{ 0xFF534D42, "CIFS" },
	{ 0xFE534D42, "SMB2" },
	{ 0x73757245, "Coda" },
	{ 0x5346414F, "AFS" },
	{ 0x6B414653, "AFS" },
	{ 0x01021997, "9P" },
	{ 0x00C36400, "Ceph" },
	{ 0x564C, "NCP" },
	{ 0x7461636F, "OCFS2" },
	{ 0x01161970, "GFS2" },
	{ 0x0BD00BD0, "Lustre" },
};

const char *
irc_fs_network_name(long f_type)
{
	unsigned long t = (unsigned long)f_type & 0xFFFFFFFFUL;

	for (size_t i = 0; i < sizeof network_types / sizeof network_types[0];
	    i++)
		if (network_types[i].type == t)
			return network_types[i].name;
	return NULL;
}

/* Reads the filesystem type of path into *type; false when statfs fails. */
static bool
fs_type(const char *path, long *type)
{
	struct statfs sf;

#ifdef IRC_TEST_BUILD
	const char *fake = getenv("IRCASE_TEST_FSTYPE");

	if (fake != NULL && *fake != '\0') {
		*type = strtol(fake, NULL, 16);
		return true;
	}
#endif
	if (statfs(path, &sf) != 0)
		return false;
	*type = (long)sf.f_type;
	return true;
}

enum irc_status
irc_fs_check_local(const char *path, struct irc_error *err)
{
	char *dir = NULL;
	const char *probe = path, *name;
	char *slash;
	long type;
	enum irc_status st = IRC_OK;

	if (access(path, F_OK) != 0) {
		dir = irc_xstrdup(path);
		slash = strrchr(dir, '/');
		if (slash == NULL)
			snprintf(dir, strlen(dir) + 1, ".");
		else if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		probe = dir;
	}
	if (fs_type(probe, &type) && (name = irc_fs_network_name(type)) != NULL)
		st = irc_fail(err, IRC_ERR_INVALID, "%s is on a network "
		    "filesystem (%s); SQLite's WAL mode needs shared memory on "
		    "one host, so keep the database on a local disk of the host "
		    "the responders log in to", path, name);
	free(dir);
	return st;
}

bool
irc_shared_is_group_writable(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && (sb.st_mode & S_IWGRP) != 0;
}

/* Finds the group to share with: named, or the folder's, or our own. */
static enum irc_status
shared_group(const char *dir, const char *group, bool exists,
    struct irc_shared_info *info, struct irc_error *err)
{
	struct group *gr;
	struct stat sb;
	char *end;
	long n;

	if (group != NULL) {
		gr = getgrnam(group);
		if (gr == NULL) {
			errno = 0;
			n = strtol(group, &end, 10);
			if (*group == '\0' || *end != '\0' || n < 0 || errno != 0)
				return irc_fail(err, IRC_ERR_NOT_FOUND, "no group "
				    "'%s'; create it (groupadd) or name an "
				    "existing one", group);
			info->gid = (gid_t)n;
		} else
			info->gid = gr->gr_gid;
	} else if (exists && stat(dir, &sb) == 0)
		info->gid = sb.st_gid;
	else
		info->gid = getegid();
	gr = getgrgid(info->gid);
	if (gr != NULL && strlen(gr->gr_name) < sizeof info->group)
		snprintf(info->group, sizeof info->group, "%s", gr->gr_name);
	else
		snprintf(info->group, sizeof info->group, "%lu",
		    (unsigned long)info->gid);
	return IRC_OK;
}

/* Gives path the shared group and mode; a missing path is skipped. */
static enum irc_status
shared_fix(const char *path, gid_t gid, mode_t mode, bool must_exist,
    struct irc_error *err)
{
	if (!must_exist && access(path, F_OK) != 0)
		return IRC_OK;
	if (chown(path, (uid_t)-1, gid) != 0)
		return irc_fail(err, IRC_ERR_IO, "cannot give %s to group %lu: "
		    "%s; you must own it and be a member of the group", path,
		    (unsigned long)gid, strerror(errno));
	if (chmod(path, mode) != 0)
		return irc_fail(err, IRC_ERR_IO, "cannot set the mode of %s: %s",
		    path, strerror(errno));
	return IRC_OK;
}

enum irc_status
irc_shared_prepare(const char *dir, const char *group,
    struct irc_shared_info *info, struct irc_error *err)
{
	struct irc_db *db = NULL;
	struct stat sb;
	char *side = NULL;
	enum irc_status st;
	bool exists;
	int fd;

	memset(info, 0, sizeof *info);
	exists = stat(dir, &sb) == 0;
	if (exists && !S_ISDIR(sb.st_mode))
		return irc_fail(err, IRC_ERR_INVALID, "%s is not a folder; pass "
		    "a folder for the shared database", dir);
	if ((st = irc_fs_check_local(dir, err)) != IRC_OK)
		return st;
	if ((st = shared_group(dir, group, exists, info, err)) != IRC_OK)
		return st;
	if (!exists) {
		if (mkdir(dir, 0700) != 0)
			return irc_fail(err, IRC_ERR_IO, "cannot create folder "
			    "%s: %s", dir, strerror(errno));
		info->created_dir = true;
	}
	if ((st = shared_fix(dir, info->gid, 02770, true, err)) != IRC_OK)
		return st;

	info->db_path = irc_xasprintf("%s/ircase.db", dir);
	fd = open(info->db_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0660);
	if (fd < 0) {
		st = irc_fail(err, IRC_ERR_IO, "cannot create database %s: %s",
		    info->db_path, strerror(errno));
		goto fail;
	}
	close(fd);
	if ((st = shared_fix(info->db_path, info->gid, 0660, true, err)) !=
	    IRC_OK)
		goto fail;
	if ((st = irc_db_open(info->db_path, &db, err)) != IRC_OK)
		goto fail;
	irc_db_close(db);
	for (int i = 0; i < 2; i++) {
		side = irc_xasprintf("%s%s", info->db_path, i ? "-shm" : "-wal");
		st = shared_fix(side, info->gid, 0660, false, err);
		free(side);
		if (st != IRC_OK)
			goto fail;
	}
	return IRC_OK;
fail:
	free(info->db_path);
	info->db_path = NULL;
	return st;
}
