/*
 * tui.h: the ncurses interface, as called by the command line front end.
 */
#ifndef IRC_TUI_H
#define IRC_TUI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct irc_db;

/*
 * Runs the TUI on an open database until the user quits.  Returns a process
 * exit status: 0 after a normal quit, 1 on failure.  Nothing is printed
 * while curses is active; a fatal error ends curses first and then prints
 * one line to stderr.  The caller still owns and closes db.
 */
int tui_run(struct irc_db *db);

struct tui_replay_opts {
	int64_t case_id;
	int speed;		/* log seconds per wall second, 1 or more */
	int64_t from_offset_us;	/* start this long after the opening, or 0 */
	int64_t from_time_us;	/* start at this time (UTC), or 0 */
};

/*
 * Plays the log of a case back on the replay screen, read-only, until the
 * user quits.  Returns an exit status as tui_run() does; a case that
 * cannot be loaded ends curses and prints why.
 */
int tui_replay(struct irc_db *db, const struct tui_replay_opts *opts);

/*
 * Prints the key table to out: plain text for --help when man is false,
 * roff lines for the KEY BINDINGS section of ircase(1) when true.
 */
void tui_keys_print(FILE *out, bool man);

#endif
