/*
 * paths.h: where ircase keeps its files.
 */
#ifndef IRC_PATHS_H
#define IRC_PATHS_H

#include <stdio.h>

#include "status.h"

/*
 * Returns the database path (caller frees): override when not NULL, else
 * $IRCASE_DB, else $XDG_DATA_HOME/ircase/ircase.db, else
 * ~/.local/share/ircase/ircase.db.
 */
enum irc_status irc_path_db(const char *override, char **out,
    struct irc_error *err);

/*
 * Creates the folder that will hold path, and any missing parents, with
 * mode 0700.  Existing folders are left as they are.
 */
enum irc_status irc_path_make_parent(const char *path, struct irc_error *err);

/*
 * Opens path for reading as a stream in *out.  The open does not block on
 * a FIFO, and anything but a regular file is rejected.  Fails with
 * IRC_ERR_NOT_FOUND when path does not exist; what names the file in
 * messages ("config file").
 */
enum irc_status irc_path_open_regular(const char *path, const char *what,
    FILE **out, struct irc_error *err);

#endif
