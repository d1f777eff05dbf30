/*
 * cmd_sign.c: "ircase sign", which signs the chain head of a case with
 * the responder's SSH key (see sign.h for what is signed).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>

#include "actor.h"
#include "cli_sign.h"

static const char sign_options[] =
    "Signs the chain head with the first key in ssh-agent, or with the key\n"
    "file named by IRCASE_SIGN_KEY, as 'ssh-keygen -Y sign -n ircase' does,\n"
    "and records the signature as a chain.sign action.  The principal is\n"
    "IRCASE_SIGN_PRINCIPAL, or your login name.  Exits 1 when no key is\n"
    "available.  'ircase verify --allowed-signers FILE' checks it.\n";

int
cli_sign_case(struct irc_db *db, int64_t case_id, enum irc_sign_mode mode,
    bool required, bool quiet)
{
	struct irc_sign_result r;
	struct irc_actor actor;
	struct irc_error err;

	irc_actor_current(&actor);
	irc_error_clear(&err);
	if (irc_case_sign(db, case_id, &actor, mode, &r, &err) != IRC_OK) {
		if (required)
			return cli_fail(&err);
		cli_failf("case %" PRId64 " left unsigned: %s", case_id, err.msg);
		return CLI_EXIT_OK;
	}
	if (r.notice[0] != '\0') {
		cli_failf("case %" PRId64 " left unsigned: %s", case_id,
		    r.notice);
		return required ? CLI_EXIT_FAIL : CLI_EXIT_OK;
	}
	if (r.unchanged && r.fingerprint[0] != '\0' && !quiet) {
		printf("case %" PRId64 ": head %.12s... is already signed by "
		    "%s; nothing added\n", case_id, r.head, r.fingerprint);
		return CLI_EXIT_OK;
	}
	if (r.done && !quiet) {
		printf("case %" PRId64 ": signed head %.12s... (%" PRId64
		    " action%s) as ", case_id, r.head, r.actions,
		    r.actions == 1 ? "" : "s");
		cli_print_clean(stdout, r.principal, 0);
		printf(" with %s\n", r.fingerprint);
	}
	return CLI_EXIT_OK;
}

int
cmd_sign(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct irc_db *db = NULL;
	int64_t case_id;
	int c, status;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, sign_options);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(ctx, "usage: ircase sign CASE");
	if (!cli_parse_case(ctx, argv[optind], &case_id))
		return CLI_EXIT_USAGE;
	if (!cli_db_open(ctx, CLI_DB_WRITE, &db, NULL))
		return CLI_EXIT_FAIL;
	status = cli_sign_case(db, case_id, IRC_SIGN_ALWAYS, true, false);
	irc_db_close(db);
	return status;
}
