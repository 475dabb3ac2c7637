/*
 * store_migrate.c — the schema and its history: the migrations, applied
 * one per transaction through PRAGMA user_version when the store opens
 * (store.c's store_open).  tests/test_migrate.c upgrades each frozen
 * tests/data/migrations/vN.sql to the current version.
 */
#include <stdio.h>

#include <sqlite3.h>

#include "store.h"
#include "store_int.h"

/*
 * Migration i takes the schema from user_version i to i + 1, each in its
 * own transaction.  Append only: never edit a migration that has shipped.
 *
 * Dates are Unix seconds, NULL for "none" (ENTRY_NO_DATE in C).  An item's
 * changed_at is when its shown content last changed (insert or update), a
 * feed's changed_at when its shown metadata, title, sections or active
 * flag last changed: together they give store_changed_at() after a restart.
 * stories <-> items reference each other, so those keys are deferred to
 * the end of the transaction (a later pruning pass can delete both).
 */
static const char *const migrations[] = {
	/* 0 -> 1: the initial schema */
	"CREATE TABLE feeds ("
	" id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL,"
	" config_url TEXT, url TEXT, title_config TEXT,"
	" title TEXT, link TEXT, source_id TEXT, updated INTEGER,"
	" etag TEXT, last_modified TEXT, next_poll INTEGER NOT NULL DEFAULT 0,"
	" last_poll INTEGER NOT NULL DEFAULT 0,"
	" last_success INTEGER NOT NULL DEFAULT 0,"
	" interval_s INTEGER NOT NULL DEFAULT 0,"
	" errors INTEGER NOT NULL DEFAULT 0,"
	" last_status INTEGER NOT NULL DEFAULT 0, last_error TEXT,"
	" active INTEGER NOT NULL DEFAULT 1,"
	" changed_at INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE feed_sections ("
	" feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	" section TEXT NOT NULL, PRIMARY KEY (feed_id, section)) WITHOUT ROWID;"
	"CREATE INDEX feed_sections_section ON feed_sections(section);"
	"CREATE TABLE stories ("
	" id INTEGER PRIMARY KEY, first_seen INTEGER NOT NULL,"
	" sort_date INTEGER NOT NULL,"
	" primary_item_id INTEGER REFERENCES items(id)"
	"  DEFERRABLE INITIALLY DEFERRED);"
	"CREATE INDEX stories_sort ON stories(sort_date DESC, id DESC);"
	"CREATE TABLE items ("
	" id INTEGER PRIMARY KEY,"
	" feed_id INTEGER NOT NULL REFERENCES feeds(id),"
	" item_key TEXT NOT NULL, guid TEXT, link TEXT, title TEXT,"
	" summary TEXT, content TEXT, author TEXT, categories TEXT,"
	" published INTEGER, updated INTEGER,"
	" first_seen INTEGER NOT NULL, last_seen INTEGER,"
	" changed_at INTEGER NOT NULL, content_hash TEXT,"
	" story_id INTEGER REFERENCES stories(id) DEFERRABLE INITIALLY DEFERRED,"
	" UNIQUE (feed_id, item_key));"
	"CREATE INDEX items_story ON items(story_id);",
	/* 1 -> 2: poll state for the adaptive schedule (issue 4): the hash
	 * of the last 2xx body, 410 Gone, recent per-item publishing gaps
	 * ("600,540,..." seconds, oldest first), when new items last
	 * arrived, and the publisher's hinted interval. */
	"ALTER TABLE feeds ADD COLUMN body_hash INTEGER;"
	"ALTER TABLE feeds ADD COLUMN gone INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE feeds ADD COLUMN publish_gaps TEXT;"
	"ALTER TABLE feeds ADD COLUMN last_new_at INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE feeds ADD COLUMN hint_s INTEGER NOT NULL DEFAULT 0;",
	/* 2 -> 3: one story, one entry (issue 5, store_story.c).  A feed's
	 * priority and dedupe flag; an item's canonical URL, the time its
	 * copies are compared around (dedupe_at: published, else first
	 * seen) and its SimHash fingerprints; a story's shown flag (its
	 * shown copy no longer changes); item_bands, the SimHash band index
	 * (simhash.h) read by band and time range. */
	"ALTER TABLE feeds ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE feeds ADD COLUMN dedupe INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE items ADD COLUMN canonical_url TEXT;"
	"ALTER TABLE items ADD COLUMN dedupe_at INTEGER;"
	"ALTER TABLE items ADD COLUMN simhash_title INTEGER;"
	"ALTER TABLE items ADD COLUMN simhash_lead INTEGER;"
	"ALTER TABLE stories ADD COLUMN shown INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX items_canonical_url ON items(canonical_url, dedupe_at)"
	" WHERE canonical_url IS NOT NULL;"
	"CREATE TABLE item_bands ("
	" band INTEGER NOT NULL, at INTEGER NOT NULL,"
	" item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
	" PRIMARY KEY (band, at, item_id)) WITHOUT ROWID;"
	"CREATE INDEX item_bands_item ON item_bands(item_id);",
	/* 3 -> 4: tombstones of pruned items (issue 7, prune.c): a feed that
	 * still lists a pruned item must not bring it back as new.
	 * last_seen: when it was pruned or a feed last listed it since; a
	 * tombstone is forgotten a retention period after that. */
	"CREATE TABLE tombstones ("
	" feed_id INTEGER NOT NULL, item_key TEXT NOT NULL,"
	" pruned_at INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
	" PRIMARY KEY (feed_id, item_key)) WITHOUT ROWID;"
	"CREATE INDEX tombstones_last_seen ON tombstones(last_seen);",
	/* 4 -> 5: issue 3's fields (authors, contributors, enclosures,
	 * category schemes, comments, language, source) as one JSON text
	 * (entry_json.h): read and written whole, never queried. */
	"ALTER TABLE items ADD COLUMN extra TEXT;",
	/* 5 -> 6: RSS skipHours/skipDays (issue 4), kept across 304s that
	 * do not resend the document. */
	"ALTER TABLE feeds ADD COLUMN skip_hours INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE feeds ADD COLUMN skip_days INTEGER NOT NULL DEFAULT 0;",
	/* 6 -> 7: why the feed's last document had to be repaired (issue 3:
	 * ill-formed XML recovered, charset corrected), NULL when it parsed
	 * cleanly. */
	"ALTER TABLE feeds ADD COLUMN repair TEXT;",
	/* 7 -> 8: item_bands keyed by day first (store_story.c): a new
	 * item's lookups and inserts touch only the pages of the few days
	 * its window covers, which stay in the page cache however many
	 * days are stored; keyed by band first, each of them was a random
	 * page of the whole index (bench/dedupe_bench: the cost per new
	 * item grew with the store).  day is at / 86400 (SQLite and C both
	 * truncate toward zero).  Each row carries its item's feed and
	 * SimHashes, so candidates are filtered without reading the items
	 * table (rows of ~1 KB of text each: a random page per candidate). */
	"CREATE TABLE item_bands_v8 ("
	" day INTEGER NOT NULL, band INTEGER NOT NULL, at INTEGER NOT NULL,"
	" item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
	" feed_id INTEGER NOT NULL, simhash_title INTEGER,"
	" simhash_lead INTEGER,"
	" PRIMARY KEY (day, band, at, item_id)) WITHOUT ROWID;"
	"INSERT INTO item_bands_v8(day, band, at, item_id, feed_id,"
	" simhash_title, simhash_lead)"
	" SELECT b.at / 86400, b.band, b.at, b.item_id, i.feed_id,"
	" i.simhash_title, i.simhash_lead"
	" FROM item_bands b JOIN items i ON i.id = b.item_id;"
	"DROP TABLE item_bands;"
	"ALTER TABLE item_bands_v8 RENAME TO item_bands;"
	"CREATE INDEX item_bands_item ON item_bands(item_id);",
	/* 8 -> 9: stories by their shown item.  Deleting an item (prune.c)
	 * checks the stories that still point at it (the foreign key
	 * stories.primary_item_id); without an index that was a scan of
	 * every story for every pruned item (15 ms an item with 200,000
	 * stories, a prune batch of 500 holding the loop for seconds). */
	"CREATE INDEX stories_primary ON stories(primary_item_id);",
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

int db_exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return -1;
}

static int user_version(sqlite3 *db, int *v)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL))
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Applies one migration in its own transaction; *done when current. */
static int migrate_step(sqlite3 *db, int *done, char *err, size_t errlen)
{
	char sql[64];
	int v = 0;

	/* IMMEDIATE: a second process migrating at once waits, then sees
	 * the version this one wrote. */
	if (db_exec(db, "BEGIN IMMEDIATE", err, errlen))
		return -1;
	if (user_version(db, &v)) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		goto fail;
	}
	if (v > SCHEMA_VERSION) {
		snprintf(err, errlen, "database schema version %d is newer than"
			 " this feedmux supports (%d); refusing to open it",
			 v, SCHEMA_VERSION);
		goto fail;
	}
	*done = v == SCHEMA_VERSION;
	if (!*done) {
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		if (db_exec(db, migrations[v], err, errlen) ||
		    db_exec(db, sql, err, errlen))
			goto fail;
	}
	if (db_exec(db, "COMMIT", err, errlen))
		goto fail;
	return 0;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int store_migrate(sqlite3 *db, char *err, size_t errlen)
{
	int done = 0, i;

	for (i = 0; i <= SCHEMA_VERSION && !done; i++)
		if (migrate_step(db, &done, err, errlen))
			return -1;
	return 0;
}
