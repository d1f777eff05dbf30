/*
 * cmd_sync.c: "ircase sync", which sends waiting actions to TheHive and
 * pulls changes back, and "ircase sync --status".
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_sign.h"
#include "cli_sync.h"
#include "mem.h"
#include "sanitize.h"
#include "sync.h"
#include "timeutil.h"

static const char sync_options[] =
    "Sends the actions waiting in the outbox to TheHive and pulls task\n"
    "changes, task logs and observables made there.  Without CASE, syncs\n"
    "every case with actions waiting.\n"
    "\n"
    "  --dry-run     list what would be sent; contact no server\n"
    "  --status      show, per case, the actions pending and failed, the\n"
    "                last error and whether TheHive holds the current\n"
    "                chain head\n"
    "  --push-only   send, but do not pull\n"
    "  --import NUMBER\n"
    "                create a local case from TheHive case NUMBER, linked\n"
    "                to it, then sync it (with --drill: from the drill\n"
    "                target, as a drill)\n"
    "  --relink      forget the TheHive case that CASE is linked to, after\n"
    "                it was deleted in TheHive; the next sync creates it\n"
    "                again and sends every action of CASE to it\n"
    "  --no-wait     exit at once when another sync is running\n"
    "  --insecure    do not verify the server's TLS certificate (warns)\n"
    "  -q, --quiet   print nothing when everything was sent\n"
    "\n"
    "Settings: the thehive section of config.yaml, or IRCASE_THEHIVE_URL,\n"
    "IRCASE_THEHIVE_ORG, IRCASE_THEHIVE_KEY_FILE (or _KEY_CMD, _KEY) and\n"
    "the others listed in ircase.conf(5).  Without a drill URL\n"
    "(IRCASE_THEHIVE_DRILL_URL), drill cases are skipped.  Exits 1 when\n"
    "an action could not be sent or changes made in TheHive could not be\n"
    "pulled.\n";

struct irc_hive_config *
cli_hive_config(bool insecure)
{
	struct irc_hive_config *cfg = NULL;
	struct irc_error err;

	/* The rest of config.yaml is checked too, as every command does. */
	if (cli_config() == NULL)
		return NULL;
	irc_error_clear(&err);
	if (irc_hive_config_load(NULL, &cfg, &err) != IRC_OK) {
		cli_fail(&err);
		return NULL;
	}
	if (insecure) {
		cfg->production.insecure = true;
		cfg->drill.insecure = true;
		fputs("ircase: warning: --insecure turns off TLS certificate and "
		    "host name checks; anyone on the network path can read the "
		    "API key and the case\n", stderr);
	}
	return cfg;
}

/*
 * Loads the TheHive settings without the API keys, for the options that
 * send nothing; prints the error and returns NULL when they are invalid.
 */
static struct irc_hive_config *
hive_settings(void)
{
	struct irc_hive_config *cfg = NULL;
	struct irc_error err;

	irc_error_clear(&err);
	if (irc_hive_config_load_settings(NULL, &cfg, &err) != IRC_OK) {
		cli_fail(&err);
		return NULL;
	}
	return cfg;
}

static void
print_error_line(const char *prefix, const char *msg)
{
	fputs(prefix, stdout);
	cli_print_clean(stdout, msg, 0);
	fputc('\n', stdout);
}

/* Prints the first line of one case's sync state. */
static void
status_print_case(const struct irc_sync_status *s)
{
	char when[64];

	printf("case %" PRId64 " (%s): ", s->case_id, s->target);
	if (s->skipped) {
		puts("not synced (no drill target)");
		return;
	}
	if (s->remote_id[0] != '\0')
		printf("TheHive case #%" PRId64 " (%s)", s->remote_number,
		    s->remote_id);
	else
		printf("not in TheHive yet");
	printf(", %" PRId64 " pending, %" PRId64 " failed", s->pending,
	    s->failed);
	if (s->conflicts > 0)
		printf(", %" PRId64 " conflict%s", s->conflicts,
		    s->conflicts == 1 ? "" : "s");
	if (s->last_sync_us > 0)
		printf(", last sync %s", irc_time_local(s->last_sync_us, when,
		    sizeof when));
	fputc('\n', stdout);
}

/*
 * Prints whether TheHive has the current chain head, as of the last
 * sync.  The line is printed for every case, so a reader need not infer
 * it from a missing line.
 */
static void
status_print_head(const struct irc_sync_status *s)
{
	if (s->pushed_head[0] == '\0')
		printf("  TheHive holds no chain head yet; the local head is "
		    "%.12s\n", s->local_head);
	else if (strcmp(s->pushed_head, s->local_head) != 0)
		printf("  TheHive holds chain head %.12s; the local head is "
		    "%.12s (changed since the last sync)\n", s->pushed_head,
		    s->local_head);
	else
		printf("  TheHive holds the current chain head %.12s\n",
		    s->local_head);
}

static int
sync_status_print(struct irc_db *db, int64_t case_id)
{
	struct irc_hive_config *cfg = hive_settings();
	struct irc_sync_status *list = NULL;
	struct irc_error err;
	size_t n = 0;

	if (cfg == NULL)
		return CLI_EXIT_FAIL;
	irc_error_clear(&err);
	if (irc_sync_status(db, cfg, case_id, &list, &n, &err) != IRC_OK) {
		irc_hive_config_free(cfg);
		return cli_fail(&err);
	}
	irc_hive_config_free(cfg);
	if (n == 0)
		printf("nothing to sync%s\n", case_id ? " for this case" : "");
	for (size_t i = 0; i < n; i++) {
		status_print_case(&list[i]);
		status_print_head(&list[i]);
		/* A skipped drill's old error is only the missing target. */
		if (!list[i].skipped && list[i].last_error != NULL)
			print_error_line("  last error: ", list[i].last_error);
	}
	irc_sync_status_free(list, n);
	return CLI_EXIT_OK;
}

static int
sync_dry_run(struct irc_db *db, int64_t case_id)
{
	struct irc_hive_config *cfg = hive_settings();
	struct irc_sync_pending *list = NULL;
	struct irc_error err;
	size_t n = 0;

	if (cfg == NULL)
		return CLI_EXIT_FAIL;
	irc_error_clear(&err);
	if (irc_sync_pending_list(db, cfg, case_id, &list, &n, &err) !=
	    IRC_OK) {
		irc_hive_config_free(cfg);
		return cli_fail(&err);
	}
	irc_hive_config_free(cfg);
	for (size_t i = 0; i < n; i++) {
		printf("case %" PRId64 " action %" PRId64 " %s -> %s (%s)",
		    list[i].case_id, list[i].seq, list[i].kind, list[i].target,
		    list[i].state);
		if (list[i].last_error != NULL) {
			fputs(": ", stdout);
			cli_print_clean(stdout, list[i].last_error, 0);
		}
		fputc('\n', stdout);
	}
	printf("%zu action%s would be sent\n", n, n == 1 ? "" : "s");
	irc_sync_pending_free(list, n);
	return CLI_EXIT_OK;
}

/* Reads a whole number from the environment, for tests; fallback otherwise. */
static long
env_long(const char *name, long fallback, long max)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return fallback;
	n = strtol(v, &end, 10);
	return *end == '\0' && n > 0 && n <= max ? n : fallback;
}

/*
 * Signs the head of each case with actions waiting to be sent, so the
 * checkpoint travels in the same pass.  A head already signed is left as
 * it is; without a key the first case prints why and the rest are skipped.
 */
static void
sync_sign_heads(struct irc_db *db, const struct irc_hive_config *cfg,
    int64_t case_id)
{
	struct irc_sync_pending *list = NULL;
	struct irc_sign_result r;
	struct irc_actor actor;
	struct irc_error err;
	size_t n = 0;

	irc_error_clear(&err);
	if (irc_sync_pending_list(db, cfg, case_id, &list, &n, &err) != IRC_OK)
		return;
	irc_actor_current(&actor);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && list[i].case_id == list[i - 1].case_id)
			continue;
		if (irc_case_sign(db, list[i].case_id, &actor,
		    IRC_SIGN_IF_CHANGED, &r, &err) != IRC_OK) {
			cli_failf("case %" PRId64 " left unsigned: %s",
			    list[i].case_id, err.msg);
			break;
		}
		if (r.notice[0] != '\0') {
			cli_failf("cases left unsigned: %s", r.notice);
			break;
		}
	}
	irc_sync_pending_free(list, n);
}

static int
sync_run(struct irc_db *db, int64_t case_id, bool insecure, bool push_only,
    bool no_wait, bool quiet)
{
	struct irc_hive_config *cfg = cli_hive_config(insecure);
	struct irc_sync_opts opts;
	struct irc_sync_result res;
	struct irc_error err;
	enum irc_status st;

	if (cfg == NULL)
		return CLI_EXIT_FAIL;
	memset(&opts, 0, sizeof opts);
	opts.case_id = case_id;
	opts.push_only = push_only;
	opts.no_wait = no_wait;
	opts.max_attempts = (int)env_long("IRCASE_SYNC_ATTEMPTS", 0, 100);
	opts.backoff_base_ms = env_long("IRCASE_SYNC_BACKOFF_MS", 0, 60000);
	sync_sign_heads(db, cfg, case_id);
	irc_error_clear(&err);
	st = irc_sync_run(db, cfg, &opts, &res, &err);
	irc_hive_config_free(cfg);
	if (res.busy) {
		if (!quiet)
			puts("another sync is running; nothing done");
		return CLI_EXIT_OK;
	}
	if (st != IRC_OK)
		return cli_fail(&err);
	if (!quiet || res.failed > 0 || res.pending > 0 || res.errors > 0)
		printf("%d case%s: %" PRId64 " sent, %" PRId64 " failed, %" PRId64
		    " pending, %" PRId64 " pulled, %" PRId64 " conflict%s (%" PRId64
		    " requests)\n", res.cases, res.cases == 1 ? "" : "s", res.sent,
		    res.failed, res.pending, res.pulled, res.conflicts,
		    res.conflicts == 1 ? "" : "s", res.requests);
	if (res.last_error[0] != '\0')
		print_error_line("last error: ", res.last_error);
	if (!quiet && res.cases_skipped > 0)
		printf("%d drill case%s not synced: no drill target is configured "
		    "(IRCASE_THEHIVE_DRILL_URL)\n", res.cases_skipped,
		    res.cases_skipped == 1 ? "" : "s");
	if (res.failed > 0 || res.pending > 0) {
		fputs("ircase: some actions were not sent; see 'ircase sync "
		    "--status'\n", stderr);
		return CLI_EXIT_FAIL;
	}
	if (res.errors > 0) {
		fputs("ircase: the sync did not finish for every case; see 'ircase "
		    "sync --status'\n", stderr);
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

/* Forgets the TheHive case of case_id, recorded as "sync.relink". */
static int
sync_relink(struct irc_db *db, int64_t case_id)
{
	struct irc_actor actor;
	struct irc_error err;
	char remote[64];

	irc_actor_current(&actor);
	irc_error_clear(&err);
	if (irc_sync_relink(db, case_id, &actor, remote, sizeof remote, &err) !=
	    IRC_OK)
		return cli_fail(&err);
	printf("case %" PRId64 " no longer linked to TheHive case ", case_id);
	cli_print_clean(stdout, remote, 0);
	printf("; the next 'ircase sync %" PRId64 "' finds it by its tag or "
	    "creates it again\n", case_id);
	return CLI_EXIT_OK;
}

/* Imports TheHive case number, then runs a pass over the new case. */
static int
sync_import(struct irc_db *db, const char *arg, bool drill, bool insecure)
{
	struct irc_hive_config *cfg;
	struct irc_error err;
	int64_t number, case_id = 0;
	char *end;

	number = strtoll(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || number < 1)
		return cli_failf("invalid TheHive case number '%s'; use the "
		    "number TheHive shows, such as 42", arg);
	if ((cfg = cli_hive_config(insecure)) == NULL)
		return CLI_EXIT_FAIL;
	irc_error_clear(&err);
	if (irc_sync_import(db, cfg, number, drill, &case_id, &err) != IRC_OK) {
		irc_hive_config_free(cfg);
		return cli_fail(&err);
	}
	irc_hive_config_free(cfg);
	printf("TheHive case #%" PRId64 " is case %" PRId64 "\n", number,
	    case_id);
	return sync_run(db, case_id, insecure, false, false, true);
}

int
cmd_sync(struct cli_ctx *ctx, int argc, char **argv)
{
	enum { OPT_DRY = 1, OPT_STATUS, OPT_PUSH_ONLY, OPT_NO_WAIT, OPT_INSECURE,
		OPT_IMPORT, OPT_DRILL, OPT_RELINK };
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ "dry-run", no_argument, NULL, OPT_DRY },
		{ "status", no_argument, NULL, OPT_STATUS },
		{ "push-only", no_argument, NULL, OPT_PUSH_ONLY },
		{ "no-wait", no_argument, NULL, OPT_NO_WAIT },
		{ "insecure", no_argument, NULL, OPT_INSECURE },
		{ "import", required_argument, NULL, OPT_IMPORT },
		{ "drill", no_argument, NULL, OPT_DRILL },
		{ "relink", no_argument, NULL, OPT_RELINK },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	bool dry = false, status = false, push_only = false, no_wait = false;
	bool insecure = false, quiet = false, drill = false, relink = false;
	const char *import = NULL;
	struct irc_db *db = NULL;
	int64_t case_id = 0;
	int c, rc;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":hq", longopts, NULL)) != -1) {
		switch (c) {
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, sync_options);
			return CLI_EXIT_OK;
		case OPT_DRY:
			dry = true;
			break;
		case OPT_STATUS:
			status = true;
			break;
		case OPT_PUSH_ONLY:
			push_only = true;
			break;
		case OPT_NO_WAIT:
			no_wait = true;
			break;
		case OPT_INSECURE:
			insecure = true;
			break;
		case OPT_IMPORT:
			import = optarg;
			break;
		case OPT_DRILL:
			drill = true;
			break;
		case OPT_RELINK:
			relink = true;
			break;
		case 'q':
			quiet = true;
			break;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error(ctx, "too many arguments: '%s'; give at "
		    "most one case number", argv[optind + 1]);
	if (argc - optind == 1 && !cli_parse_case(ctx, argv[optind], &case_id))
		return CLI_EXIT_USAGE;
	if (dry && status)
		return cli_usage_error(ctx, "--dry-run and --status do not go "
		    "together; use one");
	if (import != NULL && (dry || status || case_id != 0))
		return cli_usage_error(ctx, "--import takes no CASE and no "
		    "--dry-run or --status; give only the TheHive number");
	if (relink && (case_id == 0 || dry || status || import != NULL ||
	    push_only))
		return cli_usage_error(ctx, "--relink takes one CASE and no other "
		    "option; use 'ircase sync CASE --relink'");
	if (drill && import == NULL)
		return cli_usage_error(ctx, "--drill goes with --import NUMBER");
	if (!cli_db_open(ctx, import != NULL ? CLI_DB_CREATE : CLI_DB_WRITE, &db,
	    NULL))
		return CLI_EXIT_FAIL;
	if (import != NULL)
		rc = sync_import(db, import, drill, insecure);
	else if (relink)
		rc = sync_relink(db, case_id);
	else if (status)
		rc = sync_status_print(db, case_id);
	else if (dry)
		rc = sync_dry_run(db, case_id);
	else
		rc = sync_run(db, case_id, insecure, push_only, no_wait, quiet);
	irc_db_close(db);
	return rc;
}
