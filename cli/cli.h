/*
 * cli.h: what the subcommands in cli/ share.
 *
 * Each subcommand lives in its own file as cmd_NAME(), takes the argument
 * vector that starts at its own name and returns the program's exit
 * status.  Errors are printed here, one line each, on stderr.
 */
#ifndef IRC_CLI_H
#define IRC_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#include "action.h"
#include "db.h"
#include "status.h"

struct irc_pb_limits;

/* Exit statuses, as documented under EXIT STATUS in ircase(1). */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAIL = 1,	/* an operation failed */
	CLI_EXIT_USAGE = 2,	/* the command line is not valid */
	CLI_EXIT_CHAIN = 3,	/* a case's hash chain does not verify */
};

/* getopt_long value of the --db option, which every subcommand accepts. */
#define CLI_OPT_DB 0x100

struct cli_ctx {
	const char *db_path;	/* --db, or NULL for the default search */
	const char *cmd;	/* subcommand name, for messages */
};

/* Database access that a subcommand requests. */
enum cli_db_mode {
	CLI_DB_READ,	/* must exist; opened without migrating */
	CLI_DB_WRITE,	/* must exist; migrated to the current schema */
	CLI_DB_CREATE,	/* created with its folder when missing */
};

struct cli_cmd {
	const char *name;
	int (*run)(struct cli_ctx *ctx, int argc, char **argv);
	const char *synopsis;	/* arguments after the name, one line */
	const char *summary;	/* what it does, for the command list */
};

extern const struct cli_cmd cli_cmds[];

int cmd_register(struct cli_ctx *ctx, int argc, char **argv);
int cmd_audit_pack(struct cli_ctx *ctx, int argc, char **argv);
int cmd_sign(struct cli_ctx *ctx, int argc, char **argv);
int cmd_new(struct cli_ctx *ctx, int argc, char **argv);
int cmd_list(struct cli_ctx *ctx, int argc, char **argv);
int cmd_show(struct cli_ctx *ctx, int argc, char **argv);
int cmd_note(struct cli_ctx *ctx, int argc, char **argv);
int cmd_step(struct cli_ctx *ctx, int argc, char **argv);
int cmd_export(struct cli_ctx *ctx, int argc, char **argv);
int cmd_verify(struct cli_ctx *ctx, int argc, char **argv);
int cmd_evidence(struct cli_ctx *ctx, int argc, char **argv);
int cmd_observable(struct cli_ctx *ctx, int argc, char **argv);
int cmd_asset(struct cli_ctx *ctx, int argc, char **argv);
int cmd_assets(struct cli_ctx *ctx, int argc, char **argv);
int cmd_playbook(struct cli_ctx *ctx, int argc, char **argv);
int cmd_init(struct cli_ctx *ctx, int argc, char **argv);

/*
 * Resolves the database path (--db, $IRCASE_DB, XDG) and opens it in the
 * given mode.  CLI_DB_CREATE makes the folder (0700) and the file (0600) when
 * they are missing.  On failure prints the error and returns false, with
 * one exception: when missing is not NULL and the file does not exist,
 * *missing is set and nothing is printed, so the caller can treat that as
 * "no cases yet".
 */
bool cli_db_open(struct cli_ctx *ctx, enum cli_db_mode mode,
    struct irc_db **out, bool *missing);

/* Prints "ircase: MESSAGE" for a failed operation and returns CLI_EXIT_FAIL. */
int cli_fail(const struct irc_error *err);

/*
 * Prints err as cli_fail() does.  Returns CLI_EXIT_USAGE when core
 * rejected a value (IRC_ERR_INVALID), for commands whose values all come
 * from the command line, else CLI_EXIT_FAIL.
 */
int cli_fail_value(const struct irc_error *err);

/* Prints a formatted failure message and returns CLI_EXIT_FAIL. */
int cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Returns the path that "-o FILE" names, or NULL for "-", which means
 * standard output as in other Unix tools ("./-" names a file called -).
 */
const char *cli_output_path(const char *arg);

/*
 * Prints "ircase: MESSAGE" for a command line that is not valid and
 * returns CLI_EXIT_USAGE.  The message names the bad value and the fix.
 */
int cli_usage_error(const struct cli_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Prints the error for an option that getopt_long() rejected (unknown, or
 * missing its value) and returns CLI_EXIT_USAGE.  c is what getopt_long()
 * returned ('?' or ':').
 */
int cli_bad_option(const struct cli_ctx *ctx, int c, char **argv);

/*
 * Prints the usage of the subcommand named in ctx to out: its synopsis,
 * then options_help (may be NULL) with the --db and --help lines added at
 * the end of its "Options:" block, which ends at the first blank line.
 */
void cli_help(const struct cli_ctx *ctx, FILE *out, const char *options_help);

/* Resets getopt so a subcommand can parse its own argument vector. */
void cli_getopt_reset(void);

/* The kind of value that one entry of a cli_opt table stores. */
enum cli_opt_kind {
	CLI_OPT_TEXT,	/* value is a const char **: the option's argument */
	CLI_OPT_FLAG,	/* value is a bool *: set to true */
	CLI_OPT_LIST,	/* value is a const char **, an array of argc slots,
			   count a size_t *: each argument appended */
};

/* One option of a subcommand, for cli_options(); a NULL name ends a table. */
struct cli_opt {
	const char *name;	/* the long name, without "--" */
	char letter;		/* the short form, or 0 for none */
	enum cli_opt_kind kind;
	void *value;
	size_t *count;		/* CLI_OPT_LIST only */
};

/*
 * Parses the options in argv against opts, with --db and -h/--help that
 * every subcommand takes.  A later TEXT option overrides an earlier one.
 * Returns -1 when the command goes on with its operands from optind.
 * Otherwise it has printed the help (see cli_help()) or the error for an
 * unknown option or a missing value, and returns the exit status.
 */
int cli_options(struct cli_ctx *ctx, int argc, char **argv,
    const struct cli_opt *opts, const char *options_help);

/*
 * Parses a case number ("12" or "#12").  Prints a usage error naming the
 * text and returns false when it is not a positive number.
 */
bool cli_parse_case(const struct cli_ctx *ctx, const char *text,
    int64_t *out);

/*
 * Parses a decimal integer between min and max inclusive, with nothing
 * after it.  Prints a usage error naming what (such as "--severity") and
 * the text, and returns false otherwise.
 */
bool cli_parse_int(const struct cli_ctx *ctx, const char *what,
    const char *text, long min, long max, long *out);

/*
 * Checks that text typed by the user is valid UTF-8 with something other
 * than white space in it.  Prints a usage error naming what (such as
 * "--title") and returns false otherwise.
 */
bool cli_check_text(const struct cli_ctx *ctx, const char *what,
    const char *text);

/*
 * Writes json to out with two-space indentation in the order core/ built
 * it, then a newline.  Non-ASCII is escaped when out is a terminal so that
 * C1 and bidirectional controls in stored text cannot act on it.  Returns
 * false when writing failed.
 */
bool cli_json_print(json_t *json, FILE *out);

/*
 * Prints json on stdout with cli_json_print() and drops the reference.
 * Returns CLI_EXIT_OK, or CLI_EXIT_FAIL after a message naming what
 * ("the evidence list") when writing failed.
 */
int cli_json_emit(json_t *json, const char *what);

/*
 * Prints one line on stderr naming the first action of case_id that does
 * not match its chain, or only the reason when no single action is at
 * fault (the last actions were removed), followed by hint when not NULL.
 */
void cli_chain_report(int64_t case_id, const struct irc_verify_result *v,
    const char *hint);

/*
 * Prints a warning line on stderr when the chain of case_id does not
 * verify, for commands that append to it anyway: a responder in the middle
 * of an incident is not blocked.  Prints nothing when the check cannot run
 * (a missing case is reported by the command itself).
 */
void cli_chain_warn(struct irc_db *db, int64_t case_id);

struct irc_register_query;

/*
 * Parses --from and --to (see irc_register_date_parse()) into q.  Prints
 * a usage error and returns false when one is missing or invalid, or
 * when the period is empty.
 */
bool cli_parse_period(const struct cli_ctx *ctx, const char *from,
    const char *to, struct irc_register_query *q);

/*
 * Parses one bound of a period given to option what ("--from"): a date
 * YYYY-MM-DD (its local midnight, or with end_of_day the midnight that
 * ends it) or a time.  Prints a usage error naming both forms and returns
 * false when text is neither, or one naming the option and the month's
 * length when the date does not exist (2026-02-30).
 */
bool cli_parse_bound(const struct cli_ctx *ctx, const char *what,
    const char *text, bool end_of_day, int64_t *out);

/*
 * Prints a usage error and returns false when the period from_us to to_us
 * (parsed from the texts from and to) holds no instant.
 */
bool cli_check_period(const struct cli_ctx *ctx, const char *from,
    const char *to, int64_t from_us, int64_t to_us);

/* Prints text to out through irc_sanitize_str() with the given flags. */
void cli_print_clean(FILE *out, const char *text, int flags);

struct irc_config;

/*
 * Loads config.yaml (ircase.conf(5)) for every command that reads it, so
 * that each one reports the same things.  An unknown key is a warning on
 * stderr.  A malformed file or a bad value is the FILE:LINE error, after
 * which the caller exits with CLI_EXIT_FAIL.  The file is read once per
 * process; the result belongs to cli.c and lives until exit.  Returns
 * NULL after printing the error.
 */
const struct irc_config *cli_config(void);

/*
 * As cli_config(), but a file that cannot be loaded is returned in err
 * for the caller to print, not printed.  Warnings are still printed once.
 */
enum irc_status cli_config_get(const struct irc_config **out,
    struct irc_error *err);

/*
 * Sets limits->max_size to playbooks.max_size of config.yaml, or to the
 * default, unless it is set already (by --max-size).  Returns false with
 * err set when config.yaml cannot be loaded (see cli_config_get()).
 */
bool cli_playbook_limits(struct irc_pb_limits *limits, struct irc_error *err);

/*
 * Returns the display width of text once sanitised, by wcwidth() under the
 * current locale; a byte that does not decode counts as one column.
 */
int cli_text_width(const char *text);

/* Prints text sanitised, then spaces up to width display columns. */
void cli_print_padded(FILE *out, const char *text, int width);

#endif
