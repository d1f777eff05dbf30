/*
 * paths.h: where ircase keeps its files.
 */
#ifndef IRC_PATHS_H
#define IRC_PATHS_H

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

#endif
