/*
 * show_lifecycle.c: the incident-lifecycle part of "ircase show": roles,
 * contacts from config.yaml, reports, the decision, milestones, steps
 * awaiting approval, clocks, lessons, follow-ups and metrics; in JSON
 * also the evidence, observables and affected assets.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "cli_lifecycle.h"
#include "metrics.h"
#include "timeutil.h"

bool
show_lifecycle_json(struct irc_db *db, const struct irc_case *c, json_t *json)
{
	const struct irc_config *cfg = cli_config();
	struct irc_metrics m;
	struct irc_error err;
	json_t *lc = NULL;

	irc_error_clear(&err);
	if (irc_lifecycle_to_json(db, c->sum.id, &lc, &err) != IRC_OK) {
		cli_fail(&err);
		return false;
	}
	json_object_set_new(json, "lifecycle", lc);
	irc_metrics_compute(c, &m);
	json_object_set_new(json, "metrics", irc_metrics_to_json(&m));
	json_object_set_new(json, "contacts", irc_contacts_to_json(cfg));
	if (irc_case_records_to_json(db, c->sum.id, json, &err) != IRC_OK) {
		cli_fail(&err);
		return false;
	}
	return true;
}

/* Prints "  key  value" for each string field of o that is set. */
static void
print_field(const char *label, json_t *v)
{
	if (!json_is_string(v))
		return;
	printf("  %-10s ", label);
	cli_print_clean(stdout, json_string_value(v), 0);
	fputc('\n', stdout);
}

/* Formats the member key of row as text into buf: "" when absent. */
static const char *
row_cell(json_t *row, const char *key, char *buf, size_t size)
{
	json_t *v = json_object_get(row, key);

	if (json_is_integer(v)) {
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return buf;
	}
	return json_is_string(v) ? json_string_value(v) : "";
}

/*
 * Prints the rows of a record table under title, one column per key,
 * each column but the last padded to its widest cell in display columns.
 */
static void
print_rows(const char *title, json_t *rows, const char *const *keys)
{
	enum { KEYS_MAX = 8 };
	int width[KEYS_MAX] = { 0 };
	char buf[32];
	size_t i, nkeys = 0;
	json_t *row;

	if (json_array_size(rows) == 0)
		return;
	while (keys[nkeys] != NULL && nkeys < KEYS_MAX)
		nkeys++;
	json_array_foreach(rows, i, row) {
		for (size_t k = 0; k < nkeys; k++) {
			int w = cli_text_width(row_cell(row, keys[k], buf,
			    sizeof buf));

			if (w > width[k])
				width[k] = w;
		}
	}
	printf("\n%s\n", title);
	json_array_foreach(rows, i, row) {
		fputs("  ", stdout);
		for (size_t k = 0; k < nkeys; k++) {
			const char *cell = row_cell(row, keys[k], buf,
			    sizeof buf);

			if (width[k] == 0)
				continue;	/* a column empty in every row */
			if (k + 1 < nkeys)
				cli_print_padded(stdout, cell, width[k] + 2);
			else
				cli_print_clean(stdout, cell, 0);
		}
		fputc('\n', stdout);
	}
}

static void
show_contacts(const struct irc_config *cfg)
{
	if (cfg == NULL || cfg->ncontacts == 0)
		return;
	printf("\nContacts\n");
	for (size_t i = 0; i < cfg->ncontacts; i++) {
		const struct irc_config_contact *k = &cfg->contacts[i];
		const char *parts[] = { k->email, k->phone, k->note };

		printf("  %-10s ", k->role);
		cli_print_clean(stdout, k->name, 0);
		for (size_t p = 0; p < 3; p++) {
			if (parts[p] == NULL)
				continue;
			fputs("  ", stdout);
			cli_print_clean(stdout, parts[p], 0);
		}
		fputc('\n', stdout);
	}
}

static void
show_clocks(struct irc_db *db, int64_t case_id)
{
	struct irc_clock *list = NULL;
	size_t n = 0;
	int64_t now = irc_now_us();
	char when[64], left[32];

	if (irc_clock_list(db, case_id, false, &list, &n, NULL) != IRC_OK ||
	    n == 0)
		goto out;
	printf("\nClocks\n");
	for (size_t i = 0; i < n; i++) {
		const struct irc_clock *k = &list[i];

		if (k->notified_at != 0)
			snprintf(left, sizeof left, "notified %s",
			    k->notified_at > k->deadline ? "late" : "in time");
		else if (now > k->deadline)
			snprintf(left, sizeof left, "OVERDUE %s",
			    irc_duration(now - k->deadline, (char[24]){ 0 }, 24));
		else
			snprintf(left, sizeof left, "%s left",
			    irc_duration(k->deadline - now, (char[24]){ 0 }, 24));
		printf("  %-19s due %s  %s\n", k->rule,
		    irc_time_local(k->deadline, when, sizeof when), left);
	}
out:
	irc_clocks_free(list, n);
}

static void
show_metrics(const struct irc_case *c)
{
	struct irc_metrics m;
	char buf[32];
	int shown = 0;

	irc_metrics_compute(c, &m);
	for (int i = 0; i < IRC_METRIC_COUNT; i++) {
		if (m.to[i] < 0)
			continue;
		if (shown++ == 0)
			printf("\nMetrics (from the log)\n");
		printf("  %-22s %s\n", irc_metric_key((enum irc_metric)i),
		    irc_duration(m.to[i], buf, sizeof buf));
	}
}

bool
show_lifecycle_text(struct irc_db *db, const struct irc_case *c)
{
	static const char *const role_keys[] = { "role", "person", NULL };
	static const char *const report_keys[] = { "number", "received_at",
	    "channel", "reporter", "text", NULL };
	static const char *const decision_keys[] = { "decided_at", "verdict",
	    "category", "decided_by", "reason", NULL };
	static const char *const milestone_keys[] = { "name", "reached_at",
	    "note", NULL };
	static const char *const lesson_keys[] = { "kind", "text", NULL };
	static const char *const followup_keys[] = { "id", "due", "state",
	    "owner", "text", NULL };
	const struct irc_config *cfg = cli_config();
	struct irc_error err;
	json_t *lc = NULL;

	irc_error_clear(&err);
	if (irc_lifecycle_to_json(db, c->sum.id, &lc, &err) != IRC_OK) {
		cli_fail(&err);
		return false;
	}
	printf("\nIncident\n");
	print_field("decision", json_object_get(lc, "verdict"));
	print_field("category", json_object_get(lc, "category"));
	print_field("aware", json_object_get(lc, "aware_at"));
	print_field("tlp", json_object_get(lc, "tlp"));
	print_field("pap", json_object_get(lc, "pap"));
	print_field("summary", json_object_get(lc, "summary"));
	print_rows("Roles", json_object_get(lc, "roles"), role_keys);
	show_contacts(cfg);
	print_rows("Reports", json_object_get(lc, "reports"), report_keys);
	print_rows("Decisions", json_object_get(lc, "decisions"),
	    decision_keys);
	print_rows("Milestones", json_object_get(lc, "milestones"),
	    milestone_keys);
	for (size_t i = 0; i < c->nsteps; i++)
		if (c->steps[i].approval_requested_by != NULL) {
			printf("  step %d awaits approval (requested by ",
			    c->steps[i].seq);
			cli_print_clean(stdout, c->steps[i].approval_requested_by,
			    0);
			fputs(")\n", stdout);
		}
	show_clocks(db, c->sum.id);
	print_rows("Lessons", json_object_get(lc, "lessons"), lesson_keys);
	print_rows("Follow-ups", json_object_get(lc, "followups"),
	    followup_keys);
	show_metrics(c);
	json_decref(lc);
	return true;
}
