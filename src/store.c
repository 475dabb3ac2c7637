/*
 * store.c — the SQLite store's core: open and close, PRAGMAs, the
 * prepared statement table, transactions, the generation / changed_at
 * counters and the counts (the schema and its migrations are in
 * store_migrate.c, feeds in store_feed.c, items in store_item.c, stories
 * in store_story.c, what they share in store_int.h).  One connection, WAL
 * journal, every statement prepared once at open.  The poll path writes
 * batches of polls (store_begin .. store_commit, kept open across loop
 * turns by poll_store.c; store_settle() ends one before any other use);
 * feed configuration changes (store_feed_sync, store_feed_retire_others)
 * run in their own short transactions.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "log.h"
#include "store.h"
#include "store_int.h"

#define BUSY_TIMEOUT_MS 5000

#define FEED_COLUMNS \
	"SELECT id, name, url, COALESCE(title_config, title, name), link," \
	" source_id, updated, etag, last_modified, next_poll, last_poll," \
	" last_success, interval_s, errors, last_status, last_error," \
	" (SELECT count(*) FROM items WHERE items.feed_id = feeds.id)," \
	" body_hash, gone, publish_gaps, last_new_at, hint_s," \
	" skip_hours, skip_days, repair" \
	" FROM feeds "

/*
 * The stories walk the sort index from the newest; CROSS JOIN keeps
 * stories the outer loop so no temporary b-tree sorts the whole table.
 */
#define LIST_COLUMNS \
	"SELECT s.id, i.id, i.guid, i.link, i.title, i.summary, i.content," \
	" i.author, i.categories, i.published, i.updated, i.first_seen," \
	" f.id, f.name, COALESCE(f.title_config, f.title, f.name), f.url," \
	" f.link, f.source_id, f.updated, s.sort_date, i.extra" \
	" FROM stories s CROSS JOIN items i ON i.id = s.primary_item_id" \
	" CROSS JOIN feeds f ON f.id = i.feed_id WHERE f.active = 1 "
/* ?3, ?4: the paging cursor, INT64_MAX twice for the first page. */
#define LIST_ORDER " AND (s.sort_date, s.id) < (?3, ?4)" \
	" ORDER BY s.sort_date DESC, s.id DESC LIMIT ?2"

/* S_BAND_FIND's two reads of band key ?KEY (slots SLOT and 8 + SLOT):
 * before the new item's time, the latest first, at most ?BEFORE rows;
 * after it, the earliest first, at most ?AFTER rows. */
#define BAND_READ(slot, key, range, order, limit) \
	" SELECT * FROM (SELECT " #slot ", item_id, feed_id, simhash_title," \
	" simhash_lead FROM item_bands WHERE day = ?9 AND band = ?" #key \
	" AND " range " AND feed_id <> ?13 ORDER BY at " order \
	" LIMIT ?" #limit ")"
#define BAND_SIDES(slot, key, before, after) \
	BAND_READ(slot, key, "at BETWEEN ?10 AND ?11", "DESC", before) \
	" UNION ALL" \
	BAND_READ(8 + slot, key, "at > ?11 AND at <= ?12", "ASC", after)
#define BAND_ROW(key) "(?9, ?" #key ", ?10, ?11, ?12, ?13, ?14)"

static const char *const stmt_sql[S_COUNT_OF_STMTS] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_FEED_BY_NAME] =
		"SELECT id, config_url, title_config, active FROM feeds"
		" WHERE name = ?1",
	[S_FEED_INSERT] =
		"INSERT INTO feeds(name, config_url, url, title_config,"
		" active, changed_at) VALUES(?1, ?2, ?2, ?3, 1, ?4)",
	/* A new configured URL starts over: the old validators belong to
	 * another resource (RFC 9110 §8.8). */
	[S_FEED_SET_URL] =
		"UPDATE feeds SET config_url = ?2, url = ?2, etag = NULL,"
		" last_modified = NULL, next_poll = 0, body_hash = NULL,"
		" gone = 0 WHERE id = ?1",
	[S_FEED_SET_CONFIG] =
		"UPDATE feeds SET title_config = ?2, active = 1,"
		" changed_at = max(changed_at, ?3) WHERE id = ?1",
	[S_SECTIONS] = "SELECT section FROM feed_sections WHERE feed_id = ?1",
	[S_SECTIONS_DEL] = "DELETE FROM feed_sections WHERE feed_id = ?1",
	[S_SECTION_ADD] =
		"INSERT OR IGNORE INTO feed_sections(feed_id, section)"
		" VALUES(?1, ?2)",
	[S_ACTIVE_IDS] = "SELECT id FROM feeds WHERE active = 1",
	[S_FEED_RETIRE] =
		"UPDATE feeds SET active = 0, changed_at = max(changed_at, ?2)"
		" WHERE id = ?1",
	[S_FEED_GET] = FEED_COLUMNS "WHERE id = ?1",
	[S_FEED_LIST] = FEED_COLUMNS "WHERE active = 1 ORDER BY name",
	[S_FEED_SAVE_POLL] =
		"UPDATE feeds SET url = ?2, etag = ?3, last_modified = ?4,"
		" next_poll = ?5, last_poll = ?6, last_success = ?7,"
		" interval_s = ?8, errors = ?9, last_status = ?10,"
		" last_error = ?11, body_hash = ?12, gone = ?13,"
		" publish_gaps = ?14, last_new_at = ?15, hint_s = ?16,"
		" skip_hours = ?17, skip_days = ?18, repair = ?19"
		" WHERE id = ?1",
	[S_FEED_SET_META] =
		"UPDATE feeds SET title = ?2, link = ?3, source_id = ?4,"
		" updated = ?5, changed_at = max(changed_at, ?6) WHERE id = ?1"
		" AND (title IS NOT ?2 OR link IS NOT ?3"
		" OR source_id IS NOT ?4 OR updated IS NOT ?5)",
	[S_ITEM_FIND] =
		"SELECT id, content_hash, story_id, published FROM items"
		" WHERE feed_id = ?1 AND item_key = ?2",
	[S_ITEM_TOUCH] = "UPDATE items SET last_seen = ?2 WHERE id = ?1",
	[S_ITEM_UPDATE] =
		"UPDATE items SET guid = ?2, link = ?3, title = ?4,"
		" summary = ?5, content = ?6, author = ?7, categories = ?8,"
		" published = ?9, updated = ?10, content_hash = ?11,"
		" last_seen = ?12, changed_at = ?12, extra = ?13 WHERE id = ?1",
	/* With its story and dedupe columns (store_story.c's plan). */
	[S_ITEM_INSERT] =
		"INSERT INTO items(feed_id, item_key, guid, link, title,"
		" summary, content, author, categories, published, updated,"
		" content_hash, first_seen, last_seen, changed_at, extra,"
		" story_id, canonical_url, dedupe_at, simhash_title,"
		" simhash_lead)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
		" ?13, ?13, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
	/* The shown copy is set once the item is written
	 * (S_STORY_SET_FIRST; the key is deferred). */
	[S_STORY_INSERT] =
		"INSERT INTO stories(first_seen, sort_date)"
		" VALUES(?1, COALESCE(?2, ?1))",
	[S_STORY_SET_FIRST] =
		"UPDATE stories SET primary_item_id = ?2 WHERE id = ?1",
	[S_STORY_SORT] =
		"UPDATE stories SET sort_date = COALESCE(?2, first_seen)"
		" WHERE id = ?1",
	[S_LIST_ALL] = LIST_COLUMNS "AND ?1 IS NULL" LIST_ORDER,
	/* A story belongs to a section when any of its items comes from an
	 * active feed of that section. */
	[S_LIST_SECTION] = LIST_COLUMNS
		"AND EXISTS (SELECT 1 FROM items i2"
		" JOIN feed_sections fs ON fs.feed_id = i2.feed_id"
		" JOIN feeds f2 ON f2.id = i2.feed_id"
		" WHERE i2.story_id = s.id AND fs.section = ?1"
		" AND f2.active = 1)" LIST_ORDER,
	/* stories: those whose primary item's feed is active, i.e. what the
	 * merged feed could show. */
	[S_COUNT] =
		"SELECT (SELECT count(*) FROM feeds WHERE active = 1),"
		" (SELECT count(*) FROM items),"
		" (SELECT count(*) FROM stories s"
		"  JOIN items i ON i.id = s.primary_item_id"
		"  JOIN feeds f ON f.id = i.feed_id WHERE f.active = 1)",
	[S_STORY_COPIES] =
		"SELECT i.link, COALESCE(f.title_config, f.title, f.name), f.name"
		" FROM items i JOIN feeds f ON f.id = i.feed_id"
		" WHERE i.story_id = ?1 AND i.id <> ?2 AND f.active = 1"
		" ORDER BY i.first_seen, i.id",
	[S_FEED_DEDUPE_GET] = "SELECT priority, dedupe FROM feeds WHERE id = ?1",
	[S_FEED_DEDUPE_SET] =
		"UPDATE feeds SET priority = ?2, dedupe = ?3 WHERE id = ?1",
	/* Ring 2: the same canonical URL in another feed, in the window,
	 * in index order (no sort; store_band.c drops feeds with dedupe
	 * off, no join). */
	[S_URL_FIND] =
		"SELECT id, story_id, feed_id FROM items"
		" WHERE canonical_url = ?1 AND dedupe_at BETWEEN ?2 AND ?3"
		" AND feed_id <> ?4 ORDER BY dedupe_at LIMIT 16",
	/* Ring 3 candidates of one day (?9) of the band index: for each
	 * band key ?1 .. ?8 (NULL: no row) the rows of other feeds (?13)
	 * before the new item's time ?11 back to ?10, the latest first, at
	 * most ?14 .. ?21 of them, and those after it up to ?12, the
	 * earliest first, at most ?22 .. ?29: each key's nearest in time,
	 * as many as store_band.c's budget has left, each a range of the
	 * primary key read in order (no sort), whatever the key's rows
	 * number.  The first column says which key and side (slot).  Each
	 * row carries its item's feed and SimHashes: no other table read. */
	[S_BAND_FIND] =
		BAND_SIDES(0, 1, 14, 22) " UNION ALL"
		BAND_SIDES(1, 2, 15, 23) " UNION ALL"
		BAND_SIDES(2, 3, 16, 24) " UNION ALL"
		BAND_SIDES(3, 4, 17, 25) " UNION ALL"
		BAND_SIDES(4, 5, 18, 26) " UNION ALL"
		BAND_SIDES(5, 6, 19, 27) " UNION ALL"
		BAND_SIDES(6, 7, 20, 28) " UNION ALL"
		BAND_SIDES(7, 8, 21, 29),
	/* An item's band rows, one statement: ?1 .. ?8 its keys (a NULL one
	 * is no row: OR IGNORE skips a NOT NULL violation). */
	[S_BAND_INSERT] =
		"INSERT OR IGNORE INTO item_bands(day, band, at, item_id,"
		" feed_id, simhash_title, simhash_lead) VALUES"
		BAND_ROW(1) "," BAND_ROW(2) "," BAND_ROW(3) "," BAND_ROW(4) ","
		BAND_ROW(5) "," BAND_ROW(6) "," BAND_ROW(7) "," BAND_ROW(8),
	/* Feeds whose old band rows are not candidates (store_band.c). */
	[S_FEED_NODEDUPE] = "SELECT id FROM feeds WHERE dedupe = 0 ORDER BY id",
	/* A band candidate's story and what its print cache tag is made
	 * of; its text (S_ITEM_DEDUPE_TEXT) only when the print is not
	 * cached (store_story.c's candidate_load). */
	[S_ITEM_DEDUPE_ROW] =
		"SELECT story_id, content_hash, first_seen FROM items"
		" WHERE id = ?1",
	[S_ITEM_DEDUPE_TEXT] =
		"SELECT title, summary, content, link, published FROM items"
		" WHERE id = ?1",
	[S_STORY_PRIMARY] =
		"SELECT s.shown, f.priority FROM stories s"
		" JOIN items i ON i.id = s.primary_item_id"
		" JOIN feeds f ON f.id = i.feed_id WHERE s.id = ?1",
	[S_STORY_SET_PRIMARY] =
		"UPDATE stories SET primary_item_id = ?2,"
		" sort_date = COALESCE(?3, first_seen) WHERE id = ?1",
	[S_STORY_SHOWN] = "UPDATE stories SET shown = 1 WHERE id = ?1 AND shown = 0",
	[S_STORY_MOVE_ITEMS] = "UPDATE items SET story_id = ?2 WHERE story_id = ?1",
	[S_STORY_DELETE] = "DELETE FROM stories WHERE id = ?1",
	/* A pruned item listed again: keep its tombstone alive (prune.c). */
	[S_TOMB_TOUCH] =
		"UPDATE tombstones SET last_seen = ?3"
		" WHERE feed_id = ?1 AND item_key = ?2",
};

/* ---- small helpers ---- */

int db_fail(struct store *st, const char *what)
{
	log_err("store: %s: %s", what, sqlite3_errmsg(st->db));
	return -1;
}

/* Every user of a statement ends with stmt_done(): it resets s so it holds
 * no read snapshot and borrows no bound strings. */
void stmt_done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* Steps a statement that returns no rows. */
int stmt_run(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_fail(st, what);
		stmt_done(s);
		return -1;
	}
	stmt_done(s);
	return 0;
}

/* Strings are bound SQLITE_STATIC: stmt_done() unbinds before they go. */
void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

void bind_date(sqlite3_stmt *s, int i, int64_t v)
{
	if (v == ENTRY_NO_DATE)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, v);
}

char *col_str(sqlite3_stmt *s, int i)
{
	return xstrdup((const char *)sqlite3_column_text(s, i));
}

int64_t col_date(sqlite3_stmt *s, int i)
{
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return ENTRY_NO_DATE;
	return sqlite3_column_int64(s, i);
}

/* Records a change to something an output shows at time now. */
void mark_changed(struct store *st, int64_t now)
{
	if (st->in_txn) {
		if (!st->txn_changed || now > st->txn_now)
			st->txn_now = now;
		st->txn_changed = 1;
		return;
	}
	st->generation++;
	if (now > st->changed_at)
		st->changed_at = now;
}

/* ---- open, close ---- */

/*
 * WAL with synchronous=NORMAL: commits do not wait for fsync, only
 * checkpoints do.  A killed process loses nothing committed; a power cut
 * or kernel crash may roll back the last few commits (whole transactions,
 * so at worst a poll is repeated), but never corrupts the database.
 */
static int store_configure(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	const char *mode;
	int rc;

	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &s, NULL))
		goto fail;
	rc = sqlite3_step(s);
	mode = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
	if (rc == SQLITE_ROW && mode && strcmp(mode, "wal") != 0)
		log_warn("store: journal mode is %s, not wal", mode);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		goto fail;
	/* journal_size_limit: the WAL file is cut back to 64 MiB when it
	 * starts over after a checkpoint (it keeps its largest size else). */
	return db_exec(db, "PRAGMA synchronous = NORMAL;"
			"PRAGMA foreign_keys = ON;"
			"PRAGMA journal_size_limit = 67108864;", err, errlen);
fail:
	snprintf(err, errlen, "%s", sqlite3_errmsg(db));
	return -1;
}

/* sqlite3_wal_hook: after each commit, the WAL's size in pages. */
static int on_wal_commit(void *ctx, sqlite3 *db, const char *name, int pages)
{
	struct store *st = ctx;

	(void)db;
	(void)name;
	st->wal_pages = pages;
	return SQLITE_OK;
}

int store_wal_pages(const struct store *st)
{
	return st->wal_pages;
}

int store_checkpoint(struct store *st)
{
	int log = 0, copied = 0;

	if (st->in_txn)
		return 0;
	if (sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
				      &log, &copied) != SQLITE_OK)
		return db_fail(st, "wal checkpoint");
	st->wal_pages = log > copied ? log - copied : 0;
	return 0;
}

/* The value of PRAGMA name, or INT64_MIN on error (logged). */
static int64_t pragma_int(sqlite3 *db, const char *name)
{
	char sql[64];
	sqlite3_stmt *s;
	int64_t v = INT64_MIN;

	snprintf(sql, sizeof sql, "PRAGMA %s", name);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	else
		log_warn("store: %s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return v;
}

/*
 * PRAGMA cache_size takes pages when positive and KiB when negative; a
 * byte figure rounds down to KiB.  The cache grows to this only as pages
 * are read; it is the connection's, and a reload may change it.
 */
int64_t store_set_cache_size(struct store *st, int64_t bytes)
{
	char sql[64], err[256];
	int64_t n, page;

	if (bytes > 0) {
		snprintf(sql, sizeof sql, "PRAGMA cache_size = -%lld",
			 (long long)(bytes / 1024 > 0 ? bytes / 1024 : 1));
		if (db_exec(st->db, sql, err, sizeof err)) {
			log_warn("store: cache_size: %s", err);
			return -1;
		}
	}
	/* Negative: KiB; positive: pages. */
	if ((n = pragma_int(st->db, "cache_size")) == INT64_MIN)
		return -1;
	if (n < 0)
		return -n * 1024;
	page = pragma_int(st->db, "page_size");
	return page == INT64_MIN ? -1 : n * page;
}

static int store_prepare(struct store *st, char *err, size_t errlen)
{
	int i;

	for (i = 0; i < S_COUNT_OF_STMTS; i++) {
		if (sqlite3_prepare_v3(st->db, stmt_sql[i], -1,
				       SQLITE_PREPARE_PERSISTENT,
				       &st->stmt[i], NULL) != SQLITE_OK) {
			snprintf(err, errlen, "preparing statement %d: %s", i,
				 sqlite3_errmsg(st->db));
			return -1;
		}
	}
	return 0;
}

/* The newest stored change, so a restart keeps Last-Modified; the
 * newest and oldest days of the band index (store_band.c). */
static int store_load_changed_at(struct store *st, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db,
			       "SELECT max(COALESCE((SELECT max(changed_at)"
			       " FROM items), 0), COALESCE((SELECT"
			       " max(changed_at) FROM feeds), 0)),"
			       " (SELECT max(day) FROM item_bands),"
			       " (SELECT min(day) FROM item_bands)",
			       -1, &s, NULL)) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		st->changed_at = sqlite3_column_int64(s, 0);
		st->band_day_max = sqlite3_column_type(s, 1) == SQLITE_NULL ?
				   INT64_MIN : sqlite3_column_int64(s, 1);
		st->band_day_min = sqlite3_column_type(s, 2) == SQLITE_NULL ?
				   INT64_MAX : sqlite3_column_int64(s, 2);
		st->band_at_max = st->band_day_max == INT64_MIN ? INT64_MIN :
				  (st->band_day_max + 1) * 86400 - 1;
	} else
		snprintf(err, errlen, "%s", sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

/*
 * SQLite's process-wide settings, made before its first use (they are
 * refused once it is initialised; the defaults then stay, which only
 * costs time):
 * - statement journals in memory up to STORE_STMT_JOURNAL_SPILL: by
 *   default one spills past 64 KiB into an unlinked file under /var/tmp
 *   and stays a file until the transaction ends, so with the poller's
 *   batches every later statement of the batch wrote its pages there
 *   too (the first poll of 1,000 feeds: 461,892 pwrites, 955 MB);
 * - no memory statistics: nothing reads them, and they take a global
 *   mutex for every allocation.
 * Connections are opened without their own mutex (SQLITE_OPEN_NOMUTEX):
 * a store is used by one thread (store.h).
 */
static void store_configure_library(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	if (sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL,
			   STORE_STMT_JOURNAL_SPILL) != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
		log_debug("store: SQLite was initialised before the store"
			  " configured it: its defaults stay");
}

struct store *store_open(const char *path, char *err, size_t errlen)
{
	struct store *st = xcalloc(1, sizeof *st);
	char msg[512] = "";
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
		    SQLITE_OPEN_PRIVATECACHE | SQLITE_OPEN_NOMUTEX;

	store_configure_library();
	st->generation = 1;
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		snprintf(msg, sizeof msg, "%s", st->db ?
			 sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	if (store_configure(st->db, msg, sizeof msg) ||
	    store_migrate(st->db, msg, sizeof msg) ||
	    store_prepare(st, msg, sizeof msg) ||
	    store_load_changed_at(st, msg, sizeof msg))
		goto fail;
	/* Replaces SQLite's autocheckpoint (store.h: Checkpoints). */
	sqlite3_wal_hook(st->db, on_wal_commit, st);
	return st;
fail:
	snprintf(err, errlen, "%s: %s", path, msg);
	store_close(st);
	return NULL;
}

void store_close(struct store *st)
{
	int i;

	if (!st)
		return;
	if (st->in_txn)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	for (i = 0; i < S_COUNT_OF_STMTS; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db && st->stmt[S_COUNT_OF_STMTS - 1])
		sqlite3_exec(st->db, "PRAGMA optimize", NULL, NULL, NULL);
	/* The last connection to close checkpoints and removes the WAL. */
	if (sqlite3_close(st->db) != SQLITE_OK)
		log_err("store: close: %s", sqlite3_errmsg(st->db));
	story_cache_free(st);
	band_free(st);
	free(st);
}

/* ---- transactions ---- */

void store_set_settle(struct store *st, store_settle_cb cb, void *ctx)
{
	st->settle = cb;
	st->settle_ctx = ctx;
}

void store_settle(struct store *st)
{
	if (!st->in_txn || !st->settle || st->settling)
		return;
	st->settling = 1;
	st->settle(st->settle_ctx);
	st->settling = 0;
}

int store_begin(struct store *st)
{
	store_settle(st);	/* another writer: the batch ends first */
	if (st->in_txn) {
		log_err("store: begin: a transaction is already open");
		return -1;
	}
	if (stmt_run(st, st->stmt[S_BEGIN], "begin"))
		return -1;
	st->in_txn = 1;
	st->txn_changed = 0;
	st->txn_now = 0;
	return 0;
}

int store_commit(struct store *st)
{
	if (!st->in_txn) {
		log_err("store: commit: no transaction is open");
		return -1;
	}
	if (stmt_run(st, st->stmt[S_COMMIT], "commit")) {
		store_rollback(st);
		return -1;
	}
	st->in_txn = 0;
	if (st->txn_changed)
		mark_changed(st, st->txn_now);
	st->txn_changed = 0;
	return 0;
}

int store_rollback(struct store *st)
{
	story_feeds_forget(st);
	if (!st->in_txn)
		return 0;
	st->in_txn = 0;
	st->txn_changed = 0;
	band_feeds_changed(st);
	/* SQLite may already have rolled back (e.g. after SQLITE_FULL). */
	if (sqlite3_get_autocommit(st->db))
		return 0;
	return stmt_run(st, st->stmt[S_ROLLBACK], "rollback");
}

/* ---- counts, generation ---- */

int store_count(struct store *st, struct store_counts *out)
{
	sqlite3_stmt *s = st->stmt[S_COUNT];
	int rc;

	store_settle(st);	/* counts of committed rows only */
	rc = sqlite3_step(s);

	if (rc == SQLITE_ROW) {
		out->feeds = sqlite3_column_int64(s, 0);
		out->items = sqlite3_column_int64(s, 1);
		out->stories = sqlite3_column_int64(s, 2);
	} else {
		db_fail(st, "count");
	}
	stmt_done(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

uint64_t store_generation(const struct store *st)
{
	return st->generation;
}

int64_t store_changed_at(const struct store *st)
{
	return st->changed_at;
}
