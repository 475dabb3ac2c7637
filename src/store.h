/*
 * store.h — everything feedmux keeps, in one SQLite database.
 *
 * WAL journal, schema created and migrated through PRAGMA user_version,
 * every statement prepared once at open.  Items are written in bounded
 * transactions (store_begin .. store_commit) that poll_store.c fills
 * with one or several feeds' entries and poll states.  All times
 * are Unix seconds and passed in by the caller, so tests control the
 * clock.  Functions return 0 on success and -1 on failure after logging
 * the SQLite error once.  A store is used by one thread: its connection
 * has no mutex of its own (store.c's store_configure_library).
 */
#ifndef FEEDMUX_STORE_H
#define FEEDMUX_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "entry.h"

struct store;

/* The persistent state of one source feed.  Strings owned, may be NULL. */
struct store_feed {
	int64_t id;
	char *name;
	char *url;		/* where to fetch it now */
	char *title;		/* configured title, else the feed's own, else name */
	char *link;		/* the feed's alternate link */
	char *source_id;	/* the feed's own Atom id, if any */
	int64_t updated;	/* the feed's own updated date, ENTRY_NO_DATE if none */
	char *etag;		/* validators exactly as the server sent them */
	char *last_modified;
	int64_t next_poll;	/* 0: as soon as possible */
	int64_t last_poll;	/* 0: never */
	int64_t last_success;	/* 0: never */
	int64_t interval_s;	/* current poll interval */
	int errors;		/* consecutive failed polls */
	int last_status;	/* HTTP status of the last poll, 0 if none */
	char *last_error;	/* NULL after a successful poll */
	int64_t items;		/* items stored for this feed */
	uint64_t body_hash;	/* FNV-1a 64 of the last 2xx body, 0 if none */
	int gone;		/* answered 410 Gone: no longer polled */
	char *publish_gaps;	/* recent per-item gaps in seconds, "600,540" */
	int64_t last_new_at;	/* last poll that found new items, 0 never */
	int64_t hint_s;		/* the publisher's interval hint, 0 none */
	uint32_t skip_hours;	/* RSS skipHours: bit h = hour h UTC, 0 none */
	unsigned skip_days;	/* RSS skipDays: bit d = weekday d, Sunday 0 */
	char *repair;		/* what the parser had to repair in the last
				 * document read, NULL if it was well-formed
				 * (kept across 304s and failed polls) */
};
void store_feed_clear(struct store_feed *f);

/* Another feed's copy of a story (SPEC.md: Output feeds).  Owned strings;
 * url may be NULL when that copy had no link. */
struct store_copy {
	char *url;
	char *feed_title;	/* configured title, else the feed's own, else name */
	char *feed_name;
};

/* One entry of an output feed: an item with its source feed. */
struct store_item {
	int64_t item_id;
	int64_t story_id;
	struct entry e;		/* owned */
	int64_t first_seen;
	int64_t feed_id;
	char *feed_name;
	char *feed_title;
	char *feed_url;
	char *feed_link;
	char *feed_source_id;
	int64_t feed_updated;
	int64_t sort_date;	/* the story's place in the feed: with story_id,
				 * the paging cursor (store_list_items_before) */
	/* The story's other copies from active feeds, earliest seen first
	 * (Atom rel="related", JSON Feed _feedmux.copies).  Owned array. */
	struct store_copy *copies;
	size_t n_copies;
};
void store_items_free(struct store_item *items, size_t n);
void store_copies_free(struct store_copy *copies, size_t n);

enum store_put_result {
	STORE_PUT_NEW,
	STORE_PUT_UPDATED,
	STORE_PUT_UNCHANGED,
};

struct store_counts {
	int64_t feeds;		/* active feeds */
	int64_t items;
	int64_t stories;
};

/* Opens (creating and migrating as needed).  NULL with a message in err. */
struct store *store_open(const char *path, char *err, size_t errlen);
void store_close(struct store *st);	/* NULL is fine */

/*
 * Creates or updates the feed called name and marks it active.  When url
 * differs from the configured URL last synced, the stored URL and
 * validators are reset to it.  title may be NULL.  sections replace the
 * feed's previous sections.  Fills *id.
 */
int store_feed_sync(struct store *st, const char *name, const char *url,
		    const char *title, char *const *sections,
		    size_t n_sections, int64_t *id);
/*
 * Sets feed id's priority (the highest-priority copy of a story is shown,
 * until the story has been listed once) and whether its items may merge
 * with other feeds' copies at all (dedupe 0: never).
 */
int store_feed_set_dedupe(struct store *st, int64_t id, int priority,
			  int dedupe);
/* Copies are compared within window_s of each other; threshold_pct is
 * the lead overlap needed (dedupe.h).  0 keeps the default. */
void store_set_dedupe(struct store *st, int64_t window_s, int threshold_pct);
/* Sets the most memory SQLite's page cache may take, in bytes (PRAGMA
 * cache_size, rounded down to KiB); 0 keeps the size in effect.  Returns
 * the size now in effect in bytes, -1 on error (logged). */
int64_t store_set_cache_size(struct store *st, int64_t bytes);
/* SQLite's own default is 2 MB: a new item's pages of the random-keyed
 * indexes (items(feed_id, item_key), items_canonical_url) then miss it
 * and are read and written again in each transaction (feedmux.conf(5):
 * cache_size, with the figures). */
#define STORE_DEFAULT_CACHE_SIZE (16 * 1024 * 1024)
/* Marks every feed whose id is not in ids inactive (its items stay). */
int store_feed_retire_others(struct store *st, const int64_t *ids, size_t n);
/* Fills out (caller clears it) for feed id.  -1 if there is none. */
int store_feed_get(struct store *st, int64_t id, struct store_feed *out);
/* Every active feed, by name; caller frees each with store_feed_clear
 * and the array with free(). */
int store_feed_list(struct store *st, struct store_feed **out, size_t *n);
/* Writes the poll state of f (url, etag, last_modified, next_poll,
 * last_poll, last_success, interval_s, errors, last_status, last_error,
 * body_hash, gone, publish_gaps, last_new_at, hint_s). */
int store_feed_save_poll(struct store *st, const struct store_feed *f);

/*
 * A transaction of the poller's (poll_store.c): entries and poll states.
 * The poller keeps one open across loop turns while a burst of polls is
 * stored (a batch).  Everything else that uses the connection in between
 * (what httpd serves, the counts, feed configuration changes, pruning,
 * checkpoints: store_list_items*, store_count, store_feed_list,
 * store_feed_sync, store_feed_retire_others, store_begin) first calls
 * store_settle(), which has the owner's settle callback commit the batch:
 * a reader sees committed rows only, so no entry it served can vanish in
 * a later rollback or a crash.  Called only outside a transaction of its
 * own; cb NULL unsets it.
 */
typedef void (*store_settle_cb)(void *ctx);
void store_set_settle(struct store *st, store_settle_cb cb, void *ctx);
/* Ends a batch left open (above); a no-op when none is. */
void store_settle(struct store *st);
/*
 * Checkpoints.  SQLite's automatic one (after a commit that leaves 1,000
 * pages in the WAL) ran inside the commit, in the poller's store turn,
 * and so often that the same index pages were copied over and over.  It
 * is off: the poller runs store_checkpoint() in a loop turn of its own
 * once a commit has left STORE_CHECKPOINT_PAGES in the WAL; prune.c
 * truncates the WAL every ten minutes.
 */
#define STORE_CHECKPOINT_PAGES 4096
/* A statement journal larger than this goes to a temporary file.  SQLite
 * also allocates an in-memory journal in chunks of this size: kept under
 * the allocator's mmap threshold (1 MiB, main.c), a chunk is not an
 * mmap/munmap per statement. */
#define STORE_STMT_JOURNAL_SPILL (512 * 1024)
/* WAL frames after the last commit (0 after a checkpoint copied all). */
int store_wal_pages(const struct store *st);
/* A passive checkpoint (it waits for no one); never inside a
 * transaction.  0, or -1 after logging. */
int store_checkpoint(struct store *st);
int store_begin(struct store *st);
int store_commit(struct store *st);	/* bumps the generation if anything shown changed */
int store_rollback(struct store *st);

/* Inside a transaction: the feed's own title, link, id, updated. */
int store_feed_set_meta(struct store *st, int64_t feed_id,
			const struct feed_meta *m, int64_t now);
/*
 * Inside a transaction: stores e for feed_id under entry_key(e).  An item
 * already stored under that key is updated in place (never a second
 * entry); a new one gets a new story.  Fills *res.
 */
int store_put_entry(struct store *st, int64_t feed_id, const struct entry *e,
		    int64_t now, enum store_put_result *res);

/*
 * The newest stories (by published date, else first seen), one row each
 * (the story's primary item), at most limit.  section NULL is the merged
 * feed; otherwise only stories with an item in a feed of that section.
 * Caller frees with store_items_free().
 */
int store_list_items(struct store *st, const char *section, int limit,
		     struct store_item **out, size_t *n);
/*
 * The same list, starting after the story (before_date, before_id): only
 * stories that sort after it, i.e. older (sort_date, story id) pairs.  A
 * cursor stays valid while stories are added, so a reader paging back
 * (RFC 5005 paged feeds) sees every story once.
 */
int store_list_items_before(struct store *st, const char *section, int limit,
			    int64_t before_date, int64_t before_id,
			    struct store_item **out, size_t *n);

int store_count(struct store *st, struct store_counts *out);

/*
 * The query plan SQLite chooses for store_list_items(st, section, ...),
 * one EXPLAIN QUERY PLAN detail per line, for tests and debugging.
 * Returns a string the caller frees, NULL on error.
 */
char *store_list_plan(struct store *st, const char *section);

/*
 * A number that grows whenever anything an output feed shows has changed
 * (items, feed titles, sections).  Starts at 1 after open.
 */
uint64_t store_generation(const struct store *st);
/* When that last happened (Unix seconds); at open, the newest stored
 * change. */
int64_t store_changed_at(const struct store *st);

/* Band index rows read by the candidate lookups since open (a lookup
 * reads at most 256: store_band.c), for tests and the verbose log. */
uint64_t store_band_rows_read(const struct store *st);

#endif
