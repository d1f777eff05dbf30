/*
 * term.c: the terminal type check that runs before curses starts.  It
 * lives apart from tui.c because <term.h> defines macros (lines, columns)
 * that clash with ordinary names elsewhere.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curses.h>
#include <term.h>

#include "term.h"

bool tui_term_check(void)
{
	const char *term = getenv("TERM");
	char shown[65], *cup;
	size_t n = 0;
	int err = 0;

	if (term == NULL || *term == '\0') {
		fputs("ircase: TERM is not set; set it to your terminal's type "
		    "(for example TERM=xterm-256color) or use a command (see "
		    "'ircase --help')\n", stderr);
		return false;
	}
	/* TERM is untrusted text: printable ASCII only, at most 64 bytes. */
	for (const char *p = term; *p != '\0' && n < sizeof(shown) - 1; p++)
		shown[n++] = *p >= 0x20 && *p < 0x7f ? *p : '?';
	shown[n] = '\0';
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		fprintf(stderr, "ircase: TERM=%s is not a terminal type this "
		    "system knows (no terminfo entry); set TERM to one it has, "
		    "such as xterm-256color or vt100, or install ncurses-term\n",
		    shown);
		return false;
	}
	cup = tigetstr("cup");
	if (cup == NULL || cup == (char *)-1 || tigetflag("hc") > 0) {
		del_curterm(cur_term);
		fprintf(stderr, "ircase: TERM=%s cannot move the cursor, which the "
		    "terminal interface needs; set TERM to your terminal's "
		    "type (for example xterm-256color or vt100) or use a "
		    "command (see 'ircase --help')\n", shown);
		return false;
	}
	del_curterm(cur_term);
	return true;
}

