/*
 * shared.h: a database that several responders on one host use at once.
 *
 * SQLite in WAL mode keeps its lock state in the -shm file, which every
 * process maps into memory.  That works only when all of them run on one
 * host, on a local filesystem: NFS, SMB/CIFS and other network
 * filesystems give each client its own copy of the mapping, so two hosts
 * can both believe they hold the write lock and corrupt the database.
 * ircase therefore refuses to open a database on one.
 *
 * A shared database lives in a folder owned by a group, mode 2770 (setgid,
 * so every file created in it gets the folder's group), with the database
 * mode 0660.  SQLite creates -wal and -shm with the database's mode;
 * irc_db_open() also clears the group bits from the umask when the file
 * is group-writable, so nothing ircase creates beside it locks others
 * out.  Nothing in the folder is readable by other users.
 */
#ifndef IRC_SHARED_H
#define IRC_SHARED_H

#include <stdbool.h>
#include <sys/types.h>

#include "status.h"

/*
 * Returns the name of a network filesystem type (statfs f_type), or NULL
 * for a type that is not one of the known network filesystems.
 */
const char *irc_fs_network_name(long f_type);

/*
 * Checks that path, or the folder that would hold it when it does not
 * exist yet, is on a local filesystem.  Returns IRC_ERR_INVALID with the
 * reason when it is on a network filesystem, and IRC_OK when the check
 * cannot run (statfs failed), since SQLite reports those paths itself.
 * Test builds read the type from $IRCASE_TEST_FSTYPE (hex) when set.
 */
enum irc_status irc_fs_check_local(const char *path, struct irc_error *err);

/* What irc_shared_prepare() set up, for the command to print. */
struct irc_shared_info {
	char *db_path;		/* DIR/ircase.db; caller frees */
	char group[64];		/* the folder's group name, or its number */
	gid_t gid;
	bool created_dir;	/* the folder did not exist before */
};

/*
 * Prepares dir for a database that members of group share: creates the
 * folder when missing (its parent must exist), sets its group and mode
 * 2770, creates or fixes dir/ircase.db as mode 0660 with that group,
 * migrates it to the current schema in WAL mode, and sets the same group
 * and mode on its -wal and -shm files when they exist.  group may be NULL
 * for the folder's current group (a new folder gets the caller's
 * effective group).  On success the caller frees info->db_path.
 */
enum irc_status irc_shared_prepare(const char *dir, const char *group,
    struct irc_shared_info *info, struct irc_error *err);

/* Returns true when the file at path is group-writable. */
bool irc_shared_is_group_writable(const char *path);

#endif
