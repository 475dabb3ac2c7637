/*
 * test_prune.c — retention pruning, tombstones and WAL checkpoints
 * (prune.c), ending with a simulated month and a half of hourly polling
 * whose clock the test drives: the database must stop growing.
 *
 * Every database lives in a mkdtemp directory removed at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "entry.h"
#include "prune.h"
#include "store.h"
#include "tap.h"

#define DAY_S 86400
#define HOUR_S 3600
#define RETENTION_S (30 * DAY_S)
#define T0 1700000000		/* the simulated clock starts here */

/* On tmpfs when there is one: the simulated months checkpoint and sync
 * hundreds of times, which on a slow disk takes the time of a real
 * fsync each, and the test is about the logic, not the disk. */
static char tmpdir[64];
static char dbpath[256];
static int db_serial;

static struct store *open_new(void)
{
	char err[256] = "";
	struct store *st;

	snprintf(dbpath, sizeof dbpath, "%s/t%d.db", tmpdir, ++db_serial);
	st = store_open(dbpath, err, sizeof err);
	if (!st)
		diag("store_open: %s", err);
	return st;
}

static int64_t add_feed(struct store *st, const char *name)
{
	char url[128];
	int64_t id = -1;

	snprintf(url, sizeof url, "http://127.0.0.1/%s.rss", name);
	if (store_feed_sync(st, name, url, NULL, NULL, 0, &id))
		return -1;
	return id;
}

/* Item i of a feed: guid "NAME-i", published at published. */
static struct entry mk(const char *feed, int i, int64_t published,
		       const char *content)
{
	struct entry e = {0};
	char s[128];

	snprintf(s, sizeof s, "%s-%d", feed, i);
	e.guid = xstrdup(s);
	snprintf(s, sizeof s, "http://127.0.0.1/%s/%d", feed, i);
	e.link = xstrdup(s);
	snprintf(s, sizeof s, "Story %d of %s", i, feed);
	e.title = xstrdup(s);
	e.content = xstrdup(content);
	e.published = published;
	e.updated = ENTRY_NO_DATE;
	return e;
}

/* One poll: items first..last of feed (item i published at base + i *
 * spacing_s), in one transaction.  Counts the new ones into *new_items.
 * 0 or -1. */
static int poll_spaced(struct store *st, int64_t feed_id, const char *feed,
		       int first, int last, int64_t base, int64_t spacing_s,
		       int64_t now, const char *content, int *new_items)
{
	int i, rc = 0;

	if (store_begin(st))
		return -1;
	for (i = first; i <= last && rc == 0; i++) {
		struct entry e = mk(feed, i, base + (int64_t)i * spacing_s,
				    content);
		enum store_put_result res;

		rc = store_put_entry(st, feed_id, &e, now, &res);
		if (rc == 0 && new_items)
			*new_items += res == STORE_PUT_NEW;
		entry_clear(&e);
	}
	if (rc == 0)
		return store_commit(st);
	store_rollback(st);
	return -1;
}

/* The same, items an hour apart. */
static int poll_items(struct store *st, int64_t feed_id, const char *feed,
		      int first, int last, int64_t base, int64_t now,
		      const char *content, int *new_items)
{
	return poll_spaced(st, feed_id, feed, first, last, base, HOUR_S, now,
			   content, new_items);
}

/* A one-integer query through a second connection (WAL allows it). */
static int64_t query_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t v = -1;

	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return v;
}

static char *query_text(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	struct buf b = {0};

	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW)
			buf_printf(&b, "%s;", sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	if (!b.data)
		return xstrdup("");
	return buf_steal(&b);
}

static int64_t file_size(const char *suffix)
{
	char p[300];
	struct stat sb;

	snprintf(p, sizeof p, "%s%s", dbpath, suffix);
	return stat(p, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

/* Prunes until a pass comes back short, as the daemon's timer does. */
static size_t prune_all(struct store *st, int64_t now)
{
	size_t pruned, total = 0;

	do {
		if (prune_items(st, RETENTION_S, now, 100, &pruned) != 0)
			return (size_t)-1;
		total += pruned;
	} while (pruned == 100);
	return total;
}

/* 80 hourly items, all older than the retention: the 50 newest stay. */
static void test_prune_keeps_newest_50_of_a_feed(void)
{
	struct store *st = open_new();
	int64_t now = T0 + 120 * DAY_S, base = now - 60 * DAY_S, a;
	char *left;

	a = add_feed(st, "a");
	ok(poll_items(st, a, "a", 0, 79, base, base + 80 * HOUR_S, "x", NULL) == 0,
	   "prune_setup_80_items");
	is_int((int64_t)prune_all(st, now), 30,
	       "prune_deletes_old_items_beyond_the_newest_50");
	is_int(query_int("SELECT count(*) FROM items"), 50,
	       "prune_keeps_50_items");
	left = query_text("SELECT min(guid) || '..' || max(guid) FROM items"
			  " WHERE guid GLOB 'a-[0-9]*' AND length(guid) = 4");
	is_str(left, "a-30..a-79;", "prune_keeps_the_newest_by_published_date");
	free(left);
	is_int(query_int("SELECT count(*) FROM stories"), 50,
	       "prune_deletes_the_stories_left_without_items");
	is_int(query_int("SELECT count(*) FROM tombstones"), 30,
	       "prune_leaves_one_tombstone_per_item");
	is_int((int64_t)prune_all(st, now), 0, "prune_twice_deletes_nothing_more");
	store_close(st);
}

/* 80 items younger than the retention: nothing goes. */
static void test_prune_keeps_young_items(void)
{
	struct store *st = open_new();
	int64_t now = T0 + 10 * DAY_S, base = now - 5 * DAY_S, a;

	a = add_feed(st, "a");
	poll_items(st, a, "a", 0, 79, base, now, "x", NULL);
	is_int((int64_t)prune_all(st, now), 0, "prune_keeps_items_within_retention");
	store_close(st);
}

/* Items are counted per feed: a busy feed does not push out a quiet one. */
static void test_prune_counts_per_feed(void)
{
	struct store *st = open_new();
	int64_t now = T0 + 200 * DAY_S, base = T0, a, b;

	a = add_feed(st, "busy");
	b = add_feed(st, "quiet");
	poll_items(st, a, "busy", 0, 99, base, base + 100 * HOUR_S, "x", NULL);
	poll_items(st, b, "quiet", 0, 9, base, base + 10 * HOUR_S, "x", NULL);
	is_int((int64_t)prune_all(st, now), 50, "prune_only_the_busy_feeds_surplus");
	is_int(query_int("SELECT count(*) FROM items WHERE feed_id = 2"), 10,
	       "prune_keeps_every_item_of_a_quiet_feed");
	store_close(st);
}

/* A future published date does not make an item immortal. */
static void test_prune_future_dates_age_from_first_seen(void)
{
	struct store *st = open_new();
	int64_t seen = T0, now = T0 + 100 * DAY_S, a;

	a = add_feed(st, "a");
	/* published in the year 2100, first seen at T0 */
	poll_items(st, a, "a", 0, 59, 4102444800LL, seen, "x", NULL);
	is_int((int64_t)prune_all(st, now), 10,
	       "prune_ages_future_dated_items_from_first_seen");
	store_close(st);
}

/* The feed still lists pruned items: they must not come back as new. */
static void test_pruned_item_never_new_again(void)
{
	struct store *st = open_new();
	int64_t now = T0 + 120 * DAY_S, base = now - 60 * DAY_S, a;
	struct store_item *items = NULL;
	size_t n = 0, i;
	int fresh = 0, old_shown = 0;

	a = add_feed(st, "a");
	poll_items(st, a, "a", 0, 79, base, base + 80 * HOUR_S, "x", NULL);
	prune_all(st, now);
	ok(poll_items(st, a, "a", 0, 79, base, now, "x", &fresh) == 0,
	   "repoll_after_prune_stores");
	is_int(fresh, 0, "pruned_items_listed_again_are_not_new");
	is_int(query_int("SELECT count(*) FROM items"), 50,
	       "pruned_items_listed_again_are_not_stored");
	store_list_items(st, NULL, 1000, &items, &n);
	for (i = 0; i < n; i++)
		old_shown += strcmp(items[i].e.guid, "a-30") < 0 &&
			     strlen(items[i].e.guid) == 4;
	is_int((int64_t)old_shown, 0, "pruned_items_stay_out_of_the_merged_feed");
	store_items_free(items, n);
	is_int(query_int("SELECT count(*) FROM tombstones"
			 " WHERE last_seen = 1700000000 + 120 * 86400"), 30,
	       "listing_a_pruned_item_refreshes_its_tombstone");
	/* Another retention period without it listed: forgotten, and a
	 * later listing is new again. */
	is_int((int64_t)prune_all(st, now + RETENTION_S + DAY_S), 0,
	       "prune_after_a_quiet_period_deletes_no_kept_item");
	is_int(query_int("SELECT count(*) FROM tombstones"), 0,
	       "tombstones_unlisted_for_a_retention_period_are_forgotten");
	fresh = 0;
	poll_items(st, a, "a", 0, 0, base, now + RETENTION_S + 2 * DAY_S, "x",
		   &fresh);
	is_int(fresh, 1, "an_item_listed_after_its_tombstone_expired_is_new");
	store_close(st);
}

/* A new item in the same poll as pruned ones is still new. */
static void test_new_items_unaffected_by_tombstones(void)
{
	struct store *st = open_new();
	int64_t now = T0 + 120 * DAY_S, base = now - 60 * DAY_S, a, b;
	int fresh = 0;

	a = add_feed(st, "a");
	b = add_feed(st, "b");
	poll_items(st, a, "a", 0, 79, base, base + 80 * HOUR_S, "x", NULL);
	prune_all(st, now);
	/* b carries the same guids as a's pruned items: another feed. */
	poll_items(st, b, "a", 0, 9, base, now, "x", &fresh);
	is_int(fresh, 10, "tombstones_are_per_feed");
	fresh = 0;
	poll_items(st, a, "a", 0, 81, base, now, "x", &fresh);
	is_int(fresh, 2, "new_items_beside_pruned_ones_are_new");
	store_close(st);
}

static void test_prune_leaves_database_consistent(void)
{
	struct store *st = open_new();
	int64_t now = T0 + 120 * DAY_S, base = now - 60 * DAY_S, a;
	char *check;

	a = add_feed(st, "a");
	poll_items(st, a, "a", 0, 199, base, base + 200 * HOUR_S, "x", NULL);
	prune_all(st, now);
	check = query_text("PRAGMA integrity_check");
	is_str(check, "ok;", "integrity_check_after_prune");
	free(check);
	check = query_text("SELECT 'fk ' || \"table\" FROM pragma_foreign_key_check");
	is_str(check, "", "no_foreign_key_violation_after_prune");
	free(check);
	is_int(query_int("SELECT count(*) FROM stories s WHERE NOT EXISTS"
			 " (SELECT 1 FROM items i WHERE i.id = s.primary_item_id)"),
	       0, "every_story_keeps_a_primary_item");
	store_close(st);
}

static void test_checkpoint_truncates_wal(void)
{
	struct store *st = open_new();
	int64_t a = add_feed(st, "a");

	poll_items(st, a, "a", 0, 99, T0, T0, "some content", NULL);
	ok(file_size("-wal") > 0, "wal_grows_with_writes");
	is_int(prune_checkpoint(st), 0, "checkpoint_succeeds");
	is_int(file_size("-wal"), 0, "checkpoint_truncates_the_wal");
	is_int(query_int("SELECT count(*) FROM items"), 100,
	       "checkpoint_keeps_every_item");
	store_close(st);
}

/* ---- a simulated month and a half ---- */

#define SIM_FEEDS 2
#define SIM_PER_HOUR 2		/* each feed publishes two items an hour */
#define SIM_WINDOW 10		/* and lists its newest 10 */
#define SIM_DAYS 65	/* items plateau after 30, tombstones after 60 */
/* The daemon prunes hourly and checkpoints every ten minutes; the test
 * does both less often (the outcome is the same, the fsyncs fewer). */
#define SIM_PRUNE_EVERY_H 6

static void test_simulated_month_stays_bounded(void)
{
	struct store *st = open_new();
	char content[1024], name[16];
	int64_t ids[SIM_FEEDS], now = T0, size_at[SIM_DAYS + 1] = {0};
	int hour, f, day, fails = 0, published = 0, newest;
	int64_t items, max_tombstones = 0, t;

	memset(content, 'w', sizeof content - 1);	/* a ~1 KB story */
	content[sizeof content - 1] = '\0';
	for (f = 0; f < SIM_FEEDS; f++) {
		snprintf(name, sizeof name, "f%d", f);
		ids[f] = add_feed(st, name);
	}
	for (hour = 0; hour <= SIM_DAYS * 24; hour++) {
		now = T0 + (int64_t)hour * HOUR_S;
		published += SIM_PER_HOUR;
		newest = published - 1;
		/* Item i is published at T0 + i half hours. */
		for (f = 0; f < SIM_FEEDS; f++) {
			snprintf(name, sizeof name, "f%d", f);
			fails += poll_spaced(st, ids[f], name,
					     newest >= SIM_WINDOW ?
					     newest - SIM_WINDOW + 1 : 0,
					     newest, T0, HOUR_S / SIM_PER_HOUR,
					     now, content, NULL) != 0;
		}
		if (hour % SIM_PRUNE_EVERY_H != 0)
			continue;
		fails += prune_all(st, now) == (size_t)-1;
		t = query_int("SELECT count(*) FROM tombstones");
		if (t > max_tombstones)
			max_tombstones = t;
		if (hour % 24 == 0) {
			fails += prune_checkpoint(st) != 0;
			day = hour / 24;
			size_at[day] = file_size("") + file_size("-wal");
			if (day % 5 == 0)
				diag("day %d: %lld bytes, %lld items", day,
				     (long long)size_at[day],
				     (long long)query_int("SELECT count(*) FROM items"));
		}
	}
	is_int(fails, 0, "simulated_polls_prunes_and_checkpoints_succeed");
	items = query_int("SELECT count(*) FROM items");
	/* 30 days of 2 an hour per feed, give or take the boundary hour. */
	ok(items >= SIM_FEEDS * 30 * 24 * SIM_PER_HOUR - SIM_FEEDS * 2 * SIM_PER_HOUR &&
	   items <= SIM_FEEDS * 31 * 24 * SIM_PER_HOUR,
	   "items_kept_are_the_last_30_days_worth");
	diag("items after %d days: %lld (%d feeds x %d/h)", SIM_DAYS,
	     (long long)items, SIM_FEEDS, SIM_PER_HOUR);
	ok(size_at[SIM_DAYS] <= size_at[SIM_DAYS - 5] + size_at[SIM_DAYS - 5] / 100,
	   "database_size_stops_growing");
	ok(size_at[SIM_DAYS] <= size_at[30] + size_at[30] / 5,
	   "database_size_after_two_months_within_a_fifth_of_one_month");
	diag("size day 30: %lld, day 60: %lld, day %d: %lld bytes",
	     (long long)size_at[30], (long long)size_at[60], SIM_DAYS,
	     (long long)size_at[SIM_DAYS]);
	/* One retention period's worth of pruned keys, at most. */
	ok(max_tombstones <= SIM_FEEDS * SIM_PER_HOUR * 24 * 31,
	   "tombstones_stay_bounded");
	diag("most tombstones at once: %lld", (long long)max_tombstones);
	is_int(file_size("-wal"), 0, "wal_is_empty_after_the_last_checkpoint");
	store_close(st);
}

/*
 * Deleting an item checks, through the foreign keys, the rows that point
 * at it: each check is an index search (migration 8 -> 9 added
 * stories_primary), never a scan of a whole table — with 200,000
 * stories a scan cost 15 ms per pruned item.
 */
static void test_item_delete_searches_no_table_scan(void)
{
	struct store *st = open_new();
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int rows = 0, scans = 0;

	store_close(st);
	if (sqlite3_open(dbpath, &db) == SQLITE_OK &&
	    sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL,
			 NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN DELETE FROM items"
			       " WHERE id = 1", -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *d = (const char *)sqlite3_column_text(s, 3);

			rows++;
			if (d && strncmp(d, "SCAN ", 5) == 0) {
				scans++;
				diag("item delete plan: %s", d);
			}
		}
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	ok(rows > 0 && scans == 0, "item_delete_checks_keys_by_index_not_scan");
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "%s/test_prune.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp failed\n");
		return 1;
	}
	test_prune_keeps_newest_50_of_a_feed();
	test_prune_keeps_young_items();
	test_prune_counts_per_feed();
	test_prune_future_dates_age_from_first_seen();
	test_pruned_item_never_new_again();
	test_new_items_unaffected_by_tombstones();
	test_prune_leaves_database_consistent();
	test_checkpoint_truncates_wal();
	test_item_delete_searches_no_table_scan();
	test_simulated_month_stays_bounded();
	{
		char cmd[300];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			diag("could not remove %s", tmpdir);
	}
	return done_testing();
}
