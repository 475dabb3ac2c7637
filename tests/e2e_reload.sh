#!/bin/bash
# e2e_reload.sh — SIGHUP rereads the configuration without a restart: a
# feed added is polled, a feed removed leaves the output but keeps its
# stored items, and a broken configuration is refused (SPEC.md: SIGHUP).
. "$(dirname "$0")/lib.sh"
require_binaries

conf=$TMP/feedmux.conf
copy_fixtures
start_feedserver "$FEEDS_DIR" || bail_out "feedserver did not start"
make_config "$conf" 1h world china
start_feedmux "$conf" || bail_out "feedmux did not start"
wait_polled 2
ok $? "daemon_polls_both_feeds" || bail_out "no poll"
http_get "$FMURL/feed.atom" "$TMP/before.atom" >/dev/null
is "$(atom_query "$TMP/before.atom" title)" "$(expected 5 world china)" \
	"merged_feed_has_world_and_china"
pid_before=$FMPID

# Probes /healthz all along, so a reload that drops the socket shows.
probe() {
	local i

	for ((i = 0; i < 600; i++)); do
		[ -e "$TMP/probe.stop" ] && return
		curl -s -o /dev/null -w '%{http_code}\n' --max-time 2 \
			"$FMURL/healthz" >>"$TMP/probe.log"
		sleep 0.05
	done
}
probe &
PROBE_PID=$!
STARTED_PIDS+=("$PROBE_PID")

# ---- add business, remove china ----
make_config "$conf" 1h world business
kill -HUP "$FMPID"
merged_is() {
	http_get "$FMURL/feed.atom" "$TMP/after.atom" >/dev/null &&
		[ "$(atom_query "$TMP/after.atom" title)" = "$1" ]
}
wait_for merged_is "$(expected 5 world business)"
ok $? "after_reload_merged_feed_is_world_and_business" ||
	diag "$(atom_query "$TMP/after.atom" title)"
titles=$(atom_query "$TMP/after.atom" title)
is "$(grep -cxF -f <(expected 5 china) <<<"$titles")" 0 \
	"removed_feed_entries_leave_the_output"
is "$(grep -cxF -f <(expected 5 business) <<<"$titles")" 3 \
	"added_feed_entries_appear"
if command -v sqlite3 >/dev/null; then
	is "$(sqlite3 "$TMP/feedmux.db" "SELECT count(*) FROM items
		JOIN feeds ON feeds.id = items.feed_id WHERE feeds.name = 'china'")" 4 \
		"removed_feed_items_stay_in_the_database"
else
	skip "removed_feed_items_stay_in_the_database" "sqlite3 CLI not installed"
fi
is "$(healthz_field feeds_total)" 2 "healthz_counts_the_new_feed_set"
kill -0 "$pid_before" 2>/dev/null
ok $? "reload_keeps_the_same_process"

# ---- a broken configuration is refused ----
cp "$conf" "$TMP/good.conf"
echo "no_such_key = 1" >>"$conf"
bad_line=$(wc -l <"$conf")
kill -HUP "$FMPID"
wait_for grep -qF "$conf:$bad_line: " "$FMLOG"
ok $? "broken_reload_logs_file_and_line" || log_tail
sleep 0.5	# let it finish the reload it refuses
kill -0 "$pid_before" 2>/dev/null
ok $? "broken_reload_keeps_running"
is "$(healthz_field feeds_total)" 2 "broken_reload_keeps_the_old_feeds"
http_get "$FMURL/feed.atom" "$TMP/kept.atom" >/dev/null
is "$(atom_query "$TMP/kept.atom" title)" "$(expected 5 world business)" \
	"broken_reload_still_serves_the_old_output"

touch "$TMP/probe.stop"
wait "$PROBE_PID"
forget_pid "$PROBE_PID"
ok "$([ "$(grep -c . "$TMP/probe.log")" -gt 0 ]; echo $?)" "probe_ran"
is "$(grep -cvx 200 "$TMP/probe.log")" 0 "port_answers_throughout_both_reloads"

stop_feedmux TERM
is "$EXIT_RC" 0 "daemon_exits_0_after_reloads"

done_testing
