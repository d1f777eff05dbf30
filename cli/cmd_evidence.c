/*
 * cmd_evidence.c: "ircase evidence", which records evidence files on a
 * case (add), hands them from one custodian to the next (transfer), lists
 * them with their custody (list) and hashes them again (check).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "cli.h"
#include "evidence.h"
#include "timeutil.h"

static const char evidence_options[] =
    "Subcommands:\n"
    "  add CASE FILE [--desc TEXT] [--location TEXT]\n"
    "                   hash FILE with SHA-256 and record it, held by you\n"
    "  transfer CASE N --from WHO --to WHO --purpose TEXT [--seal ID]\n"
    "           [--at TIME]\n"
    "                   record that item N went from one person to another\n"
    "  list CASE [--json]\n"
    "                   list the items with their hashes and custody\n"
    "  check CASE       hash every file again; exit 1 when one differs\n"
    "\n"
    "Options:\n"
    "  --desc TEXT      what the item is\n"
    "  --location TEXT  where the item is kept (evidence store, safe)\n"
    "  --from WHO       the person handing the item over: its holder\n"
    "  --to WHO         the person receiving it\n"
    "  --purpose TEXT   why it changes hands\n"
    "  --seal ID        the id of the seal on the bag or container\n"
    "  --at TIME        when it changed hands (RFC 3339, or local time\n"
    "                   as 2026-03-29 15:05; default now)\n"
    "  --json           print a JSON array (keys under JSON OUTPUT in\n"
    "                   ircase(1))\n";

struct evidence_args {
	const char *desc, *location, *from, *to, *purpose, *seal, *at;
	bool json;
};

/* Parses the options of every subcommand; returns -1 to go on, else an exit status. */
static int
evidence_options_parse(struct cli_ctx *ctx, int argc, char **argv,
    struct evidence_args *a)
{
	const struct cli_opt opts[] = {
		{ "desc", 0, CLI_OPT_TEXT, &a->desc, NULL },
		{ "location", 0, CLI_OPT_TEXT, &a->location, NULL },
		{ "from", 0, CLI_OPT_TEXT, &a->from, NULL },
		{ "to", 0, CLI_OPT_TEXT, &a->to, NULL },
		{ "purpose", 0, CLI_OPT_TEXT, &a->purpose, NULL },
		{ "seal", 0, CLI_OPT_TEXT, &a->seal, NULL },
		{ "at", 0, CLI_OPT_TEXT, &a->at, NULL },
		{ "json", 0, CLI_OPT_FLAG, &a->json, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	return cli_options(ctx, argc, argv, opts, evidence_options);
}

/* Rejects options that the subcommand sub does not take. */
static bool
evidence_only(const struct cli_ctx *ctx, const char *sub,
    const struct evidence_args *a, const char *allowed)
{
	const struct { const char *name; bool set; } opts[] = {
		{ "--desc", a->desc != NULL }, { "--location", a->location != NULL },
		{ "--from", a->from != NULL }, { "--to", a->to != NULL },
		{ "--purpose", a->purpose != NULL }, { "--seal", a->seal != NULL },
		{ "--at", a->at != NULL }, { "--json", a->json },
	};

	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		if (!opts[i].set || strstr(allowed, opts[i].name) != NULL)
			continue;
		cli_usage_error(ctx, "'evidence %s' does not take %s; see "
		    "'ircase evidence --help'", sub, opts[i].name);
		return false;
	}
	return true;
}

/*
 * Warns when item number of case_id has the same path and SHA-256 as an
 * earlier item: the file was most likely added twice by mistake.  The
 * item stays recorded, since the log is append-only.
 */
static void
evidence_warn_repeat(struct irc_db *db, int64_t case_id, int64_t number)
{
	struct irc_evidence *list;
	const struct irc_evidence *added = NULL;
	size_t n;

	if (irc_evidence_list(db, case_id, &list, &n, NULL) != IRC_OK)
		return;
	for (size_t i = 0; i < n; i++)
		if (list[i].number == number)
			added = &list[i];
	for (size_t i = 0; added != NULL && i < n; i++) {
		if (list[i].number == number ||
		    strcmp(list[i].sha256, added->sha256) != 0 ||
		    strcmp(list[i].path, added->path) != 0)
			continue;
		fprintf(stderr, "ircase: warning: evidence %" PRId64 " is the "
		    "same file as evidence %" PRId64 " (same path and "
		    "SHA-256); both are recorded\n", number, list[i].number);
		break;
	}
	irc_evidence_free(list, n);
}

static int
evidence_add(struct irc_db *db, int64_t case_id, const char *file,
    const struct evidence_args *a)
{
	struct irc_actor actor;
	struct irc_error err;
	int64_t number;

	irc_actor_current(&actor);
	irc_error_clear(&err);
	if (irc_evidence_add(db, case_id, file, a->desc, a->location, &actor,
	    &number, &err) != IRC_OK)
		return cli_fail(&err);
	printf("%" PRId64 "\n", number);
	evidence_warn_repeat(db, case_id, number);
	return CLI_EXIT_OK;
}

static int
evidence_transfer(struct cli_ctx *ctx, struct irc_db *db, int64_t case_id,
    int64_t number, const struct evidence_args *a)
{
	struct irc_transfer t = { a->from, a->to, a->purpose, a->seal, 0 };
	struct irc_actor actor;
	struct irc_error err;

	irc_error_clear(&err);
	if (a->at != NULL && irc_time_parse(a->at, &t.at, NULL, &err) != IRC_OK)
		return cli_usage_error(ctx, "--at: %s", err.msg);
	irc_actor_current(&actor);
	if (irc_evidence_transfer(db, case_id, number, &t, &actor, &err) !=
	    IRC_OK)
		return cli_fail_value(&err);
	return CLI_EXIT_OK;
}

/* Prints a label and a stored text, sanitised, on one line. */
static void
print_field(const char *label, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	printf("  %-9s ", label);
	cli_print_clean(stdout, text, 0);
	fputc('\n', stdout);
}

static void
evidence_print(const struct irc_evidence *list, size_t count)
{
	char when[64], size[32];

	for (size_t i = 0; i < count; i++) {
		const struct irc_evidence *e = &list[i];

		printf("%sEVIDENCE %" PRId64 ": ", i > 0 ? "\n" : "", e->number);
		cli_print_clean(stdout, e->name, 0);
		fputc('\n', stdout);
		snprintf(size, sizeof size, "%" PRIu64 " bytes", e->size);
		print_field("size", size);
		print_field("sha256", e->sha256);
		print_field("path", e->path);
		print_field("about", e->description);
		print_field("location", e->location);
		print_field("added", irc_time_local(e->added_at, when, sizeof when));
		print_field("added by", e->added_by);
		print_field("holder", e->holder);
		for (size_t j = 0; j < e->ncustody; j++) {
			const struct irc_custody *c = &e->custody[j];

			printf("  %-9s %s ", "transfer", irc_time_local(c->at, when,
			    sizeof when));
			cli_print_clean(stdout, c->from, 0);
			fputs(" -> ", stdout);
			cli_print_clean(stdout, c->to, 0);
			fputs(": ", stdout);
			cli_print_clean(stdout, c->purpose, 0);
			if (*c->seal != '\0') {
				fputs(", seal ", stdout);
				cli_print_clean(stdout, c->seal, 0);
			}
			fputc('\n', stdout);
		}
	}
}

static int
evidence_list(struct irc_db *db, int64_t case_id, bool as_json)
{
	struct irc_evidence *list;
	struct irc_error err;
	size_t n;
	int status = CLI_EXIT_OK;

	irc_error_clear(&err);
	if (irc_evidence_list(db, case_id, &list, &n, &err) != IRC_OK)
		return cli_fail(&err);
	if (as_json) {
		status = cli_json_emit(irc_evidence_to_json(list, n),
		    "the evidence list");
	} else {
		evidence_print(list, n);
	}
	irc_evidence_free(list, n);
	return status;
}

/*
 * Prints one line per item: "ok", "MISMATCH" with both hashes, or
 * "unreachable" with the reason.  Exits 1 when any item does not match.
 */
static int
evidence_check(struct irc_db *db, int64_t case_id)
{
	struct irc_evidence_check *res;
	struct irc_evidence *list;
	struct irc_error err;
	size_t n, nlist;
	int mismatches = 0, unreachable = 0;

	irc_error_clear(&err);
	if (irc_evidence_check(db, case_id, &res, &n, &err) != IRC_OK)
		return cli_fail(&err);
	if (irc_evidence_list(db, case_id, &list, &nlist, &err) != IRC_OK) {
		free(res);
		return cli_fail(&err);
	}
	for (size_t i = 0; i < n && i < nlist; i++) {
		printf("%" PRId64 " ", res[i].number);
		switch (res[i].result) {
		case IRC_EVIDENCE_MATCH:
			fputs("ok ", stdout);
			break;
		case IRC_EVIDENCE_MISMATCH:
			mismatches++;
			printf("MISMATCH recorded %s %" PRIu64 " bytes, now %s %"
			    PRIu64 " bytes ", list[i].sha256, list[i].size,
			    res[i].sha256, res[i].size);
			break;
		case IRC_EVIDENCE_UNREACHABLE:
			unreachable++;
			fputs("unreachable ", stdout);
			break;
		}
		cli_print_clean(stdout, res[i].result == IRC_EVIDENCE_UNREACHABLE ?
		    res[i].reason : list[i].path, 0);
		fputc('\n', stdout);
	}
	if (mismatches > 0)
		cli_failf("case %" PRId64 ": %d evidence %s not match %s "
		    "recorded size and SHA-256", case_id, mismatches,
		    mismatches == 1 ? "file does" : "files do",
		    mismatches == 1 ? "its" : "their");
	else if (unreachable > 0)
		fprintf(stderr, "ircase: case %" PRId64 ": %d evidence file%s "
		    "could not be read; the others match\n", case_id, unreachable,
		    unreachable == 1 ? "" : "s");
	irc_evidence_free(list, nlist);
	free(res);
	return mismatches > 0 ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

/* Checks that there are exactly want positional arguments, SUB included. */
static bool
evidence_argc(const struct cli_ctx *ctx, int have, int want,
    const char *usage)
{
	if (have < want) {
		cli_usage_error(ctx, "missing arguments; usage: ircase evidence "
		    "%s", usage);
		return false;
	}
	if (have > want) {
		cli_usage_error(ctx, "too many arguments; usage: ircase "
		    "evidence %s", usage);
		return false;
	}
	return true;
}

int
cmd_evidence(struct cli_ctx *ctx, int argc, char **argv)
{
	struct evidence_args a = { 0 };
	struct irc_db *db = NULL;
	const char *sub;
	char **pos;
	int64_t case_id;
	long number = 0;
	int npos, status;

	if ((status = evidence_options_parse(ctx, argc, argv, &a)) >= 0)
		return status;
	pos = argv + optind;
	npos = argc - optind;
	if (npos == 0)
		return cli_usage_error(ctx, "missing subcommand; use add, "
		    "transfer, list or check");
	sub = pos[0];
	if (strcmp(sub, "add") == 0) {
		if (!evidence_argc(ctx, npos, 3, "add CASE FILE") ||
		    !evidence_only(ctx, sub, &a, "--desc --location"))
			return CLI_EXIT_USAGE;
	} else if (strcmp(sub, "transfer") == 0) {
		if (!evidence_argc(ctx, npos, 3, "transfer CASE N --from WHO "
		    "--to WHO --purpose TEXT") ||
		    !evidence_only(ctx, sub, &a, "--from --to --purpose --seal --at"))
			return CLI_EXIT_USAGE;
		if (a.from == NULL || a.to == NULL || a.purpose == NULL)
			return cli_usage_error(ctx, "missing %s; a transfer "
			    "needs --from, --to and --purpose", a.from == NULL ?
			    "--from" : a.to == NULL ? "--to" : "--purpose");
		if (!cli_parse_int(ctx, "evidence number", pos[2], 1, LONG_MAX,
		    &number))
			return CLI_EXIT_USAGE;
	} else if (strcmp(sub, "list") == 0 || strcmp(sub, "check") == 0) {
		if (!evidence_argc(ctx, npos, 2, strcmp(sub, "list") == 0 ?
		    "list CASE [--json]" : "check CASE") ||
		    !evidence_only(ctx, sub, &a, strcmp(sub, "list") == 0 ?
		    "--json" : ""))
			return CLI_EXIT_USAGE;
	} else {
		return cli_usage_error(ctx, "unknown subcommand '%s'; use add, "
		    "transfer, list or check", sub);
	}
	if (!cli_parse_case(ctx, pos[1], &case_id))
		return CLI_EXIT_USAGE;

	if (!cli_db_open(ctx, sub[0] == 'l' || sub[0] == 'c' ? CLI_DB_READ :
	    CLI_DB_WRITE, &db, NULL))
		return CLI_EXIT_FAIL;
	if (strcmp(sub, "add") == 0)
		status = evidence_add(db, case_id, pos[2], &a);
	else if (strcmp(sub, "transfer") == 0)
		status = evidence_transfer(ctx, db, case_id, number, &a);
	else if (strcmp(sub, "list") == 0)
		status = evidence_list(db, case_id, a.json);
	else
		status = evidence_check(db, case_id);
	irc_db_close(db);
	return status;
}
