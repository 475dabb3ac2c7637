#!/bin/bash
# e2e_feedserver.sh — the test feed server itself: a client that hangs up
# on its streaming and raw misbehaviour routes (tests/feedserver_hostile.c)
# leaves nothing behind, and SIGTERM then ends it with status 0.  Under
# the ASan build (make check with ASAN_OPTIONS) a leaked request makes
# LeakSanitizer fail that exit; e2e_hostile.sh's servers leaked one per
# abandoned reply until libevent's detached requests were freed.
. "$(dirname "$0")/lib.sh"
require_binaries

copy_fixtures
start_feedserver "$FEEDS_DIR" || bail_out "feedserver did not start"

# Sockets the idle server holds (its listener); each open connection
# adds one.
server_sockets() {
	find "/proc/$FSPID/fd" -lname 'socket:*' 2>/dev/null | wc -l
}
IDLE_SOCKETS=$(server_sockets)

# Streaming replies the client gives up on after a second, and a reset:
# the server sees each hang-up when it next writes, and libevent 2.1 then
# leaves the unfinished request to the server to free.
for route in drip endless reset; do
	curl -s -o /dev/null --max-time 1 "$FSURL/$route"
done
# Two finished chunked replies on one kept-alive connection, and one the
# client drops midway (16 MiB at 1 MiB/s).
curl -s -o /dev/null -o /dev/null "$FSURL/chunked/1" "$FSURL/chunked/1"
is "$?" 0 "two_chunked_replies_on_one_connection_complete"
curl -s -o /dev/null --max-time 1 --limit-rate 1M "$FSURL/chunked/16"

sockets_back_to_idle() { [ "$(server_sockets)" -le "$IDLE_SOCKETS" ]; }
wait_for sockets_back_to_idle
ok $? "server_closes_every_abandoned_streaming_connection" ||
	diag "$(server_sockets) sockets open, $IDLE_SOCKETS when idle"

# Replies never written through evhttp: the server does not read the
# connection while a reply is pending, so these stay open until it exits,
# and SIGTERM must free them too.
for route in silence wrong-length; do
	curl -s -o /dev/null --max-time 1 "$FSURL/$route"
done

status=$(curl -s -o /dev/null -w '%{http_code}' "$FSURL/world.rss")
is "$status" 200 "server_still_serves_feeds_after_the_hang_ups"

kill -TERM "$FSPID"
wait_exit "$FSPID"
is "$EXIT_RC" 0 "server_exits_0_on_sigterm_with_nothing_leaked"
[ "$EXIT_RC" = 0 ] || diag "$(tail -n 40 "$TMP/feedserver.log")"

done_testing
