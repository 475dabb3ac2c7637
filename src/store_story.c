/*
 * store_story.c — stories: which items are copies of one story
 * (DESIGN.md: Deduplication, in three rings), the band index that finds
 * near-copies without reading every item, the copy a story shows, and the
 * other copies listed with it in the outputs.  What makes two items the
 * same story is decided in dedupe.c; this file only does the SQL.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "dedupe.h"
#include "log.h"
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

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, priority);
	sqlite3_bind_int(s, 3, dedupe != 0);
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

/* The feed's priority and dedupe flag. */
static int feed_dedupe_get(struct store *st, int64_t feed_id, int *priority,
			   int *dedupe)
{
	sqlite3_stmt *s = st->stmt[S_FEED_DEDUPE_GET];
	int rc;

	*priority = 0;
	*dedupe = 1;
	sqlite3_bind_int64(s, 1, feed_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*priority = sqlite3_column_int(s, 0);
		*dedupe = sqlite3_column_int(s, 1);
	} else if (rc != SQLITE_DONE) {
		db_fail(st, "feed dedupe");
	}
	stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Candidates, URL matches first, at most MAX_CANDIDATES: items of other
 * feeds with dedupe on (the SQL leaves out the rest), with their story
 * and stored fingerprints.  A URL match is a copy (ring 2: the query
 * checks the URL, the window, the feed and its dedupe flag, all that
 * dedupe_compare() looks at for it); a band match is a copy only if
 * dedupe_compare() says so, and its text is read and fingerprinted again
 * only when one of its stored SimHashes is within MAX_DISTANCE of p's.
 */
#define MAX_CANDIDATES 32
#define MAX_DISTANCE 8
struct candidate {
	int64_t id, story;
	uint64_t title_simhash, lead_simhash;
	int by_url;
};
struct candidates {
	struct candidate c[MAX_CANDIDATES];
	size_t n;
};

static int collect(struct store *st, sqlite3_stmt *s, struct candidates *c,
		   int by_url, const char *what)
{
	struct candidate *k;
	int64_t id;
	size_t i;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW && c->n < MAX_CANDIDATES) {
		id = sqlite3_column_int64(s, 0);
		for (i = 0; i < c->n && c->c[i].id != id; i++)
			;
		if (i < c->n)
			continue;
		k = &c->c[c->n++];
		k->id = id;
		k->story = sqlite3_column_int64(s, 1);
		k->by_url = by_url;
		if (!by_url) {
			k->title_simhash = (uint64_t)sqlite3_column_int64(s, 2);
			k->lead_simhash = (uint64_t)sqlite3_column_int64(s, 3);
		}
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		db_fail(st, what);
	stmt_done(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

static int candidates_find(struct store *st, int64_t feed_id,
			   const struct dedupe_print *p, int64_t window_s,
			   struct candidates *c)
{
	int64_t keys[DEDUPE_MAX_KEYS];
	size_t n_keys = dedupe_band_keys(p, keys), i;
	sqlite3_stmt *s;

	c->n = 0;
	if (p->canonical_url) {
		s = st->stmt[S_URL_FIND];
		bind_text(s, 1, p->canonical_url);
		sqlite3_bind_int64(s, 2, p->at - window_s);
		sqlite3_bind_int64(s, 3, p->at + window_s);
		sqlite3_bind_int64(s, 4, feed_id);
		if (collect(st, s, c, 1, "dedupe url find"))
			return -1;
	}
	if (n_keys == 0 || c->n >= MAX_CANDIDATES)
		return 0;
	s = st->stmt[S_BAND_FIND];
	/* Unused key slots stay NULL, which IN never matches. */
	for (i = 0; i < n_keys; i++)
		sqlite3_bind_int64(s, (int)i + 1, keys[i]);
	sqlite3_bind_int64(s, 9, p->at - window_s);
	sqlite3_bind_int64(s, 10, p->at + window_s);
	sqlite3_bind_int64(s, 11, feed_id);
	return collect(st, s, c, 0, "dedupe band find");
}

/* Whether a band candidate's stored fingerprints are near enough to p's
 * for its text to be worth comparing. */
static int candidate_near(const struct dedupe_print *p,
			  const struct candidate *k)
{
	return simhash_distance(p->title_simhash, k->title_simhash) <=
		       MAX_DISTANCE ||
	       simhash_distance(p->lead_simhash, k->lead_simhash) <=
		       MAX_DISTANCE;
}

/* A stored item's fingerprint (*found is 0 when it is gone). */
static int candidate_load(struct store *st, int64_t id,
			  struct dedupe_print *p, int *found)
{
	sqlite3_stmt *s = st->stmt[S_ITEM_DEDUPE_ROW];
	struct entry e = {0};
	int rc;

	*found = 0;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		/* Borrowed from the row until stmt_done(). */
		e.title = (char *)sqlite3_column_text(s, 2);
		e.summary = (char *)sqlite3_column_text(s, 3);
		e.content = (char *)sqlite3_column_text(s, 4);
		e.link = (char *)sqlite3_column_text(s, 5);
		e.published = col_date(s, 6);
		dedupe_print_make(&e, sqlite3_column_int64(s, 7), p);
		*found = 1;
	} else if (rc != SQLITE_DONE) {
		db_fail(st, "dedupe candidate");
	}
	stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* The stories p is a copy of, each once, at most MAX_CANDIDATES. */
struct matches {
	int64_t story[MAX_CANDIDATES];
	size_t n;
};

static int story_find(struct store *st, int64_t feed_id,
		      const struct dedupe_print *p, struct matches *m)
{
	struct dedupe_params params = params_of(st);
	struct candidates *c = xcalloc(1, sizeof *c);
	struct dedupe_print other;
	const struct candidate *k;
	size_t i, j;
	int found, same, rc;

	m->n = 0;
	rc = candidates_find(st, feed_id, p, params.window_s, c);
	for (i = 0; rc == 0 && i < c->n; i++) {
		k = &c->c[i];
		for (j = 0; j < m->n && m->story[j] != k->story; j++)
			;
		if (j < m->n || (!k->by_url && !candidate_near(p, k)))
			continue;
		same = k->by_url;
		if (!same) {
			rc = candidate_load(st, k->id, &other, &found);
			if (rc || !found)
				continue;
			same = dedupe_compare(p, &other, &params) !=
			       DEDUPE_DIFFERENT;
			dedupe_print_clear(&other);
		}
		if (same)
			m->story[m->n++] = k->story;
	}
	free(c);
	return rc;
}

/* ---- joining and creating stories ---- */

static int story_create(struct store *st, int64_t item_id,
			const struct entry *e, int64_t now, int64_t *story_id)
{
	sqlite3_stmt *s = st->stmt[S_STORY_INSERT];

	sqlite3_bind_int64(s, 1, now);
	bind_date(s, 2, e->published);
	sqlite3_bind_int64(s, 3, item_id);
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

/* Writes the item's fingerprint columns and band keys. */
static int item_index(struct store *st, int64_t item_id,
		      const struct dedupe_print *p)
{
	int64_t keys[DEDUPE_MAX_KEYS];
	size_t n = dedupe_band_keys(p, keys), i;
	sqlite3_stmt *s = st->stmt[S_ITEM_SET_DEDUPE];

	sqlite3_bind_int64(s, 1, item_id);
	bind_text(s, 2, p->canonical_url);
	sqlite3_bind_int64(s, 3, p->at);
	sqlite3_bind_int64(s, 4, (int64_t)p->title_simhash);
	sqlite3_bind_int64(s, 5, (int64_t)p->lead_simhash);
	if (stmt_run(st, s, "item set dedupe"))
		return -1;
	s = st->stmt[S_BAND_INSERT];
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(s, 1, keys[i]);
		sqlite3_bind_int64(s, 2, p->at);
		sqlite3_bind_int64(s, 3, item_id);
		if (stmt_run(st, s, "band insert"))
			return -1;
	}
	return 0;
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

int story_assign(struct store *st, int64_t feed_id, int64_t item_id,
		 const struct entry *e, int64_t now)
{
	struct matches *m = xcalloc(1, sizeof *m);
	struct dedupe_print p;
	int64_t story_id = 0;
	int priority, dedupe, rc;
	sqlite3_stmt *s;

	if (feed_dedupe_get(st, feed_id, &priority, &dedupe)) {
		free(m);
		return -1;
	}
	memset(&p, 0, sizeof p);
	rc = 0;
	if (dedupe) {
		dedupe_print_make(e, now, &p);
		rc = story_find(st, feed_id, &p, m);
		if (rc == 0 && m->n > 0)
			rc = stories_join(st, m, &story_id);
	}
	free(m);
	if (rc == 0 && story_id)
		rc = story_maybe_promote(st, story_id, item_id, priority, e);
	else if (rc == 0)
		rc = story_create(st, item_id, e, now, &story_id);
	if (rc == 0) {
		s = st->stmt[S_ITEM_SET_STORY];
		sqlite3_bind_int64(s, 1, item_id);
		sqlite3_bind_int64(s, 2, story_id);
		rc = stmt_run(st, s, "item set story");
	}
	if (rc == 0 && dedupe)
		rc = item_index(st, item_id, &p);
	dedupe_print_clear(&p);
	return rc;
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
