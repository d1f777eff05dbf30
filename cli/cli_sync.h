/*
 * cli_sync.h: the TheHive commands, "ircase sync" and "ircase thehive",
 * and the settings loading they share.
 */
#ifndef IRC_CLI_SYNC_H
#define IRC_CLI_SYNC_H

#include <stdbool.h>

#include "cli.h"
#include "thehive.h"

int cmd_sync(struct cli_ctx *ctx, int argc, char **argv);
int cmd_thehive(struct cli_ctx *ctx, int argc, char **argv);

/*
 * Loads the TheHive settings, applies --insecure to both targets and
 * prints its warning.  Prints the error and returns NULL on failure.
 */
struct irc_hive_config *cli_hive_config(bool insecure);

#endif
