/*
 * cli_drill.h: the drill, scenario and replay subcommands and what they
 * share with "ircase new".
 */
#ifndef IRC_CLI_DRILL_H
#define IRC_CLI_DRILL_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "playbook.h"
#include "status.h"

int cmd_drill(struct cli_ctx *ctx, int argc, char **argv);
int cmd_scenario(struct cli_ctx *ctx, int argc, char **argv);
int cmd_replay(struct cli_ctx *ctx, int argc, char **argv);

/*
 * Loads the playbook named on the command line: a path that exists, or
 * that contains a '/', as given; a bare name that is not a file from the
 * playbook search path, with or without ".md".  Free *out with
 * irc_playbook_free().
 */
enum irc_status cli_playbook_open(const char *arg, struct irc_playbook **out,
    struct irc_error *err);

/*
 * Writes text to path through a temporary file that replaces path only
 * once complete (mode 0600), or to standard output when path is NULL,
 * sanitised when standard output is a terminal.  Returns false after printing the error.
 */
bool cli_text_write(const char *path, const char *text);

/*
 * Prints the after-action report of case_id as Markdown on standard
 * output when it is a drill, for "ircase close"; prints nothing for a
 * case that is not a drill.
 */
void cli_drill_close_report(struct irc_db *db, int64_t case_id);

#endif
