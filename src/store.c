/*
 * store.c — the SQLite store: schema and migrations, feeds, items, stories.
 *
 * One connection, WAL journal, every statement prepared once at open.  The
 * poll path writes one transaction per fetched feed (store_begin ..
 * store_commit); feed configuration changes (store_feed_sync,
 * store_feed_retire_others) run in their own short transactions.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "buf.h"
#include "log.h"
#include "store.h"

#define BUSY_TIMEOUT_MS 5000

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
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

#define FEED_COLUMNS \
	"SELECT id, name, url, COALESCE(title_config, title, name), link," \
	" source_id, updated, etag, last_modified, next_poll, last_poll," \
	" last_success, interval_s, errors, last_status, last_error," \
	" (SELECT count(*) FROM items WHERE items.feed_id = feeds.id)" \
	" FROM feeds "

/*
 * The stories walk the sort index from the newest; CROSS JOIN keeps
 * stories the outer loop so no temporary b-tree sorts the whole table.
 */
#define LIST_COLUMNS \
	"SELECT s.id, i.id, i.guid, i.link, i.title, i.summary, i.content," \
	" i.author, i.categories, i.published, i.updated, i.first_seen," \
	" f.id, f.name, COALESCE(f.title_config, f.title, f.name), f.url," \
	" f.link, f.source_id, f.updated" \
	" FROM stories s CROSS JOIN items i ON i.id = s.primary_item_id" \
	" CROSS JOIN feeds f ON f.id = i.feed_id WHERE f.active = 1 "
#define LIST_ORDER " ORDER BY s.sort_date DESC, s.id DESC LIMIT ?2"

enum stmt_id {
	S_BEGIN, S_COMMIT, S_ROLLBACK,
	S_FEED_BY_NAME, S_FEED_INSERT, S_FEED_SET_URL, S_FEED_SET_CONFIG,
	S_SECTIONS, S_SECTIONS_DEL, S_SECTION_ADD,
	S_ACTIVE_IDS, S_FEED_RETIRE,
	S_FEED_GET, S_FEED_LIST, S_FEED_SAVE_POLL, S_FEED_SET_META,
	S_ITEM_FIND, S_ITEM_TOUCH, S_ITEM_UPDATE, S_ITEM_INSERT,
	S_STORY_INSERT, S_ITEM_SET_STORY, S_STORY_SORT,
	S_LIST_ALL, S_LIST_SECTION, S_COUNT,
	S_COUNT_OF_STMTS
};

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
		" last_modified = NULL, next_poll = 0 WHERE id = ?1",
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
		" last_error = ?11 WHERE id = ?1",
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
		" last_seen = ?12, changed_at = ?12 WHERE id = ?1",
	[S_ITEM_INSERT] =
		"INSERT INTO items(feed_id, item_key, guid, link, title,"
		" summary, content, author, categories, published, updated,"
		" content_hash, first_seen, last_seen, changed_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
		" ?13, ?13, ?13)",
	[S_STORY_INSERT] =
		"INSERT INTO stories(first_seen, sort_date, primary_item_id)"
		" VALUES(?1, COALESCE(?2, ?1), ?3)",
	[S_ITEM_SET_STORY] = "UPDATE items SET story_id = ?2 WHERE id = ?1",
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
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[S_COUNT_OF_STMTS];
	int in_txn;
	int txn_changed;	/* something shown changed in this transaction */
	int64_t txn_now;	/* the newest such change */
	uint64_t generation;
	int64_t changed_at;
};

/* ---- small helpers ---- */

static int db_fail(struct store *st, const char *what)
{
	log_err("store: %s: %s", what, sqlite3_errmsg(st->db));
	return -1;
}

/* Every user of a statement ends with stmt_done(): it resets s so it holds
 * no read snapshot and borrows no bound strings. */
static void stmt_done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* Steps a statement that returns no rows. */
static int stmt_run(struct store *st, sqlite3_stmt *s, const char *what)
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
static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

static void bind_date(sqlite3_stmt *s, int i, int64_t v)
{
	if (v == ENTRY_NO_DATE)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, v);
}

static char *col_str(sqlite3_stmt *s, int i)
{
	return xstrdup((const char *)sqlite3_column_text(s, i));
}

static int64_t col_date(sqlite3_stmt *s, int i)
{
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return ENTRY_NO_DATE;
	return sqlite3_column_int64(s, i);
}

/* Records a change to something an output shows at time now. */
static void mark_changed(struct store *st, int64_t now)
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

/* ---- open, migrate, close ---- */

static int exec_sql(sqlite3 *db, const char *sql, char *err, size_t errlen)
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
	if (exec_sql(db, "BEGIN IMMEDIATE", err, errlen))
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
		if (exec_sql(db, migrations[v], err, errlen) ||
		    exec_sql(db, sql, err, errlen))
			goto fail;
	}
	if (exec_sql(db, "COMMIT", err, errlen))
		goto fail;
	return 0;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int store_migrate(sqlite3 *db, char *err, size_t errlen)
{
	int done = 0, i;

	for (i = 0; i <= SCHEMA_VERSION && !done; i++)
		if (migrate_step(db, &done, err, errlen))
			return -1;
	return 0;
}

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
	return exec_sql(db, "PRAGMA synchronous = NORMAL;"
			"PRAGMA foreign_keys = ON;", err, errlen);
fail:
	snprintf(err, errlen, "%s", sqlite3_errmsg(db));
	return -1;
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

/* The newest stored change, so a restart keeps Last-Modified. */
static int store_load_changed_at(struct store *st, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db,
			       "SELECT max(COALESCE((SELECT max(changed_at)"
			       " FROM items), 0), COALESCE((SELECT"
			       " max(changed_at) FROM feeds), 0))",
			       -1, &s, NULL)) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		st->changed_at = sqlite3_column_int64(s, 0);
	else
		snprintf(err, errlen, "%s", sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

struct store *store_open(const char *path, char *err, size_t errlen)
{
	struct store *st = xcalloc(1, sizeof *st);
	char msg[512] = "";
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
		    SQLITE_OPEN_PRIVATECACHE;

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
	free(st);
}

/* ---- transactions ---- */

int store_begin(struct store *st)
{
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
	if (!st->in_txn)
		return 0;
	st->in_txn = 0;
	st->txn_changed = 0;
	/* SQLite may already have rolled back (e.g. after SQLITE_FULL). */
	if (sqlite3_get_autocommit(st->db))
		return 0;
	return stmt_run(st, st->stmt[S_ROLLBACK], "rollback");
}

/* ---- feeds ---- */

void store_feed_clear(struct store_feed *f)
{
	free(f->name);
	free(f->url);
	free(f->title);
	free(f->link);
	free(f->source_id);
	free(f->etag);
	free(f->last_modified);
	free(f->last_error);
	memset(f, 0, sizeof *f);
	f->updated = ENTRY_NO_DATE;
}

static void feed_from_row(sqlite3_stmt *s, struct store_feed *f)
{
	f->id = sqlite3_column_int64(s, 0);
	f->name = col_str(s, 1);
	f->url = col_str(s, 2);
	f->title = col_str(s, 3);
	f->link = col_str(s, 4);
	f->source_id = col_str(s, 5);
	f->updated = col_date(s, 6);
	f->etag = col_str(s, 7);
	f->last_modified = col_str(s, 8);
	f->next_poll = sqlite3_column_int64(s, 9);
	f->last_poll = sqlite3_column_int64(s, 10);
	f->last_success = sqlite3_column_int64(s, 11);
	f->interval_s = sqlite3_column_int64(s, 12);
	f->errors = sqlite3_column_int(s, 13);
	f->last_status = sqlite3_column_int(s, 14);
	f->last_error = col_str(s, 15);
	f->items = sqlite3_column_int64(s, 16);
}

int store_feed_get(struct store *st, int64_t id, struct store_feed *out)
{
	sqlite3_stmt *s = st->stmt[S_FEED_GET];
	int rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		feed_from_row(s, out);
	else if (rc != SQLITE_DONE)
		db_fail(st, "feed get");
	stmt_done(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_feed_list(struct store *st, struct store_feed **out, size_t *n)
{
	sqlite3_stmt *s = st->stmt[S_FEED_LIST];
	struct store_feed *v = NULL;
	size_t len = 0;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xrealloc(v, (len + 1) * sizeof *v);
		feed_from_row(s, &v[len++]);
	}
	if (rc != SQLITE_DONE) {
		db_fail(st, "feed list");
		stmt_done(s);
		while (len > 0)
			store_feed_clear(&v[--len]);
		free(v);
		return -1;
	}
	stmt_done(s);
	*out = v;
	*n = len;
	return 0;
}

int store_feed_save_poll(struct store *st, const struct store_feed *f)
{
	sqlite3_stmt *s = st->stmt[S_FEED_SAVE_POLL];

	sqlite3_bind_int64(s, 1, f->id);
	bind_text(s, 2, f->url);
	bind_text(s, 3, f->etag);
	bind_text(s, 4, f->last_modified);
	sqlite3_bind_int64(s, 5, f->next_poll);
	sqlite3_bind_int64(s, 6, f->last_poll);
	sqlite3_bind_int64(s, 7, f->last_success);
	sqlite3_bind_int64(s, 8, f->interval_s);
	sqlite3_bind_int(s, 9, f->errors);
	sqlite3_bind_int(s, 10, f->last_status);
	bind_text(s, 11, f->last_error);
	if (stmt_run(st, s, "feed save poll"))
		return -1;
	if (sqlite3_changes(st->db) == 0) {
		log_err("store: feed save poll: no feed %" PRId64, f->id);
		return -1;
	}
	return 0;
}

int store_feed_set_meta(struct store *st, int64_t feed_id,
			const struct feed_meta *m, int64_t now)
{
	sqlite3_stmt *s = st->stmt[S_FEED_SET_META];

	if (!st->in_txn) {
		log_err("store: feed set meta: no transaction is open");
		return -1;
	}
	sqlite3_bind_int64(s, 1, feed_id);
	bind_text(s, 2, m->title);
	bind_text(s, 3, m->link);
	bind_text(s, 4, m->id);
	bind_date(s, 5, m->updated);
	sqlite3_bind_int64(s, 6, now);
	if (stmt_run(st, s, "feed set meta"))
		return -1;
	if (sqlite3_changes(st->db) > 0)
		mark_changed(st, now);
	return 0;
}

/* Loads the feed's sections into *out (caller frees each and the array). */
static int sections_load(struct store *st, int64_t id, char ***out, size_t *n)
{
	sqlite3_stmt *s = st->stmt[S_SECTIONS];
	int rc;

	*out = NULL;
	*n = 0;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = col_str(s, 0);
	}
	if (rc != SQLITE_DONE)
		db_fail(st, "feed sections");
	stmt_done(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int in_list(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

/* Replaces the feed's sections; *changed when the set differs. */
static int sections_sync(struct store *st, int64_t id, char *const *sec,
			 size_t n, int *changed)
{
	char **old;
	size_t n_old, i;
	int same = 1;

	if (sections_load(st, id, &old, &n_old))
		return -1;
	for (i = 0; i < n_old && same; i++)
		same = in_list(sec, n, old[i]);
	for (i = 0; i < n && same; i++)
		same = in_list(old, n_old, sec[i]);
	for (i = 0; i < n_old; i++)
		free(old[i]);
	free(old);
	if (same)
		return 0;
	*changed = 1;
	sqlite3_bind_int64(st->stmt[S_SECTIONS_DEL], 1, id);
	if (stmt_run(st, st->stmt[S_SECTIONS_DEL], "feed sections"))
		return -1;
	for (i = 0; i < n; i++) {
		sqlite3_stmt *s = st->stmt[S_SECTION_ADD];

		sqlite3_bind_int64(s, 1, id);
		bind_text(s, 2, sec[i]);
		if (stmt_run(st, s, "feed sections"))
			return -1;
	}
	return 0;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The feed row for name, inserted when new; *changed when anything an
 * output shows (the feed's existence, URL, title, active flag) changed. */
static int feed_upsert(struct store *st, const char *name, const char *url,
		       const char *title, int64_t now, int64_t *id,
		       int *changed)
{
	sqlite3_stmt *s = st->stmt[S_FEED_BY_NAME];
	int rc, url_same = 0, config_same = 0;

	bind_text(s, 1, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		url_same = same_str((const char *)sqlite3_column_text(s, 1), url);
		config_same = same_str((const char *)sqlite3_column_text(s, 2),
				       title) && sqlite3_column_int(s, 3) == 1;
	} else if (rc != SQLITE_DONE) {
		db_fail(st, "feed sync");
	}
	stmt_done(s);
	if (rc == SQLITE_DONE) {
		s = st->stmt[S_FEED_INSERT];
		bind_text(s, 1, name);
		bind_text(s, 2, url);
		bind_text(s, 3, title);
		sqlite3_bind_int64(s, 4, now);
		if (stmt_run(st, s, "feed insert"))
			return -1;
		*id = sqlite3_last_insert_rowid(st->db);
		*changed = 1;
		return 0;
	}
	if (rc != SQLITE_ROW)
		return -1;
	if (!url_same) {
		s = st->stmt[S_FEED_SET_URL];
		sqlite3_bind_int64(s, 1, *id);
		bind_text(s, 2, url);
		if (stmt_run(st, s, "feed set url"))
			return -1;
		*changed = 1;
	}
	if (!config_same || !url_same) {
		s = st->stmt[S_FEED_SET_CONFIG];
		sqlite3_bind_int64(s, 1, *id);
		bind_text(s, 2, title);
		sqlite3_bind_int64(s, 3, now);
		if (stmt_run(st, s, "feed set config"))
			return -1;
		*changed = 1;
	}
	return 0;
}

/*
 * Configuration changes have no caller clock: they are stamped with the
 * wall clock, which is when the new configuration took effect.
 */
int store_feed_sync(struct store *st, const char *name, const char *url,
		    const char *title, char *const *sections,
		    size_t n_sections, int64_t *id)
{
	int64_t now = (int64_t)time(NULL);
	int changed = 0;

	if (st->in_txn) {
		log_err("store: feed sync: called inside a transaction");
		return -1;
	}
	if (store_begin(st))
		return -1;
	if (feed_upsert(st, name, url, title, now, id, &changed) ||
	    sections_sync(st, *id, sections, n_sections, &changed))
		goto fail;
	if (changed)
		mark_changed(st, now);
	return store_commit(st);
fail:
	store_rollback(st);
	return -1;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The active feed ids (caller frees). */
static int active_ids(struct store *st, int64_t **out, size_t *n)
{
	sqlite3_stmt *s = st->stmt[S_ACTIVE_IDS];
	int rc;

	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE)
		db_fail(st, "active feeds");
	stmt_done(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_feed_retire_others(struct store *st, const int64_t *ids, size_t n)
{
	int64_t now = (int64_t)time(NULL), *keep, *active = NULL;
	size_t n_active = 0, i;
	int changed = 0, rc = -1;

	if (st->in_txn) {
		log_err("store: feed retire: called inside a transaction");
		return -1;
	}
	keep = xmalloc((n ? n : 1) * sizeof *keep);
	if (n)
		memcpy(keep, ids, n * sizeof *keep);
	qsort(keep, n, sizeof *keep, cmp_id);
	if (store_begin(st))
		goto out;
	if (active_ids(st, &active, &n_active))
		goto fail;
	for (i = 0; i < n_active; i++) {
		sqlite3_stmt *s = st->stmt[S_FEED_RETIRE];

		if (bsearch(&active[i], keep, n, sizeof *keep, cmp_id))
			continue;
		sqlite3_bind_int64(s, 1, active[i]);
		sqlite3_bind_int64(s, 2, now);
		if (stmt_run(st, s, "feed retire"))
			goto fail;
		changed = 1;
	}
	if (changed)
		mark_changed(st, now);
	rc = store_commit(st);
	goto out;
fail:
	store_rollback(st);
out:
	free(keep);
	free(active);
	return rc;
}

/* ---- items and stories ---- */

/* The categories one per line (caller frees; NULL when none).  A newline
 * inside a term would split it on the way back, so it becomes a space. */
static char *categories_join(const struct entry *e)
{
	struct buf b = {0};
	size_t i, j;

	if (e->n_categories == 0)
		return NULL;
	for (i = 0; i < e->n_categories; i++) {
		if (i > 0)
			buf_puts(&b, "\n");
		j = b.len;
		buf_puts(&b, e->categories[i]);
		for (; j < b.len; j++)
			if (b.data[j] == '\n')
				b.data[j] = ' ';
	}
	return buf_steal(&b);
}

static void categories_split(struct entry *e, const char *s)
{
	const char *nl;
	char *term;

	while (s && *s) {
		nl = strchr(s, '\n');
		term = xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));
		if (*term)
			entry_add_category(e, term);
		free(term);
		s = nl ? nl + 1 : NULL;
	}
}

/* FNV-1a 64 over one field; a NULL field and an empty one differ. */
static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--) {
		h ^= *c++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	unsigned char tag = s ? 1 : 0;
	uint64_t len = s ? strlen(s) : 0;

	h = hash_bytes(h, &tag, 1);
	h = hash_bytes(h, &len, sizeof len);
	return hash_bytes(h, s, len);
}

/* A hash of every stored field: equal hashes mean nothing shown changed. */
static void content_hash(const struct entry *e, const char *categories,
			 char out[17])
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = hash_str(h, e->guid);
	h = hash_str(h, e->link);
	h = hash_str(h, e->title);
	h = hash_str(h, e->summary);
	h = hash_str(h, e->content);
	h = hash_str(h, e->author);
	h = hash_str(h, categories);
	h = hash_bytes(h, &e->published, sizeof e->published);
	h = hash_bytes(h, &e->updated, sizeof e->updated);
	snprintf(out, 17, "%016" PRIx64, h);
}

/* Binds the entry's fields to ?first .. ?first+8 of s. */
static void bind_entry(sqlite3_stmt *s, int first, const struct entry *e,
		       const char *categories)
{
	bind_text(s, first, e->guid);
	bind_text(s, first + 1, e->link);
	bind_text(s, first + 2, e->title);
	bind_text(s, first + 3, e->summary);
	bind_text(s, first + 4, e->content);
	bind_text(s, first + 5, e->author);
	bind_text(s, first + 6, categories);
	bind_date(s, first + 7, e->published);
	bind_date(s, first + 8, e->updated);
}

/* A new item and its own story (cross-feed dedupe will attach items to
 * existing stories instead). */
static int item_insert(struct store *st, int64_t feed_id, const char *key,
		       const struct entry *e, const char *cats,
		       const char *hash, int64_t now)
{
	sqlite3_stmt *s = st->stmt[S_ITEM_INSERT];
	int64_t item_id, story_id;

	sqlite3_bind_int64(s, 1, feed_id);
	bind_text(s, 2, key);
	bind_entry(s, 3, e, cats);
	bind_text(s, 12, hash);
	sqlite3_bind_int64(s, 13, now);
	if (stmt_run(st, s, "item insert"))
		return -1;
	item_id = sqlite3_last_insert_rowid(st->db);
	s = st->stmt[S_STORY_INSERT];
	sqlite3_bind_int64(s, 1, now);
	bind_date(s, 2, e->published);
	sqlite3_bind_int64(s, 3, item_id);
	if (stmt_run(st, s, "story insert"))
		return -1;
	story_id = sqlite3_last_insert_rowid(st->db);
	s = st->stmt[S_ITEM_SET_STORY];
	sqlite3_bind_int64(s, 1, item_id);
	sqlite3_bind_int64(s, 2, story_id);
	return stmt_run(st, s, "item set story");
}

static int item_update(struct store *st, int64_t item_id, int64_t story_id,
		       int published_changed, const struct entry *e,
		       const char *cats, const char *hash, int64_t now)
{
	sqlite3_stmt *s = st->stmt[S_ITEM_UPDATE];

	sqlite3_bind_int64(s, 1, item_id);
	bind_entry(s, 2, e, cats);
	bind_text(s, 11, hash);
	sqlite3_bind_int64(s, 12, now);
	if (stmt_run(st, s, "item update"))
		return -1;
	if (!published_changed)
		return 0;
	s = st->stmt[S_STORY_SORT];
	sqlite3_bind_int64(s, 1, story_id);
	bind_date(s, 2, e->published);
	return stmt_run(st, s, "story sort date");
}

/* What is stored under (feed_id, key): found is 0 when nothing. */
struct item_row {
	int found;
	int64_t id, story_id, published;
	int same_hash;
};

static int item_find(struct store *st, int64_t feed_id, const char *key,
		     const char *hash, struct item_row *r)
{
	sqlite3_stmt *s = st->stmt[S_ITEM_FIND];
	const char *old;
	int rc;

	memset(r, 0, sizeof *r);
	sqlite3_bind_int64(s, 1, feed_id);
	bind_text(s, 2, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		r->found = 1;
		r->id = sqlite3_column_int64(s, 0);
		old = (const char *)sqlite3_column_text(s, 1);
		r->same_hash = old && strcmp(old, hash) == 0;
		r->story_id = sqlite3_column_int64(s, 2);
		r->published = col_date(s, 3);
	} else if (rc != SQLITE_DONE) {
		db_fail(st, "item find");
	}
	stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int store_put_entry(struct store *st, int64_t feed_id, const struct entry *e,
		    int64_t now, enum store_put_result *res)
{
	char *key, *cats, hash[17];
	struct item_row r;
	int rc;

	if (!st->in_txn) {
		log_err("store: put entry: no transaction is open");
		return -1;
	}
	key = entry_key(e);
	cats = categories_join(e);
	content_hash(e, cats, hash);
	rc = item_find(st, feed_id, key, hash, &r);
	if (rc == 0 && !r.found) {
		rc = item_insert(st, feed_id, key, e, cats, hash, now);
		*res = STORE_PUT_NEW;
	} else if (rc == 0 && r.same_hash) {
		sqlite3_bind_int64(st->stmt[S_ITEM_TOUCH], 1, r.id);
		sqlite3_bind_int64(st->stmt[S_ITEM_TOUCH], 2, now);
		rc = stmt_run(st, st->stmt[S_ITEM_TOUCH], "item touch");
		*res = STORE_PUT_UNCHANGED;
	} else if (rc == 0) {
		rc = item_update(st, r.id, r.story_id,
				 r.published != e->published, e, cats, hash,
				 now);
		*res = STORE_PUT_UPDATED;
	}
	if (rc == 0 && *res != STORE_PUT_UNCHANGED)
		mark_changed(st, now);
	free(key);
	free(cats);
	return rc;
}

/* ---- output queries ---- */

void store_items_free(struct store_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		entry_clear(&items[i].e);
		free(items[i].feed_name);
		free(items[i].feed_title);
		free(items[i].feed_url);
		free(items[i].feed_link);
		free(items[i].feed_source_id);
	}
	free(items);
}

static void item_from_row(sqlite3_stmt *s, struct store_item *it)
{
	memset(it, 0, sizeof *it);
	it->story_id = sqlite3_column_int64(s, 0);
	it->item_id = sqlite3_column_int64(s, 1);
	it->e.guid = col_str(s, 2);
	it->e.link = col_str(s, 3);
	it->e.title = col_str(s, 4);
	it->e.summary = col_str(s, 5);
	it->e.content = col_str(s, 6);
	it->e.author = col_str(s, 7);
	categories_split(&it->e, (const char *)sqlite3_column_text(s, 8));
	it->e.published = col_date(s, 9);
	it->e.updated = col_date(s, 10);
	it->first_seen = sqlite3_column_int64(s, 11);
	it->feed_id = sqlite3_column_int64(s, 12);
	it->feed_name = col_str(s, 13);
	it->feed_title = col_str(s, 14);
	it->feed_url = col_str(s, 15);
	it->feed_link = col_str(s, 16);
	it->feed_source_id = col_str(s, 17);
	it->feed_updated = col_date(s, 18);
}

/* A negative limit means no limit (SQLite's LIMIT -1). */
int store_list_items(struct store *st, const char *section, int limit,
		     struct store_item **out, size_t *n)
{
	sqlite3_stmt *s = st->stmt[section ? S_LIST_SECTION : S_LIST_ALL];
	struct store_item *v = NULL;
	size_t len = 0;
	int rc;

	bind_text(s, 1, section);
	sqlite3_bind_int(s, 2, limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xrealloc(v, (len + 1) * sizeof *v);
		item_from_row(s, &v[len++]);
	}
	if (rc != SQLITE_DONE) {
		db_fail(st, "list items");
		stmt_done(s);
		store_items_free(v, len);
		return -1;
	}
	stmt_done(s);
	*out = v;
	*n = len;
	return 0;
}

int store_count(struct store *st, struct store_counts *out)
{
	sqlite3_stmt *s = st->stmt[S_COUNT];
	int rc = sqlite3_step(s);

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

char *store_list_plan(struct store *st, const char *section)
{
	sqlite3_stmt *list = st->stmt[section ? S_LIST_SECTION : S_LIST_ALL];
	sqlite3_stmt *s;
	struct buf sql = {0}, plan = {0};
	int rc;

	buf_printf(&sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(list));
	rc = sqlite3_prepare_v2(st->db, sql.data, -1, &s, NULL);
	buf_free(&sql);
	if (rc != SQLITE_OK) {
		db_fail(st, "list plan");
		return NULL;
	}
	bind_text(s, 1, section);
	sqlite3_bind_int(s, 2, 50);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		buf_printf(&plan, "%s\n", sqlite3_column_text(s, 3));
	if (rc != SQLITE_DONE)
		db_fail(st, "list plan");
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		buf_free(&plan);
		return NULL;
	}
	return buf_steal(&plan);
}
