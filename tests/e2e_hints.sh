#!/bin/bash
# e2e_hints.sh — the publisher's polling hints carried by the feed
# document (issue 4 bullet 2), through the real daemon: RSS <ttl>,
# sy:updatePeriod/sy:updateFrequency (RSS 1.0 and 2.0), skipHours and
# skipDays, each honoured within min_interval/max_interval, and a per-feed
# interval overriding them.  What the scheduler decided is read back from
# /healthz?feeds=1 (interval_s, last_fetch, next_poll).
. "$(dirname "$0")/lib.sh"
require_binaries

copy_fixtures
HOUR=$(date -u +%-H)
NEXT_HOUR=$(((HOUR + 1) % 24))
TODAY=$(date -u +%A)
TOMORROW=$(date -u -d tomorrow +%A)
"$PY3" - "$FEEDS_DIR" "$HOUR" "$NEXT_HOUR" "$TODAY" "$TOMORROW" <<'PYEOF'
import os, sys
d, hour, next_hour, today, tomorrow = sys.argv[1:]
SY = 'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"'
def rss(name, channel_extra, ns=""):
    with open(os.path.join(d, name), "w") as f:
        f.write('<?xml version="1.0"?><rss version="2.0" %s><channel><title>%s</title>'
                '<link>http://hints.example/</link>%s<item><title>One of %s</title>'
                '<guid>%s-1</guid></item></channel></rss>\n' % (ns, name, channel_extra, name, name))
rss("ttl.rss", "<ttl>60</ttl>")
rss("ttl-fixed.rss", "<ttl>60</ttl>")
rss("sy-daily.rss", "<sy:updatePeriod>daily</sy:updatePeriod>", SY)
rss("skiphours.rss", "<skipHours><hour>%s</hour><hour>%s</hour></skipHours>" % (hour, next_hour))
rss("skipdays.rss", "<skipDays><day>%s</day><day>%s</day></skipDays>" % (today, tomorrow))
rss("plain.rss", "")
with open(os.path.join(d, "sy-rdf.rdf"), "w") as f:
    f.write('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" %s><channel rdf:about="http://hints.example/">'
            '<title>RDF</title><link>http://hints.example/</link>'
            '<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>'
            '</channel><item rdf:about="http://hints.example/1"><title>RDF one</title>'
            '<link>http://hints.example/1</link></item></rdf:RDF>\n' % SY)
PYEOF
start_feedserver "$FEEDS_DIR" || bail_out "feedserver did not start"

PORT=$(free_port)
cat >"$TMP/hints.conf" <<EOF
listen = 127.0.0.1:$PORT
database = $TMP/hints.db
interval = 2m
min_interval = 1m
max_interval = 3h

[section s]
[feed ttl]
url = $FSURL/ttl.rss
section = s
[feed ttl_fixed]
url = $FSURL/ttl-fixed.rss
section = s
interval = 5m
[feed sy_rdf]
url = $FSURL/sy-rdf.rdf
section = s
[feed sy_daily]
url = $FSURL/sy-daily.rss
section = s
[feed skiphours]
url = $FSURL/skiphours.rss
section = s
[feed skipdays]
url = $FSURL/skipdays.rss
section = s
[feed plain]
url = $FSURL/plain.rss
section = s
EOF
start_feedmux "$TMP/hints.conf" || bail_out "feedmux did not start"
wait_polled 7
ok $? "every_feed_polled"

# plan_of NAME: "interval_s next_poll-last_fetch(s) next_poll(UTC HH:MM:SS)"
curl -sf --max-time 5 "$FMURL/healthz?feeds=1" >"$TMP/feeds.json"
plan_of() {
	"$PY3" -c '
import json, sys, datetime
def t(s): return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
for f in json.load(open(sys.argv[1]))["feeds"]:
    if f["name"] == sys.argv[2]:
        nxt, last = t(f["next_poll"]), t(f["last_fetch"])
        print(f["interval_s"], int((nxt - last).total_seconds()), nxt.strftime("%H:%M:%S"))' \
		"$TMP/feeds.json" "$1"
}
# within NAME LOW HIGH: the delay to the next poll is in [LOW, HIGH] s.
within() {
	local d
	d=$(plan_of "$1" | cut -d' ' -f2)
	[ "${d:-0}" -ge "$2" ] && [ "${d:-0}" -le "$3" ] || { diag "$1: next poll in $d s"; return 1; }
}

# ± 10 % jitter on every interval, +1 s for rounding.
is "$(plan_of plain | cut -d' ' -f1)" 120 "no_hint_keeps_the_configured_interval"
is "$(plan_of ttl | cut -d' ' -f1)" 3600 "rss_ttl_60_minutes_sets_the_interval_to_1_h"
check "rss_ttl_next_poll_about_an_hour_later" within ttl 3240 3961
is "$(plan_of sy_rdf | cut -d' ' -f1)" 1800 "rss1_sy_hourly_twice_sets_30_min"
check "rss1_sy_next_poll_about_30_min_later" within sy_rdf 1620 1981
is "$(plan_of sy_daily | cut -d' ' -f1)" 10800 "sy_daily_capped_at_max_interval_3h"
is "$(plan_of ttl_fixed | cut -d' ' -f1)" 300 "per_feed_interval_overrides_the_ttl"
# skipHours: this hour and the next are skipped, so the next poll is at
# the start of the hour after (whatever minute the poll ran at).
is "$(plan_of skiphours | cut -d' ' -f3)" "$(printf '%02d:00:00' $(((HOUR + 2) % 24)))" \
	"skiphours_next_poll_at_the_first_allowed_hour"
# skipDays: today and tomorrow skipped is more than max_interval away:
# the configured bound wins, the poll comes max_interval (3 h) later.
check "skipdays_beyond_max_interval_poll_at_max_interval" within skipdays 10800 10801
is "$(sqlite3 "$TMP/hints.db" "SELECT skip_hours = (1 << $HOUR) | (1 << $NEXT_HOUR) FROM feeds WHERE name = 'skiphours'")" 1 \
	"skiphours_kept_in_the_database_for_304s"

stop_feedmux TERM
is "$EXIT_RC" 0 "daemon_exits_0"
done_testing
