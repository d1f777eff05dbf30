/*
 * test_sign.c: the checkpoint text, the checks of a checkpoint against a
 * chain, and the syslog and signing sections of config.yaml.
 */
#include <stdbool.h>

#include "unit.h"

#include "config.h"
#include "mem.h"
#include "sign.h"

#define UUID "6f1c2a9e-0000-4000-8000-000000000001"
#define HEAD "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static void
text_is_canonical(void **state)
{
	char *text = irc_sign_text(UUID, 7, 12, HEAD, 1764878400123456LL);

	(void)state;
	assert_string_equal(text, "ircase-checkpoint-v1\n"
	    "case-uuid: " UUID "\n"
	    "case: 7\n"
	    "actions: 12\n"
	    "head: " HEAD "\n"
	    "time: 2025-12-04T20:00:00.123456Z\n");
	free(text);
}

static void
record_check(const struct irc_sign_check *c, void *data)
{
	*(struct irc_sign_check *)data = *c;
}

/* Walks one action and one checkpoint body; returns the checkpoint's state. */
static enum irc_sign_state
walk_state(const char *text, struct irc_sign_check *out)
{
	struct irc_action a = { 0 };
	struct irc_sign_walk *w = irc_sign_walk_new(UUID, 7);
	json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "checkpoint", text,
	    "signature", "x", "principal", "alice", "signer_fingerprint",
	    "SHA256:x");
	char *dumped = json_dumps(body, JSON_COMPACT);

	irc_sign_walk_expect(w, 2, dumped);
	a.seq = 1;
	a.actor = "alice";
	a.origin = "";
	a.kind = "case.open";
	a.body = "{}";
	irc_sign_walk_add(w, &a);
	irc_sign_walk_finish(w, NULL, record_check, out);
	irc_sign_walk_free(w);
	free(dumped);
	json_decref(body);
	return out->state;
}

static void
walk_finds_heads(void **state)
{
	struct irc_action a = { 0 };
	struct irc_sign_check c;
	char hash[IRC_HASH_HEX], *text;

	(void)state;
	a.seq = 1;
	a.actor = "alice";
	a.origin = "";
	a.kind = "case.open";
	a.body = "{}";
	snprintf(a.prev_hash, sizeof a.prev_hash, "%s", IRC_CHAIN_GENESIS);
	irc_action_hash(&a, UUID, hash);

	text = irc_sign_text(UUID, 7, 1, hash, 1700000000000000);
	assert_int_equal(walk_state(text, &c), IRC_SIGN_UNCHECKED);
	assert_string_equal(c.principal, "alice");
	free(text);

	text = irc_sign_text(UUID, 7, 1, HEAD, 1700000000000000);
	assert_int_equal(walk_state(text, &c), IRC_SIGN_HEAD_GONE);
	assert_non_null(strstr(c.detail, "no longer action 1"));
	free(text);

	text = irc_sign_text(UUID, 8, 1, hash, 1700000000000000);
	assert_int_equal(walk_state(text, &c), IRC_SIGN_MALFORMED);
	assert_non_null(strstr(c.detail, "names case 8"));
	free(text);

	assert_int_equal(walk_state("not a checkpoint", &c), IRC_SIGN_MALFORMED);
}

static void
config_syslog_and_signing(void **state)
{
	static const char ok[] = "syslog:\n  facility: LOCAL3\n"
	    "signing:\n  allowed_signers: /etc/ircase/allowed\n";
	static const char bad[] = "syslog:\n  facility: local9\n";
	struct irc_config *cfg = NULL;
	struct irc_error err;

	(void)state;
	assert_int_equal(irc_config_parse("c.yaml", ok, strlen(ok), &cfg, &err),
	    IRC_OK);
	assert_string_equal(cfg->syslog_facility, "LOCAL3");
	assert_string_equal(cfg->allowed_signers, "/etc/ircase/allowed");
	assert_int_equal(cfg->nwarnings, 0);
	irc_config_free(cfg);

	assert_int_equal(irc_config_parse("c.yaml", bad, strlen(bad), &cfg,
	    &err), IRC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "c.yaml:2: invalid syslog facility "
	    "'local9'"));
	assert_int_equal(irc_action_syslog_facility("off"), -1);
	assert_int_equal(irc_action_syslog_facility("nonsense"), -2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_is_canonical),
		cmocka_unit_test(walk_finds_heads),
		cmocka_unit_test(config_syslog_and_signing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
