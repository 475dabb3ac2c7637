/*
 * cache.h — rendered response bodies, kept until the store changes.
 *
 * A body is stored with its gzip form, a strong ETag and its
 * Last-Modified time under a key (the request path and limit), tagged
 * with the store generation it was rendered from.  A lookup with another
 * generation misses, so nothing stale is ever served.
 */
#ifndef FEEDMUX_CACHE_H
#define FEEDMUX_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct cached {
	char *body;		/* owned by the cache (reference-counted) */
	size_t len;
	char *gz;		/* gzip of body, owned */
	size_t gz_len;
	char etag[40];		/* "\"<16 hex>\"", quotes included */
	int64_t last_modified;	/* Unix seconds */
	const char *content_type;	/* static string */
	uint64_t generation;
};

struct cache;

struct cache *cache_create(size_t max_entries);
void cache_free(struct cache *c);	/* NULL is fine */

/* The entry for key rendered at generation, or NULL.  Borrowed until the
 * next cache_put or cache_free. */
const struct cached *cache_get(struct cache *c, const char *key,
			       uint64_t generation);
/*
 * Stores body (taken: the cache frees it) under key, computing gzip and
 * ETag; evicts the oldest entry beyond max_entries.  Returns the entry,
 * borrowed as for cache_get.
 */
const struct cached *cache_put(struct cache *c, const char *key,
			       uint64_t generation, char *body, size_t len,
			       const char *content_type,
			       int64_t last_modified);

/*
 * For a writer that may outlive the entry (the cache can drop it at the
 * next put): cache_hold() takes a reference on a cached body or gz, and
 * cache_release() drops it (its signature is libevent's
 * evbuffer_ref_cleanup_cb, so it can be handed to evbuffer_add_reference).
 */
void cache_hold(const char *data);
void cache_release(const void *data, size_t len, void *unused);

/* gzip-compresses in into out (appended).  0, or -1 if zlib failed. */
struct buf;
int cache_gzip(const char *in, size_t len, struct buf *out);

#endif
