/*
 * clock.c: notification rules, deadlines and the clocks on cases.
 *
 * Sources of the built-in rules (also in ircase.conf(5)):
 *   gdpr: Regulation (EU) 2016/679, Article 33(1), 72 hours.
 *   ndpr: Nigeria Data Protection Act 2023, section 40(2), 72 hours.
 *   nis2-*: Directive (EU) 2022/2555, Article 23(4)(a), (b) and (d):
 *     24 hours, 72 hours, one month.
 *   pci-dss: PCI DSS requirement 12.10.1 requires a plan that notifies
 *     the payment brands but sets no hours.  The brands do: Mastercard's
 *     account data compromise rules require notice within 24 hours
 *     (https://paymentprocessingbestpractices.blogspot.com/2012/06/what-card-issuers-should-do-when-card.html
 *     quotes them), and Visa within three days
 *     (https://www.evertecinc.com/en/requirements-for-entities-that-suspect-or-have-confirmed-a-compromise-event/),
 *     so the shorter one is used.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "lifecycle_internal.h"
#include "mem.h"
#include "record.h"
#include "record_time.h"
#include "timeutil.h"

#define US_PER_HOUR ((int64_t)3600 * 1000000)

static const struct irc_clock_rule builtin_rules[] = {
	{ "gdpr", 72, 0, "GDPR breach notification to the supervisory authority" },
	{ "ndpr", 72, 0, "NDPA breach notification to the NDPC" },
	{ "nis2-early-warning", 24, 0, "NIS2 early warning" },
	{ "nis2-notification", 72, 0, "NIS2 incident notification" },
	{ "nis2-final-report", 0, 1, "NIS2 final report" },
	{ "pci-dss", 24, 0, "PCI DSS notice to the acquirer and payment brands" },
	{ NULL, 0, 0, NULL },
};

const struct irc_clock_rule *
irc_clock_builtin_rules(void)
{
	return builtin_rules;
}

bool
irc_clock_rule_find(const struct irc_config *cfg, const char *name,
    struct irc_clock_rule *out)
{
	const struct irc_config_clock *custom = irc_config_clock_find(cfg, name);

	if (name == NULL)
		return false;
	for (const struct irc_clock_rule *r = builtin_rules; r->name; r++) {
		if (strcmp(r->name, name) != 0)
			continue;
		/* The config may widen applies_to, never the legal deadline. */
		*out = *r;
		return true;
	}
	if (custom == NULL || custom->hours == 0)
		return false;
	out->name = custom->name;
	out->hours = custom->hours;
	out->months = 0;
	out->label = custom->name;
	return true;
}

static int
days_in_month(int year, int mon)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return mon == 1 && leap ? 29 : days[mon];
}

int64_t
irc_clock_deadline(int64_t start_us, int hours, int months)
{
	time_t sec = (time_t)(start_us / 1000000), end;
	int64_t frac = start_us % 1000000;
	struct tm tm;
	int year, mon;

	if (months <= 0 || localtime_r(&sec, &tm) == NULL)
		return start_us + (int64_t)hours * US_PER_HOUR;
	mon = tm.tm_mon + months;
	year = tm.tm_year + 1900 + mon / 12;
	mon %= 12;
	tm.tm_year = year - 1900;
	tm.tm_mon = mon;
	if (tm.tm_mday > days_in_month(year, mon))
		tm.tm_mday = days_in_month(year, mon);
	/* The same wall-clock time: let mktime pick the zone's offset then. */
	tm.tm_isdst = -1;
	end = mktime(&tm);
	return (int64_t)end * 1000000 + frac;
}

static json_t *
json_utc(int64_t t)
{
	char buf[40];

	return json_string(irc_time_utc(t, buf, sizeof buf));
}

enum irc_status
irc_clock_start_tx(struct irc_db *db, int64_t case_id,
    const struct irc_clock_rule *rule, int64_t aware_us,
    const struct irc_actor *actor, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	int64_t deadline = irc_clock_deadline(aware_us, rule->hours,
	    rule->months);
	json_t *body;
	enum irc_status st;

	if ((st = irc_record_prepare(db, "INSERT INTO clock (case_id, rule,"
	    " hours, months, deadline, started_by, started_at)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?)", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_text(stmt, 2, rule->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, rule->hours);
	sqlite3_bind_int(stmt, 4, rule->months);
	sqlite3_bind_int64(stmt, 5, deadline);
	sqlite3_bind_text(stmt, 6, actor->login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 7, irc_now_us());
	if ((st = irc_lc_run(db, stmt, "cannot start the clock", err)) != IRC_OK)
		return st;
	body = json_pack("{s:s, s:i, s:i, s:o, s:o}", "rule", rule->name,
	    "hours", rule->hours, "months", rule->months,
	    "from", json_utc(aware_us), "deadline", json_utc(deadline));
	st = irc_action_append(db, case_id, 0, actor, "clock.start", body, NULL,
	    err);
	json_decref(body);
	return st;
}

/* Writes the rule names that can be started into buf, for messages. */
static void
rule_names(const struct irc_config *cfg, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const struct irc_clock_rule *r = builtin_rules; r->name; r++)
		used += (size_t)snprintf(buf + used, used < size ? size - used : 0,
		    "%s%s", used ? ", " : "", r->name);
	for (size_t i = 0; cfg != NULL && i < cfg->nclocks; i++) {
		struct irc_clock_rule b;

		if (cfg->clocks[i].hours == 0 ||
		    irc_clock_rule_find(NULL, cfg->clocks[i].name, &b))
			continue;
		used += (size_t)snprintf(buf + used, used < size ? size - used : 0,
		    ", %s", cfg->clocks[i].name);
	}
}

enum irc_status
irc_clock_start(struct irc_db *db, int64_t case_id, const char *name,
    const struct irc_config *cfg, const struct irc_actor *actor,
    struct irc_error *err)
{
	struct irc_clock_rule rule;
	sqlite3_stmt *stmt;
	int64_t aware = 0;
	char names[400];
	enum irc_status st;

	if (!irc_clock_rule_find(cfg, name, &rule)) {
		rule_names(cfg, names, sizeof names);
		return irc_fail(err, IRC_ERR_NOT_FOUND, "unknown clock rule '%s'; "
		    "use one of %s", name != NULL ? name : "", names);
	}
	if ((st = irc_lc_begin(db, case_id, err)) != IRC_OK)
		return st;
	if ((st = irc_lc_case_aware(db, case_id, &aware, err)) != IRC_OK)
		goto out;
	if (aware == 0) {
		st = irc_fail(err, IRC_ERR_INVALID, "case %" PRId64 " has no "
		    "awareness time; record it with 'ircase decide %" PRId64
		    " ... --aware-at TIME'", case_id, case_id);
		goto out;
	}
	if ((st = irc_record_prepare(db, "SELECT 1 FROM clock WHERE case_id = ?"
	    " AND rule = ?", &stmt, err)) != IRC_OK)
		goto out;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_text(stmt, 2, rule.name, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		st = irc_fail(err, IRC_ERR_INVALID, "clock %s already runs on "
		    "case %" PRId64 "; see 'ircase clocks'", rule.name, case_id);
	sqlite3_finalize(stmt);
	if (st == IRC_OK)
		st = irc_clock_start_tx(db, case_id, &rule, aware, actor, err);
out:
	return irc_lc_finish(db, st, NULL, err);
}

enum irc_status
irc_clock_restart_tx(struct irc_db *db, int64_t case_id, int64_t aware_us,
    struct irc_error *err)
{
	sqlite3_stmt *sel, *upd = NULL;
	enum irc_status st;
	int rc;

	if ((st = irc_record_prepare(db, "SELECT id, hours, months FROM clock"
	    " WHERE case_id = ?", &sel, err)) != IRC_OK)
		return st;
	if ((st = irc_record_prepare(db, "UPDATE clock SET deadline = ? WHERE"
	    " id = ?", &upd, err)) != IRC_OK)
		goto out;
	sqlite3_bind_int64(sel, 1, case_id);
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		sqlite3_reset(upd);
		sqlite3_bind_int64(upd, 1, irc_clock_deadline(aware_us,
		    sqlite3_column_int(sel, 1), sqlite3_column_int(sel, 2)));
		sqlite3_bind_int64(upd, 2, sqlite3_column_int64(sel, 0));
		if (sqlite3_step(upd) != SQLITE_DONE) {
			st = irc_db_fail(db, err, "cannot move a clock");
			goto out;
		}
	}
	if (rc != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot read the clocks");
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return st;
}

/*
 * Fails with IRC_ERR_NOT_FOUND for a clock that case_id does not have,
 * naming the clocks it has, or else the rules that can start one, so the
 * hint is always a real rule name.
 */
static enum irc_status
clock_missing(struct irc_db *db, int64_t case_id, const char *name,
    struct irc_error *err)
{
	sqlite3_stmt *stmt;
	char names[256] = "";
	size_t used = 0;
	bool builtin = false;

	if (irc_record_prepare(db, "SELECT rule FROM clock WHERE case_id = ?"
	    " ORDER BY rule", &stmt, NULL) == IRC_OK) {
		sqlite3_bind_int64(stmt, 1, case_id);
		while (sqlite3_step(stmt) == SQLITE_ROW && used < sizeof names)
			used += (size_t)snprintf(names + used, sizeof names - used,
			    "%s%s", used == 0 ? "" : ", ",
			    (const char *)sqlite3_column_text(stmt, 0));
		sqlite3_finalize(stmt);
	}
	if (used > 0)
		return irc_fail(err, IRC_ERR_NOT_FOUND, "case %" PRId64 " has no "
		    "clock '%s'; its clocks are %s", case_id, name, names);
	for (const struct irc_clock_rule *r = builtin_rules; r->name != NULL;
	    r++) {
		builtin = builtin || strcmp(r->name, name) == 0;
		if (used < sizeof names)
			used += (size_t)snprintf(names + used,
			    sizeof names - used, "%s%s", used == 0 ? "" : ", ",
			    r->name);
	}
	if (builtin)
		return irc_fail(err, IRC_ERR_NOT_FOUND, "case %" PRId64 " has no "
		    "clock '%s'; start it with 'ircase clock %" PRId64 " start "
		    "%s'", case_id, name, case_id, name);
	return irc_fail(err, IRC_ERR_NOT_FOUND, "case %" PRId64 " has no clock "
	    "'%s'; start one with 'ircase clock %" PRId64 " start RULE', RULE "
	    "being %s or a rule of config.yaml", case_id, name, case_id, names);
}

enum irc_status
irc_clock_notify(struct irc_db *db, int64_t case_id, const char *name,
    const char *to, const char *ref, struct irc_when when,
    const struct irc_actor *actor, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	json_t *body = NULL;
	int64_t deadline = 0;
	enum irc_status st;
	int rc;

	if ((st = irc_record_check_text("recipient", to, IRC_LIFECYCLE_NAME_MAX,
	    err)) != IRC_OK || (st = irc_record_check_optional("reference", ref,
	    IRC_LIFECYCLE_NAME_MAX, err)) != IRC_OK)
		return st;
	irc_lc_when_resolve(&when);
	if ((st = irc_record_time_past("the notification time", when.us,
	    irc_now_us(), err)) != IRC_OK)
		return st;
	if ((st = irc_lc_begin(db, case_id, err)) != IRC_OK)
		return st;
	if ((st = irc_record_prepare(db, "SELECT deadline, notified_at FROM"
	    " clock WHERE case_id = ? AND rule = ?", &stmt, err)) != IRC_OK)
		goto out;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE)
		st = clock_missing(db, case_id, name, err);
	else if (rc != SQLITE_ROW)
		st = irc_db_fail(db, err, "cannot read the clock");
	else if (sqlite3_column_type(stmt, 1) != SQLITE_NULL)
		st = irc_fail(err, IRC_ERR_CONFLICT, "clock %s of case %" PRId64
		    " was already stopped by a notification", name, case_id);
	else
		deadline = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (st != IRC_OK)
		goto out;

	if ((st = irc_record_prepare(db, "UPDATE clock SET notified_to = ?,"
	    " notified_ref = ?, notified_at = ?, notified_offset = ?"
	    " WHERE case_id = ? AND rule = ?", &stmt, err)) != IRC_OK)
		goto out;
	sqlite3_bind_text(stmt, 1, to, -1, SQLITE_STATIC);
	irc_lc_bind_text(stmt, 2, ref != NULL && *ref != '\0' ? ref : NULL);
	sqlite3_bind_int64(stmt, 3, when.us);
	sqlite3_bind_int(stmt, 4, when.offset);
	sqlite3_bind_int64(stmt, 5, case_id);
	sqlite3_bind_text(stmt, 6, name, -1, SQLITE_STATIC);
	if ((st = irc_lc_run(db, stmt, "cannot stop the clock", err)) != IRC_OK)
		goto out;
	body = json_pack("{s:s, s:s, s:o, s:o, s:b}", "rule", name, "to", to,
	    "at", irc_lc_when_json(when), "deadline", json_utc(deadline),
	    "late", when.us > deadline);
	if (ref != NULL && *ref != '\0')
		json_object_set_new(body, "ref", json_string(ref));
	st = irc_action_append(db, case_id, 0, actor, "clock.notify", body,
	    NULL, err);
out:
	return irc_lc_finish(db, st, body, err);
}

static void
clock_fill(sqlite3_stmt *stmt, void *row)
{
	struct irc_clock *c = row;

	c->case_id = sqlite3_column_int64(stmt, 0);
	c->case_title = irc_record_column(stmt, 1, true);
	c->rule = irc_record_column(stmt, 2, true);
	c->hours = sqlite3_column_int(stmt, 3);
	c->months = sqlite3_column_int(stmt, 4);
	c->start = sqlite3_column_int64(stmt, 5);
	c->deadline = sqlite3_column_int64(stmt, 6);
	c->notified_at = sqlite3_column_int64(stmt, 7);
	c->notified_offset = sqlite3_column_int(stmt, 8);
	c->notified_to = irc_record_column(stmt, 9, true);
	c->notified_ref = irc_record_column(stmt, 10, true);
}

static void
clocks_free_rows(void *rows, size_t count)
{
	irc_clocks_free(rows, count);
}

enum irc_status
irc_clock_list(struct irc_db *db, int64_t case_id, bool running_only,
    struct irc_clock **out, size_t *count, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	void *rows;

	*out = NULL;
	*count = 0;
	if ((st = irc_record_prepare(db, "SELECT k.case_id, c.title, k.rule,"
	    " k.hours, k.months, coalesce(c.aware_at, 0), k.deadline,"
	    " coalesce(k.notified_at, 0), coalesce(k.notified_offset, 0),"
	    " k.notified_to, k.notified_ref FROM clock k"
	    " JOIN \"case\" c ON c.id = k.case_id"
	    " WHERE (?1 = 0 OR k.case_id = ?1)"
	    " AND (?2 = 0 OR k.notified_at IS NULL)"
	    " ORDER BY k.deadline, k.case_id, k.rule", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_int(stmt, 2, running_only);
	st = irc_record_rows(db, stmt, sizeof **out, clock_fill,
	    clocks_free_rows, "clocks", &rows, count, err);
	*out = rows;
	return st;
}

void
irc_clock_clear(struct irc_clock *c)
{
	free(c->case_title);
	free(c->rule);
	free(c->notified_to);
	free(c->notified_ref);
	memset(c, 0, sizeof *c);
}

void
irc_clocks_free(struct irc_clock *list, size_t count)
{
	for (size_t i = 0; list != NULL && i < count; i++)
		irc_clock_clear(&list[i]);
	free(list);
}

enum irc_status
irc_clock_nearest(struct irc_db *db, int64_t case_id, struct irc_clock *out,
    bool *found, struct irc_error *err)
{
	struct irc_clock *list = NULL;
	size_t n = 0;
	enum irc_status st;

	*found = false;
	memset(out, 0, sizeof *out);
	if ((st = irc_clock_list(db, case_id, true, &list, &n, err)) != IRC_OK)
		return st;
	if (n > 0) {
		*out = list[0];
		memset(&list[0], 0, sizeof list[0]);
		*found = true;
	}
	irc_clocks_free(list, n);
	return IRC_OK;
}

double
irc_clock_elapsed_fraction(const struct irc_clock *c, int64_t now)
{
	if (c->deadline <= c->start)
		return now >= c->deadline ? 1.0 : 0.0;
	return (double)(now - c->start) / (double)(c->deadline - c->start);
}

json_t *
irc_clock_to_json(const struct irc_clock *c, int64_t now)
{
	json_t *o = json_object();
	bool running = c->notified_at == 0;
	char buf[48];

	json_object_set_new(o, "case", json_integer(c->case_id));
	json_object_set_new(o, "rule", json_string(c->rule));
	json_object_set_new(o, "hours", json_integer(c->hours));
	json_object_set_new(o, "months", json_integer(c->months));
	json_object_set_new(o, "from", json_utc(c->start));
	json_object_set_new(o, "deadline", json_utc(c->deadline));
	json_object_set_new(o, "state", json_string(running ? "running" :
	    "notified"));
	json_object_set_new(o, "time_left_us", running ?
	    json_integer(c->deadline - now) : json_null());
	json_object_set_new(o, "overdue", json_boolean(running ?
	    now > c->deadline : c->notified_at > c->deadline));
	json_object_set_new(o, "notified_at", running ? json_null() :
	    json_string(irc_time_with_offset(c->notified_at, c->notified_offset,
	    buf, sizeof buf)));
	json_object_set_new(o, "notified_to", c->notified_to != NULL ?
	    json_string(c->notified_to) : json_null());
	json_object_set_new(o, "ref", c->notified_ref != NULL ?
	    json_string(c->notified_ref) : json_null());
	return o;
}
