#!/bin/sh
# Runs feedmux on the bundled demo configuration (what `make demo` does):
#
#   sh etc/demo/run.sh SRCDIR BUILDDIR
#
# SRCDIR is the top source directory (holding etc/demo), BUILDDIR the top
# build directory (holding src/feedmux); both default to the source tree
# this script is in.  Environment:
#
#   FEEDMUX_DEMO_DIR   state directory: demo.conf and the database
#                      (default /tmp/feedmux-demo)
#   FEEDMUX_DEMO_PORT  port to listen on, on 127.0.0.1 (default 8080)
#
# POSIX sh: make runs this with $(SHELL), which may be dash.

set -eu

die() {
	printf 'feedmux demo: %s\n' "$*" >&2
	exit 1
}

here=$(dirname -- "$0")
src=${1:-$here/../..}
build=${2:-$src}
unset CDPATH
SRCDIR=$(cd -- "$src" && pwd) || die "no source directory '$src'"
BUILDDIR=$(cd -- "$build" && pwd) || die "no build directory '$build'"

DEMO_DIR=$SRCDIR/etc/demo
STATE=${FEEDMUX_DEMO_DIR:-/tmp/feedmux-demo}
PORT=${FEEDMUX_DEMO_PORT:-8080}
FEEDMUX=$BUILDDIR/src/feedmux

[ -f "$DEMO_DIR/demo.conf.in" ] || die "$DEMO_DIR/demo.conf.in not found"
[ -x "$FEEDMUX" ] || die "$FEEDMUX not built yet: run make first"

case $PORT in
'' | *[!0-9]*) die "FEEDMUX_DEMO_PORT must be a port number, not '$PORT'" ;;
esac
if [ ${#PORT} -gt 5 ] || [ "$PORT" -lt 1 ] || [ "$PORT" -gt 65535 ]; then
	die "FEEDMUX_DEMO_PORT must be between 1 and 65535, not '$PORT'"
fi

mkdir -p -- "$STATE" || die "cannot create state directory $STATE"
STATE=$(cd -- "$STATE" && pwd)

# Replacement text for sed: escape \, & and the | delimiter.
sed_escape() {
	printf '%s\n' "$1" | sed 's/[\\&|]/\\&/g'
}
# The demo directory goes into file:// URLs: percent-encode what a URL
# may not contain as is (% first, then spaces and a few others).
url_path() {
	printf '%s\n' "$1" | sed -e 's/%/%25/g' -e 's/ /%20/g' -e 's/#/%23/g' \
		-e 's/?/%3F/g' -e 's/"/%22/g'
}

case $STATE in
*'
'*) die "the state directory's name must not contain a newline" ;;
esac
case $DEMO_DIR in
*'
'*) die "the source directory's name must not contain a newline" ;;
esac

demo_url=$(sed_escape "$(url_path "$DEMO_DIR")")
state_esc=$(sed_escape "$STATE")

sed -e "s|@DEMO_DIR@|$demo_url|g" \
	-e "s|@STATE_DIR@|$state_esc|g" \
	-e "s|@PORT@|$PORT|g" \
	"$DEMO_DIR/demo.conf.in" >"$STATE/demo.conf.tmp" ||
	die "cannot write $STATE/demo.conf"
mv -f -- "$STATE/demo.conf.tmp" "$STATE/demo.conf"

base=http://127.0.0.1:$PORT
line() {
	printf '  %-46s (%s)\n' "$base$1" "$2"
}
printf '\nfeedmux demo: configuration %s, database %s\n' \
	"$STATE/demo.conf" "$STATE/feedmux.db"
echo "feedmux demo: point your feed reader at"
line /feed.atom "all sections, merged"
# One line per [section NAME] of the configuration.
sed -n 's/^[[:space:]]*\[[[:space:]]*section[[:space:]]\{1,\}\([A-Za-z0-9_.-]\{1,\}\)[[:space:]]*\].*/\1/p' \
	"$STATE/demo.conf" |
	while read -r name; do
		line "/sections/$name.atom" "one section: $name"
	done
line /healthz "status, JSON"
printf 'feedmux demo: stop it with Ctrl-C.\n\n'

exec "$FEEDMUX" -c "$STATE/demo.conf" -v
