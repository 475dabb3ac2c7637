/*
 * feedset.c — config feeds <-> store rows, kept sorted by id.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "feedset.h"
#include "poll.h"
#include "schedule.h"
#include "store.h"

static int by_id(const void *a, const void *b)
{
	const struct feedset_feed *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Runtime flags of a feed that stays; the store's memory for a new one. */
static void carry_state(struct feedset_feed *ff, const struct feedset *old,
			struct store *st)
{
	struct feedset_feed *prev = old ? feedset_find(old, ff->id) : NULL;
	struct store_feed row;

	if (prev) {
		ff->polled = prev->polled;
		ff->failing = prev->failing;
		return;
	}
	memset(&row, 0, sizeof row);
	if (store_feed_get(st, ff->id, &row) == 0)
		ff->failing = row.gone || poll_is_failing(row.errors);
	store_feed_clear(&row);
}

int feedset_build(struct feedset *out, const struct config *cfg,
		  struct store *st, const struct feedset *old)
{
	int64_t *ids;
	size_t i;

	memset(out, 0, sizeof *out);
	store_set_dedupe(st, cfg->dedupe_window_s, cfg->dedupe_threshold);
	(void)store_set_cache_size(st, cfg->cache_size);
	out->feeds = xcalloc(cfg->n_feeds, sizeof *out->feeds);
	ids = xcalloc(cfg->n_feeds, sizeof *ids);
	for (i = 0; i < cfg->n_feeds; i++) {
		const struct config_feed *cf = &cfg->feeds[i];
		struct feedset_feed *ff = &out->feeds[i];

		if (store_feed_sync(st, cf->name, cf->url, cf->title,
				    cf->sections, cf->n_sections, &ff->id) ||
		    store_feed_set_dedupe(st, ff->id, cf->priority, cf->dedupe))
			goto fail;
		ff->cf = cf;
		schedule_host_of(cf->url, ff->host, sizeof ff->host);
		carry_state(ff, old, st);
		ids[i] = ff->id;
	}
	out->n = cfg->n_feeds;
	if (store_feed_retire_others(st, ids, cfg->n_feeds) != 0)
		goto fail;
	free(ids);
	qsort(out->feeds, out->n, sizeof *out->feeds, by_id);
	return 0;
fail:
	free(ids);
	feedset_clear(out);
	return -1;
}

struct feedset_feed *feedset_find(const struct feedset *fs, int64_t id)
{
	struct feedset_feed key;

	if (!fs->n)
		return NULL;
	key.id = id;
	return bsearch(&key, fs->feeds, fs->n, sizeof key, by_id);
}

void feedset_clear(struct feedset *fs)
{
	free(fs->feeds);
	fs->feeds = NULL;
	fs->n = 0;
}
