/*
 * cmd_show.c: "ircase show", one case with its phases, steps and
 * timeline, as text or JSON.
 *
 * Steps carry the number the TUI shows (struct irc_step.seq), so a
 * responder can read a number here and type it into "ircase step".
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "cli.h"
#include "cli_lifecycle.h"
#include "export.h"
#include "mem.h"
#include "model.h"
#include "sanitize.h"
#include "timeutil.h"

static const char show_options[] =
    "Options:\n"
    "  --json           print the case as JSON with its action log (keys\n"
    "                   under JSON OUTPUT in ircase(1)); the chain is not\n"
    "                   checked then\n"
    "\n"
    "The text ends with a line on the case's hash chain; show exits 3 when\n"
    "the chain does not verify.\n";

/* One mark per step state, in enum irc_step_state order. */
static const char *const state_marks[IRC_STEP_STATE_COUNT] = {
	"[ ]", "[>]", "[x]", "[-]", "[/]",
};

static void
show_header(const struct irc_case *c)
{
	char opened[64], closed[64];

	printf("Case #%" PRId64 ": ", c->sum.id);
	cli_print_clean(stdout, c->sum.title, 0);
	fputc('\n', stdout);

	printf("  uuid       %s\n", c->sum.uuid);
	printf("  severity   %d (%s)\n", c->sum.severity,
	    irc_severity_name(c->sum.severity));
	fputs("  status     ", stdout);
	cli_print_clean(stdout, c->sum.status, 0);
	fputs(", ", stdout);
	cli_print_clean(stdout, c->sum.kind, 0);
	fputc('\n', stdout);
	printf("  opened     %s\n",
	    irc_time_local(c->sum.opened_at, opened, sizeof opened));
	if (c->closed_at != 0)
		printf("  closed     %s\n",
		    irc_time_local(c->closed_at, closed, sizeof closed));
	printf("  steps      %d of %d closed\n", c->sum.steps_done,
	    c->sum.steps_total);
	fputs("  playbook   ", stdout);
	cli_print_clean(stdout, c->playbook_title, 0);
	if (c->playbook_path != NULL && c->playbook_path[0] != '\0') {
		fputs(" (", stdout);
		cli_print_clean(stdout, c->playbook_path, 0);
		fputc(')', stdout);
	}
	fputc('\n', stdout);
	printf("  sha256     %s\n", c->playbook_sha256);
	if (c->description != NULL && c->description[0] != '\0') {
		fputs("\n", stdout);
		cli_print_clean(stdout, c->description, IRC_SAN_KEEP_NEWLINE);
		fputc('\n', stdout);
	}
}

/*
 * Prints one step line.  Steps under a playbook heading (grp) are indented
 * below that heading, so the steps after the group read as outside it.
 */
static void
show_step(const struct irc_step *s)
{
	printf("%s%4d. %s ", s->grp != NULL ? "    " : "  ", s->seq,
	    (unsigned)s->state < IRC_STEP_STATE_COUNT ?
	    state_marks[s->state] : "[?]");
	cli_print_clean(stdout, s->title, 0);
	if (s->state != IRC_STEP_PENDING)
		printf(" (%s)", irc_step_state_label(s->state));
	fputc('\n', stdout);
}

static void
show_steps(const struct irc_case *c)
{
	int phase;
	size_t i;

	for (phase = 0; phase < IRC_PHASE_COUNT; phase++) {
		const char *group = NULL;
		int shown = 0;

		printf("\n%s (ISO 27001:2013 %s, 27001:2022 %s)\n",
		    irc_phase_name(phase), irc_phase_iso2013(phase),
		    irc_phase_iso2022(phase));
		for (i = 0; i < c->nsteps; i++) {
			const struct irc_step *s = &c->steps[i];

			if ((int)s->phase != phase)
				continue;
			if (s->grp != NULL && (group == NULL ||
			    strcmp(group, s->grp) != 0)) {
				fputs("    ", stdout);
				cli_print_clean(stdout, s->grp, 0);
				fputs(":\n", stdout);
			}
			group = s->grp;
			show_step(s);
			shown++;
		}
		if (shown == 0)
			fputs("        (no steps)\n", stdout);
	}
}

/* Prints the core's one-line sentence on an action, sanitised. */
static void
action_summary(const struct irc_action *a)
{
	char *summary = irc_action_summary(a);

	cli_print_clean(stdout, summary, 0);
	free(summary);
}

/* Returns "actor" or "actor@origin" (caller frees). */
static char *
action_who(const struct irc_action *a)
{
	if (a->origin != NULL && a->origin[0] != '\0')
		return irc_xasprintf("%s@%s", a->actor, a->origin);
	return irc_xstrdup(a->actor);
}

/*
 * Prints the timeline with the actor and kind columns padded by display
 * columns to the widest entry, so wide characters keep them aligned.
 */
static void
show_timeline(const struct irc_case *c)
{
	char when[64];
	int who_w = 0, kind_w = 0, w;
	char *who;
	size_t i;

	for (i = 0; i < c->nactions; i++) {
		who = action_who(&c->actions[i]);
		w = cli_text_width(who);
		who_w = w > who_w ? w : who_w;
		w = cli_text_width(c->actions[i].kind);
		kind_w = w > kind_w ? w : kind_w;
		free(who);
	}
	printf("\nTimeline (%zu action%s)\n", c->nactions,
	    c->nactions == 1 ? "" : "s");
	for (i = 0; i < c->nactions; i++) {
		const struct irc_action *a = &c->actions[i];

		printf("  %s  ", irc_time_local(a->time_us, when, sizeof when));
		who = action_who(a);
		cli_print_padded(stdout, who, who_w);
		free(who);
		fputs("  ", stdout);
		cli_print_padded(stdout, a->kind, kind_w);
		fputs("  ", stdout);
		action_summary(a);
		fputc('\n', stdout);
	}
}

/*
 * Prints the closing line on the case's hash chain.  Returns false when
 * the chain does not verify; *failed is set when the check could not run.
 */
static bool
show_chain(struct irc_db *db, int64_t case_id, bool *failed)
{
	struct irc_verify_result v;
	struct irc_error err;

	*failed = false;
	irc_error_clear(&err);
	if (irc_chain_verify(db, case_id, &v, &err) != IRC_OK) {
		cli_fail(&err);
		*failed = true;
		return false;
	}
	if (v.ok) {
		printf("\nChain: intact, %" PRId64 " action%s, head %.16s%s\n",
		    v.checked, v.checked == 1 ? "" : "s", v.head,
		    MB_CUR_MAX > 1 ? "\xe2\x80\xa6" : "...");
		return true;
	}
	/* The reason names the action (its id and seq) or the case row. */
	fputs("\nChain: BROKEN: ", stdout);
	cli_print_clean(stdout, v.reason, 0);
	printf("; run 'ircase verify %" PRId64 "'\n", case_id);
	return false;
}

int
cmd_show(struct cli_ctx *ctx, int argc, char **argv)
{
	struct irc_case *kase = NULL;
	struct irc_db *db = NULL;
	struct irc_error err;
	json_t *json = NULL;
	int64_t case_id;
	bool as_json = false, failed;
	int c, status = CLI_EXIT_FAIL;
	const struct cli_opt opts[] = {
		{ "json", 0, CLI_OPT_FLAG, &as_json, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((c = cli_options(ctx, argc, argv, opts, show_options)) != -1)
		return c;
	if (optind >= argc)
		return cli_usage_error(ctx, "missing CASE; give the case number "
		    "that 'ircase list' shows");
	if (!cli_parse_case(ctx, argv[optind], &case_id))
		return CLI_EXIT_USAGE;
	if (optind + 1 < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'; show "
		    "takes one CASE", argv[optind + 1]);

	/* The contacts come from config.yaml, checked before any output. */
	if (cli_config() == NULL || !cli_db_open(ctx, CLI_DB_READ, &db, NULL))
		return CLI_EXIT_FAIL;
	irc_error_clear(&err);
	if (irc_case_load(db, case_id, &kase, &err) != IRC_OK) {
		status = cli_fail(&err);
		goto out;
	}

	if (as_json) {
		json = irc_case_to_json(kase, true);
		if (!show_lifecycle_json(db, kase, json))
			goto out;
		if (!cli_json_print(json, stdout)) {
			status = cli_failf("cannot write case %" PRId64 ": %s",
			    case_id, strerror(errno));
			goto out;
		}
	} else {
		show_header(kase);
		if (!show_lifecycle_text(db, kase))
			goto out;
		show_steps(kase);
		show_timeline(kase);
		if (!show_chain(db, case_id, &failed)) {
			status = failed ? CLI_EXIT_FAIL : CLI_EXIT_CHAIN;
			goto out;
		}
	}
	status = CLI_EXIT_OK;
out:
	json_decref(json);
	if (kase != NULL)
		irc_case_free(kase);
	irc_db_close(db);
	return status;
}
