/*
 * case_json.c: the JSON form of cases, used by `show --json`, `list
 * --json` and `export --format json`.  ircase(1) documents the keys under
 * JSON OUTPUT; later versions only add keys.
 */
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "sanitize.h"
#include "timeutil.h"

/* Returns an RFC 3339 UTC string for t, or JSON null when t is 0. */
static json_t *
json_time(int64_t t)
{
	char buf[40];

	if (t == 0)
		return json_null();
	return json_string(irc_time_utc(t, buf, sizeof buf));
}

/*
 * Returns a JSON string, or null for NULL; each byte that is not valid
 * UTF-8 is replaced with U+FFFD.
 */
static json_t *
json_text(const char *s)
{
	json_t *v;
	char *fixed;

	if (s == NULL)
		return json_null();
	v = json_string(s);
	if (v == NULL) {
		fixed = irc_utf8_repair(s, strlen(s), NULL);
		v = json_string(fixed);
		free(fixed);
	}
	return v;
}

static json_t *
step_to_json(const struct irc_step *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "number", json_integer(s->seq));
	json_object_set_new(o, "title", json_text(s->title));
	json_object_set_new(o, "group", json_text(s->grp));
	json_object_set_new(o, "state", json_string(irc_step_state_key(s->state)));
	json_object_set_new(o, "started_at", json_time(s->started_at));
	json_object_set_new(o, "done_at", json_time(s->done_at));
	json_object_set_new(o, "line", json_integer(s->line));
	json_object_set_new(o, "body", json_text(s->body));
	return o;
}

static json_t *
action_to_json(const struct irc_action *a)
{
	json_t *o = json_object();
	json_t *body = json_loads(a->body, JSON_DECODE_ANY, NULL);

	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "seq", json_integer(a->seq));
	json_object_set_new(o, "step", a->step_seq > 0 ?
	    json_integer(a->step_seq) : json_null());
	json_object_set_new(o, "time", json_time(a->time_us));
	json_object_set_new(o, "time_us", json_integer(a->time_us));
	json_object_set_new(o, "actor", json_text(a->actor));
	json_object_set_new(o, "origin", json_text(a->origin));
	json_object_set_new(o, "kind", json_text(a->kind));
	/* A body that no longer parses is kept as text, not dropped. */
	json_object_set_new(o, "body", body != NULL ? body : json_text(a->body));
	json_object_set_new(o, "prev_hash", json_string(a->prev_hash));
	json_object_set_new(o, "hash", json_string(a->hash));
	return o;
}

static json_t *
summary_to_json(const struct irc_case_summary *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "number", json_integer(s->id));
	json_object_set_new(o, "uuid", json_string(s->uuid));
	json_object_set_new(o, "title", json_text(s->title));
	json_object_set_new(o, "severity", json_integer(s->severity));
	json_object_set_new(o, "severity_name",
	    json_string(irc_severity_name(s->severity)));
	json_object_set_new(o, "status", json_text(s->status));
	json_object_set_new(o, "kind", json_text(s->kind));
	json_object_set_new(o, "opened_at", json_time(s->opened_at));
	json_object_set_new(o, "steps_done", json_integer(s->steps_done));
	json_object_set_new(o, "steps_total", json_integer(s->steps_total));
	return o;
}

json_t *
irc_case_to_json(const struct irc_case *c, bool with_actions)
{
	json_t *o = summary_to_json(&c->sum);
	json_t *phases = json_array(), *actions, *chain;

	json_object_set_new(o, "closed_at", json_time(c->closed_at));
	json_object_set_new(o, "description", json_text(c->description));
	json_object_set_new(o, "playbook", json_pack("{s:o, s:o, s:s}",
	    "title", json_text(c->playbook_title),
	    "path", json_text(c->playbook_path),
	    "sha256", c->playbook_sha256));

	for (int p = 0; p < IRC_PHASE_COUNT; p++) {
		json_t *steps = json_array();

		for (size_t i = 0; i < c->nsteps; i++)
			if (c->steps[i].phase == (enum irc_phase)p)
				json_array_append_new(steps,
				    step_to_json(&c->steps[i]));
		json_array_append_new(phases, json_pack("{s:s, s:s, s:s, s:s, s:o}",
		    "key", irc_phase_key((enum irc_phase)p),
		    "name", irc_phase_name((enum irc_phase)p),
		    "iso27001_2013", irc_phase_iso2013((enum irc_phase)p),
		    "iso27001_2022", irc_phase_iso2022((enum irc_phase)p),
		    "steps", steps));
	}
	json_object_set_new(o, "phases", phases);

	if (with_actions) {
		actions = json_array();
		for (size_t i = 0; i < c->nactions; i++)
			json_array_append_new(actions,
			    action_to_json(&c->actions[i]));
		json_object_set_new(o, "actions", actions);
	}
	chain = json_pack("{s:s, s:I}", "head", c->head_hash,
	    "count", (json_int_t)c->nactions);
	json_object_set_new(o, "chain", chain);
	return o;
}

json_t *
irc_case_list_to_json(const struct irc_case_summary *list, size_t count)
{
	json_t *a = json_array();

	for (size_t i = 0; i < count; i++)
		json_array_append_new(a, summary_to_json(&list[i]));
	return a;
}
