/*
 * test_observable.c: checking observable values per type, and recording
 * observables with their TLP, IOC flag and tags in the action chain.
 */
#include <stdbool.h>

#include "unit.h"
#include "case_fixture.h"

#include "observable.h"

struct obs_case {
	enum irc_obs_type type;
	const char *value;
	const char *stored;	/* NULL when the value is invalid */
};

static const struct obs_case obs_cases[] = {
	{ IRC_OBS_IP, "192.0.2.7", "192.0.2.7" },
	{ IRC_OBS_IP, "2001:DB8:0:0::7", "2001:db8::7" },
	{ IRC_OBS_IP, "192.0.2.256", NULL },
	{ IRC_OBS_IP, "192.0.2.0/24", NULL },
	{ IRC_OBS_IP, "example.org", NULL },
	{ IRC_OBS_DOMAIN, "Mail.Example.ORG.", "mail.example.org" },
	{ IRC_OBS_DOMAIN, "_dmarc.example.org", "_dmarc.example.org" },
	{ IRC_OBS_DOMAIN, "bücher.example", "bücher.example" },
	{ IRC_OBS_DOMAIN, "localhost", NULL },
	{ IRC_OBS_DOMAIN, "-bad.example.org", NULL },
	{ IRC_OBS_DOMAIN, "a..example.org", NULL },
	{ IRC_OBS_DOMAIN, "exa mple.org", NULL },
	{ IRC_OBS_URL, "https://example.org/login?a=1", "https://example.org/login?a=1" },
	{ IRC_OBS_URL, "hxxp://example[.]org", "hxxp://example[.]org" },
	{ IRC_OBS_URL, "example.org/login", NULL },
	{ IRC_OBS_URL, "https://example.org/a b", NULL },
	{ IRC_OBS_URL, "1http://example.org", NULL },
	{ IRC_OBS_HASH, "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e" },
	{ IRC_OBS_HASH, "da39a3ee5e6b4b0d3255bfef95601890afd80709", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
	{ IRC_OBS_HASH, "d41d8cd98f00b204e9800998ecf8427", NULL },
	{ IRC_OBS_HASH, "g41d8cd98f00b204e9800998ecf8427e", NULL },
	{ IRC_OBS_MAIL, "Boss@Example.ORG", "Boss@example.org" },
	{ IRC_OBS_MAIL, "no-at.example.org", NULL },
	{ IRC_OBS_MAIL, "@example.org", NULL },
	{ IRC_OBS_MAIL, "user@localhost", NULL },
	{ IRC_OBS_FILENAME, "invoice.pdf.exe", "invoice.pdf.exe" },
	{ IRC_OBS_FILENAME, "line\nbreak", NULL },
	{ IRC_OBS_USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (X11; Linux x86_64)" },
	{ IRC_OBS_OTHER, "anything at all", "anything at all" },
	{ IRC_OBS_OTHER, "   ", NULL },
	{ IRC_OBS_OTHER, "\xff\xfe", NULL },
};

static void
normalize_per_type(void **state)
{
	struct irc_error err;
	char *out;

	for (size_t i = 0; i < sizeof obs_cases / sizeof obs_cases[0]; i++) {
		const struct obs_case *c = &obs_cases[i];
		enum irc_status st = irc_obs_normalize(c->type, c->value, &out,
		    &err);

		if (c->stored == NULL) {
			if (st != IRC_ERR_INVALID)
				fail_msg("%s '%s' accepted", irc_obs_type_key(c->type),
				    c->value);
			assert_null(out);
			continue;
		}
		if (st != IRC_OK)
			fail_msg("%s '%s' rejected: %s", irc_obs_type_key(c->type),
			    c->value, err.msg);
		assert_string_equal(out, c->stored);
		free(out);
	}
}

static void
type_and_tlp_names(void **state)
{
	enum irc_obs_type t;

	assert_true(irc_obs_type_parse("User-Agent", &t));
	assert_int_equal(t, IRC_OBS_USER_AGENT);
	assert_false(irc_obs_type_parse("ipv4", &t));
	assert_string_equal(irc_obs_tlp_parse("WHITE"), "clear");
	assert_string_equal(irc_obs_tlp_parse("amber+strict"), "amber+strict");
	assert_null(irc_obs_tlp_parse("purple"));
}

static void
add_records_row_and_action(void **state)
{
	struct case_fixture *f = *state;
	const char *tags[] = { "phishing", "c2", "phishing" };
	struct irc_observable_new obs = { IRC_OBS_DOMAIN, "Evil.Example.",
	    "red", true, tags, 3 };
	struct irc_observable *list;
	struct irc_error err;
	int64_t number = 0;
	size_t n;

	assert_int_equal(irc_observable_add(f->db, f->case_id, &obs, &f->actor,
	    &number, &err), IRC_OK);
	assert_int_equal(number, 1);
	assert_int_equal(case_fixture_int(f, "SELECT count(*) FROM action"
	    " WHERE kind = 'observable.add'"
	    " AND json_extract(body, '$.value') = 'evil.example'"
	    " AND json_extract(body, '$.ioc') = 1"
	    " AND json_extract(body, '$.tags') = '[\"phishing\",\"c2\"]'"), 1);
	assert_int_equal(irc_observable_list(f->db, f->case_id, &list, &n, &err),
	    IRC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].value, "evil.example");
	assert_string_equal(list[0].tlp, "red");
	assert_true(list[0].ioc);
	assert_int_equal(list[0].ntags, 2);
	assert_string_equal(list[0].tags[1], "c2");
	irc_observables_free(list, n);
}

static void
add_rejects_repeat_and_bad_tlp(void **state)
{
	struct case_fixture *f = *state;
	struct irc_observable_new obs = { IRC_OBS_IP, "192.0.2.7", NULL, false,
	    NULL, 0 };
	struct irc_observable_new same = { IRC_OBS_IP, "192.0.2.7", "green",
	    true, NULL, 0 };
	struct irc_observable_new bad = { IRC_OBS_IP, "192.0.2.8", "purple",
	    false, NULL, 0 };
	struct irc_error err;

	assert_int_equal(irc_observable_add(f->db, f->case_id, &obs, &f->actor,
	    NULL, &err), IRC_OK);
	assert_int_equal(irc_observable_add(f->db, f->case_id, &same, &f->actor,
	    NULL, &err), IRC_ERR_CONFLICT);
	assert_non_null(strstr(err.msg, "as observable 1"));
	assert_int_equal(irc_observable_add(f->db, f->case_id, &bad, &f->actor,
	    NULL, &err), IRC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "purple"));
	assert_int_equal(irc_observable_add(f->db, 42, &obs, &f->actor, NULL,
	    &err), IRC_ERR_NOT_FOUND);
	assert_int_equal(case_fixture_int(f, "SELECT count(*) FROM observable"),
	    1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalize_per_type),
		cmocka_unit_test(type_and_tlp_names),
		cmocka_unit_test_setup_teardown(add_records_row_and_action,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(add_rejects_repeat_and_bad_tlp,
		    case_fixture_setup, case_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
