/*
 * main.c: the entry point.  Parses the global options, then either opens
 * the TUI (no subcommand) or hands the rest of the command line to the
 * subcommand's cmd_NAME() function.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tui/tui.h"
#include "cli.h"
#include "cli_drill.h"
#include "cli_lifecycle.h"
#include "cli_sync.h"
#include "cli_sign.h"

const struct cli_cmd cli_cmds[] = {
	{ "init", cmd_init, "[--shared DIR [--group NAME]]",
	    "Create the database, or one that a group of responders shares." },
	{ "new", cmd_new, "--playbook FILE --title TEXT [--severity LEVEL]",
	    "Open a case from a playbook and print its number." },
	{ "list", cmd_list, "[--json]",
	    "List every case, newest first." },
	{ "show", cmd_show, "CASE [--json]",
	    "Show a case: its phases, steps and timeline." },
	{ "note", cmd_note, "CASE TEXT [--step N]",
	    "Add a note to a case, or to one of its steps." },
	{ "step", cmd_step, "CASE N start|done|skip|na|pending [--note TEXT]",
	    "Set the state of step N of a case." },
	{ "export", cmd_export, "CASE [--format json|csv|md|timesketch] [-o FILE]",
	    "Write a case with its whole action log." },
	{ "verify", cmd_verify, "[CASE...] [--allowed-signers FILE] | --pack DIR | CASE --against FILE",
	    "Check the hash chain and signatures of the given cases, or of every case." },
	{ "sign", cmd_sign, "CASE",
	    "Sign the chain head of a case with your SSH key (ssh-agent)." },
	{ "register", cmd_register, "--from DATE --to DATE [--format csv|xlsx|md] ...",
	    "Write the incident register of the cases opened in a period." },
	{ "audit-pack", cmd_audit_pack, "--from DATE --to DATE [--drills include|exclude] DIR",
	    "Write an audit pack: register, reports, exports, playbooks, manifest." },
	{ "evidence", cmd_evidence, "add|transfer|list|check CASE ...",
	    "Record evidence files with SHA-256, their custody, and check them." },
	{ "observable", cmd_observable, "add|list CASE ...",
	    "Record observables (IP, domain, URL, hash, ...) and list them." },
	{ "asset", cmd_asset, "add|list CASE ...",
	    "Record the assets a case affects, from the inventory or typed in." },
	{ "assets", cmd_assets, "[--json]",
	    "List the asset inventory with the cases that affect each asset." },
	{ "playbook", cmd_playbook, "list|show|lint|import-thehive|export-thehive ...",
	    "List, show and lint playbooks; convert TheHive case templates." },
	{ "sync", cmd_sync, "[CASE] [--dry-run|--status|--relink|--import NUMBER]",
	    "Send waiting actions to TheHive and pull changes made there." },
	{ "thehive", cmd_thehive, "check [--drill] [--insecure]",
	    "Check the TheHive URL, key, proxy and TLS settings." },
	{ "role", cmd_role, "CASE ROLE PERSON",
	    "Hand a role on a case (incident_commander, scribe, ...) to a person." },
	{ "report", cmd_report, "CASE --by WHO --channel C [--at TIME] TEXT",
	    "Record who reported what on a case, when and how." },
	{ "weakness", cmd_weakness, "add|promote|list|verify ...",
	    "Keep the register of reported weaknesses; turn one into a case." },
	{ "decide", cmd_decide, "CASE incident|event|not-incident --reason TEXT ...",
	    "Record the Assess decision, the awareness time and the TLP." },
	{ "milestone", cmd_milestone, "CASE contained|eradicated|recovered ...",
	    "Record a Respond milestone." },
	{ "approve", cmd_approve, "CASE N",
	    "Approve step N as a second responder." },
	{ "lesson", cmd_lesson, "CASE --root-cause|--went-well|--went-badly TEXT",
	    "Record a lesson learned, or waive the Learn phase." },
	{ "followup", cmd_followup, "add CASE ...|done ID ...",
	    "Add a follow-up with an owner and due date, or mark one done." },
	{ "followups", cmd_followups, "[--open] [--json]",
	    "List the follow-ups of every case, overdue ones marked." },
	{ "clock", cmd_clock, "CASE start RULE",
	    "Start a notification clock (gdpr, nis2-..., pci-dss, ...)." },
	{ "notify", cmd_notify, "CASE CLOCK --to WHO [--ref TEXT] [--at TIME]",
	    "Record a notification, which stops its clock." },
	{ "clocks", cmd_clocks, "[--all] [--json]",
	    "List running notification clocks, nearest deadline first." },
	{ "close", cmd_close, "CASE [--summary TEXT]",
	    "Close a case, or list what is missing before it can close." },
	{ "stats", cmd_stats, "[--from DATE] [--to DATE] [--json]",
	    "Summarise response times over the cases opened in a period." },
	{ "drill", cmd_drill, "start|tick|report ...",
	    "Run an IR drill from a playbook and a scenario; report on it." },
	{ "scenario", cmd_scenario, "lint FILE...",
	    "Check drill scenario files." },
	{ "replay", cmd_replay, "CASE [--speed N] [--from T] | CASE --as-drill",
	    "Play a case's log back, read-only; or write a drill from it." },
	{ NULL, NULL, NULL, NULL },
};

enum {
	OPT_HELP_KEYS_MAN = 0x200,
};

static void
usage_print(FILE *out)
{
	const struct cli_cmd *cmd;

	fputs("usage: ircase [--db PATH] [COMMAND [ARGS]]\n"
	    "\n"
	    "Without a command, opens the case manager in the terminal.\n"
	    "\n"
	    "Commands:\n", out);
	for (cmd = cli_cmds; cmd->name != NULL; cmd++)
		fprintf(out, "  %-7s %s\n          %s\n", cmd->name,
		    cmd->synopsis, cmd->summary);
	fputs("\n"
	    "Options:\n"
	    "  --db PATH        database file (default: $IRCASE_DB, else\n"
	    "                   $XDG_DATA_HOME/ircase/ircase.db)\n"
	    "  -h, --help       show this help; 'ircase COMMAND --help' for one\n"
	    "                   command\n"
	    "  -V, --version    show the version\n"
	    "  --help-keys-man  print the key bindings as roff, for the man page\n"
	    "\n"
	    "Keys in the terminal interface:\n", out);
	tui_keys_print(out, false);
}

static const struct cli_cmd *
cmd_find(const char *name)
{
	const struct cli_cmd *cmd;

	for (cmd = cli_cmds; cmd->name != NULL; cmd++)
		if (strcmp(cmd->name, name) == 0)
			return cmd;
	return NULL;
}

static int
tui_open(struct cli_ctx *ctx)
{
	struct irc_db *db;
	int status;

	/*
	 * Checked here, before the database is created, because curses on a
	 * pipe or /dev/null draws escape sequences into it and never reads a
	 * key to quit on.
	 */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("ircase: the terminal interface needs a terminal on "
		    "standard input and output; run it from a terminal or use "
		    "a command (see 'ircase --help')\n", stderr);
		return CLI_EXIT_FAIL;
	}
	if (!cli_db_open(ctx, CLI_DB_CREATE, &db, NULL))
		return CLI_EXIT_FAIL;
	status = tui_run(db);
	irc_db_close(db);
	return status;
}

/*
 * Flushes stdout and reports a failed write (a full disk, a closed pipe),
 * so that a truncated listing or export never exits 0.  A command that
 * already failed has printed its own line, so nothing more is added.
 */
static int
stdout_close(int status)
{
	if ((fflush(stdout) != 0 || ferror(stdout)) && status == CLI_EXIT_OK) {
		fprintf(stderr, "ircase: cannot write the output: %s\n",
		    strerror(errno));
		return CLI_EXIT_FAIL;
	}
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "help-keys-man", no_argument, NULL, OPT_HELP_KEYS_MAN },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_ctx ctx = { NULL, NULL };
	const struct cli_cmd *cmd;
	int c;

	setlocale(LC_ALL, "");
	/*
	 * Past a file size limit (ulimit -f) a write fails with EFBIG instead
	 * of killing the process, so a half-written file or audit pack is
	 * removed and the message names the file.
	 */
	signal(SIGXFSZ, SIG_IGN);
	cli_getopt_reset();
	/* "+" stops at the subcommand name, whose options are its own. */
	while ((c = getopt_long(argc, argv, "+:hV", longopts, NULL)) != -1) {
		switch (c) {
		case CLI_OPT_DB:
			ctx.db_path = optarg;
			break;
		case 'h':
			usage_print(stdout);
			return stdout_close(CLI_EXIT_OK);
		case 'V':
			printf("ircase %s\n", IRC_VERSION);
			return stdout_close(CLI_EXIT_OK);
		case OPT_HELP_KEYS_MAN:
			tui_keys_print(stdout, true);
			return stdout_close(CLI_EXIT_OK);
		default:
			return cli_bad_option(&ctx, c, argv);
		}
	}

	if (optind >= argc)
		return tui_open(&ctx);

	cmd = cmd_find(argv[optind]);
	if (cmd == NULL)
		return cli_usage_error(&ctx, "unknown command '%s'; see "
		    "'ircase --help' for the list", argv[optind]);
	ctx.cmd = cmd->name;
	return stdout_close(cmd->run(&ctx, argc - optind, argv + optind));
}
