/*
 * print_cache.h — the fingerprints (dedupe_print) of the newest items,
 * by item id, so that a candidate's stored text is not read, normalised
 * and fingerprinted again each time a new item is compared with it
 * (store_story.c; that was ~20% of the CPU time of a first poll).
 *
 * Direct-mapped on the id: item ids are given in sequence, so the newest
 * `slots` items each have a slot of their own, a ring.  Every slot is
 * allocated once, with room for the largest print (dedupe.h's token
 * caps): storing and finding a print copies it and never calls malloc
 * or free (a version with a heap-allocated print per entry lost its gain
 * to glibc trimming and growing the heap).
 *
 * Each print is stored under a tag of what it is made from (the row's
 * content hash and first_seen): an item updated since, or an id given
 * again after a rollback, misses instead of returning a stale print.
 */
#ifndef FEEDMUX_PRINT_CACHE_H
#define FEEDMUX_PRINT_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "dedupe.h"

/* Longest canonical URL a slot holds (with its NUL); an item with a
 * longer one is not kept. */
#define PRINT_CACHE_URL_MAX 256

struct print_cache;

/* A cache of `slots` prints (rounded up to a power of two, at least 1),
 * allocated here; the caller frees it with print_cache_free(). */
struct print_cache *print_cache_new(size_t slots);
void print_cache_free(struct print_cache *c);

/* Copies p (borrowed) into id's slot under tag, dropping what held the
 * slot.  Returns 0, or -1 when p does not fit a slot (then the slot is
 * left empty).  Tag 0 is never stored. */
int print_cache_put(struct print_cache *c, int64_t id, uint64_t tag,
		    const struct dedupe_print *p);

/* Fills *out with the print stored under (id, tag) and returns 0, or
 * returns -1.  out's arrays and URL are borrowed from the cache until its
 * next print_cache_put(); never pass out to dedupe_print_clear(). */
int print_cache_get(struct print_cache *c, int64_t id, uint64_t tag,
		    struct dedupe_print *out);

/* Gets that found a print, and gets in all (for the log). */
void print_cache_counts(const struct print_cache *c, uint64_t *hits,
			uint64_t *gets);

#endif
