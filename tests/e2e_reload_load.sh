#!/bin/bash
# e2e_reload_load.sh — reloads under load (issue 7): SIGHUP with feeds
# added, removed and moved to another section, with an invalid
# configuration, in the middle of a burst of polls, while clients keep
# downloading the merged and section feeds.  No request may fail, the
# number of stored items may never go down, and in the end every item of
# every feed ever configured is stored.
. "$(dirname "$0")/lib.sh"
require_binaries
command -v sqlite3 >/dev/null || { skip "reload_under_load" "sqlite3 CLI not installed"; done_testing; }

GEN=120			# feedserver's generated feeds, 20 items each
conf=$TMP/feedmux.conf
db=$TMP/feedmux.db
copy_fixtures
start_feedserver "$FEEDS_DIR" -g "$GEN" || bail_out "feedserver did not start"

# write_config FIRST LAST SWAP: feeds gen FIRST..LAST, even ones in world
# and odd ones in china (the other way round when SWAP is 1).
write_config() {
	local i sec
	make_config "$conf.new" 1h
	for ((i = $1; i <= $2; i++)); do
		if (( (i + $3) % 2 == 0 )); then sec=world; else sec=china; fi
		printf '\n[feed gen%d]\nurl = %s/gen/%d.rss\nsection = %s\n' \
			"$i" "$FSURL" "$i" "$sec" >>"$conf.new"
	done
	mv -f "$conf.new" "$conf"
}

# items: the stored item count, or 0 when the database can't be read.
items() {
	sqlite3 -cmd '.timeout 5000' "$db" 'SELECT count(*) FROM items' 2>/dev/null || echo 0
}

# client NAME URL [CURL-ARGS]: downloads URL again and again until
# $TMP/stop exists (2000 times at most); one line "curl-exit http-code
# bytes" per request.
client() {
	local name=$1 url=$2 i

	shift 2
	for ((i = 0; i < 2000; i++)); do
		[ -e "$TMP/stop" ] && return
		curl -s --max-time 10 -o /dev/null -w "%{http_code} %{size_download}" \
			"$@" "$url" >"$TMP/$name.one"
		echo "$? $(cat "$TMP/$name.one")" >>"$TMP/$name.log"
	done
}

# watch_items: the stored item count, sampled until $TMP/stop exists.  A
# sample the sqlite3 CLI could not take (busy past its timeout while the
# daemon checkpoints, slow under ASan) is left out, not counted as 0:
# what is checked is the count the daemon stored, not the CLI's luck.
watch_items() {
	local i n

	for ((i = 0; i < 3000; i++)); do
		[ -e "$TMP/stop" ] && return
		n=$(sqlite3 -cmd '.timeout 5000' "$db" 'SELECT count(*) FROM items' 2>>"$TMP/items.err") &&
			echo "$n" >>"$TMP/items.log"
		sleep 0.05
	done
}

write_config 0 59 0
start_feedmux "$conf" || bail_out "feedmux did not start"
wait_polled 60
ok $? "first_60_feeds_polled" || bail_out "no first poll"
is "$(items)" 1200 "first_60_feeds_stored"

client merged "$FMURL/feed.atom?limit=500" &
STARTED_PIDS+=($!)
client merged_gzip "$FMURL/feed.atom?limit=200" -H 'Accept-Encoding: gzip' &
STARTED_PIDS+=($!)
client world "$FMURL/sections/world.atom" &
STARTED_PIDS+=($!)
client json "$FMURL/feed.json" &
STARTED_PIDS+=($!)
watch_items &
STARTED_PIDS+=($!)
sleep 0.5

# 1. 60 feeds added at once: a burst of polls starts.
write_config 0 119 0
kill -HUP "$FMPID"
sleep 0.3
# 2. During that burst: gen0..29 removed, the rest change sections.
write_config 30 119 1
kill -HUP "$FMPID"
wait_for grep -q "reloaded: 90 feeds" "$FMLOG"
ok $? "reload_during_a_poll_burst_applies" || log_tail
# 3. An invalid configuration: refused, the running one stays.
cp "$conf" "$TMP/good.conf"
printf '\n[feed broken]\nsection = world\n' >>"$conf"
kill -HUP "$FMPID"
wait_for grep -q "reload failed" "$FMLOG"
ok $? "invalid_reload_is_refused_with_a_log_line"
is "$(healthz_field feeds_total)" 90 "invalid_reload_keeps_the_running_feeds"
cp "$TMP/good.conf" "$conf"
kill -HUP "$FMPID"

all_in() {
	[ "$(items)" -ge $((GEN * 20)) ] && polled_at_least 90
}
WAIT_STEPS=300 wait_for all_in
ok $? "every_feed_ever_configured_is_stored" || diag "items: $(items)"
sleep 0.5	# the clients go on a little after the last reload
touch "$TMP/stop"
for pid in "${STARTED_PIDS[@]}"; do
	[ "$pid" = "$FSPID" ] || [ "$pid" = "$FMPID" ] || wait "$pid" 2>/dev/null
done

for c in merged merged_gzip world json; do
	n=$(wc -l <"$TMP/$c.log")
	bad=$(grep -cv '^0 200 [1-9]' "$TMP/$c.log")
	is "$bad" 0 "client_${c}_every_request_succeeds" ||
		diag "$(grep -v '^0 200 [1-9]' "$TMP/$c.log" | sort | uniq -c | head)"
	diag "client $c: $n requests"
done
drops=$(awk 'NR > 1 && $1 < prev { n++ } { prev = $1 } END { print n + 0 }' "$TMP/items.log")
is "$drops" 0 "stored_item_count_never_goes_down" ||
	diag "$(awk 'NR > 1 && $1 < prev { print prev " -> " $1 } { prev = $1 }' "$TMP/items.log" | head -5)"
[ -s "$TMP/items.err" ] && diag "sqlite3 CLI errors: $(sort "$TMP/items.err" | uniq -c | head -3)"
is "$(items)" $((GEN * 20)) "every_item_stored_once"
is "$(sqlite3 "$db" "SELECT count(*) FROM items i JOIN feeds f ON f.id = i.feed_id
	WHERE f.name IN ($(for i in $(seq 0 29); do printf "'gen%d'," "$i"; done)'')")" 600 \
	"removed_feeds_keep_their_items"

http_get "$FMURL/sections/china.atom?limit=1000" "$TMP/china.atom" >/dev/null
links=$(atom_query "$TMP/china.atom" link)
like "$links" "/30/0\.html" "moved_feed_appears_in_its_new_section"
is "$(grep -c '/31/[0-9]*\.html' <<<"$links")" 0 "moved_feed_leaves_its_old_section"
http_get "$FMURL/feed.atom?limit=1000" "$TMP/merged.atom" >/dev/null
is "$(atom_query "$TMP/merged.atom" link | grep -cE '/(1?[0-9]|2[0-9])/[0-9]+\.html')" 0 \
	"removed_feeds_leave_the_merged_feed"
kill -0 "$FMPID" 2>/dev/null
ok $? "same_process_throughout"
stop_feedmux TERM
is "$EXIT_RC" 0 "exits_0_after_the_reloads"
is "$(grep -c '^error' "$FMLOG")" 1 "only_the_invalid_reload_is_logged_as_an_error" ||
	diag "$(grep '^error' "$FMLOG" | head -n 5)"

done_testing
