/*
 * poll.h — one poll of one feed, end to end: fetch the bytes, queue them,
 * parse them and store the entries a bounded slice per loop turn (so the
 * loop keeps serving whatever a feed sends), record the outcome
 * (validators, errors, next poll) in the feed's row in the same
 * transaction as the feed's last entries.
 *
 * fetch, parse and store know nothing of each other; this is where they
 * meet.
 */
#ifndef FEEDMUX_POLL_H
#define FEEDMUX_POLL_H

#include <stdint.h>

struct fetch;
struct store;

/*
 * Failed polls in a row after which a feed is "failing" (Miniflux waits
 * for 3 too): one timeout is a blip worth a retry, three are a problem
 * worth /healthz's "degraded".  A failing feed is still retried at the
 * backed-off rate until a poll succeeds, which clears the state.
 */
#define POLL_FAILING_AFTER 3

/* Whether a feed with errors consecutive failures is failing. */
static inline int poll_is_failing(int errors)
{
	return errors >= POLL_FAILING_AFTER;
}

/* How to poll one feed.  Strings borrowed until poll_start returns. */
struct poll_params {
	const char *name;	/* for log lines */
	int64_t interval_s;	/* the feed's interval */
	int64_t min_interval_s;
	int64_t max_interval_s;
	int allow_file;		/* the URL came from the configuration */
	int fixed_interval;	/* the feed sets its own interval: no adapting */
};

/* What a poll did.  Borrowed by the done callback until it returns. */
struct poll_outcome {
	int64_t feed_id;
	int cancelled;		/* shutdown: nothing was recorded */
	int ok;
	int not_modified;	/* 304 */
	int unchanged;		/* 2xx with the last body's hash: not stored */
	int gone;		/* 410: the feed is no longer polled */
	int new_items;
	int updated_items;
	int errors;		/* consecutive failures, this one included */
	int failing;		/* errors reached POLL_FAILING_AFTER, or gone */
	int64_t retry_after_s;	/* 429/503 asked the host to wait; -1 if not */
	int64_t interval_s;	/* the feed's interval from now on */
	const char *error;	/* when !ok */
	int64_t next_poll_ms;	/* when it is due again */
};

typedef void (*poll_done_cb)(void *ctx, const struct poll_outcome *o);

/* What the slices did so far (tests, benchmarks, the debug log). */
struct poll_stats {
	uint64_t parse_turns;	/* loop turns that parsed queued bytes */
	uint64_t store_turns;	/* loop turns that wrote to the store */
	uint64_t store_commits;	/* store transactions committed */
	uint64_t checkpoints;	/* WAL checkpoints run by the poller */
	uint64_t max_commit_us;	/* longest commit */
	uint64_t max_checkpoint_us;	/* longest of those checkpoints */
	uint64_t store_feeds;	/* feeds whose outcome those recorded */
	uint64_t max_turn_us;	/* longest parse or store turn */
	size_t max_queued;	/* most body bytes queued for one poll */
};

struct poller;

/* fetch and store are borrowed for the life of the poller; its slices
 * run on fetch's event base at its lowest priority. */
struct poller *poll_create(struct fetch *f, struct store *st,
			   poll_done_cb done, void *ctx);
/*
 * Starts polling feed_id.  0, or -1 if it could not start (done is then
 * not called; the error is logged and recorded in the feed's row).
 */
int poll_start(struct poller *p, int64_t feed_id,
	       const struct poll_params *params);
/*
 * Ends the poll of feed_id, wherever it is (fetching, parsing, waiting to
 * be stored): done is called with cancelled set and nothing more of it
 * is written.  1 if there was one, else 0.
 */
int poll_cancel(struct poller *p, int64_t feed_id);
void poll_get_stats(const struct poller *p, struct poll_stats *out);
/* Cancels every poll still queued (call after fetch_free, which cancels
 * those in flight), then frees p.  NULL is fine. */
void poll_free(struct poller *p);

#endif
