/*
 * term.h: the terminal type check that runs before curses starts.
 */
#ifndef IRC_TUI_TERM_H
#define IRC_TUI_TERM_H

#include <stdbool.h>

/*
 * Checks TERM before curses starts, since initscr() exits the process
 * with its own message when the terminal type is unknown.  Prints one
 * line naming TERM and what to set, and returns false, when TERM is unset,
 * has no terminfo entry, or names a terminal that cannot move the cursor
 * (dumb, hard-copy).
 */
bool tui_term_check(void);

#endif
