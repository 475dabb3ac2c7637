/*
 * cache.c — rendered response bodies, each with its gzip form and ETag,
 * kept per key until the store generation moves on.
 *
 * A small fixed-capacity table searched linearly: keys are request paths
 * with a limit, and max_entries is a few dozen to a few hundred, so a scan
 * costs less than one render.  Entries carry a use tick; when the table is
 * full the least recently used one makes room.
 */
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "buf.h"
#include "cache.h"

#define GZIP_LEVEL 6
#define GZIP_WINDOW_BITS (15 + 16)	/* 32 KiB window, gzip wrapper (RFC 1952) */
#define GZIP_MEM_LEVEL 8
#define GZIP_CHUNK 16384
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

/*
 * A body and its gzip form live in reference-counted blocks, so a reply
 * can hand the bytes to libevent without copying them
 * (evbuffer_add_reference) and the cache can still drop the entry while
 * the reply is being written: the last holder frees the block.
 */
struct blob {
	size_t refs;
	char data[];	/* NUL-terminated */
};

static struct blob *blob_of(const char *data)
{
	return (struct blob *)(void *)(data - offsetof(struct blob, data));
}

/* A block holding a copy of len bytes at p, with one reference. */
static char *blob_new(const char *p, size_t len)
{
	struct blob *b = xmalloc(sizeof *b + len + 1);

	b->refs = 1;
	if (len)
		memcpy(b->data, p, len);
	b->data[len] = '\0';
	return b->data;
}

void cache_hold(const char *data)
{
	blob_of(data)->refs++;
}

void cache_release(const void *data, size_t len, void *unused)
{
	struct blob *b;

	(void)len;
	(void)unused;
	if (!data)
		return;
	b = blob_of(data);
	if (--b->refs == 0)
		free(b);
}

struct slot {
	char *key;		/* owned; NULL while the slot is free */
	struct cached c;
	uint64_t used;		/* tick of the last get or put */
};

struct cache {
	struct slot *slots;	/* owned, max_entries of them */
	size_t max_entries;
	uint64_t tick;
};

struct cache *cache_create(size_t max_entries)
{
	struct cache *c = xcalloc(1, sizeof *c);

	c->max_entries = max_entries ? max_entries : 1;
	c->slots = xcalloc(c->max_entries, sizeof *c->slots);
	return c;
}

/* Frees what the slot owns and marks it free. */
static void slot_clear(struct slot *s)
{
	free(s->key);
	cache_release(s->c.body, s->c.len, NULL);
	cache_release(s->c.gz, s->c.gz_len, NULL);
	memset(s, 0, sizeof *s);
}

void cache_free(struct cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->max_entries; i++)
		slot_clear(&c->slots[i]);
	free(c->slots);
	free(c);
}

static struct slot *cache_find(struct cache *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->max_entries; i++)
		if (c->slots[i].key && strcmp(c->slots[i].key, key) == 0)
			return &c->slots[i];
	return NULL;
}

const struct cached *cache_get(struct cache *c, const char *key,
			       uint64_t generation)
{
	struct slot *s = cache_find(c, key);

	if (!s || s->c.generation != generation)
		return NULL;
	s->used = ++c->tick;
	return &s->c;
}

/* The slot for key: its own, else a free one, else the least recently
 * used one, emptied. */
static struct slot *cache_slot_for(struct cache *c, const char *key)
{
	struct slot *s = cache_find(c, key), *lru = NULL;
	size_t i;

	if (!s) {
		for (i = 0; i < c->max_entries && !s; i++) {
			if (!c->slots[i].key)
				s = &c->slots[i];
			else if (!lru || c->slots[i].used < lru->used)
				lru = &c->slots[i];
		}
		if (!s)
			s = lru;
	}
	slot_clear(s);
	return s;
}

/* A strong validator (RFC 9110 §8.8.3): the FNV-1a 64 hash of the bytes,
 * so the same body always gets the same tag. */
static void cache_etag(const char *body, size_t len, char *out, size_t outlen)
{
	uint64_t h = FNV_OFFSET;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)body[i];
		h *= FNV_PRIME;
	}
	snprintf(out, outlen, "\"%016" PRIx64 "\"", h);
}

const struct cached *cache_put(struct cache *c, const char *key,
			       uint64_t generation, char *body, size_t len,
			       const char *content_type,
			       int64_t last_modified)
{
	struct slot *s = cache_slot_for(c, key);
	struct buf gz = {0};

	s->key = xstrdup(key);
	s->c.len = body ? len : 0;
	s->c.body = blob_new(body, s->c.len);
	free(body);
	/* Without a gzip form the body is still served, just uncompressed. */
	if (cache_gzip(s->c.body, s->c.len, &gz) == 0) {
		s->c.gz_len = gz.len;
		s->c.gz = blob_new(gz.data, gz.len);
	}
	buf_free(&gz);
	cache_etag(s->c.body, s->c.len, s->c.etag, sizeof s->c.etag);
	s->c.last_modified = last_modified;
	s->c.content_type = content_type;
	s->c.generation = generation;
	s->used = ++c->tick;
	return &s->c;
}

/* Runs deflate over the whole input, appending every output chunk. */
static int gzip_run(z_stream *zs, const char *in, size_t len, struct buf *out)
{
	unsigned char chunk[GZIP_CHUNK];
	int flush, rc;

	zs->next_in = (unsigned char *)in;
	do {
		zs->avail_in = len > UINT_MAX ? UINT_MAX : (uInt)len;
		len -= zs->avail_in;
		flush = len ? Z_NO_FLUSH : Z_FINISH;
		do {
			zs->next_out = chunk;
			zs->avail_out = sizeof chunk;
			rc = deflate(zs, flush);
			if (rc == Z_STREAM_ERROR)
				return -1;
			buf_append(out, chunk, sizeof chunk - zs->avail_out);
		} while (zs->avail_out == 0);
	} while (flush != Z_FINISH);
	return rc == Z_STREAM_END ? 0 : -1;
}

int cache_gzip(const char *in, size_t len, struct buf *out)
{
	size_t start = out->len;
	z_stream zs;
	int rc;

	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, GZIP_LEVEL, Z_DEFLATED, GZIP_WINDOW_BITS,
			 GZIP_MEM_LEVEL, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	rc = gzip_run(&zs, in, len, out);
	deflateEnd(&zs);
	if (rc) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
	}
	return rc;
}
