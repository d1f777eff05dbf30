/*
 * test_summary.c: the one-line sentence on each kind of action, and a
 * check that every kind the sources append has a rule.
 */
#include "unit.h"

#include <dirent.h>
#include <stdbool.h>

#include "export.h"
#include "mem.h"

struct summary_case {
	const char *kind;
	int step;
	const char *body;
	const char *expect;
};

static const struct summary_case cases[] = {
	{ "case.open", 0, "{\"title\":\"Mail\",\"severity\":3,"
	    "\"playbook_title\":\"Phishing\"}",
	    "opened \"Mail\", playbook Phishing, severity 3 (high)" },
	{ "case.open", 0, "{\"title\":\"Run\",\"kind\":\"drill\",\"severity\":1}",
	    "opened drill \"Run\", severity 1 (low)" },
	{ "case.close", 0, "{\"verdict\":\"incident\",\"summary\":\"done\"}",
	    "closed as incident: done" },
	{ "note", 0, "{\"text\":\"call back\"}", "call back" },
	{ "note", 4, "{\"text\":\"on step\"}", "step 4: on step" },
	{ "step.state", 2, "{\"step\":2,\"from\":\"pending\",\"to\":"
	    "\"not_applicable\",\"note\":\"no mail\"}",
	    "step 2: pending -> not applicable: no mail" },
	{ "step.approval_request", 3, "{\"step\":3,\"requested_by\":\"bob\"}",
	    "step 3: approval requested by bob" },
	{ "step.approve", 3, "{\"step\":3,\"requested_by\":\"bob\","
	    "\"approved_by\":\"carol\",\"note\":\"ok\"}",
	    "step 3: approved by carol, requested by bob: ok" },
	{ "role.assign", 0, "{\"role\":\"lead\",\"from\":null,\"to\":\"alice\"}",
	    "lead assigned to alice" },
	{ "role.assign", 0, "{\"role\":\"lead\",\"from\":\"alice\",\"to\":"
	    "\"bob\"}", "lead passed from alice to bob" },
	{ "decision", 0, "{\"verdict\":\"incident\",\"reason\":\"creds\","
	    "\"category\":\"phishing\",\"severity\":3,\"tlp\":\"amber\","
	    "\"pap\":\"green\",\"aware_at\":\"2026-03-01T10:00:00+01:00\","
	    "\"clocks_started\":[\"gdpr\"]}",
	    "decided incident: creds, category phishing, severity 3 (high), "
	    "TLP:amber, PAP:green, aware at 2026-03-01T10:00:00+01:00, clocks "
	    "started: gdpr" },
	{ "milestone", 0, "{\"milestone\":\"contained\",\"at\":"
	    "\"2026-03-01T12:00:00Z\",\"note\":\"host isolated\"}",
	    "contained, at 2026-03-01T12:00:00Z: host isolated" },
	{ "clock.start", 0, "{\"rule\":\"gdpr\",\"hours\":72,\"from\":"
	    "\"2026-03-01T10:00:00Z\",\"deadline\":\"2026-03-04T10:00:00Z\"}",
	    "gdpr clock started, from 2026-03-01T10:00:00Z, deadline "
	    "2026-03-04T10:00:00Z" },
	{ "clock.notify", 0, "{\"rule\":\"gdpr\",\"to\":\"DPA\",\"at\":"
	    "\"2026-03-05T10:00:00Z\",\"late\":true,\"ref\":\"R-1\"}",
	    "gdpr notification sent to DPA, at 2026-03-05T10:00:00Z, after the "
	    "deadline, ref R-1" },
	{ "report.add", 0, "{\"number\":1,\"by\":\"ana\",\"channel\":\"phone\","
	    "\"received_at\":\"2026-03-01T09:00:00Z\",\"text\":\"odd mail\"}",
	    "report 1 from ana, by phone, received 2026-03-01T09:00:00Z: odd "
	    "mail" },
	{ "evidence.add", 0, "{\"evidence\":1,\"name\":\"disk.img\",\"size\":"
	    "512,\"sha256\":\"0123456789abcdef0123\",\"location\":\"safe\","
	    "\"description\":\"laptop\"}",
	    "evidence 1 added: disk.img, 512 bytes, sha256 0123456789abcdef..., "
	    "at safe: laptop" },
	{ "evidence.transfer", 0, "{\"evidence\":1,\"from\":\"root\",\"to\":"
	    "\"Frank (forensics)\",\"purpose\":\"Analysis\",\"seal\":\"S-001\","
	    "\"at\":\"2026-03-01T11:00:00Z\"}",
	    "evidence 1 root -> Frank (forensics) (Analysis), seal S-001, at "
	    "2026-03-01T11:00:00Z" },
	{ "observable.add", 0, "{\"observable\":2,\"type\":\"domain\",\"value\":"
	    "\"bad.example\",\"tlp\":\"amber\",\"ioc\":true,\"tags\":[\"c2\"],"
	    "\"inject\":3}",
	    "observable 2: domain bad.example, TLP:amber, IOC, tags c2, from "
	    "inject 3" },
	{ "asset.add", 0, "{\"asset\":1,\"inventory_id\":\"A-7\",\"name\":"
	    "\"mail01\",\"owner\":\"it\",\"classification\":\"internal\"}",
	    "asset 1: mail01 (A-7), owner it, classification internal" },
	{ "followup.add", 0, "{\"followup\":1,\"owner\":\"carol\",\"due\":"
	    "\"2026-04-30\",\"text\":\"MFA\"}",
	    "follow-up 1 for carol, due 2026-04-30: MFA" },
	{ "followup.done", 0, "{\"followup\":1,\"note\":\"rolled out\"}",
	    "follow-up 1 done: rolled out" },
	{ "lesson.add", 0, "{\"lesson\":\"went_well\",\"text\":\"fast\"}",
	    "lesson (went_well): fast" },
	{ "lesson.waive", 0, "{\"reason\":\"false positive\"}",
	    "lessons waived: false positive" },
	{ "weakness.promoted", 0, "{\"weakness\":4}", "opened from weakness 4" },
	{ "chain.sign", 0, "{\"principal\":\"alice\",\"signer_fingerprint\":"
	    "\"SHA256:abc\",\"checkpoint\":\"x\",\"signature\":\"y\"}",
	    "chain signed by alice (SHA256:abc)" },
	{ "drill.start", 0, "{\"speed\":60,\"injects\":3,\"scenario\":\"Wave\"}",
	    "drill started at speed 60, scenario \"Wave\" with 3 injects" },
	{ "drill.inject", 0, "{\"index\":2,\"offset\":\"T+30m\",\"text\":"
	    "\"Second wave\",\"observable\":{\"type\":\"domain\",\"value\":"
	    "\"w.example\"},\"severity\":3}",
	    "inject 2 at T+30m: Second wave (observable domain w.example) "
	    "(severity 3, high)" },
	{ "sync.conflict", 5, "{\"step\":5,\"local\":\"done\",\"thehive\":"
	    "\"Waiting\",\"thehive_state\":\"pending\"}",
	    "step 5: TheHive task is Waiting, here done" },
	{ "sync.relink", 0, "{\"target\":\"production\",\"thehive_id\":"
	    "\"~8\",\"thehive_number\":12}",
	    "unlinked from TheHive case #12 (~8) on production; the next sync "
	    "links it again" },
	{ "thehive.log", 0, "{\"text\":\"looked\",\"thehive_id\":\"~1\"}",
	    "TheHive log: looked" },
	{ "thehive.observable", 0, "{\"type\":\"ip\",\"value\":\"x\","
	    "\"thehive_id\":\"~2\",\"reason\":\"invalid IP\"}",
	    "TheHive observable ip x not recorded: invalid IP" },
};

static char *
summary_of(const char *kind, int step, const char *body)
{
	struct irc_action a;

	memset(&a, 0, sizeof a);
	a.kind = (char *)kind;
	a.step_seq = step;
	a.body = (char *)body;
	return irc_action_summary(&a);
}

static void
summary_every_kind(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = summary_of(cases[i].kind, cases[i].step,
		    cases[i].body);

		if (strcmp(got, cases[i].expect) != 0)
			fail_msg("%s: expected \"%s\", got \"%s\"", cases[i].kind,
			    cases[i].expect, got);
		free(got);
	}
}

static void
summary_unknown_kind_raw(void **state)
{
	char *got = summary_of("future.kind", 0, "{\"a\":1}");

	(void)state;
	assert_string_equal(got, "{\"a\":1}");
	free(got);
	got = summary_of("note", 0, "not json");
	assert_string_equal(got, "not json");
	free(got);
	assert_false(irc_action_summary_known("future.kind"));
}

/* Returns true when the table above has a sentence for kind. */
static bool
table_has(const char *kind)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (strcmp(cases[i].kind, kind) == 0)
			return true;
	return false;
}

/*
 * Checks every dotted or plain kind literal written in a call to fn in
 * text: it must have a summary rule and a row in the table above.
 */
static int
check_calls(const char *file, const char *text, const char *fn, int *bad)
{
	const char *p = text;
	int found = 0;

	while ((p = strstr(p, fn)) != NULL) {
		const char *end = strchr(p, ';');

		p += strlen(fn);
		if (end == NULL)
			break;
		/* A mention in a comment, or the function's definition. */
		if (*p == ')' || strncmp(p, "struct ", 7) == 0)
			continue;
		for (const char *q = p; q < end; q++) {
			char kind[64];
			size_t n = 0;

			if (*q != '"')
				continue;
			q++;
			while (q < end && *q != '"' && n + 1 < sizeof kind)
				kind[n++] = *q++;
			kind[n] = '\0';
			if (n == 0 || strspn(kind, "abcdefghijklmnopqrstuvwxyz_.")
			    != n)
				continue;
			found++;
			if (!irc_action_summary_known(kind) || !table_has(kind)) {
				print_error("%s: kind \"%s\" has no summary rule in "
				    "core/summary.c or no row in test_summary.c\n",
				    file, kind);
				(*bad)++;
			}
		}
	}
	return found;
}

static char *
read_text(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *text;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	text = irc_xmalloc((size_t)n + 1);
	text[fread(text, 1, (size_t)n, fp)] = '\0';
	fclose(fp);
	return text;
}

/* A kind appended anywhere in core/ or cli/ without a rule fails here. */
static void
summary_covers_appended_kinds(void **state)
{
	static const char *const dirs[] = { "core", "cli" };
	const char *top = getenv("IRCASE_TOP");
	int found = 0, bad = 0;

	(void)state;
	for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
		char *dir = irc_xasprintf("%s/%s", top && *top ? top : ".",
		    dirs[d]);
		DIR *dp = opendir(dir);
		struct dirent *e;

		if (dp == NULL) {
			print_error("cannot open %s; run from the repository or "
			    "set IRCASE_TOP\n", dir);
			free(dir);
			fail();
		}
		while ((e = readdir(dp)) != NULL) {
			size_t len = strlen(e->d_name);
			char *path, *text;

			if (len < 3 || strcmp(e->d_name + len - 2, ".c") != 0)
				continue;
			path = irc_xasprintf("%s/%s", dir, e->d_name);
			text = read_text(path);
			if (text != NULL) {
				found += check_calls(path, text,
				    "irc_action_append(", &bad);
				found += check_calls(path, text, "pull_record(",
				    &bad);
			}
			free(text);
			free(path);
		}
		closedir(dp);
		free(dir);
	}
	/* chain.sign is appended through IRC_SIGN_KIND, not a literal. */
	assert_true(irc_action_summary_known("chain.sign"));
	assert_int_equal(bad, 0);
	assert_true(found >= 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(summary_every_kind),
		cmocka_unit_test(summary_unknown_kind_raw),
		cmocka_unit_test(summary_covers_appended_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
