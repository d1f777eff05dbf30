/*
 * screen_records.c: the record pane of one kind on a case: a scrolling
 * list of lines and the forms that add records, one prompt at a time.
 *
 * As in the case view, nothing is shown as recorded until core/ has
 * committed it and the pane has loaded it again.  A failed submit keeps
 * the form open on its last answer with the message, so nothing typed is
 * lost.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "mem.h"
#include "records.h"
#include "text.h"

struct rec_screen {
	int64_t case_id;
	const struct rec_kind *kind;
	struct rec_lines lines;
	size_t sel;
	size_t top;
	const struct rec_form *form;	/* the form being filled, or NULL */
	int field;			/* index of the prompt shown */
	char *values[REC_FIELDS_MAX];
	int64_t form_id;
	struct tui_input input;
	char message[IRC_ERROR_MAX];
	bool error;
};

void rec_add(struct rec_lines *out, enum tui_role role, int64_t id,
    const char *fmt, ...)
{
	struct rec_line *l;
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	out->lines = irc_xrealloc(out->lines, out->count + 1, sizeof(*l));
	l = &out->lines[out->count++];
	l->text = irc_xstrdup(buf);
	l->role = role;
	l->id = id;
}

const char *rec_opt(const char *value)
{
	return value != NULL ? value : "";
}

static void rec_lines_free(struct rec_lines *lines)
{
	for (size_t i = 0; i < lines->count; i++)
		free(lines->lines[i].text);
	free(lines->lines);
	memset(lines, 0, sizeof(*lines));
}

static void rec_message(struct rec_screen *rs, bool error, const char *text)
{
	snprintf(rs->message, sizeof(rs->message), "%s", text);
	rs->error = error;
}

static void rec_load(struct tui *t, struct rec_screen *rs)
{
	struct rec_lines fresh = { NULL, 0 };
	struct irc_error err;

	irc_error_clear(&err);
	if (rs->kind->load(t, rs->case_id, &fresh, &err) != IRC_OK) {
		rec_lines_free(&fresh);
		rec_message(rs, true, err.msg);
		return;
	}
	rec_lines_free(&rs->lines);
	rs->lines = fresh;
	if (rs->sel >= rs->lines.count)
		rs->sel = rs->lines.count > 0 ? rs->lines.count - 1 : 0;
}

static bool rec_open(struct tui *t, struct screen *s, const void *arg)
{
	const struct rec_open *o = arg;
	struct rec_screen *rs = irc_xcalloc(1, sizeof(*rs));

	rs->case_id = o->case_id;
	rs->kind = o->kind;
	tui_input_clear(&rs->input);
	rec_load(t, rs);
	s->data = rs;
	return true;
}

static void rec_form_reset(struct rec_screen *rs)
{
	for (int i = 0; i < REC_FIELDS_MAX; i++) {
		free(rs->values[i]);
		rs->values[i] = NULL;
	}
	rs->form = NULL;
	rs->field = 0;
	tui_input_clear(&rs->input);
}

static void rec_close(struct tui *t, struct screen *s)
{
	struct rec_screen *rs = s->data;

	rec_form_reset(rs);
	rec_lines_free(&rs->lines);
	tui_input_free(&rs->input);
	free(rs);
}

static void rec_draw(struct tui *t, struct screen *s)
{
	struct rec_screen *rs = s->data;
	int rows = LINES - 2 - (rs->form ? 1 : 0);
	char title[128];

	snprintf(title, sizeof(title), "#%lld %s", (long long)rs->case_id,
	    rs->kind->title);
	tui_draw_title(title, NULL);
	if (rs->sel < rs->top)
		rs->top = rs->sel;
	if (rows > 0 && rs->sel >= rs->top + (size_t)rows)
		rs->top = rs->sel - (size_t)rows + 1;
	if (rs->lines.count == 0)
		tui_draw(1, 1, "Nothing recorded yet.", COLS - 2,
		    tui_attr(TUI_ROLE_DIM));
	for (int y = 0; y < rows && rs->top + (size_t)y < rs->lines.count; y++) {
		const struct rec_line *l = &rs->lines.lines[rs->top + y];
		enum tui_role role = rs->top + (size_t)y == rs->sel ?
		    TUI_ROLE_SELECTED : l->role;

		tui_draw_pad(1 + y, 0, l->text, COLS, tui_attr(role));
	}
	tui_draw_status(rs->message[0] ? rs->message : rs->form ?
	    "Enter next, Esc cancels" : rs->kind->hint, NULL, rs->error);
	if (rs->form)
		tui_input_draw(&rs->input, LINES - 2,
		    rs->form->fields[rs->field], COLS);
}

static void rec_submit(struct tui *t, struct rec_screen *rs)
{
	char done[IRC_ERROR_MAX] = "Saved.";
	struct irc_error err;

	irc_error_clear(&err);
	if (rs->form->submit(t, rs->case_id, rs->form_id, rs->values, done,
	    sizeof(done), &err) != IRC_OK) {
		rec_message(rs, true, err.msg[0] ? err.msg :
		    irc_strerror(err.status));
		return;	/* the form stays open on its last answer */
	}
	rec_form_reset(rs);
	rec_load(t, rs);
	rec_message(rs, false, done);
}

static void rec_key_form(struct tui *t, struct rec_screen *rs, int key)
{
	rs->input.chained = rs->form->fields[rs->field + 1] != NULL;
	switch (tui_input_key(&rs->input, key)) {
	case TUI_INPUT_ACCEPT:
		free(rs->values[rs->field]);
		rs->values[rs->field] = tui_input_text(&rs->input);
		if (rs->form->fields[rs->field + 1] == NULL) {
			rec_submit(t, rs);
			return;
		}
		rs->field++;
		tui_input_clear(&rs->input);
		break;
	case TUI_INPUT_CANCEL:
		rec_form_reset(rs);
		rec_message(rs, false, "Nothing recorded.");
		break;
	case TUI_INPUT_EDITING:
		break;
	}
}

static void rec_form_start(struct rec_screen *rs, enum tui_action action)
{
	for (size_t i = 0; i < rs->kind->nforms; i++) {
		const struct rec_form *f = &rs->kind->forms[i];

		if (f->action != action)
			continue;
		rs->form_id = rs->sel < rs->lines.count ?
		    rs->lines.lines[rs->sel].id : 0;
		if (f->needs_selection && rs->form_id == 0) {
			rec_message(rs, true, "Select a record first (j, k).");
			return;
		}
		rec_form_reset(rs);
		rs->form = f;
		return;
	}
}

static void rec_move(struct rec_screen *rs, long delta)
{
	long sel = (long)rs->sel + delta;

	if (sel >= (long)rs->lines.count)
		sel = (long)rs->lines.count - 1;
	rs->sel = sel < 0 ? 0 : (size_t)sel;
}

static void rec_key(struct tui *t, struct screen *s, int key)
{
	struct rec_screen *rs = s->data;
	enum tui_keyctx ctx = TUI_CTX_RECORDS;
	enum tui_action action;

	if (rs->form != NULL) {
		if (!rs->error)
			rs->message[0] = '\0';
		rs->error = false;
		rec_key_form(t, rs, key);
		return;
	}
	rs->message[0] = '\0';
	rs->error = false;
	action = tui_key_action(TUI_CTX_RECORDS, key);
	switch (action) {
	case TUI_ACT_UP:
		rec_move(rs, -1);
		break;
	case TUI_ACT_DOWN:
		rec_move(rs, 1);
		break;
	case TUI_ACT_PAGE_UP:
		rec_move(rs, -(LINES - 3));
		break;
	case TUI_ACT_PAGE_DOWN:
		rec_move(rs, LINES - 3);
		break;
	case TUI_ACT_HELP:
		tui_push(t, &screen_help_ops, &ctx);
		break;
	case TUI_ACT_BACK:
		tui_pop(t);
		break;
	case TUI_ACT_NONE:
		break;
	default:
		rec_form_start(rs, action);
		if (rs->form == NULL && !rs->error)
			rec_message(rs, false, rs->kind->hint);
		break;
	}
}

static void rec_resize(struct tui *t, struct screen *s)
{
}

static void rec_reload(struct tui *t, struct screen *s)
{
	rec_load(t, s->data);
}

const struct screen_ops screen_records_ops = {
	.name = "records",
	.open = rec_open,
	.draw = rec_draw,
	.key = rec_key,
	.resize = rec_resize,
	.reload = rec_reload,
	.close = rec_close,
};
