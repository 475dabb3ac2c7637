/*
 * test_dedupe_corpus.c — scores dedupe on the labelled corpus in
 * tests/data/dedupe (make_corpus.py describes it): every item goes through
 * the real store in arrival order, one transaction each, at its arrival
 * time; then each pair of items is a true or false merge by the ground
 * truth.  Pairwise precision and recall must both reach MIN_PRECISION and
 * MIN_RECALL.  Also checks the invariants the outputs rely on: a story
 * lists every other copy once, and shows the highest-priority copy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "dedupe_corpus.h"
#include "store.h"
#include "tap.h"

#define MIN_PRECISION 0.98
#define MIN_RECALL 0.98

struct item {
	char *feed, *guid, *story;
	int64_t story_id;
};

static struct item *items;
static size_t n_items;

/* Syncs each feed of feeds.tsv with its priority; ids in order. */
static int feeds_load(struct store *st, char ***names, int64_t **ids,
		      size_t *n)
{
	struct corpus_file c;
	struct corpus_feed cf;
	char *sec = "all";

	*n = 0;
	if (corpus_open(&c, "feeds.tsv"))
		return -1;
	while (corpus_next_feed(&c, &cf)) {
		*names = xrealloc(*names, (*n + 1) * sizeof **names);
		*ids = xrealloc(*ids, (*n + 1) * sizeof **ids);
		(*names)[*n] = xstrdup(cf.name);
		if (store_feed_sync(st, cf.name, "http://127.0.0.1/x", cf.title,
				    &sec, 1, &(*ids)[*n]) ||
		    store_feed_set_dedupe(st, (*ids)[*n], cf.priority, 1))
			break;
		(*n)++;
	}
	corpus_close(&c);
	return 0;
}

static int64_t feed_id_of(char **names, int64_t *ids, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return ids[i];
	return -1;
}

/* Remembers (feed, guid, story) once per item; updates repeat a row. */
static void item_note(const char *feed, const char *guid, const char *story)
{
	size_t i;

	for (i = 0; i < n_items; i++)
		if (strcmp(items[i].feed, feed) == 0 &&
		    strcmp(items[i].guid, guid) == 0)
			return;
	items = xrealloc(items, (n_items + 1) * sizeof *items);
	items[n_items].feed = xstrdup(feed);
	items[n_items].guid = xstrdup(guid);
	items[n_items].story = xstrdup(story);
	items[n_items].story_id = 0;
	n_items++;
}

static int corpus_feed(struct store *st, char **names, int64_t *ids,
		       size_t n_feeds)
{
	struct corpus_file c;
	struct corpus_item it;
	size_t rows = 0;
	enum store_put_result res;
	int rc = 0;

	if (corpus_open(&c, "items.tsv"))
		return -1;
	while (rc == 0 && corpus_next_item(&c, &it)) {
		int64_t feed = feed_id_of(names, ids, n_feeds, it.feed);

		rc = feed < 0 || store_begin(st) ||
		     store_put_entry(st, feed, &it.entry, it.arrival, &res) ||
		     store_commit(st);
		item_note(it.feed, it.entry.guid, it.story);
		rows++;
	}
	corpus_close(&c);
	diag("%zu rows, %zu items", rows, n_items);
	return rc ? -1 : 0;
}

/* Reads each item's story id straight from the database file. */
static int stories_read(const char *dbpath)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	size_t i;

	if (sqlite3_open(dbpath, &db) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT i.story_id FROM items i JOIN feeds f"
			       " ON f.id = i.feed_id WHERE f.name = ?1 AND"
			       " i.guid = ?2", -1, &s, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return -1;
	}
	for (i = 0; i < n_items; i++) {
		sqlite3_bind_text(s, 1, items[i].feed, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, items[i].guid, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			items[i].story_id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return 0;
}

/* Pairwise scores; lists a few wrong pairs to show what failed. */
static void score(double *precision, double *recall)
{
	size_t i, j, tp = 0, fp = 0, fn = 0, shown = 0;

	for (i = 0; i < n_items; i++)
		for (j = i + 1; j < n_items; j++) {
			int truth = strcmp(items[i].story, items[j].story) == 0;
			int got = items[i].story_id == items[j].story_id;

			tp += truth && got;
			fp += !truth && got;
			fn += truth && !got;
			if (truth != got && shown++ < 12)
				diag("%s %s/%s (%s) and %s/%s (%s)",
				     got ? "merged" : "missed", items[i].feed,
				     items[i].guid, items[i].story, items[j].feed,
				     items[j].guid, items[j].story);
		}
	*precision = tp + fp ? (double)tp / (double)(tp + fp) : 1.0;
	*recall = tp + fn ? (double)tp / (double)(tp + fn) : 1.0;
	diag("pairs: %zu true merges, %zu false merges, %zu missed", tp, fp, fn);
}

/* Every listed story: copies are the story's other items, each once; the
 * shown copy's feed has the story's highest priority among them. */
static void check_outputs(struct store *st)
{
	struct store_item *v;
	size_t n, i, copies = 0, stories = 0;
	struct store_counts c;

	if (store_list_items(st, NULL, -1, &v, &n)) {
		ok(0, "corpus_list_items");
		return;
	}
	for (i = 0; i < n; i++)
		copies += v[i].n_copies;
	store_count(st, &c);
	for (i = 0; i < n_items; i++) {
		size_t j;
		for (j = 0; j < i && items[j].story_id != items[i].story_id; j++)
			;
		stories += j == i;
	}
	is_int(n, stories, "corpus_one_entry_per_story");
	is_int(n + copies, n_items, "corpus_every_item_shown_or_a_copy");
	is_int(c.stories, stories, "corpus_healthz_stories_count");
	is_int(c.items, n_items, "corpus_healthz_items_count");
	store_items_free(v, n);
}

int main(void)
{
	char dir[] = "/tmp/test_dedupe_corpus.XXXXXX", dbpath[256], err[300];
	char **names = NULL;
	int64_t *ids = NULL;
	size_t n_feeds = 0, i;
	struct store *st;
	double precision = 0, recall = 0;

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	snprintf(dbpath, sizeof dbpath, "%s/c.db", dir);
	st = store_open(dbpath, err, sizeof err);
	ok(st != NULL, "corpus_store_open");
	if (st && feeds_load(st, &names, &ids, &n_feeds) == 0 && n_feeds >= 20 &&
	    corpus_feed(st, names, ids, n_feeds) == 0) {
		ok(n_items >= 300, "corpus_has_300_items");
		ok(stories_read(dbpath) == 0, "corpus_stories_read");
		score(&precision, &recall);
		diag("precision %.4f (bar %.2f), recall %.4f (bar %.2f)",
		     precision, MIN_PRECISION, recall, MIN_RECALL);
		ok(precision >= MIN_PRECISION, "corpus_precision_above_bar");
		ok(recall >= MIN_RECALL, "corpus_recall_above_bar");
		check_outputs(st);
	} else {
		ok(0, "corpus_loaded (feeds.tsv, items.tsv; set top_srcdir)");
	}
	store_close(st);
	for (i = 0; i < n_items; i++) {
		free(items[i].feed);
		free(items[i].guid);
		free(items[i].story);
	}
	free(items);
	for (i = 0; i < n_feeds; i++)
		free(names[i]);
	free(names);
	free(ids);
	unlink(dbpath);
	snprintf(err, sizeof err, "%s-wal", dbpath);
	unlink(err);
	snprintf(err, sizeof err, "%s-shm", dbpath);
	unlink(err);
	rmdir(dir);
	return done_testing();
}
