/*
 * test_store_band.c — the candidate lookup and the band index
 * (store_band.c): a band key holding thousands of rows still finds the
 * copy nearest in time, on either side of the new item's time, and the
 * rows read stay under the bound; an item's band rows (8, 4 or none);
 * feeds with dedupe = no are left out,
 * also when the change comes or is rolled back after the set was read;
 * a row sharing a band key but more than SIMHASH_BANDS - 1 bits off is
 * no candidate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "dedupe.h"
#include "store.h"
#include "store_int.h"
#include "tap.h"

#define T0 1775200000
/* Rows of other items under each of the copy's band keys. */
#define CROWD 3000
/* The most rows one lookup reads (store_band.c): 8 keys, 2 sides. */
#define LOOKUP_BOUND (2 * DEDUPE_MAX_KEYS * BAND_ROWS_PER_KEY)

static char tmpdir[] = "/tmp/test_store_band.XXXXXX";
static int serial;

static const char *TITLE = "State Council approves rural railway rules";
static const char *LEAD =
	"BEIJING, April 3 (Xinhua) -- China's State Council on Friday approved "
	"new rules on rural railway lines that take effect next month, officials "
	"said, after weeks of negotiations between ministries and industry groups.";
static const char *LEAD_COPY =
	"China's State Council on Friday approved new rules on rural railway "
	"lines that take effect next month, officials said, after weeks of "
	"negotiations between ministries and industry groups.";

static struct store *open_new(void)
{
	char path[256], err[256];
	struct store *st;

	snprintf(path, sizeof path, "%s/s%d.db", tmpdir, ++serial);
	st = store_open(path, err, sizeof err);
	if (!st)
		diag("store_open: %s", err);
	return st;
}

static int64_t feed(struct store *st, const char *name, int dedupe)
{
	char *sec = "news";
	int64_t id = -1;

	if (store_feed_sync(st, name, "http://127.0.0.1/f", name, &sec, 1, &id) ||
	    store_feed_set_dedupe(st, id, 0, dedupe))
		return -1;
	return id;
}

static void entry_of(struct entry *e, const char *guid, const char *title,
		     const char *lead, int64_t published)
{
	memset(e, 0, sizeof *e);
	e->guid = (char *)guid;
	e->link = NULL;
	e->title = (char *)title;
	e->summary = (char *)lead;
	e->published = published;
	e->updated = ENTRY_NO_DATE;
}

static int64_t query_int(struct store *st, const char *sql, int64_t a)
{
	sqlite3_stmt *s;
	int64_t v = -1;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(s, 1, a);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The id of feed_id's item with guid, -1 if none. */
static int64_t item_id_of(struct store *st, int64_t feed_id, const char *guid)
{
	sqlite3_stmt *s;
	int64_t v = -1;

	if (sqlite3_prepare_v2(st->db, "SELECT id FROM items WHERE feed_id = ?1"
			       " AND guid = ?2", -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(s, 1, feed_id);
	sqlite3_bind_text(s, 2, guid, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Stores one entry in its own transaction; its item id in *id. */
static int put(struct store *st, int64_t feed_id, const struct entry *e,
	       int64_t now, int64_t *id)
{
	enum store_put_result res;

	if (store_begin(st) || store_put_entry(st, feed_id, e, now, &res) ||
	    store_commit(st))
		return -1;
	*id = item_id_of(st, feed_id, e->guid);
	return *id > 0 ? 0 : -1;
}

static int64_t story_of(struct store *st, int64_t item)
{
	return query_int(st, "SELECT story_id FROM items WHERE id = ?1", item);
}

/*
 * CROWD items of feed_id under every band key of e (as stored at now),
 * at times start, start + step, ...: SimHashes far from e's (a popular
 * band value, shared by unrelated texts).  Written with SQL, as the
 * store writes them.
 */
static int crowd(struct store *st, int64_t feed_id, const struct entry *e,
		 int64_t now, int64_t start, int64_t step)
{
	struct dedupe_print p;
	int64_t keys[DEDUPE_MAX_KEYS], at, id;
	sqlite3_stmt *item = NULL, *band = NULL;
	size_t n, k;
	int i, rc = 0;
	char key[32];

	dedupe_print_make(e, now, &p);
	n = dedupe_band_keys(&p, keys);
	if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->db, "INSERT INTO items(feed_id, item_key,"
			       " first_seen, changed_at, dedupe_at)"
			       " VALUES(?1, ?2, ?3, ?3, ?3)", -1, &item,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->db, "INSERT INTO item_bands(day, band, at,"
			       " item_id, feed_id, simhash_title, simhash_lead)"
			       " VALUES(?1 / 86400, ?2, ?1, ?3, ?4, ?5, ?6)",
			       -1, &band, NULL) != SQLITE_OK)
		rc = -1;
	for (i = 0; rc == 0 && i < CROWD; i++) {
		at = start + i * step;
		snprintf(key, sizeof key, "crowd-%d", i);
		sqlite3_bind_int64(item, 1, feed_id);
		sqlite3_bind_text(item, 2, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(item, 3, at);
		rc = sqlite3_step(item) == SQLITE_DONE ? 0 : -1;
		sqlite3_reset(item);
		id = sqlite3_last_insert_rowid(st->db);
		for (k = 0; rc == 0 && k < n; k++) {
			sqlite3_bind_int64(band, 1, at);
			sqlite3_bind_int64(band, 2, keys[k]);
			sqlite3_bind_int64(band, 3, id);
			sqlite3_bind_int64(band, 4, feed_id);
			sqlite3_bind_int64(band, 5, (int64_t)~p.title_simhash);
			sqlite3_bind_int64(band, 6, (int64_t)~p.lead_simhash);
			rc = sqlite3_step(band) == SQLITE_DONE ? 0 : -1;
			sqlite3_reset(band);
		}
	}
	if (rc)
		diag("crowd: %s", sqlite3_errmsg(st->db));
	sqlite3_finalize(item);
	sqlite3_finalize(band);
	sqlite3_exec(st->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	dedupe_print_clear(&p);
	return rc;
}

/*
 * The original, its copy and a crowd of CROWD unrelated items under all
 * their band keys, the crowd on the side of the copy's time where the
 * original is (before it: side 0; after it: side 1) and farther away:
 * reading the index in key order with a row cap (the old lookup) met
 * only crowd rows; the nearest-first, per-key bound meets the original.
 */
static void test_crowded_key_finds_nearest(int side)
{
	struct store *st = open_new();
	struct entry orig, copy;
	int64_t a = feed(st, "agency", 1), b = feed(st, "paper", 1),
		c = feed(st, "crowd", 1), id_a = -1, id_b = -1;
	int64_t t_orig = T0, t_copy = side ? T0 - 600 : T0 + 600;
	uint64_t before;
	char name[96];

	const char *where = side ? "after" : "before";
	uint64_t read;

	entry_of(&orig, "orig", TITLE, LEAD, t_orig);
	entry_of(&copy, "copy", TITLE, LEAD_COPY, t_copy);
	/* The crowd: before the original (side 0), or after it (side 1). */
	snprintf(name, sizeof name, "crowd_%s_written", where);
	ok(crowd(st, c, &orig, T0 + 60, side ? T0 + 1 : T0 - 8 * CROWD - 100,
		 side ? 1 : 8) == 0, name);
	snprintf(name, sizeof name, "crowd_%s_original_stored", where);
	ok(put(st, a, &orig, T0 + 60, &id_a) == 0, name);
	before = store_band_rows_read(st);
	snprintf(name, sizeof name, "crowd_%s_copy_stored", where);
	ok(put(st, b, &copy, T0 + 120, &id_b) == 0, name);
	read = store_band_rows_read(st) - before;
	snprintf(name, sizeof name, "crowded_key_%s_still_finds_the_copy",
		 where);
	ok(story_of(st, id_b) == story_of(st, id_a) && story_of(st, id_a) > 0,
	   name);
	if (story_of(st, id_b) != story_of(st, id_a))
		diag("expected story %lld, got %lld",
		     (long long)story_of(st, id_a), (long long)story_of(st, id_b));
	snprintf(name, sizeof name, "crowded_key_%s_rows_read_within_bound",
		 where);
	ok(read > 0 && read <= LOOKUP_BOUND, name);
	if (read == 0 || read > LOOKUP_BOUND)
		diag("expected 1 .. %d rows read, got %llu (%d per key)",
		     LOOKUP_BOUND, (unsigned long long)read, CROWD);
	store_close(st);
}

/*
 * Rows under p's band keys for one item of feed_id at `at` whose
 * headline SimHash is p's with the low `bits` bits of its first band
 * flipped (the other bands equal: the keys still meet) and whose lead
 * SimHash is p's inverted (64 bits off).  The item's id.
 */
static int64_t near_item(struct store *st, int64_t feed_id,
			 const struct dedupe_print *p, int64_t at, int bits)
{
	int64_t keys[DEDUPE_MAX_KEYS], id = -1;
	uint64_t title = p->title_simhash ^ ((1ULL << bits) - 1);
	size_t n = dedupe_band_keys(p, keys), k;
	char sql[512];

	snprintf(sql, sizeof sql, "INSERT INTO items(feed_id, item_key,"
		 " first_seen, changed_at, dedupe_at) VALUES(%lld, 'near-%d',"
		 " %lld, %lld, %lld)", (long long)feed_id, bits, (long long)at,
		 (long long)at, (long long)at);
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	id = sqlite3_last_insert_rowid(st->db);
	for (k = 0; k < n; k++) {
		snprintf(sql, sizeof sql, "INSERT INTO item_bands(day, band,"
			 " at, item_id, feed_id, simhash_title, simhash_lead)"
			 " VALUES(%lld, %lld, %lld, %lld, %lld, %lld, %lld)",
			 (long long)(at / 86400), (long long)keys[k],
			 (long long)at, (long long)id, (long long)feed_id,
			 (long long)title, (long long)~p->lead_simhash);
		if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
			return -1;
	}
	return id;
}

static int has_candidate(const struct band_candidates *c, int64_t id)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->c[i].id == id)
			return 1;
	return 0;
}

/*
 * The band keys promise to find fingerprints within SIMHASH_BANDS - 1
 * bits; a row sharing a band key but farther off is no candidate (it
 * would cost a comparison, most often with a print rebuilt from text).
 */
static void test_far_band_rows_dropped(void)
{
	struct store *st = open_new();
	struct band_candidates *c = calloc(1, sizeof *c);
	struct dedupe_print p;
	struct entry e;
	int64_t a = feed(st, "agency", 1), b = feed(st, "paper", 1);
	int64_t near, far;

	entry_of(&e, "new", TITLE, LEAD, T0);
	dedupe_print_make(&e, T0, &p);
	near = near_item(st, a, &p, T0 - 60, SIMHASH_BANDS - 1);
	far = near_item(st, a, &p, T0 - 30, SIMHASH_BANDS);
	/* What store_open read of the index before these rows. */
	st->band_day_min = T0 / 86400 - 1;
	st->band_day_max = T0 / 86400 + 1;
	st->band_at_max = T0 + 86400;
	ok(near > 0 && far > 0 &&
	   band_candidates_find(st, b, &p, DEDUPE_DEFAULT_WINDOW_S, c) == 0,
	   "far_rows_lookup_runs");
	ok(has_candidate(c, near), "band_row_within_3_bits_is_a_candidate");
	ok(!has_candidate(c, far), "band_row_4_bits_off_is_no_candidate");
	if (has_candidate(c, far))
		diag("item %lld, %d bits off, kept among %zu candidates",
		     (long long)far, SIMHASH_BANDS, c->n);
	dedupe_print_clear(&p);
	free(c);
	store_close(st);
}

/* An item's band rows: 8 with a headline and a lead, 4 with only a
 * lead long enough, none when both are too short. */
static void test_band_rows_per_item(void)
{
	struct store *st = open_new();
	struct entry e;
	int64_t a = feed(st, "agency", 1), id = -1;
	const char *sql = "SELECT count(*) FROM item_bands WHERE item_id = ?1";

	entry_of(&e, "full", TITLE, LEAD, T0);
	ok(put(st, a, &e, T0 + 60, &id) == 0 &&
	   query_int(st, sql, id) == DEDUPE_MAX_KEYS,
	   "band_rows_headline_and_lead_8");
	entry_of(&e, "lead", "Update", LEAD_COPY, T0);
	ok(put(st, a, &e, T0 + 60, &id) == 0 &&
	   query_int(st, sql, id) == SIMHASH_BANDS,
	   "band_rows_lead_only_4");
	entry_of(&e, "short", "Hi", "Short.", T0);
	ok(put(st, a, &e, T0 + 60, &id) == 0 && query_int(st, sql, id) == 0,
	   "band_rows_short_texts_none");
	store_close(st);
}

/* A feed switched to dedupe = no after its item was indexed: its rows
 * are no candidates; a switch rolled back leaves it a candidate. */
static void test_dedupe_off_after_indexing(void)
{
	struct store *st = open_new();
	struct entry orig, copy;
	enum store_put_result res;
	int64_t a = feed(st, "agency", 1), b = feed(st, "paper", 1),
		id_a = -1, id_b = -1;

	entry_of(&orig, "orig", TITLE, LEAD, T0);
	ok(put(st, a, &orig, T0 + 60, &id_a) == 0, "dedupe_off_original_stored");
	/* A switch undone by a rollback after a lookup read the set. */
	entry_of(&copy, "other", "Weather in Beijing today and tomorrow",
		 NULL, T0);
	ok(store_begin(st) == 0 && store_feed_set_dedupe(st, a, 0, 0) == 0 &&
	   store_put_entry(st, b, &copy, T0 + 60, &res) == 0 &&
	   store_rollback(st) == 0, "dedupe_off_switch_rolled_back");
	entry_of(&copy, "copy", TITLE, LEAD_COPY, T0 + 60);
	ok(put(st, b, &copy, T0 + 120, &id_b) == 0 &&
	   story_of(st, id_b) == story_of(st, id_a),
	   "dedupe_off_rolled_back_feed_still_joins");
	/* Now for good: a later copy in a third feed stays apart. */
	ok(store_feed_set_dedupe(st, a, 0, 0) == 0 &&
	   store_feed_set_dedupe(st, b, 0, 0) == 0, "dedupe_off_switched");
	entry_of(&copy, "copy3", TITLE, LEAD_COPY, T0 + 90);
	ok(put(st, feed(st, "third", 1), &copy, T0 + 180, &id_b) == 0 &&
	   story_of(st, id_b) != story_of(st, id_a),
	   "dedupe_off_old_rows_no_candidates");
	store_close(st);
}

/* The lookup reads each key's rows in index order, no sort. */
static void test_band_find_plan(void)
{
	struct store *st = open_new();
	sqlite3_stmt *s;
	char sql[64 * 1024];
	int searches = 0, temp = 0;

	snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s",
		 sqlite3_sql(st->stmt[S_BAND_FIND]));
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *d = (const char *)sqlite3_column_text(s, 3);

			searches += d && strstr(d, "SEARCH item_bands USING"
						" PRIMARY KEY (day=? AND band=?"
						" AND at>? AND at<?)") != NULL;
			temp += d && strstr(d, "TEMP B-TREE") != NULL;
		}
		sqlite3_finalize(s);
	}
	ok(searches == 2 * DEDUPE_MAX_KEYS, "band_find_searches_each_key_side");
	if (searches != 2 * DEDUPE_MAX_KEYS)
		diag("expected %d searches, got %d", 2 * DEDUPE_MAX_KEYS,
		     searches);
	ok(temp == 0, "band_find_sorts_nothing");
	store_close(st);
}

int main(void)
{
	char cmd[300];

	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	test_crowded_key_finds_nearest(0);
	test_crowded_key_finds_nearest(1);
	test_band_rows_per_item();
	test_dedupe_off_after_indexing();
	test_band_find_plan();
	test_far_band_rows_dropped();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("could not remove %s", tmpdir);
	return done_testing();
}
