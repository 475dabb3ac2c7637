#!/usr/bin/env python3
"""mkfixture.py V — prints the SQL dump of a database at schema version V.

Runs the first V migrations exactly as src/store_migrate.c lists them (the C
string literals of migrations[], read from the source), sets user_version
to V and fills in sample rows through the columns the version-1 schema
already had, so a later schema's tests start from what an older feedmux
really wrote.  Run it once when a migration is added, for the version it
migrates *from*, and commit the dump:

    tests/data/migrations/mkfixture.py 3 > tests/data/migrations/v3.sql

A dump is never regenerated afterwards: it is what that release wrote.
"""
import os
import re
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
STORE_C = os.path.join(HERE, "..", "..", "..", "src", "store_migrate.c")


def migrations():
    src = open(STORE_C, encoding="utf-8").read()
    body = src[src.index("migrations[] = {"):]
    body = body[body.index("{") + 1:body.index("\n};")]
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    out, cur = [], []
    for tok in re.finditer(r'"((?:[^"\\]|\\.)*)"|,', body):
        if tok.group(0) == ",":
            if cur:
                out.append("".join(cur))
            cur = []
        else:
            cur.append(tok.group(1).encode().decode("unicode_escape"))
    if cur:
        out.append("".join(cur))
    return out


# Two feeds in two sections, one retired; items with and without dates;
# stories pointing back at their items.  Dates are Unix seconds.
SAMPLE = """
INSERT INTO feeds(id, name, config_url, url, title, link, etag, last_modified,
  next_poll, last_poll, last_success, interval_s, last_status, active, changed_at)
VALUES (1, 'xinhua-world', 'http://127.0.0.1:1/world.rss',
  'http://127.0.0.1:1/world.rss', 'Xinhua World', 'http://xinhua.example/world',
  '"e1"', 'Wed, 03 Apr 2024 12:00:00 GMT', 1712149200, 1712145600, 1712145600,
  900, 200, 1, 1712145600),
(2, 'china', 'http://127.0.0.1:1/china.atom', 'http://127.0.0.1:1/china.atom',
  'China', NULL, NULL, NULL, 0, 1712145600, 1712145600, 900, 200, 0, 1712145600);
INSERT INTO feed_sections VALUES (1, 'world'), (2, 'china'), (2, 'world');
INSERT INTO stories(id, first_seen, sort_date, primary_item_id) VALUES
  (1, 1712145600, 1712142000, 1), (2, 1712145600, 1712145000, 2),
  (3, 1712145600, 1712145600, 3);
INSERT INTO items(id, feed_id, item_key, guid, link, title, summary, content,
  author, categories, published, updated, first_seen, last_seen, changed_at,
  content_hash, story_id) VALUES
  (1, 1, 'xw-1', 'xw-1', 'http://xinhua.example/1', 'Talks open in Geneva',
   'Delegates met.', NULL, 'Xinhua', 'world
diplomacy', 1712142000, NULL, 1712145600, 1712145600, 1712145600,
   '0123456789abcdef', 1),
  (2, 1, 'xw-2', 'xw-2', 'http://xinhua.example/2', 'Harvest up 3 pct',
   NULL, '<p>Grain output rose.</p>', NULL, NULL, 1712145000, 1712145000,
   1712145600, 1712145600, 1712145600, 'fedcba9876543210', 2),
  (3, 2, 'http://china.example/a', NULL, 'http://china.example/a',
   '中国新闻', NULL, NULL, NULL, NULL, NULL, NULL, 1712145600, 1712145600,
   1712145600, '00000000000000aa', 3);
"""


def main():
    version = int(sys.argv[1])
    steps = migrations()
    if not 1 <= version <= len(steps):
        sys.exit("version must be 1..%d" % len(steps))
    db = sqlite3.connect(":memory:")
    for sql in steps[:version]:
        db.executescript(sql)
    db.executescript(SAMPLE)
    db.commit()
    print("-- feedmux database at schema version %d, made by mkfixture.py" % version)
    print("PRAGMA user_version = %d;" % version)
    for line in db.iterdump():
        print(line)


main()
