#!/bin/sh
# first-poll.sh BUILDDIR [N]: the time and peak memory of `feedmux --once`
# polling N feeds (default 1000) of 20 items each, served by tests/feedserver
# on 127.0.0.1, from an empty database.  Prints one line of figures.
# FEEDMUX_WRAP, when set, is put before the feedmux command (e.g.
# "perf record -g -o /tmp/fp.data") to profile the same run; FEEDMUX_ARGS
# is added to its command line (e.g. -v: the log then ends with the
# poller's parse turns and store transactions), and KEEP_LOG names a file
# the daemon's log is copied to, KEEP_DB a file the database is copied to
# (e.g. to count its stories).
set -eu
build=${1:?usage: first-poll.sh BUILDDIR [N]}
n=${2:-1000}
tmp=$(mktemp -d /tmp/feedmux-bench.XXXXXX)
trap 'kill $fs 2>/dev/null; if [ -n "${KEEP_LOG:-}" ]; then cp "$tmp/log" "$KEEP_LOG"; fi; if [ -n "${KEEP_DB:-}" ]; then cp "$tmp/bench.db" "$KEEP_DB"; fi; rm -rf "$tmp"' EXIT INT TERM

mkdir "$tmp/files"
"$build/tests/feedserver" -d "$tmp/files" -p 0 -P "$tmp/port" -g "$n" >/dev/null &
fs=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$tmp/port")

{
	echo "database = $tmp/bench.db"
	echo "concurrency = 32"
	echo "per_host = 32"
	echo "[section bench]"
	i=0
	while [ $i -lt "$n" ]; do
		printf '[feed gen%d]\nurl = http://127.0.0.1:%s/gen/%d.rss\nsection = bench\n' \
			$i "$port" $i
		i=$((i + 1))
	done
} >"$tmp/bench.conf"

/usr/bin/time -f "%e %U %S %M" -o "$tmp/time" ${FEEDMUX_WRAP:-} \
	"$build/src/feedmux" --once ${FEEDMUX_ARGS:-} -c "$tmp/bench.conf" 2>"$tmp/log" || {
	echo "feedmux --once failed:"; tail -5 "$tmp/log"; exit 1; }
read -r wall user sys rss <"$tmp/time"
items=$(sqlite3 "$tmp/bench.db" 'SELECT count(*) FROM items' 2>/dev/null || echo '?')
echo "first poll of $n feeds: ${wall}s wall, $(awk "BEGIN{print $user + $sys}")s CPU, peak RSS ${rss} KiB, $items items stored"
