#!/bin/sh
# Check that the Debian packages ircase builds and tests with are installed.
# As root, install the missing ones with apt-get; otherwise print the exact
# apt-get line to run and fail.
#
# usage: scripts/deps.sh build|test
set -eu

build_pkgs="gcc make pkg-config libncurses-dev libsqlite3-dev libcurl4-openssl-dev
libjansson-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libssl-dev
libxlsxwriter-dev openssh-client"
test_pkgs="libcmocka-dev tmux sqlite3 clang libclang-rt-dev cmark-gfm tig git xlsx2csv"

case "${1:-build}" in
build) want=$build_pkgs ;;
test) want="$build_pkgs $test_pkgs" ;;
*) echo "usage: scripts/deps.sh build|test" >&2; exit 2 ;;
esac

missing=
for pkg in $want; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case $status in
	*" installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "ircase needs these Debian packages; install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi

echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || apt-get update >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
