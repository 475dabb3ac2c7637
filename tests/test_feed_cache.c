/*
 * test_feed_cache.c — each feed's dedupe settings in memory
 * (feed_cache.c): a feed's settings come back as stored until that feed
 * is forgotten or the cache is cleared; growing keeps what was stored;
 * ids out of range are never kept.
 */
#include "feed_cache.h"
#include "tap.h"

static void test_get_put_forget(void)
{
	struct feed_cache *c = feed_cache_new();
	int prio = -99, dedupe = -99;

	is_int(feed_cache_get(c, 1, &prio, &dedupe), -1, "empty_cache_misses");
	feed_cache_put(c, 1, 10, 1);
	feed_cache_put(c, 2, -5, 0);
	ok(feed_cache_get(c, 1, &prio, &dedupe) == 0 && prio == 10 &&
	   dedupe == 1, "feed_settings_found_as_stored");
	ok(feed_cache_get(c, 2, &prio, &dedupe) == 0 && prio == -5 &&
	   dedupe == 0, "negative_priority_and_dedupe_off_kept");
	is_int(feed_cache_get(c, 3, &prio, &dedupe), -1, "other_feed_misses");
	feed_cache_put(c, 1, 20, 0);
	ok(feed_cache_get(c, 1, &prio, &dedupe) == 0 && prio == 20 &&
	   dedupe == 0, "put_again_replaces");
	feed_cache_forget(c, 1);
	is_int(feed_cache_get(c, 1, &prio, &dedupe), -1, "forgotten_feed_misses");
	ok(feed_cache_get(c, 2, &prio, &dedupe) == 0 && prio == -5,
	   "forget_leaves_other_feeds");
	feed_cache_forget(c, 123456);	/* never stored: nothing happens */
	feed_cache_clear(c);
	is_int(feed_cache_get(c, 2, &prio, &dedupe), -1, "cleared_cache_misses");
	feed_cache_put(c, 2, 7, 1);
	ok(feed_cache_get(c, 2, &prio, &dedupe) == 0 && prio == 7,
	   "cleared_cache_keeps_again");
	feed_cache_free(c);
	feed_cache_free(NULL);
}

static void test_growth_and_range(void)
{
	struct feed_cache *c = feed_cache_new();
	int prio = 0, dedupe = 0, all = 1;
	int64_t id;

	for (id = 1; id <= 10000; id++)
		feed_cache_put(c, id, (int)(id % 7), (int)(id % 2));
	for (id = 1; id <= 10000; id++)
		all &= feed_cache_get(c, id, &prio, &dedupe) == 0 &&
		       prio == id % 7 && dedupe == id % 2;
	ok(all, "ten_thousand_feeds_kept_through_growth");
	feed_cache_put(c, -1, 1, 1);
	is_int(feed_cache_get(c, -1, &prio, &dedupe), -1, "negative_id_not_kept");
	feed_cache_put(c, FEED_CACHE_MAX_ID, 1, 1);
	is_int(feed_cache_get(c, FEED_CACHE_MAX_ID, &prio, &dedupe), -1,
	       "id_past_the_bound_not_kept");
	feed_cache_put(c, FEED_CACHE_MAX_ID - 1, 3, 1);
	ok(feed_cache_get(c, FEED_CACHE_MAX_ID - 1, &prio, &dedupe) == 0 &&
	   prio == 3, "highest_id_in_bound_kept");
	feed_cache_free(c);
}

int main(void)
{
	test_get_put_forget();
	test_growth_and_range();
	return done_testing();
}
