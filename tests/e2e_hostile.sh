#!/bin/bash
# e2e_hostile.sh — the daemon against every misbehaving server of issue 4
# at once (tests/feedserver_hostile.c modes and generated hostile
# documents), while a second, well-behaved server carries the good feeds.
# Throughout: /healthz answers within a second, the good feeds keep
# arriving, memory stays under HOSTILE_RSS_BOUND_KB, each bad feed's error
# is specific and visible in /healthz?feeds=1, stored items stay as they
# were.
. "$(dirname "$0")/lib.sh"
require_binaries

# Memory bound (VmHWM, peak resident set) for the whole run: the daemon
# queues at most ~1.1 MiB of body per fetch (then pauses it; gzip and
# deflate decoded as the parser takes them), keeps at most
# POLL_MAX_ENTRIES entries of a document, each field capped at
# PARSE_MAX_FIELD_BYTES; 31 hostile feeds polled 4 per server at a time
# peaked near 25 MB.
HOSTILE_RSS_BOUND_KB=$((64 * 1024))
# 8M (the default): the floods must pass it within the 3 s timeout even
# on a loaded machine (16M timed out at 12.5 MB at load 13); the 100,000
# item document (5.3 MB) still fits.
MAX_FEED_SIZE=8M
# ASan makes parsing ~5x slower: the 100,000-item document (5.3 MB) did
# not parse within 3 s under it on a loaded machine (time paused for the
# parser does not count, up to 4x the timeout, fetch.c).
FETCH_TIMEOUT=3s
[ -n "${ASAN_OPTIONS:-}" ] && FETCH_TIMEOUT=10s

copy_fixtures
HOSTILE_DIR=$TMP/hostile
mkdir -p "$HOSTILE_DIR"

# ---- hostile documents ----
"$PY3" - "$HOSTILE_DIR" <<'EOF'
import os, sys
d = sys.argv[1]
def w(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
head = '<?xml version="1.0" encoding="UTF-8"?>\n'
def rss(items, title="Hostile"):
    return ('<rss version="2.0"><channel><title>%s</title>'
            '<link>http://hostile.example/</link>%s</channel></rss>\n' % (title, items))
item = '<item><title>%s</title><guid>%s</guid></item>'
# Billion laughs: 10 levels of 10 references.
ents = '<!ENTITY lol0 "lol">' + "".join(
    '<!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1)) * 10) for i in range(1, 10))
w("laughs.xml", head + '<!DOCTYPE rss [%s]>' % ents + rss(item % ("&lol9;", "l1")))
# Quadratic blowup: one 40 KB entity referenced 40,000 times.
w("quadratic.xml", head + '<!DOCTYPE rss [<!ENTITY a "%s">]>' % ("x" * 40000)
  + rss(item % ("&a;" * 40000, "q1")))
w("xxe-file.xml", head + '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
  + rss(item % ("leak &x; end", "xf1")))
port = os.environ.get("HOSTILE_PORT", "0")
w("xxe-http.xml", head + '<!DOCTYPE rss [<!ENTITY x SYSTEM "http://127.0.0.1:%s/xxe-probe">]>' % port
  + rss(item % ("fetch &x; end", "xh1")))
w("ext-dtd.xml", head + '<!DOCTYPE rss SYSTEM "http://127.0.0.1:%s/dtd-probe">' % port
  + rss(item % ("dtd", "xd1")))
w("page.html", "<!DOCTYPE html><html><head><title>Welcome</title></head>"
  "<body><p>This is a web page, not a feed.</p></body></html>\n")
w("deep.xml", head + '<rss version="2.0"><channel><title>Deep</title>'
  + "<x>" * 100000 + "</x>" * 100000 + "</channel></rss>\n")
w("bigtitle.xml", head + rss(item % ("T" * (50 << 20), "big1")))
w("many.xml", head + rss("".join(item % ("Item %d" % i, "m%d" % i) for i in range(100000))))
# A UTF-8 feed (caf\xc3\xa9) with NUL bytes and broken sequences, and a
# second entry after them that must still come through.
w("nul.xml", head.encode() + b'<rss version="2.0"><channel><title>Bytes</title>'
  b'<item><title>nul\x00here caf\xc3\xa9 \xff\xfe bad \xc3\x28 utf8</title><guid>n1</guid></item>'
  b'<item><title>after\x00\x00 the NULs</title><guid>n2</guid></item>'
  b'</channel></rss>\n')
w("rot.rss", head + rss(item % ("Rotating one", "r1") + item % ("Rotating two", "r2"), "Rotating"))
EOF

start_feedserver "$FEEDS_DIR" || bail_out "good feedserver did not start"
GOOD_PORT=$FSPORT GOOD_URL=$FSURL
# Each flood (endless bodies, bombs, big documents) gets a server of its
# own, as it would be another publisher: one saturated server must not
# make the others look slow.
start_feedserver "$HOSTILE_DIR" -b || bail_out "bomb feedserver did not start"
BOMB_URL=$FSURL
start_feedserver "$HOSTILE_DIR" || bail_out "flood feedserver did not start"
ENDLESS_URL=$FSURL
start_feedserver "$HOSTILE_DIR" || bail_out "flood feedserver did not start"
CHUNKED_URL=$FSURL
start_feedserver "$HOSTILE_DIR" || bail_out "flood feedserver did not start"
FLOOD_URL=$FSURL
# Retry-After holds every feed of its host: the 429/503 feeds get a host
# of their own, or the other hostile feeds would wait an hour.
start_feedserver "$HOSTILE_DIR" || bail_out "retry feedserver did not start"
RETRY_URL=$FSURL
start_feedserver "$HOSTILE_DIR" || bail_out "hostile feedserver did not start"
HPORT=$FSPORT HURL=$FSURL
# The entity documents name the hostile server's port: write them again.
sed -i "s/127\.0\.0\.1:0\//127.0.0.1:$HPORT\//" "$HOSTILE_DIR"/xxe-http.xml "$HOSTILE_DIR"/ext-dtd.xml
cp "$FIXTURES/world.rss" "$HOSTILE_DIR/world.rss"
# Serves a good feed first, then turns bad: its stored items must stay.
cp "$FIXTURES/world.rss" "$HOSTILE_DIR/turncoat.rss"
CLOSED_PORT=$(free_port)

PORT=$(free_port)
cat >"$TMP/hostile.conf" <<EOF
listen = 127.0.0.1:$PORT
database = $TMP/hostile.db
interval = 2s
min_interval = 1s
max_interval = 30s
timeout = $FETCH_TIMEOUT
max_feed_size = $MAX_FEED_SIZE
concurrency = 16
per_host = 4

[section world]
[section china]
[section business]
[section hostile]

# The good feeds at a fixed 1 s; failing ones back off towards 30 s.
[feed world]
url = $GOOD_URL/world.rss
section = world
interval = 1s
[feed china]
url = $GOOD_URL/china.atom
section = china
interval = 1s
[feed business]
url = $GOOD_URL/business.rss
section = business
interval = 1s
EOF
# name url: one hostile feed each.
HOSTILE_FEEDS=(
	"laughs $HURL/laughs.xml"
	"quadratic $HURL/quadratic.xml"
	"xxe_file $HURL/xxe-file.xml"
	"xxe_http $HURL/xxe-http.xml"
	"ext_dtd $HURL/ext-dtd.xml"
	"gzip_bomb $BOMB_URL/bomb/gzip"
	"deflate_bomb $BOMB_URL/bomb/deflate"
	"endless $ENDLESS_URL/endless"
	"no_length_big $CHUNKED_URL/chunked/80"
	"wrong_length $HURL/wrong-length"
	"drip $HURL/drip"
	"silence $HURL/silence"
	"reset $HURL/reset"
	"refused http://127.0.0.1:$CLOSED_PORT/feed.rss"
	"unresolvable http://feedmux-hostile.invalid/feed.rss"
	"loop $HURL/loop"
	"to_file $HURL/redirect-to/file:///etc/passwd"
	"to_ftp $HURL/redirect-to/ftp://127.0.0.1/feed.rss"
	"ten_redirects $HURL/redirect/10/world.rss"
	"always304 $HURL/always304/feed.rss"
	"rotating $HURL/rotating/rot.rss"
	"retry429 $RETRY_URL/retry/429/3600"
	"retry503 $RETRY_URL/retry/503/3600"
	"gone $HURL/status/410"
	"err500 $HURL/status/500"
	"html $HURL/page.html"
	"deep $HURL/deep.xml"
	"big_title $FLOOD_URL/bigtitle.xml"
	"many_items $FLOOD_URL/many.xml"
	"nul_utf8 $HURL/nul.xml"
	"turncoat $HURL/turncoat.rss"
)
for f in "${HOSTILE_FEEDS[@]}"; do
	printf '[feed %s]\nurl = %s\nsection = hostile\n' ${f% *} ${f#* } >>"$TMP/hostile.conf"
	case ${f% *} in turncoat|rotating) echo "interval = 1s" >>"$TMP/hostile.conf" ;; esac
done
N_FEEDS=$((3 + ${#HOSTILE_FEEDS[@]}))

start_feedmux "$TMP/hostile.conf" || bail_out "feedmux did not start"

# ---- /healthz within a second, all along (bounded: 1,200 probes) ----
# Each probe also asks the good feedserver (a libevent server like the
# daemon, on the same machine) for a small file: when that control answer
# is slow too, the machine starved every process (a shared 2-CPU builder
# under load), which says nothing about the daemon's event loop.
probe_healthz() {
	local i t c

	for ((i = 0; i < 1200; i++)); do
		[ -e "$TMP/stop-probe" ] && break
		# both at once, so they share whatever the machine was doing
		curl -s -o /dev/null -w '%{http_code} %{time_total}' \
			--max-time 5 "$FMURL/healthz" >"$TMP/probe-d" &
		curl -s -o /dev/null -w '%{http_code} %{time_total}' \
			--max-time 5 "$GOOD_URL/china.atom" >"$TMP/probe-c" &
		wait
		echo "$(date +%T.%N | cut -c1-12) $(cat "$TMP/probe-d") $(cat "$TMP/probe-c")" \
			>>"$TMP/probe-times"
		sleep 0.2
	done
}
probe_healthz &
PROBE=$!
STARTED_PIDS+=("$PROBE")

WAIT_STEPS=600 wait_polled "$N_FEEDS"
ok $? "every_feed_polled_at_least_once_despite_the_hostile_ones"

feeds_json() {
	curl -sf --max-time 5 "$FMURL/healthz?feeds=1" >"$TMP/feeds.json"
}
# feed_field NAME FIELD: one field of one feed in /healthz?feeds=1.
feed_field() {
	"$PY3" -c '
import json, sys
for f in json.load(open(sys.argv[1]))["feeds"]:
    if f["name"] == sys.argv[2]:
        v = f.get(sys.argv[3])
        print("null" if v is None else v)' "$TMP/feeds.json" "$1" "$2"
}

# ---- the good feeds arrived, and keep arriving ----
feeds_json
is "$(feed_field world items) $(feed_field china items) $(feed_field business items)" \
	"5 4 3" "good_feeds_stored_next_to_hostile_ones"
replace_feed world.rss "$FIXTURES/world-updated.rss"
world_has_6() { feeds_json && [ "$(feed_field world items)" = 6 ]; }
wait_for world_has_6
ok $? "good_feed_update_arrives_while_hostile_feeds_are_polled"
turncoat_stored() { feeds_json && [ "$(feed_field turncoat items)" = 5 ]; }
wait_for turncoat_stored
ok $? "turncoat_first_stored_while_good"
turncoat_titles() {
	sqlite3 "$TMP/hostile.db" "SELECT title FROM items WHERE feed_id =
		(SELECT id FROM feeds WHERE name = 'turncoat') ORDER BY id"
}
before=$(turncoat_titles)

# ---- every error specific and visible ----
# expect_error NAME REGEX: the feed's error in /healthz?feeds=1, bounded
# wait (a feed may first fail differently while the floods run).
expect_error() {
	local name=$1 re=$2 got i

	for ((i = 0; i < 100; i++)); do
		feeds_json
		got=$(feed_field "$name" error)
		[[ $got =~ $re ]] && break
		sleep 0.1
	done
	like "$got" "$re" "error_of_${name}_is_specific"
}
expect_error gzip_bomb 'body larger than max_feed_size'
expect_error deflate_bomb 'body larger than max_feed_size'
# Under ASan the daemon may be too slow to read 8 MB before the timeout.
expect_error endless 'body larger than max_feed_size|^Operation timed out after [0-9]+ milliseconds with [0-9]+ bytes'
if [ -n "${ASAN_OPTIONS:-}" ]; then	# read 4.7 of 8 MB in 3 s under ASan once
	expect_error no_length_big 'body larger than max_feed_size|^Operation timed out after [0-9]+ milliseconds with [0-9]+ bytes'
else
	expect_error no_length_big 'body larger than max_feed_size'
fi
expect_error big_title 'body larger than max_feed_size|timed out'
expect_error wrong_length 'transfer closed with [0-9]+ bytes remaining'
expect_error reset 'transfer closed|reset|Recv failure'
# The whole-transfer timeout and libcurl's low-speed limit (16 bytes/s
# over min(10 s, timeout), fetch.c) end a drip at the same moment: either
# message names what went wrong.
expect_error drip 'timed out after [0-9]+ milliseconds with [0-9]{1,2} bytes|too slow\. Less than [0-9]+ bytes/sec'
expect_error silence 'timed out after [0-9]+ milliseconds with 0 bytes'
expect_error refused "Failed to connect|Couldn't connect"
expect_error unresolvable 'Could not resolve host'
expect_error loop 'more than 5 redirects'
expect_error ten_redirects 'more than 5 redirects'
expect_error to_file 'unsupported scheme'
expect_error to_ftp 'unsupported scheme'
expect_error always304 '^HTTP 304 Not Modified to a request without validators'
expect_error retry429 '^HTTP 429 Too Many Requests \(Retry-After: 3600 s\)'
expect_error retry503 '^HTTP 503 Service Unavailable \(Retry-After: 3600 s\)'
expect_error gone '^HTTP 410 Gone'
expect_error err500 '^HTTP 500 Internal Server Error'
expect_error html '^not a feed: HTML page'
expect_error deep 'nesting|deep'
is "$(feed_field gone status)" gone "gone_feed_status_is_gone"

# ---- NUL bytes and invalid UTF-8: repaired, said so, stored as UTF-8 ----
expect_repair() {
	local i got
	for ((i = 0; i < 100; i++)); do
		feeds_json
		got=$(feed_field nul_utf8 repair)
		[ "$got" != null ] && break
		sleep 0.1
	done
	echo "$got"
}
repair=$(expect_repair)
like "$repair" 'bytes that are not UTF-8 replaced by U\+FFFD' "invalid_utf8_repair_is_named_in_healthz_feeds"
like "$repair" '3 NUL bytes removed' "nul_bytes_repair_is_named_in_healthz_feeds"
is "$(feed_field nul_utf8 items) $(feed_field nul_utf8 error)" "2 null" \
	"nul_and_invalid_utf8_feed_keeps_both_entries_no_error"
is "$(sqlite3 "$TMP/hostile.db" "SELECT hex(title) FROM items WHERE feed_id =
	(SELECT id FROM feeds WHERE name = 'nul_utf8') ORDER BY id" | "$PY3" -c '
import sys
for h in sys.stdin.read().split():
    print(bytes.fromhex(h).decode("utf-8"))')" "nulhere café �� bad �( utf8
after the NULs" "nul_removed_invalid_utf8_replaced_stored_text_is_valid_utf8"
check "repair_is_logged_for_the_nul_feed" \
	grep -q "feed 'nul_utf8': the document was repaired to read it: .*NUL" "$FMLOG"

# ---- what hostile documents could not do ----
is "$(sqlite3 "$TMP/hostile.db" "SELECT count(*) FROM items WHERE
	coalesce(title,'') || coalesce(summary,'') || coalesce(content,'')
	LIKE '%root:%'")" 0 "xxe_file_entity_not_expanded_into_items"
is "$(fs_stat /xxe-probe 2)" 0 "xxe_http_entity_url_never_requested"
is "$(fs_stat /dtd-probe 2)" 0 "external_dtd_never_requested"
is "$(sqlite3 "$TMP/hostile.db" "SELECT max(length(title)) <= 1048576 FROM items")" 1 \
	"no_stored_title_above_the_1_MiB_field_cap_laughs_quadratic"
# The 100,000-item document is parsed and stored in slices: on a loaded
# machine its 2,000 entries may land after every check above.
many_stored() { feeds_json && [ "$(feed_field many_items items)" = 2000 ]; }
wait_for many_stored
is "$(feed_field many_items items)" 2000 "feed_of_100000_items_keeps_the_first_2000"
check "feed_of_100000_items_is_reported_in_the_log" \
	grep -q "many_items': 100000 entries; only the first 2000" "$FMLOG"
rotating_unchanged() {
	curl -sf --max-time 5 "$FMURL/metrics" |
		grep -qE '^feedmux_fetches_total\{outcome="unchanged"\} [1-9]'
}
wait_for rotating_unchanged
ok $? "new_etag_same_body_detected_by_hash_in_metrics"
is "$(feed_field rotating items)" 2 "new_etag_same_body_stores_nothing_twice"

# ---- stored items untouched by a feed turning bad ----
cp "$HOSTILE_DIR/page.html" "$HOSTILE_DIR/.t" && mv -f "$HOSTILE_DIR/.t" "$HOSTILE_DIR/turncoat.rss"
expect_error turncoat '^not a feed: HTML page'
printf '<?xml version="1.0"?><rss version="2.0"><channel><title>Cut' \
	>"$HOSTILE_DIR/.t" && mv -f "$HOSTILE_DIR/.t" "$HOSTILE_DIR/turncoat.rss"
# A cut-off document is repaired by the parser (issue 3: entries still come
# through where a reader would show them), so the poll may succeed with no
# entries; what matters is that the HTML error is replaced by that poll's
# outcome and the stored items stay.
expect_error turncoat '^(null|.*(not XML|truncated|premature).*)$'
is "$(turncoat_titles)" "$before" "stored_items_untouched_when_a_feed_turns_bad"

# ---- throughout ----
touch "$TMP/stop-probe"
wait "$PROBE" 2>/dev/null
forget_pid "$PROBE"
probes=$(wc -l <"$TMP/probe-times")
# columns: time, daemon code, daemon s, control code, control s
slow=$(awk '$2 != 200 || $3 > 1' "$TMP/probe-times")
stalled=$(awk '($2 != 200 || $3 > 1) && $4 == 200 && $5 <= 1' "$TMP/probe-times")
diag "$probes /healthz probes; $(grep -c . <<<"$slow") over 1 s, of which $(grep -c . <<<"$stalled") while the control server answered within 1 s; load average $(cut -d' ' -f1 /proc/loadavg)"
diag "slowest: $(sort -k3 -n "$TMP/probe-times" | tail -n 3 | tr '\n' '|')"
ok "$([ "$probes" -ge 20 ]; echo $?)" "healthz_probed_all_along"
# libcurl's write callback only queues the bytes; parsing and storing run
# a bounded slice per loop turn at the loop's lowest priority
# (src/poll_ingest.c), so /healthz never waits for a whole document.  A
# probe where the control server was slow too means the machine starved
# every process, which says nothing about the daemon's loop.
ok "$([ -z "$stalled" ]; echo $?)" "healthz_answered_within_1s_throughout_unless_the_machine_starved"
[ -n "$stalled" ] && diag "$stalled"
hwm=$(awk '/^VmHWM/ { print $2 }' /proc/$FMPID/status)
diag "peak resident memory (VmHWM): $hwm kB; bound $HOSTILE_RSS_BOUND_KB kB"
if [ -n "${ASAN_OPTIONS:-}" ]; then
	skip "memory_stays_below_${HOSTILE_RSS_BOUND_KB}_kB" "ASan's shadow memory and quarantine inflate RSS"
else
	ok "$([ "${hwm:-999999999}" -le "$HOSTILE_RSS_BOUND_KB" ]; echo $?)" \
		"memory_stays_below_${HOSTILE_RSS_BOUND_KB}_kB"
fi
check "daemon_still_running" kill -0 "$FMPID"
stop_feedmux TERM
is "$EXIT_RC" 0 "daemon_exits_0_after_the_hostile_run"
diag "$(grep -o 'poller: .*' "$FMLOG" | tail -n 1)"

# ---- a 50 MB title that max_feed_size admits: the field cap holds ----
# Above, max_feed_size (8M) stops bigtitle.xml first; here a daemon that
# admits it must store the title cut at PARSE_MAX_FIELD_BYTES (1 MiB)
# while the body streams through the parser (no whole-body buffer).
PORT=$(free_port) FMLOG=$TMP/bigtitle.log
cat >"$TMP/bigtitle.conf" <<EOF
listen = 127.0.0.1:$PORT
database = $TMP/bigtitle.db
interval = 1h
min_interval = 1s
timeout = 300s
max_feed_size = 64M

[section s]
[feed big_title]
url = $FLOOD_URL/bigtitle.xml
section = s
[feed world]
url = $GOOD_URL/world.rss
section = s
EOF
start_feedmux "$TMP/bigtitle.conf" || bail_out "feedmux (big title) did not start"
WAIT_STEPS=3000 wait_polled 2
ok $? "fifty_mb_title_feed_polled_when_max_feed_size_admits_it"
big_db() { sqlite3 "$TMP/bigtitle.db" "$1"; }
is "$(big_db "SELECT coalesce(last_error, 'none') FROM feeds WHERE name = 'big_title'")" none \
	"fifty_mb_title_feed_is_read_without_error"
is "$(big_db "SELECT count(*) || ' ' || length(title) || ' ' || (title GLOB 'TTTT*') FROM items
	WHERE feed_id = (SELECT id FROM feeds WHERE name = 'big_title')")" "1 1048576 1" \
	"fifty_mb_title_stored_cut_at_the_1_MiB_field_cap"
hwm=$(awk '/^VmHWM/ { print $2 }' /proc/$FMPID/status)
diag "50 MB title: peak resident memory (VmHWM) $hwm kB; bound $HOSTILE_RSS_BOUND_KB kB"
if [ -n "${ASAN_OPTIONS:-}" ]; then
	skip "fifty_mb_title_memory_stays_below_${HOSTILE_RSS_BOUND_KB}_kB" "ASan's shadow memory and quarantine inflate RSS"
else
	ok "$([ "${hwm:-999999999}" -le "$HOSTILE_RSS_BOUND_KB" ]; echo $?)" \
		"fifty_mb_title_memory_stays_below_${HOSTILE_RSS_BOUND_KB}_kB"
fi
stop_feedmux TERM
is "$EXIT_RC" 0 "daemon_exits_0_after_the_big_title"
done_testing
