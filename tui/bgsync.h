/*
 * bgsync.h: TheHive sync in the background of the terminal interface,
 * and the sync state shown in the case view's status bar.
 */
#ifndef IRC_TUI_BGSYNC_H
#define IRC_TUI_BGSYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

struct tui;

/*
 * Reaps a finished sync child and, when a TheHive target is configured
 * and IRCASE_SYNC_INTERVAL seconds (default 30, 0 for never) have passed
 * since the last start, starts "ircase sync -q --no-wait" as a child
 * process.  Called on every tick of the input loop; never blocks.
 */
void tui_bgsync_tick(struct tui *t);

/*
 * Writes the sync state of case case_id into buf, short enough for an
 * 80-column status bar: "sync ok HH:MM:SS" (the last sync), "sync: N
 * pending" (pending and failed actions; "syncing" while a pass runs),
 * "sync failed: " and the start of the last error, each prefixed "drill "
 * for a drill target.  Writes "" and returns false when no TheHive target
 * is configured.
 */
bool tui_bgsync_status(struct irc_db *db, int64_t case_id, char *buf,
    size_t size);

#endif
