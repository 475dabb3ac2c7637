-- feedmux database at schema version 8, made by mkfixture.py
PRAGMA user_version = 8;
BEGIN TRANSACTION;
CREATE TABLE feed_sections ( feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE, section TEXT NOT NULL, PRIMARY KEY (feed_id, section)) WITHOUT ROWID;
INSERT INTO "feed_sections" VALUES(2,'china');
INSERT INTO "feed_sections" VALUES(1,'world');
INSERT INTO "feed_sections" VALUES(2,'world');
CREATE TABLE feeds ( id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, config_url TEXT, url TEXT, title_config TEXT, title TEXT, link TEXT, source_id TEXT, updated INTEGER, etag TEXT, last_modified TEXT, next_poll INTEGER NOT NULL DEFAULT 0, last_poll INTEGER NOT NULL DEFAULT 0, last_success INTEGER NOT NULL DEFAULT 0, interval_s INTEGER NOT NULL DEFAULT 0, errors INTEGER NOT NULL DEFAULT 0, last_status INTEGER NOT NULL DEFAULT 0, last_error TEXT, active INTEGER NOT NULL DEFAULT 1, changed_at INTEGER NOT NULL DEFAULT 0, body_hash INTEGER, gone INTEGER NOT NULL DEFAULT 0, publish_gaps TEXT, last_new_at INTEGER NOT NULL DEFAULT 0, hint_s INTEGER NOT NULL DEFAULT 0, priority INTEGER NOT NULL DEFAULT 0, dedupe INTEGER NOT NULL DEFAULT 1, skip_hours INTEGER NOT NULL DEFAULT 0, skip_days INTEGER NOT NULL DEFAULT 0, repair TEXT);
INSERT INTO "feeds" VALUES(1,'xinhua-world','http://127.0.0.1:1/world.rss','http://127.0.0.1:1/world.rss',NULL,'Xinhua World','http://xinhua.example/world',NULL,NULL,'"e1"','Wed, 03 Apr 2024 12:00:00 GMT',1712149200,1712145600,1712145600,900,0,200,NULL,1,1712145600,NULL,0,NULL,0,0,0,1,0,0,NULL);
INSERT INTO "feeds" VALUES(2,'china','http://127.0.0.1:1/china.atom','http://127.0.0.1:1/china.atom',NULL,'China',NULL,NULL,NULL,NULL,NULL,0,1712145600,1712145600,900,0,200,NULL,0,1712145600,NULL,0,NULL,0,0,0,1,0,0,NULL);
CREATE TABLE "item_bands" ( day INTEGER NOT NULL, band INTEGER NOT NULL, at INTEGER NOT NULL, item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE, feed_id INTEGER NOT NULL, simhash_title INTEGER, simhash_lead INTEGER, PRIMARY KEY (day, band, at, item_id)) WITHOUT ROWID;
CREATE TABLE items ( id INTEGER PRIMARY KEY, feed_id INTEGER NOT NULL REFERENCES feeds(id), item_key TEXT NOT NULL, guid TEXT, link TEXT, title TEXT, summary TEXT, content TEXT, author TEXT, categories TEXT, published INTEGER, updated INTEGER, first_seen INTEGER NOT NULL, last_seen INTEGER, changed_at INTEGER NOT NULL, content_hash TEXT, story_id INTEGER REFERENCES stories(id) DEFERRABLE INITIALLY DEFERRED, canonical_url TEXT, dedupe_at INTEGER, simhash_title INTEGER, simhash_lead INTEGER, extra TEXT, UNIQUE (feed_id, item_key));
INSERT INTO "items" VALUES(1,1,'xw-1','xw-1','http://xinhua.example/1','Talks open in Geneva','Delegates met.',NULL,'Xinhua','world
diplomacy',1712142000,NULL,1712145600,1712145600,1712145600,'0123456789abcdef',1,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "items" VALUES(2,1,'xw-2','xw-2','http://xinhua.example/2','Harvest up 3 pct',NULL,'<p>Grain output rose.</p>',NULL,NULL,1712145000,1712145000,1712145600,1712145600,1712145600,'fedcba9876543210',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "items" VALUES(3,2,'http://china.example/a',NULL,'http://china.example/a','中国新闻',NULL,NULL,NULL,NULL,NULL,NULL,1712145600,1712145600,1712145600,'00000000000000aa',3,NULL,NULL,NULL,NULL,NULL);
CREATE TABLE stories ( id INTEGER PRIMARY KEY, first_seen INTEGER NOT NULL, sort_date INTEGER NOT NULL, primary_item_id INTEGER REFERENCES items(id)  DEFERRABLE INITIALLY DEFERRED, shown INTEGER NOT NULL DEFAULT 0);
INSERT INTO "stories" VALUES(1,1712145600,1712142000,1,0);
INSERT INTO "stories" VALUES(2,1712145600,1712145000,2,0);
INSERT INTO "stories" VALUES(3,1712145600,1712145600,3,0);
CREATE TABLE tombstones ( feed_id INTEGER NOT NULL, item_key TEXT NOT NULL, pruned_at INTEGER NOT NULL, last_seen INTEGER NOT NULL, PRIMARY KEY (feed_id, item_key)) WITHOUT ROWID;
CREATE INDEX feed_sections_section ON feed_sections(section);
CREATE INDEX stories_sort ON stories(sort_date DESC, id DESC);
CREATE INDEX items_story ON items(story_id);
CREATE INDEX items_canonical_url ON items(canonical_url, dedupe_at) WHERE canonical_url IS NOT NULL;
CREATE INDEX tombstones_last_seen ON tombstones(last_seen);
CREATE INDEX item_bands_item ON item_bands(item_id);
COMMIT;
