/*
 * store_int.h — what store.c, store_migrate.c, store_feed.c,
 * store_item.c, store_story.c and store_band.c share and nothing else may use: the
 * struct store definition, the prepared statement ids, the small
 * statement, binding and change-tracking helpers (defined in store.c) and
 * the schema migration (store_migrate.c).  The public interface is
 * store.h.
 */
#ifndef FEEDMUX_STORE_INT_H
#define FEEDMUX_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "dedupe.h"
#include "store.h"

/* Indexes into struct store's stmt[]; the SQL is stmt_sql[] in store.c. */
enum stmt_id {
	S_BEGIN, S_COMMIT, S_ROLLBACK,
	S_FEED_BY_NAME, S_FEED_INSERT, S_FEED_SET_URL, S_FEED_SET_CONFIG,
	S_SECTIONS, S_SECTIONS_DEL, S_SECTION_ADD,
	S_ACTIVE_IDS, S_FEED_RETIRE,
	S_FEED_GET, S_FEED_LIST, S_FEED_SAVE_POLL, S_FEED_SET_META,
	S_ITEM_FIND, S_ITEM_TOUCH, S_ITEM_UPDATE, S_ITEM_INSERT,
	S_STORY_INSERT, S_STORY_SORT,
	S_LIST_ALL, S_LIST_SECTION, S_COUNT,
	S_STORY_COPIES, S_FEED_DEDUPE_GET, S_FEED_DEDUPE_SET, S_URL_FIND,
	S_BAND_FIND, S_BAND_INSERT, S_ITEM_DEDUPE_ROW, S_ITEM_DEDUPE_TEXT,
	S_STORY_PRIMARY, S_STORY_SET_PRIMARY, S_STORY_SHOWN,
	S_STORY_MOVE_ITEMS, S_STORY_DELETE, S_STORY_SET_FIRST,
	S_TOMB_TOUCH, S_FEED_NODEDUPE,
	S_COUNT_OF_STMTS
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[S_COUNT_OF_STMTS];
	int in_txn;
	/* The transaction's owner keeps it open across loop turns (the
	 * poller's batch): store_settle() has settle() end it first. */
	store_settle_cb settle;
	void *settle_ctx;
	int settling;		/* inside settle(): no second call */
	int wal_pages;		/* WAL frames after the last commit */
	int txn_changed;	/* something shown changed in this transaction */
	int64_t txn_now;	/* the newest such change */
	uint64_t generation;
	int64_t changed_at;
	int64_t dedupe_window_s;	/* 0: DEDUPE_DEFAULT_WINDOW_S */
	int dedupe_threshold_pct;	/* 0: DEDUPE_DEFAULT_THRESHOLD_PCT */
	/* No band row is of a later day (INT64_MIN: none) or an earlier
	 * one (INT64_MAX: none), so lookups skip those days; a rolled-back
	 * insert or a prune leaves the range wider, which is safe. */
	int64_t band_day_max, band_day_min;
	/* No band row is of a later time: a new item later than that (a
	 * live poll's) reads no rows after its own time.  The end of
	 * band_day_max at open, raised by each insert. */
	int64_t band_at_max;
	/* The newest items' fingerprints (print_cache.h), made on first
	 * use, freed by story_cache_free(). */
	struct print_cache *prints;
	/* The ids of the feeds with dedupe off, sorted (store_band.c; owned,
	 * freed by band_free()); read again when nodedupe_loaded is 0. */
	int64_t *nodedupe;
	size_t n_nodedupe;
	int nodedupe_loaded;
	uint64_t band_rows_read;	/* store_band_rows_read() */
	uint64_t band_lookups;		/* logged with it at close */
	/* Each feed's priority and dedupe flag (feed_cache.h), made on
	 * first use, emptied by story_feeds_forget() on a rollback, freed by
	 * story_cache_free(). */
	struct feed_cache *feeds;
};

/* ---- small helpers (store.c) ---- */

/* Logs what failed with SQLite's message; returns -1. */
int db_fail(struct store *st, const char *what);
/* Every user of a statement ends with stmt_done(): it resets s so it holds
 * no read snapshot and borrows no bound strings. */
void stmt_done(sqlite3_stmt *s);
/* Steps a statement that returns no rows. */
int stmt_run(struct store *st, sqlite3_stmt *s, const char *what);
/* Strings are bound SQLITE_STATIC: stmt_done() unbinds before they go.
 * NULL binds NULL. */
void bind_text(sqlite3_stmt *s, int i, const char *v);
/* ENTRY_NO_DATE binds NULL. */
void bind_date(sqlite3_stmt *s, int i, int64_t v);
/* A copy of column i (caller frees), NULL for NULL. */
char *col_str(sqlite3_stmt *s, int i);
/* Column i as a date, ENTRY_NO_DATE for NULL. */
int64_t col_date(sqlite3_stmt *s, int i);
/* Records a change to something an output shows at time now. */
void mark_changed(struct store *st, int64_t now);

/* ---- schema (store_migrate.c) ---- */

/* Runs sql (one or more statements); 0, or -1 with SQLite's message in
 * err. */
int db_exec(sqlite3 *db, const char *sql, char *err, size_t errlen);
/* Brings the schema to the current version, one migration per
 * transaction; refuses a database newer than this build.  0 or -1 and
 * err. */
int store_migrate(sqlite3 *db, char *err, size_t errlen);

/* ---- stories (store_story.c) ---- */

/* Fills it->copies with the other copies of it's story. */
int story_copies_load(struct store *st, struct store_item *it);
/*
 * The story of a new item, decided before the item is written so that
 * its row goes in once, complete (an insert and then updates of story_id
 * and the fingerprint columns rewrote the row and its index entries):
 * story_plan_make() fingerprints entry e of feed_id and finds the story
 * it is a copy of, else creates one (its shown copy set by
 * story_plan_attach); the item is inserted with plan->story_id and the
 * print's columns; story_plan_attach() then makes it the story's copy
 * shown where it should be, indexes it for later copies and keeps its
 * print, under its content hash, for when they are compared with it.
 */
struct story_plan {
	struct dedupe_print print;	/* owned; empty when dedupe is off */
	int dedupe, priority;		/* the feed's */
	int created;			/* story_id is new, for this item */
	int64_t first_seen;		/* the item's, which print is made at */
	int64_t story_id;
};
int story_plan_make(struct store *st, int64_t feed_id, const struct entry *e,
		    int64_t now, struct story_plan *plan);
int story_plan_attach(struct store *st, int64_t feed_id, int64_t item_id,
		      const struct entry *e, const char *content_hash,
		      struct story_plan *plan);
void story_plan_clear(struct story_plan *plan);
/* Items whose prints are kept (print_cache.h): a first poll of 1,000
 * feeds x 20 items meets most copies among the newest few thousand; the
 * slots take ~2 KB each, 8 MiB in all once filled. */
#define STORE_PRINT_CACHE_SLOTS 4096
/* Logs the print cache's hits (verbose) and frees it and the feed
 * cache. */
void story_cache_free(struct store *st);
/* Feed feed_id's priority and dedupe flag (1, priority 0 when there is
 * no such feed), read once and then kept: 0, or -1 on error. */
int feed_dedupe_get(struct store *st, int64_t feed_id, int *priority,
		    int *dedupe);
/* Forgets every feed's kept settings: a rollback may have undone a
 * store_feed_set_dedupe() (store_rollback). */
void story_feeds_forget(struct store *st);
/* Marks the listed stories shown: their shown copy is final. */
int story_mark_shown(struct store *st, const struct store_item *v, size_t n);

/* ---- candidates and the band index (store_band.c) ---- */

/* Candidates kept for one new item: the URL matches, then the band
 * matches nearest by SimHash. */
#define MAX_CANDIDATES 32
/* Rows read of each band key on each side of a new item's time, the
 * nearest in time first: at most 2 x 8 x 16 = 256 rows a lookup however
 * many items the window holds. */
#define BAND_ROWS_PER_KEY 16
struct band_candidate {
	int64_t id, story;	/* story: of a URL match only */
	uint64_t title_simhash, lead_simhash;
	int by_url, distance;	/* distance: the nearer of the two */
};
struct band_candidates {
	struct band_candidate c[MAX_CANDIDATES];
	size_t n;
};
/* The candidates of p, a new item of feed_id (other feeds with dedupe
 * on, within window_s of p->at): URL matches first (each a copy, with
 * its story), then band matches within a few bits of p's SimHashes
 * (their text still to compare), in no order.  0 or -1 (logged). */
int band_candidates_find(struct store *st, int64_t feed_id,
			 const struct dedupe_print *p, int64_t window_s,
			 struct band_candidates *c);
/* Writes the band rows of item_id (one statement). */
int band_index_add(struct store *st, int64_t feed_id, int64_t item_id,
		   const struct dedupe_print *p);
/* A feed's dedupe flag may have changed (or a rollback undone one). */
void band_feeds_changed(struct store *st);
void band_free(struct store *st);

#endif
