#!/bin/bash
# bench/serve.sh — how fast feedmux serves its merged feed, next to nginx
# serving the very same bytes as a static file, in the same run.
#
#   bench/serve.sh [BUILDDIR [DB [ROWS]]]
#
# wrk (-t2 -c32, WRK_SECONDS each, default 5) measures requests/s and p99
# latency for GET /feed.atom three ways: a plain 200, a 304 (If-None-Match
# with the server's own ETag) and a gzip 200 (nginx: gzip_static with a
# precompressed copy, as a site would deploy it).  The daemon's peak
# resident memory (VmHWM) over the whole run is reported too.
#
# Without DB the script makes its own data: FEEDS generated RSS files
# (default 20) of ITEMS items each (default 50), read through file://
# URLs.  With DB (a feedmux database, e.g. from make bench) it serves a
# copy of it, with the feeds it lists.  ROWS, when given, gets one line
# per measure in bench/lib.sh's table format (make bench passes it);
# otherwise the table is printed.  Needs wrk and nginx (Debian:
# apt-get install wrk nginx-light).
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/..}
FEEDMUX=$build/src/feedmux
SRC_DB=${2:-}
OUT_ROWS=${3:-}
WRK_SECONDS=${WRK_SECONDS:-5}
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

for tool in wrk nginx curl python3; do
	command -v $tool >/dev/null || { echo "serve.sh: $tool is needed" >&2; exit 1; }
done
[ -x "$FEEDMUX" ] || { echo "serve.sh: no $FEEDMUX (build first)" >&2; exit 1; }

# ---- the daemon, on generated feeds or a given database ----

gen_feeds() {
	python3 - "$TMP/feeds" "$FEEDS" "$ITEMS" <<'PYEOF'
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
	python3 - "$TMP/feedmux.db" >>"$TMP/feedmux.conf" <<'PYEOF'
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
nginx_start "$TMP/www" || exit 1
cmp -s "$TMP/www/feed.atom" <(curl -s "$NGINX_URL/feed.atom") ||
	{ echo "serve.sh: nginx serves other bytes" >&2; exit 1; }
size=$(stat -c %s "$TMP/www/feed.atom")
entries=$(grep -c '<entry>' "$TMP/www/feed.atom")

etag_of() {
	curl -sI "$1" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }'
}
fm_etag=$(etag_of "$FM_URL/feed.atom")
ng_etag=$(etag_of "$NGINX_URL/feed.atom")

# wrk_once URL [HEADER...]: "req/s p99 non2xx3xx" of one wrk run.
wrk_once() {
	local url=$1 args=() h

	shift
	for h in "$@"; do args+=(-H "$h"); done
	wrk -t2 -c32 -d"${WRK_SECONDS}s" --latency "${args[@]}" "$url" 2>&1 |
		awk '/Requests\/sec/ { rps = $2 } / 99%/ { p99 = $2 }
			/Non-2xx or 3xx/ { bad = $NF }
			END { printf "%d %s %d\n", rps, p99, bad }'
}

[ -n "$OUT_ROWS" ] && ROWS=$OUT_ROWS
: >>"$ROWS"
echo "serve: /feed.atom is $size bytes, $entries entries; wrk -t2 -c32 -d${WRK_SECONDS}s per run" >&2
for kind in 200 304 gzip; do
	case $kind in
	200) fm=$(wrk_once "$FM_URL/feed.atom")
	     ng=$(wrk_once "$NGINX_URL/feed.atom") ;;
	304) fm=$(wrk_once "$FM_URL/feed.atom" "If-None-Match: $fm_etag")
	     ng=$(wrk_once "$NGINX_URL/feed.atom" "If-None-Match: $ng_etag") ;;
	gzip) fm=$(wrk_once "$FM_URL/feed.atom" "Accept-Encoding: gzip")
	      ng=$(wrk_once "$NGINX_URL/feed.atom" "Accept-Encoding: gzip") ;;
	esac
	read -r fm_rps fm_p99 fm_bad <<<"$fm"
	read -r ng_rps ng_p99 ng_bad <<<"$ng"
	[ "$fm_bad" = 0 ] && [ "$ng_bad" = 0 ] ||
		echo "serve.sh: $kind: unexpected statuses (feedmux $fm_bad, nginx $ng_bad)" >&2
	r=$(ratio_higher "$fm_rps" "$ng_rps")
	row serve "/feed.atom $kind ($size B), req/s p99" "$fm_rps $fm_p99" nginx \
		"$ng_rps $ng_p99" "$r" ">= 0.8x ($(verdict "$r" 0.8))"
	echo "serve $kind: feedmux $fm_rps req/s p99 $fm_p99; nginx $ng_rps req/s p99 $ng_p99; ratio $r" >&2
done
peak=$(awk '/VmHWM/ { print $2 }' "/proc/$FMPID/status")
row serve "feedmux peak RSS while serving (VmHWM)" "$peak KiB" "" "" "" ""
echo "serve: feedmux peak RSS $peak KiB" >&2
[ -n "$OUT_ROWS" ] || table_print
