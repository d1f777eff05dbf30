/*
 * tui.h: the ncurses interface, as called by the command line front end.
 */
#ifndef IRC_TUI_H
#define IRC_TUI_H

#include <stdbool.h>
#include <stdio.h>

struct irc_db;

/*
 * Runs the TUI on an open database until the user quits.  Returns a process
 * exit status: 0 after a normal quit, 1 on failure.  Nothing is printed
 * while curses is active; a fatal error ends curses first and then prints
 * one line to stderr.  The caller still owns and closes db.
 */
int tui_run(struct irc_db *db);

/*
 * Prints the key table to out: plain text for --help when man is false,
 * roff lines for the KEY BINDINGS section of ircase(1) when true.
 */
void tui_keys_print(FILE *out, bool man);

#endif
