/*
 * playbook_thehive.c: TheHive case templates to and from playbooks.
 *
 * A case template (TheHive 3 to 5) has name, description, severity (1-4),
 * tlp, pap, tags and tasks, each with title, group, description and
 * order.  TLP numbers follow TheHive 4: 0 CLEAR (WHITE), 1 GREEN,
 * 2 AMBER, 3 RED; TheHive 5.2 added AMBER+STRICT as 3 and moved RED to 4,
 * so 4 is read as RED and AMBER+STRICT is written as AMBER.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "mem.h"
#include "model.h"
#include "playbook.h"
#include "playbook_internal.h"
#include "status.h"

static const char *tlp_names[] = { "TLP:CLEAR", "TLP:GREEN", "TLP:AMBER",
    "TLP:RED", "TLP:RED" };

/* Appends s with Markdown's inline punctuation escaped. */
static void
add_escaped(struct pb_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\n' || *s == '\r') {
			pb_buf_add(b, " ", 1);
			continue;
		}
		if (strchr("\\`*_[]<>#!|~", *s) != NULL)
			pb_buf_add(b, "\\", 1);
		pb_buf_add(b, s, 1);
	}
}

/* Appends s as a YAML double-quoted scalar (JSON's string syntax). */
static void
add_yaml_string(struct pb_buf *b, const char *s)
{
	json_t *str = json_string(s);
	char *enc = str != NULL ? json_dumps(str, JSON_ENCODE_ANY) : NULL;

	pb_buf_add(b, enc != NULL ? enc : "\"\"", strlen(enc != NULL ? enc :
	    "\"\""));
	free(enc);
	json_decref(str);
}

/* Appends text with each line indented by indent spaces. */
static void
add_indented(struct pb_buf *b, const char *text, int indent)
{
	const char *p = text;

	while (*p != '\0') {
		size_t n = strcspn(p, "\r\n");

		if (n > 0)
			pb_buf_add(b, "        ", (size_t)indent);
		pb_buf_add(b, p, n);
		pb_buf_add(b, "\n", 1);
		p += n;
		if (*p == '\r' && p[1] == '\n')
			p++;
		if (*p != '\0')
			p++;
	}
}

struct task {
	const char *title;
	const char *group;
	const char *description;
	json_int_t order;
	enum irc_phase phase;
};

static int
task_cmp(const void *a, const void *b)
{
	const struct task *x = a, *y = b;

	if (x->phase != y->phase)
		return (x->phase > y->phase) - (x->phase < y->phase);
	return (x->order > y->order) - (x->order < y->order);
}

static const char *
obj_str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s != NULL ? s : "";
}

/* Reads and checks the tasks of template into *out. */
static enum irc_status
tasks_read(const char *name, json_t *tasks, struct task **out, size_t *n,
    struct irc_error *err)
{
	enum irc_phase prev = IRC_PHASE_RESPOND;
	struct task *list;
	size_t i;
	json_t *t;

	*n = json_array_size(tasks);
	list = irc_xcalloc(*n + 1, sizeof *list);
	json_array_foreach(tasks, i, t) {
		int phase;

		if (!json_is_object(t) || json_string_value(json_object_get(t,
		    "title")) == NULL || *obj_str(t, "title") == '\0') {
			free(list);
			return irc_fail(err, IRC_ERR_INVALID, "%s: task %zu has "
			    "no title; every task of a case template needs one",
			    name, i + 1);
		}
		list[i].title = obj_str(t, "title");
		list[i].group = obj_str(t, "group");
		list[i].description = obj_str(t, "description");
		list[i].order = json_is_integer(json_object_get(t, "order")) ?
		    json_integer_value(json_object_get(t, "order")) :
		    (json_int_t)i;
		phase = irc_pb_phase_of_heading(list[i].title);
		if (phase < 0)
			phase = irc_pb_phase_of_heading(list[i].group);
		list[i].phase = phase >= 0 ? (enum irc_phase)phase : prev;
		prev = list[i].phase;
	}
	/* Group by phase, keeping the template's order inside each. */
	if (*n > 1)
		qsort(list, *n, sizeof *list, task_cmp);
	*out = list;
	return IRC_OK;
}

static void
front_matter_add(struct pb_buf *b, json_t *tpl)
{
	json_t *tags = json_object_get(tpl, "tags"), *v;
	json_int_t sev = json_integer_value(json_object_get(tpl, "severity"));
	json_t *tlp = json_object_get(tpl, "tlp");
	size_t i;

	pb_buf_add(b, "---\ntitle: ", 11);
	add_yaml_string(b, obj_str(tpl, "name"));
	pb_buf_add(b, "\nversion: \"1\"\n", 14);
	if (sev >= IRC_SEVERITY_MIN && sev <= IRC_SEVERITY_MAX) {
		char line[32];

		snprintf(line, sizeof line, "severity: %d\n", (int)sev);
		pb_buf_add(b, line, strlen(line));
	}
	if (json_is_integer(tlp) && json_integer_value(tlp) >= 0 &&
	    json_integer_value(tlp) <= 4) {
		pb_buf_add(b, "tlp: ", 5);
		pb_buf_add(b, tlp_names[json_integer_value(tlp)],
		    strlen(tlp_names[json_integer_value(tlp)]));
		pb_buf_add(b, "\n", 1);
	}
	if (json_array_size(tags) > 0) {
		pb_buf_add(b, "tags: [", 7);
		json_array_foreach(tags, i, v) {
			if (i > 0)
				pb_buf_add(b, ", ", 2);
			add_yaml_string(b, json_string_value(v) != NULL ?
			    json_string_value(v) : "");
		}
		pb_buf_add(b, "]\n", 2);
	}
	pb_buf_add(b, "---\n\n", 5);
}

enum irc_status
irc_playbook_from_thehive(const char *name, const char *json, size_t len,
    char **out, struct irc_error *err)
{
	struct pb_buf b = { 0 };
	enum irc_status status;
	json_error_t jerr;
	struct task *tasks = NULL;
	size_t ntasks = 0;
	json_t *tpl;
	int phase = -1;
	const char *group = NULL;

	*out = NULL;
	tpl = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (tpl == NULL) {
		return irc_fail(err, IRC_ERR_INVALID, "%s:%d: not valid JSON: "
		    "%s; give a case template exported from TheHive", name,
		    jerr.line, jerr.text);
	}
	if (!json_is_object(tpl) || *obj_str(tpl, "name") == '\0' ||
	    !json_is_array(json_object_get(tpl, "tasks"))) {
		status = irc_fail(err, IRC_ERR_INVALID, "%s: not a TheHive case "
		    "template: it needs a \"name\" and a \"tasks\" array", name);
		goto out;
	}
	status = tasks_read(name, json_object_get(tpl, "tasks"), &tasks,
	    &ntasks, err);
	if (status != IRC_OK)
		goto out;

	front_matter_add(&b, tpl);
	pb_buf_add(&b, "# ", 2);
	add_escaped(&b, obj_str(tpl, "name"));
	pb_buf_add(&b, "\n\n", 2);
	if (*obj_str(tpl, "description") != '\0') {
		add_indented(&b, obj_str(tpl, "description"), 0);
		pb_buf_add(&b, "\n", 1);
	}
	for (size_t i = 0; i < ntasks; i++) {
		const struct task *t = &tasks[i];

		if ((int)t->phase != phase) {
			pb_buf_add(&b, "## ", 3);
			pb_buf_add(&b, irc_phase_name(t->phase),
			    strlen(irc_phase_name(t->phase)));
			pb_buf_add(&b, "\n\n", 2);
			phase = (int)t->phase;
			group = NULL;
		}
		if (*t->group != '\0' && (group == NULL ||
		    strcmp(group, t->group) != 0)) {
			pb_buf_add(&b, "### ", 4);
			add_escaped(&b, t->group);
			pb_buf_add(&b, "\n\n", 2);
			group = t->group;
		}
		pb_buf_add(&b, "- [ ] **", 8);
		add_escaped(&b, t->title);
		pb_buf_add(&b, "**\n", 3);
		if (*t->description != '\0') {
			pb_buf_add(&b, "\n", 1);
			add_indented(&b, t->description, 2);
		}
		pb_buf_add(&b, "\n", 1);
	}
	*out = pb_buf_finish(&b);
	memset(&b, 0, sizeof b);
out:
	free(b.data);
	free(tasks);
	json_decref(tpl);
	return status;
}

static int
tlp_number(const char *tlp)
{
	if (tlp == NULL)
		return 2;
	if (strncasecmp(tlp, "TLP:", 4) == 0)
		tlp += 4;
	if (strcasecmp(tlp, "CLEAR") == 0 || strcasecmp(tlp, "WHITE") == 0)
		return 0;
	if (strcasecmp(tlp, "GREEN") == 0)
		return 1;
	if (strcasecmp(tlp, "RED") == 0)
		return 3;
	return 2;
}

/* Returns the description of a top-level step: guidance, body, sub-steps. */
static char *
task_description(const struct irc_pb_phase *ph, size_t at)
{
	const struct irc_pb_step *s = &ph->steps[at];
	struct pb_buf b = { 0 };

	if (s->guidance != NULL && *s->guidance != '\0') {
		pb_buf_add(&b, s->guidance, strlen(s->guidance));
		pb_buf_add(&b, "\n\n", 2);
	}
	pb_buf_add(&b, s->body, strlen(s->body));
	for (size_t k = at + 1; k < ph->nsteps && ph->steps[k].depth > 0; k++) {
		const struct irc_pb_step *sub = &ph->steps[k];

		if (b.len > 0)
			pb_buf_add(&b, "\n", 1);
		for (int d = 1; d < sub->depth; d++)
			pb_buf_add(&b, "  ", 2);
		pb_buf_add(&b, sub->checked ? "- [x] " : "- [ ] ", 6);
		pb_buf_add(&b, sub->title, strlen(sub->title));
	}
	return pb_buf_finish(&b);
}

json_t *
irc_playbook_to_thehive(const struct irc_playbook *pb)
{
	json_t *tpl, *tasks = json_array(), *tags = json_array();
	const char *description = "";
	json_int_t order = 0;

	for (size_t i = 0; i < pb->nrefs; i++) {
		if (strcmp(pb->refs[i].title, "Introduction") == 0) {
			description = pb->refs[i].body;
			break;
		}
	}
	for (size_t i = 0; i < pb->ntags; i++)
		json_array_append_new(tags, json_string(pb->tags[i]));
	for (int p = 0; p < IRC_PHASE_COUNT; p++) {
		const struct irc_pb_phase *ph = &pb->phases[p];

		for (size_t i = 0; i < ph->nsteps; i++) {
			const struct irc_pb_step *s = &ph->steps[i];
			char *desc;

			if (s->depth > 0)
				continue;
			desc = task_description(ph, i);
			json_array_append_new(tasks, json_pack("{s:s, s:s, s:s, "
			    "s:I}", "title", s->title, "group", s->group != NULL ?
			    s->group : irc_phase_name(p), "description", desc,
			    "order", order++));
			free(desc);
		}
	}
	tpl = json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:o, s:o, s:o, "
	    "s:o, s:s}", "name", pb->title, "titlePrefix", "",
	    "description", description,
	    "severity", pb->severity != 0 ? pb->severity : IRC_SEVERITY_DEFAULT,
	    "tlp", tlp_number(pb->tlp), "pap", 2, "tags", tags,
	    "tasks", tasks, "customFields", json_object(),
	    "metrics", json_object(), "status", "Ok");
	return tpl;
}
