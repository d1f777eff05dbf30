/*
 * cli_lifecycle.h: what the incident-lifecycle subcommands share: times
 * typed on the command line and the configuration file.
 */
#ifndef IRC_CLI_LIFECYCLE_H
#define IRC_CLI_LIFECYCLE_H

#include <stdbool.h>

#include "case.h"
#include "cli.h"
#include "config.h"
#include "lifecycle.h"

/*
 * Parses a time given to option what ("--at"): RFC 3339, or local time
 * such as "2026-12-04 14:00".  Prints a usage error and returns false
 * when it is not valid.
 */
bool cli_parse_when(const struct cli_ctx *ctx, const char *what,
    const char *text, struct irc_when *out);

/*
 * Adds the lifecycle, metrics, contacts, evidence, observables and assets
 * keys to a case's show --json.
 */
/*
 * Recomputes the weakness register's chain and prints one line: "ok" with
 * the head on stdout, or the first bad entry on stderr.  With skip_empty,
 * an intact register with no entries prints nothing.  Returns the exit
 * status: 0, CLI_EXIT_CHAIN when broken, CLI_EXIT_FAIL when unreadable.
 */
int cli_weakness_verify(struct irc_db *db, bool skip_empty);

bool show_lifecycle_json(struct irc_db *db, const struct irc_case *c,
    json_t *json);

/* Prints the lifecycle records of a case after its header in show. */
bool show_lifecycle_text(struct irc_db *db, const struct irc_case *c);

/* Converts a word typed with '-' ("not-incident") to its key ("not_incident"). */
void cli_word_key(char *word);

int cmd_role(struct cli_ctx *ctx, int argc, char **argv);
int cmd_report(struct cli_ctx *ctx, int argc, char **argv);
int cmd_weakness(struct cli_ctx *ctx, int argc, char **argv);
int cmd_decide(struct cli_ctx *ctx, int argc, char **argv);
int cmd_milestone(struct cli_ctx *ctx, int argc, char **argv);
int cmd_approve(struct cli_ctx *ctx, int argc, char **argv);
int cmd_lesson(struct cli_ctx *ctx, int argc, char **argv);
int cmd_followup(struct cli_ctx *ctx, int argc, char **argv);
int cmd_followups(struct cli_ctx *ctx, int argc, char **argv);
int cmd_clock(struct cli_ctx *ctx, int argc, char **argv);
int cmd_notify(struct cli_ctx *ctx, int argc, char **argv);
int cmd_clocks(struct cli_ctx *ctx, int argc, char **argv);
int cmd_close(struct cli_ctx *ctx, int argc, char **argv);
int cmd_stats(struct cli_ctx *ctx, int argc, char **argv);

#endif
