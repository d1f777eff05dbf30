/*
 * screen_records.c: the record pane of one kind on a case: a scrolling
 * list of lines and the forms that add records, one prompt at a time.
 *
 * As in the case view, nothing is shown as recorded until core/ has
 * committed it and the pane has loaded it again.  Each answer is checked
 * when Enter is pressed on it, and an invalid one keeps the form on that
 * field with the text and the message.  A failed submit returns to the
 * field that core's message names (the last one when it names none), so
 * nothing typed is lost.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "lifecycle.h"
#include "mem.h"
#include "record.h"
#include "records.h"
#include "text.h"
#include "timeutil.h"

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

enum irc_status rec_check_time(const char *value, struct irc_error *err)
{
	int64_t us;
	int offset;

	return irc_time_parse(value, &us, &offset, err);
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

/* Draws text wrapped across the screen ending on row bottom; returns rows. */
static int rec_draw_above(int bottom, const char *text, enum tui_role role)
{
	char **lines;
	size_t n = tui_text_wrap(text, COLS > 3 ? COLS - 2 : 1, &lines);
	int rows = (int)n < bottom ? (int)n : bottom;

	for (int i = 0; i < rows; i++)
		tui_draw_pad(bottom - rows + 1 + i, 0, "", COLS, tui_attr(role));
	for (int i = 0; i < rows; i++)
		tui_draw(bottom - rows + 1 + i, 1, lines[(int)n - rows + i],
		    COLS - 2, tui_attr(role));
	tui_lines_free(lines, n);
	return rows;
}

/* Formats the words of a choice list: "One of: a, b, c". */
static void rec_choices_text(const char *const *choices, char *buf,
    size_t size)
{
	size_t used = (size_t)snprintf(buf, size, "One of:");

	for (size_t i = 0; choices[i] != NULL && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s %s",
		    i == 0 ? "" : ",", choices[i]);
}

static void rec_draw(struct tui *t, struct screen *s)
{
	struct rec_screen *rs = s->data;
	const struct rec_field *f = rs->form ? &rs->form->fields[rs->field] :
	    NULL;
	int rows = LINES - 2 - (rs->form ? 1 : 0);
	char title[128], choices[512];

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
	if (f == NULL) {
		tui_draw_status(rs->message[0] ? rs->message : rs->kind->hint,
		    NULL, rs->error);
		return;
	}
	/* A form's message and choices wrap above the prompt, never cut. */
	tui_draw_status("Enter next, Esc cancels", NULL, false);
	rows = LINES - 3;
	if (f->choices != NULL) {
		rec_choices_text(f->choices, choices, sizeof(choices));
		rows -= rec_draw_above(rows, choices, TUI_ROLE_DIM);
	}
	if (rs->kind->suggest != NULL) {
		char *typed = tui_input_text(&rs->input);

		rs->kind->suggest(rs->form, rs->field, typed, choices,
		    sizeof(choices));
		free(typed);
		if (choices[0] != '\0')
			rows -= rec_draw_above(rows, choices, TUI_ROLE_DIM);
	}
	if (rs->message[0] != '\0' && rows > 1)
		rec_draw_above(rows, rs->message, rs->error ? TUI_ROLE_ERROR :
		    TUI_ROLE_NORMAL);
	tui_input_draw(&rs->input, LINES - 2, f->prompt, COLS);
}

/* Returns true when name occurs in text as a whole word. */
static bool rec_names_field(const char *text, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = strstr(text, name); p != NULL;
	    p = strstr(p + 1, name)) {
		bool before = p == text || !(isalnum((unsigned char)p[-1]) ||
		    p[-1] == '_');
		bool after = !(isalnum((unsigned char)p[len]) || p[len] == '_');

		if (before && after)
			return true;
	}
	return false;
}

/* Opens field i of the form again with its answer in the editor. */
static void rec_field_open(struct rec_screen *rs, int i)
{
	rs->field = i;
	tui_input_clear(&rs->input);
	if (rs->values[i] != NULL)
		tui_input_set(&rs->input, rs->values[i]);
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
		/* Back to the field the message names, else stay on the last. */
		for (int i = 0; i < rs->field; i++) {
			const char *name = rs->form->fields[i].name;

			if (name != NULL && rec_names_field(err.msg, name)) {
				rec_field_open(rs, i);
				break;
			}
		}
		return;
	}
	rec_form_reset(rs);
	rec_load(t, rs);
	rec_message(rs, false, done);
}

/*
 * Checks the answer to field f; a word of its choices typed with '-' is
 * replaced by the word.  Fills err when the answer is not valid.
 */
static enum irc_status rec_field_check(const struct rec_field *f,
    char **value, struct irc_error *err)
{
	const char *word;
	enum irc_status st;

	if (**value == '\0' || strspn(*value, " \t") == strlen(*value)) {
		if (f->optional) {
			(*value)[0] = '\0';
			return IRC_OK;
		}
		return irc_fail(err, IRC_ERR_INVALID, "the %s is empty; type it, "
		    "or press Esc to cancel", f->name);
	}
	if (f->choices != NULL) {
		if ((st = irc_word_check(f->name, *value, f->choices, err)) !=
		    IRC_OK)
			return st;
		word = irc_word_match(*value, f->choices);
		free(*value);
		*value = irc_xstrdup(word);
		return IRC_OK;
	}
	if ((st = irc_record_check_text(f->name, *value,
	    IRC_LIFECYCLE_TEXT_MAX, err)) != IRC_OK)
		return st;
	return f->check != NULL ? f->check(*value, err) : IRC_OK;
}

static void rec_key_form(struct tui *t, struct rec_screen *rs, int key)
{
	const struct rec_field *f = &rs->form->fields[rs->field];
	struct irc_error err;

	rs->input.chained = rs->form->fields[rs->field + 1].prompt != NULL;
	switch (tui_input_key(&rs->input, key)) {
	case TUI_INPUT_ACCEPT:
		free(rs->values[rs->field]);
		rs->values[rs->field] = tui_input_text(&rs->input);
		irc_error_clear(&err);
		if (rec_field_check(f, &rs->values[rs->field], &err) != IRC_OK) {
			/* The editor keeps the text for the user to correct. */
			tui_input_set(&rs->input, rs->values[rs->field]);
			rec_message(rs, true, err.msg);
			return;
		}
		rs->message[0] = '\0';
		rs->error = false;
		if (rs->form->fields[rs->field + 1].prompt == NULL ||
		    (f->last_when_set && *rs->values[rs->field] != '\0')) {
			for (int i = rs->field + 1; i < REC_FIELDS_MAX &&
			    rs->form->fields[i].prompt != NULL; i++) {
				free(rs->values[i]);
				rs->values[i] = irc_xstrdup("");
			}
			rec_submit(t, rs);
			return;
		}
		rec_field_open(rs, rs->field + 1);
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
			rec_message(rs, true, f->select_hint != NULL ?
			    f->select_hint : "Select a record first (j, k).");
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
		/* A message stays until the answer is accepted or the form
		 * closes, so the user can read it while correcting. */
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
