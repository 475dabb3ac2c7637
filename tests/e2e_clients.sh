#!/bin/bash
# e2e_clients.sh — real feed readers read the merged feed: newsboat (its
# sqlite cache shows what it understood) and Python's feedparser.
. "$(dirname "$0")/lib.sh"
require_binaries

# fp_query FILE WHAT: what feedparser makes of FILE, one line per entry
# (bozo, version and count are one line).
fp_query() {
	"$PY3" - "$1" "$2" <<'EOF'
import calendar, sys, time
import feedparser
d = feedparser.parse(sys.argv[1])
what = sys.argv[2]
if what == "bozo":
    print(bool(d.bozo), d.get("bozo_exception", ""))
elif what == "version":
    print(d.version)
elif what == "count":
    print(len(d.entries))
else:
    for e in d.entries:
        if what == "published":
            t = e.get("published_parsed")
            print(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(calendar.timegm(t))) if t else "-")
        elif what == "source":
            print(e.get("source", {}).get("title", "-"))
        else:
            print(e.get(what, "-"))
EOF
}

copy_fixtures
start_feedserver "$FEEDS_DIR" || bail_out "feedserver did not start"
make_config "$TMP/feedmux.conf" 1h world china business
start_feedmux "$TMP/feedmux.conf" || bail_out "feedmux did not start"
wait_polled 3
ok $? "daemon_polls_every_configured_feed" || bail_out "no poll"
is "$(http_get "$FMURL/feed.atom" "$TMP/feed.atom")" 200 "merged_feed_answers_200"

# ---- newsboat ----
if command -v newsboat >/dev/null && command -v sqlite3 >/dev/null; then
	echo "$FMURL/feed.atom" >"$TMP/urls"
	: >"$TMP/newsboat.conf"
	HOME=$TMP timeout 60 newsboat -x reload -u "$TMP/urls" \
		-c "$TMP/newsboat.db" -C "$TMP/newsboat.conf" >"$TMP/newsboat.out" 2>&1
	is "$?" 0 "newsboat_reloads_the_merged_feed" || diag "$(cat "$TMP/newsboat.out")"
	nb() { sqlite3 "$TMP/newsboat.db" "$1" 2>&1; }
	is "$(nb 'SELECT count(*) FROM rss_item')" 12 "newsboat_sees_every_entry"
	is "$(nb 'SELECT title FROM rss_item ORDER BY pubDate DESC')" "$(expected 5)" \
		"newsboat_titles_and_dates_match"
	is "$(nb 'SELECT guid FROM rss_item ORDER BY pubDate DESC' | source_ids)" \
		"$(expected 2)" "newsboat_sees_the_source_ids"
	is "$(nb 'SELECT count(DISTINCT guid) FROM rss_item')" 12 \
		"newsboat_sees_twelve_distinct_ids"
	is "$(nb 'SELECT url FROM rss_item ORDER BY pubDate DESC' |
		sed 's/^$/-/' | mask_unknown 3)" "$(expected 3)" "newsboat_sees_the_links"
else
	for t in reloads_the_merged_feed sees_every_entry titles_and_dates_match \
		 sees_the_source_ids sees_twelve_distinct_ids sees_the_links; do
		skip "newsboat_$t" "newsboat or sqlite3 not installed"
	done
fi

# ---- feedparser ----
if "$PY3" -c 'import feedparser' 2>/dev/null; then
	is "$(fp_query "$TMP/feed.atom" bozo)" "False " "feedparser_not_bozo"
	is "$(fp_query "$TMP/feed.atom" version)" atom10 "feedparser_sees_atom10"
	is "$(fp_query "$TMP/feed.atom" count)" 12 "feedparser_entry_count"
	is "$(fp_query "$TMP/feed.atom" title)" "$(expected 5)" "feedparser_titles"
	is "$(fp_query "$TMP/feed.atom" id | source_ids)" "$(expected 2)" \
		"feedparser_ids_are_the_source_ids"
	is "$(fp_query "$TMP/feed.atom" link | mask_unknown 3)" "$(expected 3)" \
		"feedparser_links"
	is "$(fp_query "$TMP/feed.atom" published)" "$(expected 4)" \
		"feedparser_published_dates_parse"
	is "$(fp_query "$TMP/feed.atom" source)" "$(expected 1 |
		sed -e 's/^world$/Xinhua World/' -e 's/^china$/China Daily: China/' \
		    -e 's/^business$/Global Business Wire/')" \
		"feedparser_each_entry_names_its_source"
	http_get "$FMURL/sections/china.atom" "$TMP/china.atom" >/dev/null
	is "$(fp_query "$TMP/china.atom" bozo)" "False " "feedparser_section_not_bozo"
	is "$(fp_query "$TMP/china.atom" title)" "$(expected 5 china)" \
		"feedparser_section_titles"
else
	for t in not_bozo sees_atom10 entry_count titles ids_are_the_source_ids \
		 links published_dates_parse each_entry_names_its_source \
		 section_not_bozo section_titles; do
		skip "feedparser_$t" "$PY3 has no feedparser (python3-feedparser)"
	done
fi

done_testing
