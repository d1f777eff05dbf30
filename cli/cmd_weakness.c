/*
 * cmd_weakness.c: "ircase weakness add|promote|list|verify", the register
 * of reported security weaknesses.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "actor.h"
#include "cli_drill.h"
#include "cli_lifecycle.h"
#include "playbook.h"
#include "timeutil.h"
#include "weakness.h"

static const char weakness_options[] =
    "  ircase weakness add --by WHO TEXT\n"
    "  ircase weakness promote ID --playbook FILE --title TEXT\n"
    "  ircase weakness list [--json]\n"
    "  ircase weakness verify\n"
    "\n"
    "add prints the weakness's number, promote the new case's number.\n"
    "\n"
    "Options:\n"
    "  --by WHO         who reported the weakness (add)\n"
    "  --playbook FILE  playbook of the new case (promote); a name without\n"
    "                   '/' that is not a file is looked up in the\n"
    "                   playbook search path, as with 'ircase new'\n"
    "  --title TEXT     title of the new case (promote)\n"
    "  --json           print the list as JSON (list)\n";

struct weakness_args {
	const char *by, *playbook, *title;
	bool as_json;
};

static int
weakness_list(struct irc_db *db, bool as_json)
{
	struct irc_weakness *list = NULL;
	struct irc_error err;
	json_t *json;
	size_t n = 0;
	char when[64];
	int status = CLI_EXIT_OK;

	irc_error_clear(&err);
	if (irc_weakness_list(db, &list, &n, &err) != IRC_OK)
		return cli_fail(&err);
	if (as_json) {
		json = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(json, json_pack("{s:I, s:s, s:s,"
			    " s:s, s:s, s:o}", "id", (json_int_t)list[i].id,
			    "reported_at", irc_time_utc(list[i].time_us, when,
			    sizeof when), "by", list[i].reporter, "recorded_by",
			    list[i].actor, "text", list[i].text, "case",
			    list[i].case_id ? json_integer(list[i].case_id) :
			    json_null()));
		if (!cli_json_print(json, stdout))
			status = cli_failf("cannot write the register: %s",
			    strerror(errno));
		json_decref(json);
	} else {
		if (n > 0)
			printf("%4s  %-25s  %s\n", "ID", "REPORTED",
			    "[CASE] BY: TEXT");
		for (size_t i = 0; i < n; i++) {
			printf("%4" PRId64 "  %s  ", list[i].id,
			    irc_time_local(list[i].time_us, when, sizeof when));
			if (list[i].case_id != 0)
				printf("case #%" PRId64 "  ", list[i].case_id);
			cli_print_clean(stdout, list[i].reporter, 0);
			fputs(": ", stdout);
			cli_print_clean(stdout, list[i].text, 0);
			fputc('\n', stdout);
		}
	}
	irc_weaknesses_free(list, n);
	return status;
}

int
cli_weakness_verify(struct irc_db *db, bool skip_empty)
{
	struct irc_verify_result v;
	struct irc_error err;

	irc_error_clear(&err);
	if (irc_weakness_verify(db, &v, &err) != IRC_OK)
		return cli_fail(&err);
	if (skip_empty && v.ok && v.checked == 0)
		return CLI_EXIT_OK;
	if (!v.ok) {
		cli_failf("%s", v.reason);
		return CLI_EXIT_CHAIN;
	}
	printf("weakness register: ok, %" PRId64 " entries, head %s\n",
	    v.checked, v.head);
	return CLI_EXIT_OK;
}

static int
weakness_promote(struct cli_ctx *ctx, struct irc_db *db, int64_t id,
    const struct weakness_args *a)
{
	struct irc_playbook *pb = NULL;
	struct irc_actor actor;
	struct irc_error err;
	int64_t case_id = 0;
	int status = CLI_EXIT_OK;

	irc_error_clear(&err);
	if (cli_playbook_open(a->playbook, &pb, &err) != IRC_OK)
		return cli_fail(&err);
	irc_actor_current(&actor);
	if (irc_weakness_promote(db, id, pb, a->title, pb->severity > 0 ?
	    pb->severity : IRC_SEVERITY_DEFAULT, &actor, &case_id, &err) !=
	    IRC_OK)
		status = cli_fail(&err);
	else
		printf("%" PRId64 "\n", case_id);
	irc_playbook_free(pb);
	return status;
}

/* Checks the arguments of verb; returns -1 when they are valid. */
static int
weakness_check(struct cli_ctx *ctx, const char *verb, int nargs,
    const struct weakness_args *a)
{
	if (strcmp(verb, "add") == 0) {
		if (nargs != 1 || a->by == NULL)
			return cli_usage_error(ctx, "usage: ircase weakness add "
			    "--by WHO TEXT");
		return -1;
	}
	if (strcmp(verb, "promote") == 0) {
		if (nargs != 1 || a->playbook == NULL || a->title == NULL)
			return cli_usage_error(ctx, "usage: ircase weakness "
			    "promote ID --playbook FILE --title TEXT");
		return cli_check_text(ctx, "--title", a->title) ? -1 :
		    CLI_EXIT_USAGE;
	}
	if (strcmp(verb, "list") == 0 || strcmp(verb, "verify") == 0)
		return nargs == 0 ? -1 : cli_usage_error(ctx, "unexpected "
		    "argument after '%s'", verb);
	return cli_usage_error(ctx, "%s '%s'; use add, promote, list or "
	    "verify", *verb ? "invalid action" : "missing action", verb);
}

int
cmd_weakness(struct cli_ctx *ctx, int argc, char **argv)
{
	struct weakness_args a = { NULL, NULL, NULL, false };
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	const char *verb;
	int64_t id = 0;
	int c, status;
	const struct cli_opt opts[] = {
		{ "by", 0, CLI_OPT_TEXT, &a.by, NULL },
		{ "playbook", 0, CLI_OPT_TEXT, &a.playbook, NULL },
		{ "title", 0, CLI_OPT_TEXT, &a.title, NULL },
		{ "json", 0, CLI_OPT_FLAG, &a.as_json, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((c = cli_options(ctx, argc, argv, opts, weakness_options)) != -1)
		return c;
	verb = optind < argc ? argv[optind] : "";
	if ((status = weakness_check(ctx, verb, argc - optind - 1, &a)) >= 0)
		return status;
	if (strcmp(verb, "add") == 0 && (!cli_check_text(ctx, "--by", a.by) ||
	    !cli_check_text(ctx, "TEXT", argv[optind + 1])))
		return CLI_EXIT_USAGE;
	if (strcmp(verb, "promote") == 0 &&
	    !irc_case_number_parse(argv[optind + 1], &id))
		return cli_usage_error(ctx, "invalid weakness number '%s'",
		    argv[optind + 1]);

	if (!cli_db_open(ctx, strcmp(verb, "list") == 0 ||
	    strcmp(verb, "verify") == 0 ? CLI_DB_READ : CLI_DB_CREATE, &db,
	    NULL))
		return CLI_EXIT_FAIL;
	if (strcmp(verb, "list") == 0) {
		status = weakness_list(db, a.as_json);
	} else if (strcmp(verb, "verify") == 0) {
		status = cli_weakness_verify(db, false);
	} else if (strcmp(verb, "promote") == 0) {
		status = weakness_promote(ctx, db, id, &a);
	} else {
		irc_actor_current(&actor);
		irc_error_clear(&err);
		if (irc_weakness_add(db, a.by, argv[optind + 1], &actor, &id,
		    &err) != IRC_OK) {
			status = cli_fail(&err);
		} else {
			printf("%" PRId64 "\n", id);
			status = CLI_EXIT_OK;
		}
	}
	irc_db_close(db);
	return status;
}
