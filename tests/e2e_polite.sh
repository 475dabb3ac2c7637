#!/bin/bash
# e2e_polite.sh — how feedmux treats publishers (issue 4): conditional
# GET, 429/503 Retry-After held per host without stalling other hosts,
# 301 updates the stored URL and 302 does not, 410 stops polling, failing
# feeds back off, /metrics counts it all.
. "$(dirname "$0")/lib.sh"
require_binaries

copy_fixtures
start_feedserver "$FEEDS_DIR" || bail_out "feedserver did not start"
GOOD_URL=$FSURL
start_feedserver "$FEEDS_DIR" || bail_out "second feedserver did not start"
BUSY_URL=$FSURL	# another host:port: the one that asks us to wait

PORT=$(free_port)
cat >"$TMP/polite.conf" <<EOF
listen = 127.0.0.1:$PORT
database = $TMP/polite.db
interval = 1s
min_interval = 1s
max_interval = 1h
timeout = 5s

[section s]
[feed world]
url = $GOOD_URL/world.rss
section = s
interval = 1s
[feed moved]
url = $GOOD_URL/moved/china.atom
section = s
interval = 1s
[feed temporary]
url = $GOOD_URL/redirect/1/business.rss
section = s
interval = 1s
[feed gone]
url = $GOOD_URL/status/410
section = s
[feed broken]
url = $GOOD_URL/status/500
section = s
[feed busy]
url = $BUSY_URL/retry/429/120
section = s
[feed busy_sibling]
url = $BUSY_URL/world.rss
section = s
[feed flaky]
url = $GOOD_URL/flaky.rss
section = s
interval = 1s
EOF
cp "$FIXTURES/world.rss" "$FEEDS_DIR/flaky.rss"
FSURL=$GOOD_URL
STARTED_AT=$(date +%s)
start_feedmux "$TMP/polite.conf" || bail_out "feedmux did not start"
wait_polled 8
# How often busy_sibling had been asked once busy's 429 was in: from then
# on the host is held, so the count must not grow (it may be 2 already if
# busy's answer came after the sibling's second 1 s poll).
busy_held() { [ "$(sqlite3 "$TMP/polite.db" "SELECT errors FROM feeds WHERE name = 'busy'" 2>/dev/null)" -ge 1 ] 2>/dev/null; }
wait_for busy_held
sibling_at_429=$(curl -sf --max-time 5 "$BUSY_URL/_stats" | awk '$1 == "/world.rss" { n = $2 } END { print n + 0 }')
ok $? "every_feed_polled"
# ---- failing: a state reached after 3 errors in a row, cleared by a success ----
# flaky.rss is removed after its first success (404 from then on).  Each
# snapshot of /healthz?feeds=1 gives flaky's error count and state next to
# feeds_failing, from one response, so they are consistent with each other.
snapshot() {
	curl -sf --max-time 5 "$FMURL/healthz?feeds=1" | "$PY3" -c '
import json, sys
h = json.load(sys.stdin)
fs = {f["name"]: f for f in h["feeds"]}
bad = sum(f["status"] in ("failing", "gone") for f in h["feeds"])
print(fs["flaky"]["errors"], fs["flaky"]["status"], h["feeds_failing"], bad)' 2>/dev/null
}
flaky_states() {
	local s
	s=$(snapshot) || return 1
	echo "$s" >>"$TMP/flaky-states"
	[ "${s%% *}" -ge 3 ] 2>/dev/null
}
flaky_ok() { [ "$(snapshot)" != "" ] && [ "$(snapshot | cut -d' ' -f1-2)" = "0 ok" ]; }
wait_for flaky_ok
rm -f "$FEEDS_DIR/flaky.rss"
WAIT_STEPS=300 wait_for flaky_states
ok $? "flaky_feed_reaches_3_errors_in_a_row" || diag "$(tail -n 3 "$TMP/flaky-states")"
# Errors 1 and 2 come 0.5-3 s apart (backoff from min_interval = 1s): on
# a loaded machine no snapshot may land between them.  Then there is
# nothing to check here (test_status_page and test_feedset prove the
# state); when one does land it must say retrying (next check too).
if awk '$1 >= 1 && $1 <= 2 { n++ } END { exit !n }' "$TMP/flaky-states"; then
	ok "$(awk '$1 >= 1 && $1 <= 2 && $2 == "retrying" { n++ } END { exit !n }' "$TMP/flaky-states"; echo $?)" \
		"seen_retrying_after_one_or_two_errors" || diag "$(head -n 5 "$TMP/flaky-states")"
else
	skip "seen_retrying_after_one_or_two_errors" "no snapshot landed between the 1st and 3rd error: $(head -n 3 "$TMP/flaky-states" | tr '\n' ';')"
fi
is "$(awk '$1 >= 1 && $1 <= 2 && $2 != "retrying"' "$TMP/flaky-states" | head -n 3)" "" \
	"one_or_two_errors_are_never_failing"
is "$(awk '$1 >= 3 && $2 != "failing"' "$TMP/flaky-states" | head -n 3)" "" \
	"three_errors_in_a_row_are_failing"
is "$(awk '$3 != $4' "$TMP/flaky-states" | head -n 3)" "" \
	"healthz_feeds_failing_counts_failing_and_gone_feeds_only"
check "failing_is_logged_once_it_starts" \
	grep -q "feed 'flaky': HTTP 404 Not Found (3 failures in a row, now failing" "$FMLOG"
# A failing feed is still retried, and its next success clears the state.
replace_feed flaky.rss "$FIXTURES/world.rss"
flaky_recovered() {
	local s
	s=$(snapshot) && [ "${s% * *}" = "0 ok" ]
}
WAIT_STEPS=300 wait_for flaky_recovered
ok $? "failing_feed_still_retried_and_cleared_by_the_next_success" ||
	diag "$(snapshot)"

sleep 4	# several 1 s polls of the good feeds

stat_of() { curl -sf --max-time 5 "$1/_stats" | awk -v p="$2" -v f="$3" '$1 == p { n = $f } END { print n + 0 }'; }
db() { sqlite3 "$TMP/polite.db" "$1"; }

# ---- conditional GET ----
ok "$([ "$(stat_of "$GOOD_URL" /world.rss 4)" -ge 2 ]; echo $?)" \
	"repolls_send_validators_and_get_304s"
is "$(stat_of "$GOOD_URL" /world.rss 3)" 1 "world_body_sent_only_once"

# ---- redirects ----
is "$(db "SELECT url FROM feeds WHERE name = 'moved'")" "$GOOD_URL/china.atom" \
	"301_updates_the_stored_url"
check "301_is_logged" grep -q "feed 'moved': moved permanently" "$FMLOG"
ok "$([ "$(stat_of "$GOOD_URL" /moved/china.atom 2)" -eq 1 ]; echo $?)" \
	"after_301_the_old_url_is_not_asked_again"
is "$(db "SELECT url FROM feeds WHERE name = 'temporary'")" \
	"$GOOD_URL/redirect/1/business.rss" "302_keeps_the_stored_url"

# ---- 410 ----
is "$(stat_of "$GOOD_URL" /status/410 2)" 1 "410_is_asked_once_then_never_again"
is "$(db "SELECT gone FROM feeds WHERE name = 'gone'")" 1 "410_is_stored_as_gone"
check "410_is_logged_as_an_error" grep -q "^error: feed 'gone': HTTP 410 Gone" "$FMLOG"

# ---- backoff ----
# Backoff from 1 s doubling, each wait at least half its step: the k-th
# try comes at least 0.5 * (2^(k-1) - 1) s after the first, so T seconds
# allow at most 1 + log2(2T + 1) tries (polling every second: T + 1).
n500=$(stat_of "$GOOD_URL" /status/500 2)
elapsed=$(($(date +%s) - STARTED_AT + 1))
most=$("$PY3" -c 'import math, sys; print(1 + int(math.log2(2 * int(sys.argv[1]) + 1)))' "$elapsed")
ok "$([ "$n500" -ge 2 ] && [ "$n500" -le "$most" ]; echo $?)" \
	"failing_feed_retried_with_backoff_not_every_second" ||
	diag "500 asked $n500 times in $elapsed s (backoff allows $most)"
errs=$(db "SELECT errors FROM feeds WHERE name = 'broken'")
is "$(db "SELECT last_error FROM feeds WHERE name = 'broken'") $([ "$errs" -ge 2 ] && [ "$errs" -le $((n500 + 1)) ] && echo counted)" \
	"HTTP 500 Internal Server Error counted" "failing_feed_keeps_its_count_and_error" || diag "errors $errs, asked $n500"

# ---- Retry-After per host ----
is "$(stat_of "$BUSY_URL" /retry/429/120 2)" 1 "429_not_asked_again_before_retry_after"
sibling=$(stat_of "$BUSY_URL" /world.rss 2)
ok "$([ "$sibling" -le "$sibling_at_429" ] && [ "$sibling" -le 2 ]; echo $?)" "429_holds_the_other_feed_of_that_host" ||
	diag "busy_sibling asked $sibling times, $sibling_at_429 when the 429 came in"
ok "$([ "$(stat_of "$GOOD_URL" /world.rss 2)" -ge 3 ]; echo $?)" \
	"429_does_not_stall_other_hosts"
next=$(db "SELECT next_poll - last_poll FROM feeds WHERE name = 'busy'")
ok "$([ "$next" -ge 119 ]; echo $?)" "429_next_poll_after_retry_after" || diag "next in $next s"

# ---- /metrics and /healthz?feeds=1 ----
http_get "$FMURL/metrics" "$TMP/metrics" -D "$TMP/metrics.hdr" >/dev/null
like "$(header_of "$TMP/metrics.hdr" Content-Type)" '^text/plain; version=0.0.4' \
	"metrics_content_type_is_prometheus_0.0.4"
check "metrics_count_304s" grep -qE '^feedmux_fetch_not_modified_total [1-9]' "$TMP/metrics"
check "metrics_count_gone" grep -qE '^feedmux_fetches_total\{outcome="gone"\} 1$' "$TMP/metrics"
check "metrics_count_rate_limited" grep -qE '^feedmux_fetches_total\{outcome="rate_limited"\} 1$' "$TMP/metrics"
check "metrics_have_the_duration_histogram" grep -qE '^feedmux_fetch_duration_seconds_bucket\{le="\+Inf"\} [1-9]' "$TMP/metrics"
check "metrics_gauge_gone_feeds" grep -qE '^feedmux_feeds_gone 1$' "$TMP/metrics"
curl -sf --max-time 5 "$FMURL/healthz?feeds=1" >"$TMP/feeds.json"
is "$("$PY3" -c '
import json, sys
fs = {f["name"]: f for f in json.load(open(sys.argv[1]))["feeds"]}
b = fs["broken"]
print(fs["gone"]["status"], b["status"] == ("failing" if b["errors"] >= 3 else "retrying"),
      fs["busy"]["status"], fs["world"]["status"], fs["world"]["items"], fs["world"]["interval_s"])' "$TMP/feeds.json")" \
	"gone True retrying ok 5 1" "healthz_feeds_shows_each_feeds_state"
broken_failing() { [ "$(db "SELECT errors >= 3 FROM feeds WHERE name = 'broken'")" = 1 ]; }
WAIT_STEPS=300 wait_for broken_failing
http_get "$FMURL/metrics" "$TMP/metrics" >/dev/null
check "metrics_gauge_failing_feeds_broken_and_gone" grep -qE '^feedmux_feeds_failing 2$' "$TMP/metrics" ||
	diag "$(grep feeds_failing "$TMP/metrics")"
http_get "$FMURL/" "$TMP/status.html" >/dev/null
check "status_page_says_failing_with_the_count" grep -qE '<td class="failing">failing \([3-9] in a row\)</td>' "$TMP/status.html"
check "status_page_says_retrying_below_3_errors" grep -q '<td class="retrying">retrying (1 error)</td>' "$TMP/status.html"

stop_feedmux TERM
is "$EXIT_RC" 0 "daemon_exits_0"
done_testing
