/*
 * cmd_audit_pack.c: "ircase audit-pack", a folder with the register,
 * every case's report and JSON export, the playbooks used, the evidence
 * manifests, a control map and a SHA-256 manifest (core/pack.h).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pack.h"
#include "register.h"

static const char audit_pack_options[] =
    "Options:\n"
    "  --from DATE      first day of the period (YYYY-MM-DD or RFC 3339)\n"
    "  --to DATE        last day of the period, included\n"
    "  --drills include|exclude\n"
    "                   pack drill cases too (default: exclude)\n"
    "\n"
    "DIR must not exist or be empty.  The pack is built in DIR.XXXXXX\n"
    "beside it and renamed to DIR only once complete.  Check the pack with\n"
    "'sha256sum -c SHA256SUMS' inside it, or 'ircase verify --pack DIR'.\n";

int
cmd_audit_pack(struct cli_ctx *ctx, int argc, char **argv)
{
	enum { OPT_FROM = 0x200, OPT_TO, OPT_DRILLS };
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "drills", required_argument, NULL, OPT_DRILLS },
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct irc_register_query q = { 0, 0, false };
	const char *from = NULL, *to = NULL, *dir;
	struct irc_db *db = NULL;
	struct irc_error err;
	int64_t cases = 0, broken = 0;
	int c, status = CLI_EXIT_OK;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_FROM:
			from = optarg;
			break;
		case OPT_TO:
			to = optarg;
			break;
		case OPT_DRILLS:
			if (strcmp(optarg, "include") != 0 &&
			    strcmp(optarg, "exclude") != 0)
				return cli_usage_error(ctx, "invalid --drills '%s'; "
				    "use include or exclude", optarg);
			q.drills = strcmp(optarg, "include") == 0;
			break;
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, audit_pack_options);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error(ctx, "missing DIR; give a new folder for "
		    "the pack");
	if (optind + 1 < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'",
		    argv[optind + 1]);
	dir = argv[optind];
	if (strcmp(dir, "-") == 0)
		return cli_usage_error(ctx, "audit-pack writes a folder, not "
		    "standard output; give a folder name (./- for one named -)");
	irc_error_clear(&err);
	if (!cli_parse_period(ctx, from, to, &q))
		return CLI_EXIT_USAGE;

	/* The case exports in the pack hold the contacts of config.yaml. */
	if (cli_config() == NULL || !cli_db_open(ctx, CLI_DB_READ, &db, NULL))
		return CLI_EXIT_FAIL;
	if (irc_pack_build(db, &q, dir, &cases, &broken, &err) != IRC_OK)
		status = cli_fail(&err);
	else {
		printf("%s: %" PRId64 " case%s packed\n", dir, cases,
		    cases == 1 ? "" : "s");
		if (broken > 0) {
			cli_failf("%" PRId64 " case%s in the pack %s a broken "
			    "chain; their case.json records where (\"verify\")",
			    broken, broken == 1 ? "" : "s",
			    broken == 1 ? "has" : "have");
			status = CLI_EXIT_CHAIN;
		}
	}
	irc_db_close(db);
	return status;
}
