/*
 * dedupe_bench.c — the cost of deciding the story of a new item (dedupe:
 * URL ring, band lookup, candidate checks, the item's row and band index
 * writes, the commits) as the store grows.  Usage: dedupe_bench N [N...]
 *
 * For each N: a fresh store in a temp dir holds N items from 20 feeds,
 * arriving at 10,000 items a day (so 1M items span 100 days, as a busy
 * instance would keep them).  All but the newest 64 are written straight
 * with SQL in one transaction, rows as store_put_entry() writes them
 * (item, story, canonical URL, fingerprints, the 8 band keys of random
 * SimHashes, which distinct texts give), with the secondary indexes
 * dropped during the fill and created again after it (the same schema and
 * rows; 1M random index inserts took most of the fill): going through
 * the real path, 1M items took longer than make bench has.  The newest 64
 * go through store_put_entry() with real text, to be copied.  Then rounds
 * of 1,000 new items (one in ten a copy of one of those 64 from another
 * feed) are stored through store_put_entry() in 20 transactions of 50,
 * like 20 polls.  Printed: the fill's time, the database's size, and the
 * CPU time (user + system, what compares on a shared machine) per new
 * item, best and median of the rounds.  Flat µs/item across N means a new
 * item's work does not grow with the store: it reads only the band keys
 * of the days within the time window (store_story.c); its row, story,
 * items_story and item_bands_item entries go to the ends of b-trees keyed
 * by id or time, its 8 band rows into its own day's part of item_bands.
 * Two indexes are still keyed by random values over all history: items
 * (feed_id, item_key), read and written once per new item, and
 * items_canonical_url, read and written once: one leaf page each, found
 * through upper levels that stay cached (depth grows as log N).
 * The store's page cache is the daemon's default (cache_size);
 * DEDUPE_BENCH_CACHE=BYTES sets another.
 * DEDUPE_BENCH_ROUNDS=R sets the rounds (5); "N filled" on stderr says
 * when a profiler can attach to time the rounds alone.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "simhash.h"
#include "store.h"

#define T0 1700000000
#define ITEMS_PER_DAY 10000
#define N_FEEDS 20
/* New items per round, and rounds: each round's time is taken apart, the
 * best and the median printed (a shared machine's noise is one-sided).
 * DEDUPE_BENCH_ROUNDS overrides the rounds (profiling wants more). */
#define N_NEW 1000
#define ROUNDS_DEFAULT 5
#define ROUNDS_MAX 100
static size_t rounds = ROUNDS_DEFAULT;
/* The daemon's page cache (feedmux.conf(5) cache_size); DEDUPE_BENCH_CACHE
 * sets another, in bytes. */
static int64_t cache_size = STORE_DEFAULT_CACHE_SIZE;
#define VOCABULARY 6000

static uint64_t rng = 88172645463325252ULL;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* n pseudo-words ("w1234") from a fixed vocabulary; caller frees. */
static char *words(int n)
{
	struct buf b = {0};
	int i;

	for (i = 0; i < n; i++)
		buf_printf(&b, "%sw%" PRIu64, i ? " " : "", next_rand() % VOCABULARY);
	return buf_steal(&b);
}

static double clock_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wall time, and this process's CPU time (user + system): on a busy
 * machine the CPU time is the figure that compares. */
struct stopwatch {
	double wall, cpu;
};

static struct stopwatch stopwatch_now(void)
{
	struct stopwatch w = { clock_s(CLOCK_MONOTONIC),
			       clock_s(CLOCK_PROCESS_CPUTIME_ID) };
	return w;
}

static struct stopwatch stopwatch_since(struct stopwatch t0)
{
	struct stopwatch w = stopwatch_now();

	w.wall -= t0.wall;
	w.cpu -= t0.cpu;
	return w;
}

struct synth {
	char guid[32], link[96];
	char *title, *lead;
	int64_t at;
};

static void synth_make(struct synth *s, size_t i, int64_t at)
{
	snprintf(s->guid, sizeof s->guid, "g%zu", i);
	snprintf(s->link, sizeof s->link, "https://site%zu.example/story/%zu",
		 i % N_FEEDS, i);
	s->title = words(9);
	s->lead = words(35);
	s->at = at;
}

static int put(struct store *st, int64_t feed, const struct synth *s)
{
	struct entry e = {0};
	enum store_put_result res;

	e.guid = (char *)s->guid;
	e.link = (char *)s->link;
	e.title = s->title;
	e.summary = s->lead;
	e.published = s->at;
	e.updated = ENTRY_NO_DATE;
	return store_put_entry(st, feed, &e, s->at, &res);
}

static int exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
		return 0;
	fprintf(stderr, "dedupe_bench: %s: %s\n", sql, err ? err : "?");
	sqlite3_free(err);
	return -1;
}

/* Statements of bulk_fill(), in the order of the enum. */
enum { B_ITEM, B_STORY, B_BAND, B_COUNT };
static const char *const bulk_sql[B_COUNT] = {
	"INSERT INTO items(id, feed_id, item_key, guid, link, title,"
	" published, first_seen, last_seen, changed_at, content_hash,"
	" story_id, canonical_url, dedupe_at, simhash_title, simhash_lead)"
	" VALUES(?1, ?2, ?3, ?3, ?4, ?5, ?6, ?6, ?6, ?6, '0', ?1, ?4, ?6,"
	" ?7, ?8)",
	"INSERT INTO stories(id, first_seen, sort_date, primary_item_id,"
	" shown) VALUES(?1, ?2, ?2, ?1, 1)",
	"INSERT INTO item_bands(day, band, at, item_id, feed_id, simhash_title,"
	" simhash_lead) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
};

/* A band row of the bulk part, held until its day is complete. */
struct band_row {
	int64_t day, band, at, id, feed;
	uint64_t th, lh;
};
struct band_rows {
	struct band_row *v;	/* owned */
	size_t n, cap;
};

static int band_row_cmp(const void *a, const void *b)
{
	const struct band_row *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->band != y->band)
		return x->band < y->band ? -1 : 1;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* Inserts the held rows in key order (appends to the b-tree: the fill of
 * 1M items took minutes with the rows in arrival order). */
static int band_rows_flush(sqlite3_stmt *s, struct band_rows *r)
{
	const struct band_row *w;
	size_t i;
	int rc = 0;

	qsort(r->v, r->n, sizeof *r->v, band_row_cmp);
	for (i = 0; i < r->n; i++) {
		w = &r->v[i];
		sqlite3_bind_int64(s, 1, w->day);
		sqlite3_bind_int64(s, 2, w->band);
		sqlite3_bind_int64(s, 3, w->at);
		sqlite3_bind_int64(s, 4, w->id);
		sqlite3_bind_int64(s, 5, w->feed);
		sqlite3_bind_int64(s, 6, (int64_t)w->th);
		sqlite3_bind_int64(s, 7, (int64_t)w->lh);
		rc |= sqlite3_step(s) != SQLITE_DONE;
		sqlite3_reset(s);
	}
	r->n = 0;
	return rc ? -1 : 0;
}

/* Item i (id i + 1) of the bulk part, as the store would have written it;
 * its band rows go to r. */
static int bulk_row(sqlite3_stmt **b, struct band_rows *r,
		    const int64_t *feeds, size_t i, int64_t at)
{
	struct synth s;
	int64_t id = (int64_t)i + 1, keys[2 * SIMHASH_BANDS];
	uint64_t th = next_rand(), lh = next_rand();
	char title[32];
	int k, rc = 0;

	snprintf(s.guid, sizeof s.guid, "g%zu", i);
	snprintf(s.link, sizeof s.link, "https://site%zu.example/story/%zu",
		 i % N_FEEDS, i);
	snprintf(title, sizeof title, "t%zu", i);
	sqlite3_bind_int64(b[B_ITEM], 1, id);
	sqlite3_bind_int64(b[B_ITEM], 2, feeds[i % N_FEEDS]);
	sqlite3_bind_text(b[B_ITEM], 3, s.guid, -1, SQLITE_STATIC);
	sqlite3_bind_text(b[B_ITEM], 4, s.link, -1, SQLITE_STATIC);
	sqlite3_bind_text(b[B_ITEM], 5, title, -1, SQLITE_STATIC);
	sqlite3_bind_int64(b[B_ITEM], 6, at);
	sqlite3_bind_int64(b[B_ITEM], 7, (int64_t)th);
	sqlite3_bind_int64(b[B_ITEM], 8, (int64_t)lh);
	sqlite3_bind_int64(b[B_STORY], 1, id);
	sqlite3_bind_int64(b[B_STORY], 2, at);
	rc |= sqlite3_step(b[B_ITEM]) != SQLITE_DONE;
	rc |= sqlite3_step(b[B_STORY]) != SQLITE_DONE;
	sqlite3_reset(b[B_ITEM]);
	sqlite3_reset(b[B_STORY]);
	simhash_bands(th, 1, keys);
	simhash_bands(lh, 2, keys + SIMHASH_BANDS);
	for (k = 0; k < 2 * SIMHASH_BANDS; k++) {
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 4096;
			r->v = xrealloc(r->v, r->cap * sizeof *r->v);
		}
		r->v[r->n++] = (struct band_row){ at / 86400, keys[k], at, id,
						  feeds[i % N_FEEDS], th, lh };
	}
	return rc ? -1 : 0;
}

/* The named indexes of the tables the fill writes, as CREATE statements
 * (caller frees with sqlite3_free); NULL-terminated. */
static char **indexes_save(sqlite3 *db)
{
	sqlite3_stmt *s;
	char **v = NULL;
	size_t n = 0;

	if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE"
			       " type = 'index' AND sql IS NOT NULL AND"
			       " tbl_name IN ('items', 'stories', 'item_bands')",
			       -1, &s, NULL))
		return NULL;
	v = xcalloc(1, sizeof *v);
	while (sqlite3_step(s) == SQLITE_ROW) {
		v = xrealloc(v, (n + 2) * sizeof *v);
		v[n++] = sqlite3_mprintf("%s", sqlite3_column_text(s, 0));
		v[n] = NULL;
	}
	sqlite3_finalize(s);
	return v;
}

/* Drops the saved indexes (when drop) or creates them again: building an
 * index once from sorted rows is far cheaper than 1M random inserts, and
 * gives the same rows in the same schema. */
static int indexes_apply(sqlite3 *db, char **v, int drop)
{
	char *sql, *name, *end;
	size_t i;
	int rc = 0;

	for (i = 0; v && v[i] && rc == 0; i++) {
		if (!drop) {
			rc = exec(db, v[i]);
			continue;
		}
		/* "CREATE INDEX name ON ..." */
		name = strstr(v[i], "INDEX ") + 6;
		end = strchr(name, ' ');
		sql = sqlite3_mprintf("DROP INDEX %.*s", (int)(end - name), name);
		rc = exec(db, sql);
		sqlite3_free(sql);
	}
	return rc;
}

static void indexes_free(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		sqlite3_free(v[i]);
	free(v);
}

/* Items 0 .. count-1 over [T0, T0 + span), written with SQL. */
static int bulk_fill(const char *path, const int64_t *feeds, size_t n,
		     size_t count, int64_t span)
{
	sqlite3_stmt *b[B_COUNT] = {0};
	struct band_rows r = {0};
	char **indexes = NULL;	/* owned: the CREATE INDEX statements */
	int64_t at, day = 0;
	sqlite3 *db;
	size_t i;
	int k, rc = -1;

	/* Scratch data: no journal, and a page cache that holds it all, so
	 * the fill costs CPU, not I/O (store_open puts WAL back). */
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
		 " PRAGMA cache_size = -1000000; BEGIN"))
		goto out;
	indexes = indexes_save(db);
	if (!indexes || indexes_apply(db, indexes, 1))
		goto out;
	for (k = 0; k < B_COUNT; k++)
		if (sqlite3_prepare_v2(db, bulk_sql[k], -1, &b[k], NULL)) {
			fprintf(stderr, "dedupe_bench: %s\n", sqlite3_errmsg(db));
			goto out;
		}
	for (i = 0; i < count; i++) {
		at = T0 + (int64_t)i * span / (int64_t)n;
		if ((at / 86400 != day && band_rows_flush(b[B_BAND], &r)) ||
		    bulk_row(b, &r, feeds, i, at)) {
			fprintf(stderr, "dedupe_bench: row %zu: %s\n", i,
				sqlite3_errmsg(db));
			goto out;
		}
		day = at / 86400;
	}
	if (band_rows_flush(b[B_BAND], &r) == 0 &&
	    indexes_apply(db, indexes, 0) == 0)
		rc = exec(db, "COMMIT");
out:
	indexes_free(indexes);
	free(r.v);
	for (k = 0; k < B_COUNT; k++)
		sqlite3_finalize(b[k]);
	sqlite3_close(db);
	return rc;
}

/* N_NEW new items, from index `first` on, at 60 s steps from `at`: one in
 * ten a copy of one of the recent 64 from another feed, stored in 20
 * transactions of 50 like 20 polls; *us the CPU µs per item. */
static int round_run(struct store *st, const int64_t *feeds,
		     const struct synth *recent, size_t first, int64_t at,
		     double *us)
{
	struct stopwatch t0 = stopwatch_now();
	struct synth s;
	size_t k;
	int rc;

	for (k = 0; k < N_NEW; k++) {
		if (k % 50 == 0 && store_begin(st))
			return -1;
		synth_make(&s, first + k, at + (int64_t)k * 60);
		if (k % 10 == 0) {	/* a copy of a recent story */
			free(s.title);
			free(s.lead);
			s.title = xstrdup(recent[k % 64].title);
			s.lead = xstrdup(recent[k % 64].lead);
		}
		rc = put(st, feeds[(k + 7) % N_FEEDS], &s);
		free(s.title);
		free(s.lead);
		if (rc || (k % 50 == 49 && store_commit(st)))
			return -1;
	}
	*us = stopwatch_since(t0).cpu * 1e6 / N_NEW;
	return 0;
}

static int double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* "D MB db" for the file at path (the WAL is checkpointed at close). */
static const char *size_say(const char *path, char *out, size_t len)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		snprintf(out, len, "size ?");
	else
		snprintf(out, len, "%.0f MB db", (double)sb.st_size / 1e6);
	return out;
}

static int run(size_t n)
{
	char dir[] = "/tmp/dedupe_bench.XXXXXX", path[256], err[256], cmd[300];
	int64_t feeds[N_FEEDS], span = (int64_t)n * 86400 / ITEMS_PER_DAY;
	struct synth recent[64], s;
	struct store *st;
	struct stopwatch t0, fill;
	double per_item[ROUNDS_MAX];
	char size[64];
	size_t i, r;
	char name[16], *sec = "all";
	int rc = -1;

	memset(recent, 0, sizeof recent);
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/bench.db", dir);
	st = store_open(path, err, sizeof err);
	if (!st) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	for (i = 0; i < N_FEEDS; i++) {
		snprintf(name, sizeof name, "feed%zu", i);
		if (store_feed_sync(st, name, "http://127.0.0.1/f", NULL, &sec, 1,
				    &feeds[i]))
			goto out;
	}
	/* The bulk rows go in through a connection of their own while the
	 * store is closed, then the store is opened again on them. */
	store_close(st);
	st = NULL;
	t0 = stopwatch_now();
	if (bulk_fill(path, feeds, n, n - 64, span))
		goto out;
	st = store_open(path, err, sizeof err);
	if (st)
		store_set_cache_size(st, cache_size);
	if (!st || store_begin(st)) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	for (i = n - 64; i < n; i++) {
		synth_make(&s, i, T0 + (int64_t)i * span / (int64_t)n);
		if (put(st, feeds[i % N_FEEDS], &s))
			goto out;
		recent[i + 64 - n] = s;	/* the newest, for copies */
	}
	if (store_commit(st))
		goto out;
	fill = stopwatch_since(t0);
	/* A profiler can attach now (perf record -p) to see only the rest. */
	fprintf(stderr, "dedupe_bench: %zu filled\n", n);

	for (r = 0; r < rounds; r++)
		if (round_run(st, feeds, recent, n + r * N_NEW, T0 + span +
			      (int64_t)(r * N_NEW) * 60, &per_item[r]))
			goto out;
	qsort(per_item, rounds, sizeof per_item[0], double_cmp);
	printf("%8zu stored items: fill %6.1f s cpu (%6.1f s wall), %s;"
	       " %zu x %d new items: best %6.1f, median %6.1f us/item cpu\n",
	       n, fill.cpu, fill.wall, size_say(path, size, sizeof size),
	       rounds, N_NEW, per_item[0], per_item[rounds / 2]);
	fflush(stdout);
	rc = 0;
out:
	for (i = 0; i < 64 && n >= 64; i++) {
		free(recent[i].title);
		free(recent[i].lead);
	}
	store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return rc;
}

int main(int argc, char **argv)
{
	int i;

	if (getenv("DEDUPE_BENCH_ROUNDS"))
		rounds = strtoul(getenv("DEDUPE_BENCH_ROUNDS"), NULL, 10);
	if (getenv("DEDUPE_BENCH_CACHE"))
		cache_size = strtoll(getenv("DEDUPE_BENCH_CACHE"), NULL, 10);
	if (argc < 2 || rounds == 0 || rounds > ROUNDS_MAX) {
		fprintf(stderr, "usage: dedupe_bench N [N...]\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		size_t n = strtoul(argv[i], NULL, 10);

		if (n < 64 || run(n) != 0) {
			fprintf(stderr, "dedupe_bench: N=%s failed (N >= 64)\n", argv[i]);
			return 1;
		}
	}
	return 0;
}
