/*
 * feed_cache.h — each feed's dedupe settings (its priority and dedupe
 * flag), kept in memory by the store so that storing a new item does not
 * read its feed's row again (store_story.c; the settings change only
 * when the configuration is loaded, the items come by the thousand).
 *
 * The store fills it from the feeds table on a miss and empties an entry
 * whenever that feed's settings are written and everything on a
 * rollback, so it never holds what the database does not (store.c,
 * store_story.c).
 *
 * Direct-mapped on the feed id (feed ids are given in sequence from 1):
 * 8 bytes per id up to the highest id stored, ids from FEED_CACHE_MAX_ID
 * on are never kept (their lookups go to the database), so it takes at
 * most 2 MiB, 80 KB with 10,000 feeds.
 */
#ifndef FEEDMUX_FEED_CACHE_H
#define FEEDMUX_FEED_CACHE_H

#include <stdint.h>

#define FEED_CACHE_MAX_ID (1 << 18)

struct feed_cache;

/* An empty cache (caller frees with feed_cache_free(), which takes
 * NULL). */
struct feed_cache *feed_cache_new(void);
void feed_cache_free(struct feed_cache *c);

/* 0 and the settings of feed id when they are kept, -1 when not. */
int feed_cache_get(const struct feed_cache *c, int64_t id, int *priority,
		   int *dedupe);
/* Keeps feed id's settings (nothing when id is out of range). */
void feed_cache_put(struct feed_cache *c, int64_t id, int priority,
		    int dedupe);
/* Drops feed id's settings / every feed's. */
void feed_cache_forget(struct feed_cache *c, int64_t id);
void feed_cache_clear(struct feed_cache *c);

#endif
