/*
 * keys.c: the key table and what is generated from it: key lookup, the
 * plain --help listing and the roff KEY BINDINGS lines.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "tui.h"

#define KEY_ENTER_KEYS '\n', '\r', TUI_FKEY(KEY_ENTER)

static const struct tui_key keys[] = {
	{ TUI_CTX_LIST, TUI_ACT_UP, { 'k', TUI_FKEY(KEY_UP) }, "k, Up", "select the previous case" },
	{ TUI_CTX_LIST, TUI_ACT_DOWN, { 'j', TUI_FKEY(KEY_DOWN) }, "j, Down", "select the next case" },
	{ TUI_CTX_LIST, TUI_ACT_PAGE_UP, { TUI_FKEY(KEY_PPAGE) }, "PgUp", "move up one page" },
	{ TUI_CTX_LIST, TUI_ACT_PAGE_DOWN, { TUI_FKEY(KEY_NPAGE) }, "PgDn", "move down one page" },
	{ TUI_CTX_LIST, TUI_ACT_FIRST, { 'g', TUI_FKEY(KEY_HOME) }, "g, Home", "select the first case" },
	{ TUI_CTX_LIST, TUI_ACT_LAST, { 'G', TUI_FKEY(KEY_END) }, "G, End", "select the last case" },
	{ TUI_CTX_LIST, TUI_ACT_OPEN, { KEY_ENTER_KEYS }, "Enter", "open the selected case" },
	{ TUI_CTX_LIST, TUI_ACT_NEW, { 'n' }, "n", "start a new case from a playbook" },
	{ TUI_CTX_LIST, TUI_ACT_REPLAY, { 'r' }, "r", "replay the selected case's log, read-only, at 60 times the recorded pace" },
	{ TUI_CTX_LIST, TUI_ACT_HELP, { '?', TUI_FKEY(KEY_F(1)) }, "?, F1", "show the keys" },
	{ TUI_CTX_LIST, TUI_ACT_BACK, { 'q' }, "q", "quit ircase" },

	{ TUI_CTX_NEW, TUI_ACT_UP, { 'k', TUI_FKEY(KEY_UP) }, "k, Up", "select the previous playbook, severity or scenario" },
	{ TUI_CTX_NEW, TUI_ACT_DOWN, { 'j', TUI_FKEY(KEY_DOWN) }, "j, Down", "select the next playbook, severity or scenario" },
	{ TUI_CTX_NEW, TUI_ACT_LEFT, { TUI_FKEY(KEY_LEFT) }, "Left", "choose the lower severity" },
	{ TUI_CTX_NEW, TUI_ACT_RIGHT, { TUI_FKEY(KEY_RIGHT) }, "Right", "choose the higher severity" },
	{ TUI_CTX_NEW, TUI_ACT_PAGE_UP, { TUI_FKEY(KEY_PPAGE) }, "PgUp", "move up one page" },
	{ TUI_CTX_NEW, TUI_ACT_PAGE_DOWN, { TUI_FKEY(KEY_NPAGE) }, "PgDn", "move down one page" },
	{ TUI_CTX_NEW, TUI_ACT_SEVERITY, { '1', '2', '3', '4' }, "1-4", "choose severity: 1 low, 2 medium, 3 high, 4 critical" },
	{ TUI_CTX_NEW, TUI_ACT_DRILL, { 'd' }, "d", "start the case as a drill, or back as a real incident; the title bar says which. A drill then asks for a scenario that names the playbook (from the scenarios folder of each playbook folder) and the drill clock's speed" },
	{ TUI_CTX_NEW, TUI_ACT_OPEN, { KEY_ENTER_KEYS }, "Enter", "use the selected playbook, severity, scenario or typed speed" },
	{ TUI_CTX_NEW, TUI_ACT_HELP, { '?', TUI_FKEY(KEY_F(1)) }, "?, F1", "show the keys" },
	{ TUI_CTX_NEW, TUI_ACT_BACK, { 'q', TUI_ESC }, "q, Esc", "go back to the case list without a new case" },

	{ TUI_CTX_CASE, TUI_ACT_UP, { 'k', TUI_FKEY(KEY_UP) }, "k, Up", "select the step or phase heading above, or scroll up" },
	{ TUI_CTX_CASE, TUI_ACT_DOWN, { 'j', TUI_FKEY(KEY_DOWN) }, "j, Down", "select the step or phase heading below, or scroll down" },
	{ TUI_CTX_CASE, TUI_ACT_PAGE_UP, { TUI_FKEY(KEY_PPAGE) }, "PgUp", "move up one page in the focused pane" },
	{ TUI_CTX_CASE, TUI_ACT_PAGE_DOWN, { TUI_FKEY(KEY_NPAGE) }, "PgDn", "move down one page in the focused pane" },
	{ TUI_CTX_CASE, TUI_ACT_FIRST, { 'g', TUI_FKEY(KEY_HOME) }, "g, Home", "go to the top of the focused pane" },
	{ TUI_CTX_CASE, TUI_ACT_LAST, { 'G', TUI_FKEY(KEY_END) }, "G, End", "go to the bottom of the focused pane" },
	{ TUI_CTX_CASE, TUI_ACT_OPEN, { KEY_ENTER_KEYS }, "Enter", "focus the step's text to scroll it, again to return; on a phase heading, open its records; in the timeline, show the action in full" },
	{ TUI_CTX_CASE, TUI_ACT_FOCUS, { '\t' }, "Tab", "focus the next pane: steps, step text, timeline (where j/k select an action); in the step text, select each #anchor link first" },
	{ TUI_CTX_CASE, TUI_ACT_STEP_NEXT, { ' ' }, "Space", "move the selected step on: pending, active, done, then back to pending" },
	{ TUI_CTX_CASE, TUI_ACT_STEP_DONE, { 'x' }, "x", "mark the selected step done" },
	{ TUI_CTX_CASE, TUI_ACT_NOTE, { 'n' }, "n", "add a note about the selected step" },
	{ TUI_CTX_CASE, TUI_ACT_STEP_SKIP, { 's' }, "s", "skip the selected step; asks for the reason" },
	{ TUI_CTX_CASE, TUI_ACT_STEP_NA, { 'N' }, "N", "mark the selected step not applicable; asks for an optional reason" },
	{ TUI_CTX_CASE, TUI_ACT_STEP_APPROVE, { 'A' }, "A", "approve the selected step that another responder marked done" },
	{ TUI_CTX_CASE, TUI_ACT_PANE_PREPARE, { '1' }, "1", "Prepare: roles on the case and contacts; assign a role" },
	{ TUI_CTX_CASE, TUI_ACT_PANE_REPORT, { '2' }, "2", "Report: who reported what, when and how; add a report" },
	{ TUI_CTX_CASE, TUI_ACT_PANE_ASSESS, { '3' }, "3", "Assess: the decision, awareness time and clocks; record the decision" },
	{ TUI_CTX_CASE, TUI_ACT_PANE_RESPOND, { '4' }, "4", "Respond: contained, eradicated and recovered milestones" },
	{ TUI_CTX_CASE, TUI_ACT_PANE_LEARN, { '5' }, "5", "Learn: lessons and follow-ups; add them or waive the phase" },
	{ TUI_CTX_CASE, TUI_ACT_PANE_EVIDENCE, { '6' }, "6", "Evidence: items with SHA-256 and custody; add a file or a transfer" },
	{ TUI_CTX_CASE, TUI_ACT_PANE_OBSERVABLES, { 'o' }, "o", "observables of the case; add one" },
	{ TUI_CTX_CASE, TUI_ACT_PANE_ASSETS, { 'a' }, "a", "affected assets; add one from the inventory or typed in" },
	{ TUI_CTX_CASE, TUI_ACT_PANE_METRICS, { 'm' }, "m", "metrics from the action log: time to assess, contain, eradicate, recover and close, and time spent per phase" },
	{ TUI_CTX_CASE, TUI_ACT_CLOSE_CASE, { 'C' }, "C", "check the case first: list every item missing before it can close, or ask for the closing summary and close it" },
	{ TUI_CTX_CASE, TUI_ACT_FOCUS_BACK, { TUI_FKEY(KEY_BTAB) }, "Shift-Tab", "in the step text, select the previous #anchor link; before the first, focus the steps" },
	{ TUI_CTX_CASE, TUI_ACT_REFS, { 'r' }, "r", "show the playbook's reference panes: Overview, References and other sections that are not phases; Enter on a selected #anchor link in the step text goes to its step, phase or pane" },
	{ TUI_CTX_CASE, TUI_ACT_HELP, { '?', TUI_FKEY(KEY_F(1)) }, "?, F1", "show the keys" },
	{ TUI_CTX_CASE, TUI_ACT_BACK, { 'q' }, "q", "return focus to the steps, or go back to the case list" },

	{ TUI_CTX_INPUT, TUI_ACT_ACCEPT, { KEY_ENTER_KEYS }, "Enter", "save the text" },
	{ TUI_CTX_INPUT, TUI_ACT_CANCEL, { TUI_CTRL('g'), TUI_ESC }, "Ctrl-G, Esc", "cancel; each cancels only when pressed alone: one that arrives inside a paste or a longer sequence is kept as text (shown as ^G, ^[), and the rest of a paste is discarded when the input closes" },
	{ TUI_CTX_INPUT, TUI_ACT_ERASE_BACK, { TUI_FKEY(KEY_BACKSPACE), 127, TUI_CTRL('h') }, "Backspace", "delete the character before the cursor" },
	{ TUI_CTX_INPUT, TUI_ACT_ERASE_FORWARD, { TUI_FKEY(KEY_DC), TUI_CTRL('d') }, "Delete, Ctrl-D", "delete the character under the cursor" },
	{ TUI_CTX_INPUT, TUI_ACT_ERASE_LINE, { TUI_CTRL('u') }, "Ctrl-U", "delete everything before the cursor" },
	{ TUI_CTX_INPUT, TUI_ACT_LEFT, { TUI_FKEY(KEY_LEFT), TUI_CTRL('b') }, "Left, Ctrl-B", "move the cursor left" },
	{ TUI_CTX_INPUT, TUI_ACT_RIGHT, { TUI_FKEY(KEY_RIGHT), TUI_CTRL('f') }, "Right, Ctrl-F", "move the cursor right" },
	{ TUI_CTX_INPUT, TUI_ACT_LINE_START, { TUI_FKEY(KEY_HOME), TUI_CTRL('a') }, "Home, Ctrl-A", "move the cursor to the start" },
	{ TUI_CTX_INPUT, TUI_ACT_LINE_END, { TUI_FKEY(KEY_END), TUI_CTRL('e') }, "End, Ctrl-E", "move the cursor to the end" },

	{ TUI_CTX_HELP, TUI_ACT_UP, { 'k', TUI_FKEY(KEY_UP) }, "k, Up", "scroll up" },
	{ TUI_CTX_HELP, TUI_ACT_DOWN, { 'j', TUI_FKEY(KEY_DOWN) }, "j, Down", "scroll down" },
	{ TUI_CTX_HELP, TUI_ACT_PAGE_UP, { TUI_FKEY(KEY_PPAGE) }, "PgUp", "scroll up one page" },
	{ TUI_CTX_HELP, TUI_ACT_PAGE_DOWN, { TUI_FKEY(KEY_NPAGE), ' ' }, "PgDn, Space", "scroll down one page" },
	{ TUI_CTX_HELP, TUI_ACT_BACK, { 'q', '?', TUI_ESC }, "q, ?, Esc", "close the help" },

	{ TUI_CTX_RECORDS, TUI_ACT_UP, { 'k', TUI_FKEY(KEY_UP) }, "k, Up", "select the previous line" },
	{ TUI_CTX_RECORDS, TUI_ACT_DOWN, { 'j', TUI_FKEY(KEY_DOWN) }, "j, Down", "select the next line" },
	{ TUI_CTX_RECORDS, TUI_ACT_PAGE_UP, { TUI_FKEY(KEY_PPAGE) }, "PgUp", "move up one page" },
	{ TUI_CTX_RECORDS, TUI_ACT_PAGE_DOWN, { TUI_FKEY(KEY_NPAGE) }, "PgDn", "move down one page" },
	{ TUI_CTX_RECORDS, TUI_ACT_REC_ADD, { 'a' }, "a", "add a record of this pane: role, report, decision, milestone, lesson, evidence file, observable or asset" },
	{ TUI_CTX_RECORDS, TUI_ACT_REC_TRANSFER, { 't' }, "t", "Evidence: record a custody transfer of the selected item" },
	{ TUI_CTX_RECORDS, TUI_ACT_REC_FOLLOWUP, { 'f' }, "f", "Learn: add a follow-up with owner and due date" },
	{ TUI_CTX_RECORDS, TUI_ACT_REC_WAIVE, { 'w' }, "w", "Learn: waive the lessons, with a reason" },
	{ TUI_CTX_RECORDS, TUI_ACT_REC_DONE, { 'd' }, "d", "Learn: mark the selected follow-up done, with an optional note" },
	{ TUI_CTX_RECORDS, TUI_ACT_REC_NOTIFY, { 'n' }, "n", "Assess: record the notification that stops the selected clock: to whom, and a reference" },
	{ TUI_CTX_RECORDS, TUI_ACT_HELP, { '?', TUI_FKEY(KEY_F(1)) }, "?, F1", "show the keys" },
	{ TUI_CTX_RECORDS, TUI_ACT_BACK, { 'q', TUI_ESC }, "q, Esc", "go back to the case; in a form, Esc cancels it" },

	{ TUI_CTX_REPLAY, TUI_ACT_PAUSE, { ' ' }, "Space", "pause or resume the playback" },
	{ TUI_CTX_REPLAY, TUI_ACT_RIGHT, { TUI_FKEY(KEY_RIGHT), 'l' }, "Right, l", "pause and show the next action" },
	{ TUI_CTX_REPLAY, TUI_ACT_LEFT, { TUI_FKEY(KEY_LEFT), 'h' }, "Left, h", "pause and go back one action" },
	{ TUI_CTX_REPLAY, TUI_ACT_PANE_PREPARE, { '1' }, "1", "jump to the first action of Prepare" },
	{ TUI_CTX_REPLAY, TUI_ACT_PANE_REPORT, { '2' }, "2", "jump to the first action of Report" },
	{ TUI_CTX_REPLAY, TUI_ACT_PANE_ASSESS, { '3' }, "3", "jump to the first action of Assess" },
	{ TUI_CTX_REPLAY, TUI_ACT_PANE_RESPOND, { '4' }, "4", "jump to the first action of Respond" },
	{ TUI_CTX_REPLAY, TUI_ACT_PANE_LEARN, { '5' }, "5", "jump to the first action of Learn" },
	{ TUI_CTX_REPLAY, TUI_ACT_PANE_EVIDENCE, { '6' }, "6", "jump to the first action of Evidence" },
	{ TUI_CTX_REPLAY, TUI_ACT_HELP, { '?', TUI_FKEY(KEY_F(1)) }, "?, F1", "show the keys" },
	{ TUI_CTX_REPLAY, TUI_ACT_BACK, { 'q', TUI_ESC }, "q, Esc", "end the replay" },

	{ TUI_CTX_ACTION, TUI_ACT_UP, { 'k', TUI_FKEY(KEY_UP) }, "k, Up", "scroll up" },
	{ TUI_CTX_ACTION, TUI_ACT_DOWN, { 'j', TUI_FKEY(KEY_DOWN) }, "j, Down", "scroll down" },
	{ TUI_CTX_ACTION, TUI_ACT_PAGE_UP, { TUI_FKEY(KEY_PPAGE) }, "PgUp", "scroll up one page" },
	{ TUI_CTX_ACTION, TUI_ACT_PAGE_DOWN, { TUI_FKEY(KEY_NPAGE), ' ' }, "PgDn, Space", "scroll down one page" },
	{ TUI_CTX_ACTION, TUI_ACT_FIRST, { 'g', TUI_FKEY(KEY_HOME) }, "g, Home", "go to the top" },
	{ TUI_CTX_ACTION, TUI_ACT_LAST, { 'G', TUI_FKEY(KEY_END) }, "G, End", "go to the bottom" },
	{ TUI_CTX_ACTION, TUI_ACT_HELP, { '?', TUI_FKEY(KEY_F(1)) }, "?, F1", "show the keys" },
	{ TUI_CTX_ACTION, TUI_ACT_BACK, { 'q', TUI_ESC }, "q, Esc", "go back to the case" },

	{ TUI_CTX_REFS, TUI_ACT_UP, { 'k', TUI_FKEY(KEY_UP) }, "k, Up", "select the previous pane, or scroll the text up" },
	{ TUI_CTX_REFS, TUI_ACT_DOWN, { 'j', TUI_FKEY(KEY_DOWN) }, "j, Down", "select the next pane, or scroll the text down" },
	{ TUI_CTX_REFS, TUI_ACT_PAGE_UP, { TUI_FKEY(KEY_PPAGE) }, "PgUp", "scroll the text up one page" },
	{ TUI_CTX_REFS, TUI_ACT_PAGE_DOWN, { TUI_FKEY(KEY_NPAGE), ' ' }, "PgDn, Space", "scroll the text down one page" },
	{ TUI_CTX_REFS, TUI_ACT_FIRST, { 'g', TUI_FKEY(KEY_HOME) }, "g, Home", "go to the top of the text" },
	{ TUI_CTX_REFS, TUI_ACT_LAST, { 'G', TUI_FKEY(KEY_END) }, "G, End", "go to the bottom of the text" },
	{ TUI_CTX_REFS, TUI_ACT_FOCUS, { '\t' }, "Tab", "select the next #anchor link in the text" },
	{ TUI_CTX_REFS, TUI_ACT_FOCUS_BACK, { TUI_FKEY(KEY_BTAB) }, "Shift-Tab", "select the previous #anchor link in the text" },
	{ TUI_CTX_REFS, TUI_ACT_OPEN, { KEY_ENTER_KEYS }, "Enter", "follow the selected link: show its pane, or go back to the case on its step or phase; with no link selected, switch between the list and the text" },
	{ TUI_CTX_REFS, TUI_ACT_HELP, { '?', TUI_FKEY(KEY_F(1)) }, "?, F1", "show the keys" },
	{ TUI_CTX_REFS, TUI_ACT_BACK, { 'q', TUI_ESC }, "q, Esc", "return to the list of panes, or go back to the case" },

	{ TUI_CTX_REPORT, TUI_ACT_UP, { 'k', TUI_FKEY(KEY_UP) }, "k, Up", "scroll up" },
	{ TUI_CTX_REPORT, TUI_ACT_DOWN, { 'j', TUI_FKEY(KEY_DOWN) }, "j, Down", "scroll down" },
	{ TUI_CTX_REPORT, TUI_ACT_PAGE_UP, { TUI_FKEY(KEY_PPAGE) }, "PgUp", "scroll up one page" },
	{ TUI_CTX_REPORT, TUI_ACT_PAGE_DOWN, { TUI_FKEY(KEY_NPAGE), ' ' }, "PgDn, Space", "scroll down one page" },
	{ TUI_CTX_REPORT, TUI_ACT_FIRST, { 'g', TUI_FKEY(KEY_HOME) }, "g, Home", "go to the top" },
	{ TUI_CTX_REPORT, TUI_ACT_LAST, { 'G', TUI_FKEY(KEY_END) }, "G, End", "go to the bottom" },
	{ TUI_CTX_REPORT, TUI_ACT_HELP, { '?', TUI_FKEY(KEY_F(1)) }, "?, F1", "show the keys" },
	{ TUI_CTX_REPORT, TUI_ACT_BACK, { 'q', TUI_ESC }, "q, Esc", "go back to the closed drill" },

	{ TUI_CTX_CLOSE, TUI_ACT_UP, { 'k', TUI_FKEY(KEY_UP) }, "k, Up", "scroll up" },
	{ TUI_CTX_CLOSE, TUI_ACT_DOWN, { 'j', TUI_FKEY(KEY_DOWN) }, "j, Down", "scroll down" },
	{ TUI_CTX_CLOSE, TUI_ACT_PAGE_UP, { TUI_FKEY(KEY_PPAGE) }, "PgUp", "scroll up one page" },
	{ TUI_CTX_CLOSE, TUI_ACT_PAGE_DOWN, { TUI_FKEY(KEY_NPAGE), ' ' }, "PgDn, Space", "scroll down one page" },
	{ TUI_CTX_CLOSE, TUI_ACT_FIRST, { 'g', TUI_FKEY(KEY_HOME) }, "g, Home", "go to the top" },
	{ TUI_CTX_CLOSE, TUI_ACT_LAST, { 'G', TUI_FKEY(KEY_END) }, "G, End", "go to the bottom" },
	{ TUI_CTX_CLOSE, TUI_ACT_HELP, { '?', TUI_FKEY(KEY_F(1)) }, "?, F1", "show the keys" },
	{ TUI_CTX_CLOSE, TUI_ACT_BACK, { 'q', TUI_ESC }, "q, Esc", "go back to the case to fix the items" },
};

static const char *const ctx_names[TUI_CTX_COUNT] = {
	[TUI_CTX_LIST] = "Case list",
	[TUI_CTX_NEW] = "New case",
	[TUI_CTX_CASE] = "Case view",
	[TUI_CTX_INPUT] = "Text input (title, note)",
	[TUI_CTX_HELP] = "Help",
	[TUI_CTX_RECORDS] = "Record panes (1-6, o, a, m in the case view)",
	[TUI_CTX_ACTION] = "Action detail (Enter on a timeline entry)",
	[TUI_CTX_REPLAY] = "Replay (r in the case list, ircase replay)",
	[TUI_CTX_REFS] = "Reference panes (r in the case view)",
	[TUI_CTX_REPORT] = "After-action report (closing a drill)",
	[TUI_CTX_CLOSE] = "Missing before closing (C in the case view)",
};

const struct tui_key *tui_keys(size_t *count)
{
	*count = sizeof(keys) / sizeof(keys[0]);
	return keys;
}

const char *tui_keyctx_name(enum tui_keyctx ctx)
{
	return ctx < TUI_CTX_COUNT ? ctx_names[ctx] : "";
}

enum tui_action tui_key_action(enum tui_keyctx ctx, int key)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (keys[i].ctx != ctx)
			continue;
		for (size_t k = 0; k < 5 && keys[i].keys[k] != 0; k++)
			if (keys[i].keys[k] == key)
				return keys[i].action;
	}
	return TUI_ACT_NONE;
}

/* Writes s for roff: a leading '.' or '\'' and every '\\' escaped. */
static void roff_text(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

void tui_keys_print(FILE *out, bool man)
{
	enum tui_keyctx ctx = TUI_CTX_COUNT;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct tui_key *k = &keys[i];

		if (k->ctx != ctx) {
			ctx = k->ctx;
			if (man) {
				fputs(".SS ", out);
				roff_text(out, ctx_names[ctx]);
				fputc('\n', out);
			} else {
				fprintf(out, "%s%s:\n", i ? "\n" : "", ctx_names[ctx]);
			}
		}
		if (man) {
			fputs(".TP\n.B ", out);
			roff_text(out, k->names);
			fputc('\n', out);
			roff_text(out, k->help);
			fputc('\n', out);
		} else {
			fprintf(out, "  %-16s %s\n", k->names, k->help);
		}
	}
}

void tui_scroll(size_t *top, long delta, size_t count, int rows)
{
	long to = (long)*top + delta, max = (long)count - rows;

	if (to > max)
		to = max;
	*top = to < 0 ? 0 : (size_t)to;
}

bool tui_scroll_key(enum tui_action action, size_t *top, size_t count,
    int rows)
{
	long delta;

	switch (action) {
	case TUI_ACT_UP:
		delta = -1;
		break;
	case TUI_ACT_DOWN:
		delta = 1;
		break;
	case TUI_ACT_PAGE_UP:
		delta = -rows;
		break;
	case TUI_ACT_PAGE_DOWN:
		delta = rows;
		break;
	case TUI_ACT_FIRST:
		delta = -(long)count;
		break;
	case TUI_ACT_LAST:
		delta = (long)count;
		break;
	default:
		return false;
	}
	tui_scroll(top, delta, count, rows);
	return true;
}
