#!/bin/bash
# bench/serve.sh — how fast feedmux serves its merged feed, next to nginx
# serving the very same bytes as a static file, in the same run.
#
#   bench/serve.sh [BUILDDIR [DB [ROWS]]]
#
# wrk (-t2 -c32, WRK_SECONDS each, default 3) measures requests/s and p99
# latency for GET /feed.atom three ways: a plain 200, a 304 (If-None-Match
# with the server's own ETag) and a gzip 200 (nginx: gzip_static with a
# copy precompressed at feedmux's level, 6, as a site would deploy it; the
# daemon compresses once per store generation, so neither compresses per
# request).  The runs alternate feedmux, nginx, feedmux, nginx... ROUNDS
# times (default 2) and the best of each is kept, so a burst of load from
# elsewhere does not land on one server only.  The servers' own CPU time
# per request (from /proc, whatever the load) is reported too, and the
# daemon's peak resident memory (VmHWM) over the whole run.  nginx keeps
# no access log (feedmux logs requests only at debug level).
#
# Without DB the script makes its own data: FEEDS generated RSS files
# (default 20) of ITEMS items each (default 50), read through file://
# URLs.  With DB (a feedmux database, e.g. from make bench) it serves a
# copy of it, with the feeds it lists, none due for a poll: polls during
# the runs would measure ingest, not serving.  ROWS, when given, gets one
# line per measure in bench/lib.sh's table format (make bench passes it);
# otherwise the table is printed.  Needs wrk and nginx (Debian:
# apt-get install wrk nginx-light).
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/..}
FEEDMUX=$build/src/feedmux
SRC_DB=${2:-}
OUT_ROWS=${3:-}
WRK_SECONDS=${WRK_SECONDS:-3}
ROUNDS=${ROUNDS:-2}
FEEDS=${FEEDS:-20}
ITEMS=${ITEMS:-50}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/feedmux-serve.XXXXXX") || exit 1
chmod 755 "$TMP"	# nginx workers may run as nobody
FMPID=
cleanup() {
	[ -n "$FMPID" ] && kill "$FMPID" 2>/dev/null && wait "$FMPID" 2>/dev/null
	nginx_stop
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
. "$here/lib.sh"

for tool in wrk nginx curl "$PY3" sqlite3 pgrep; do
	command -v $tool >/dev/null || { echo "serve.sh: $tool is needed" >&2; exit 1; }
done
[ -x "$FEEDMUX" ] || { echo "serve.sh: no $FEEDMUX (build first)" >&2; exit 1; }

# ---- the daemon, on generated feeds or a given database ----

gen_feeds() {
	"$PY3" - "$TMP/feeds" "$FEEDS" "$ITEMS" <<'PYEOF'
import os, sys, time
from email.utils import formatdate
out, feeds, items = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out, exist_ok=True)
now = int(time.time())
for f in range(feeds):
    with open(f"{out}/f{f}.rss", "w") as fh:
        fh.write(f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
                 f'<title>Outlet {f}</title><link>http://outlet{f}.example/</link>'
                 f'<description>Feed {f}</description>\n')
        for i in range(items):
            t = now - (i * feeds + f) * 97
            fh.write(f'<item><title>Story {f}-{i}: a headline of ordinary length about the news</title>'
                     f'<link>http://outlet{f}.example/{i}.html</link>'
                     f'<guid>http://outlet{f}.example/{i}.html</guid>'
                     f'<pubDate>{formatdate(t, usegmt=True)}</pubDate>'
                     f'<description>&lt;p&gt;Lead paragraph {f}-{i}, about two hundred bytes of '
                     f'ordinary text that a wire story would carry in its summary, so that the '
                     f'rendered feed has a realistic size per entry.&lt;/p&gt;</description></item>\n')
        fh.write('</channel></rss>\n')
PYEOF
}

FM_PORT=$(free_port)
FM_URL=http://127.0.0.1:$FM_PORT
{
	echo "listen = 127.0.0.1:$FM_PORT"
	echo "database = $TMP/feedmux.db"
	echo "title = serve bench"
	echo "interval = 6h"
	echo "min_interval = 6h"
	echo "max_interval = 6h"
} >"$TMP/feedmux.conf"
if [ -n "$SRC_DB" ]; then
	cp "$SRC_DB" "$TMP/feedmux.db" || exit 1
	# No feed due for a day.  A make bench database that waited through
	# the parse and dedupe phases had every feed overdue, and the daemon
	# polled all of them during the wrk runs (gzip 0.56x, 304 p99 155 ms).
	sqlite3 "$TMP/feedmux.db" \
		"UPDATE feeds SET next_poll = strftime('%s', 'now') + 86400" || exit 1
	"$PY3" - "$TMP/feedmux.db" >>"$TMP/feedmux.conf" <<'PYEOF'
import sqlite3, sys
for name, url in sqlite3.connect(sys.argv[1]).execute(
        "SELECT name, COALESCE(config_url, url) FROM feeds WHERE active = 1"):
    print(f"\n[feed {name}]\nurl = {url}")
PYEOF
else
	gen_feeds
	for ((f = 0; f < FEEDS; f++)); do
		printf '\n[feed f%d]\nurl = file://%s/feeds/f%d.rss\n' $f "$TMP" $f
	done >>"$TMP/feedmux.conf"
fi
"$FEEDMUX" -c "$TMP/feedmux.conf" >"$TMP/feedmux.log" 2>&1 &
FMPID=$!
wait_http "$FM_URL/healthz" || { echo "serve.sh: feedmux did not start" >&2; cat "$TMP/feedmux.log" >&2; exit 1; }
# Until the start-up polls are in: the feed stops changing.
prev= cur=
for ((i = 0; i < 100; i++)); do
	cur=$(curl -sI "$FM_URL/feed.atom" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }')
	[ -n "$cur" ] && [ "$cur" = "$prev" ] && break
	prev=$cur
	sleep 0.5
done

# ---- nginx with the same bytes ----

mkdir -p "$TMP/www"
curl -s -o "$TMP/www/feed.atom" "$FM_URL/feed.atom"
gzip -k -6 -f "$TMP/www/feed.atom"
nginx_start "$TMP/www" nolog || exit 1
NGINX_WORKERS=$(pgrep -P "$NGINX_PID" | tr '\n' ' ')
cmp -s "$TMP/www/feed.atom" <(curl -s "$NGINX_URL/feed.atom") ||
	{ echo "serve.sh: nginx serves other bytes" >&2; exit 1; }
size=$(stat -c %s "$TMP/www/feed.atom")
entries=$(grep -c '<entry>' "$TMP/www/feed.atom")

etag_of() {
	curl -sI "$1" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }'
}
fm_etag=$(etag_of "$FM_URL/feed.atom")
ng_etag=$(etag_of "$NGINX_URL/feed.atom")

# wrk_once URL [HEADER...]: "req/s p99 non2xx3xx requests" of one wrk run.
wrk_once() {
	local url=$1 args=() h

	shift
	for h in "$@"; do args+=(-H "$h"); done
	wrk -t2 -c32 -d"${WRK_SECONDS}s" --latency "${args[@]}" "$url" 2>&1 |
		awk '/Requests\/sec/ { rps = $2 } / 99%/ { p99 = $2 }
			/Non-2xx or 3xx/ { bad = $NF }
			/requests in/ { n = $1 }
			END { printf "%d %s %d %d\n", rps, p99, bad, n }'
}

# measure_server NAME URL PIDS [HEADER...]: one wrk run; keeps NAME's best
# "req/s p99" in BEST[NAME] and adds its server CPU ticks and requests.
declare -A BEST TICKS REQS
measure_server() {
	local name=$1 url=$2 pids=$3 t0 t1 rps p99 bad n

	shift 3
	t0=$(proc_cpu_ticks $pids)
	read -r rps p99 bad n <<<"$(wrk_once "$url" "$@")"
	t1=$(proc_cpu_ticks $pids)
	[ "$bad" = 0 ] || echo "serve.sh: $name: $bad unexpected statuses" >&2
	if [ -z "${BEST[$name]:-}" ] || [ "$rps" -gt "${BEST[$name]%% *}" ]; then
		BEST[$name]="$rps $p99"
	fi
	TICKS[$name]=$((${TICKS[$name]:-0} + t1 - t0))
	REQS[$name]=$((${REQS[$name]:-0} + n))
}

# cpu_per_req NAME: µs of server CPU per request over NAME's runs.
cpu_per_req() {
	awk -v t="${TICKS[$1]}" -v n="${REQS[$1]}" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.0f\n", (n > 0 ? t / hz * 1e6 / n : 0) }'
}

[ -n "$OUT_ROWS" ] && ROWS=$OUT_ROWS
: >>"$ROWS"
echo "serve: /feed.atom is $size bytes, $entries entries; wrk -t2 -c32 -d${WRK_SECONDS}s, best of $ROUNDS alternating runs" >&2
for kind in 200 304 gzip; do
	fm_h=() ng_h=()
	case $kind in
	304) fm_h=("If-None-Match: $fm_etag") ng_h=("If-None-Match: $ng_etag") ;;
	gzip) fm_h=("Accept-Encoding: gzip") ng_h=("Accept-Encoding: gzip") ;;
	esac
	BEST=() TICKS=() REQS=()
	for ((round = 0; round < ROUNDS; round++)); do
		measure_server fm "$FM_URL/feed.atom" "$FMPID" "${fm_h[@]}"
		measure_server ng "$NGINX_URL/feed.atom" "$NGINX_WORKERS" "${ng_h[@]}"
	done
	read -r fm_rps fm_p99 <<<"${BEST[fm]}"
	read -r ng_rps ng_p99 <<<"${BEST[ng]}"
	fm_cpu=$(cpu_per_req fm) ng_cpu=$(cpu_per_req ng)
	r=$(ratio_higher "$fm_rps" "$ng_rps")
	row serve "/feed.atom $kind ($size B), req/s p99" "$fm_rps $fm_p99" nginx \
		"$ng_rps $ng_p99" "$r" ">= 0.8x ($(verdict "$r" 0.8))"
	row serve "/feed.atom $kind, server CPU per request" "$fm_cpu us" nginx \
		"$ng_cpu us" "$(ratio_lower "$fm_cpu" "$ng_cpu")" ""
	echo "serve $kind: feedmux $fm_rps req/s p99 $fm_p99 ${fm_cpu} us CPU/req; nginx $ng_rps req/s p99 $ng_p99 ${ng_cpu} us CPU/req; ratio $r" >&2
done
peak=$(awk '/VmHWM/ { print $2 }' "/proc/$FMPID/status")
row serve "feedmux peak RSS while serving (VmHWM)" "$peak KiB" "" "" "" ""
echo "serve: feedmux peak RSS $peak KiB" >&2
[ -n "$OUT_ROWS" ] || table_print
