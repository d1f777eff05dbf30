/*
 * cmd_verify.c: "ircase verify", which recomputes the hash chain of each
 * case and reports the first action that does not match.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "action.h"
#include "case.h"
#include "cli.h"
#include "cli_lifecycle.h"
#include "config.h"
#include "mem.h"
#include "pack.h"
#include "sign.h"
#include "timeutil.h"
#include "witness.h"

static const char verify_options[] =
    "Options:\n"
    "  --pack DIR       check an audit pack instead of the database: every\n"
    "                   file against SHA256SUMS, every case's chain, and\n"
    "                   each case's exported records against its actions\n"
    "  --against FILE   compare one CASE with the syslog lines in FILE, as\n"
    "                   exported from a log platform\n"
    "  --allowed-signers FILE\n"
    "                   check each signed checkpoint ('ircase sign') with\n"
    "                   ssh-keygen -Y verify against this allowed_signers\n"
    "                   file (default: IRCASE_ALLOWED_SIGNERS, then\n"
    "                   signing.allowed_signers in config.yaml)\n"
    "\n"
    "Without CASE, checks every case.  Prints one line per intact case and\n"
    "per good signature on standard output, and one line per broken chain\n"
    "or bad signature on standard error; exits 0 when everything is intact\n"
    "and 3 when something is not.\n";

static void
pack_problem_print(const char *line, void *data)
{
	(void)data;
	cli_failf("%s", line);
}

/* Compares a case with its syslog copy.  Returns the exit status. */
static int
verify_against(struct irc_db *db, int64_t case_id, const char *path)
{
	struct irc_syslog_result r;
	struct irc_error err;
	enum irc_status st;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return cli_failf("cannot open %s: %s", path, strerror(errno));
	irc_error_clear(&err);
	st = irc_syslog_verify(db, case_id, f, pack_problem_print, NULL, &r,
	    &err);
	fclose(f);
	if (st != IRC_OK)
		return cli_fail(&err);
	if (r.problems > 0) {
		cli_failf("case %" PRId64 ": %" PRId64 " difference%s from the "
		    "syslog copy in %s", case_id, r.problems,
		    r.problems == 1 ? "" : "s", path);
		return CLI_EXIT_CHAIN;
	}
	printf("case %" PRId64 ": matches syslog, %" PRId64 " action%s in %s\n",
	    case_id, r.matched, r.matched == 1 ? "" : "s", path);
	return CLI_EXIT_OK;
}

static void
pack_note_print(const char *line, void *data)
{
	(void)data;
	cli_print_clean(stdout, line, 0);
	fputc('\n', stdout);
}

/*
 * Sets *path to the allowed_signers file named by $IRCASE_ALLOWED_SIGNERS
 * or by signing.allowed_signers in config.yaml (caller frees), or NULL.
 * Returns false after printing the error when config.yaml does not load,
 * as every command that reads it does.
 */
static bool
verify_allowed_default(char **path)
{
	const char *env = getenv("IRCASE_ALLOWED_SIGNERS");
	const struct irc_config *cfg;

	*path = NULL;
	if (env != NULL && *env != '\0') {
		*path = irc_xstrdup(env);
		return true;
	}
	if ((cfg = cli_config()) == NULL)
		return false;
	if (cfg->allowed_signers != NULL)
		*path = irc_xstrdup(cfg->allowed_signers);
	return true;
}

/* Checks an audit pack.  Returns the exit status. */
static int
verify_pack(const char *dir, const char *allowed)
{
	struct irc_error err;
	int64_t files = 0, problems = 0;

	irc_error_clear(&err);
	if (irc_pack_verify(dir, allowed, pack_problem_print, pack_note_print,
	    NULL, &files, &problems, &err) != IRC_OK)
		return cli_fail(&err);
	if (problems > 0) {
		cli_failf("pack %s: %" PRId64 " problem%s found", dir, problems,
		    problems == 1 ? "" : "s");
		return CLI_EXIT_CHAIN;
	}
	printf("pack %s: intact, %" PRId64 " file%s match SHA256SUMS and every "
	    "chain verifies\n", dir, files, files == 1 ? "" : "s");
	return CLI_EXIT_OK;
}

static int
id_compare(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Fills *ids with the number of every case, lowest first.  Returns false
 * after printing the error.
 */
static bool
verify_all_ids(struct irc_db *db, int64_t **ids, size_t *count)
{
	struct irc_case_summary *list = NULL;
	struct irc_error err;
	size_t i;

	irc_error_clear(&err);
	if (irc_case_list(db, &list, count, &err) != IRC_OK) {
		cli_fail(&err);
		return false;
	}
	*ids = irc_xcalloc(*count != 0 ? *count : 1, sizeof **ids);
	for (i = 0; i < *count; i++)
		(*ids)[i] = list[i].id;
	irc_case_summaries_free(list, *count);
	qsort(*ids, *count, sizeof **ids, id_compare);
	return true;
}

static int status_worst(int a, int b);

/* Prints one checkpoint: good ones on stdout, bad ones on stderr. */
static void
sign_report_print(const struct irc_sign_check *c, void *data)
{
	const int64_t *case_id = data;
	bool bad = c->state != IRC_SIGN_GOOD && c->state != IRC_SIGN_UNCHECKED;
	FILE *out = bad ? stderr : stdout;
	char when[64];

	fprintf(out, "%scase %" PRId64 ": head %.12s... (%" PRId64 " action%s) "
	    "signed by ", bad ? "ircase: " : "", *case_id, c->head, c->actions,
	    c->actions == 1 ? "" : "s");
	cli_print_clean(out, c->principal, 0);
	fprintf(out, " with %s at %s (action seq %" PRId64 "): ", c->fingerprint,
	    irc_time_local(c->time_us, when, sizeof when), c->seq);
	if (c->state == IRC_SIGN_GOOD)
		fputs("good signature", out);
	else if (c->state == IRC_SIGN_UNCHECKED)
		fputs("signature not checked; pass --allowed-signers FILE", out);
	else
		cli_print_clean(out, c->detail, 0);
	fputc('\n', out);
}

/* Checks the signed checkpoints of one case.  Returns its exit status. */
static int
verify_signatures(struct irc_db *db, int64_t case_id, const char *allowed)
{
	struct irc_error err;
	int64_t total = 0, bad = 0;

	irc_error_clear(&err);
	if (irc_sign_verify(db, case_id, allowed, sign_report_print, &case_id,
	    &total, &bad, &err) != IRC_OK)
		return cli_fail(&err);
	return bad > 0 ? CLI_EXIT_CHAIN : CLI_EXIT_OK;
}

/* Checks one case and prints its lines.  Returns its exit status. */
static int
verify_case(struct irc_db *db, int64_t case_id, const char *allowed)
{
	struct irc_verify_result r;
	struct irc_error err;
	int status = CLI_EXIT_OK;

	irc_error_clear(&err);
	if (irc_chain_verify(db, case_id, &r, &err) != IRC_OK)
		return cli_fail(&err);
	if (!r.ok) {
		cli_chain_report(case_id, &r, NULL);
		status = CLI_EXIT_CHAIN;
	} else {
		printf("case %" PRId64 ": intact, %" PRId64 " action%s, head %s\n",
		    case_id, r.checked, r.checked == 1 ? "" : "s", r.head);
	}
	return status_worst(status, verify_signatures(db, case_id, allowed));
}

/*
 * Combines the statuses of several cases: a broken chain (3) outranks a
 * failed check (1), which outranks success.
 */
static int
status_worst(int a, int b)
{
	if (a == CLI_EXIT_CHAIN || b == CLI_EXIT_CHAIN)
		return CLI_EXIT_CHAIN;
	return a != CLI_EXIT_OK ? a : b;
}

int
cmd_verify(struct cli_ctx *ctx, int argc, char **argv)
{
	enum { OPT_PACK = 0x200, OPT_AGAINST, OPT_ALLOWED };
	static const struct option longopts[] = {
		{ "pack", required_argument, NULL, OPT_PACK },
		{ "against", required_argument, NULL, OPT_AGAINST },
		{ "allowed-signers", required_argument, NULL, OPT_ALLOWED },
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct irc_db *db = NULL;
	const char *pack = NULL, *against = NULL, *allowed = NULL;
	char *allowed_owned = NULL;
	int64_t *ids = NULL;
	size_t count = 0, i;
	int c, status = CLI_EXIT_FAIL;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PACK:
			pack = optarg;
			break;
		case OPT_AGAINST:
			against = optarg;
			break;
		case OPT_ALLOWED:
			allowed = optarg;
			break;
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, verify_options);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}

	if (allowed == NULL) {
		if (!verify_allowed_default(&allowed_owned))
			return CLI_EXIT_FAIL;
		allowed = allowed_owned;
	}
	if (allowed != NULL && access(allowed, R_OK) != 0) {
		cli_failf("cannot read the allowed_signers file %s: %s", allowed,
		    strerror(errno));
		free(allowed_owned);
		return CLI_EXIT_FAIL;
	}
	if (pack != NULL) {
		if (optind < argc) {
			free(allowed_owned);
			return cli_usage_error(ctx, "--pack checks a pack, not "
			    "cases; drop '%s'", argv[optind]);
		}
		status = verify_pack(pack, allowed);
		free(allowed_owned);
		return status;
	}

	/* Parse every number before opening anything. */
	count = (size_t)(argc - optind);
	ids = irc_xcalloc(count != 0 ? count : 1, sizeof *ids);
	for (i = 0; i < count; i++) {
		if (!cli_parse_case(ctx, argv[optind + (int)i], &ids[i])) {
			free(ids);
			free(allowed_owned);
			return CLI_EXIT_USAGE;
		}
	}

	if (against != NULL && count != 1) {
		free(ids);
		free(allowed_owned);
		return cli_usage_error(ctx, "--against compares one CASE with "
		    "syslog; give exactly one case number");
	}

	if (!cli_db_open(ctx, CLI_DB_READ, &db, NULL))
		goto out;
	if (against != NULL) {
		status = status_worst(verify_case(db, ids[0], allowed),
		    verify_against(db, ids[0], against));
		goto out;
	}
	if (count == 0) {
		free(ids);
		ids = NULL;
		if (!verify_all_ids(db, &ids, &count))
			goto out;
	}

	status = CLI_EXIT_OK;
	for (i = 0; i < count; i++)
		status = status_worst(status, verify_case(db, ids[i], allowed));
	/* With no case named, the weakness register's chain is checked too. */
	if (optind == argc)
		status = status_worst(status, cli_weakness_verify(db, true));
out:
	free(ids);
	free(allowed_owned);
	irc_db_close(db);
	return status;
}
