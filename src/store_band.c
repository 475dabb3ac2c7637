/*
 * store_band.c — the candidates a new item is compared with (DESIGN.md:
 * Deduplication, rings 2 and 3): stored items of other feeds with the
 * same canonical URL, or sharing a SimHash band key (simhash.h) within
 * the window, and the band rows that index a new item for later copies.
 * Whether a candidate is a copy is decided in dedupe.c, through
 * store_story.c; this file only finds them.
 *
 * The cost of a lookup is bounded whatever is stored: each band key
 * gives at most BAND_ROWS_PER_KEY rows before the item's time and as
 * many after it, the nearest in time first (a popular key — templated
 * leads put hundreds of one day's items under a few 16-bit band values
 * — is weak evidence, and a wire copy arrives within hours), and a row
 * is used as read, with no join: it carries its item's feed and
 * SimHashes, and the few feeds with dedupe = no are a sorted array here.
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

/*
 * Band candidates kept only within MAX_DISTANCE bits of p's SimHashes:
 * as far as the band keys promise to find (simhash.h: within
 * SIMHASH_BANDS - 1 bits, two fingerprints share a band).  A row
 * farther off shares a band by chance, and each one kept costs a
 * comparison, most often with a print recomputed from the item's text
 * (store_story.c).  Copies sit nearer: every band-found copy in the
 * corpus (tests/data/dedupe) and in bench/genfeeds' 3,000 feeds is at
 * distance 0 in its headline or its lead, while 91% of the rows kept
 * under the old limit of 8 bits were 4 to 8 bits off, none a copy.
 */
#define MAX_DISTANCE (SIMHASH_BANDS - 1)

/* The day of the band index a time falls in (migration 7 -> 8). */
static int64_t band_day(int64_t at)
{
	return at / 86400;
}

/* ---- feeds with dedupe off ---- */

void band_feeds_changed(struct store *st)
{
	st->nodedupe_loaded = 0;
}

void band_free(struct store *st)
{
	if (st->band_lookups > 0)
		log_debug("store: band index: %llu rows read in %llu lookups",
			  (unsigned long long)st->band_rows_read,
			  (unsigned long long)st->band_lookups);
	free(st->nodedupe);
	st->nodedupe = NULL;
	st->n_nodedupe = 0;
	st->nodedupe_loaded = 0;
}

/* Reads the feeds with dedupe off when the set may have changed: at
 * open, after store_feed_set_dedupe() and after a rollback (which may
 * have undone one).  A few ids at most: a feed per configured dedupe =
 * no. */
static int nodedupe_load(struct store *st)
{
	sqlite3_stmt *s = st->stmt[S_FEED_NODEDUPE];
	int rc;

	if (st->nodedupe_loaded)
		return 0;
	st->n_nodedupe = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		st->nodedupe = xrealloc(st->nodedupe, (st->n_nodedupe + 1) *
					sizeof *st->nodedupe);
		st->nodedupe[st->n_nodedupe++] = sqlite3_column_int64(s, 0);
	}
	stmt_done(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, "feeds without dedupe");
	st->nodedupe_loaded = 1;
	return 0;
}

/* Whether feed_id has dedupe off (the ids are sorted by the query). */
static int nodedupe_has(const struct store *st, int64_t feed_id)
{
	size_t lo = 0, hi = st->n_nodedupe, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (st->nodedupe[mid] < feed_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < st->n_nodedupe && st->nodedupe[lo] == feed_id;
}

/* ---- candidates ---- */

/* The distance of a band candidate's stored fingerprints to p's, the
 * nearer of title and lead. */
static int candidate_distance(const struct dedupe_print *p,
			      const struct band_candidate *k)
{
	int t = simhash_distance(p->title_simhash, k->title_simhash);
	int l = simhash_distance(p->lead_simhash, k->lead_simhash);

	return t < l ? t : l;
}

/* Index of id in c, else c->n. */
static size_t candidate_index(const struct band_candidates *c, int64_t id)
{
	size_t i;

	for (i = 0; i < c->n && c->c[i].id != id; i++)
		;
	return i;
}

/* Keeps band candidate k if c has room or k is nearer than its farthest
 * band candidate (URL matches are never replaced): the nearest
 * MAX_CANDIDATES of all the rows read, whatever their order. */
static void candidate_keep(struct band_candidates *c, const struct band_candidate *k)
{
	size_t i, worst = c->n;

	if (c->n < MAX_CANDIDATES) {
		c->c[c->n++] = *k;
		return;
	}
	for (i = 0; i < c->n; i++)
		if (!c->c[i].by_url && (worst == c->n ||
		    c->c[i].distance > c->c[worst].distance))
			worst = i;
	if (worst < c->n && k->distance < c->c[worst].distance)
		c->c[worst] = *k;
}

/* Ring 2: items of other feeds with p's canonical URL in the window. */
static int candidates_by_url(struct store *st, int64_t feed_id,
			     const struct dedupe_print *p, int64_t window_s,
			     struct band_candidates *c)
{
	sqlite3_stmt *s = st->stmt[S_URL_FIND];
	struct band_candidate *k;
	int rc;

	bind_text(s, 1, p->canonical_url);
	sqlite3_bind_int64(s, 2, p->at - window_s);
	sqlite3_bind_int64(s, 3, p->at + window_s);
	sqlite3_bind_int64(s, 4, feed_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && c->n < MAX_CANDIDATES) {
		if (nodedupe_has(st, sqlite3_column_int64(s, 2)))
			continue;
		k = &c->c[c->n++];
		memset(k, 0, sizeof *k);
		k->id = sqlite3_column_int64(s, 0);
		k->story = sqlite3_column_int64(s, 1);
		k->by_url = 1;
	}
	stmt_done(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(st, "dedupe url find");
	return 0;
}

/* One lookup's state: what is left to read of each of S_BAND_FIND's 16
 * slots (key i before p's time in slot i, after it in slot 8 + i). */
struct band_lookup {
	const struct dedupe_print *p;
	const int64_t *keys;
	size_t n_keys;
	int64_t window_s, feed_id;
	int64_t left[2 * DEDUPE_MAX_KEYS];
};

/*
 * Reads one day of the band index for p's keys (S_BAND_FIND): at most
 * the budget left of each key and side, nearest in time first; rows of
 * feeds with dedupe off are dropped, rows near enough kept in c.
 */
static int band_day_read(struct store *st, struct band_lookup *l,
			 int64_t day, struct band_candidates *c)
{
	sqlite3_stmt *s = st->stmt[S_BAND_FIND];
	const struct dedupe_print *p = l->p;
	struct band_candidate k;
	int64_t slot;
	size_t i;
	int rc;

	/* Unused key slots stay NULL: no row. */
	for (i = 0; i < l->n_keys; i++)
		sqlite3_bind_int64(s, (int)i + 1, l->keys[i]);
	sqlite3_bind_int64(s, 9, day);
	sqlite3_bind_int64(s, 10, p->at - l->window_s);
	sqlite3_bind_int64(s, 11, p->at);
	sqlite3_bind_int64(s, 12, p->at + l->window_s);
	sqlite3_bind_int64(s, 13, l->feed_id);
	for (i = 0; i < 2 * DEDUPE_MAX_KEYS; i++)
		sqlite3_bind_int64(s, 14 + (int)i, l->left[i]);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		st->band_rows_read++;
		slot = sqlite3_column_int64(s, 0);
		if (slot >= 0 && slot < 2 * DEDUPE_MAX_KEYS && l->left[slot] > 0)
			l->left[slot]--;
		memset(&k, 0, sizeof k);
		k.id = sqlite3_column_int64(s, 1);
		if (nodedupe_has(st, sqlite3_column_int64(s, 2)) ||
		    candidate_index(c, k.id) < c->n)
			continue;
		k.title_simhash = (uint64_t)sqlite3_column_int64(s, 3);
		k.lead_simhash = (uint64_t)sqlite3_column_int64(s, 4);
		k.distance = candidate_distance(p, &k);
		if (k.distance <= MAX_DISTANCE)
			candidate_keep(c, &k);
	}
	stmt_done(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, "dedupe band find");
	return 0;
}

/* Whether any key still has rows to read on a side (0: before p's
 * time, 1: after it). */
static int budget_left(const struct band_lookup *l, int side)
{
	size_t i;

	for (i = 0; i < DEDUPE_MAX_KEYS; i++)
		if (l->left[side * DEDUPE_MAX_KEYS + i] > 0)
			return 1;
	return 0;
}

/* Reads a day off p's own, on one side of it: the other side's slots
 * get no budget for it and keep theirs. */
static int band_side_read(struct store *st, struct band_lookup *l,
			  int64_t day, int side, struct band_candidates *c)
{
	int64_t kept[DEDUPE_MAX_KEYS];
	int64_t *other = l->left + (1 - side) * DEDUPE_MAX_KEYS;
	int rc;

	memcpy(kept, other, sizeof kept);
	memset(other, 0, sizeof kept);
	rc = band_day_read(st, l, day, c);
	memcpy(other, kept, sizeof kept);
	return rc;
}

/*
 * Ring 3: the window's days nearest first — p's own day (both sides of
 * its time), then the day before and the day after, and so on — until
 * every key's rows on each side are read or their budget is spent.
 * Days after the newest band row or before the oldest are skipped
 * (band_day_max, band_day_min): a first poll reads one day, not three.
 */
static int candidates_by_band(struct store *st, struct band_lookup *l,
			      struct band_candidates *c)
{
	int64_t at = l->p->at, center = band_day(at),
		lo = band_day(at - l->window_s),
		hi = band_day(at + l->window_s), d;
	size_t i;
	int rc = 0;

	if (hi > st->band_day_max)
		hi = st->band_day_max;
	if (lo < st->band_day_min)
		lo = st->band_day_min;
	/* Nothing after p's time when p is the newest (a live poll). */
	for (i = 0; i < l->n_keys; i++) {
		l->left[i] = BAND_ROWS_PER_KEY;
		l->left[DEDUPE_MAX_KEYS + i] = at < st->band_at_max ?
					       BAND_ROWS_PER_KEY : 0;
	}
	if (center >= lo && center <= hi)
		rc = band_day_read(st, l, center, c);
	for (d = 1; rc == 0 && (center - d >= lo || center + d <= hi); d++) {
		if (center - d >= lo && budget_left(l, 0))
			rc = band_side_read(st, l, center - d, 0, c);
		if (rc == 0 && center + d <= hi && budget_left(l, 1))
			rc = band_side_read(st, l, center + d, 1, c);
	}
	return rc;
}

int band_candidates_find(struct store *st, int64_t feed_id,
			 const struct dedupe_print *p, int64_t window_s,
			 struct band_candidates *c)
{
	int64_t keys[DEDUPE_MAX_KEYS];
	struct band_lookup l = { p, keys, 0, window_s, feed_id, {0} };

	l.n_keys = dedupe_band_keys(p, keys);
	c->n = 0;
	if (nodedupe_load(st))
		return -1;
	if (p->canonical_url &&
	    candidates_by_url(st, feed_id, p, window_s, c))
		return -1;
	if (l.n_keys == 0 || c->n >= MAX_CANDIDATES)
		return 0;
	st->band_lookups++;
	return candidates_by_band(st, &l, c);
}

/* ---- indexing a new item ---- */

int band_index_add(struct store *st, int64_t feed_id, int64_t item_id,
		   const struct dedupe_print *p)
{
	int64_t keys[DEDUPE_MAX_KEYS];
	size_t n = dedupe_band_keys(p, keys), i;
	sqlite3_stmt *s = st->stmt[S_BAND_INSERT];

	if (n == 0)
		return 0;
	if (band_day(p->at) > st->band_day_max)
		st->band_day_max = band_day(p->at);
	if (band_day(p->at) < st->band_day_min)
		st->band_day_min = band_day(p->at);
	if (p->at > st->band_at_max)
		st->band_at_max = p->at;
	/* One statement for the item's rows; a slot left NULL is no row. */
	for (i = 0; i < n; i++)
		sqlite3_bind_int64(s, (int)i + 1, keys[i]);
	sqlite3_bind_int64(s, 9, band_day(p->at));
	sqlite3_bind_int64(s, 10, p->at);
	sqlite3_bind_int64(s, 11, item_id);
	sqlite3_bind_int64(s, 12, feed_id);
	sqlite3_bind_int64(s, 13, (int64_t)p->title_simhash);
	sqlite3_bind_int64(s, 14, (int64_t)p->lead_simhash);
	return stmt_run(st, s, "band insert");
}

uint64_t store_band_rows_read(const struct store *st)
{
	return st->band_rows_read;
}
