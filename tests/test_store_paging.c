/*
 * test_store_paging.c — store_list_items_before(): the cursor behind
 * RFC 5005 paged feeds.  Walking the pages from the newest must give every
 * story exactly once, in order, also when new stories arrive in between
 * and when stories share a date (the story id breaks the tie).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "entry.h"
#include "store.h"
#include "tap.h"

#define N_STORIES 25
#define PAGE 4
#define SAME_DATE 5000
#define NEWEST 4000000000LL

static char tmpdir[] = "/tmp/test_store_paging.XXXXXX";

static void put(struct store *st, int64_t feed, int i, int64_t published)
{
	struct entry e = { 0 };
	enum store_put_result r;
	char guid[32];

	snprintf(guid, sizeof guid, "g%02d", i);
	e.guid = xstrdup(guid);
	e.title = xstrdup(guid);
	e.published = published;
	e.updated = ENTRY_NO_DATE;
	if (store_begin(st) || store_put_entry(st, feed, &e, 9000, &r) ||
	    store_commit(st))
		diag("storing %s failed", guid);
	entry_clear(&e);
}

/* Walks every page of section (NULL: merged); appends each title and a
 * space to seen.  Returns the number of pages. */
static int walk(struct store *st, const char *section, struct buf *seen,
		int add_after_first, int64_t feed)
{
	int64_t date = INT64_MAX, id = INT64_MAX;
	struct store_item *items;
	size_t n, i;
	int pages = 0;

	for (;;) {
		if (store_list_items_before(st, section, PAGE, date, id, &items,
					    &n) < 0 || pages > N_STORIES)
			return -1;
		if (n == 0)
			return pages;
		pages++;
		for (i = 0; i < n; i++)
			buf_printf(seen, "%s ", items[i].e.title);
		date = items[n - 1].sort_date;
		id = items[n - 1].story_id;
		store_items_free(items, n);
		if (add_after_first && pages == 1)
			put(st, feed, 99, NEWEST);	/* newer than all */
	}
}

int main(void)
{
	char path[300], err[256] = "", *sec[1] = { "world" };
	struct buf want = { 0 }, seen = { 0 };
	struct store_item *items;
	struct store *st;
	int64_t feed = -1;
	size_t n;
	int i;

	if (!mkdtemp(tmpdir))
		return 1;
	snprintf(path, sizeof path, "%s/p.db", tmpdir);
	st = store_open(path, err, sizeof err);
	if (!st || store_feed_sync(st, "wire", "http://127.0.0.1/w", NULL, sec,
				   1, &feed)) {
		diag("open: %s", err);
		return 1;
	}
	/* g00..g09 share one date; g10..g24 are one day apart, newest last. */
	for (i = 0; i < N_STORIES; i++)
		put(st, feed, i, i < 10 ? SAME_DATE : SAME_DATE + i * 86400);
	for (i = N_STORIES - 1; i >= 10; i--)
		buf_printf(&want, "g%02d ", i);
	for (i = 9; i >= 0; i--)
		buf_printf(&want, "g%02d ", i);	/* same date: newer id first */

	is_int(walk(st, NULL, &seen, 0, feed), (N_STORIES + PAGE - 1) / PAGE,
	       "paging_merged_takes_ceil_n_over_page_pages");
	is_str(seen.data, want.data, "paging_merged_sees_each_story_once_in_order");
	buf_reset(&seen);
	is_int(walk(st, "world", &seen, 0, feed), (N_STORIES + PAGE - 1) / PAGE,
	       "paging_section_page_count");
	is_str(seen.data, want.data, "paging_section_sees_each_story_once_in_order");
	buf_reset(&seen);
	walk(st, NULL, &seen, 1, feed);
	is_str(seen.data, want.data,
	       "paging_cursor_stable_when_a_newer_story_arrives_mid_walk");
	ok(store_list_items_before(st, NULL, 50, SAME_DATE, 0, &items, &n) == 0 &&
	   n == 0, "paging_before_the_oldest_is_empty");
	store_items_free(items, n);
	ok(store_list_items(st, NULL, 1, &items, &n) == 0 && n == 1 &&
	   items[0].sort_date == NEWEST, "list_items_reports_sort_date");
	store_items_free(items, n);

	buf_free(&want);
	buf_free(&seen);
	store_close(st);
	unlink(path);
	snprintf(path, sizeof path, "%s/p.db-wal", tmpdir);
	unlink(path);
	snprintf(path, sizeof path, "%s/p.db-shm", tmpdir);
	unlink(path);
	rmdir(tmpdir);
	return done_testing();
}
