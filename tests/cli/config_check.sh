#!/bin/sh
# Every command that reads config.yaml reports it the same way: one
# warning per unknown key, and for a bad value the FILE:LINE error with
# exit status 1 and no change to the database.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
cfg="$T/c.yaml"
export IRCASE_CONFIG="$cfg"
printf '' >"$cfg"
"$IRCASE" new --playbook "$pb" --title "Existing" >/dev/null
"$IRCASE" new --playbook "$pb" --title "Second" >/dev/null
printf 'name,owner\nweb01,ops\n' >"$T/inv.csv"
echo data >"$T/ev.bin"

# Each line: a name, then the command's arguments.  Every command here
# reads config.yaml, directly or because it appends to the action log.
commands() {
	cat <<EOF
new|new --playbook $pb --title Third
note|note 1 text
step|step 1 1 start
show|show 1
show json|show 1 --json
export|export 1 --format json -o $T/x.json
audit-pack|audit-pack --from 2000-01-01 --to 2099-01-01 $T/pack
verify|verify 1
assets|assets
asset add|asset add 1 --name web02
decide|decide 2 incident --reason phishing
clock|clock 2 start gdpr
role|role 1 scribe alice
report|report 1 --by bob --channel phone text
evidence add|evidence add 1 $T/ev.bin
observable add|observable add 1 ip 192.0.2.1
playbook list|playbook list
milestone|milestone 2 contained
lesson|lesson 2 --went-well fast
followup add|followup add 1 --owner ops --due 2030-01-01 patch
EOF
}

commands >"$T/commands"

# run_table STATUS WHAT PATTERN...: runs every command of the table
# against the current config.yaml and checks the exit status, and that
# each pattern matches exactly one line of stderr.
run_table() {
	want=$1 what=$2
	shift 2
	while IFS='|' read -r name args; do
		before=$(db_sum)
		# shellcheck disable=SC2086
		"$IRCASE" $args >"$T/out" 2>"$T/err"
		check "$name: $what exit status" "$want" "$?"
		if [ "$want" != 0 ]; then
			check "$name: $what database unchanged" "$before" \
			    "$(db_sum)"
		fi
		for pattern in "$@"; do
			check "$name: $what line '$pattern'" 1 \
			    "$(grep -cE -- "$pattern" "$T/err")"
		done
	done <"$T/commands"
}

# Unknown keys: a warning naming FILE:LINE for each, and the command runs.
cat >"$cfg" <<EOF
bogus: 1
assets:
  file: $T/inv.csv
  colums:
    name: Host
EOF
run_table 0 "unknown keys" \
    "^ircase: warning: $cfg:1: unknown key 'bogus'; ignored\$" \
    "^ircase: warning: $cfg:4: unknown key 'colums' in assets; ignored\$"

# thehive check fails without a URL, after the same warning.
"$IRCASE" thehive check >"$T/out" 2>"$T/err"
check_match "thehive check warning" \
    "^ircase: warning: $cfg:1: unknown key 'bogus'; ignored" "$(cat "$T/err")"

# A bad value stops every command with the same FILE:LINE error.
printf 'syslog:\n  facility: local9\n' >"$cfg"
run_table 1 "bad facility" \
    "^ircase: $cfg:2: invalid syslog facility 'local9'"

# Help and usage errors come before the configuration is read.
"$IRCASE" note --help >"$T/out" 2>"$T/err"
check "help with bad config exit status" 0 "$?"
check "help with bad config stderr" "" "$(cat "$T/err")"
"$IRCASE" note x y >"$T/out" 2>"$T/err"
check "usage error before config" 2 "$?"

# Commands that never read config.yaml still run.
"$IRCASE" list >"$T/out" 2>"$T/err"
check "list ignores config.yaml" 0 "$?"

echo "1..$_tap_n"
