/*
 * metrics.c — counters and a histogram in Prometheus text format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/): one
 * "# HELP" and "# TYPE" line per family, then "name{labels} value" lines;
 * a histogram has cumulative _bucket{le="..."} lines ending in le="+Inf",
 * then _sum and _count.
 */
#include <inttypes.h>
#include <string.h>

#include "buf.h"
#include "metrics.h"

static const char *const outcome_names[METRICS_OUTCOME_COUNT] = {
	[METRICS_OK] = "ok",
	[METRICS_NOT_MODIFIED] = "not_modified",
	[METRICS_UNCHANGED] = "unchanged",
	[METRICS_HTTP_ERROR] = "http_error",
	[METRICS_RATE_LIMITED] = "rate_limited",
	[METRICS_GONE] = "gone",
	[METRICS_NETWORK_ERROR] = "network_error",
	[METRICS_TOO_BIG] = "too_big",
	[METRICS_PARSE_ERROR] = "parse_error",
	[METRICS_STORE_ERROR] = "store_error",
};

static const char *const item_names[METRICS_ITEM_COUNT] = {
	[METRICS_ITEM_NEW] = "new",
	[METRICS_ITEM_UPDATED] = "updated",
	[METRICS_ITEM_DUPLICATE] = "duplicate",
};

/* A local fetch takes milliseconds, a slow publisher seconds, a drip the
 * whole timeout. */
static const double duration_bounds[METRICS_DURATION_BUCKETS] = {
	0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
};

static struct {
	uint64_t fetches[METRICS_OUTCOME_COUNT];
	uint64_t items[METRICS_ITEM_COUNT];
	uint64_t bytes;
	uint64_t repairs;
	uint64_t buckets[METRICS_DURATION_BUCKETS];	/* not cumulative */
	uint64_t duration_count;
	double duration_sum;
} m;

void metrics_fetch(enum metrics_outcome outcome, double seconds,
		   int64_t bytes)
{
	int i;

	if ((unsigned)outcome >= METRICS_OUTCOME_COUNT)
		return;
	m.fetches[outcome]++;
	if (bytes > 0)
		m.bytes += (uint64_t)bytes;
	if (seconds < 0)
		seconds = 0;
	for (i = 0; i < METRICS_DURATION_BUCKETS; i++)
		if (seconds <= duration_bounds[i]) {
			m.buckets[i]++;
			break;
		}
	m.duration_count++;
	m.duration_sum += seconds;
}

void metrics_items(enum metrics_item kind, int64_t n)
{
	if ((unsigned)kind < METRICS_ITEM_COUNT && n > 0)
		m.items[kind] += (uint64_t)n;
}

void metrics_parse_repair(void)
{
	m.repairs++;
}

uint64_t metrics_fetches(enum metrics_outcome outcome)
{
	return (unsigned)outcome < METRICS_OUTCOME_COUNT ? m.fetches[outcome] : 0;
}

uint64_t metrics_item_count(enum metrics_item kind)
{
	return (unsigned)kind < METRICS_ITEM_COUNT ? m.items[kind] : 0;
}

void metrics_reset(void)
{
	memset(&m, 0, sizeof m);
}

static void family(struct buf *out, const char *name, const char *type,
		   const char *help)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void render_histogram(struct buf *out)
{
	uint64_t cumulative = 0;
	int i;

	family(out, "feedmux_fetch_duration_seconds", "histogram",
	       "Time from the start of a fetch to its last byte.");
	for (i = 0; i < METRICS_DURATION_BUCKETS; i++) {
		cumulative += m.buckets[i];
		buf_printf(out, "feedmux_fetch_duration_seconds_bucket{le=\"%g\"}"
			   " %" PRIu64 "\n", duration_bounds[i], cumulative);
	}
	buf_printf(out, "feedmux_fetch_duration_seconds_bucket{le=\"+Inf\"}"
		   " %" PRIu64 "\n", m.duration_count);
	buf_printf(out, "feedmux_fetch_duration_seconds_sum %.6f\n",
		   m.duration_sum);
	buf_printf(out, "feedmux_fetch_duration_seconds_count %" PRIu64 "\n",
		   m.duration_count);
}

static void render_feeds(struct buf *out, const struct metrics_feeds *f)
{
	family(out, "feedmux_feeds", "gauge", "Configured feeds.");
	buf_printf(out, "feedmux_feeds %" PRId64 "\n", f->total);
	family(out, "feedmux_feeds_failing", "gauge",
	       "Feeds whose last poll failed.");
	buf_printf(out, "feedmux_feeds_failing %" PRId64 "\n", f->failing);
	family(out, "feedmux_feeds_gone", "gauge",
	       "Feeds no longer polled after 410 Gone.");
	buf_printf(out, "feedmux_feeds_gone %" PRId64 "\n", f->gone);
	if (f->items >= 0) {
		family(out, "feedmux_items", "gauge", "Items stored.");
		buf_printf(out, "feedmux_items %" PRId64 "\n", f->items);
	}
}

void metrics_render(struct buf *out, const struct metrics_feeds *feeds)
{
	int i;

	family(out, "feedmux_fetches_total", "counter",
	       "Feed fetches by how they ended.");
	for (i = 0; i < METRICS_OUTCOME_COUNT; i++)
		buf_printf(out, "feedmux_fetches_total{outcome=\"%s\"} %" PRIu64
			   "\n", outcome_names[i], m.fetches[i]);
	family(out, "feedmux_fetch_not_modified_total", "counter",
	       "Fetches answered 304 Not Modified.");
	buf_printf(out, "feedmux_fetch_not_modified_total %" PRIu64 "\n",
		   m.fetches[METRICS_NOT_MODIFIED]);
	family(out, "feedmux_fetch_bytes_total", "counter",
	       "Decoded body bytes received.");
	buf_printf(out, "feedmux_fetch_bytes_total %" PRIu64 "\n", m.bytes);
	family(out, "feedmux_parse_repairs_total", "counter",
	       "Feeds that were not well-formed and were parsed in recovery.");
	buf_printf(out, "feedmux_parse_repairs_total %" PRIu64 "\n", m.repairs);
	family(out, "feedmux_items_total", "counter",
	       "Items seen in stored polls, by what the store did.");
	for (i = 0; i < METRICS_ITEM_COUNT; i++)
		buf_printf(out, "feedmux_items_total{result=\"%s\"} %" PRIu64
			   "\n", item_names[i], m.items[i]);
	render_histogram(out);
	if (feeds)
		render_feeds(out, feeds);
}
