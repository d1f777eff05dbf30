/*
 * summary.c: one sentence for each kind of action, the text that the
 * show command, the Markdown and Timesketch exports and the TUI timeline
 * print beside an action.
 *
 * Each rule reads the keys that its kind's writer puts in the body (see
 * the irc_action_append() callers).  A key that is missing or of another
 * type is left out of the sentence, so an old or hand-made body still
 * reads.  A kind with no rule falls back to the body as stored, and
 * tests/unit/test_summary.c fails when the sources append such a kind.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "export.h"
#include "mem.h"
#include "model.h"

/* Returns a string key of body, or NULL when it is missing or empty. */
static const char *
str(const json_t *body, const char *key)
{
	const char *v = json_string_value(json_object_get(body, key));

	return v != NULL && *v != '\0' ? v : NULL;
}

/* Returns an integer key of body, or -1 when it is missing. */
static json_int_t
num(const json_t *body, const char *key)
{
	const json_t *v = json_object_get(body, key);

	return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* Adds ", LABEL VALUE" when the string key is there. */
static void
add_str(struct irc_buf *s, const json_t *body, const char *key,
    const char *label)
{
	const char *v = str(body, key);

	if (v != NULL)
		irc_buf_addf(s, ", %s%s", label, v);
}

/* Adds ": NOTE" when the body has a note. */
static void
add_note(struct irc_buf *s, const json_t *body)
{
	const char *note = str(body, "note");

	if (note != NULL)
		irc_buf_addf(s, ": %s", note);
}

static const char *
state_label(const char *key)
{
	enum irc_step_state state;

	if (key != NULL && irc_step_state_parse(key, &state))
		return irc_step_state_label(state);
	return key != NULL ? key : "?";
}

static void
say_case_open(struct irc_buf *s, const json_t *b)
{
	json_int_t sev = num(b, "severity");

	irc_buf_addf(s, "opened %s\"%s\"", str(b, "kind") != NULL ? "drill " :
	    "", str(b, "title") ? str(b, "title") : "");
	add_str(s, b, "playbook_title", "playbook ");
	if (sev >= 1 && sev <= 4)
		irc_buf_addf(s, ", severity %d (%s)", (int)sev,
		    irc_severity_name((int)sev));
}

static void
say_case_close(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "closed as %s", str(b, "verdict") ? str(b, "verdict") :
	    "?");
	if (str(b, "summary") != NULL)
		irc_buf_addf(s, ": %s", str(b, "summary"));
}

static void
say_note(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "%s", str(b, "text") ? str(b, "text") : "");
}

static void
say_step_state(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "%s -> %s", state_label(str(b, "from")),
	    state_label(str(b, "to")));
	add_note(s, b);
}

static void
say_step_approval_request(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "approval requested by %s",
	    str(b, "requested_by") ? str(b, "requested_by") : "?");
	add_note(s, b);
}

static void
say_step_approve(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "approved by %s", str(b, "approved_by") ?
	    str(b, "approved_by") : "?");
	add_str(s, b, "requested_by", "requested by ");
	add_note(s, b);
}

static void
say_role_assign(struct irc_buf *s, const json_t *b)
{
	const char *role = str(b, "role") ? str(b, "role") : "?";

	if (str(b, "from") != NULL)
		irc_buf_addf(s, "%s passed from %s to %s", role, str(b, "from"),
		    str(b, "to") ? str(b, "to") : "?");
	else
		irc_buf_addf(s, "%s assigned to %s", role, str(b, "to") ?
		    str(b, "to") : "?");
}

static void
say_decision(struct irc_buf *s, const json_t *b)
{
	const json_t *clocks = json_object_get(b, "clocks_started");
	json_int_t sev = num(b, "severity");
	size_t i;
	json_t *rule;

	irc_buf_addf(s, "decided %s", str(b, "verdict") ? str(b, "verdict") :
	    "?");
	if (str(b, "reason") != NULL)
		irc_buf_addf(s, ": %s", str(b, "reason"));
	add_str(s, b, "category", "category ");
	if (sev >= 1 && sev <= 4)
		irc_buf_addf(s, ", severity %d (%s)", (int)sev,
		    irc_severity_name((int)sev));
	add_str(s, b, "tlp", "TLP:");
	add_str(s, b, "pap", "PAP:");
	add_str(s, b, "aware_at", "aware at ");
	json_array_foreach(clocks, i, rule) {
		const char *name = json_is_string(rule) ?
		    json_string_value(rule) : json_string_value(json_object_get(
		    rule, "rule"));

		irc_buf_addf(s, "%s%s", i == 0 ? ", clocks started: " : ", ",
		    name != NULL ? name : "?");
	}
}

static void
say_milestone(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "%s", str(b, "milestone") ? str(b, "milestone") : "?");
	add_str(s, b, "at", "at ");
	add_note(s, b);
}

static void
say_clock_start(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "%s clock started", str(b, "rule") ? str(b, "rule") :
	    "?");
	add_str(s, b, "from", "from ");
	add_str(s, b, "deadline", "deadline ");
}

static void
say_clock_notify(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "%s notification sent to %s", str(b, "rule") ?
	    str(b, "rule") : "?", str(b, "to") ? str(b, "to") : "?");
	add_str(s, b, "at", "at ");
	if (json_is_true(json_object_get(b, "late")))
		irc_buf_addf(s, ", after the deadline");
	add_str(s, b, "ref", "ref ");
}

static void
say_report_add(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "report %" JSON_INTEGER_FORMAT " from %s",
	    num(b, "number"), str(b, "by") ? str(b, "by") : "?");
	add_str(s, b, "channel", "by ");
	add_str(s, b, "received_at", "received ");
	if (str(b, "text") != NULL)
		irc_buf_addf(s, ": %s", str(b, "text"));
}

static void
say_evidence_add(struct irc_buf *s, const json_t *b)
{
	const char *hash = str(b, "sha256");

	irc_buf_addf(s, "evidence %" JSON_INTEGER_FORMAT " added: %s",
	    num(b, "evidence"), str(b, "name") ? str(b, "name") : "?");
	if (num(b, "size") >= 0)
		irc_buf_addf(s, ", %" JSON_INTEGER_FORMAT " bytes",
		    num(b, "size"));
	if (hash != NULL)
		irc_buf_addf(s, ", sha256 %.16s...", hash);
	add_str(s, b, "location", "at ");
	if (str(b, "description") != NULL)
		irc_buf_addf(s, ": %s", str(b, "description"));
}

static void
say_evidence_transfer(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "evidence %" JSON_INTEGER_FORMAT " %s -> %s",
	    num(b, "evidence"), str(b, "from") ? str(b, "from") : "?",
	    str(b, "to") ? str(b, "to") : "?");
	if (str(b, "purpose") != NULL)
		irc_buf_addf(s, " (%s)", str(b, "purpose"));
	add_str(s, b, "seal", "seal ");
	add_str(s, b, "at", "at ");
}

static void
say_observable_add(struct irc_buf *s, const json_t *b)
{
	const json_t *tags = json_object_get(b, "tags");
	size_t i;
	json_t *tag;

	irc_buf_addf(s, "observable %" JSON_INTEGER_FORMAT ": %s %s",
	    num(b, "observable"), str(b, "type") ? str(b, "type") : "?",
	    str(b, "value") ? str(b, "value") : "?");
	add_str(s, b, "tlp", "TLP:");
	if (json_is_true(json_object_get(b, "ioc")))
		irc_buf_addf(s, ", IOC");
	json_array_foreach(tags, i, tag)
		if (json_is_string(tag))
			irc_buf_addf(s, "%s%s", i == 0 ? ", tags " : " ",
			    json_string_value(tag));
	if (num(b, "inject") > 0)
		irc_buf_addf(s, ", from inject %" JSON_INTEGER_FORMAT,
		    num(b, "inject"));
}

static void
say_asset_add(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "asset %" JSON_INTEGER_FORMAT ": %s", num(b, "asset"),
	    str(b, "name") ? str(b, "name") : "?");
	if (str(b, "inventory_id") != NULL)
		irc_buf_addf(s, " (%s)", str(b, "inventory_id"));
	add_str(s, b, "owner", "owner ");
	add_str(s, b, "classification", "classification ");
}

static void
say_followup_add(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "follow-up %" JSON_INTEGER_FORMAT " for %s",
	    num(b, "followup"), str(b, "owner") ? str(b, "owner") : "?");
	add_str(s, b, "due", "due ");
	if (str(b, "text") != NULL)
		irc_buf_addf(s, ": %s", str(b, "text"));
}

static void
say_followup_done(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "follow-up %" JSON_INTEGER_FORMAT " done",
	    num(b, "followup"));
	add_note(s, b);
}

static void
say_lesson_add(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "lesson (%s): %s", str(b, "lesson") ? str(b, "lesson") :
	    "?", str(b, "text") ? str(b, "text") : "");
}

static void
say_lesson_waive(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "lessons waived: %s", str(b, "reason") ?
	    str(b, "reason") : "");
}

static void
say_weakness_promoted(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "opened from weakness %" JSON_INTEGER_FORMAT,
	    num(b, "weakness"));
}

static void
say_chain_sign(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "chain signed by %s", str(b, "principal") ?
	    str(b, "principal") : "?");
	if (str(b, "signer_fingerprint") != NULL)
		irc_buf_addf(s, " (%s)", str(b, "signer_fingerprint"));
}

static void
say_drill_start(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "drill started at speed %" JSON_INTEGER_FORMAT,
	    num(b, "speed"));
	if (str(b, "scenario") != NULL)
		irc_buf_addf(s, ", scenario \"%s\" with %" JSON_INTEGER_FORMAT
		    " injects", str(b, "scenario"), num(b, "injects"));
}

static void
say_drill_inject(struct irc_buf *s, const json_t *b)
{
	const json_t *obs = json_object_get(b, "observable");
	json_int_t sev = num(b, "severity");

	irc_buf_addf(s, "inject %" JSON_INTEGER_FORMAT " at %s: %s",
	    num(b, "index"), str(b, "offset") ? str(b, "offset") : "?",
	    str(b, "text") ? str(b, "text") : "");
	if (json_is_object(obs))
		irc_buf_addf(s, " (observable %s %s)", str(obs, "type") ?
		    str(obs, "type") : "?", str(obs, "value") ?
		    str(obs, "value") : "?");
	if (sev >= 1 && sev <= 4)
		irc_buf_addf(s, " (severity %d, %s)", (int)sev,
		    irc_severity_name((int)sev));
}

static void
say_sync_conflict(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "TheHive task is %s, here %s",
	    str(b, "thehive") ? str(b, "thehive") : "?",
	    state_label(str(b, "local")));
	if (str(b, "error") != NULL)
		irc_buf_addf(s, ": %s", str(b, "error"));
	if (str(b, "reason") != NULL)
		irc_buf_addf(s, ": %s", str(b, "reason"));
}

static void
say_sync_relink(struct irc_buf *s, const json_t *b)
{
	json_int_t number = json_integer_value(json_object_get(b,
	    "thehive_number"));

	irc_buf_addf(s, "unlinked from TheHive case #%lld (%s) on %s; the "
	    "next sync links it again", (long long)number,
	    str(b, "thehive_id") ? str(b, "thehive_id") : "?",
	    str(b, "target") ? str(b, "target") : "?");
}

static void
say_thehive_log(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "TheHive log: %s", str(b, "text") ? str(b, "text") :
	    "");
}

static void
say_thehive_observable(struct irc_buf *s, const json_t *b)
{
	irc_buf_addf(s, "TheHive observable %s %s not recorded",
	    str(b, "type") ? str(b, "type") : "?",
	    str(b, "value") ? str(b, "value") : "?");
	if (str(b, "reason") != NULL)
		irc_buf_addf(s, ": %s", str(b, "reason"));
}

static const struct summary_rule {
	const char *kind;
	void (*say)(struct irc_buf *, const json_t *);
} summary_rules[] = {
	{ "case.open", say_case_open },
	{ "case.close", say_case_close },
	{ "note", say_note },
	{ "step.state", say_step_state },
	{ "step.approval_request", say_step_approval_request },
	{ "step.approve", say_step_approve },
	{ "role.assign", say_role_assign },
	{ "decision", say_decision },
	{ "milestone", say_milestone },
	{ "clock.start", say_clock_start },
	{ "clock.notify", say_clock_notify },
	{ "report.add", say_report_add },
	{ "evidence.add", say_evidence_add },
	{ "evidence.transfer", say_evidence_transfer },
	{ "observable.add", say_observable_add },
	{ "asset.add", say_asset_add },
	{ "followup.add", say_followup_add },
	{ "followup.done", say_followup_done },
	{ "lesson.add", say_lesson_add },
	{ "lesson.waive", say_lesson_waive },
	{ "weakness.promoted", say_weakness_promoted },
	{ "chain.sign", say_chain_sign },
	{ "drill.start", say_drill_start },
	{ "drill.inject", say_drill_inject },
	{ "sync.conflict", say_sync_conflict },
	{ "sync.relink", say_sync_relink },
	{ "thehive.log", say_thehive_log },
	{ "thehive.observable", say_thehive_observable },
};

bool
irc_action_summary_known(const char *kind)
{
	for (size_t i = 0; i < sizeof summary_rules / sizeof summary_rules[0];
	    i++)
		if (strcmp(summary_rules[i].kind, kind) == 0)
			return true;
	return false;
}

char *
irc_action_summary(const struct irc_action *a)
{
	json_t *body = json_loads(a->body != NULL ? a->body : "", 0, NULL);
	struct irc_buf s = { NULL, 0, 0 };
	size_t i;

	for (i = 0; i < sizeof summary_rules / sizeof summary_rules[0]; i++)
		if (strcmp(summary_rules[i].kind, a->kind) == 0)
			break;
	if (!json_is_object(body) ||
	    i == sizeof summary_rules / sizeof summary_rules[0]) {
		json_decref(body);
		return irc_xstrdup(a->body != NULL ? a->body : "");
	}
	if (a->step_seq > 0)
		irc_buf_addf(&s, "step %d: ", a->step_seq);
	summary_rules[i].say(&s, body);
	json_decref(body);
	if (s.data == NULL)
		return irc_xstrdup("");
	return s.data;
}
