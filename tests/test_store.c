/*
 * test_store.c — the SQLite store: schema, feeds, items, stories, lists.
 *
 * Every test works on a database in a mkdtemp directory removed at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "entry.h"
#include "entry_json.h"
#include "render.h"
#include "store.h"
#include "tap.h"

static char tmpdir[] = "/tmp/test_store.XXXXXX";
static char dbpath[256];
static int db_serial;

/* A fresh database path for each test. */
static const char *new_db(void)
{
	snprintf(dbpath, sizeof dbpath, "%s/t%d.db", tmpdir, ++db_serial);
	return dbpath;
}

static struct store *open_new(void)
{
	char err[256] = "";
	struct store *st = store_open(new_db(), err, sizeof err);

	if (!st)
		diag("store_open: %s", err);
	return st;
}

/* An entry with the given fields (NULL for none); caller clears it. */
static struct entry mk(const char *guid, const char *link, const char *title,
		       const char *content, int64_t published)
{
	struct entry e = {0};

	e.guid = xstrdup(guid);
	e.link = xstrdup(link);
	e.title = xstrdup(title);
	e.content = xstrdup(content);
	e.published = published;
	e.updated = ENTRY_NO_DATE;
	return e;
}

/* Stores one entry in its own transaction; returns the put result or -1. */
static int put1(struct store *st, int64_t feed, struct entry *e, int64_t now)
{
	enum store_put_result res;

	if (store_begin(st))
		return -1;
	if (store_put_entry(st, feed, e, now, &res)) {
		store_rollback(st);
		return -1;
	}
	if (store_commit(st))
		return -1;
	return (int)res;
}

static int put_and_clear(struct store *st, int64_t feed, struct entry e,
			 int64_t now)
{
	int r = put1(st, feed, &e, now);

	entry_clear(&e);
	return r;
}

static int64_t sync_feed(struct store *st, const char *name, const char *url,
			 const char *title, const char *section)
{
	char *sec[1] = { (char *)section };
	int64_t id = -1;

	if (store_feed_sync(st, name, url, title, sec, section ? 1 : 0, &id))
		return -1;
	return id;
}

/* Runs a one-integer query on path through a separate connection. */
static int64_t query_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t v = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return v;
}

static int64_t count_items(struct store *st)
{
	struct store_counts c = {0};

	return store_count(st, &c) ? -1 : c.items;
}

static void test_open_creates_schema(void)
{
	struct store *st = open_new();
	char path[256];

	ok(st != NULL, "store_open_creates_database");
	store_close(st);
	snprintf(path, sizeof path, "%s", dbpath);
	is_int(query_int(path, "PRAGMA user_version"), 9,
	       "store_open_migrates_to_user_version_9");
	is_int(query_int(path, "SELECT count(*) FROM sqlite_schema WHERE"
			 " type = 'table' AND name IN ('feeds', 'items',"
			 " 'stories', 'feed_sections')"), 4,
	       "store_open_creates_four_tables");
	is_int(query_int(path, "SELECT count(*) FROM sqlite_schema WHERE"
			 " name = 'stories_sort'"), 1,
	       "store_open_creates_sort_index");
	store_close(NULL);
	ok(1, "store_close_null_is_fine");
}

static void test_open_wal(void)
{
	struct store *st = open_new();
	sqlite3 *db;
	sqlite3_stmt *s;
	char mode[16] = "";

	/* journal_mode WAL is persistent, so a plain connection sees it. */
	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			snprintf(mode, sizeof mode, "%s", sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	is_str(mode, "wal", "store_open_uses_wal_journal");
	store_close(st);
}

/* feedmux.conf(5) cache_size reaches the connection's page cache. */
static void test_cache_size(void)
{
	struct store *st = open_new();

	is_int(store_set_cache_size(st, 0), 2000 * 1024,
	       "store_cache_size_zero_keeps_sqlite_default");
	is_int(store_set_cache_size(st, 16 * 1024 * 1024), 16 * 1024 * 1024,
	       "store_cache_size_sets_bytes");
	is_int(store_set_cache_size(st, 5000), 4 * 1024,
	       "store_cache_size_rounds_down_to_kib");
	is_int(store_set_cache_size(st, 0), 4 * 1024,
	       "store_cache_size_zero_keeps_the_size_in_effect");
	store_close(st);
}

static void test_reopen_keeps_data(void)
{
	struct store *st = open_new();
	struct store_item *items = NULL;
	char err[256] = "";
	size_t n = 0;
	int64_t id;

	id = sync_feed(st, "a", "http://127.0.0.1/a", NULL, NULL);
	/* Later than the wall clock that store_feed_sync stamps. */
	is_int(put_and_clear(st, id, mk("g1", NULL, "T1", "C", 100),
			     4000000500LL),
	       STORE_PUT_NEW, "reopen_first_put_is_new");
	store_close(st);
	st = store_open(dbpath, err, sizeof err);
	ok(st != NULL, "reopen_opens_existing_database");
	if (!st)
		return;
	is_int(store_generation(st), 1, "reopen_generation_starts_at_1");
	is_int(store_changed_at(st), 4000000500LL,
	       "reopen_changed_at_is_newest_change");
	store_list_items(st, NULL, 10, &items, &n);
	is_int(n, 1, "reopen_keeps_item");
	is_str(n ? items[0].e.title : NULL, "T1", "reopen_keeps_item_title");
	store_items_free(items, n);
	is_int(put_and_clear(st, id, mk("g1", NULL, "T1", "C", 100), 600),
	       STORE_PUT_UNCHANGED, "reopen_same_entry_is_unchanged");
	store_close(st);
}

static void test_newer_version_refused(void)
{
	char err[256] = "", path[256];
	struct store *st = open_new();

	store_close(st);
	snprintf(path, sizeof path, "%s", dbpath);
	query_int(path, "PRAGMA user_version = 99");
	st = store_open(path, err, sizeof err);
	ok(st == NULL, "newer_user_version_is_refused");
	ok(strstr(err, "newer") != NULL, "newer_user_version_error_says_newer");
	diag("error was: %s", err);
	store_close(st);
	is_int(query_int(path, "PRAGMA user_version"), 99,
	       "newer_user_version_left_untouched");
}

static void test_not_a_database_refused(void)
{
	char err[256] = "";
	struct store *st;
	FILE *f = fopen(new_db(), "w");

	if (f) {
		fputs("this is not an SQLite database, just some text....\n", f);
		fclose(f);
	}
	st = store_open(dbpath, err, sizeof err);
	ok(st == NULL && err[0] != '\0', "garbage_file_is_refused_with_message");
	store_close(st);
}

static void test_feed_sync(void)
{
	struct store *st = open_new();
	struct store_feed f = {0};
	int64_t id, id2;

	id = sync_feed(st, "a", "http://127.0.0.1/a", "Configured", "news");
	ok(id > 0, "feed_sync_new_feed_gets_id");
	store_feed_get(st, id, &f);
	is_str(f.name, "a", "feed_sync_stores_name");
	is_str(f.url, "http://127.0.0.1/a", "feed_sync_stores_url");
	is_str(f.title, "Configured", "feed_sync_stores_configured_title");
	is_int(f.next_poll, 0, "feed_sync_new_feed_is_due_now");
	is_int(f.updated, ENTRY_NO_DATE, "feed_sync_new_feed_has_no_updated");
	f.etag = xstrdup("\"v1\"");
	f.last_modified = xstrdup("Sat, 01 Jan 2022 00:00:00 GMT");
	f.next_poll = 9000;
	f.last_poll = 8000;
	f.last_success = 8000;
	f.interval_s = 900;
	f.errors = 2;
	f.last_status = 200;
	f.last_error = xstrdup("oops");
	f.repair = xstrdup("stray '&' or '<' escaped");
	is_int(store_feed_save_poll(st, &f), 0, "feed_save_poll_succeeds");
	store_feed_clear(&f);

	id2 = sync_feed(st, "a", "http://127.0.0.1/a", "Configured", "news");
	is_int(id2, id, "feed_sync_same_name_same_id");
	store_feed_get(st, id, &f);
	is_str(f.etag, "\"v1\"", "feed_sync_same_url_keeps_etag");
	is_str(f.last_modified, "Sat, 01 Jan 2022 00:00:00 GMT",
	       "feed_sync_same_url_keeps_last_modified");
	is_int(f.next_poll, 9000, "feed_sync_same_url_keeps_next_poll");
	is_int(f.interval_s, 900, "feed_save_poll_round_trips_interval");
	is_int(f.errors, 2, "feed_save_poll_round_trips_errors");
	is_int(f.last_status, 200, "feed_save_poll_round_trips_status");
	is_str(f.last_error, "oops", "feed_save_poll_round_trips_error");
	is_str(f.repair, "stray '&' or '<' escaped", "feed_save_poll_round_trips_repair");
	is_int(f.last_poll, 8000, "feed_save_poll_round_trips_last_poll");
	store_feed_clear(&f);

	/* A redirect moved url; the config did not change: keep it. */
	store_feed_get(st, id, &f);
	free(f.url);
	f.url = xstrdup("http://127.0.0.1/moved");
	store_feed_save_poll(st, &f);
	store_feed_clear(&f);
	sync_feed(st, "a", "http://127.0.0.1/a", "Configured", "news");
	store_feed_get(st, id, &f);
	is_str(f.url, "http://127.0.0.1/moved",
	       "feed_sync_same_config_url_keeps_redirected_url");
	store_feed_clear(&f);

	sync_feed(st, "a", "http://127.0.0.1/b", "Configured", "news");
	store_feed_get(st, id, &f);
	is_str(f.url, "http://127.0.0.1/b", "feed_sync_changed_url_sets_url");
	is_str(f.etag, NULL, "feed_sync_changed_url_clears_etag");
	is_str(f.last_modified, NULL,
	       "feed_sync_changed_url_clears_last_modified");
	is_int(f.next_poll, 0, "feed_sync_changed_url_polls_now");
	store_feed_clear(&f);

	f.id = 4242;
	is_int(store_feed_save_poll(st, &f), -1, "feed_save_poll_unknown_id_fails");
	is_int(store_feed_get(st, 4242, &f), -1, "feed_get_unknown_id_fails");
	store_close(st);
}

static void test_feed_title_fallback(void)
{
	struct store *st = open_new();
	struct feed_meta m = { .title = xstrdup("Own Title"), .updated = 77 };
	struct store_feed f = {0};
	int64_t id = sync_feed(st, "plain", "http://127.0.0.1/p", NULL, NULL);

	store_feed_get(st, id, &f);
	is_str(f.title, "plain", "feed_title_falls_back_to_name");
	store_feed_clear(&f);
	store_begin(st);
	store_feed_set_meta(st, id, &m, 100);
	store_commit(st);
	store_feed_get(st, id, &f);
	is_str(f.title, "Own Title", "feed_title_uses_feeds_own_title");
	is_int(f.updated, 77, "feed_meta_updated_round_trips");
	store_feed_clear(&f);
	sync_feed(st, "plain", "http://127.0.0.1/p", "Mine", NULL);
	store_feed_get(st, id, &f);
	is_str(f.title, "Mine", "feed_title_configured_beats_own");
	store_feed_clear(&f);
	feed_meta_clear(&m);
	store_close(st);
}

static void test_feed_retire_and_list(void)
{
	struct store *st = open_new();
	struct store_feed *fl = NULL;
	struct store_counts c = {0};
	size_t n = 0, i;
	int64_t a, b, keep[1];

	b = sync_feed(st, "b", "http://127.0.0.1/b", NULL, NULL);
	a = sync_feed(st, "a", "http://127.0.0.1/a", NULL, NULL);
	put_and_clear(st, a, mk("x", NULL, "X", NULL, 10), 100);
	put_and_clear(st, a, mk("y", NULL, "Y", NULL, 10), 100);
	store_feed_list(st, &fl, &n);
	is_int(n, 2, "feed_list_lists_active_feeds");
	is_str(n == 2 ? fl[0].name : NULL, "a", "feed_list_orders_by_name");
	is_int(n == 2 ? fl[0].items : -1, 2, "feed_list_counts_items");
	is_int(n == 2 ? fl[1].items : -1, 0, "feed_list_counts_zero_items");
	for (i = 0; i < n; i++)
		store_feed_clear(&fl[i]);
	free(fl);

	keep[0] = a;
	is_int(store_feed_retire_others(st, keep, 1), 0, "feed_retire_succeeds");
	store_feed_list(st, &fl, &n);
	is_int(n, 1, "feed_retire_hides_feed_from_list");
	is_int(n == 1 ? fl[0].id : -1, a, "feed_retire_keeps_listed_feed");
	for (i = 0; i < n; i++)
		store_feed_clear(&fl[i]);
	free(fl);
	store_count(st, &c);
	is_int(c.feeds, 1, "count_feeds_counts_active_only");

	is_int(sync_feed(st, "b", "http://127.0.0.1/b", NULL, NULL), b,
	       "feed_sync_reactivates_retired_feed_same_id");
	store_count(st, &c);
	is_int(c.feeds, 2, "feed_sync_reactivation_counts_again");
	store_feed_retire_others(st, NULL, 0);
	store_count(st, &c);
	is_int(c.feeds, 0, "feed_retire_others_of_nothing_retires_all");
	is_int(c.items, 2, "feed_retire_keeps_items");
	store_close(st);
}

static void test_put_results(void)
{
	struct store *st = open_new();
	struct store_item *it = NULL;
	struct entry e;
	size_t n = 0;
	int64_t f = sync_feed(st, "a", "http://127.0.0.1/a", NULL, NULL);

	is_int(put_and_clear(st, f, mk("g", "http://x/1", "T", "C", 100), 1000),
	       STORE_PUT_NEW, "put_new_entry_is_new");
	is_int(put_and_clear(st, f, mk("g", "http://x/1", "T", "C", 100), 1100),
	       STORE_PUT_UNCHANGED, "put_same_entry_is_unchanged");
	is_int(put_and_clear(st, f, mk("g", "http://x/1", "T2", "C", 100), 1200),
	       STORE_PUT_UPDATED, "put_changed_title_is_updated");
	is_int(put_and_clear(st, f, mk("g", "http://x/1", "T2", "C", 100), 1300),
	       STORE_PUT_UNCHANGED, "put_after_update_is_unchanged");
	is_int(put_and_clear(st, f, mk("g", "http://x/1", "T2", "C", 200), 1400),
	       STORE_PUT_UPDATED, "put_changed_published_is_updated");
	is_int(put_and_clear(st, f, mk("g", "http://x/1", "T2", NULL, 200), 1500),
	       STORE_PUT_UPDATED, "put_dropped_content_is_updated");
	e = mk("g", "http://x/1", "T2", NULL, 200);
	entry_add_category(&e, "new category");
	is_int(put_and_clear(st, f, e, 1600), STORE_PUT_UPDATED,
	       "put_added_category_is_updated");
	e = mk("g", "http://x/1", "T2", NULL, 200);
	entry_add_category(&e, "new category");
	e.updated = 300;
	is_int(put_and_clear(st, f, e, 1700), STORE_PUT_UPDATED,
	       "put_changed_updated_date_is_updated");
	is_int(count_items(st), 1, "put_updates_in_place");
	store_list_items(st, NULL, 10, &it, &n);
	is_int(n, 1, "put_updates_keep_one_story");
	if (n == 1) {
		is_str(it[0].e.title, "T2", "put_update_changes_title");
		is_str(it[0].e.content, NULL, "put_update_clears_content");
		is_int(it[0].e.published, 200, "put_update_changes_published");
		is_int(it[0].first_seen, 1000, "put_update_keeps_first_seen");
	}
	store_items_free(it, n);
	store_close(st);
}

static void test_put_same_key_twice_in_one_txn(void)
{
	struct store *st = open_new();
	int64_t f = sync_feed(st, "a", "http://127.0.0.1/a", NULL, NULL);
	struct entry e1 = mk("dup", NULL, "One", NULL, 5);
	struct entry e2 = mk("dup", NULL, "Two", NULL, 5);
	enum store_put_result r1 = 99, r2 = 99;

	store_begin(st);
	store_put_entry(st, f, &e1, 100, &r1);
	store_put_entry(st, f, &e2, 100, &r2);
	store_commit(st);
	is_int(r1, STORE_PUT_NEW, "same_key_twice_first_is_new");
	is_int(r2, STORE_PUT_UPDATED, "same_key_twice_second_updates");
	is_int(count_items(st), 1, "same_key_twice_one_item");
	entry_clear(&e1);
	entry_clear(&e2);
	store_close(st);
}

static void test_same_guid_two_feeds(void)
{
	struct store *st = open_new();
	struct store_counts c = {0};
	int64_t a = sync_feed(st, "a", "http://127.0.0.1/a", NULL, NULL);
	int64_t b = sync_feed(st, "b", "http://127.0.0.1/b", NULL, NULL);

	is_int(put_and_clear(st, a, mk("g", NULL, "T", NULL, 1), 10),
	       STORE_PUT_NEW, "same_guid_first_feed_new");
	is_int(put_and_clear(st, b, mk("g", NULL, "T", NULL, 1), 10),
	       STORE_PUT_NEW, "same_guid_other_feed_new");
	store_count(st, &c);
	is_int(c.items, 2, "same_guid_two_feeds_two_items");
	is_int(c.stories, 2, "same_guid_two_feeds_two_stories");
	store_close(st);
}

static void test_key_fallbacks(void)
{
	struct store *st = open_new();
	int64_t f = sync_feed(st, "a", "http://127.0.0.1/a", NULL, NULL);

	is_int(put_and_clear(st, f, mk(NULL, "http://x/l", "A", NULL, 1), 10),
	       STORE_PUT_NEW, "key_link_first_is_new");
	is_int(put_and_clear(st, f, mk(NULL, "http://x/l", "B", NULL, 1), 20),
	       STORE_PUT_UPDATED, "key_link_same_link_other_title_updates");
	is_int(put_and_clear(st, f, mk("", "http://x/l", "B", NULL, 1), 25),
	       STORE_PUT_UPDATED, "key_empty_guid_falls_back_to_link");
	is_int(count_items(st), 1, "key_link_one_item");
	is_int(put_and_clear(st, f, mk(NULL, NULL, "H", "body", 1), 30),
	       STORE_PUT_NEW, "key_hash_first_is_new");
	is_int(put_and_clear(st, f, mk(NULL, NULL, "H", "body", 1), 40),
	       STORE_PUT_UNCHANGED, "key_hash_same_text_unchanged");
	is_int(put_and_clear(st, f, mk(NULL, NULL, "H", "other", 1), 50),
	       STORE_PUT_NEW, "key_hash_other_text_is_new");
	is_int(count_items(st), 3, "key_fallbacks_item_count");
	store_close(st);
}

static void test_list_order_limit(void)
{
	struct store *st = open_new();
	struct store_item *it = NULL;
	size_t n = 0;
	int64_t f = sync_feed(st, "a", "http://127.0.0.1/a", NULL, NULL);

	/* sort dates: old 100, nodate first_seen 300, new 500, mid 200 */
	put_and_clear(st, f, mk("old", NULL, "old", NULL, 100), 1000);
	put_and_clear(st, f, mk("nodate", NULL, "nodate", NULL,
				ENTRY_NO_DATE), 300);
	put_and_clear(st, f, mk("new", NULL, "new", NULL, 500), 1000);
	put_and_clear(st, f, mk("mid", NULL, "mid", NULL, 200), 1000);
	store_list_items(st, NULL, 10, &it, &n);
	is_int(n, 4, "list_returns_every_story");
	if (n == 4) {
		is_str(it[0].e.title, "new", "list_newest_published_first");
		is_str(it[1].e.title, "nodate", "list_undated_sorts_by_first_seen");
		is_str(it[2].e.title, "mid", "list_then_older");
		is_str(it[3].e.title, "old", "list_oldest_last");
		is_int(it[1].e.published, ENTRY_NO_DATE,
		       "list_null_published_is_no_date");
		is_int(it[1].e.updated, ENTRY_NO_DATE,
		       "list_null_updated_is_no_date");
		is_str(it[0].feed_name, "a", "list_carries_feed_name");
		is_str(it[0].feed_url, "http://127.0.0.1/a", "list_carries_feed_url");
		ok(it[0].story_id > 0 && it[0].item_id > 0 && it[0].feed_id == f,
		   "list_carries_ids");
	}
	store_items_free(it, n);
	store_list_items(st, NULL, 2, &it, &n);
	is_int(n, 2, "list_honours_limit");
	is_str(n == 2 ? it[1].e.title : NULL, "nodate", "list_limit_keeps_newest");
	store_items_free(it, n);
	/* A changed published date moves the story. */
	put_and_clear(st, f, mk("old", NULL, "old", NULL, 900), 1100);
	store_list_items(st, NULL, 1, &it, &n);
	is_str(n == 1 ? it[0].e.title : NULL, "old",
	       "list_update_of_published_resorts_story");
	store_items_free(it, n);
	store_close(st);
}

static void test_list_sections_and_retired(void)
{
	struct store *st = open_new();
	struct store_item *it = NULL;
	size_t n = 0;
	int64_t keep[2];
	int64_t a = sync_feed(st, "a", "http://127.0.0.1/a", NULL, "world");
	int64_t b = sync_feed(st, "b", "http://127.0.0.1/b", NULL, "sport");
	int64_t c = sync_feed(st, "c", "http://127.0.0.1/c", NULL, "world");

	put_and_clear(st, a, mk("a1", NULL, "a1", NULL, 10), 100);
	put_and_clear(st, b, mk("b1", NULL, "b1", NULL, 20), 100);
	put_and_clear(st, c, mk("c1", NULL, "c1", NULL, 30), 100);
	store_list_items(st, "world", 10, &it, &n);
	is_int(n, 2, "section_lists_only_its_feeds");
	is_str(n == 2 ? it[0].e.title : NULL, "c1", "section_list_newest_first");
	is_str(n == 2 ? it[1].e.title : NULL, "a1", "section_list_second");
	store_items_free(it, n);
	store_list_items(st, "nope", 10, &it, &n);
	is_int(n, 0, "unknown_section_lists_nothing");
	store_items_free(it, n);

	keep[0] = a;
	keep[1] = b;
	store_feed_retire_others(st, keep, 2);
	store_list_items(st, NULL, 10, &it, &n);
	is_int(n, 2, "retired_feed_hidden_from_merged_list");
	store_items_free(it, n);
	store_list_items(st, "world", 10, &it, &n);
	is_int(n, 1, "retired_feed_hidden_from_section_list");
	store_items_free(it, n);

	/* Moving a feed to another section moves its stories. */
	sync_feed(st, "a", "http://127.0.0.1/a", NULL, "sport");
	store_list_items(st, "sport", 10, &it, &n);
	is_int(n, 2, "section_change_moves_stories");
	store_items_free(it, n);
	store_close(st);
}

static void test_generation(void)
{
	struct store *st = open_new();
	struct feed_meta m = { .id = xstrdup("urn:x"), .title = xstrdup("T"),
			       .updated = 5 };
	char *sec[2] = { "s1", "s2" };
	int64_t keep[1];
	int64_t f;

	is_int(store_generation(st), 1, "generation_starts_at_1");
	is_int(store_changed_at(st), 0, "changed_at_empty_database_is_0");
	f = sync_feed(st, "a", "http://127.0.0.1/a", NULL, NULL);
	is_int(store_generation(st), 2, "generation_bumps_on_new_feed");
	sync_feed(st, "a", "http://127.0.0.1/a", NULL, NULL);
	is_int(store_generation(st), 2, "generation_same_on_unchanged_sync");
	store_feed_sync(st, "a", "http://127.0.0.1/a", NULL, sec, 2, &f);
	is_int(store_generation(st), 3, "generation_bumps_on_sections_change");
	store_feed_sync(st, "a", "http://127.0.0.1/a", NULL, sec, 2, &f);
	is_int(store_generation(st), 3, "generation_same_on_same_sections");
	store_feed_sync(st, "a", "http://127.0.0.1/a", "Title", sec, 2, &f);
	is_int(store_generation(st), 4, "generation_bumps_on_title_change");

	/* Feed sync stamps the wall clock; use times after it below. */
	put_and_clear(st, f, mk("g", NULL, "T", NULL, 1), 4000000000LL);
	is_int(store_generation(st), 5, "generation_bumps_on_new_item");
	is_int(store_changed_at(st), 4000000000LL, "changed_at_is_commit_now");
	put_and_clear(st, f, mk("g", NULL, "T", NULL, 1), 4000000100LL);
	is_int(store_generation(st), 5, "generation_same_on_unchanged_item");
	is_int(store_changed_at(st), 4000000000LL,
	       "changed_at_same_on_unchanged_item");
	put_and_clear(st, f, mk("g", NULL, "T2", NULL, 1), 4000000200LL);
	is_int(store_generation(st), 6, "generation_bumps_on_updated_item");

	store_begin(st);
	store_feed_set_meta(st, f, &m, 4000000300LL);
	is_int(store_generation(st), 6, "generation_waits_for_commit");
	store_commit(st);
	is_int(store_generation(st), 7, "generation_bumps_on_feed_meta_change");
	is_int(store_changed_at(st), 4000000300LL, "changed_at_on_meta_change");
	store_begin(st);
	store_feed_set_meta(st, f, &m, 4000000400LL);
	store_commit(st);
	is_int(store_generation(st), 7, "generation_same_on_same_feed_meta");

	keep[0] = f;
	store_feed_retire_others(st, keep, 1);
	is_int(store_generation(st), 7, "generation_same_on_noop_retire");
	store_feed_retire_others(st, NULL, 0);
	is_int(store_generation(st), 8, "generation_bumps_on_retire");
	feed_meta_clear(&m);
	store_close(st);
}

static void test_rollback(void)
{
	struct store *st = open_new();
	struct store_counts c = {0};
	struct entry e = mk("g", NULL, "T", NULL, 1);
	enum store_put_result r;
	int64_t f = sync_feed(st, "a", "http://127.0.0.1/a", NULL, NULL);
	uint64_t gen = store_generation(st);

	store_begin(st);
	store_put_entry(st, f, &e, 100, &r);
	is_int(store_rollback(st), 0, "rollback_succeeds");
	store_count(st, &c);
	is_int(c.items, 0, "rollback_leaves_no_item");
	is_int(c.stories, 0, "rollback_leaves_no_story");
	is_int(store_generation(st), gen, "rollback_keeps_generation");
	is_int(put1(st, f, &e, 100), STORE_PUT_NEW, "put_after_rollback_is_new");
	is_int(store_put_entry(st, f, &e, 100, &r), -1,
	       "put_outside_transaction_fails");
	store_begin(st);
	is_int(store_begin(st), -1, "nested_begin_fails");
	is_int(store_feed_retire_others(st, NULL, 0), -1,
	       "retire_inside_poll_transaction_fails");
	is_int(store_put_entry(st, 9999, &e, 100, &r), -1,
	       "put_for_unknown_feed_fails_foreign_key");
	store_rollback(st);
	is_int(count_items(st), 1, "failed_transaction_rolled_back");
	entry_clear(&e);
	store_close(st);
}

static void test_counts(void)
{
	struct store *st = open_new();
	struct store_counts c = {0};
	int64_t a = sync_feed(st, "a", "http://127.0.0.1/a", NULL, NULL);
	int64_t b = sync_feed(st, "b", "http://127.0.0.1/b", NULL, NULL);
	int64_t keep[1] = { a };

	put_and_clear(st, a, mk("1", NULL, "1", NULL, 1), 10);
	put_and_clear(st, a, mk("2", NULL, "2", NULL, 1), 10);
	put_and_clear(st, b, mk("3", NULL, "3", NULL, 1), 10);
	is_int(store_count(st, &c), 0, "count_succeeds");
	is_int(c.feeds, 2, "count_feeds");
	is_int(c.items, 3, "count_items");
	is_int(c.stories, 3, "count_stories");
	store_feed_retire_others(st, keep, 1);
	store_count(st, &c);
	is_int(c.items, 3, "count_items_includes_retired_feeds");
	is_int(c.stories, 2, "count_stories_only_of_active_feeds");
	store_close(st);
}

static void diag_plan(const char *plan)
{
	const char *nl;

	for (; plan && *plan; plan = nl + 1) {
		nl = strchr(plan, '\n');
		if (!nl)
			break;
		diag("plan: %.*s", (int)(nl - plan), plan);
	}
}

static void test_query_plan(void)
{
	struct store *st = open_new();
	char *plan = store_list_plan(st, NULL);

	ok(plan != NULL, "list_plan_available");
	ok(plan && strstr(plan, "stories_sort") != NULL,
	   "merged_list_uses_sort_index");
	ok(plan && strstr(plan, "TEMP B-TREE") == NULL,
	   "merged_list_needs_no_temp_btree");
	diag_plan(plan);
	free(plan);
	plan = store_list_plan(st, "world");
	ok(plan && strstr(plan, "TEMP B-TREE") == NULL,
	   "section_list_needs_no_temp_btree");
	ok(plan && strstr(plan, "items_story") != NULL,
	   "section_list_finds_story_items_by_index");
	free(plan);
	store_close(st);
}

static void test_round_trips(void)
{
	struct store *st = open_new();
	struct store_item *it = NULL;
	size_t n = 0;
	struct entry e = mk("g", "http://x/", "T", NULL, ENTRY_NO_DATE);
	int64_t f = sync_feed(st, "a", "http://127.0.0.1/a", NULL, NULL);

	e.summary = xstrdup("<p>sum</p>");
	e.author = xstrdup("Ann");
	e.updated = 1234;
	entry_add_category(&e, "World");
	entry_add_category(&e, "Two words");
	entry_add_category(&e, "line\nbreak");
	put1(st, f, &e, 50);
	store_list_items(st, NULL, 10, &it, &n);
	is_int(n, 1, "round_trip_one_item");
	if (n == 1) {
		is_int(it[0].e.n_categories, 3, "categories_round_trip_count");
		if (it[0].e.n_categories == 3) {
			is_str(it[0].e.categories[0], "World",
			       "categories_round_trip_first");
			is_str(it[0].e.categories[1], "Two words",
			       "categories_round_trip_with_space");
			is_str(it[0].e.categories[2], "line break",
			       "categories_newline_becomes_space");
		}
		is_int(it[0].e.published, ENTRY_NO_DATE,
		       "no_published_round_trips_as_no_date");
		is_int(it[0].e.updated, 1234, "updated_round_trips");
		is_str(it[0].e.summary, "<p>sum</p>", "summary_round_trips");
		is_str(it[0].e.author, "Ann", "author_round_trips");
		is_str(it[0].e.content, NULL, "null_content_round_trips");
		is_int(it[0].feed_updated, ENTRY_NO_DATE,
		       "feed_without_updated_is_no_date");
	}
	store_items_free(it, n);
	is_int(put1(st, f, &e, 60), STORE_PUT_UNCHANGED,
	       "categories_stable_for_content_hash");
	entry_clear(&e);
	store_close(st);
}

/* An entry with every issue 3 field set. */
static struct entry mk_full(void)
{
	struct entry e = mk("urn:full", "http://x/full", "Full", "<p>c</p>",
			    1700000000);
	struct entry_enclosure *enc;

	e.updated = 1700000600;
	e.summary = xstrdup("<p>s</p>");
	e.author = xstrdup("Ann Author");
	entry_add_person(&e.authors, &e.n_authors, "Ann Author",
			 "ann@example.org", "http://ann.example/");
	entry_add_person(&e.authors, &e.n_authors, "Bo Second", NULL, NULL);
	entry_add_person(&e.contributors, &e.n_contributors, "Cy Helper",
			 "cy@example.org", NULL);
	entry_add_category_full(&e, "science", "http://x/cats", "Science");
	entry_add_category(&e, "plain");
	entry_add_enclosure(&e, "http://x/t.jpg", "image/jpeg",
			    ENTRY_NO_LENGTH, ENTRY_MEDIA_THUMBNAIL);
	enc = entry_add_enclosure(&e, "http://x/a.mp3", "audio/mpeg", 1000,
				  ENTRY_MEDIA_ENCLOSURE);
	if (enc) {
		enc->duration = 61;
		enc->title = xstrdup("Episode");
	}
	entry_add_enclosure(&e, "http://x/b.mp4", NULL, ENTRY_NO_LENGTH,
			    ENTRY_MEDIA_CONTENT);
	e.comments = xstrdup("http://x/full#comments");
	e.language = xstrdup("fr-CA");
	e.source.id = xstrdup("urn:origin");
	e.source.title = xstrdup("Origin Wire");
	e.source.link = xstrdup("http://origin.example/");
	e.source.feed_url = xstrdup("http://origin.example/feed");
	e.source.updated = 1699990000;
	return e;
}

/* Issue 3's fields (authors, contributors, category scheme/label,
 * enclosures and media, comments, language, source) survive put -> list
 * whole, reach the renderer, and a change in one of them is an update. */
static void test_issue3_fields_round_trip(void)
{
	struct store *st = open_new();
	struct store_item *it = NULL;
	struct render_meta m = { "T", NULL, "urn:t", "http://127.0.0.1/feed.atom",
				 NULL, ENTRY_NO_DATE, NULL, NULL };
	struct buf out = {0};
	size_t n = 0;
	struct entry e = mk_full();
	int64_t f = sync_feed(st, "a", "http://127.0.0.1/a", NULL, NULL);
	json_t *want = entry_json_full(&e), *got = NULL;
	char *ws = json_dumps(want, JSON_SORT_KEYS), *gs = NULL;

	is_int(put1(st, f, &e, 50), STORE_PUT_NEW, "full_entry_stored");
	store_list_items(st, NULL, 10, &it, &n);
	is_int(n, 1, "full_entry_listed");
	if (n == 1) {
		got = entry_json_full(&it[0].e);
		gs = json_dumps(got, JSON_SORT_KEYS);
		is_str(gs, ws, "every_issue3_field_survives_put_and_list");
		is_int(render_atom(&m, it, n, &out), 0, "listed_entry_renders");
		ok(out.data && strstr(out.data, "<contributor>") &&
		   strstr(out.data, "rel=\"enclosure\" type=\"audio/mpeg\" "
			  "length=\"1000\" title=\"Episode\"") &&
		   strstr(out.data, "label=\"Science\"") &&
		   strstr(out.data, "xml:lang=\"fr-CA\""),
		   "listed_fields_reach_the_atom_output");
	}
	store_items_free(it, n);
	is_int(put1(st, f, &e, 60), STORE_PUT_UNCHANGED,
	       "same_issue3_fields_unchanged");
	e.enclosures[1].length = 2000;
	is_int(put1(st, f, &e, 70), STORE_PUT_UPDATED,
	       "changed_enclosure_length_is_an_update");
	free(e.contributors[0].name);
	e.contributors[0].name = xstrdup("Cy Renamed");
	is_int(put1(st, f, &e, 80), STORE_PUT_UPDATED,
	       "changed_contributor_is_an_update");
	free(ws);
	free(gs);
	json_decref(want);
	json_decref(got);
	buf_free(&out);
	entry_clear(&e);
	store_close(st);
}

static void test_thousand_entries(void)
{
	struct store *st = open_new();
	int64_t f = sync_feed(st, "a", "http://127.0.0.1/a", NULL, NULL);
	enum store_put_result r;
	char guid[32], *plan;
	int i, fails = 0;

	store_begin(st);
	for (i = 0; i < 1000; i++) {
		struct entry e;

		snprintf(guid, sizeof guid, "item-%d", i);
		e = mk(guid, NULL, guid, "body", 1000 + i);
		if (store_put_entry(st, f, &e, 5000, &r) || r != STORE_PUT_NEW)
			fails++;
		entry_clear(&e);
	}
	is_int(store_commit(st), 0, "thousand_entries_commit");
	is_int(fails, 0, "thousand_entries_all_new");
	is_int(count_items(st), 1000, "thousand_entries_stored");
	plan = store_list_plan(st, NULL);
	ok(plan && strstr(plan, "TEMP B-TREE") == NULL,
	   "merged_list_no_temp_btree_with_1000_items");
	free(plan);
	store_close(st);
}

static void remove_tmpdir(void)
{
	char path[300];
	int i;

	/* Each database may leave -wal/-shm files behind if a test failed. */
	for (i = 1; i <= db_serial; i++) {
		snprintf(path, sizeof path, "%s/t%d.db", tmpdir, i);
		unlink(path);
		snprintf(path, sizeof path, "%s/t%d.db-wal", tmpdir, i);
		unlink(path);
		snprintf(path, sizeof path, "%s/t%d.db-shm", tmpdir, i);
		unlink(path);
	}
	if (rmdir(tmpdir) != 0)
		diag("could not remove %s", tmpdir);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_open_creates_schema();
	test_open_wal();
	test_cache_size();
	test_reopen_keeps_data();
	test_newer_version_refused();
	test_not_a_database_refused();
	test_feed_sync();
	test_feed_title_fallback();
	test_feed_retire_and_list();
	test_put_results();
	test_put_same_key_twice_in_one_txn();
	test_same_guid_two_feeds();
	test_key_fallbacks();
	test_list_order_limit();
	test_list_sections_and_retired();
	test_generation();
	test_rollback();
	test_counts();
	test_query_plan();
	test_round_trips();
	test_issue3_fields_round_trip();
	test_thousand_entries();
	remove_tmpdir();
	return done_testing();
}
