#!/bin/bash
# e2e_formats.sh — every feed format and field through the real daemon
# (issue 3's "Done when": every format and field round-trips into the
# merged feed).
#
# tests/data/formats holds one feed per dialect: RSS 0.90, 0.91 (Netscape,
# with its DOCTYPE, and UserLand), 0.92, 0.93, 0.94, 2.0, RSS 1.0 with the
# dc/content/sy modules, Atom 0.3 and 1.0, JSON Feed 1.0 and 1.1, several
# served with a misleading Content-Type (detection is by content); a
# GB2312 and a KOI8-R feed whose charset is only in the HTTP header; and a
# feed with a bare '&' and undefined HTML entities; an HTML page that
# advertises a feed.  tests/feedserver serves them, feedmux polls them,
# and the merged /feed.atom, /feed.rss and /feed.json are read by
# /usr/bin/python3 feedparser (Atom, RSS), Python's json module (JSON
# Feed: Debian 12's readers predate it) and newsboat (Atom, RSS): each
# entry's title, link, date, authors, contributors, categories,
# enclosures, content, comments, language and credited source are
# compared with what the fixture says.  The repaired feed must say so in
# /healthz?feeds=1, the status page, the log and /metrics; the HTML page's
# error must name the feed URL to use.
. "$(dirname "$0")/lib.sh"
require_binaries

FORMATS=$top_srcdir/tests/data/formats

start_feedserver "$FORMATS" || bail_out "feedserver did not start"

# name url-path: the misleading types are the point of the /typed/ ones.
FEEDS="rss090 /typed/text/html/rss090.rdf
rss091n /rss091n.xml
rss091u /typed/text/plain/rss091u.xml
rss092 /rss092.xml
rss093 /rss093.xml
rss094 /rss094.xml
rss20 /rss20.xml
rss10 /rss10.rdf
atom03 /typed/application/rss+xml/atom03.xml
atom10 /atom10.xml
json10 /typed/text/plain/feed10.json
json11 /typed/application/xml/feed11.json
gb2312 /typed/text/xml;charset=gb2312/gb2312.xml
koi8r /typed/text/xml;%20charset=%22KOI8-R%22/koi8r.xml
repaired /repaired.xml
htmlpage /advertises.html"
NFEEDS=$(echo "$FEEDS" | wc -l)
NENTRIES=$((NFEEDS - 1))	# the HTML page has none

PORT=$(free_port)
{
	echo "listen = 127.0.0.1:$PORT"
	echo "database = $TMP/feedmux.db"
	echo "title = feedmux formats"
	echo "interval = 1h"
	echo "max_interval = 1h"
	echo "timeout = 5s"
	echo "[section formats]"
	echo "$FEEDS" | while read -r name path; do
		printf '[feed %s]\nurl = %s%s\nsection = formats\ndedupe = no\n' \
			"$name" "$FSURL" "$path"
	done
} >"$TMP/feedmux.conf"
start_feedmux "$TMP/feedmux.conf" || bail_out "feedmux did not start"
wait_polled "$NFEEDS"
ok $? "daemon_polls_every_format_fixture" || bail_out "no poll"

# Every poll must have succeeded: a format that was not recognised shows
# as a failing feed with the parser's error.
curl -sf --max-time 5 "$FMURL/healthz?feeds=1" >"$TMP/feeds.json"
is "$("$PY3" -c '
import json, sys
for f in json.load(open(sys.argv[1]))["feeds"]:
    if f["name"] != "htmlpage" and (f["status"] != "ok" or f["items"] != 1):
        print(f["name"], f["status"], f["items"], f["error"])' "$TMP/feeds.json")" "" \
	"every_format_polled_ok_with_its_one_entry"
# Bullet 1: an HTML page is a feed error naming the feed it advertises.
is "$("$PY3" -c '
import json, sys
f = {f["name"]: f for f in json.load(open(sys.argv[1]))["feeds"]}["htmlpage"]
print(f["items"], f["error"])' "$TMP/feeds.json")" \
	"0 not a feed: HTML page; it advertises the feed $FSURL/rss20.xml: use that URL" \
	"html_page_error_names_the_advertised_feed_url"
check "log_names_the_advertised_feed_url" \
	grep -q "feed 'htmlpage': not a feed: HTML page; it advertises the feed $FSURL/rss20.xml: use that URL" "$FMLOG"

for fmt in atom rss json; do
	is "$(http_get "$FMURL/feed.$fmt" "$TMP/feed.$fmt")" 200 "merged_${fmt}_answers_200"
done
check "merged_atom_valid_against_rfc4287_schema" \
	xmllint --noout --relaxng "$top_srcdir/tests/data/atom.rng" "$TMP/feed.atom"

# ---- what each fixture's entry must look like in every output ----
#
# The checker prints "NAME<TAB>GOT<TAB>WANT" per comparison, one TAP test
# each; a field a format cannot carry is left out of that format's row
# (JSON Feed has no email, RSS one <author> and one <enclosure>).
cat >"$TMP/expect.py" <<'PYEOF'
# key: the entry title as plain text.  Dates in UTC.
E = {
 "Harbour cranes idle as dockers strike": dict(
    link="http://rss090.example/news/harbour"),
 "Glacier retreat measured at record pace": dict(
    link="http://rss091n.example/science/glacier",
    content="Surveyors in the Alps say the ice lost forty metres."),
 "Orchestra unveils season of forgotten symphonies": dict(
    link="http://rss091u.example/arts/orchestra",
    content="<b>rarely heard</b>"),
 "Interview with the lighthouse keeper": dict(
    link="http://rss092.example/audio/lighthouse",
    tags="Coastal life",
    scheme="http://rss092.example/topics",
    enclosures="http://rss092.example/audio/lighthouse.mp3 audio/mpeg 4812011",
    via="http://radio.example/original.xml",
    content="Forty winters on a rock"),
 "Copper futures climb on mine closure": dict(
    link="http://rss093.example/markets/copper",
    published="2024-04-02T08:15:00Z",
    enclosures="http://rss093.example/charts/copper.png image/png 20480"),
 "Night trains return to the northern line": dict(
    link="http://rss094.example/transit/night-trains",
    published="2024-04-02T04:40:00Z",
    authors="Mira Okafor", emails="desk@rss094.example.com",
    tags="Railways", scheme="http://rss094.example/cats",
    comments="http://rss094.example/transit/night-trains#comments",
    guid="rss094-night-trains-0001"),
 "Flood barriers raised along the estuary": dict(
    link="http://rss20.example/uk/flood-barriers",
    published="2024-04-03T05:30:00Z",
    authors="Tom Hale|Priya Natarajan", emails="newsdesk@rss20.example.com",
    tags="Environment|Weather", scheme="http://rss20.example/sections",
    comments="http://rss20.example/uk/flood-barriers#comments",
    enclosures="http://rss20.example/video/barriers.mp4 video/mp4 73400320",
    thumbnail="http://rss20.example/img/barriers-thumb.jpg",
    content="<em>all nine</em>",
    # RSS has no xml:base: relative URLs resolve against the feed's URL
    content_abs='src="@FSURL@/img/barrier.jpg"',
    no_script=1,
    guid="http://rss20.example/uk/flood-barriers",
    via="http://agency.example/feed.xml"),
 "Le musée rouvre ses portes après travaux": dict(
    link="http://rss10.example/culture/musee",
    published="2024-04-01T07:20:00Z",
    authors="Claire Dubois", tags="Culture",
    content="<strong>rénovation</strong>", language="fr-FR"),
 "Beekeepers report a bumper spring": dict(
    link="http://atom03.example/2024/04/bees",
    published="2024-04-01T09:05:00Z",
    authors="Ana Lima", emails="ana@atom03.example.com",
    content="<i>heavier</i>", guid="tag:atom03.example,2024:bees"),
 "Telescope spots icy moon plumes": dict(
    link="http://atom10.example/science/plumes",
    published="2024-04-02T17:00:00Z",
    authors="Jun Watanabe", emails="jun@atom10.example.com",
    contributors="Sara Ek",
    tags="astronomy", scheme="http://atom10.example/topics",
    comments="http://atom10.example/science/plumes#comments",
    enclosures="http://atom10.example/audio/plumes.ogg audio/ogg 1337",
    content_abs='href="http://atom10.example/data/plumes.csv"',
    content="from the south pole", language="en",
    guid="urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a",
    via="http://observatory.example/"),
 "Teenager wins the national chess final": dict(
    link="http://json10.example/games/chess",
    published="2024-03-31T19:00:00Z",
    authors="Omar Haddad", tags="Games|Youth",
    enclosures="http://json10.example/games/final.pgn application/x-chess-pgn 2048",
    content="<b>fifteen-year-old</b>", guid="json10-chess-1"),
 "Quantenrechner bricht Rekord": dict(
    link="http://json11.example/tech/quantum",
    published="2024-03-30T07:45:00Z",
    authors="Lena Vogt|Karl Brandt", tags="Technik",
    enclosures="http://json11.example/tech/quantum.pdf application/pdf 99999",
    content="München", language="de-DE"),
 "国务院召开常务会议": dict(
    link="http://gb.example/a1", content="会议研究部署经济工作。"),
 "Новый мост открыт для движения": dict(
    link="http://koi.example/most", content="Мост соединил два берега."),
 "Fish & chips price rises\u00a0again": dict(
    link="http://careless.example/fish?a=1&b=2",
    content="Cod costs more \u2014 again."),
}
# What an output format cannot carry: JSON Feed has no author email.
LACKS = {"json": {"emails"}, "atom": set(), "rss": set()}
PYEOF

cat >"$TMP/check.py" <<'PYEOF'
import json, sys, time, calendar
exec(open(sys.argv[1]).read().replace("@FSURL@", sys.argv[4]))
fmt, path = sys.argv[2], sys.argv[3]

def utc(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(calendar.timegm(t))) if t else "-"

def norm_fp(e):
    r = {"link": e.get("link", "-"),
         "published": utc(e.get("published_parsed")),
         "authors": "|".join(a.get("name", "-") for a in e.get("authors", []) if a),
         # the first author's: feedparser 6.0 copies it to later ones
         "emails": ((e.get("authors") or [{}])[0] or {}).get("email", "-"),
         "contributors": "|".join(c.get("name", "-") for c in e.get("contributors", [])),
         "tags": "|".join(t.get("term") for t in e.get("tags", [])),
         "scheme": "|".join(sorted({t.get("scheme") for t in e.get("tags", []) if t.get("scheme")})),
         "enclosures": "|".join("%s %s %s" % (x.get("href"), x.get("type"), x.get("length"))
                                for x in e.get("enclosures", [])),
         "thumbnail": "|".join(t.get("url") for t in e.get("media_thumbnail", [])),
         "content": " ".join([c.get("value", "") for c in e.get("content", [])] + [e.get("summary", "")]),
         "guid": e.get("id", "-"),
         "via": "|".join(l["href"] for l in e.get("links", []) if l.get("rel") == "via"),
         "comments": e.get("comments") or "|".join(l["href"] for l in e.get("links", []) if l.get("rel") == "replies"),
         "language": (e.get("title_detail") or {}).get("language") or e.get("language") or "-"}
    return e.get("title", "-"), r

def norm_json(i):
    fm = i.get("_feedmux", {})
    r = {"link": i.get("url", "-"),
         "published": i.get("date_published", "-"),
         "authors": "|".join(a.get("name", "-") for a in i.get("authors", [])),
         "contributors": "|".join(c.get("name", "-") for c in fm.get("contributors", [])),
         "tags": "|".join(i.get("tags", [])),
         "scheme": "|".join(sorted({c["scheme"] for c in fm.get("categories", []) if c.get("scheme")})),
         "enclosures": "|".join("%s %s %s" % (a.get("url"), a.get("mime_type"), a.get("size_in_bytes"))
                                for a in i.get("attachments", [])),
         "thumbnail": i.get("image", "-"),
         "content": i.get("content_html", "") + " " + i.get("summary", "") + i.get("content_text", ""),
         "guid": i.get("id", "-"),
         "via": fm.get("source", {}).get("home_page_url") or fm.get("source", {}).get("feed_url", "-"),
         "comments": fm.get("comments_url", "-"),
         "language": i.get("language", "-")}
    return i.get("title", "-"), r

if fmt == "json":
    got = dict(norm_json(i) for i in json.load(open(path, encoding="utf-8"))["items"])
else:
    import feedparser
    d = feedparser.parse(path)
    got = dict(norm_fp(e) for e in d.entries)

def row(name, g, w):
    print("%s_%s\t%s\t%s" % (fmt, name, g.replace("\n", " "), w))

row("entry_titles", "|".join(sorted(got)), "|".join(sorted(E)))
for n, (title, want) in enumerate(E.items()):
    tag = "e%02d" % n
    g = got.get(title)
    if g is None:
        continue        # the titles row already failed
    for field, w in want.items():
        if field in LACKS[fmt]:
            continue
        if field == "guid" and fmt == "atom" and not (":" in w):
            continue    # a bare guid becomes a tag: URI in Atom (RFC 4287 §4.2.6)
        if field in ("content", "content_abs"):
            row("%s_%s" % (tag, field), "contains" if w in g["content"] else g["content"][:200], "contains")
        elif field == "no_script":
            row("%s_no_script" % tag, str("<script" in g["content"]), "False")
        else:
            row("%s_%s" % (tag, field), g[field], w)
PYEOF

feedparser_ok=0
"$PY3" -c 'import feedparser' 2>/dev/null && feedparser_ok=1
for fmt in atom rss json; do
	if [ $fmt != json ] && [ $feedparser_ok = 0 ]; then
		skip "feedparser_${fmt}_round_trip" "$PY3 has no feedparser"
		continue
	fi
	"$PY3" "$TMP/check.py" "$TMP/expect.py" $fmt "$TMP/feed.$fmt" "$FSURL" >"$TMP/rows.$fmt" 2>"$TMP/check.err"
	[ -s "$TMP/rows.$fmt" ] || diag "$(cat "$TMP/check.err")"
	while IFS=$'\t' read -r name got want; do
		is "$got" "$want" "$name"
	done <"$TMP/rows.$fmt"
done

# ---- newsboat reads the merged Atom and RSS ----
if command -v newsboat >/dev/null && command -v sqlite3 >/dev/null; then
	for fmt in atom rss; do
		echo "$FMURL/feed.$fmt" >"$TMP/urls.$fmt"
		: >"$TMP/newsboat.conf"
		HOME=$TMP timeout 60 newsboat -x reload -u "$TMP/urls.$fmt" \
			-c "$TMP/nb.$fmt.db" -C "$TMP/newsboat.conf" >"$TMP/nb.out" 2>&1
		is "$?" 0 "newsboat_reloads_merged_$fmt" || diag "$(cat "$TMP/nb.out")"
		nb() { sqlite3 "$TMP/nb.$fmt.db" "$1" 2>&1; }
		is "$(nb 'SELECT count(*) FROM rss_item')" "$NENTRIES" \
			"newsboat_${fmt}_sees_every_format_entry"
		is "$(nb "SELECT url || ' ' || author FROM rss_item WHERE title LIKE 'Night trains%'")" \
			"http://rss094.example/transit/night-trains Mira Okafor" \
			"newsboat_${fmt}_rss094_link_and_author"
		is "$(nb "SELECT enclosure_url || ' ' || enclosure_type FROM rss_item WHERE title LIKE 'Interview%'")" \
			"http://rss092.example/audio/lighthouse.mp3 audio/mpeg" \
			"newsboat_${fmt}_rss092_enclosure"
		is "$(nb "SELECT title FROM rss_item WHERE url = 'http://koi.example/most'")" \
			"Новый мост открыт для движения" "newsboat_${fmt}_koi8r_title_is_utf8"
		is "$(nb "SELECT count(*) FROM rss_item WHERE content LIKE '%fifteen-year-old%'")" 1 \
			"newsboat_${fmt}_jsonfeed10_content"
		is "$(nb "SELECT datetime(pubDate, 'unixepoch') FROM rss_item WHERE title LIKE 'Le mus%'")" \
			"2024-04-01 07:20:00" "newsboat_${fmt}_rss10_dc_date"
	done
else
	skip "newsboat_reads_the_merged_feeds" "newsboat or sqlite3 not installed"
fi

# ---- encodings: the HTTP charset is used, and not reported as a repair ----
# ---- ill-formed: the repaired feed says so everywhere ----
"$PY3" -c '
import json, sys
fs = {f["name"]: f for f in json.load(open(sys.argv[1]))["feeds"]}
for n in sorted(fs):
    print(n, fs[n]["repair"] or "-")' "$TMP/feeds.json" >"$TMP/repairs"
is "$(grep -v '^repaired ' "$TMP/repairs" | awk '$2 != "-"')" "" \
	"well_formed_feeds_and_http_charsets_are_not_repairs"
like "$(grep '^repaired ' "$TMP/repairs")" "undeclared HTML entity &nbsp; read as HTML; stray '&' or '<' escaped" \
	"healthz_feeds_names_what_was_repaired"
http_get "$FMURL/" "$TMP/index.html" >/dev/null
check "status_page_says_the_feed_was_repaired" \
	grep -q 'class="repaired">repaired: undeclared HTML entity &amp;nbsp; read as HTML; stray &#39;&amp;&#39;' "$TMP/index.html"
check "log_warns_that_the_feed_was_repaired" \
	test "$(grep -c "feed 'repaired': the document was repaired to read it: undeclared HTML entity &nbsp; read as HTML; stray '&' or '<' escaped" "$FMLOG")" = 1
http_get "$FMURL/metrics" "$TMP/metrics" >/dev/null
check "metrics_count_the_repair" grep -qx 'feedmux_parse_repairs_total 1' "$TMP/metrics"

done_testing
