/*
 * metrics.h — process-wide counters and the fetch-duration histogram,
 * rendered as Prometheus text exposition format 0.0.4 for /metrics.
 *
 * One event loop, one thread: the counters are plain integers, bumped
 * where the event happens (poll.c) and read by httpd.  They count since
 * the process started, as Prometheus counters should.
 */
#ifndef FEEDMUX_METRICS_H
#define FEEDMUX_METRICS_H

#include <stdint.h>

struct buf;

/* How one fetch ended; each is a value of the outcome label. */
enum metrics_outcome {
	METRICS_OK,		/* 2xx, parsed and stored */
	METRICS_NOT_MODIFIED,	/* 304 */
	METRICS_UNCHANGED,	/* 2xx with the same body hash: store skipped */
	METRICS_HTTP_ERROR,	/* 4xx/5xx other than those below */
	METRICS_RATE_LIMITED,	/* 429 or 503 */
	METRICS_GONE,		/* 410: polling stopped */
	METRICS_NETWORK_ERROR,	/* DNS, connect, reset, timeout, redirects */
	METRICS_TOO_BIG,	/* max_feed_size or header limit passed */
	METRICS_PARSE_ERROR,	/* not a feed, not XML */
	METRICS_STORE_ERROR,
	METRICS_OUTCOME_COUNT
};

/* Items a stored poll saw, by what the store did with each. */
enum metrics_item {
	METRICS_ITEM_NEW,
	METRICS_ITEM_UPDATED,
	METRICS_ITEM_DUPLICATE,	/* already stored, unchanged */
	METRICS_ITEM_COUNT
};

/* Upper bounds (seconds) of the fetch-duration histogram buckets. */
#define METRICS_DURATION_BUCKETS 10

/* Feed counts only the daemon knows, passed in at render time. */
struct metrics_feeds {
	int64_t total;
	int64_t failing;
	int64_t gone;
	int64_t items;		/* stored items, -1 if unknown */
};

/* One fetch ended with outcome after seconds, bytes decoded body bytes. */
void metrics_fetch(enum metrics_outcome outcome, double seconds,
		   int64_t bytes);
void metrics_items(enum metrics_item kind, int64_t n);
void metrics_parse_repair(void);

/* The current value of a counter (tests, /healthz). */
uint64_t metrics_fetches(enum metrics_outcome outcome);
uint64_t metrics_item_count(enum metrics_item kind);

/* Appends the exposition text (with the gauges of feeds) to out. */
void metrics_render(struct buf *out, const struct metrics_feeds *feeds);

/* Back to zero (tests only). */
void metrics_reset(void);

#endif
