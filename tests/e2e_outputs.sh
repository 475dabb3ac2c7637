#!/bin/bash
# e2e_outputs.sh — every output of the real daemon read by real clients:
# the merged and a section feed as Atom, RSS and JSON Feed through Python
# feedparser and newsboat, Atom validated against RFC 4287's RELAX NG
# schema (tests/data/atom.rng) with xmllint, RFC 5005 paging followed to
# the end, /feeds.opml imported by newsboat, the status page `/` rendered
# by headless Chromium, and the HTTP side: validators and 304s, gzip,
# HEAD, keep-alive, a second listen line on IPv6, the debug access log.
. "$(dirname "$0")/lib.sh"
require_binaries

SCHEMA=$top_srcdir/tests/data/atom.rng

# jf FILE WHAT: the same for a JSON Feed, read with Python's json module
# (Debian 12's feedparser 6.0.10 and newsboat 2.21 predate JSON Feed):
# "bozo" is False only for valid JSON holding every member JSON Feed 1.1
# requires (version, title, items; each item an id and content).
jf() {
	"$PY3" - "$1" "$2" <<'PYEOF'
import json, sys
try:
    d = json.load(open(sys.argv[1], encoding="utf-8"))
    err = ""
    if not isinstance(d.get("title"), str) or not isinstance(d.get("items"), list):
        err = "title or items missing"
    for i in d.get("items", []):
        if not isinstance(i.get("id"), str) or not ("content_html" in i or "content_text" in i):
            err = "item without id or content"
except ValueError as e:
    d, err = {}, str(e)
what = sys.argv[2]
if what == "bozo":
    print(bool(err), err)
elif what == "version":
    print("json11" if d.get("version") == "https://jsonfeed.org/version/1.1" else d.get("version"))
elif what == "count":
    print(len(d.get("items", [])))
elif what == "feedtitle":
    print(d.get("title", "-"))
elif what == "next":
    print(d.get("next_url", "-"))
else:
    key = {"link": "url"}.get(what, what)
    for i in d.get("items", []):
        print(i.get(key, "-"))
PYEOF
}

# fp FILE WHAT: what feedparser makes of FILE (see fp_query in
# e2e_clients.sh); WHAT also "next" (the rel=next href) and "feedtitle".
fp() {
	"$PY3" - "$1" "$2" <<'PYEOF'
import sys
import feedparser
d = feedparser.parse(sys.argv[1])
what = sys.argv[2]
if what == "bozo":
    print(bool(d.bozo), d.get("bozo_exception", ""))
elif what == "version":
    print(d.version)
elif what == "count":
    print(len(d.entries))
elif what == "feedtitle":
    print(d.feed.get("title", "-"))
elif what == "next":
    print(next((l.href for l in d.feed.get("links", []) if l.get("rel") == "next"), "-"))
else:
    for e in d.entries:
        print(e.get(what, "-"))
PYEOF
}

copy_fixtures
start_feedserver "$FEEDS_DIR" || bail_out "feedserver did not start"
make_config "$TMP/feedmux.conf" 1h world china business failing
PORT6=$(free_port)
# Global keys go before the first section: a second listen line on ::1,
# and an icon.
sed -i -e "/^listen = /a listen = [::1]:$PORT6" \
       -e "/^listen = /a icon = http://127.0.0.1:$PORT/icon.png" "$TMP/feedmux.conf"
# One -v more than lib.sh gives: debug level, for the access log lines.
start_feedmux "$TMP/feedmux.conf" -v || bail_out "feedmux did not start"
wait_polled 4
ok $? "daemon_polls_every_configured_feed" || bail_out "no poll"

# ---- every format, merged and one section: status, type, feedparser ----

declare -A TYPE=([atom]="application/atom+xml; charset=utf-8"
	[rss]="application/rss+xml; charset=utf-8"
	[json]="application/feed+json; charset=utf-8")
declare -A VERSION=([atom]=atom10 [rss]=rss20 [json]=json11)
feedparser_ok=0
"$PY3" -c 'import feedparser' 2>/dev/null && feedparser_ok=1

for path in feed sections/china; do
	if [ "$path" = feed ]; then n=12 want=$(expected 5); else n=4 want=$(expected 5 china); fi
	for fmt in atom rss json; do
		name=${path//\//_}_$fmt
		f=$TMP/$name
		is "$(http_get "$FMURL/$path.$fmt" "$f" -D "$f.h")" 200 "${name}_answers_200"
		is "$(header_of "$f.h" Content-Type)" "${TYPE[$fmt]}" "${name}_content_type"
		if [ $fmt = json ]; then
			is "$(jf "$f" bozo)" "False " "jsonfeed_${name}_valid_with_required_members"
			is "$(jf "$f" version)" "${VERSION[$fmt]}" "jsonfeed_${name}_version"
			is "$(jf "$f" count)" "$n" "jsonfeed_${name}_entry_count"
			is "$(jf "$f" title)" "$want" "jsonfeed_${name}_titles_newest_first"
		elif [ $feedparser_ok = 1 ]; then
			is "$(fp "$f" bozo)" "False " "feedparser_${name}_not_bozo"
			is "$(fp "$f" version)" "${VERSION[$fmt]}" "feedparser_${name}_version"
			is "$(fp "$f" count)" "$n" "feedparser_${name}_entry_count"
			is "$(fp "$f" title)" "$want" "feedparser_${name}_titles_newest_first"
		else
			for t in not_bozo version entry_count titles_newest_first; do
				skip "feedparser_${name}_$t" "$PY3 has no feedparser"
			done
		fi
	done
done
if [ $feedparser_ok = 1 ]; then
	is "$(fp "$TMP/feed_rss" link | mask_unknown 3)" "$(expected 3)" "feedparser_rss_links"
	is "$(fp "$TMP/feed_rss" feedtitle)" "feedmux e2e" "feedparser_rss_feed_title"
else
	skip feedparser_rss_links "no feedparser"
	skip feedparser_rss_feed_title "no feedparser"
fi
is "$(jf "$TMP/feed_json" link | mask_unknown 3)" "$(expected 3)" "jsonfeed_links"
# JSON Feed: valid JSON, and the members readers need.
is "$("$PY3" -c '
import json, sys
d = json.load(open(sys.argv[1]))
ok = d["version"] == "https://jsonfeed.org/version/1.1" and d["feed_url"].endswith("/feed.json")
ok = ok and all("id" in i and ("content_html" in i or "content_text" in i) for i in d["items"])
ok = ok and all(i["_feedmux"]["feed"]["name"] in ("world", "china", "business") for i in d["items"])
print("valid" if ok else "invalid")' "$TMP/feed_json" 2>&1)" valid "json_feed_parses_with_required_members"
like "$(cat "$TMP/feed_rss")" '<atom:link href="http://127.0.0.1:[0-9]+/feed.rss" rel="self" type="application/rss\+xml"/>' \
	"rss_has_atom_self_link"
like "$(cat "$TMP/feed_atom")" "<icon>http://127.0.0.1:$PORT/icon.png</icon>" "atom_icon_from_config"

# ---- Atom against RFC 4287's RELAX NG schema ----

if command -v xmllint >/dev/null; then
	for name in feed_atom sections_china_atom; do
		out=$(xmllint --noout --relaxng "$SCHEMA" "$TMP/$name" 2>&1)
		ok $? "atom_${name}_valid_against_rfc4287_relaxng" || diag "$out"
	done
	# The schema must be able to fail: an entry without an id is invalid.
	sed '0,/<id>tag:/s/<id>tag:[^<]*<\/id>//' "$TMP/feed_atom" >"$TMP/broken.atom"
	! xmllint --noout --relaxng "$SCHEMA" "$TMP/broken.atom" >/dev/null 2>&1
	ok $? "relaxng_rejects_an_entry_without_id"
else
	for t in feed_atom sections_china_atom; do skip "atom_${t}_valid_against_rfc4287_relaxng" "no xmllint (libxml2-utils)"; done
	skip relaxng_rejects_an_entry_without_id "no xmllint (libxml2-utils)"
fi

# ---- newsboat reads every feed and imports the OPML ----

if command -v newsboat >/dev/null && command -v sqlite3 >/dev/null; then
	: >"$TMP/newsboat.conf"
	# One cache per URL: newsboat keeps an item once per guid across all
	# its feeds, and the merged and section feeds share entries.
	for path in feed sections/china; do
		if [ "$path" = feed ]; then n=12 want=$(expected 5); else n=4 want=$(expected 5 china); fi
		for fmt in atom rss; do
			u="$FMURL/$path.$fmt" name=${path//\//_}_$fmt
			echo "$u" >"$TMP/urls.$name"
			HOME=$TMP timeout 60 newsboat -x reload -u "$TMP/urls.$name" \
				-c "$TMP/newsboat.$name.db" -C "$TMP/newsboat.conf" \
				>"$TMP/newsboat.out" 2>&1
			is "$?" 0 "newsboat_${name}_reloads" || diag "$(cat "$TMP/newsboat.out")"
			nb() { sqlite3 "$TMP/newsboat.$name.db" "$1" 2>&1; }
			is "$(nb "SELECT count(*) FROM rss_item WHERE feedurl = '$u'")" "$n" \
				"newsboat_${name}_entry_count"
			is "$(nb "SELECT title FROM rss_item WHERE feedurl = '$u' ORDER BY pubDate DESC")" \
				"$want" "newsboat_${name}_titles_and_dates"
		done
	done
	http_get "$FMURL/feeds.opml" "$TMP/feeds.opml" >/dev/null
	: >"$TMP/urls2"
	HOME=$TMP timeout 30 newsboat -i "$TMP/feeds.opml" -u "$TMP/urls2" \
		-c "$TMP/newsboat2.db" -C "$TMP/newsboat.conf" >"$TMP/newsboat2.out" 2>&1
	is "$(grep -o 'http://127.0.0.1:[0-9]*/[a-z/0-9.]*' "$TMP/urls2" | sed 's|.*/||' | sort | tr '\n' ' ')" \
		"500 business.rss china.atom world.rss " "newsboat_imports_every_source_feed_from_opml" ||
		diag "$(cat "$TMP/newsboat2.out" "$TMP/urls2")"
else
	for t in feed_atom feed_rss sections_china_atom sections_china_rss; do
		skip "newsboat_${t}_reloads" "newsboat or sqlite3 not installed"
		skip "newsboat_${t}_entry_count" "no newsboat"; skip "newsboat_${t}_titles_and_dates" "no newsboat"
	done
	skip newsboat_imports_every_source_feed_from_opml "no newsboat"
fi

# ---- /feeds.opml: OPML 2.0, sections as categories ----

is "$(http_get "$FMURL/feeds.opml" "$TMP/o" -D "$TMP/o.h")" 200 "opml_answers_200"
is "$(header_of "$TMP/o.h" Content-Type)" "text/x-opml; charset=utf-8" "opml_content_type"
is "$("$PY3" -c '
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
print(r.get("version"), "|".join(
    o.get("text") + ":" + ",".join(c.get("xmlUrl").rsplit("/", 1)[1] for c in o)
    for o in r.find("body")))' "$TMP/o")" \
	"2.0 World:world.rss,500|China:china.atom|Business:business.rss" \
	"opml_sections_are_categories_holding_their_feeds"

# ---- RFC 5005 paging: follow rel="next" to the end ----

page=$FMURL/feed.atom?limit=5 pages=0 ids=
while [ "$page" != - ] && [ $pages -lt 10 ]; do
	http_get "$page" "$TMP/page" >/dev/null
	pages=$((pages + 1))
	ids+=$(atom_query "$TMP/page" id)$'\n'
	page=$(fp "$TMP/page" next 2>/dev/null || echo -)
	[ $feedparser_ok = 1 ] || page=-
done
if [ $feedparser_ok = 1 ]; then
	is "$pages" 3 "paging_12_entries_by_5_is_3_pages"
	is "${ids%$'\n'}" "$(atom_query "$TMP/feed_atom" id)" \
		"paging_next_links_give_every_entry_once_in_order"
	if command -v xmllint >/dev/null; then
		xmllint --noout --relaxng "$SCHEMA" "$TMP/page" >/dev/null 2>&1
		ok $? "paging_last_page_valid_against_relaxng"
	else
		skip paging_last_page_valid_against_relaxng "no xmllint"
	fi
else
	for t in 12_entries_by_5_is_3_pages next_links_give_every_entry_once_in_order last_page_valid_against_relaxng; do
		skip "paging_$t" "no feedparser"
	done
fi
is "$(http_get "$FMURL/feed.rss?before=nonsense" /dev/null)" 400 "paging_bad_cursor_is_400"

# ---- HTTP: validators, 304, gzip, HEAD, keep-alive, IPv6, access log ----

for fmt in rss json; do
	etag=$(header_of "$TMP/feed_$fmt.h" ETag)
	is "$(http_get "$FMURL/feed.$fmt" /dev/null -H "If-None-Match: $etag")" 304 \
		"${fmt}_if_none_match_is_304"
	lm=$(header_of "$TMP/feed_$fmt.h" Last-Modified)
	is "$(http_get "$FMURL/feed.$fmt" /dev/null -H "If-Modified-Since: $lm")" 304 \
		"${fmt}_if_modified_since_is_304"
	http_get "$FMURL/feed.$fmt" "$TMP/gz" -H "Accept-Encoding: gzip" -D "$TMP/gz.h" >/dev/null
	is "$(header_of "$TMP/gz.h" Content-Encoding)/$(header_of "$TMP/gz.h" Vary)" \
		"gzip/Accept-Encoding" "${fmt}_gzip_with_vary"
	cmp -s <(gzip -dc "$TMP/gz") "$TMP/feed_$fmt"
	ok $? "${fmt}_gzip_body_inflates_to_the_plain_body"
	http_get "$FMURL/feed.$fmt" "$TMP/head" -I >/dev/null
	is "$(header_of "$TMP/head" Content-Length)" "$(wc -c <"$TMP/feed_$fmt" | tr -d ' ')" \
		"${fmt}_head_content_length_as_get"
done
like "$(header_of "$TMP/feed_atom.h" Cache-Control)" "max-age=[0-9]+" "feed_cache_control_allows_revalidation"
curl -sv --max-time 10 -o /dev/null -o /dev/null "$FMURL/feed.atom" "$FMURL/feed.rss" 2>"$TMP/ka.err"
like "$(cat "$TMP/ka.err")" "Re-using existing connection" "keepalive_two_requests_reuse_one_connection"
v6=$(curl -s -g --max-time 5 -o /dev/null -w '%{http_code}' "http://[::1]:$PORT6/feed.json")
if [ "$v6" = 000 ] && grep -q "::1" "$FMLOG"; then
	skip ipv6_second_listen_line_serves "::1 not usable here: $(grep '::1' "$FMLOG" | head -1)"
else
	is "$v6" 200 "ipv6_second_listen_line_serves"
fi
like "$(cat "$FMLOG")" "GET /feed.rss\?before=nonsense 400" "access_log_line_at_debug"

# ---- the status page ----

is "$(http_get "$FMURL/" "$TMP/index.html" -D "$TMP/index.h")" 200 "status_page_answers_200"
is "$(header_of "$TMP/index.h" Content-Type)" "text/html; charset=utf-8" "status_page_is_html"
# Autodiscovery: every <link rel="alternate"> answers 200 with its type.
alts=$("$PY3" -c '
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def handle_starttag(self, tag, a):
        a = dict(a)
        if tag == "link" and a.get("rel") == "alternate":
            print(a["type"], a["href"])
P().feed(open(sys.argv[1], encoding="utf-8").read())' "$TMP/index.html")
is "$(echo "$alts" | wc -l)" 12 "status_page_autodiscovers_merged_and_three_sections_in_three_formats"
bad=0
while read -r type href; do
	got=$(curl -s --max-time 5 -o /dev/null -w '%{http_code} %{content_type}' "$href")
	[ "$got" = "200 $type; charset=utf-8" ] || { bad=$((bad + 1)); diag "$href: $got"; }
done <<<"$alts"
is "$bad" 0 "status_page_alternate_links_all_answer_with_their_type"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROMIUM" ]; then
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$TMP/chr" --dump-dom "$FMURL/" \
		>"$TMP/dom.html" 2>"$TMP/chromium.err"
	ok $? "chromium_loads_the_status_page" || diag "$(tail -5 "$TMP/chromium.err")"
	dom() {
		"$PY3" - "$TMP/dom.html" "$1" <<'PYEOF'
import sys
from html.parser import HTMLParser
# Text of the DOM Chromium built, one line per table row / list item.
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.rows = []; self.cur = None; self.sec = None
    def handle_starttag(self, tag, a):
        if tag == "section": self.sec = dict(a).get("id")
        if tag in ("tr", "li"): self.cur = []
    def handle_endtag(self, tag):
        if tag in ("tr", "li") and self.cur is not None:
            self.rows.append((self.sec, " ".join(" ".join(self.cur).split()))); self.cur = None
    def handle_data(self, d):
        if self.cur is not None: self.cur.append(d)
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
for sec, row in p.rows:
    if sec == sys.argv[2]: print(row)
PYEOF
	}
	like "$(dom feeds)" "feedmux e2e all sections, merged Atom · RSS · JSON Feed" \
		"chromium_page_shows_the_merged_feed_and_its_formats"
	is "$(dom feeds | grep -c 'Atom · RSS · JSON Feed')" 4 "chromium_page_lists_merged_and_each_section"
	like "$(dom sources | grep '^Xinhua')" "ok .* ago HTTP 200 OK " "chromium_page_source_ok_with_last_fetch"
	# One error so far (interval 1h): retrying; failing from the third.
	like "$(dom sources | grep '^failing')" "(retrying \([12] errors?\)|failing \([0-9]+ in a row\)) .* HTTP 500 Internal Server Error" \
		"chromium_page_failing_source_in_words"
	is "$(dom entries | head -1 | sed 's/ China Daily.*//')" "$(expected 5 | head -1)" \
		"chromium_page_newest_entry_first"
	is "$(dom entries | wc -l)" 12 "chromium_page_lists_the_entries"
else
	for t in loads_the_status_page page_shows_the_merged_feed_and_its_formats \
		 page_lists_merged_and_each_section page_source_ok_with_last_fetch \
		 page_failing_source_in_words page_newest_entry_first page_lists_the_entries; do
		skip "chromium_$t" "chromium not installed"
	done
fi

done_testing
