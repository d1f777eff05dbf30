/*
 * lifecycle.c: roles, reports, decisions, milestones, step approval and
 * lessons on a case.  Follow-ups are in followup.c, the close rule in
 * close.c and clocks in clock.c.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "clock.h"
#include "lifecycle.h"
#include "lifecycle_internal.h"
#include "mem.h"
#include "record.h"
#include "record_time.h"
#include "timeutil.h"

const char *const irc_roles[] = {
	"incident_commander", "deputy", "scribe", "communications",
	"technical_lead", "legal", "dpo", NULL,
};

const char *const irc_report_channels[] = {
	"email", "phone", "chat", "monitoring", "other", NULL,
};

const char *const irc_milestones[] = {
	"contained", "eradicated", "recovered", NULL,
};

const char *const irc_tlp_levels[] = {
	"clear", "green", "amber", "amber+strict", "red", NULL,
};

const char *const irc_verdicts[] = {
	"incident", "event", "not_incident", NULL,
};

const char *const irc_lesson_kinds[] = {
	"root_cause", "went_well", "went_badly", NULL,
};

bool
irc_word_in(const char *word, const char *const *list)
{
	if (word == NULL)
		return false;
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(word, list[i]) == 0)
			return true;
	return false;
}

const char *
irc_word_match(const char *typed, const char *const *list)
{
	size_t i, j;

	if (typed == NULL)
		return NULL;
	for (i = 0; list[i] != NULL; i++) {
		for (j = 0; typed[j] != '\0' && list[i][j] != '\0'; j++)
			if (tolower((unsigned char)typed[j]) != list[i][j] &&
			    !(typed[j] == '-' && list[i][j] == '_'))
				break;
		if (typed[j] == '\0' && list[i][j] == '\0')
			return list[i];
	}
	return NULL;
}

enum irc_status
irc_word_check(const char *what, const char *typed, const char *const *list,
    struct irc_error *err)
{
	char words[512];
	size_t i, used = 0;

	if (irc_word_match(typed, list) != NULL)
		return IRC_OK;
	words[0] = '\0';
	for (i = 0; list[i] != NULL && used < sizeof words; i++) {
		const char *sep = ", ";

		if (i == 0)
			sep = "";
		else if (list[i + 1] == NULL)
			sep = " or ";
		used += (size_t)snprintf(words + used, sizeof words - used, "%s%s",
		    sep, list[i]);
	}
	return irc_fail(err, IRC_ERR_INVALID, "invalid %s '%s'; use %s", what,
	    typed != NULL ? typed : "", words);
}

char *
irc_time_with_offset(int64_t t, int offset, char *buf, size_t size)
{
	int64_t sec = t / 1000000;
	time_t local;
	struct tm tm;
	char date[32];
	int off = offset < 0 ? -offset : offset;

	if (t % 1000000 < 0)
		sec--;
	local = (time_t)(sec + offset);
	if (gmtime_r(&local, &tm) == NULL ||
	    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		snprintf(buf, size, "@%" PRId64, t);
		return buf;
	}
	snprintf(buf, size, "%s%c%02d:%02d", date, offset < 0 ? '-' : '+',
	    off / 3600, off % 3600 / 60);
	return buf;
}

void
irc_lc_when_resolve(struct irc_when *when)
{
	time_t sec;
	struct tm tm;

	if (when->us != 0)
		return;
	when->us = irc_now_us();
	sec = (time_t)(when->us / 1000000);
	when->offset = localtime_r(&sec, &tm) != NULL ? (int)tm.tm_gmtoff : 0;
}

json_t *
irc_lc_when_json(struct irc_when when)
{
	char buf[48];

	return json_string(irc_time_with_offset(when.us, when.offset, buf,
	    sizeof buf));
}

enum irc_status
irc_lc_run(struct irc_db *db, sqlite3_stmt *stmt, const char *doing,
    struct irc_error *err)
{
	enum irc_status st = IRC_OK;

	if (sqlite3_step(stmt) != SQLITE_DONE)
		st = irc_db_fail(db, err, doing);
	sqlite3_finalize(stmt);
	return st;
}

void
irc_lc_bind_text(sqlite3_stmt *stmt, int col, const char *text)
{
	if (text != NULL)
		sqlite3_bind_text(stmt, col, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(stmt, col);
}

enum irc_status
irc_lc_finish(struct irc_db *db, enum irc_status st, json_t *body,
    struct irc_error *err)
{
	if (st == IRC_OK)
		st = irc_db_commit(db, err);
	else
		irc_db_rollback(db);
	json_decref(body);
	return st;
}

enum irc_status
irc_lc_begin(struct irc_db *db, int64_t case_id, struct irc_error *err)
{
	enum irc_status st;

	if ((st = irc_db_begin(db, err)) != IRC_OK)
		return st;
	if ((st = irc_record_case_exists(db, case_id, err)) != IRC_OK)
		irc_db_rollback(db);
	return st;
}

/* Returns the current holder of role on a case (caller frees), or NULL. */
static char *
role_holder(struct irc_db *db, int64_t case_id, const char *role)
{
	sqlite3_stmt *stmt;
	char *person = NULL;

	if (irc_record_prepare(db, "SELECT person FROM case_role WHERE"
	    " case_id = ? AND role = ?", &stmt, NULL) != IRC_OK)
		return NULL;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_text(stmt, 2, role, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		person = irc_xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return person;
}

enum irc_status
irc_case_role_set(struct irc_db *db, int64_t case_id, const char *role,
    const char *person, const struct irc_actor *actor, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	char *from = NULL;
	json_t *body = NULL;
	enum irc_status st;

	if (!irc_word_in(role, irc_roles))
		return irc_fail(err, IRC_ERR_INVALID, "invalid role '%s'; use "
		    "incident_commander, deputy, scribe, communications, "
		    "technical_lead, legal or dpo", role != NULL ? role : "");
	if ((st = irc_record_check_text("person", person,
	    IRC_LIFECYCLE_NAME_MAX, err)) != IRC_OK)
		return st;
	if ((st = irc_lc_begin(db, case_id, err)) != IRC_OK)
		return st;
	from = role_holder(db, case_id, role);
	if (from != NULL && strcmp(from, person) == 0) {
		st = irc_fail(err, IRC_ERR_INVALID, "%s already holds %s on case "
		    "%" PRId64, person, role, case_id);
		goto out;
	}
	if ((st = irc_record_prepare(db, "INSERT INTO case_role (case_id, role,"
	    " person, since) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (case_id, role)"
	    " DO UPDATE SET person = ?3, since = ?4", &stmt, err)) != IRC_OK)
		goto out;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_text(stmt, 2, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, person, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, irc_now_us());
	if ((st = irc_lc_run(db, stmt, "cannot store the role", err)) != IRC_OK)
		goto out;
	body = json_pack("{s:s, s:o, s:s}", "role", role, "from",
	    from != NULL ? json_string(from) : json_null(), "to", person);
	st = irc_action_append(db, case_id, 0, actor, "role.assign", body, NULL,
	    err);
out:
	free(from);
	return irc_lc_finish(db, st, body, err);
}

enum irc_status
irc_case_report_add(struct irc_db *db, int64_t case_id, const char *reporter,
    const char *channel, struct irc_when received, const char *text,
    const struct irc_actor *actor, int64_t *number, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	json_t *body = NULL;
	int64_t n = 0;
	enum irc_status st;

	if (!irc_word_in(channel, irc_report_channels))
		return irc_fail(err, IRC_ERR_INVALID, "invalid channel '%s'; use "
		    "email, phone, chat, monitoring or other",
		    channel != NULL ? channel : "");
	if ((st = irc_record_check_text("reporter", reporter,
	    IRC_LIFECYCLE_NAME_MAX, err)) != IRC_OK ||
	    (st = irc_record_check_text("report", text, IRC_LIFECYCLE_TEXT_MAX,
	    err)) != IRC_OK)
		return st;
	irc_lc_when_resolve(&received);
	/* A report may come before the case is opened, never from the future. */
	if ((st = irc_record_time_past("the report time", received.us,
	    irc_now_us(), err)) != IRC_OK)
		return st;
	if ((st = irc_lc_begin(db, case_id, err)) != IRC_OK)
		return st;
	if ((st = irc_record_next_number(db, "report", case_id, &n, err)) !=
	    IRC_OK)
		goto out;
	if ((st = irc_record_prepare(db, "INSERT INTO report (case_id, number,"
	    " reporter, channel, received_at, received_offset, text, added_by,"
	    " added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &stmt, err)) !=
	    IRC_OK)
		goto out;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_int64(stmt, 2, n);
	sqlite3_bind_text(stmt, 3, reporter, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, channel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, received.us);
	sqlite3_bind_int(stmt, 6, received.offset);
	sqlite3_bind_text(stmt, 7, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 8, actor->login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 9, irc_now_us());
	if ((st = irc_lc_run(db, stmt, "cannot store the report", err)) !=
	    IRC_OK)
		goto out;
	body = json_pack("{s:I, s:s, s:s, s:o, s:s}", "number", (json_int_t)n,
	    "by", reporter, "channel", channel, "received_at",
	    irc_lc_when_json(received), "text", text);
	st = irc_action_append(db, case_id, 0, actor, "report.add", body, NULL,
	    err);
	if (st == IRC_OK && number != NULL)
		*number = n;
out:
	return irc_lc_finish(db, st, body, err);
}

static enum irc_status
decision_check(const struct irc_decision_input *in, struct irc_error *err)
{
	enum irc_status st;

	if (!irc_word_in(in->verdict, irc_verdicts))
		return irc_fail(err, IRC_ERR_INVALID, "invalid decision '%s'; use "
		    "incident, event or not-incident",
		    in->verdict != NULL ? in->verdict : "");
	if ((st = irc_record_check_text("reason", in->reason,
	    IRC_LIFECYCLE_TEXT_MAX, err)) != IRC_OK)
		return st;
	if (in->category != NULL && (st = irc_record_check_text("category",
	    in->category, IRC_LIFECYCLE_NAME_MAX, err)) != IRC_OK)
		return st;
	if (in->severity != 0 && (in->severity < 1 || in->severity > 4))
		return irc_fail(err, IRC_ERR_INVALID, "severity %d is out of "
		    "range; use 1 (low) to 4 (critical)", in->severity);
	if (in->tlp != NULL && !irc_word_in(in->tlp, irc_tlp_levels))
		return irc_fail(err, IRC_ERR_INVALID, "invalid TLP '%s'; use "
		    "clear, green, amber, amber+strict or red", in->tlp);
	if (in->pap != NULL && !irc_word_in(in->pap, irc_tlp_levels))
		return irc_fail(err, IRC_ERR_INVALID, "invalid PAP '%s'; use "
		    "clear, green, amber, amber+strict or red", in->pap);
	return IRC_OK;
}

/* Reads the case's awareness time and offset; aware->us is 0 when unset. */
static enum irc_status
case_aware(struct irc_db *db, int64_t case_id, struct irc_when *aware,
    struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;

	aware->us = 0;
	aware->offset = 0;
	if ((st = irc_record_prepare(db, "SELECT coalesce(aware_at, 0),"
	    " coalesce(aware_offset, 0) FROM \"case\" WHERE id = ?", &stmt,
	    err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		aware->us = sqlite3_column_int64(stmt, 0);
		aware->offset = sqlite3_column_int(stmt, 1);
	} else {
		st = irc_db_fail(db, err, "cannot read the case");
	}
	sqlite3_finalize(stmt);
	return st;
}

enum irc_status
irc_lc_case_aware(struct irc_db *db, int64_t case_id, int64_t *aware_us,
    struct irc_error *err)
{
	struct irc_when w;
	enum irc_status st = case_aware(db, case_id, &w, err);

	*aware_us = w.us;
	return st;
}

static enum irc_status
decision_store(struct irc_db *db, int64_t case_id,
    const struct irc_decision_input *in, struct irc_when aware,
    const struct irc_actor *actor, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;

	if ((st = irc_record_prepare(db, "INSERT INTO decision (case_id,"
	    " verdict, reason, category, decided_by, decided_at)"
	    " VALUES (?, ?, ?, ?, ?, ?)", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_text(stmt, 2, in->verdict, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, in->reason, -1, SQLITE_STATIC);
	irc_lc_bind_text(stmt, 4, in->category);
	sqlite3_bind_text(stmt, 5, actor->login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6, irc_now_us());
	if ((st = irc_lc_run(db, stmt, "cannot store the decision", err)) !=
	    IRC_OK)
		return st;

	if ((st = irc_record_prepare(db, "UPDATE \"case\" SET verdict = ?1,"
	    " category = coalesce(?2, category),"
	    " severity = CASE WHEN ?3 > 0 THEN ?3 ELSE severity END,"
	    " tlp = coalesce(?4, tlp), pap = coalesce(?5, pap),"
	    " aware_at = CASE WHEN ?6 <> 0 THEN ?6 ELSE aware_at END,"
	    " aware_offset = CASE WHEN ?6 <> 0 THEN ?7 ELSE aware_offset END"
	    " WHERE id = ?8", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_text(stmt, 1, in->verdict, -1, SQLITE_STATIC);
	irc_lc_bind_text(stmt, 2, in->category);
	sqlite3_bind_int(stmt, 3, in->severity);
	irc_lc_bind_text(stmt, 4, in->tlp);
	irc_lc_bind_text(stmt, 5, in->pap);
	sqlite3_bind_int64(stmt, 6, aware.us);
	sqlite3_bind_int(stmt, 7, aware.offset);
	sqlite3_bind_int64(stmt, 8, case_id);
	return irc_lc_run(db, stmt, "cannot update the case", err);
}

/* Returns true when a clock of rule name already exists on the case. */
static bool
clock_exists(struct irc_db *db, int64_t case_id, const char *name)
{
	sqlite3_stmt *stmt;
	bool found = false;

	if (irc_record_prepare(db, "SELECT 1 FROM clock WHERE case_id = ? AND"
	    " rule = ?", &stmt, NULL) != IRC_OK)
		return false;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	found = sqlite3_step(stmt) == SQLITE_ROW;
	sqlite3_finalize(stmt);
	return found;
}

/* Returns the config rules whose applies_to lists category, in a new JSON array. */
static json_t *
decision_rules(struct irc_db *db, int64_t case_id, const char *category,
    const struct irc_config *cfg)
{
	json_t *names = json_array();

	if (cfg == NULL || category == NULL)
		return names;
	for (size_t i = 0; i < cfg->nclocks; i++) {
		const struct irc_config_clock *r = &cfg->clocks[i];

		for (size_t j = 0; j < r->napplies_to; j++) {
			if (strcasecmp(r->applies_to[j], category) != 0)
				continue;
			if (!clock_exists(db, case_id, r->name))
				json_array_append_new(names,
				    json_string(r->name));
			break;
		}
	}
	return names;
}

enum irc_status
irc_case_decide(struct irc_db *db, int64_t case_id,
    const struct irc_decision_input *in, const struct irc_config *cfg,
    const struct irc_actor *actor, struct irc_error *err)
{
	struct irc_when aware = in->aware, old;
	json_t *body = NULL, *rules = NULL, *name;
	const char *category;
	enum irc_status st;
	size_t i;

	if ((st = decision_check(in, err)) != IRC_OK)
		return st;
	/* Awareness often comes before the case is opened, never later than now. */
	if (aware.us != 0 && (st = irc_record_time_past("the awareness time",
	    aware.us, irc_now_us(), err)) != IRC_OK)
		return st;
	if ((st = irc_lc_begin(db, case_id, err)) != IRC_OK)
		return st;
	if ((st = case_aware(db, case_id, &old, err)) != IRC_OK)
		goto out;
	/*
	 * An organisation that decides it has an incident is aware of it by
	 * then at the latest, so the decision time stands in for a missing
	 * awareness time.
	 */
	if (aware.us == 0 && old.us == 0 && strcmp(in->verdict, "incident") == 0)
		irc_lc_when_resolve(&aware);
	if ((st = decision_store(db, case_id, in, aware, actor, err)) != IRC_OK)
		goto out;
	if (aware.us != 0 && aware.us != old.us &&
	    (st = irc_clock_restart_tx(db, case_id, aware.us, err)) != IRC_OK)
		goto out;
	if (aware.us == 0)
		aware = old;

	category = in->category;
	rules = strcmp(in->verdict, "incident") == 0 ?
	    decision_rules(db, case_id, category, cfg) : json_array();
	body = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:O}",
	    "verdict", in->verdict, "reason", in->reason,
	    "category", category != NULL ? json_string(category) : json_null(),
	    "severity", in->severity > 0 ? json_integer(in->severity) :
	    json_null(),
	    "tlp", in->tlp != NULL ? json_string(in->tlp) : json_null(),
	    "pap", in->pap != NULL ? json_string(in->pap) : json_null(),
	    "aware_at", aware.us != 0 ? irc_lc_when_json(aware) : json_null(),
	    "clocks_started", rules);
	if ((st = irc_action_append(db, case_id, 0, actor, "decision", body,
	    NULL, err)) != IRC_OK)
		goto out;
	json_array_foreach(rules, i, name) {
		struct irc_clock_rule rule;

		if (!irc_clock_rule_find(cfg, json_string_value(name), &rule))
			continue;
		if ((st = irc_clock_start_tx(db, case_id, &rule, aware.us, actor,
		    err)) != IRC_OK)
			goto out;
	}
out:
	json_decref(rules);
	return irc_lc_finish(db, st, body, err);
}

enum irc_status
irc_case_milestone(struct irc_db *db, int64_t case_id, const char *name,
    struct irc_when when, const char *note, const struct irc_actor *actor,
    struct irc_error *err)
{
	sqlite3_stmt *stmt;
	json_t *body = NULL;
	enum irc_status st;

	if (!irc_word_in(name, irc_milestones))
		return irc_fail(err, IRC_ERR_INVALID, "invalid milestone '%s'; "
		    "use contained, eradicated or recovered",
		    name != NULL ? name : "");
	if ((st = irc_record_check_optional("note", note,
	    IRC_LIFECYCLE_TEXT_MAX, err)) != IRC_OK)
		return st;
	irc_lc_when_resolve(&when);
	if ((st = irc_record_time_past("the milestone time", when.us,
	    irc_now_us(), err)) != IRC_OK)
		return st;
	if ((st = irc_lc_begin(db, case_id, err)) != IRC_OK)
		return st;
	if ((st = irc_record_time_after_open(db, case_id, "the milestone time",
	    when.us, err)) != IRC_OK ||
	    (st = irc_record_time_milestone(db, case_id, name, when.us, err)) !=
	    IRC_OK)
		goto out;
	if ((st = irc_record_prepare(db, "INSERT INTO milestone (case_id, name,"
	    " at, at_offset, note, recorded_by, recorded_at)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", &stmt,
	    err)) != IRC_OK)
		goto out;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, when.us);
	sqlite3_bind_int(stmt, 4, when.offset);
	sqlite3_bind_text(stmt, 5, note != NULL ? note : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, actor->login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 7, irc_now_us());
	if ((st = irc_lc_run(db, stmt, "cannot store the milestone", err)) !=
	    IRC_OK)
		goto out;
	if (sqlite3_changes(irc_db_handle(db)) == 0) {
		st = irc_fail(err, IRC_ERR_CONFLICT, "case %" PRId64 " already "
		    "has the %s milestone; run 'ircase show %" PRId64 "' to see "
		    "it", case_id, name, case_id);
		goto out;
	}
	body = json_pack("{s:s, s:o}", "milestone", name, "at",
	    irc_lc_when_json(when));
	if (note != NULL && *note != '\0')
		json_object_set_new(body, "note", json_string(note));
	st = irc_action_append(db, case_id, 0, actor, "milestone", body, NULL,
	    err);
out:
	return irc_lc_finish(db, st, body, err);
}

/* Reads whether step seq requires approval and who requested it. */
static enum irc_status
step_approval(struct irc_db *db, int64_t case_id, int seq, bool *required,
    char **requested_by, char **state, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	int rc;

	*requested_by = NULL;
	*state = NULL;
	if ((st = irc_record_prepare(db, "SELECT requires_approval,"
	    " approval_requested_by, state FROM step WHERE case_id = ? AND"
	    " seq = ?", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_int(stmt, 2, seq);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*required = sqlite3_column_int(stmt, 0) != 0;
		if (sqlite3_column_type(stmt, 1) != SQLITE_NULL)
			*requested_by = irc_xstrdup(
			    (const char *)sqlite3_column_text(stmt, 1));
		*state = irc_xstrdup((const char *)sqlite3_column_text(stmt, 2));
	} else if (rc == SQLITE_DONE) {
		st = irc_fail(err, IRC_ERR_NOT_FOUND, "case %" PRId64 " has no "
		    "step %d; run 'ircase show %" PRId64 "' to see its steps",
		    case_id, seq, case_id);
	} else {
		st = irc_db_fail(db, err, "cannot read the step");
	}
	sqlite3_finalize(stmt);
	return st;
}

/*
 * Sets the state and the approval request of a step, with both actions.
 * A note (NULL or "" for none) goes in the body of each action.
 */
static enum irc_status
step_mark(struct irc_db *db, int64_t case_id, int seq, const char *from,
    const char *to, const char *requested_by, const char *note,
    const struct irc_actor *actor, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	json_t *body;
	int64_t now = irc_now_us();
	bool done = strcmp(to, "done") == 0;
	enum irc_status st;

	if ((st = irc_record_prepare(db, "UPDATE step SET state = ?1,"
	    " approval_requested_by = ?2, started_at = CASE WHEN ?1 = 'active'"
	    "  THEN coalesce(started_at, ?3) ELSE started_at END,"
	    " done_at = CASE WHEN ?1 = 'done' THEN ?3 ELSE NULL END"
	    " WHERE case_id = ?4 AND seq = ?5", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_text(stmt, 1, to, -1, SQLITE_STATIC);
	irc_lc_bind_text(stmt, 2, done ? NULL : requested_by);
	sqlite3_bind_int64(stmt, 3, now);
	sqlite3_bind_int64(stmt, 4, case_id);
	sqlite3_bind_int(stmt, 5, seq);
	if ((st = irc_lc_run(db, stmt, "cannot change the step", err)) != IRC_OK)
		return st;

	if (note != NULL && *note == '\0')
		note = NULL;
	body = done ? json_pack("{s:i, s:s, s:s, s:s*}", "step", seq,
	    "requested_by", requested_by, "approved_by", actor->login,
	    "note", note) :
	    json_pack("{s:i, s:s, s:s*}", "step", seq, "requested_by",
	    requested_by, "note", note);
	st = irc_action_append(db, case_id, seq, actor, done ? "step.approve" :
	    "step.approval_request", body, NULL, err);
	json_decref(body);
	if (st != IRC_OK || strcmp(from, to) == 0)
		return st;
	body = json_pack("{s:i, s:s, s:s, s:s*}", "step", seq, "from", from,
	    "to", to, "note", note);
	st = irc_action_append(db, case_id, seq, actor, "step.state", body, NULL,
	    err);
	json_decref(body);
	return st;
}

enum irc_status
irc_step_approval_gate(struct irc_db *db, int64_t case_id, int seq,
    const char *note, const struct irc_actor *actor, bool *handled,
    struct irc_error *err)
{
	char *requested_by = NULL, *state = NULL;
	bool required = false;
	enum irc_status st;

	*handled = false;
	if ((st = step_approval(db, case_id, seq, &required, &requested_by,
	    &state, err)) != IRC_OK || !required)
		goto out;
	*handled = true;
	if (requested_by == NULL)
		st = step_mark(db, case_id, seq, state, "active", actor->login,
		    note, actor, err);
	else if (strcmp(requested_by, actor->login) == 0)
		st = irc_fail(err, IRC_ERR_INVALID, "step %d of case %" PRId64
		    " already awaits approval requested by %s; another responder "
		    "runs 'ircase approve %" PRId64 " %d'", seq, case_id,
		    requested_by, case_id, seq);
	else
		st = step_mark(db, case_id, seq, state, "done", requested_by,
		    note, actor, err);
out:
	free(requested_by);
	free(state);
	return st;
}

/*
 * Fails with IRC_ERR_CONFLICT for a step that is approved already, naming
 * who approved it and when, from its last step.approve action.
 */
static enum irc_status
step_approved_fail(struct irc_db *db, int64_t case_id, int seq,
    struct irc_error *err)
{
	sqlite3_stmt *stmt;
	char by[128] = "another responder", when[48] = "";
	enum irc_status st;

	if ((st = irc_record_prepare(db, "SELECT json_extract(body,"
	    " '$.approved_by'), time_us FROM action WHERE case_id = ? AND"
	    " step_seq = ? AND kind = 'step.approve' ORDER BY seq DESC LIMIT 1",
	    &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_int(stmt, 2, seq);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		if (sqlite3_column_type(stmt, 0) == SQLITE_TEXT)
			snprintf(by, sizeof by, "%s",
			    (const char *)sqlite3_column_text(stmt, 0));
		snprintf(when, sizeof when, " at ");
		irc_time_local(sqlite3_column_int64(stmt, 1), when + 4,
		    sizeof when - 4);
	}
	sqlite3_finalize(stmt);
	return irc_fail(err, IRC_ERR_CONFLICT, "step %d of case %" PRId64
	    " is already approved, by %s%s; nothing to do", seq, case_id, by,
	    when);
}

enum irc_status
irc_case_step_approve(struct irc_db *db, int64_t case_id, int seq,
    const struct irc_actor *actor, struct irc_error *err)
{
	char *requested_by = NULL, *state = NULL;
	bool required = false;
	enum irc_status st;

	if ((st = irc_lc_begin(db, case_id, err)) != IRC_OK)
		return st;
	if ((st = step_approval(db, case_id, seq, &required, &requested_by,
	    &state, err)) != IRC_OK)
		goto out;
	if (requested_by == NULL && required && strcmp(state, "done") == 0)
		st = step_approved_fail(db, case_id, seq, err);
	else if (requested_by == NULL)
		st = irc_fail(err, IRC_ERR_INVALID, "step %d of case %" PRId64
		    " does not await approval; %s", seq, case_id, required ?
		    "mark it done first with 'ircase step CASE N done'" :
		    "its playbook does not require approval");
	else if (strcmp(requested_by, actor->login) == 0)
		st = irc_fail(err, IRC_ERR_INVALID, "step %d of case %" PRId64
		    " was requested by %s, who cannot approve it; another "
		    "responder must", seq, case_id, requested_by);
	else
		st = step_mark(db, case_id, seq, state, "done", requested_by,
		    NULL, actor, err);
out:
	free(requested_by);
	free(state);
	return irc_lc_finish(db, st, NULL, err);
}

static enum irc_status
lesson_store(struct irc_db *db, int64_t case_id, const char *kind,
    const char *text, const struct irc_actor *actor, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	json_t *body = NULL;
	bool waiver = strcmp(kind, "waiver") == 0;
	enum irc_status st;

	if ((st = irc_lc_begin(db, case_id, err)) != IRC_OK)
		return st;
	if ((st = irc_record_prepare(db, "INSERT INTO lesson (case_id, kind,"
	    " text, added_by, added_at) VALUES (?, ?, ?, ?, ?)", &stmt, err)) !=
	    IRC_OK)
		goto out;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, actor->login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, irc_now_us());
	if ((st = irc_lc_run(db, stmt, "cannot store the lesson", err)) !=
	    IRC_OK)
		goto out;
	body = waiver ? json_pack("{s:s}", "reason", text) :
	    json_pack("{s:s, s:s}", "lesson", kind, "text", text);
	st = irc_action_append(db, case_id, 0, actor, waiver ? "lesson.waive" :
	    "lesson.add", body, NULL, err);
out:
	return irc_lc_finish(db, st, body, err);
}

enum irc_status
irc_case_lesson_add(struct irc_db *db, int64_t case_id, const char *kind,
    const char *text, const struct irc_actor *actor, struct irc_error *err)
{
	enum irc_status st;

	if (!irc_word_in(kind, irc_lesson_kinds))
		return irc_fail(err, IRC_ERR_INVALID, "invalid lesson kind '%s'; "
		    "use root_cause, went_well or went_badly",
		    kind != NULL ? kind : "");
	if ((st = irc_record_check_text("lesson", text, IRC_LIFECYCLE_TEXT_MAX,
	    err)) != IRC_OK)
		return st;
	return lesson_store(db, case_id, kind, text, actor, err);
}

enum irc_status
irc_case_lesson_waive(struct irc_db *db, int64_t case_id, const char *reason,
    const struct irc_actor *actor, struct irc_error *err)
{
	enum irc_status st;

	if ((st = irc_record_check_text("reason", reason,
	    IRC_LIFECYCLE_TEXT_MAX, err)) != IRC_OK)
		return st;
	return lesson_store(db, case_id, "waiver", reason, actor, err);
}
