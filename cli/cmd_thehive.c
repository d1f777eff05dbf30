/*
 * cmd_thehive.c: "ircase thehive check", which shows how ircase reaches
 * TheHive: the URL, the organisation, where the key comes from, the proxy,
 * TLS, the server version and the user the key belongs to.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_sync.h"
#include "sanitize.h"

static const char thehive_options[] =
    "  check         reach the configured TheHive and show the version,\n"
    "                user, organisation, proxy and TLS settings\n"
    "  --drill       check the drill target instead of production\n"
    "  --insecure    do not verify the server's TLS certificate (warns)\n"
    "\n"
    "The proxy comes from https_proxy, http_proxy, all_proxy and no_proxy,\n"
    "as libcurl reads them.  Exits 1 when TheHive cannot be reached or\n"
    "rejects the key.\n";

static void
show(const char *name, const char *value)
{
	printf("%-13s ", name);
	cli_print_clean(stdout, value, 0);
	fputc('\n', stdout);
}

static int
thehive_check(const struct irc_hive_target *t)
{
	static const char *const names[] = { "unknown", "TheHive 4",
	    "TheHive 5 (before 5.2)", "TheHive 5.2 or later" };
	enum irc_hive_version version;
	char *vtext = NULL, *login = NULL, *url, proxy[600];
	struct irc_hive *hive;
	struct irc_error err;
	int rc = CLI_EXIT_OK;

	if (t->url == NULL)
		return cli_failf("no %s TheHive URL is configured; set "
		    "IRCASE_THEHIVE%s_URL or thehive.%surl in config.yaml",
		    t->name, strcmp(t->name, "drill") == 0 ? "_DRILL" : "",
		    strcmp(t->name, "drill") == 0 ? "drill." : "");
	irc_hive_proxy(t, proxy, sizeof proxy);
	show("target", t->name);
	url = irc_hive_url_masked(t->url);
	show("url", url);
	free(url);
	show("organisation", t->org ? t->org : "(the user's default)");
	show("key", t->key_source ? t->key_source : "(none)");
	show("proxy", proxy);
	show("tls", t->insecure ? "peer verification OFF (--insecure)" :
	    t->ca ? "peer verification on, CA bundle below" :
	    "peer verification on, system CA store");
	if (t->ca != NULL)
		show("ca", t->ca);
	fflush(stdout);

	irc_error_clear(&err);
	hive = irc_hive_new(t);
	if (irc_hive_detect(hive, &version, &vtext, &login, &err) != IRC_OK)
		rc = cli_fail(&err);
	else {
		printf("%-13s ", "version");
		cli_print_clean(stdout, vtext, 0);
		printf(" (%s)\n", names[version]);
		show("user", login);
		show("status", "reachable; the key works");
	}
	free(vtext);
	free(login);
	irc_hive_free(hive);
	return rc;
}

int
cmd_thehive(struct cli_ctx *ctx, int argc, char **argv)
{
	enum { OPT_DRILL = 1, OPT_INSECURE };
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ "drill", no_argument, NULL, OPT_DRILL },
		{ "insecure", no_argument, NULL, OPT_INSECURE },
		{ NULL, 0, NULL, 0 },
	};
	struct irc_hive_config *cfg;
	bool drill = false, insecure = false;
	int c, rc;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, thehive_options);
			return CLI_EXIT_OK;
		case OPT_DRILL:
			drill = true;
			break;
		case OPT_INSECURE:
			insecure = true;
			break;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error(ctx, "missing subcommand; use 'ircase "
		    "thehive check'");
	if (strcmp(argv[optind], "check") != 0)
		return cli_usage_error(ctx, "unknown subcommand '%s'; use "
		    "'ircase thehive check'", argv[optind]);
	if (argc - optind > 1)
		return cli_usage_error(ctx, "too many arguments: '%s'",
		    argv[optind + 1]);
	if ((cfg = cli_hive_config(insecure)) == NULL)
		return CLI_EXIT_FAIL;
	rc = thehive_check(drill ? &cfg->drill : &cfg->production);
	irc_hive_config_free(cfg);
	return rc;
}
