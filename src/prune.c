/*
 * prune.c — retention pruning with tombstones, and WAL checkpoints.
 *
 * Pruning runs rarely (hourly), so its statements are prepared per pass
 * instead of living in the store's statement table; the per-entry check
 * of a tombstone is on the poll path and does live there (S_TOMB_TOUCH in
 * store.c, used by store_put_entry).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <sqlite3.h>

#include "buf.h"
#include "log.h"
#include "prune.h"
#include "store.h"
#include "store_int.h"

#define PRUNE_FIRST_DELAY_S 60
#define PRUNE_EVERY_S 3600
#define PRUNE_AGAIN_S 1		/* a full batch: more may be due */
#define PRUNE_BATCH_ITEMS 500	/* one short transaction, < 50 ms */
#define CHECKPOINT_EVERY_S 600

/* An item's age: its published date, unless that is missing or later than
 * when feedmux first saw it (a feed may claim a date in the future). */
#define ITEM_AGE "min(COALESCE(published, first_seen), first_seen)"

/* The items due, oldest first among those not kept: ?1 cutoff, ?2 the
 * number kept per feed, ?3 at most this many. */
static const char candidates_sql[] =
	"SELECT id, story_id FROM (SELECT id, story_id, " ITEM_AGE " AS age,"
	" row_number() OVER (PARTITION BY feed_id ORDER BY " ITEM_AGE " DESC,"
	" id DESC) AS rank FROM items)"
	" WHERE rank > ?2 AND age < ?1 ORDER BY age LIMIT ?3";

/* What one item's removal runs, in order. */
enum { P_TOMB, P_ITEM, P_PRIMARY, P_STORY, P_COUNT };
static const char *const remove_sql[P_COUNT] = {
	/* ?1 item, ?2 now: the tombstone lives a retention period from
	 * now, longer while the feed keeps listing the item. */
	[P_TOMB] =
		"INSERT OR REPLACE INTO tombstones(feed_id, item_key,"
		" pruned_at, last_seen) SELECT feed_id, item_key, ?2, ?2"
		" FROM items WHERE id = ?1",
	[P_ITEM] = "DELETE FROM items WHERE id = ?1",
	/* ?1 story, ?2 the deleted item: the copy of the feed with the
	 * highest priority, else the first seen, becomes the shown one. */
	[P_PRIMARY] =
		"UPDATE stories SET primary_item_id = (SELECT i.id FROM items i"
		" JOIN feeds f ON f.id = i.feed_id WHERE i.story_id = ?1"
		" ORDER BY f.priority DESC, i.first_seen, i.id LIMIT 1)"
		" WHERE id = ?1 AND primary_item_id = ?2",
	[P_STORY] =
		"DELETE FROM stories WHERE id = ?1"
		" AND NOT EXISTS (SELECT 1 FROM items WHERE story_id = ?1)",
};

struct candidate {
	int64_t item_id, story_id;
};

/* Up to max candidates into *out (caller frees).  0 or -1. */
static int find_candidates(struct store *st, int64_t cutoff, size_t max,
			   struct candidate **out, size_t *n)
{
	sqlite3_stmt *s;
	struct candidate *v = xcalloc(max ? max : 1, sizeof *v);
	size_t len = 0;
	int rc;

	if (sqlite3_prepare_v2(st->db, candidates_sql, -1, &s, NULL)) {
		free(v);
		return db_fail(st, "prune: candidates");
	}
	sqlite3_bind_int64(s, 1, cutoff);
	sqlite3_bind_int(s, 2, PRUNE_KEEP_PER_FEED);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)max);
	while (len < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		v[len].item_id = sqlite3_column_int64(s, 0);
		v[len].story_id = sqlite3_column_int64(s, 1);
		len++;
	}
	if (len < max && rc != SQLITE_DONE) {
		db_fail(st, "prune: candidates");
		sqlite3_finalize(s);
		free(v);
		return -1;
	}
	sqlite3_finalize(s);
	*out = v;
	*n = len;
	return 0;
}

static int run2(struct store *st, sqlite3_stmt *s, int64_t a, int64_t b)
{
	sqlite3_bind_int64(s, 1, a);
	if (sqlite3_bind_parameter_count(s) > 1)
		sqlite3_bind_int64(s, 2, b);
	return stmt_run(st, s, "prune");
}

/* Removes each candidate: tombstone, item, then its story's primary or
 * the story itself.  Inside the caller's transaction. */
static int remove_items(struct store *st, const struct candidate *c,
			size_t n, int64_t now)
{
	sqlite3_stmt *s[P_COUNT] = {NULL};
	size_t i;
	int k, rc = 0;

	for (k = 0; k < P_COUNT && rc == 0; k++)
		if (sqlite3_prepare_v2(st->db, remove_sql[k], -1, &s[k], NULL))
			rc = db_fail(st, "prune: prepare");
	for (i = 0; i < n && rc == 0; i++)
		rc = run2(st, s[P_TOMB], c[i].item_id, now) ||
		     run2(st, s[P_ITEM], c[i].item_id, 0) ||
		     run2(st, s[P_PRIMARY], c[i].story_id, c[i].item_id) ||
		     run2(st, s[P_STORY], c[i].story_id, 0) ? -1 : 0;
	for (k = 0; k < P_COUNT; k++)
		sqlite3_finalize(s[k]);
	return rc;
}

/* Tombstones whose item no feed listed for a retention period. */
static int forget_tombstones(struct store *st, int64_t cutoff)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db,
			       "DELETE FROM tombstones WHERE last_seen < ?1",
			       -1, &s, NULL))
		return db_fail(st, "prune: tombstones");
	sqlite3_bind_int64(s, 1, cutoff);
	if (stmt_run(st, s, "prune: tombstones")) {
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	return 0;
}

int prune_items(struct store *st, int64_t retention_s, int64_t now,
		size_t max_items, size_t *pruned)
{
	struct candidate *c = NULL;
	size_t n = 0;
	int64_t cutoff = now - retention_s;

	*pruned = 0;
	if (store_begin(st) != 0)
		return -1;
	if (find_candidates(st, cutoff, max_items, &c, &n) != 0 ||
	    remove_items(st, c, n, now) != 0 ||
	    forget_tombstones(st, cutoff) != 0)
		goto fail;
	if (n > 0)
		mark_changed(st, now);	/* an output may have shown one */
	if (store_commit(st) != 0)
		goto fail;
	free(c);
	*pruned = n;
	return 0;
fail:
	store_rollback(st);
	free(c);
	return -1;
}

int prune_checkpoint(struct store *st)
{
	int wal_frames = 0, copied = 0;

	store_settle(st);	/* a checkpoint cannot run inside a write */
	if (sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
				      &wal_frames, &copied) != SQLITE_OK)
		return db_fail(st, "wal checkpoint");
	if (copied < wal_frames)	/* a reader held it back */
		log_info("store: checkpoint copied %d of %d WAL frames",
			 copied, wal_frames);
	else
		st->wal_pages = 0;
	return 0;
}

/* ---- timers ---- */

struct pruner {
	struct store *st;	/* borrowed */
	struct event *prune_ev, *checkpoint_ev;	/* owned */
	int64_t retention_s;
};

static void arm(struct event *ev, int seconds)
{
	struct timeval tv = {seconds, 0};

	event_add(ev, &tv);
}

static void on_prune_timer(evutil_socket_t fd, short what, void *arg)
{
	struct pruner *p = arg;
	size_t pruned = 0;
	int64_t now = (int64_t)time(NULL);

	(void)fd;
	(void)what;
	if (prune_items(p->st, p->retention_s, now, PRUNE_BATCH_ITEMS,
			&pruned) == 0 && pruned > 0) {
		log_info("store: pruned %zu items older than %lld s",
			 pruned, (long long)p->retention_s);
		prune_checkpoint(p->st);
	}
	arm(p->prune_ev, pruned == PRUNE_BATCH_ITEMS ? PRUNE_AGAIN_S :
	    PRUNE_EVERY_S);
}

static void on_checkpoint_timer(evutil_socket_t fd, short what, void *arg)
{
	struct pruner *p = arg;

	(void)fd;
	(void)what;
	prune_checkpoint(p->st);
}

struct pruner *prune_create(struct event_base *base, struct store *st,
			    int64_t retention_s)
{
	struct pruner *p = xcalloc(1, sizeof *p);
	struct timeval every = {CHECKPOINT_EVERY_S, 0};

	p->st = st;
	p->retention_s = retention_s;
	p->prune_ev = evtimer_new(base, on_prune_timer, p);
	p->checkpoint_ev = event_new(base, -1, EV_PERSIST, on_checkpoint_timer,
				     p);
	if (!p->prune_ev || !p->checkpoint_ev) {
		prune_free(p);
		return NULL;
	}
	arm(p->prune_ev, PRUNE_FIRST_DELAY_S);
	event_add(p->checkpoint_ev, &every);
	return p;
}

void prune_set_retention(struct pruner *p, int64_t retention_s)
{
	if (p)
		p->retention_s = retention_s;
}

void prune_free(struct pruner *p)
{
	if (!p)
		return;
	if (p->prune_ev)
		event_free(p->prune_ev);
	if (p->checkpoint_ev)
		event_free(p->checkpoint_ev);
	free(p);
}
