/*
 * playbook_html.c: phases laid out as the columns of an HTML table.
 *
 * Some battle cards are one HTML <table> whose header cells name the
 * phases ("Investigate", "Remediate", ...) and whose body cells list what
 * to do.  When a file has no phase headings, such a table gives the
 * phases: each line of text in a body cell (split at <br>, <li>, <p> and
 * line ends, tags dropped) is a step of its column's phase.  The scan is
 * one pass over the block; nesting of tags is not tracked, so a table
 * inside a cell is read as more cells.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mem.h"
#include "playbook.h"
#include "playbook_internal.h"

#define COLUMNS_MAX 16

struct column {
	int phase;		/* -1 when the header names no phase */
	char *text;
};

/* Returns true when p starts the tag "<name" (or "</name" with close). */
static bool
tag_at(const char *p, const char *name, bool close)
{
	size_t n = strlen(name);

	if (*p++ != '<')
		return false;
	if (close && *p++ != '/')
		return false;
	return strncasecmp(p, name, n) == 0 &&
	    strchr(" \t\n>/", p[n]) != NULL && p[n] != '\0';
}

/* Returns the end of the cell that starts at p (its content's end). */
static const char *
cell_end(const char *p)
{
	for (; *p != '\0'; p++) {
		if (tag_at(p, "td", true) || tag_at(p, "th", true) ||
		    tag_at(p, "td", false) || tag_at(p, "th", false) ||
		    tag_at(p, "tr", true) || tag_at(p, "tr", false))
			break;
	}
	return p;
}

/* Moves *from up to p, adding the line ends passed to *line. */
static void
lines_advance(const char **from, const char *p, int *line)
{
	for (; *from < p; (*from)++)
		*line += **from == '\n';
}

static bool
has_table(const char *html)
{
	for (const char *p = html; *p != '\0'; p++) {
		if (tag_at(p, "table", false))
			return true;
	}
	return false;
}

/* Adds a step for the text in line[0, len) when it is not blank. */
static void
cell_line_add(struct irc_playbook *pb, enum irc_phase phase, const char *s,
    size_t len, int line)
{
	struct irc_pb_step *step;
	const char *t = pb_trim(s, &len);

	if (len == 0)
		return;
	step = pb_step_new(pb, phase, -1, line);
	step->title = pb_one_line(t, len);
	step->body = irc_xstrdup("");
	step->guidance = irc_xstrdup("");
}

/*
 * Splits the cell content [p, end) into lines of text and adds each as a
 * step.  Tags are dropped; <br>, <li>, <p> and line ends split lines.
 */
static void
cell_steps(struct irc_playbook *pb, enum irc_phase phase, const char *p,
    const char *end, int line)
{
	struct pb_buf text = { 0 };
	int start_line = line;

	for (; p < end; p++) {
		bool split = *p == '\n' || tag_at(p, "br", false) ||
		    tag_at(p, "li", false) || tag_at(p, "p", false);

		if (split) {
			cell_line_add(pb, phase, text.data != NULL ? text.data :
			    "", text.len, start_line);
			text.len = 0;
			start_line = line + (*p == '\n');
		}
		if (*p == '\n') {
			line++;
			continue;
		}
		if (*p == '<') {
			const char *close = memchr(p, '>', (size_t)(end - p));

			if (close == NULL)
				break;
			p = close;
			continue;
		}
		pb_buf_add(&text, p, 1);
	}
	cell_line_add(pb, phase, text.data != NULL ? text.data : "", text.len,
	    start_line);
	free(text.data);
}

size_t
pb_html_table_map(struct irc_playbook *pb, const char *html, int line)
{
	struct column cols[COLUMNS_MAX];
	size_t ncols = 0, nphases = 0, col = 0;
	const char *p, *counted = html;
	int at_line = line;

	if (html == NULL || !has_table(html))
		return 0;
	/* The header: every <th> cell, in order. */
	for (p = html; *p != '\0' && ncols < COLUMNS_MAX; p++) {
		const char *open, *end;
		struct pb_buf b = { 0 };

		if (!tag_at(p, "th", false))
			continue;
		open = strchr(p, '>');
		if (open == NULL)
			break;
		end = cell_end(open + 1);
		for (const char *q = open + 1; q < end; q++) {
			if (*q == '<') {
				const char *close = memchr(q, '>', (size_t)(end - q));

				if (close == NULL)
					break;
				q = close;
			} else
				pb_buf_add(&b, q, 1);
		}
		cols[ncols].text = pb_one_line(b.data != NULL ? b.data : "",
		    b.len);
		cols[ncols].phase = irc_pb_phase_of_heading(cols[ncols].text);
		nphases += cols[ncols].phase >= 0;
		ncols++;
		free(b.data);
		p = end - 1;
	}
	if (nphases < 2)
		goto out;

	for (size_t i = 0; i < ncols; i++) {
		if (cols[i].phase >= 0)
			pb_heading_add(pb, cols[i].text, line, cols[i].phase,
			    1u << cols[i].phase);
	}
	/* The body: <td> cells, counted from each <tr>. */
	for (p = html; *p != '\0'; p++) {
		const char *open, *end;

		if (tag_at(p, "tr", false)) {
			col = 0;
			continue;
		}
		if (!tag_at(p, "td", false))
			continue;
		open = strchr(p, '>');
		if (open == NULL)
			break;
		end = cell_end(open + 1);
		lines_advance(&counted, open + 1, &at_line);
		if (col < ncols && cols[col].phase >= 0)
			cell_steps(pb, (enum irc_phase)cols[col].phase, open + 1,
			    end, at_line);
		col++;
		p = end - 1;
	}
out:
	for (size_t i = 0; i < ncols; i++)
		free(cols[i].text);
	return nphases >= 2 ? nphases : 0;
}
