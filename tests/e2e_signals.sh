#!/bin/bash
# e2e_signals.sh — SIGTERM and SIGINT stop feedmux cleanly: exit 0 within
# 5 s, a database that passes PRAGMA integrity_check, and no error logged
# (SPEC.md: SIGTERM/SIGINT).  Polling is kept busy with generated feeds
# so the first signal lands while fetches and stores are in flight.
. "$(dirname "$0")/lib.sh"
require_binaries

GEN_FEEDS=100
conf=$TMP/feedmux.conf
copy_fixtures
start_feedserver "$FEEDS_DIR" -g "$GEN_FEEDS" || bail_out "feedserver did not start"
# 2 s: after a restart every feed is due again within seconds.
make_config "$conf" 2s world china business
for ((i = 0; i < GEN_FEEDS; i++)); do
	printf '\n[feed gen%d]\nurl = %s/gen/%d.rss\nsection = world\n' \
		"$i" "$FSURL" "$i" >>"$conf"
done
total=$((3 + GEN_FEEDS))

integrity() {
	sqlite3 "$TMP/feedmux.db" 'PRAGMA integrity_check' 2>&1
}

have_sqlite=0
command -v sqlite3 >/dev/null || have_sqlite=1

# stopped_cleanly SIGNAL WHEN: the checks after each stop.
stopped_cleanly() {
	stop_feedmux "$1"
	is "$EXIT_RC" 0 "sig${1,,}_${2}_exits_0_within_5s" || log_tail
	if [ $have_sqlite -eq 0 ]; then
		is "$(integrity)" ok "sig${1,,}_${2}_leaves_database_intact"
	else
		skip "sig${1,,}_${2}_leaves_database_intact" "sqlite3 CLI not installed"
	fi
}

# 1. SIGTERM as soon as it answers: polls of many feeds are under way.
start_feedmux "$conf" || bail_out "feedmux did not start"
polled=$(healthz_field feeds_polled)
stopped_cleanly TERM right_after_start
diag "feeds polled when SIGTERM was sent: $polled of $total"

# 2. SIGINT, same database, once the first polls are in.
start_feedmux "$conf" || bail_out "feedmux did not restart"
wait_polled 1
stopped_cleanly INT while_polling

# 3. SIGTERM once everything is stored.
start_feedmux "$conf" || bail_out "feedmux did not restart"
wait_polled "$total"
ok $? "restart_polls_every_feed"
if [ $have_sqlite -eq 0 ]; then
	is "$(sqlite3 "$TMP/feedmux.db" 'SELECT count(*) FROM items')" \
		$((12 + 20 * GEN_FEEDS)) "every_item_stored_after_restarts"
else
	skip "every_item_stored_after_restarts" "sqlite3 CLI not installed"
fi
stopped_cleanly TERM after_polling

# 4. SIGINT once everything is stored.
start_feedmux "$conf" || bail_out "feedmux did not restart"
wait_polled "$total"
stopped_cleanly INT after_polling

is "$(grep -c '^error' "$FMLOG")" 0 "no_error_logged" ||
	diag "$(grep '^error' "$FMLOG" | head -n 10)"
check "stop_is_logged" grep -q 'SIGTERM' "$FMLOG"

done_testing
