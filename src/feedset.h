/*
 * feedset.h — the configured feeds as the running daemon sees them: each
 * with its store id, host, and what happened to it since start.
 */
#ifndef FEEDMUX_FEEDSET_H
#define FEEDMUX_FEEDSET_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct config_feed;
struct store;

struct feedset_feed {
	int64_t id;			/* store id */
	const struct config_feed *cf;	/* borrowed from the config */
	char host[256];			/* for the per-host limit */
	int polled;			/* polled at least once since start */
	int failing;			/* POLL_FAILING_AFTER errors in a row, or gone */
};

struct feedset {
	struct feedset_feed *feeds;	/* owned, sorted by id */
	size_t n;
};

/*
 * Fills out from cfg: syncs every feed into the store (new rows, changed
 * URLs, titles, sections) and retires stored feeds no longer configured.
 * old (NULL at start) passes polled/failing on to feeds that stay.
 * 0, or -1 after a store error (out is then empty).
 */
int feedset_build(struct feedset *out, const struct config *cfg,
		  struct store *st, const struct feedset *old);
/* The feed with store id, or NULL. */
struct feedset_feed *feedset_find(const struct feedset *fs, int64_t id);
void feedset_clear(struct feedset *fs);

#endif
