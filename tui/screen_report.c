/*
 * screen_report.c: the after-action report of a drill, shown when the
 * drill is closed in the TUI.  irc_drill_report() builds the report, which
 * is saved as Markdown and JSON in reports/ in the database's folder, with
 * the text "ircase drill report" writes.  The Markdown renderer draws it
 * and sanitises every piece of text from the case on the way.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "drill.h"
#include "export.h"
#include "keys.h"
#include "markdown.h"
#include "mem.h"
#include "paths.h"
#include "screen.h"
#include "text.h"

struct report_screen {
	int64_t case_id;
	char *md;		/* the report as Markdown */
	struct tui_doc doc;	/* md rendered for doc_cols columns */
	int doc_cols;
	size_t top;
	char where[IRC_ERROR_MAX + 32];	/* where the files went, or why not */
	bool error;
};

/* Writes text to path through a temporary file that replaces it whole. */
static enum irc_status report_write(const char *path, const char *text,
    struct irc_error *err)
{
	struct irc_atomic_file file;

	if (irc_path_make_parent(path, err) != IRC_OK ||
	    irc_atomic_open(&file, path, err) != IRC_OK)
		return err->status;
	if (fputs(text, file.fp) == EOF) {
		irc_atomic_abort(&file);
		return irc_fail(err, IRC_ERR_IO, "%s: cannot write the report",
		    path);
	}
	return irc_atomic_commit(&file, err);
}

/*
 * Writes the report as DIR/reports/case-N-after-action.md and .json, DIR
 * being the database's folder, and notes where in rs->where.
 */
static void report_save(struct tui *t, struct report_screen *rs,
    const json_t *report)
{
	char *copy = irc_xstrdup(irc_db_path(t->db));
	char *base = irc_xasprintf("%s/reports/case-%lld-after-action",
	    dirname(copy), (long long)rs->case_id);
	char *md_path = irc_xasprintf("%s.md", base);
	char *json_path = irc_xasprintf("%s.json", base);
	char *json = json_dumps(report, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	char *json_text = irc_xasprintf("%s\n", json != NULL ? json : "{}");
	struct irc_error err;

	irc_error_clear(&err);
	if (report_write(md_path, rs->md, &err) == IRC_OK &&
	    report_write(json_path, json_text, &err) == IRC_OK)
		snprintf(rs->where, sizeof(rs->where), "Saved as %s and .json",
		    md_path);
	else {
		snprintf(rs->where, sizeof(rs->where), "Report not saved: %s",
		    err.msg);
		rs->error = true;
	}
	free(json_text);
	free(json);
	free(json_path);
	free(md_path);
	free(base);
	free(copy);
}

static bool report_open(struct tui *t, struct screen *s, const void *arg)
{
	struct report_screen *rs;
	struct irc_error err;
	json_t *report = NULL;

	irc_error_clear(&err);
	if (irc_drill_report(t->db, *(const int64_t *)arg, &report, &err) !=
	    IRC_OK) {
		snprintf(t->notice, sizeof(t->notice), "%s", err.msg);
		return false;
	}
	rs = irc_xcalloc(1, sizeof(*rs));
	rs->case_id = *(const int64_t *)arg;
	rs->md = irc_drill_report_md(report);
	report_save(t, rs, report);
	json_decref(report);
	s->data = rs;
	return true;
}

static void report_close(struct tui *t, struct screen *s)
{
	struct report_screen *rs = s->data;

	tui_doc_free(&rs->doc);
	free(rs->md);
	free(rs);
}

static int report_rows(void)
{
	return LINES - 2;	/* between the title bar and the status bar */
}

/* Renders the report again when the width changed. */
static void report_layout(struct report_screen *rs)
{
	if (rs->doc_cols == COLS - 2 && rs->doc.lines != NULL)
		return;
	tui_doc_free(&rs->doc);
	tui_markdown_render(rs->md, COLS - 2, &rs->doc);
	rs->doc_cols = COLS - 2;
	if (rs->top >= rs->doc.nlines)
		rs->top = rs->doc.nlines > 0 ? rs->doc.nlines - 1 : 0;
}

static void report_draw(struct tui *t, struct screen *s)
{
	struct report_screen *rs = s->data;
	char title[64];

	report_layout(rs);
	snprintf(title, sizeof(title), "ircase: after-action report, DRILL #%lld",
	    (long long)rs->case_id);
	tui_draw_title(title, "j/k PgUp/PgDn scroll  q back");
	for (int r = 0; r < report_rows(); r++) {
		size_t i = rs->top + (size_t)r;

		if (i < rs->doc.nlines)
			tui_line_draw(&rs->doc.lines[i], 1 + r, 1, COLS - 2);
		else
			tui_fill(1 + r, 0, COLS, tui_attr(TUI_ROLE_NORMAL));
	}
	tui_draw_status(rs->where, NULL, rs->error);
}

static void report_key(struct tui *t, struct screen *s, int key)
{
	struct report_screen *rs = s->data;

	tui_view_key(t, TUI_CTX_REPORT, key, &rs->top, rs->doc.nlines, report_rows());
}

static void report_resize(struct tui *t, struct screen *s)
{
	report_layout(s->data);
}

const struct screen_ops screen_report_ops = {
	.name = "report",
	.open = report_open,
	.draw = report_draw,
	.key = report_key,
	.resize = report_resize,
	.reload = NULL,
	.close = report_close,
};
