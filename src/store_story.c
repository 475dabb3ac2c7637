/*
 * store_story.c — stories: which items are copies of one story
 * (DESIGN.md: Deduplication, in three rings), the copy a story shows,
 * and the other copies listed with it in the outputs.  The candidates a
 * new item is compared with, and the band index that finds them, are
 * store_band.c's.  What makes two items the
 * same story is decided in dedupe.c; this file only does the SQL.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "dedupe.h"
#include "feed_cache.h"
#include "log.h"
#include "print_cache.h"
#include "simhash.h"
#include "store.h"
#include "store_int.h"

void store_copies_free(struct store_copy *copies, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(copies[i].url);
		free(copies[i].feed_title);
		free(copies[i].feed_name);
	}
	free(copies);
}

int story_copies_load(struct store *st, struct store_item *it)
{
	sqlite3_stmt *s = st->stmt[S_STORY_COPIES];
	struct store_copy *c;
	int rc;

	sqlite3_bind_int64(s, 1, it->story_id);
	sqlite3_bind_int64(s, 2, it->item_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		it->copies = xrealloc(it->copies,
				      (it->n_copies + 1) * sizeof *it->copies);
		c = &it->copies[it->n_copies++];
		c->url = col_str(s, 0);
		c->feed_title = col_str(s, 1);
		c->feed_name = col_str(s, 2);
	}
	if (rc != SQLITE_DONE)
		db_fail(st, "story copies");
	stmt_done(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- configuration ---- */

int store_feed_set_dedupe(struct store *st, int64_t id, int priority,
			  int dedupe)
{
	sqlite3_stmt *s = st->stmt[S_FEED_DEDUPE_SET];

	/* Forgotten, not replaced: the write may yet be rolled back, and
	 * the next read (feed_dedupe_get) sees what it left. */
	if (st->feeds)
		feed_cache_forget(st->feeds, id);
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, priority);
	sqlite3_bind_int(s, 3, dedupe != 0);
	band_feeds_changed(st);
	return stmt_run(st, s, "feed set dedupe");
}

void store_set_dedupe(struct store *st, int64_t window_s, int threshold_pct)
{
	st->dedupe_window_s = window_s;
	st->dedupe_threshold_pct = threshold_pct;
}

static struct dedupe_params params_of(const struct store *st)
{
	struct dedupe_params p = {
		st->dedupe_window_s ? st->dedupe_window_s :
			DEDUPE_DEFAULT_WINDOW_S,
		st->dedupe_threshold_pct ? st->dedupe_threshold_pct :
			DEDUPE_DEFAULT_THRESHOLD_PCT,
	};
	return p;
}

/* ---- finding the story of a new item ---- */

/* The feed's priority and dedupe flag, from the feed cache (kept from
 * the first read until the feed's settings are written or a transaction
 * rolls back: feed_cache.h). */
int feed_dedupe_get(struct store *st, int64_t feed_id, int *priority,
		    int *dedupe)
{
	sqlite3_stmt *s = st->stmt[S_FEED_DEDUPE_GET];
	int rc;

	if (!st->feeds)
		st->feeds = feed_cache_new();
	if (feed_cache_get(st->feeds, feed_id, priority, dedupe) == 0)
		return 0;
	*priority = 0;
	*dedupe = 1;
	sqlite3_bind_int64(s, 1, feed_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*priority = sqlite3_column_int(s, 0);
		*dedupe = sqlite3_column_int(s, 1);
		feed_cache_put(st->feeds, feed_id, *priority, *dedupe);
	} else if (rc != SQLITE_DONE) {
		db_fail(st, "feed dedupe");
	}
	stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

void story_feeds_forget(struct store *st)
{
	if (st->feeds)
		feed_cache_clear(st->feeds);
}

/* Band candidates whose text is read, the nearest first: copies of one
 * story sit within a few bits of each other, and templated texts (the
 * benchmark's, a feed's boilerplate) can put dozens within 8 bits.  The
 * candidates themselves come from store_band.c. */
#define MAX_LOADS 8

/* The stories p is a copy of, each once, at most MAX_CANDIDATES. */
struct matches {
	int64_t story[MAX_CANDIDATES];
	size_t n;
};

static int matched(const struct matches *m, int64_t story)
{
	size_t j;

	for (j = 0; j < m->n && m->story[j] != story; j++)
		;
	return j < m->n;
}

/* ---- the newest items' prints (print_cache.h) ---- */

/* The cache tag of a print made from a row with this content hash and
 * first_seen: everything a print is made from (title, summary, content,
 * link, published) is in the hash.  0 (never cached) without one. */
static uint64_t print_tag(const char *content_hash, int64_t first_seen)
{
	if (!content_hash || !*content_hash)
		return 0;
	return (strtoull(content_hash, NULL, 16) ^
		((uint64_t)first_seen * 0x9e3779b97f4a7c15ULL)) | 1;
}

static struct print_cache *prints_of(struct store *st)
{
	if (!st->prints)
		st->prints = print_cache_new(STORE_PRINT_CACHE_SLOTS);
	return st->prints;
}

void story_cache_free(struct store *st)
{
	uint64_t hits, gets;

	feed_cache_free(st->feeds);
	st->feeds = NULL;
	if (!st->prints)
		return;
	print_cache_counts(st->prints, &hits, &gets);
	log_debug("store: fingerprint cache: %llu of %llu candidates found",
		  (unsigned long long)hits, (unsigned long long)gets);
	print_cache_free(st->prints);
	st->prints = NULL;
}

/* Item id's print made again from its stored text (first_seen: the
 * row's), into p (the caller clears it): 0, or -1 when the row cannot be
 * read. */
static int candidate_print_make(struct store *st, int64_t id,
				int64_t first_seen, struct dedupe_print *p)
{
	sqlite3_stmt *s = st->stmt[S_ITEM_DEDUPE_TEXT];
	struct entry e = {0};
	int rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		/* Borrowed from the row until stmt_done(). */
		e.title = (char *)sqlite3_column_text(s, 0);
		e.summary = (char *)sqlite3_column_text(s, 1);
		e.content = (char *)sqlite3_column_text(s, 2);
		e.link = (char *)sqlite3_column_text(s, 3);
		e.published = col_date(s, 4);
		dedupe_print_make(&e, first_seen, p);
	} else {
		db_fail(st, "dedupe candidate text");
	}
	stmt_done(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

/*
 * A stored item's story and, unless m already has that story, its
 * fingerprint: *found is 1 when p was filled, 0 when the item is gone or
 * its story matched already (no text to fold then).  p is borrowed from
 * the cache (*owned 0) when it has the row's print, else made from the
 * row's text (*owned 1: the caller clears it) and kept there.  The text
 * is read only then: a hit reads three small columns, not the row's
 * title, summary and content (maybe overflow pages).
 */
static int candidate_load(struct store *st, int64_t id,
			  const struct matches *m, struct dedupe_print *p,
			  int64_t *story, int *found, int *owned)
{
	sqlite3_stmt *s = st->stmt[S_ITEM_DEDUPE_ROW];
	int64_t first_seen = 0;
	uint64_t tag = 0;
	int rc;

	*found = *owned = 0;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && !matched(m, sqlite3_column_int64(s, 0))) {
		*story = sqlite3_column_int64(s, 0);
		*found = 1;
		first_seen = sqlite3_column_int64(s, 2);
		tag = print_tag((const char *)sqlite3_column_text(s, 1),
				first_seen);
	} else if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_fail(st, "dedupe candidate");
	}
	stmt_done(s);
	if (!*found || print_cache_get(prints_of(st), id, tag, p) == 0)
		return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
	if (candidate_print_make(st, id, first_seen, p))
		return -1;
	*owned = 1;
	print_cache_put(st->prints, id, tag, p);
	return 0;
}

/* URL matches first (distance 0), then the nearest band matches. */
static int by_distance(const void *a, const void *b)
{
	const struct band_candidate *x = a, *y = b;

	if (x->by_url != y->by_url)
		return y->by_url - x->by_url;
	return x->distance - y->distance;
}

static int story_find(struct store *st, int64_t feed_id,
		      const struct dedupe_print *p, struct matches *m)
{
	struct dedupe_params params = params_of(st);
	struct band_candidates *c = xcalloc(1, sizeof *c);
	struct dedupe_print other;
	const struct band_candidate *k;
	int64_t story;
	size_t i, loads;
	int found, owned, same, rc;

	m->n = 0;
	rc = band_candidates_find(st, feed_id, p, params.window_s, c);
	qsort(c->c, c->n, sizeof c->c[0], by_distance);
	for (i = 0, loads = 0; rc == 0 && i < c->n; i++) {
		k = &c->c[i];
		story = k->story;
		if (k->by_url) {
			same = !matched(m, story);
		} else {
			if (loads++ == MAX_LOADS)
				break;
			rc = candidate_load(st, k->id, m, &other, &story,
					    &found, &owned);
			if (rc || !found)
				continue;
			same = dedupe_compare(p, &other, &params) !=
			       DEDUPE_DIFFERENT;
			if (owned)
				dedupe_print_clear(&other);
		}
		if (same)
			m->story[m->n++] = story;
	}
	free(c);
	return rc;
}

/* ---- joining and creating stories ---- */

/* A new story for a new item: its shown copy is set by
 * story_plan_attach() once the item is written. */
static int story_create(struct store *st, const struct entry *e, int64_t now,
			int64_t *story_id)
{
	sqlite3_stmt *s = st->stmt[S_STORY_INSERT];

	sqlite3_bind_int64(s, 1, now);
	bind_date(s, 2, e->published);
	if (stmt_run(st, s, "story insert"))
		return -1;
	*story_id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* The new copy item_id is shown instead when its feed's priority is
 * higher and the story has not been listed yet (readers would otherwise
 * see the entry change identity); on a tie the earlier copy stays. */
static int story_maybe_promote(struct store *st, int64_t story_id,
			       int64_t item_id, int priority,
			       const struct entry *e)
{
	sqlite3_stmt *s = st->stmt[S_STORY_PRIMARY];
	int rc, promote = 0;

	sqlite3_bind_int64(s, 1, story_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		promote = sqlite3_column_int(s, 0) == 0 &&
			  priority > sqlite3_column_int(s, 1);
	else if (rc != SQLITE_DONE)
		db_fail(st, "story primary");
	stmt_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	if (!promote)
		return 0;
	s = st->stmt[S_STORY_SET_PRIMARY];
	sqlite3_bind_int64(s, 1, story_id);
	sqlite3_bind_int64(s, 2, item_id);
	bind_date(s, 3, e->published);
	return stmt_run(st, s, "story set primary");
}

/* Whether story id has been listed (-1 on error). */
static int story_shown(struct store *st, int64_t id)
{
	sqlite3_stmt *s = st->stmt[S_STORY_PRIMARY];
	int rc, shown = 0;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		shown = sqlite3_column_int(s, 0);
	else if (rc != SQLITE_DONE)
		db_fail(st, "story shown");
	stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? shown : -1;
}

/*
 * A new item that is a copy of several stories joins them into one: they
 * were one story whose copies had not been seen to match (a headline-only
 * copy and a re-headlined one, say).  The survivor is the oldest story
 * already listed, else the oldest; the others' items move to it.
 */
static int stories_join(struct store *st, const struct matches *m,
			int64_t *survivor)
{
	size_t i;
	int shown, best_shown = -1;
	sqlite3_stmt *s;

	*survivor = 0;
	for (i = 0; i < m->n; i++) {
		if ((shown = story_shown(st, m->story[i])) < 0)
			return -1;
		if (shown > best_shown ||
		    (shown == best_shown && m->story[i] < *survivor)) {
			best_shown = shown;
			*survivor = m->story[i];
		}
	}
	for (i = 0; i < m->n; i++) {
		if (m->story[i] == *survivor)
			continue;
		s = st->stmt[S_STORY_MOVE_ITEMS];
		sqlite3_bind_int64(s, 1, m->story[i]);
		sqlite3_bind_int64(s, 2, *survivor);
		if (stmt_run(st, s, "story move items"))
			return -1;
		s = st->stmt[S_STORY_DELETE];
		sqlite3_bind_int64(s, 1, m->story[i]);
		if (stmt_run(st, s, "story delete"))
			return -1;
	}
	return 0;
}

int story_plan_make(struct store *st, int64_t feed_id, const struct entry *e,
		    int64_t now, struct story_plan *plan)
{
	struct matches *m;
	int rc;

	memset(plan, 0, sizeof *plan);
	plan->first_seen = now;
	if (feed_dedupe_get(st, feed_id, &plan->priority, &plan->dedupe))
		return -1;
	if (!plan->dedupe)
		goto create;
	dedupe_print_make(e, now, &plan->print);
	m = xcalloc(1, sizeof *m);
	rc = story_find(st, feed_id, &plan->print, m);
	if (rc == 0 && m->n > 0)
		rc = stories_join(st, m, &plan->story_id);
	free(m);
	if (rc || plan->story_id)
		return rc;
create:
	plan->created = 1;
	return story_create(st, e, now, &plan->story_id);
}

int story_plan_attach(struct store *st, int64_t feed_id, int64_t item_id,
		      const struct entry *e, const char *content_hash,
		      struct story_plan *plan)
{
	sqlite3_stmt *s = st->stmt[S_STORY_SET_FIRST];
	int rc;

	if (plan->created) {
		sqlite3_bind_int64(s, 1, plan->story_id);
		sqlite3_bind_int64(s, 2, item_id);
		rc = stmt_run(st, s, "story set first");
	} else {
		rc = story_maybe_promote(st, plan->story_id, item_id,
					 plan->priority, e);
	}
	if (rc == 0 && plan->dedupe)
		rc = band_index_add(st, feed_id, item_id, &plan->print);
	/* Later copies are compared with this print: kept, not made again
	 * from the row (plan->first_seen is the row's first_seen). */
	if (rc == 0 && plan->dedupe)
		print_cache_put(prints_of(st), item_id,
				print_tag(content_hash, plan->first_seen),
				&plan->print);
	return rc;
}

void story_plan_clear(struct story_plan *plan)
{
	dedupe_print_clear(&plan->print);
}

/* ---- shown stories ---- */

int story_mark_shown(struct store *st, const struct store_item *v, size_t n)
{
	sqlite3_stmt *s = st->stmt[S_STORY_SHOWN];
	int own_txn = !st->in_txn && n > 0, rc = 0;
	size_t i;

	/* One write transaction for the whole list, not one per row. */
	if (own_txn && stmt_run(st, st->stmt[S_BEGIN], "begin"))
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		sqlite3_bind_int64(s, 1, v[i].story_id);
		rc = stmt_run(st, s, "story shown");
	}
	if (own_txn && rc == 0)
		rc = stmt_run(st, st->stmt[S_COMMIT], "commit");
	else if (own_txn)
		stmt_run(st, st->stmt[S_ROLLBACK], "rollback");
	return rc;
}
