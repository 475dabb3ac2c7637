/*
 * feed_cache.c — each feed's dedupe settings in memory (feed_cache.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "feed_cache.h"

struct feed_slot {
	int priority;
	unsigned char dedupe;
	unsigned char known;
};

struct feed_cache {
	struct feed_slot *slot;	/* owned; slot[id] for id < n */
	size_t n;
};

struct feed_cache *feed_cache_new(void)
{
	return xcalloc(1, sizeof(struct feed_cache));
}

void feed_cache_free(struct feed_cache *c)
{
	if (!c)
		return;
	free(c->slot);
	free(c);
}

int feed_cache_get(const struct feed_cache *c, int64_t id, int *priority,
		   int *dedupe)
{
	const struct feed_slot *s;

	if (id < 0 || (uint64_t)id >= c->n || !c->slot[id].known)
		return -1;
	s = &c->slot[id];
	*priority = s->priority;
	*dedupe = s->dedupe;
	return 0;
}

void feed_cache_put(struct feed_cache *c, int64_t id, int priority,
		    int dedupe)
{
	size_t n;

	if (id < 0 || id >= FEED_CACHE_MAX_ID)
		return;
	if ((size_t)id >= c->n) {
		/* Doubling: a first poll of N feeds grows it log2(N) times. */
		for (n = c->n ? c->n : 64; n <= (size_t)id; n *= 2)
			;
		c->slot = xrealloc(c->slot, n * sizeof *c->slot);
		memset(c->slot + c->n, 0, (n - c->n) * sizeof *c->slot);
		c->n = n;
	}
	c->slot[id].priority = priority;
	c->slot[id].dedupe = dedupe != 0;
	c->slot[id].known = 1;
}

void feed_cache_forget(struct feed_cache *c, int64_t id)
{
	if (id >= 0 && (uint64_t)id < c->n)
		c->slot[id].known = 0;
}

void feed_cache_clear(struct feed_cache *c)
{
	if (c->n)
		memset(c->slot, 0, c->n * sizeof *c->slot);
}
