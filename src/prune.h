/*
 * prune.h — keeping the database bounded over months of unattended
 * running: retention pruning with tombstones, and WAL checkpoints, both
 * run from timers on the event loop.
 *
 * An item is pruned when it is older than `retention` (its published
 * date, or when it was first seen if it has none or a later one) and not
 * among its feed's PRUNE_KEEP_PER_FEED newest.  Each pruned item leaves a
 * tombstone (feed, item key) so that the feed still listing it does not
 * bring it back as new; a tombstone is forgotten once a retention period
 * has passed since the item was pruned or last listed.
 */
#ifndef FEEDMUX_PRUNE_H
#define FEEDMUX_PRUNE_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct store;

#define PRUNE_KEEP_PER_FEED 50	/* SPEC.md: retention */

/*
 * Prunes at most max_items items (and the stories left without an item)
 * in one transaction, at time now, and forgets expired tombstones.  Fills
 * *pruned with the number of items deleted: when it equals max_items,
 * more may be due.  0, or -1 after logging (nothing changed then).
 */
int prune_items(struct store *st, int64_t retention_s, int64_t now,
		size_t max_items, size_t *pruned);

/* Copies the WAL into the database and truncates it to zero bytes
 * (PRAGMA wal_checkpoint(TRUNCATE)).  0, or -1 after logging. */
int prune_checkpoint(struct store *st);

/*
 * The timers: a pruning pass every hour (a minute after start first, and
 * again a second later while passes come back full), a checkpoint every
 * ten minutes and after a pass that deleted something.  st is borrowed
 * for the pruner's life.
 */
struct pruner;
struct pruner *prune_create(struct event_base *base, struct store *st,
			    int64_t retention_s);
/* A reload's new retention, used from the next pass on. */
void prune_set_retention(struct pruner *p, int64_t retention_s);
void prune_free(struct pruner *p);	/* NULL is fine */

#endif
