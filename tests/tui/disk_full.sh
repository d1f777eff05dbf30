#!/bin/sh
# A full disk: saving a note fails with a clear message, the note stays in
# the editor and in its draft, the database stays consistent, and once
# space returns the same note saves.  Needs root to mount a small tmpfs.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "disk full" "tmux is not installed"
	exit 0
fi
mkdir -p "$T/small"
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=2m tmpfs "$T/small" 2>/dev/null; then
	skip "disk full" "needs root to mount a tmpfs"
	exit 0
fi
trap 'tui_stop; umount "$T/small" 2>/dev/null; rm -rf "$T"' EXIT
export IRCASE_DB="$T/small/ircase.db"
export XDG_STATE_HOME="$T/state"
fixture_case "Full disk"

tui_start 80 24
check_wait "list drawn" "Full disk"
keys Enter
check_wait "case open" "Timeline, 1 action"
dd if=/dev/zero of="$T/small/fill" bs=4k 2>/dev/null
keys n
type_text "written when the disk was full"
keys Enter
check_wait "the failure names the full disk" "Disk full" 5
check_match "the message says the note is kept as a draft" "kept as a draft" "$(screen)"
check_match "the note stays in the editor" "Note on step 1: written when the disk was full" "$(screen)"
check "the draft holds the note" 1 "$(grep -c "written when the disk was full" "$T"/state/ircase/drafts/*.txt 2>/dev/null)"
check "integrity_check is ok while full" ok "$(sqlite3 "$IRCASE_DB" 'PRAGMA integrity_check' 2>&1)"
"$IRCASE" verify 1 >/dev/null 2>&1
check "chain verifies while full" 0 $?

rm -f "$T/small/fill"
keys Enter
check_wait "with space back the same note saves" "Note saved." 5
check "the note reached the database" "written when the disk was full" \
    "$(sqlite3 "$IRCASE_DB" "SELECT json_extract(body, '$.text') FROM action WHERE kind = 'note'")"
check "the draft is gone" 0 "$(ls "$T/state/ircase/drafts" | wc -l)"
"$IRCASE" verify 1 >/dev/null
check "chain verifies after" 0 $?
keys q q
check_clean_exit "quits cleanly"
