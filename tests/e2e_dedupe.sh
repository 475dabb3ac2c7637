#!/bin/bash
# e2e_dedupe.sh — one story, one entry, through the real daemon: the
# labelled corpus of tests/data/dedupe (22 feeds, English and Chinese)
# served as RSS by tests/feedserver, plus a mirror feed with dedupe = no.
# The merged feed is scored against the ground truth (pairwise precision
# and recall >= 0.98, as in test_dedupe_corpus), every item is shown once
# (as an entry or as a rel="related" copy titled with its feed), a story is
# in every section any copy's feed is in, and /healthz counts items and
# stories.
. "$(dirname "$0")/lib.sh"
require_binaries

CORPUS=$top_srcdir/tests/data/dedupe
FEEDS_DIR=$TMP/feeds
mkdir -p "$FEEDS_DIR"
# The corpus's day 0 is eight days ago, so its dates are plausible now.
BASE=$(( $(date +%s) / 86400 * 86400 - 8 * 86400 ))

# One RSS file per feed (each item's last version), and the mirror: the
# first 20 items of xinhua-en again under other guids and links.
"$PY3" - "$CORPUS" "$FEEDS_DIR" "$BASE" <<'PY' || bail_out "could not write the corpus feeds"
import sys, email.utils
from xml.sax.saxutils import escape
corpus, out, base = sys.argv[1], sys.argv[2], int(sys.argv[3])
items = {}
for line in open(corpus + "/items.tsv", encoding="utf-8"):
    if line.startswith("#"):
        continue
    arrive, feed, guid, link, pub, title, summary, story = line.rstrip("\n").split("\t")
    items[(feed, guid)] = (link, pub, title, summary)
feeds = {}
for (feed, guid), v in items.items():
    feeds.setdefault(feed, []).append((guid,) + v)
feeds["mirror"] = [("m-" + g, "https://mirror.example/" + g, p, t, s)
                   for g, l, p, t, s in sorted(feeds["xinhua-en"])[:20]]
for feed, rows in feeds.items():
    with open("%s/%s.rss" % (out, feed), "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
                "<title>%s own title</title><link>http://127.0.0.1/</link>"
                "<description>corpus</description>\n" % feed)
        for guid, link, pub, title, summary in rows:
            f.write("<item><guid isPermaLink=\"false\">%s</guid><link>%s</link>"
                    "<title>%s</title>" % (escape(guid), escape(link), escape(title)))
            if pub != "-":
                f.write("<pubDate>%s</pubDate>" % email.utils.formatdate(base + int(pub), usegmt=True))
            if summary:
                f.write("<description>%s</description>" % escape(summary))
            f.write("</item>\n")
        f.write("</channel></rss>\n")
PY

start_feedserver "$FEEDS_DIR" || bail_out "feedserver did not start"
PORT=$(free_port)
{
	echo "listen = 127.0.0.1:$PORT"
	echo "database = $TMP/feedmux.db"
	echo "interval = 1h"
	echo "per_host = 32"
	for s in en zh wire; do printf '[section %s]\n' "$s"; done
	grep -v '^#' "$CORPUS/feeds.tsv" | while IFS=$'\t' read -r name title lang prio; do
		sections=$lang
		[ "$prio" -gt 0 ] && sections="$lang, wire"
		printf '[feed %s]\nurl = %s/%s.rss\ntitle = %s\nsection = %s\npriority = %s\n' \
			"$name" "$FSURL" "$name" "$title" "$sections" "$prio"
	done
	printf '[feed mirror]\nurl = %s/mirror.rss\ntitle = Mirror\nsection = en\ndedupe = no\n' "$FSURL"
} >"$TMP/feedmux.conf"
n_feeds=$(grep -c '^\[feed ' "$TMP/feedmux.conf")

start_feedmux "$TMP/feedmux.conf" || bail_out "feedmux did not start"
SECONDS=0
wait_polled "$n_feeds"
ok $? "dedupe_daemon_polls_the_corpus_feeds" || bail_out "no poll"
diag "polled in $SECONDS s"
for f in feed sections/en sections/zh sections/wire; do
	code=$(http_get "$FMURL/$f.atom?limit=1000" "$TMP/$(basename $f).atom")
	is "$code" 200 "dedupe_${f//\//_}_answers_200"
done
curl -sf --max-time 5 "$FMURL/healthz" >"$TMP/healthz.json"

# Scores the merged feed and checks sections and /healthz; prints TAP
# lines "ok|not ok NAME" and diagnostics, one per line.
"$PY3" - "$CORPUS" "$TMP" "$TMP/feedmux.conf" >"$TMP/score.txt" <<'PY'
import sys, json, itertools
import xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
corpus, tmp, conf = sys.argv[1:4]
story_of, feed_of, n_items = {}, {}, set()
for line in open(corpus + "/items.tsv", encoding="utf-8"):
    if line.startswith("#"):
        continue
    arrive, feed, guid, link, pub, title, summary, story = line.rstrip("\n").split("\t")
    story_of[link] = story
    n_items.add((feed, guid))
    feed_of.setdefault(link, set()).add(feed)
titles, sections, feed = {}, {}, None
for line in open(conf, encoding="utf-8"):
    line = line.strip()
    if line.startswith("[feed "):
        feed = line[6:-1]
    elif feed and line.startswith("title = "):
        titles[feed] = line[8:]
    elif feed and line.startswith("section = "):
        sections[feed] = {s.strip() for s in line[10:].split(",")}

def entries(name):
    return ET.parse("%s/%s.atom" % (tmp, name)).getroot().findall(A + "entry")

def result(cond, name, *diag):
    print(("ok " if cond else "not ok ") + name)
    if not cond:
        for d in diag:
            print("# " + str(d))

clusters, seen, bad_titles, mirror = [], [], [], 0
for e in entries("feed"):
    links = [(l.get("rel", "alternate"), l.get("href"), l.get("title"))
             for l in e.findall(A + "link")]
    own = [h for r, h, t in links if r == "alternate"]
    if own and "mirror.example" in own[0]:
        mirror += 1
        continue
    related = [(h, t) for r, h, t in links if r == "related"]
    for h, t in related:
        if t not in {titles[f] for f in feed_of.get(h, ())}:
            bad_titles.append((h, t))
    clusters.append([story_of.get(h, "?" + h) for h in own + [h for h, t in related]])
    seen += own + [h for h, t in related]
# Each item once: as an entry or as a copy (two copies may share a URL).
result(set(seen) == set(story_of) and len(seen) == len(n_items),
       "dedupe_every_corpus_item_shown_once",
       "missing %d, unknown %d, links %d for %d items" % (len(set(story_of) - set(seen)),
       len(set(seen) - set(story_of)), len(seen), len(n_items)))
result(not bad_titles, "dedupe_related_links_titled_with_their_feed", bad_titles[:5])
result(mirror == 20, "dedupe_no_feed_items_stay_separate_entries", "mirror entries %d" % mirror)
# Pairwise over links (a link names one item, or copies of one story).
label = {}
for i, c in enumerate(clusters):
    for s in c:
        label.setdefault(i, []).append(s)
tp = fp = fn = 0
pred = [(s, i) for i, c in enumerate(clusters) for s in c]
for (s1, i1), (s2, i2) in itertools.combinations(pred, 2):
    tp += s1 == s2 and i1 == i2
    fp += s1 != s2 and i1 == i2
    fn += s1 == s2 and i1 != i2
    if s1 == s2 and i1 != i2 and fn <= 5:
        print("# missed: %s in entries %s and %s" % (s1, clusters[i1], clusters[i2]))
precision = tp / (tp + fp) if tp + fp else 1.0
recall = tp / (tp + fn) if tp + fn else 1.0
print("# merged feed: %d entries, precision %.4f, recall %.4f" % (len(clusters), precision, recall))
result(precision >= 0.98, "dedupe_merged_feed_precision_above_0.98", precision)
result(recall >= 0.98, "dedupe_merged_feed_recall_above_0.98", recall)
# A story is in every section any of its copies' feeds is in.
want = {}
for link, story in story_of.items():
    for f in feed_of[link]:
        for s in sections[f]:
            want.setdefault(s, set()).add(story)
for sec in ("en", "zh", "wire"):
    got = set()
    for e in entries(sec):
        for l in e.findall(A + "link"):
            if l.get("rel", "alternate") in ("alternate", "related") and l.get("href") in story_of:
                got.add(story_of[l.get("href")])
    result(want[sec] <= got, "dedupe_section_%s_has_every_story_of_its_feeds" % sec,
           "missing %s" % sorted(want[sec] - got)[:10])
h = json.load(open(tmp + "/healthz.json"))
result(h.get("items") == len(n_items) + 20, "dedupe_healthz_counts_items",
       "items %s, want %d" % (h.get("items"), len(n_items) + 20))
result(h.get("stories") == len(clusters) + mirror, "dedupe_healthz_counts_stories",
       "stories %s, want %d" % (h.get("stories"), len(clusters) + mirror))
PY
while IFS= read -r line; do
	case $line in
	"ok "*) ok 0 "${line#ok }" ;;
	"not ok "*) ok 1 "${line#not ok }" ;;
	"# "*) diag "${line#\# }" ;;
	esac
done <"$TMP/score.txt"
[ -s "$TMP/score.txt" ] || ok 1 "dedupe_scored_the_merged_feed"
done_testing
