/*
 * test_metrics.c — counters, the histogram's cumulative buckets, and the
 * Prometheus text format 0.0.4 they are rendered in.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "metrics.h"
#include "tap.h"

/* The value on the line that starts with "name " in text, or -1. */
static double value_of(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p = text;

	while (p && *p) {
		if (strncmp(p, name, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static void counters_count_by_outcome(void)
{
	struct buf out = {0};

	metrics_reset();
	metrics_fetch(METRICS_OK, 0.2, 1000);
	metrics_fetch(METRICS_OK, 0.3, 500);
	metrics_fetch(METRICS_NOT_MODIFIED, 0.001, 0);
	metrics_fetch(METRICS_GONE, 0.02, 10);
	metrics_items(METRICS_ITEM_NEW, 7);
	metrics_items(METRICS_ITEM_DUPLICATE, 3);
	metrics_items(METRICS_ITEM_NEW, -5);	/* ignored */
	metrics_parse_repair();
	is_int(metrics_fetches(METRICS_OK), 2, "metrics: two ok fetches counted");
	is_int(metrics_item_count(METRICS_ITEM_NEW), 7,
	       "metrics: new items counted, a negative count ignored");
	metrics_render(&out, NULL);
	is_int(value_of(out.data, "feedmux_fetches_total{outcome=\"ok\"}"), 2,
	       "metrics: ok outcome rendered");
	is_int(value_of(out.data, "feedmux_fetches_total{outcome=\"gone\"}"), 1,
	       "metrics: gone outcome rendered");
	is_int(value_of(out.data, "feedmux_fetches_total{outcome=\"too_big\"}"), 0,
	       "metrics: outcomes never seen are rendered as 0");
	is_int(value_of(out.data, "feedmux_fetch_not_modified_total"), 1,
	       "metrics: 304s have their own counter");
	is_int(value_of(out.data, "feedmux_fetch_bytes_total"), 1510,
	       "metrics: bytes summed");
	is_int(value_of(out.data, "feedmux_parse_repairs_total"), 1,
	       "metrics: parse repairs counted");
	is_int(value_of(out.data, "feedmux_items_total{result=\"duplicate\"}"), 3,
	       "metrics: duplicate items rendered");
	ok(value_of(out.data, "feedmux_feeds") < 0,
	   "metrics: no feed gauges without the daemon's numbers");
	buf_free(&out);
}

static void histogram_is_cumulative(void)
{
	struct buf out = {0};

	metrics_reset();
	metrics_fetch(METRICS_OK, 0.005, 0);	/* le 0.01 */
	metrics_fetch(METRICS_OK, 0.2, 0);	/* le 0.25 */
	metrics_fetch(METRICS_OK, 0.25, 0);	/* le 0.25: bounds are inclusive */
	metrics_fetch(METRICS_OK, 100, 0);	/* only +Inf */
	metrics_render(&out, NULL);
	is_int(value_of(out.data, "feedmux_fetch_duration_seconds_bucket{le=\"0.01\"}"),
	       1, "histogram: first bucket");
	is_int(value_of(out.data, "feedmux_fetch_duration_seconds_bucket{le=\"0.1\"}"),
	       1, "histogram: buckets are cumulative (0.1 holds the 0.01 one)");
	is_int(value_of(out.data, "feedmux_fetch_duration_seconds_bucket{le=\"0.25\"}"),
	       3, "histogram: an upper bound is inclusive");
	is_int(value_of(out.data, "feedmux_fetch_duration_seconds_bucket{le=\"30\"}"),
	       3, "histogram: 100 s is above the last finite bucket");
	is_int(value_of(out.data, "feedmux_fetch_duration_seconds_bucket{le=\"+Inf\"}"),
	       4, "histogram: +Inf counts everything");
	is_int(value_of(out.data, "feedmux_fetch_duration_seconds_count"), 4,
	       "histogram: _count equals the +Inf bucket");
	ok(value_of(out.data, "feedmux_fetch_duration_seconds_sum") > 100.45 &&
	   value_of(out.data, "feedmux_fetch_duration_seconds_sum") < 100.46,
	   "histogram: _sum is the total seconds");
	buf_free(&out);
}

/* Every sample line belongs to a family declared by HELP and TYPE before
 * it, and has exactly one value (format 0.0.4). */
static void text_format_is_well_formed(void)
{
	struct metrics_feeds f = { 10, 2, 1, 123 };
	struct buf out = {0};
	char *text, *line, *save = NULL, typed[128] = "";
	int bad = 0, lines = 0;

	metrics_reset();
	metrics_render(&out, &f);
	is_int(value_of(out.data, "feedmux_feeds"), 10, "gauges: feeds");
	is_int(value_of(out.data, "feedmux_feeds_failing"), 2, "gauges: failing");
	is_int(value_of(out.data, "feedmux_feeds_gone"), 1, "gauges: gone");
	is_int(value_of(out.data, "feedmux_items"), 123, "gauges: items");
	ok(out.len > 0 && out.data[out.len - 1] == '\n', "format: ends with a newline");
	text = strdup(out.data);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		lines++;
		if (strncmp(line, "# TYPE ", 7) == 0) {
			sscanf(line + 7, "%127s", typed);
			continue;
		}
		if (line[0] == '#')
			continue;
		if (!typed[0] || strncmp(line, typed, strlen(typed)) != 0 ||
		    !strchr(line, ' ') || strchr(strchr(line, ' ') + 1, ' ')) {
			diag("bad sample line: %s", line);
			bad++;
		}
	}
	is_int(bad, 0, "format: every sample follows its TYPE line, one value each");
	ok(lines > 40, "format: all families present");
	free(text);
	buf_free(&out);
}

int main(void)
{
	counters_count_by_outcome();
	histogram_is_cumulative();
	text_format_is_well_formed();
	return done_testing();
}
