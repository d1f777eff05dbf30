#!/bin/sh
# Fill a demo database with cases opened from the shipped playbooks, so
# `make run` shows a case list with work in progress.
#
# usage: scripts/demo.sh IRCASE_BINARY DATABASE
set -eu
bin=$1
db=$2
top=$(cd "$(dirname "$0")/.." && pwd)

new() {
	"$bin" --db "$db" new --playbook "$top/playbooks/$1" --title "$2" --severity "$3"
}

if [ -f "$top/playbooks/phishing.md" ]; then
	n=$(new phishing.md "Credential phishing wave against finance" 3)
	"$bin" --db "$db" step "$n" 1 done --note "Reporter forwarded the mail as an attachment."
	"$bin" --db "$db" step "$n" 2 start
	"$bin" --db "$db" note "$n" "Mail gateway shows 14 recipients; 2 clicked the link."
fi
if [ -f "$top/playbooks/ransomware.md" ]; then
	n=$(new ransomware.md "Encrypted file shares on FS-02" 4)
	"$bin" --db "$db" step "$n" 1 done
	"$bin" --db "$db" note "$n" "Backups of FS-02 from last night verified offline."
fi
if [ -f "$top/playbooks/lost-device.md" ]; then
	new lost-device.md "Laptop stolen from a car, sales team" 2 >/dev/null
fi
echo "demo database: $db" >&2
