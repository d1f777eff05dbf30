/*
 * test_config.c: reading config.yaml: contacts, clock rules, assets,
 * warnings for unknown keys and errors with their line.
 */
#include <stdbool.h>
#include <unistd.h>

#include "unit.h"

#include "config.h"

static struct irc_config *
parse_ok(const char *text)
{
	struct irc_config *cfg = NULL;
	struct irc_error err;

	irc_error_clear(&err);
	if (irc_config_parse("c.yaml", text, strlen(text), &cfg, &err) !=
	    IRC_OK)
		fail_msg("parse failed: %s", err.msg);
	return cfg;
}

static void
parse_bad(const char *text, const char *want_msg)
{
	struct irc_config *cfg = NULL;
	struct irc_error err;

	irc_error_clear(&err);
	assert_int_equal(irc_config_parse("c.yaml", text, strlen(text), &cfg,
	    &err), IRC_ERR_INVALID);
	assert_null(cfg);
	if (strstr(err.msg, want_msg) == NULL)
		fail_msg("message '%s' lacks '%s'", err.msg, want_msg);
}

static void
contacts_read(void **state)
{
	struct irc_config *cfg = parse_ok(
	    "contacts:\n"
	    "  - role: dpo\n"
	    "    name: Ada Obi\n"
	    "    email: dpo@example.org\n"
	    "    phone: \"+234 1 555 0100\"\n"
	    "  - name: Broker\n"
	    "    note: policy 42\n");

	assert_int_equal(cfg->ncontacts, 2);
	assert_string_equal(cfg->contacts[0].role, "dpo");
	assert_string_equal(cfg->contacts[0].name, "Ada Obi");
	assert_string_equal(cfg->contacts[0].email, "dpo@example.org");
	assert_string_equal(cfg->contacts[0].phone, "+234 1 555 0100");
	assert_null(cfg->contacts[0].note);
	assert_int_equal(cfg->contacts[0].line, 2);
	assert_string_equal(cfg->contacts[1].role, "other");
	assert_string_equal(cfg->contacts[1].note, "policy 42");
	assert_int_equal(cfg->nwarnings, 0);
	irc_config_free(cfg);
}

static void
clocks_read(void **state)
{
	struct irc_config *cfg = parse_ok(
	    "clocks:\n"
	    "  - name: sla-4h\n"
	    "    hours: 4\n"
	    "    from: aware\n"
	    "    applies_to: [ransomware, personal_data]\n"
	    "  - name: gdpr\n"
	    "    applies_to: personal_data\n");
	const struct irc_config_clock *r;

	assert_int_equal(cfg->nclocks, 2);
	r = irc_config_clock_find(cfg, "sla-4h");
	assert_non_null(r);
	assert_int_equal(r->hours, 4);
	assert_string_equal(r->from, "aware");
	assert_int_equal(r->napplies_to, 2);
	assert_string_equal(r->applies_to[1], "personal_data");
	r = irc_config_clock_find(cfg, "gdpr");
	assert_non_null(r);
	assert_int_equal(r->hours, 0);
	assert_int_equal(r->napplies_to, 1);
	assert_null(irc_config_clock_find(cfg, "nis2"));
	irc_config_free(cfg);
}

static void
assets_read(void **state)
{
	struct irc_config *cfg = parse_ok(
	    "assets:\n"
	    "  file: /srv/cmdb/assets.csv\n"
	    "  columns:\n"
	    "    name: Hostname\n"
	    "    owner: Owner\n");

	assert_string_equal(cfg->assets.file, "/srv/cmdb/assets.csv");
	assert_int_equal(cfg->assets.ncolumns, 2);
	assert_string_equal(cfg->assets.columns[0].key, "name");
	assert_string_equal(cfg->assets.columns[0].column, "Hostname");
	assert_int_equal(cfg->assets.line, 2);
	irc_config_free(cfg);
}

static void
unknown_keys_warn(void **state)
{
	struct irc_config *cfg = parse_ok(
	    "thehive:\n"
	    "  url: http://127.0.0.1:9000\n"
	    "contacts:\n"
	    "  - name: Legal desk\n"
	    "    role: legal\n"
	    "    pager: 12\n"
	    "weather: fine\n");

	/* The thehive section is read by irc_hive_config_load(). */
	assert_int_equal(cfg->nwarnings, 2);
	assert_string_equal(cfg->warnings[0],
	    "c.yaml:6: unknown key 'pager' in contacts; ignored");
	assert_string_equal(cfg->warnings[1],
	    "c.yaml:7: unknown key 'weather'; ignored");
	irc_config_free(cfg);
}

static void
empty_file_is_empty_config(void **state)
{
	struct irc_config *cfg = parse_ok("");

	assert_int_equal(cfg->ncontacts, 0);
	assert_int_equal(cfg->nclocks, 0);
	assert_null(cfg->assets.file);
	irc_config_free(cfg);
	cfg = parse_ok("# only a comment\n");
	irc_config_free(cfg);
}

static void
errors_name_line(void **state)
{
	parse_bad("contacts:\n  - name: [a, b\n", "c.yaml:3:");
	parse_bad("contacts:\n  - role: boss\n    name: X\n",
	    "c.yaml:2: invalid contact role 'boss'");
	parse_bad("contacts:\n  - role: dpo\n", "c.yaml:2: contact has no name");
	parse_bad("contacts: yes\n", "c.yaml:1: contacts must be a list");
	parse_bad("clocks:\n  - name: gdpr\n    hours: 1\n",
	    "clock rule gdpr is built in");
	parse_bad("clocks:\n  - name: x\n    hours: 0\n",
	    "c.yaml:3: invalid hours '0'");
	parse_bad("clocks:\n  - name: x\n    hours: 4h\n",
	    "c.yaml:3: invalid hours '4h'");
	parse_bad("clocks:\n  - name: Bad Name\n    hours: 4\n",
	    "c.yaml:2: clock rule needs a name");
	parse_bad("clocks:\n  - name: x\n    hours: 4\n    from: opened\n",
	    "invalid from 'opened'");
	parse_bad("clocks:\n  - {name: x, hours: 1}\n  - {name: x, hours: 2}\n",
	    "c.yaml:3: clock rule x is defined twice (first on line 2)");
	parse_bad("- a\n- b\n", "c.yaml:1: the file must be a mapping");
	parse_bad("assets:\n  columns: [a]\n", "c.yaml:2: assets.columns");
}

static void
playbook_size_read(void **state)
{
	static const struct {
		const char *value;
		size_t bytes;
	} sizes[] = {
		{ "1", 1 },
		{ "4194304", 4194304 },
		{ "512KiB", 512 * 1024 },
		{ "8 MiB", 8 * 1024 * 1024 },
		{ "1GiB", 1024 * 1024 * 1024 },
		{ "100B", 100 },
	};
	struct irc_config *cfg;
	char text[128];

	cfg = parse_ok("contacts: []\n");
	assert_int_equal(cfg->playbook_max_size, 0);
	assert_int_equal(irc_config_playbook_max_size(cfg), 4 * 1024 * 1024);
	irc_config_free(cfg);
	assert_int_equal(irc_config_playbook_max_size(NULL), 4 * 1024 * 1024);

	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		snprintf(text, sizeof text, "playbooks:\n  max_size: %s\n",
		    sizes[i].value);
		cfg = parse_ok(text);
		assert_int_equal(cfg->playbook_max_size, sizes[i].bytes);
		assert_int_equal(irc_config_playbook_max_size(cfg),
		    sizes[i].bytes);
		irc_config_free(cfg);
	}
}

static void
playbook_size_errors(void **state)
{
	parse_bad("playbooks:\n  max_size: 0\n",
	    "c.yaml:2: invalid playbooks.max_size '0'");
	parse_bad("playbooks:\n  max_size: 4MB\n",
	    "c.yaml:2: invalid playbooks.max_size '4MB'; give bytes or a size "
	    "such as 512KiB or 8MiB");
	parse_bad("playbooks:\n  max_size: 2GiB\n",
	    "invalid playbooks.max_size '2GiB'");
	parse_bad("playbooks:\n  max_size: -1\n",
	    "invalid playbooks.max_size '-1'");
	parse_bad("playbooks:\n  max_size: 99999999999999999999999\n",
	    "invalid playbooks.max_size");
	parse_bad("playbooks:\n  max_size: [1]\n",
	    "c.yaml:2: playbooks.max_size must be a single value");
	parse_bad("playbooks: 4MiB\n",
	    "c.yaml:1: playbooks must be a mapping");
}

static void
load_missing_default(void **state)
{
	struct irc_config *cfg = NULL;
	struct irc_error err;
	char dir[64];

	snprintf(dir, sizeof dir, "/tmp/ircase-config.XXXXXX");
	assert_non_null(mkdtemp(dir));
	unsetenv("IRCASE_CONFIG");
	setenv("XDG_CONFIG_HOME", dir, 1);
	irc_error_clear(&err);
	assert_int_equal(irc_config_load(NULL, &cfg, &err), IRC_OK);
	assert_int_equal(cfg->found, 0);
	irc_config_free(cfg);

	/* A file named explicitly must exist. */
	setenv("IRCASE_CONFIG", "/nonexistent/ircase.yaml", 1);
	assert_int_equal(irc_config_load(NULL, &cfg, &err), IRC_ERR_NOT_FOUND);
	assert_null(cfg);
	unsetenv("IRCASE_CONFIG");
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(contacts_read),
		cmocka_unit_test(clocks_read),
		cmocka_unit_test(assets_read),
		cmocka_unit_test(unknown_keys_warn),
		cmocka_unit_test(empty_file_is_empty_config),
		cmocka_unit_test(errors_name_line),
		cmocka_unit_test(playbook_size_read),
		cmocka_unit_test(playbook_size_errors),
		cmocka_unit_test(load_missing_default),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
