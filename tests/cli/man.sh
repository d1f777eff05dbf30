#!/bin/sh
# ircase(1): the page renders, and its KEY BINDINGS section is exactly
# what "ircase --help-keys-man" prints from the TUI's key table.
#
# To regenerate the section after a change to the key table:
#	IRCASE_UPDATE_MAN=1 sh tests/cli/man.sh
. "$(dirname "$0")/../lib.sh"

page="$IRCASE_TOP/man/ircase.1"

# Prints the lines between the BEGIN and END KEY BINDINGS markers of $page.
keys_section() {
	awk '/^\.\\" END KEY BINDINGS/ { inside = 0 }
	    inside { print }
	    /^\.\\" BEGIN KEY BINDINGS/ { inside = 1 }' "$page"
}

generated=$("$IRCASE" --help-keys-man)
rc=$?
check "help-keys-man exit status" 0 "$rc"
check_match "help-keys-man prints roff" '^\.SS ' "$generated"

if [ "${IRCASE_UPDATE_MAN:-}" = 1 ]; then
	printf '%s\n' "$generated" >"$T/keys"
	awk -v keys="$T/keys" '
	    /^\.\\" END KEY BINDINGS/ { inside = 0 }
	    !inside { print }
	    /^\.\\" BEGIN KEY BINDINGS/ {
		inside = 1
		while ((getline line < keys) > 0) print line
	    }' "$page" >"$T/page" && cat "$T/page" >"$page"
fi

check "man page key bindings match key table" "$generated" "$(keys_section)"

begin=$(grep -c '^\.\\" BEGIN KEY BINDINGS' "$page")
end=$(grep -c '^\.\\" END KEY BINDINGS' "$page")
check "man page has one begin marker" 1 "$begin"
check "man page has one end marker" 1 "$end"

if command -v man >/dev/null 2>&1; then
	rendered=$(MANWIDTH=80 man -l "$page" 2>"$T/man.err")
	check "man renders without errors" "" "$(grep -v '^$' "$T/man.err")"
	for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS ENVIRONMENT \
	    FILES "JSON OUTPUT" "KEY BINDINGS" "EXIT STATUS" "ACTION LOG" BUGS \
	    "SEE ALSO"; do
		check_match "man page has $section" "^$section\$" "$rendered"
	done
	check_match "man page names ircase-playbook(5)" 'ircase-playbook\(5\)' \
	    "$rendered"
else
	skip "man renders without errors" "man is not installed"
fi

if command -v groff >/dev/null 2>&1; then
	warnings=$(groff -man -ww -z "$page" 2>&1)
	check "groff reports no warnings" "" "$warnings"
else
	skip "groff reports no warnings" "groff is not installed"
fi

# The pages state what the code does.
conf="$IRCASE_TOP/man/ircase.conf.5"
check_no_match "BUGS claims no missing exports" "Only JSON export is implemented" \
    "$(cat "$page")"
# Every thehive setting that core/thehive_config.c reads is documented.
settings=$(sed -n '/^static const char \*const env_settings/,/};/p' \
    "$IRCASE_TOP/core/thehive_config.c" | grep -o '"[a-z_]*"' | tr -d '"')
check_match "thehive settings found in the source" "custom_field" "$settings"
for s in $settings; do
	check_match "ircase.conf(5) documents thehive $s" "^\.B(R)? $s( |\$)" \
	    "$(sed -n '/^\.SH THEHIVE/,/^\.SH EXAMPLE/p' "$conf")"
done
check_match "ircase.conf(5) documents assets.columns id" "^\.B id\$" \
    "$(sed -n '/^\.SH ASSETS/,/^\.SH SYSLOG/p' "$conf")"
check_match "ircase(1) says skip needs a note" "except for" \
    "$(sed -n '/^\.B step /,/^\.TP/p' "$page")"
check_no_match "drill help: --playbook optional with a scenario" \
    "^  start --playbook FILE \[--scenario" "$("$IRCASE" drill --help)"
check_match "README names libcurl and libxlsxwriter" \
    "libcurl.*libxlsxwriter|libxlsxwriter.*libcurl" \
    "$(tr '\n' ' ' <"$IRCASE_TOP/README.md")"

echo "1..$_tap_n"
