# lib.sh — what every end-to-end script shares (sourced by bash).
#
# TAP output (ok, check, is, like, skip, diag, bail_out, done_testing); a
# private temp dir $TMP that is removed on exit, with every process started
# through this file killed first; helpers that start tests/feedserver and
# src/feedmux on free loopback ports and read their answers.  Every wait is
# bounded: WAIT_STEPS tries 0.1 s apart.
#
# $top_srcdir (fixtures) and $top_builddir (binaries) come from make check;
# run by hand they default to the directory above this file.

set -u

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$LIB_DIR/..}"
: "${top_builddir:=$LIB_DIR/..}"
FIXTURES=$top_srcdir/tests/data/e2e
FEEDMUX=$top_builddir/src/feedmux
FEEDSERVER=$top_builddir/tests/feedserver
# The system Python: the one on PATH may lack feedparser.
PY3=/usr/bin/python3
WAIT_STEPS=${WAIT_STEPS:-150}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/feedmux-e2e.XXXXXX") || exit 99
STARTED_PIDS=()

# ---- TAP ----

TAP_N=0
TAP_FAILED=0

# diag TEXT...: each line as a TAP comment.
diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

# ok STATUS NAME: passes when STATUS is 0, like a shell exit status, so
# "cmd; ok $? name" reads naturally.
ok() {
	TAP_N=$((TAP_N + 1))
	if [ "$1" -eq 0 ] 2>/dev/null; then
		echo "ok $TAP_N - $2"
		return 0
	fi
	echo "not ok $TAP_N - $2"
	TAP_FAILED=$((TAP_FAILED + 1))
	return 1
}

# check NAME CMD...: passes when CMD succeeds.
check() {
	local name=$1
	shift
	"$@"
	ok $? "$name"
}

# is GOT WANT NAME: string equality, both shown on failure.
is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
		return 0
	fi
	ok 1 "$3"
	diag "got:"
	diag "$1"
	diag "want:"
	diag "$2"
	return 1
}

# like GOT REGEX NAME: bash regex match.
like() {
	if [[ $1 =~ $2 ]]; then
		ok 0 "$3"
		return 0
	fi
	ok 1 "$3"
	diag "got:"
	diag "$1"
	diag "want a match for: $2"
	return 1
}

# skip NAME REASON: only for a missing tool, never to hide a failure.
skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

# bail_out REASON: the rest of the script cannot run.
bail_out() {
	log_tail
	echo "Bail out! $*"
	exit 1
}

done_testing() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ] || diag "$TAP_FAILED of $TAP_N tests failed"
	[ "$TAP_FAILED" -eq 0 ]
	exit
}

# ---- processes ----

lib_cleanup() {
	local pid i

	for pid in "${STARTED_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${STARTED_PIDS[@]}"; do
		for ((i = 0; i < 50; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap lib_cleanup EXIT
trap 'exit 130' INT TERM HUP

forget_pid() {
	local pid keep=()

	for pid in "${STARTED_PIDS[@]}"; do
		[ "$pid" = "$1" ] || keep+=("$pid")
	done
	STARTED_PIDS=("${keep[@]}")
}

# wait_exit PID: waits (5 s at most) for PID to end and sets EXIT_RC to
# its exit status, or to "timeout".
wait_exit() {
	local pid=$1 i

	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		EXIT_RC=timeout
		return 1
	fi
	wait "$pid"
	EXIT_RC=$?
	forget_pid "$pid"
}

# wait_for CMD...: retries CMD until it succeeds, WAIT_STEPS times.
wait_for() {
	local i

	for ((i = 0; i < WAIT_STEPS; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

free_port() {
	"$PY3" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

require_binaries() {
	[ -x "$FEEDMUX" ] || bail_out "no $FEEDMUX (build first)"
	[ -x "$FEEDSERVER" ] || bail_out "no $FEEDSERVER (make check builds it)"
	command -v curl >/dev/null || bail_out "curl is required"
	[ -x "$PY3" ] || bail_out "$PY3 is required"
}

# copy_fixtures: the feeds go to $FEEDS_DIR, which tests may rewrite.
copy_fixtures() {
	FEEDS_DIR=$TMP/feeds
	mkdir -p "$FEEDS_DIR"
	cp "$FIXTURES"/*.rss "$FIXTURES"/*.atom "$FEEDS_DIR"/
}

# replace_feed NAME SRC: swaps a served feed in one rename, so the server
# never reads half a file.
replace_feed() {
	cp "$2" "$FEEDS_DIR/.$1.new" && mv -f "$FEEDS_DIR/.$1.new" "$FEEDS_DIR/$1"
}

# start_feedserver DIR [ARGS...]: sets FSPID, FSPORT, FSURL.
start_feedserver() {
	local dir=$1 i

	shift
	rm -f "$TMP/feedserver.port"
	"$FEEDSERVER" -d "$dir" -P "$TMP/feedserver.port" "$@" \
		>/dev/null 2>>"$TMP/feedserver.log" &
	FSPID=$!
	STARTED_PIDS+=("$FSPID")
	for ((i = 0; i < WAIT_STEPS; i++)); do
		[ -s "$TMP/feedserver.port" ] && break
		kill -0 "$FSPID" 2>/dev/null || break
		sleep 0.1
	done
	FSPORT=$(cat "$TMP/feedserver.port" 2>/dev/null)
	FSURL=http://127.0.0.1:$FSPORT
	[ -n "$FSPORT" ] || { diag "$(cat "$TMP/feedserver.log")"; return 1; }
}

# make_config OUT INTERVAL FEED...: the template with the [feed] blocks
# named.  PORT (the daemon's) is picked once if not set; the database is
# $DB, by default $TMP/feedmux.db.
make_config() {
	local out=$1 interval=$2

	shift 2
	: "${PORT:=$(free_port)}"
	sed -e "s|@PORT@|$PORT|g" -e "s|@FSPORT@|$FSPORT|g" \
	    -e "s|@DB@|${DB:-$TMP/feedmux.db}|g" -e "s|@INTERVAL@|$interval|g" \
	    "$FIXTURES/feedmux.conf.in" |
	awk -v keep=" $* " '
		/^\[/ { skip = 0 }
		/^\[feed / { name = $2; sub(/\]$/, "", name)
			skip = index(keep, " " name " ") == 0 }
		!skip' >"$out"
}

# start_feedmux CONF [ARGS...]: runs the daemon with -v, logging to
# $FMLOG, until /healthz answers (10 s at most, 60 s with a wrapper).
# Sets FMPID and FMURL.  $FEEDMUX_WRAPPER, if set, goes before the
# command (make check-valgrind sets it to valgrind and its options).
FMLOG=$TMP/feedmux.log
start_feedmux() {
	local conf=$1 i steps=100

	shift
	${FEEDMUX_WRAPPER:-} "$FEEDMUX" -c "$conf" -v "$@" >>"$FMLOG" 2>&1 &
	FMPID=$!
	STARTED_PIDS+=("$FMPID")
	FMURL=http://127.0.0.1:$PORT
	# valgrind starts slowly.
	[ -n "${FEEDMUX_WRAPPER:-}" ] && steps=600
	for ((i = 0; i < steps; i++)); do
		curl -sf -o /dev/null --max-time 1 "$FMURL/healthz" && return 0
		kill -0 "$FMPID" 2>/dev/null || break
		sleep 0.1
	done
	diag "feedmux did not answer $FMURL/healthz"
	log_tail
	return 1
}

log_tail() {
	[ -s "$FMLOG" ] || return 0
	diag "--- tail of $FMLOG ---"
	diag "$(tail -n 20 "$FMLOG")"
}

# ---- reading answers ----

# healthz_field NAME: one field of /healthz ("null" when null or absent).
healthz_field() {
	curl -sf --max-time 5 "$FMURL/healthz" | "$PY3" -c '
import json, sys
v = json.load(sys.stdin).get(sys.argv[1])
print("null" if v is None else v)' "$1" 2>/dev/null
}

polled_at_least() {
	local n

	n=$(healthz_field feeds_polled)
	[ "${n:-0}" -ge "$1" ] 2>/dev/null
}

# wait_polled N: until /healthz feeds_polled >= N.
wait_polled() {
	wait_for polled_at_least "$1" && return 0
	diag "feeds_polled stayed below $1: $(curl -s --max-time 5 "$FMURL/healthz")"
	log_tail
	return 1
}

# http_get URL OUT [CURL-ARGS...]: saves the body, prints the status code.
http_get() {
	local url=$1 out=$2

	shift 2
	curl -s --max-time 10 -o "$out" -w '%{http_code}' "$@" "$url"
}

# header_of FILE NAME: a header's value from curl -D output (last response).
header_of() {
	tr -d '\r' <"$1" | awk -v n="$2" '
		BEGIN { n = tolower(n) }
		/^HTTP\// { v = "" }
		{ i = index($0, ":") }
		i && tolower(substr($0, 1, i - 1)) == n { v = substr($0, i + 2) }
		END { print v }'
}

# raw_request PORT REQUEST: sends REQUEST (\r\n line ends added) over
# HTTP/1.0 and prints the number of body bytes, then the headers: what
# curl hides.
raw_request() {
	"$PY3" - "$1" "$2" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(sys.argv[2].replace("\n", "\r\n").encode() + b"\r\n\r\n")
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
head, _, body = data.partition(b"\r\n\r\n")
print(len(body))
print(head.decode("latin-1").replace("\r", ""))
EOF
}

# stop_feedmux SIGNAL: signals the daemon and waits for it (5 s at most);
# EXIT_RC is its exit status or "timeout".
stop_feedmux() {
	kill -"$1" "$FMPID" 2>/dev/null
	wait_exit "$FMPID"
}

# fs_stat PATH FIELD: a feedserver counter (FIELD 2 requests, 3 200s,
# 4 304s) for PATH; 0 when PATH was not requested.
fs_stat() {
	curl -sf --max-time 5 "$FSURL/_stats" |
		awk -v p="$1" -v f="$2" '$1 == p { n = $f } END { print n + 0 }'
}

# atom_query FILE WHAT: one line per entry of an Atom document: WHAT is
# title, id, link (rel=alternate), published, published_utc (as
# YYYY-MM-DDTHH:MM:SSZ), source (the source's title);
# or "count" for the number of entries.  Nothing, on a parse error.
atom_query() {
	"$PY3" - "$1" "$2" <<'EOF'
import sys
import xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
try:
    entries = ET.parse(sys.argv[1]).getroot().findall(A + "entry")
except ET.ParseError as e:
    sys.stderr.write("%s: %s\n" % (sys.argv[1], e))
    sys.exit(1)
what = sys.argv[2]
if what == "count":
    print(len(entries))
    sys.exit(0)
for e in entries:
    if what == "link":
        links = [l.get("href", "") for l in e.findall(A + "link")
                 if l.get("rel", "alternate") == "alternate"]
        print(links[0] if links else "-")
    elif what == "source":
        print(e.findtext(A + "source/" + A + "title", "-"))
    elif what == "published_utc":
        from datetime import datetime, timezone
        d = datetime.fromisoformat(e.findtext(A + "published", "").replace("Z", "+00:00"))
        print(d.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    else:
        print(e.findtext(A + what, "-"))
EOF
}

# mask_unknown COLUMN: reads output values (newest first, all feeds) on
# stdin and prints "-" where expected.tsv's COLUMN has "-" (the item has
# no such value, so any output is fine).
mask_unknown() {
	paste <(expected "$1") - | awk -F '\t' '{ print ($1 == "-" ? "-" : $2) }'
}

# source_ids: reads output entry ids (newest first, all feeds) on stdin
# and prints them as expected.tsv's source ids.  An Atom id must be an IRI
# (RFC 4287 §4.2.6), so a guid that is not one, such as
# "xinhua-world-20240403-005", comes out as a tag: URI ending in
# "/FEED/GUID": that prints as GUID.  Items without a source id print "-".
source_ids() {
	paste <(expected 1) <(expected 2) - | awk -F '\t' '
		$2 == "-" { print "-"; next }
		$2 ~ /^[A-Za-z][A-Za-z0-9+.-]*:/ { print $3; next }
		{ tail = "/" $1 "/" $2; n = length($3) - length(tail)
		  print ($3 ~ /^tag:/ && n > 0 && substr($3, n + 1) == tail) ? $2 : $3 }'
}

# expected COLUMN [FEED...]: a column of tests/data/e2e/expected.tsv (1
# feed, 2 source id, 3 link, 4 published, 5 title), newest first, only
# the rows of the FEEDs named (all when none).
expected() {
	local col=$1

	shift
	awk -F '\t' -v col="$col" -v keep=" $* " '
		/^#/ { next }
		keep == "  " || index(keep, " " $1 " ") { print $col }' \
		"$FIXTURES/expected.tsv"
}
