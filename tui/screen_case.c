/*
 * screen_case.c: one case.  The steps of the six phases on the left, the
 * selected step's Markdown text on the right, the action timeline below
 * and the case clock in the status bar.
 *
 * Nothing is shown as changed until it is committed: a key that changes
 * the case calls core/, then reloads the case and its steps from the
 * database and draws that.  The timeline reads only the actions it shows,
 * a page at a time.  The chain is verified in full when the case opens;
 * a reload verifies only the actions appended since, and each page of
 * the timeline is checked as it is read.  A failed write leaves the screen as it was, shows the
 * message and, for a note, keeps the text typed so far.
 *
 * A note being typed is also kept as a draft file (core/draft.h): saved
 * on idle ticks after each change, on SIGHUP, SIGTERM or a lost terminal,
 * and when the note cannot be written (a full disk).  Opening the case
 * again brings it back into the editor.  While the case is open the
 * screen keeps a presence row (core/presence.h) and shows who else has
 * it open on the timeline heading.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bgsync.h"
#include "case.h"
#include "case_playbook.h"
#include "case_view.h"
#include "drill.h"
#include "draft.h"
#include "export.h"
#include "input.h"
#include "keys.h"
#include "markdown.h"
#include "mem.h"
#include "presence.h"
#include "prompt.h"
#include "refs.h"
#include "sanitize.h"
#include "screen.h"
#include "text.h"
#include "timeutil.h"

enum case_focus {
	FOCUS_STEPS,
	FOCUS_BODY,
	FOCUS_TIMELINE,
	FOCUS_COUNT
};

/* One row of the steps pane: a phase heading or a step. */
struct case_row {
	enum irc_phase phase;
	long step;		/* index into case steps, -1 for a heading */
};

struct case_screen {
	int64_t id;
	struct irc_case *c;
	struct case_row *rows;
	size_t nrows;
	size_t sel;		/* index into c->steps of the selected step */
	int heading;		/* 1 + the phase whose heading row is selected, 0 for a step */
	size_t rows_top;	/* first steps pane row shown */
	struct tui_doc body;	/* the selected step, rendered */
	bool body_valid;
	int body_cols;
	size_t body_top;
	size_t link;		/* selected "#anchor" link in body, 0 for none */
	struct irc_playbook *pb;	/* parsed from the snapshot on first use */
	char pb_error[IRC_ERROR_MAX];	/* why pb could not be parsed, or "" */
	char *jump;		/* an anchor the reference screen handed back */
	size_t nactions;	/* the case row's action count, or c->nactions */
	struct irc_action *page;	/* timeline rows read from the database */
	size_t npage;
	size_t page_first;	/* timeline index of page[0] */
	int64_t verified_seq;	/* the chain verified up to this action */
	char verified_head[IRC_HASH_HEX];	/* and that action's hash */
	char *inject;		/* text of the drill's last inject, or NULL */
	size_t tl_sel;		/* timeline index (seq - 1) of the selected action */
	size_t tl_top;		/* first timeline row shown */
	bool tl_end;		/* the selection follows the newest action */
	bool chain_ok;		/* the chain verified on the last load */
	char chain_reason[256];	/* why it did not, when !chain_ok */
	struct irc_drill *drill;	/* the case's drill, or NULL */
	char *banner;		/* row under the title (drill, replay), or NULL */
	bool borrowed;		/* c belongs to a replay, not to this screen */
	enum case_focus focus;
	bool noting;
	struct tui_input note;
	bool draft_dirty;	/* the note changed since the draft was saved */
	int64_t presence_id;	/* our presence row, 0 when none */
	int64_t presence_beat;	/* when it was last refreshed, microseconds */
	struct irc_presence *others;	/* who else has the case open */
	size_t nothers;
	char message[IRC_ERROR_MAX];
	bool error;
};

/* The pane rectangles for the current terminal size. */
struct case_layout {
	int top_y;		/* first row of the steps and body panes */
	int top_h;		/* rows of the steps and body panes */
	int left_w;		/* columns of the steps pane */
	int body_x, body_w;
	int tl_y, tl_h;		/* timeline heading row and rows below it */
};

/* The steps pane takes this share of the width, but at least MIN columns. */
#define CASE_STEPS_PERCENT 45
#define CASE_STEPS_MIN 24

static void case_layout(const struct case_screen *cs, struct case_layout *l)
{
	int banner = (cs->chain_ok ? 0 : 1) + (cs->banner != NULL ? 1 : 0);
	int avail = LINES - 2 - banner;

	l->tl_h = avail / 3 - 1;
	if (l->tl_h < 3)
		l->tl_h = 3;
	l->top_y = 1 + banner;
	l->top_h = avail - l->tl_h - 1;
	l->left_w = COLS * CASE_STEPS_PERCENT / 100;
	if (l->left_w < CASE_STEPS_MIN)
		l->left_w = CASE_STEPS_MIN;
	l->body_x = l->left_w + 1;
	l->body_w = COLS - l->body_x - 1;
	l->tl_y = l->top_y + l->top_h;
}

static void case_message(struct case_screen *cs, bool error, const char *text)
{
	snprintf(cs->message, sizeof(cs->message), "%s", text);
	cs->error = error;
}

static const char *case_state_mark(enum irc_step_state state)
{
	switch (state) {
	case IRC_STEP_PENDING:
		return "[ ]";
	case IRC_STEP_ACTIVE:
		return "[>]";
	case IRC_STEP_DONE:
		return "[x]";
	case IRC_STEP_SKIPPED:
		return "[-]";
	case IRC_STEP_NA:
		return "[/]";
	default:
		return "[?]";
	}
}

/* Builds the steps pane rows: each phase heading, then its steps. */
static void case_rows_build(struct case_screen *cs)
{
	struct irc_case *c = cs->c;
	size_t n = 0;

	free(cs->rows);
	cs->rows = irc_xcalloc(c->nsteps + IRC_PHASE_COUNT, sizeof(*cs->rows));
	for (int p = 0; p < IRC_PHASE_COUNT; p++) {
		cs->rows[n].phase = (enum irc_phase)p;
		cs->rows[n++].step = -1;
		for (size_t i = 0; i < c->nsteps; i++) {
			if (c->steps[i].phase != (enum irc_phase)p)
				continue;
			cs->rows[n].phase = (enum irc_phase)p;
			cs->rows[n++].step = (long)i;
		}
	}
	cs->nrows = n;
}

static void case_chain_broken(struct case_screen *cs, const char *reason)
{
	cs->chain_ok = false;
	cs->verified_seq = 0;
	snprintf(cs->chain_reason, sizeof(cs->chain_reason), "%s", reason);
}

/*
 * Checks the case's hash chain so that the view can warn about a case
 * that was changed outside ircase: all of it when full, else only the
 * actions appended since the last check.  When those do not continue
 * the verified head, the whole chain is checked for the reason.  A
 * broken chain stays broken until the case is opened again, and a check
 * that cannot run is not shown as a broken chain.
 */
static void case_chain_check(struct tui *t, struct case_screen *cs, bool full)
{
	struct irc_verify_result v;
	struct irc_error err;

	if (!cs->chain_ok)
		return;
	if (!full && cs->verified_seq > 0 &&
	    irc_chain_verify_after(t->db, cs->id, cs->verified_seq,
	    cs->verified_head, &v, &err) == IRC_OK && v.ok) {
		cs->verified_seq = v.count;
		snprintf(cs->verified_head, sizeof(cs->verified_head), "%s",
		    v.head);
		return;
	}
	if (irc_chain_verify(t->db, cs->id, &v, &err) != IRC_OK)
		return;
	if (!v.ok) {
		case_chain_broken(cs, v.reason);
		return;
	}
	cs->verified_seq = v.count;
	snprintf(cs->verified_head, sizeof(cs->verified_head), "%s", v.head);
}

static void case_page_drop(struct case_screen *cs)
{
	irc_actions_free(cs->page, cs->npage);
	cs->page = NULL;
	cs->npage = 0;
}

/* Returns the number of actions on the timeline. */
static size_t case_action_count(const struct case_screen *cs)
{
	return cs->borrowed ? cs->c->nactions : cs->nactions;
}

/*
 * Reads the timeline rows first .. first + rows - 1 from the database
 * unless the page read last holds them, with a page of margin each way
 * so that moving the selection reads again only every so many keys.
 * Each page is checked as it is read: every action's hash, and that each
 * continues the one before.  Returns false when that check found the
 * chain broken.
 */
static bool case_page_fetch(struct tui *t, struct case_screen *cs,
    size_t first, size_t rows)
{
	struct irc_chain_walk walk;
	struct irc_error err;
	size_t from, max;

	if (cs->borrowed)
		return true;
	if (cs->page != NULL && first >= cs->page_first &&
	    (first + rows <= cs->page_first + cs->npage ||
	    cs->page_first + cs->npage >= cs->nactions))
		return true;
	case_page_drop(cs);
	from = first > rows ? first - rows : 0;
	max = rows * 3 < 32 ? 32 : rows * 3;
	if (irc_actions_range(t->db, cs->id, (int64_t)from + 1, max, &cs->page,
	    &cs->npage, &err) != IRC_OK) {
		case_message(cs, true, err.msg);
		return true;
	}
	cs->page_first = from;
	if (cs->npage == 0 || !cs->chain_ok)
		return true;
	irc_chain_walk_resume(&walk, cs->c->sum.uuid, cs->page[0].seq - 1,
	    cs->page[0].prev_hash);
	for (size_t i = 0; i < cs->npage; i++)
		irc_chain_walk_add(&walk, &cs->page[i]);
	if (walk.result.ok)
		return true;
	case_chain_broken(cs, walk.result.reason);
	return false;
}

/* Returns timeline entry i (seq i + 1), or NULL when it was not read. */
static const struct irc_action *case_action_at(const struct case_screen *cs,
    size_t i)
{
	if (cs->borrowed)
		return i < cs->c->nactions ? &cs->c->actions[i] : NULL;
	if (i >= cs->page_first && i - cs->page_first < cs->npage &&
	    cs->page[i - cs->page_first].seq == (int64_t)i + 1)
		return &cs->page[i - cs->page_first];
	for (size_t k = 0; k < cs->npage; k++)
		if (cs->page[k].seq == (int64_t)i + 1)
			return &cs->page[k];
	return NULL;
}

/* Loads the drill of a drill case, so the view can show its clock. */
static void case_drill_load(struct tui *t, struct case_screen *cs)
{
	struct irc_error err;
	struct irc_action last;
	json_t *body;
	const char *text;

	irc_drill_free(cs->drill);
	cs->drill = NULL;
	free(cs->inject);
	cs->inject = NULL;
	if (strcmp(cs->c->sum.kind, "drill") != 0)
		return;
	if (irc_drill_load(t->db, cs->id, &cs->drill, &err) != IRC_OK)
		cs->drill = NULL;
	if (irc_action_last_of_kind(t->db, cs->id, "drill.inject", &last,
	    &err) != IRC_OK)
		return;
	body = json_loads(last.body, 0, NULL);
	text = json_string_value(json_object_get(body, "text"));
	cs->inject = text != NULL ? irc_xstrdup(text) : NULL;
	json_decref(body);
	irc_action_clear(&last);
}

/*
 * Sets the banner of a drill case: "DRILL", the drill clock and speed,
 * the injects delivered out of all and the text of the last one.
 */
static void case_drill_banner(struct case_screen *cs)
{
	char when[32];
	const char *last = cs->inject;
	size_t total;

	if (cs->borrowed || strcmp(cs->c->sum.kind, "drill") != 0)
		return;
	free(cs->banner);
	if (cs->drill == NULL) {
		cs->banner = irc_xstrdup("DRILL");
		return;
	}
	irc_scenario_offset_format(irc_drill_time(cs->drill, cs->c->closed_at ?
	    cs->c->closed_at : irc_now_us()), false, when, sizeof(when));
	total = cs->drill->scenario != NULL ? cs->drill->scenario->ninjects : 0;
	cs->banner = irc_xasprintf("DRILL %s%s at x%d  injects %zu/%zu%s%s",
	    cs->c->closed_at ? "ended " : "", when, cs->drill->speed,
	    cs->drill->delivered, total, last ? "  last: " : "",
	    last ? last : "");
}

/*
 * Loads the case and its steps again from the database and keeps the
 * selected step by its number; the timeline reads its page again when
 * drawn.  On failure the old copy stays on screen with the message.
 */
static bool case_load(struct tui *t, struct case_screen *cs)
{
	struct irc_error err;
	struct irc_case *fresh;
	int seq = cs->c && cs->c->nsteps ? cs->c->steps[cs->sel].seq : 0;
	bool opening = cs->c == NULL;

	if (irc_case_load_meta(t->db, cs->id, &fresh, &err) != IRC_OK) {
		case_message(cs, true, err.msg);
		snprintf(t->notice, sizeof(t->notice), "%s", err.msg);
		return false;
	}
	irc_case_free(cs->c);
	cs->c = fresh;
	cs->nactions = (size_t)fresh->action_count;
	case_page_drop(cs);
	case_chain_check(t, cs, opening);
	case_drill_load(t, cs);
	cs->sel = 0;
	for (size_t i = 0; i < fresh->nsteps; i++)
		if (fresh->steps[i].seq == seq)
			cs->sel = i;
	case_rows_build(cs);
	cs->body_valid = false;
	return true;
}

/*
 * Delivers the injects of a drill that fell due, then shows them: the
 * timeline gets their actions and the status line the newest message.
 */
static void case_drill_tick(struct tui *t, struct case_screen *cs)
{
	struct irc_error err;
	size_t n = 0;

	if (cs->drill == NULL || cs->drill->closed ||
	    cs->drill->scenario == NULL ||
	    cs->drill->delivered >= cs->drill->scenario->ninjects)
		return;
	if (irc_drill_tick(t->db, cs->id, &t->actor, &n, &err) != IRC_OK) {
		case_message(cs, true, err.msg);
		return;
	}
	if (n == 0)
		return;
	cs->tl_end = true;
	if (case_load(t, cs) && !cs->noting)
		case_message(cs, false, n == 1 ? "Drill inject received: see "
		    "the banner and the timeline." : "Drill injects received: "
		    "see the banner and the timeline.");
}

/* Opens the note editor on a draft left for this case, if there is one. */
static void case_draft_restore(struct case_screen *cs)
{
	struct irc_draft draft;
	struct irc_error err;
	size_t i;

	if (irc_draft_load(cs->c->sum.uuid, &draft, &err) != IRC_OK)
		return;
	for (i = 0; i < cs->c->nsteps; i++)
		if (cs->c->steps[i].seq == draft.step)
			cs->sel = i;
	tui_input_set(&cs->note, draft.text);
	free(draft.text);
	cs->noting = true;
	case_message(cs, false, "Draft note restored: Enter saves it, Esc "
	    "discards it.");
}

/* Writes the note being typed to its draft file; false on failure. */
static bool case_draft_save(struct case_screen *cs, struct irc_error *err)
{
	struct irc_draft draft;
	struct irc_step *st = cs->c->nsteps > 0 ? &cs->c->steps[cs->sel] : NULL;
	enum irc_status rc;

	memset(&draft, 0, sizeof(draft));
	snprintf(draft.uuid, sizeof(draft.uuid), "%s", cs->c->sum.uuid);
	draft.step = st ? st->seq : 0;
	draft.text = tui_input_text(&cs->note);
	rc = irc_draft_save(&draft, err);
	free(draft.text);
	if (rc == IRC_OK)
		cs->draft_dirty = false;
	return rc == IRC_OK;
}

static void case_draft_drop(struct case_screen *cs)
{
	cs->draft_dirty = false;
	irc_draft_remove(cs->c->sum.uuid);
}

/* Refreshes the list of others who have the case open. */
static void case_presence_read(struct tui *t, struct case_screen *cs)
{
	struct irc_presence *list;
	size_t n, kept = 0;
	struct irc_error err;

	if (irc_presence_list(t->db, cs->id, &list, &n, &err) != IRC_OK)
		return;
	for (size_t i = 0; i < n; i++)
		if (list[i].id != cs->presence_id)
			list[kept++] = list[i];
	free(cs->others);
	cs->others = list;
	cs->nothers = kept;
}

static void case_presence_enter(struct tui *t, struct case_screen *cs)
{
	struct irc_error err;

	/* Presence is a courtesy: a database that cannot take it still works. */
	if (irc_presence_enter(t->db, cs->id, &t->actor, &cs->presence_id,
	    &err) == IRC_OK)
		cs->presence_beat = irc_now_us();
	case_presence_read(t, cs);
}

static void case_tick(struct tui *t, struct screen *s)
{
	struct case_screen *cs = s->data;
	struct irc_error err;
	enum irc_status st;

	if (cs->noting && cs->draft_dirty)
		case_draft_save(cs, &err);
	case_drill_tick(t, cs);
	if (irc_now_us() - cs->presence_beat >=
	    (int64_t)IRC_PRESENCE_BEAT_S * 1000000) {
		st = cs->presence_id > 0 ?
		    irc_presence_beat(t->db, cs->presence_id, &err) :
		    IRC_ERR_NOT_FOUND;
		if (st == IRC_ERR_NOT_FOUND)
			case_presence_enter(t, cs);
		else
			cs->presence_beat = irc_now_us();
	}
	case_presence_read(t, cs);
}

static void case_save_draft_op(struct tui *t, struct screen *s)
{
	struct case_screen *cs = s->data;
	struct irc_error err;

	if (cs->noting && cs->note.len > 0)
		case_draft_save(cs, &err);
}

static bool case_open(struct tui *t, struct screen *s, const void *arg)
{
	struct case_screen *cs = irc_xcalloc(1, sizeof(*cs));

	cs->id = *(const int64_t *)arg;
	cs->chain_ok = true;
	if (!case_load(t, cs)) {
		free(cs);
		return false;
	}
	tui_input_clear(&cs->note);
	cs->tl_end = true;
	s->data = cs;
	case_draft_restore(cs);
	case_presence_enter(t, cs);
	return true;
}

static void case_close(struct tui *t, struct screen *s)
{
	struct case_screen *cs = s->data;

	irc_presence_leave(t->db, cs->presence_id);
	free(cs->others);
	irc_drill_free(cs->drill);
	free(cs->inject);
	case_page_drop(cs);
	free(cs->banner);
	irc_case_free(cs->c);
	free(cs->rows);
	tui_doc_free(&cs->body);
	tui_input_free(&cs->note);
	irc_playbook_free(cs->pb);
	free(cs->jump);
	free(cs);
}

static struct irc_step *case_selected(struct case_screen *cs)
{
	if (cs->heading > 0)
		return NULL;
	return cs->c->nsteps > 0 ? &cs->c->steps[cs->sel] : NULL;
}

/* Adds wrapped plain text to a rendered document as lines of one role. */
static void case_doc_text(struct tui_doc *doc, const char *text, int cols,
    enum tui_role role)
{
	char *clean = irc_sanitize_str(text, 0);
	char **lines;
	size_t n = tui_text_wrap(clean, cols, &lines);

	doc->lines = irc_xrealloc(doc->lines, doc->nlines + n,
	    sizeof(*doc->lines));
	for (size_t i = 0; i < n; i++) {
		struct tui_line *line = &doc->lines[doc->nlines++];

		line->spans = irc_xcalloc(1, sizeof(*line->spans));
		line->nspans = 1;
		line->spans[0].role = role;
		line->spans[0].text = lines[i];
	}
	free(lines);
	free(clean);
}

/* Renders the selected step: title, state, group, then its Markdown. */
static void case_body_build(struct case_screen *cs, int cols)
{
	struct irc_step *st = case_selected(cs);
	struct tui_doc md;
	char *meta;

	tui_doc_free(&cs->body);
	cs->body_valid = true;
	cs->body_cols = cols;
	if (cs->heading > 0) {
		meta = irc_xasprintf("%s (ISO 27001:2013 %s, 27001:2022 %s): "
		    "press Enter to open its records.",
		    irc_phase_name(cs->heading - 1),
		    irc_phase_iso2013(cs->heading - 1),
		    irc_phase_iso2022(cs->heading - 1));
		case_doc_text(&cs->body, meta, cols, TUI_ROLE_DIM);
		free(meta);
		return;
	}
	if (st == NULL) {
		case_doc_text(&cs->body, "This case has no steps.", cols,
		    TUI_ROLE_DIM);
		return;
	}
	meta = irc_xasprintf("Step %d, %s: %s%s%s", st->seq,
	    irc_phase_name(st->phase), irc_step_state_label(st->state),
	    st->grp ? ", under " : "", st->grp ? st->grp : "");
	case_doc_text(&cs->body, st->title, cols, TUI_ROLE_HEADING);
	case_doc_text(&cs->body, meta, cols, TUI_ROLE_DIM);
	free(meta);
	case_doc_text(&cs->body, "", cols, TUI_ROLE_NORMAL);
	if (st->body == NULL || st->body[strspn(st->body, " \t\n")] == '\0') {
		case_doc_text(&cs->body, "(no further text for this step)", cols,
		    TUI_ROLE_DIM);
		return;
	}
	tui_markdown_render(st->body, cols, &md);
	tui_doc_append(&cs->body, &md);
	if (cs->link > cs->body.nlinks)
		cs->link = 0;
}

/* Returns true when row is the selected heading or step. */
static bool case_row_selected(const struct case_screen *cs,
    const struct case_row *row)
{
	if (row->step < 0)
		return cs->heading == (int)row->phase + 1;
	return cs->heading == 0 && (size_t)row->step == cs->sel;
}

static void case_draw_steps(struct case_screen *cs, const struct case_layout *l)
{
	size_t sel_row = 0;
	int done[IRC_PHASE_COUNT] = { 0 }, total[IRC_PHASE_COUNT] = { 0 };
	char text[64];

	for (size_t i = 0; i < cs->c->nsteps; i++) {
		total[cs->c->steps[i].phase]++;
		if (irc_step_state_closed(cs->c->steps[i].state))
			done[cs->c->steps[i].phase]++;
	}
	for (size_t r = 0; r < cs->nrows; r++)
		if (case_row_selected(cs, &cs->rows[r]))
			sel_row = r;
	/* Keep the selected step in view, with its phase heading when it fits. */
	if (sel_row < cs->rows_top + 1)
		cs->rows_top = sel_row > 0 ? sel_row - 1 : 0;
	if (sel_row >= cs->rows_top + (size_t)l->top_h)
		cs->rows_top = sel_row - (size_t)l->top_h + 1;

	for (int y = 0; y < l->top_h && cs->rows_top + (size_t)y < cs->nrows; y++) {
		const struct case_row *row = &cs->rows[cs->rows_top + y];
		const struct irc_step *st;
		enum tui_role role;
		char *line;

		if (row->step < 0) {
			snprintf(text, sizeof(text), "%s %d/%d",
			    irc_phase_name(row->phase), done[row->phase],
			    total[row->phase]);
			role = !case_row_selected(cs, row) ? TUI_ROLE_HEADING :
			    cs->focus == FOCUS_STEPS ? TUI_ROLE_SELECTED :
			    TUI_ROLE_SELECTED_DIM;
			tui_draw_pad(l->top_y + y, 0, text, l->left_w,
			    tui_attr(role));
			continue;
		}
		st = &cs->c->steps[row->step];
		role = st->state == IRC_STEP_ACTIVE ? TUI_ROLE_ACTIVE :
		    irc_step_state_closed(st->state) ? TUI_ROLE_DONE :
		    TUI_ROLE_NORMAL;
		if (case_row_selected(cs, row))
			role = cs->focus == FOCUS_STEPS ? TUI_ROLE_SELECTED :
			    TUI_ROLE_SELECTED_DIM;
		line = irc_xasprintf("%3d %s %s", st->seq,
		    case_state_mark(st->state), st->title);
		tui_draw_pad(l->top_y + y, 0, line, l->left_w, tui_attr(role));
		free(line);
	}
}

static void case_draw_body(struct case_screen *cs, const struct case_layout *l)
{
	size_t max_top;

	if (!cs->body_valid || cs->body_cols != l->body_w)
		case_body_build(cs, l->body_w);
	max_top = cs->body.nlines > (size_t)l->top_h ?
	    cs->body.nlines - (size_t)l->top_h : 0;
	if (cs->body_top > max_top)
		cs->body_top = max_top;
	for (int y = 0; y < l->top_h && cs->body_top + (size_t)y < cs->body.nlines; y++)
		tui_line_draw_link(&cs->body.lines[cs->body_top + y],
		    l->top_y + y, l->body_x + 1, l->body_w,
		    cs->focus == FOCUS_BODY ? cs->link : 0);
	if (cs->focus == FOCUS_BODY && max_top > 0) {
		char where[32];

		snprintf(where, sizeof(where), "%zu%%",
		    (cs->body_top * 100) / max_top);
		tui_draw(l->top_y + l->top_h - 1, COLS - 5, where, 4,
		    tui_attr(TUI_ROLE_DIM));
	}
}

/* Keeps the selected action in the timeline's rows. */
static void case_timeline_scroll(struct case_screen *cs, int rows)
{
	size_t n = case_action_count(cs);

	if (n == 0) {
		cs->tl_sel = cs->tl_top = 0;
		return;
	}
	if (cs->tl_end || cs->tl_sel >= n)
		cs->tl_sel = n - 1;
	if (cs->tl_sel < cs->tl_top)
		cs->tl_top = cs->tl_sel;
	if (cs->tl_sel >= cs->tl_top + (size_t)rows)
		cs->tl_top = cs->tl_sel - (size_t)rows + 1;
	if (cs->tl_top + (size_t)rows > n)
		cs->tl_top = n > (size_t)rows ? n - (size_t)rows : 0;
}

/*
 * Returns one timeline line: local time, login@origin, kind and summary.
 * Below 80 columns the time drops its year and zone ("12-04 21:03") and
 * the kind is left out, so that the summary keeps room; Enter on the
 * entry shows both in full.
 */
static char *case_timeline_line(const struct irc_action *a)
{
	char when[64];
	char *summary, *line;
	bool remote = a->origin != NULL && a->origin[0] != '\0';
	bool narrow = COLS < 80;

	irc_time_local(a->time_us, when, sizeof(when));
	if (narrow && strlen(when) >= 16) {
		memmove(when, when + 5, 11);
		when[11] = '\0';
	}
	summary = irc_action_summary(a);
	line = irc_xasprintf("%s %s%s%s %s%s%s", when, a->actor,
	    remote ? "@" : "", remote ? a->origin : "",
	    narrow ? "" : a->kind, narrow ? "" : " ", summary);
	free(summary);
	return line;
}

/*
 * Draws who else has the case open, "Also here: bob@192.0.2.7 since
 * 14:02, ...", right of the timeline heading from column x.
 */
static void case_draw_presence(const struct case_screen *cs, int y, int x)
{
	char when[64], *text, *next;

	if (cs->nothers == 0 || x >= COLS - 12)
		return;
	text = irc_xstrdup("Also here:");
	for (size_t i = 0; i < cs->nothers; i++) {
		const struct irc_presence *p = &cs->others[i];

		irc_time_local(p->since_us, when, sizeof(when));
		/* "YYYY-MM-DD HH:MM:SS +ZZZZ": keep HH:MM. */
		if (strlen(when) >= 16)
			memmove(when, when + 11, 5);
		when[5] = '\0';
		next = irc_xasprintf("%s%s %s%s%s since %s", text, i ? "," : "",
		    p->login, p->origin[0] ? "@" : "", p->origin, when);
		free(text);
		text = next;
	}
	tui_draw(y, x, text, COLS - x, tui_attr(TUI_ROLE_ACTIVE));
	free(text);
}

static void case_draw_timeline(struct case_screen *cs,
    const struct case_layout *l)
{
	size_t n = case_action_count(cs);
	int rows = l->tl_h - (cs->noting ? 1 : 0);
	const struct irc_action *a;
	char heading[96];
	char *line;

	snprintf(heading, sizeof(heading), "Timeline, %zu action%s", n,
	    n == 1 ? "" : "s");
	tui_draw_pad(l->tl_y, 0, heading, COLS, tui_attr(cs->focus ==
	    FOCUS_TIMELINE ? TUI_ROLE_SELECTED : TUI_ROLE_HEADING));
	case_draw_presence(cs, l->tl_y, tui_text_width(heading) + 2);
	case_timeline_scroll(cs, rows);
	for (int y = 0; y < rows && cs->tl_top + (size_t)y < n; y++) {
		size_t i = cs->tl_top + (size_t)y;

		if ((a = case_action_at(cs, i)) == NULL)
			continue;
		line = case_timeline_line(a);
		tui_draw_pad(l->tl_y + 1 + y, 0, line, COLS, tui_attr(
		    cs->focus == FOCUS_TIMELINE && i == cs->tl_sel ?
		    TUI_ROLE_SELECTED : TUI_ROLE_NORMAL));
		free(line);
	}
}

/* Returns the first hint that fits in cols columns, else the last. */
static const char *case_hint_fit(const char *const *hints, size_t n, int cols)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (tui_text_width(hints[i]) <= cols)
			return hints[i];
	return hints[n - 1];
}

static void case_draw_status(struct tui *t, struct case_screen *cs)
{
	static const char *const step_hints[] = {
		"Space state  x done  n note  Tab panes  ? keys  q back",
		"Space state  x done  n note  ? keys  q back",
		"x done  n note  ? keys  q back",
		"? keys  q back",
	};
	static const char *const timeline_hints[] = {
		"Enter open the action  j/k select  Tab panes  q back",
		"Enter open  j/k select  q back",
		"Enter open  q back",
	};
	static const char *const note_hints[] = {
		"Enter saves the note, Esc or Ctrl-G cancels",
		"Enter save  Esc cancel",
	};
	int done = 0, cols;
	char since[32], right[96 + IRC_ERROR_MAX], sync[IRC_ERROR_MAX];
	int64_t end = cs->c->closed_at ? cs->c->closed_at : irc_now_us();
	enum tui_role clock_role;
	char clock[64];
	const char *left;

	for (size_t i = 0; i < cs->c->nsteps; i++)
		if (irc_step_state_closed(cs->c->steps[i].state))
			done++;
	case_clock_status(t, cs->id, clock, sizeof(clock), &clock_role);
	irc_duration(end - cs->c->sum.opened_at, since, sizeof(since));
	snprintf(right, sizeof(right), "#%lld  %s %s  %d/%zu done",
	    (long long)cs->c->sum.id, cs->c->closed_at ? "closed after" :
	    "open", since, done, cs->c->nsteps);
	/* The TheHive sync state (tui/bgsync.c) after the progress. */
	if (tui_bgsync_status(t->db, cs->id, sync, sizeof(sync)))
		snprintf(right + strlen(right), sizeof(right) - strlen(right),
		    "  %s", sync);
	/* The columns that tui_draw_status() leaves for the left text. */
	cols = COLS - tui_text_width(right) - tui_text_width(clock) - 3;
	if (cs->message[0])
		left = cs->message;
	else if (cs->noting)
		left = case_hint_fit(note_hints, 2, cols);
	else if (cs->focus == FOCUS_TIMELINE)
		left = case_hint_fit(timeline_hints, 3, cols);
	else
		left = case_hint_fit(step_hints, 4, cols);
	/* The note input takes the row above the bar, so no wrap there. */
	tui_draw_status_message(left, right, cs->error, cs->message[0] != '\0' &&
	    !cs->noting);
	/* The nearest notification deadline, left of the case clock. */
	if (clock[0] != '\0')
		tui_draw(LINES - 1, COLS - tui_text_width(right) - 2 -
		    tui_text_width(clock), clock, tui_text_width(clock),
		    tui_attr(clock_role));
}

/* Draws the warning row shown while the case's chain does not verify. */
static void case_draw_banner(struct case_screen *cs)
{
	char *text;

	text = irc_xasprintf("Action log BROKEN, run 'ircase verify %lld': %s",
	    (long long)cs->id, cs->chain_reason);
	tui_draw_pad(1, 0, text, COLS, tui_attr(TUI_ROLE_ERROR));
	free(text);
}

static void case_draw(struct tui *t, struct screen *s)
{
	struct case_screen *cs = s->data;
	struct case_layout l;
	char *title, sev[48];
	struct irc_step *st = case_selected(cs);

	case_layout(cs, &l);
	/* A page that fails its check adds the banner row: lay out again. */
	case_timeline_scroll(cs, l.tl_h - (cs->noting ? 1 : 0));
	if (!case_page_fetch(t, cs, cs->tl_top, (size_t)l.tl_h)) {
		case_layout(cs, &l);
		case_timeline_scroll(cs, l.tl_h - (cs->noting ? 1 : 0));
		case_page_fetch(t, cs, cs->tl_top, (size_t)l.tl_h);
	}
	title = irc_xasprintf("#%lld %s", (long long)cs->c->sum.id,
	    cs->c->sum.title);
	snprintf(sev, sizeof(sev), "%s, %s", irc_severity_name(cs->c->sum.severity),
	    cs->c->sum.status);
	tui_draw_title(title, sev);
	free(title);

	if (!cs->chain_ok)
		case_draw_banner(cs);
	case_drill_banner(cs);
	if (cs->banner != NULL)
		tui_draw_pad(cs->chain_ok ? 1 : 2, 0, cs->banner, COLS,
		    tui_attr(TUI_ROLE_WARNING));
	case_draw_steps(cs, &l);
	for (int y = l.top_y; y < l.top_y + l.top_h; y++)
		tui_draw(y, l.left_w, tui_vline(), 1, tui_attr(cs->focus ==
		    FOCUS_BODY ? TUI_ROLE_ACTIVE : TUI_ROLE_DIM));
	case_draw_body(cs, &l);
	case_draw_timeline(cs, &l);
	case_draw_status(t, cs);
	if (cs->noting) {
		char prompt[48];

		snprintf(prompt, sizeof(prompt), "Note on step %d: ",
		    st ? st->seq : 0);
		tui_input_draw(&cs->note, l.tl_y + l.tl_h, prompt, COLS);
	}
}

/*
 * Moves the selection by delta rows of the steps pane, phase headings
 * included, so Enter on a heading can open that phase's records.
 */
static void case_move_step(struct case_screen *cs, long delta)
{
	long row = 0;

	for (size_t r = 0; r < cs->nrows; r++)
		if (case_row_selected(cs, &cs->rows[r]))
			row = (long)r;
	row += delta;
	if (row >= (long)cs->nrows)
		row = (long)cs->nrows - 1;
	if (row < 0)
		row = 0;
	if (cs->nrows == 0 || case_row_selected(cs, &cs->rows[row]))
		return;
	if (cs->rows[row].step < 0) {
		cs->heading = (int)cs->rows[row].phase + 1;
	} else {
		cs->heading = 0;
		cs->sel = (size_t)cs->rows[row].step;
	}
	cs->body_valid = false;
	cs->body_top = 0;
	cs->link = 0;
}

/* Moves the selection or scrolls the focused pane by delta rows. */
static void case_move(struct case_screen *cs, long delta)
{
	long v;

	switch (cs->focus) {
	case FOCUS_STEPS:
		case_move_step(cs, delta);
		break;
	case FOCUS_BODY:
		v = (long)cs->body_top + delta;
		cs->body_top = v < 0 ? 0 : (size_t)v;	/* draw clamps the end */
		break;
	case FOCUS_TIMELINE:
		if (case_action_count(cs) == 0)
			break;
		v = (long)cs->tl_sel + delta;
		if (v >= (long)case_action_count(cs))
			v = (long)case_action_count(cs) - 1;
		cs->tl_sel = v < 0 ? 0 : (size_t)v;
		cs->tl_end = cs->tl_sel + 1 == case_action_count(cs);
		break;
	default:
		break;
	}
}

/* Writes a new state for the selected step, then shows the stored case. */
static void case_set_state(struct tui *t, struct case_screen *cs,
    enum irc_step_state state)
{
	struct irc_step *st = case_selected(cs);
	struct irc_error err;
	char done[96];
	int seq;

	if (st == NULL)
		return;
	if (st->state == state) {
		snprintf(done, sizeof(done), "Step %d is already %s.", st->seq,
		    irc_step_state_label(state));
		case_message(cs, false, done);
		return;
	}
	seq = st->seq;
	if (irc_case_step_set(t->db, cs->id, seq, state, NULL, &t->actor,
	    &err) != IRC_OK) {
		case_message(cs, true, err.msg);
		return;
	}
	if (case_load(t, cs)) {
		snprintf(done, sizeof(done), "Step %d is now %s.", seq,
		    irc_step_state_label(state));
		case_message(cs, false, done);
	}
}

/* Saves the note being typed; on failure the text stays in the editor. */
static void case_save_note(struct tui *t, struct case_screen *cs)
{
	struct irc_step *st = case_selected(cs);
	struct irc_error err;
	char *text = tui_input_text(&cs->note);

	if (text[strspn(text, " ")] == '\0') {
		case_message(cs, true, "The note is empty; type some text or press Esc.");
		free(text);
		return;
	}
	if (irc_case_note(t->db, cs->id, st ? st->seq : 0, text, &t->actor,
	    &err) != IRC_OK) {
		struct irc_error derr;
		char *msg;

		/* Keep the text safe too, in case the program ends next. */
		if (!case_draft_save(cs, &derr))
			msg = irc_xasprintf("%s; the draft could not be saved "
			    "either: %s", err.msg, derr.msg);
		else if (strstr(err.msg, "disk full") != NULL)
			msg = irc_xstrdup("Disk full: the note is kept as a "
			    "draft; free some space, then press Enter.");
		else
			msg = irc_xasprintf("Not saved, kept as a draft: %s",
			    err.msg);
		case_message(cs, true, msg);
		free(msg);
		free(text);
		return;
	}
	free(text);
	cs->noting = false;
	tui_input_clear(&cs->note);
	case_draft_drop(cs);
	cs->tl_end = true;
	if (case_load(t, cs))
		case_message(cs, false, "Note saved.");
}

static void case_key_note(struct tui *t, struct case_screen *cs, int key)
{
	switch (tui_input_key(&cs->note, key)) {
	case TUI_INPUT_ACCEPT:
		case_save_note(t, cs);
		break;
	case TUI_INPUT_CANCEL:
		cs->noting = false;
		tui_input_clear(&cs->note);
		case_draft_drop(cs);
		case_message(cs, false, "Note not saved.");
		break;
	case TUI_INPUT_EDITING:
		cs->draft_dirty = true;
		break;
	}
}

/* Returns the case's playbook, parsed from its snapshot once per open case. */
static const struct irc_playbook *case_playbook(struct tui *t,
    struct case_screen *cs)
{
	struct irc_error err;

	if (cs->pb == NULL && cs->pb_error[0] == '\0' &&
	    irc_case_playbook(t->db, cs->c, &cs->pb, &err) != IRC_OK)
		snprintf(cs->pb_error, sizeof(cs->pb_error), "%s", err.msg);
	return cs->pb;
}

/* Opens the reference panes on pane, or shows why it cannot. */
static void case_refs_open(struct tui *t, struct case_screen *cs, size_t pane)
{
	struct refs_open o;

	o.pb = case_playbook(t, cs);
	o.pane = pane;
	o.jump = &cs->jump;
	if (o.pb == NULL)
		case_message(cs, true, cs->pb_error);
	else if (!tui_push(t, &screen_refs_ops, &o))
		case_message(cs, false, t->notice);
}

/* Selects step seq and shows its text from the top. */
static void case_select_seq(struct case_screen *cs, int seq)
{
	for (size_t i = 0; i < cs->c->nsteps; i++)
		if (cs->c->steps[i].seq == seq)
			cs->sel = i;
	cs->heading = 0;
	cs->body_valid = false;
	cs->body_top = 0;
	cs->link = 0;
}

/*
 * Follows a link to "#anchor": selects the step, or the first step of
 * the phase, it names and keeps the step text focused; opens a reference
 * pane on top.
 */
static void case_follow(struct tui *t, struct case_screen *cs,
    const char *slug)
{
	struct irc_case_target to;
	char *msg;

	irc_case_anchor_resolve(cs->c, case_playbook(t, cs), slug, &to);
	switch (to.kind) {
	case IRC_PB_TARGET_REF:
		case_refs_open(t, cs, to.ref);
		return;
	case IRC_PB_TARGET_PHASE:
	case IRC_PB_TARGET_STEP:
		if (to.seq == 0) {
			msg = irc_xasprintf("The link to %s names %s, which has "
			    "no steps.", slug, irc_phase_name(to.phase));
			break;
		}
		case_select_seq(cs, to.seq);
		cs->focus = FOCUS_BODY;
		msg = to.kind == IRC_PB_TARGET_PHASE ?
		    irc_xasprintf("%s: its first step, step %d.",
		    irc_phase_name(to.phase), to.seq) :
		    irc_xasprintf("Step %d.", to.seq);
		break;
	default:
		msg = cs->pb == NULL ? irc_xasprintf("Cannot follow %s: %s",
		    slug, cs->pb_error) : irc_xasprintf("The link to %s names "
		    "no step, phase or reference pane in this playbook.", slug);
		case_message(cs, true, msg);
		free(msg);
		return;
	}
	case_message(cs, false, msg);
	free(msg);
}

/*
 * Selects the next or previous "#anchor" link of the step text.  Returns
 * false when there is none that way, so that Tab moves on to a pane.
 */
static bool case_link_step(struct case_screen *cs, const struct case_layout *l,
    bool back)
{
	char *msg;

	if (back && cs->link == 0)
		return false;
	if (!cs->body_valid || cs->body_cols != l->body_w)
		case_body_build(cs, l->body_w);
	if (!tui_doc_link_step(&cs->body, &cs->link, &cs->body_top, l->top_h,
	    back)) {
		cs->link = 0;
		return false;
	}
	msg = irc_xasprintf("Enter follows the link to %s.",
	    cs->body.links[cs->link - 1].url);
	case_message(cs, false, msg);
	free(msg);
	return true;
}

/* Reads the selected action alone and shows it in full. */
static void case_action_open(struct tui *t, struct case_screen *cs)
{
	struct irc_action *a;
	struct irc_error err;
	size_t n;

	if (case_action_count(cs) == 0)
		return;
	if (irc_actions_range(t->db, cs->id, (int64_t)cs->tl_sel + 1, 1, &a, &n,
	    &err) != IRC_OK) {
		case_message(cs, true, err.msg);
		return;
	}
	if (n == 1 && a[0].seq == (int64_t)cs->tl_sel + 1)
		tui_push(t, &screen_action_ops, &a[0]);
	irc_actions_free(a, n);
}

static void case_key(struct tui *t, struct screen *s, int key)
{
	struct case_screen *cs = s->data;
	struct case_layout l;
	enum tui_keyctx ctx = TUI_CTX_CASE;

	cs->message[0] = '\0';
	cs->error = false;
	if (cs->noting) {
		case_key_note(t, cs, key);
		return;
	}
	case_layout(cs, &l);
	switch (tui_key_action(TUI_CTX_CASE, key)) {
	case TUI_ACT_UP:
		case_move(cs, -1);
		break;
	case TUI_ACT_DOWN:
		case_move(cs, 1);
		break;
	case TUI_ACT_PAGE_UP:
		case_move(cs, -(cs->focus == FOCUS_TIMELINE ? l.tl_h : l.top_h - 1));
		break;
	case TUI_ACT_PAGE_DOWN:
		case_move(cs, cs->focus == FOCUS_TIMELINE ? l.tl_h : l.top_h - 1);
		break;
	case TUI_ACT_FIRST:
		case_move(cs, -(long)(cs->body.nlines + cs->c->nsteps +
		    case_action_count(cs)));
		break;
	case TUI_ACT_LAST:
		case_move(cs, (long)(cs->body.nlines + cs->c->nsteps +
		    case_action_count(cs)));
		break;
	case TUI_ACT_OPEN:
		if (cs->focus == FOCUS_TIMELINE) {
			case_action_open(t, cs);
			break;
		}
		if (cs->focus == FOCUS_STEPS && cs->heading > 0) {
			case_keys_phase(t, cs->id,
			    (enum irc_phase)(cs->heading - 1));
			break;
		}
		if (cs->focus == FOCUS_BODY && cs->link > 0) {
			case_follow(t, cs, cs->body.links[cs->link - 1].url);
			break;
		}
		cs->focus = cs->focus == FOCUS_STEPS ? FOCUS_BODY : FOCUS_STEPS;
		break;
	case TUI_ACT_FOCUS:
	case TUI_ACT_FOCUS_BACK: {
		bool back = tui_key_action(TUI_CTX_CASE, key) ==
		    TUI_ACT_FOCUS_BACK;

		if (cs->focus == FOCUS_BODY && case_link_step(cs, &l, back))
			break;
		cs->link = 0;
		cs->focus = (cs->focus + (back ? FOCUS_COUNT - 1 : 1)) %
		    FOCUS_COUNT;
		break;
	}
	case TUI_ACT_REFS:
		case_refs_open(t, cs, 0);
		break;
	case TUI_ACT_STEP_NEXT:
		if (case_selected(cs) != NULL)
			case_set_state(t, cs,
			    irc_step_state_next(case_selected(cs)->state));
		break;
	case TUI_ACT_STEP_DONE:
		case_set_state(t, cs, IRC_STEP_DONE);
		break;
	case TUI_ACT_NOTE:
		cs->noting = true;
		break;
	case TUI_ACT_HELP:
		tui_push(t, &screen_help_ops, &ctx);
		break;
	case TUI_ACT_BACK:
		if (cs->focus != FOCUS_STEPS)
			cs->focus = FOCUS_STEPS;
		else
			tui_pop(t);
		break;
	default:
		case_keys_records(t, cs->id, case_selected(cs) ?
		    case_selected(cs)->seq : 0, tui_key_action(TUI_CTX_CASE, key));
		break;
	}
}

static void case_resize(struct tui *t, struct screen *s)
{
	struct case_screen *cs = s->data;

	cs->body_valid = false;
}

static void case_reload(struct tui *t, struct screen *s)
{
	struct case_screen *cs = s->data;
	char *jump = cs->jump;

	case_load(t, cs);
	/* The reference screen closed on a link to a step or phase. */
	if (jump != NULL) {
		cs->jump = NULL;
		case_follow(t, cs, jump);
		free(jump);
	}
}

const struct screen_ops screen_case_ops = {
	.name = "case",
	.open = case_open,
	.draw = case_draw,
	.key = case_key,
	.resize = case_resize,
	.reload = case_reload,
	.close = case_close,
	.tick = case_tick,
	.save_draft = case_save_draft_op,
};

struct case_screen *case_view_new(void)
{
	struct case_screen *cs = irc_xcalloc(1, sizeof(*cs));

	cs->borrowed = true;
	cs->chain_ok = true;
	cs->tl_end = true;
	tui_input_clear(&cs->note);
	return cs;
}

void case_view_set(struct case_screen *cs, struct irc_case *c, int seq,
    const char *banner)
{
	cs->c = c;
	cs->sel = 0;
	for (size_t i = 0; i < c->nsteps; i++)
		if (c->steps[i].seq == seq)
			cs->sel = i;
	free(cs->banner);
	cs->banner = banner != NULL ? irc_xstrdup(banner) : NULL;
	cs->tl_end = true;
	case_rows_build(cs);
	cs->body_valid = false;
}

void case_view_draw(struct case_screen *cs)
{
	struct case_layout l;

	case_layout(cs, &l);
	if (cs->banner != NULL)
		tui_draw_pad(1, 0, cs->banner, COLS, tui_attr(TUI_ROLE_WARNING));
	case_draw_steps(cs, &l);
	for (int y = l.top_y; y < l.top_y + l.top_h; y++)
		tui_draw(y, l.left_w, tui_vline(), 1, tui_attr(TUI_ROLE_DIM));
	case_draw_body(cs, &l);
	case_draw_timeline(cs, &l);
}

void case_view_free(struct case_screen *cs)
{
	if (cs == NULL)
		return;
	free(cs->rows);
	free(cs->banner);
	tui_doc_free(&cs->body);
	tui_input_free(&cs->note);
	free(cs);
}
