#!/bin/bash
# e2e_crash.sh — crash safety (issue 7): feedmux is killed with SIGKILL
# at random moments while it ingests feeds that keep growing, and
# restarted each time.  In the end the database passes PRAGMA
# integrity_check, every item the feed server served is stored exactly
# once, and the merged feed shows no entry twice.  SQLite (WAL) never
# loses a committed transaction to a killed process; a poll cut short is
# repeated after the restart, its validators were not saved.
. "$(dirname "$0")/lib.sh"
require_binaries
command -v sqlite3 >/dev/null || { skip "crash_safety" "sqlite3 CLI not installed"; done_testing; }

KILLS=${KILLS:-20}
FEEDS=20
PER_ROUND=10		# new items per feed before each restart
conf=$TMP/feedmux.conf
db=$TMP/feedmux.db
FEEDS_DIR=$TMP/feeds
mkdir -p "$FEEDS_DIR"

# grow ROUND: every feed file gets PER_ROUND more items (~1 KB each; the
# old ones stay, so whatever was served once is still there at the end).
# Each file is replaced in one rename.
grow() {
	"$PY3" - "$FEEDS_DIR" "$FEEDS" "$PER_ROUND" "$1" <<'EOF'
import os, sys
d, feeds, per, rnd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
import random
WORDS = ("harbour grain tariff council rail drought summit vaccine lithium "
         "ferry senate reactor monsoon bond copper strike quota satellite "
         "glacier refinery budget orchard festival court bridge cabinet "
         "pipeline wheat museum census typhoon embassy").split()
def lead(f, i):
    # Distinct words per item: no two items read as the same story.
    r = random.Random(f * 100003 + i)
    return " ".join(r.choice(WORDS) for _ in range(60))
for f in range(feeds):
    n = (rnd + 1) * per
    items = []
    for i in range(n - 1, -1, -1):
        items.append("<item><title>Feed %d story %d</title>"
                     "<link>http://127.0.0.1/c%d/%d</link>"
                     "<guid isPermaLink=\"false\">c%d-%d</guid>"
                     "<pubDate>%s</pubDate><description>Story %d of feed %d. %s"
                     "</description></item>\n" % (
                         f, i, f, i, f, i,
                         "Wed, %02d Apr 2024 %02d:%02d:00 GMT" % (
                             1 + i // 1440 % 28, i // 60 % 24, i % 60),
                         i, f, lead(f, i)))
    body = ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            "<title>Crash feed %d</title><link>http://127.0.0.1/c%d</link>"
            "<description>grows</description>\n%s</channel></rss>\n" % (f, f, "".join(items)))
    tmp = os.path.join(d, ".c%d.new" % f)
    with open(tmp, "w") as out:
        out.write(body)
    os.rename(tmp, os.path.join(d, "c%d.rss" % f))
EOF
}

grow 0
start_feedserver "$FEEDS_DIR" || bail_out "feedserver did not start"
make_config "$conf" 2s
for ((f = 0; f < FEEDS; f++)); do
	printf '\n[feed c%d]\nurl = %s/c%d.rss\nsection = world\n' \
		"$f" "$FSURL" "$f" >>"$conf"
done

integrity() {
	sqlite3 "$db" 'PRAGMA integrity_check' 2>&1
}

# ---- kill it again and again while it ingests ----
bad_integrity=0 started=0
for ((k = 1; k <= KILLS; k++)); do
	start_feedmux "$conf" || break
	started=$((started + 1))
	# A random moment within the first 1.2 s: start-up,
	# fetches, parses and transactions are all under way then.
	sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.3f", r % 1200 / 1000 }')"
	kill -KILL "$FMPID"
	wait "$FMPID" 2>/dev/null
	forget_pid "$FMPID"
	[ "$(integrity)" = ok ] || bad_integrity=$((bad_integrity + 1))
	grow "$k"
done
is "$started" "$KILLS" "restarts_after_every_kill"
is "$bad_integrity" 0 "integrity_check_ok_after_each_of_${KILLS}_kills"
stored_before=$(sqlite3 "$db" 'SELECT count(*) FROM items')

# ---- the last run takes everything in ----
served=$((FEEDS * (KILLS + 1) * PER_ROUND))
start_feedmux "$conf" || bail_out "feedmux did not start after the kills"
all_stored() {
	[ "$(sqlite3 "$db" 'SELECT count(*) FROM items' 2>/dev/null)" -ge "$served" ]
}
WAIT_STEPS=600 wait_for all_stored
ok $? "every_served_item_is_stored_in_the_end" || log_tail
http_get "$FMURL/feed.atom?limit=1000" "$TMP/merged.atom" >/dev/null
stop_feedmux TERM
is "$EXIT_RC" 0 "final_run_stops_cleanly"

is "$(integrity)" ok "integrity_check_ok_at_the_end"
stored=$(sqlite3 "$db" 'SELECT count(*) FROM items')
want=$(for ((f = 0; f < FEEDS; f++)); do
	for ((i = 0; i < (KILLS + 1) * PER_ROUND; i++)); do echo "c$f c$f-$i"; done
done | sort)
got=$(sqlite3 -separator ' ' "$db" \
	"SELECT f.name, i.guid FROM items i JOIN feeds f ON f.id = i.feed_id" | sort)
is "$(comm -3 <(echo "$want") <(echo "$got") | head -n 5)" "" \
	"stored_items_are_exactly_the_served_ones"
is "$(sort <<<"$got" | uniq -d | wc -l)" 0 "no_item_stored_twice"
is "$(sqlite3 "$db" 'SELECT count(*) FROM stories s WHERE NOT EXISTS
	(SELECT 1 FROM items i WHERE i.id = s.primary_item_id)')" 0 \
	"every_story_has_its_primary_item"
ids=$(atom_query "$TMP/merged.atom" id)
is "$(wc -l <<<"$ids")" 1000 "merged_feed_lists_1000_entries"
is "$(sort <<<"$ids" | uniq -d | head -n 3)" "" "merged_feed_has_no_duplicate_entry"
is "$(grep -c '^error' "$FMLOG")" 0 "no_error_logged" ||
	diag "$(grep '^error' "$FMLOG" | head -n 5)"
diag "kills: $KILLS, items served: $served, stored before the last run: $stored_before, stored: $stored, duplicates: $(sort <<<"$got" | uniq -d | wc -l)"

done_testing
