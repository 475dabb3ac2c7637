/*
 * test_store_story.c — stories in the store (store_story.c): a copy in
 * another feed joins the story, the shown copy (priority, then earliest,
 * stable once listed), per-feed dedupe = no, copies for the outputs and
 * Atom's rel="related" links, sections of any copy, counts, and the band
 * index's query plan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "render.h"
#include "store.h"
#include "tap.h"

#define T0 1775200000

static char tmpdir[] = "/tmp/test_store_story.XXXXXX";
static int serial;

static struct store *open_new(char *path, size_t len)
{
	char err[256];
	struct store *st;

	snprintf(path, len, "%s/s%d.db", tmpdir, ++serial);
	st = store_open(path, err, sizeof err);
	if (!st)
		diag("store_open: %s", err);
	return st;
}

static const char *LEAD =
	"BEIJING, April 3 (Xinhua) -- China's State Council on Friday approved "
	"new rules on rural railway lines that take effect next month, officials "
	"said, after weeks of negotiations between ministries and industry groups.";
static const char *LEAD_CUT =
	"China's State Council on Friday approved new rules on rural railway "
	"lines that take effect next month ...";

static int64_t feed(struct store *st, const char *name, const char *section,
		    int priority, int dedupe)
{
	char *sec = (char *)section;
	int64_t id = -1;

	if (store_feed_sync(st, name, "http://127.0.0.1/f", name, &sec, 1, &id) ||
	    store_feed_set_dedupe(st, id, priority, dedupe))
		return -1;
	return id;
}

static int put(struct store *st, int64_t feed_id, const char *guid,
	       const char *link, const char *title, const char *lead,
	       int64_t now)
{
	struct entry e = {0};
	enum store_put_result res;

	e.guid = (char *)guid;
	e.link = (char *)link;
	e.title = (char *)title;
	e.summary = (char *)lead;
	e.published = T0;
	e.updated = ENTRY_NO_DATE;
	if (store_begin(st) || store_put_entry(st, feed_id, &e, now, &res) ||
	    store_commit(st))
		return -1;
	return 0;
}

static size_t list(struct store *st, const char *section,
		   struct store_item **v)
{
	size_t n = 0;

	if (store_list_items(st, section, -1, v, &n)) {
		*v = NULL;
		return 0;
	}
	return n;
}

static void test_copy_joins_story(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof path);
	int64_t a = feed(st, "agency", "world", 0, 1);
	int64_t b = feed(st, "outlet", "china", 0, 1);
	struct store_item *v;
	struct store_counts c;
	size_t n;

	put(st, a, "a1", "https://agency.example/1", "State Council approves rural rail rules", LEAD, T0 + 60);
	put(st, b, "b1", "https://outlet.example/x", "Rail rules approved - Outlet", LEAD_CUT, T0 + 3600);
	n = list(st, NULL, &v);
	is_int(n, 1, "copy_joins_story_one_entry");
	if (n == 1) {
		is_str(v[0].feed_name, "agency", "copy_joins_story_earliest_shown");
		is_int(v[0].n_copies, 1, "copy_joins_story_one_copy");
		if (v[0].n_copies == 1) {
			is_str(v[0].copies[0].url, "https://outlet.example/x", "copy_url");
			is_str(v[0].copies[0].feed_title, "outlet", "copy_feed_title");
		}
	}
	store_items_free(v, n);
	n = list(st, "china", &v);
	is_int(n, 1, "story_in_section_of_any_copy");
	store_items_free(v, n);
	n = list(st, "world", &v);
	is_int(n, 1, "story_in_section_of_shown_copy");
	store_items_free(v, n);
	store_count(st, &c);
	is_int(c.items, 2, "counts_items");
	is_int(c.stories, 1, "counts_stories");
	store_close(st);
}

/* A headline-only copy and a re-headlined one do not match each other;
 * the original matches both, so the three become one story. */
static void test_copy_of_two_stories_joins_them(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof path);
	int64_t a = feed(st, "aggregator", "world", 0, 1);
	int64_t b = feed(st, "outlet", "world", 0, 1);
	int64_t c = feed(st, "agency", "world", 0, 1);
	struct store_item *v;
	struct store_counts counts;
	size_t n;

	put(st, a, "a1", "https://agency.example/1?utm_source=x",
	    "State Council approves rural rail rules", NULL, T0);
	put(st, b, "b1", "https://outlet.example/9", "Trains for the countryside",
	    LEAD, T0 + 60);
	store_count(st, &counts);
	is_int(counts.stories, 2, "join_two_stories_before_the_original");
	put(st, c, "c1", "https://agency.example/1", "State Council approves rural rail rules",
	    LEAD, T0 + 120);
	n = list(st, NULL, &v);
	is_int(n, 1, "join_original_makes_one_story");
	ok(n == 1 && v[0].n_copies == 2, "join_keeps_every_copy");
	store_items_free(v, n);
	store_close(st);
}

static void test_priority_then_stable(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof path);
	int64_t low = feed(st, "low", "world", 0, 1);
	int64_t high = feed(st, "high", "world", 10, 1);
	int64_t higher = feed(st, "higher", "world", 20, 1);
	struct store_item *v;
	size_t n;

	put(st, low, "l1", "https://low.example/1", "Rail rules approved", LEAD, T0);
	put(st, high, "h1", "https://high.example/1", "Rail rules approved", LEAD, T0 + 600);
	n = list(st, NULL, &v);
	ok(n == 1 && strcmp(v[0].feed_name, "high") == 0,
	   "priority_higher_feed_shown_before_listing");
	store_items_free(v, n);
	/* Listed once: a still higher copy joins but is not shown. */
	put(st, higher, "x1", "https://higher.example/1", "Rail rules approved", LEAD, T0 + 1200);
	n = list(st, NULL, &v);
	ok(n == 1 && strcmp(v[0].feed_name, "high") == 0,
	   "priority_shown_copy_stable_once_listed");
	ok(n == 1 && v[0].n_copies == 2, "priority_late_copy_still_listed");
	store_items_free(v, n);
	store_close(st);
}

static void test_dedupe_off(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof path);
	int64_t a = feed(st, "a", "world", 0, 1);
	int64_t b = feed(st, "b", "world", 0, 0);
	int64_t c = feed(st, "c", "world", 0, 1);
	struct store_item *v;
	size_t n;

	put(st, a, "a1", "https://a.example/1", "Rail rules approved", LEAD, T0);
	put(st, b, "b1", "https://a.example/1", "Rail rules approved", LEAD, T0 + 60);
	n = list(st, NULL, &v);
	is_int(n, 2, "dedupe_no_feed_never_joins");
	store_items_free(v, n);
	store_close(st);

	st = open_new(path, sizeof path);
	b = feed(st, "b", "world", 0, 0);
	c = feed(st, "c", "world", 0, 1);
	put(st, b, "b1", "https://a.example/1", "Rail rules approved", LEAD, T0);
	put(st, c, "c1", "https://a.example/1", "Rail rules approved", LEAD, T0 + 60);
	n = list(st, NULL, &v);
	is_int(n, 2, "dedupe_no_feed_never_joined");
	store_items_free(v, n);
	store_close(st);
}

static void test_window_setting(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof path);
	int64_t a = feed(st, "a", "world", 0, 1);
	int64_t b = feed(st, "b", "world", 0, 1);
	struct store_item *v;
	struct entry e = {0};
	enum store_put_result res;
	size_t n;

	store_set_dedupe(st, 3600, 0);
	put(st, a, "a1", "https://a.example/1", "Rail rules approved", LEAD, T0);
	e.guid = "b1";
	e.link = "https://b.example/1";
	e.title = "Rail rules approved";
	e.summary = (char *)LEAD;
	e.published = T0 + 7200;	/* two hours later: outside 1 h */
	e.updated = ENTRY_NO_DATE;
	store_begin(st);
	store_put_entry(st, b, &e, T0 + 7200, &res);
	store_commit(st);
	n = list(st, NULL, &v);
	is_int(n, 2, "window_setting_keeps_copies_apart");
	store_items_free(v, n);
	store_close(st);
}

/* Entry guid of feed_id published and first seen at `at`. */
static int put_at(struct store *st, int64_t feed_id, const char *guid,
		  const char *title, int64_t at)
{
	struct entry e = {0};
	enum store_put_result res;
	char link[64];

	snprintf(link, sizeof link, "https://%s.example/", guid);
	e.guid = (char *)guid;
	e.link = link;
	e.title = (char *)title;
	e.summary = (char *)LEAD;
	e.published = at;
	e.updated = ENTRY_NO_DATE;
	if (store_begin(st) || store_put_entry(st, feed_id, &e, at, &res) ||
	    store_commit(st))
		return -1;
	return 0;
}

/* The band lookup skips days after the newest band row (store.c's
 * S_BAND_FIND); that day is read again when the store is reopened, so a
 * copy filed a day before the original (just after midnight against
 * late evening) still joins it. */
static void test_copy_across_midnight_after_reopen(void)
{
	char path[256], err[256];
	struct store *st = open_new(path, sizeof path);
	int64_t a = feed(st, "a", "world", 0, 1);
	int64_t b = feed(st, "b", "world", 0, 1);
	int64_t c = feed(st, "c", "world", 0, 1);
	int64_t next_day = (T0 / 86400 + 1) * 86400;
	struct store_item *v;
	size_t n;

	put_at(st, a, "a1", "Rail rules approved by the council", next_day + 3600);
	store_close(st);
	st = store_open(path, err, sizeof err);
	ok(st != NULL, "midnight_store_reopens");
	if (!st)
		return;
	put_at(st, b, "b1", "Rail rules approved by the council", next_day - 3 * 3600);
	put_at(st, c, "c1", "Rail rules approved by the council", next_day + 7200);
	n = list(st, NULL, &v);
	is_int(n, 1, "copy_filed_the_day_before_joins_after_reopen");
	if (n == 1)
		is_int(v[0].n_copies, 2, "copy_across_midnight_lists_both_copies");
	store_items_free(v, n);
	store_close(st);
}

/* A kept fingerprint (print_cache.h) is of the text as stored: once the
 * item is updated in place with other text, a copy of its old text is
 * compared with the new one (its band rows still carry the old SimHash,
 * so it is a candidate) and stays apart. */
static void test_updated_item_compared_as_stored(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof path);
	int64_t a = feed(st, "a", "world", 0, 1);
	int64_t b = feed(st, "b", "world", 0, 1);
	struct store_item *v;
	size_t n;

	put(st, a, "a1", "https://a.example/1", "State Council approves rural rail rules", LEAD, T0);
	put(st, a, "a1", "https://a.example/1", "Springfield closes two libraries",
	    "The city council of Springfield voted on Tuesday to close two public"
	    " libraries and a swimming pool to balance next year's budget, the"
	    " mayor's office said after a long and heated meeting.", T0 + 60);
	put(st, b, "b1", "https://b.example/1", "State Council approves rural rail rules", LEAD, T0 + 120);
	n = list(st, NULL, &v);
	is_int(n, 2, "copy_of_an_updated_items_old_text_stays_apart");
	store_items_free(v, n);
	store_close(st);
}

static void test_atom_related(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof path);
	int64_t a = feed(st, "agency", "world", 0, 1);
	int64_t b = feed(st, "outlet", "world", 0, 1);
	struct render_meta m = { "t", NULL, "http://x/feed.atom",
				 "http://x/feed.atom", NULL, T0, NULL, NULL };
	struct store_item *v;
	struct buf out = {0};
	size_t n;

	put(st, a, "a1", "https://agency.example/1", "Rail rules approved", LEAD, T0);
	put(st, b, "b1", "https://outlet.example/2?a=1&b=2", "Rail rules approved", LEAD, T0 + 60);
	n = list(st, NULL, &v);
	ok(n == 1 && render_atom(&m, v, n, &out) == 0, "atom_renders");
	ok(out.data && strstr(out.data, "<link rel=\"related\" href=\"https://outlet.example/"
			      "2?a=1&amp;b=2\" title=\"outlet\"/>") != NULL,
	   "atom_related_link_per_copy");
	ok(out.data && !strstr(out.data, "rel=\"related\" href=\"https://agency"),
	   "atom_no_related_link_to_itself");
	buf_free(&out);
	store_items_free(v, n);
	store_close(st);
}

/* The feeds' settings are kept in memory after the first item (feed
 * cache): a later store_feed_set_dedupe() must be seen by the next item,
 * and one rolled back must not. */
static size_t stories(struct store *st)
{
	struct store_counts c = {0};

	store_count(st, &c);
	return (size_t)c.stories;
}

static void test_dedupe_setting_change_seen(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof path);
	int64_t a = feed(st, "a", "world", 0, 1);
	int64_t b = feed(st, "b", "world", 0, 1);

	/* b's settings are read (and kept) by its first item. */
	put(st, b, "b0", "https://b.example/0", "Harbour crane fleet renewed",
	    "The port authority replaced its ten oldest cranes on Monday.", T0);
	put(st, a, "a1", "https://a.example/1", "Rail rules approved", LEAD, T0 + 60);
	store_feed_set_dedupe(st, b, 0, 0);
	put(st, b, "b1", "https://a.example/1", "Rail rules approved", LEAD, T0 + 120);
	is_int(stories(st), 3, "feed_cache_dedupe_off_seen_by_next_item");
	store_feed_set_dedupe(st, b, 0, 1);
	put(st, b, "b2", "https://a.example/1", "Rail rules approved", LEAD, T0 + 180);
	is_int(stories(st), 3, "feed_cache_dedupe_on_again_seen_by_next_item");
	store_close(st);
}

static void test_priority_change_seen(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof path);
	int64_t a = feed(st, "a", "world", 5, 1);
	int64_t b = feed(st, "b", "world", 0, 1);
	struct store_item *v;
	size_t n;

	put(st, b, "b0", "https://b.example/0", "Harbour crane fleet renewed",
	    "The port authority replaced its ten oldest cranes on Monday.", T0);
	put(st, a, "a1", "https://a.example/1", "Rail rules approved", LEAD, T0 + 60);
	store_feed_set_dedupe(st, b, 9, 1);
	put(st, b, "b1", "https://b.example/1", "Rail rules approved", LEAD, T0 + 120);
	n = list(st, NULL, &v);
	ok(n == 2 && strcmp(v[0].feed_name, "b") == 0 &&
	   strcmp(v[0].e.guid, "b1") == 0,
	   "feed_cache_raised_priority_seen_by_next_copy");
	if (n != 2 || strcmp(v[0].feed_name, "b") != 0)
		diag("%zu entries, first from %s", n, n ? v[0].feed_name : "-");
	store_items_free(v, n);
	store_close(st);
}

static void test_dedupe_setting_rolled_back(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof path);
	int64_t a = feed(st, "a", "world", 0, 1);
	int64_t b = feed(st, "b", "world", 0, 1);
	struct entry e = {0};
	enum store_put_result res;

	put(st, a, "a1", "https://a.example/1", "Rail rules approved", LEAD, T0);
	/* Inside a transaction that is rolled back: b's item reads (and
	 * the cache could keep) dedupe = 0, which the rollback undoes. */
	e.guid = "b0";
	e.link = "https://b.example/0";
	e.title = "Harbour crane fleet renewed";
	e.published = T0;
	e.updated = ENTRY_NO_DATE;
	ok(store_begin(st) == 0 && store_feed_set_dedupe(st, b, 0, 0) == 0 &&
	   store_put_entry(st, b, &e, T0 + 60, &res) == 0 &&
	   store_rollback(st) == 0, "feed_cache_rollback_setup");
	put(st, b, "b1", "https://a.example/1", "Rail rules approved", LEAD, T0 + 120);
	is_int(stories(st), 1, "feed_cache_rolled_back_setting_not_kept");
	store_close(st);
}

static void test_band_plan(void)
{
	char path[256], *plan = NULL;
	struct store *st = open_new(path, sizeof path);
	sqlite3 *db;
	sqlite3_stmt *s;

	store_close(st);
	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN SELECT item_id"
			       " FROM item_bands WHERE day = 0 AND band IN (1, 2, 3)"
			       " AND at BETWEEN 5 AND 9 LIMIT 256", -1, &s, NULL) == SQLITE_OK) {
		struct buf b = {0};
		while (sqlite3_step(s) == SQLITE_ROW)
			buf_printf(&b, "%s\n", sqlite3_column_text(s, 3));
		sqlite3_finalize(s);
		plan = buf_steal(&b);
	}
	sqlite3_close(db);
	ok(plan && strstr(plan, "SEARCH item_bands USING PRIMARY KEY (day=? AND band=? AND at>? AND at<?)"),
	   "band_lookup_searches_the_index");
	if (plan && !strstr(plan, "SEARCH item_bands"))
		diag("plan: %s", plan);
	free(plan);
}

int main(void)
{
	char cmd[300];

	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	test_copy_joins_story();
	test_copy_of_two_stories_joins_them();
	test_priority_then_stable();
	test_dedupe_off();
	test_window_setting();
	test_copy_across_midnight_after_reopen();
	test_updated_item_compared_as_stored();
	test_atom_related();
	test_band_plan();
	test_dedupe_setting_change_seen();
	test_priority_change_seen();
	test_dedupe_setting_rolled_back();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("could not remove %s", tmpdir);
	return done_testing();
}
