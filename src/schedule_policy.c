/*
 * schedule_policy.c — when a feed is polled next: the arithmetic, pure
 * and clock-free so tests/test_schedule.c can run a simulated week.
 *
 * The adaptive interval follows how often a feed really publishes.  Each
 * poll that finds k new items, t seconds after the last poll that found
 * any, records t / k as one per-item gap (a feed polled every 6 h that
 * publishes hourly shows 6 new items: 1 h each, whatever the poll rate).
 * The median of the last SCHEDULE_GAPS gaps is the feed's habit:
 *  - a poll with new items sets the interval to the median gap, never
 *    longer than it was (news arriving shortens, never lengthens);
 *  - a poll with nothing new lengthens it by half (nights, dead feeds),
 *    but not past QUIET_GAPS median gaps;
 *  - the publisher's hints (max-age, <ttl>, sy:updatePeriod) are a floor;
 *  - everything stays within [min_interval, max_interval].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "schedule.h"


int64_t schedule_delay_ok_ms(int64_t interval_s, uint32_t rnd)
{
	int64_t base_ms = interval_s * 1000;
	int64_t span = base_ms / 5;	/* ± 10 % */

	if (span <= 0)
		return base_ms;
	return base_ms - span / 2 + (int64_t)(rnd % (uint64_t)(span + 1));
}

int64_t schedule_delay_error_ms(int64_t interval_s, int errors,
				int64_t min_s, int64_t max_s, uint32_t rnd)
{
	int64_t step = interval_s < min_s ? interval_s : min_s;
	int64_t half;
	int i;

	if (step <= 0)
		step = 1;
	for (i = 1; i < errors && step < max_s; i++)
		step *= 2;
	if (step > max_s)
		step = max_s;
	step *= 1000;
	half = step / 2;
	return half + (int64_t)(rnd % (uint64_t)(step - half + 1));
}

int64_t schedule_first_due_ms(int64_t now_ms, int64_t stored_next_ms,
			      int64_t spread_s, uint32_t rnd)
{
	if (stored_next_ms <= 0)
		return now_ms;
	if (stored_next_ms > now_ms)
		return stored_next_ms;
	if (spread_s <= 0)
		return now_ms;
	return now_ms + (int64_t)(rnd % (uint64_t)(spread_s * 1000));
}

/* Polls with nothing new stretch the interval to at most this many
 * median gaps (then max_interval caps it). */
#define QUIET_GAPS 4

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	if (v > hi)
		v = hi;
	if (v < lo)
		v = lo;
	return v;
}

void schedule_habit_parse(struct schedule_habit *h, const char *text,
			  int64_t last_new_at)
{
	const char *p = text;

	memset(h, 0, sizeof *h);
	h->last_new_at = last_new_at;
	while (p && *p && h->n_gaps < SCHEDULE_GAPS) {
		char *end;
		long long v = strtoll(p, &end, 10);

		if (end == p)
			break;
		if (v > 0)
			h->gaps_s[h->n_gaps++] = v;
		p = *end == ',' ? end + 1 : NULL;
	}
}

char *schedule_habit_format(const struct schedule_habit *h)
{
	struct buf b = {0};
	int i;

	for (i = 0; i < h->n_gaps; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)h->gaps_s[i]);
	return b.data;	/* NULL when there are no gaps */
}

void schedule_habit_record(struct schedule_habit *h, int64_t now,
			   int new_items)
{
	int64_t gap;

	if (new_items <= 0)
		return;
	/* The first poll only tells us the feed exists: every item is
	 * "new" then, and there is no previous arrival to measure from. */
	if (h->last_new_at > 0 && now > h->last_new_at) {
		gap = (now - h->last_new_at) / new_items;
		if (gap < 1)
			gap = 1;
		if (h->n_gaps == SCHEDULE_GAPS) {
			memmove(h->gaps_s, h->gaps_s + 1,
				(SCHEDULE_GAPS - 1) * sizeof h->gaps_s[0]);
			h->n_gaps--;
		}
		h->gaps_s[h->n_gaps++] = gap;
	}
	h->last_new_at = now;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int64_t schedule_habit_median_s(const struct schedule_habit *h)
{
	int64_t v[SCHEDULE_GAPS];
	int n = h->n_gaps;

	if (n <= 0)
		return 0;
	memcpy(v, h->gaps_s, (size_t)n * sizeof v[0]);
	qsort(v, (size_t)n, sizeof v[0], cmp_i64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int64_t schedule_adapt_interval_s(int64_t current_s, int new_items,
				  int64_t median_gap_s, int64_t min_s,
				  int64_t max_s)
{
	int64_t next;

	if (current_s <= 0)
		current_s = min_s;
	if (new_items > 0) {
		next = median_gap_s > 0 && median_gap_s < current_s ?
		       median_gap_s : current_s;
	} else {
		next = current_s + current_s / 2;
		/* A quiet spell of a busy feed (the night of a wire service)
		 * is not a dead feed: stay within a few of its usual gaps. */
		if (median_gap_s > 0 && next > QUIET_GAPS * median_gap_s)
			next = current_s > QUIET_GAPS * median_gap_s ?
			       current_s : QUIET_GAPS * median_gap_s;
	}
	return clamp(next, min_s, max_s);
}

int64_t schedule_hint_s(const struct schedule_hints *h)
{
	int64_t v = 0;

	if (h->max_age_s > v)
		v = h->max_age_s;
	if (h->ttl_s > v)
		v = h->ttl_s;
	if (h->update_period_s > v)
		v = h->update_period_s;
	return v;
}

int64_t schedule_apply_hint_s(int64_t interval_s, int64_t hint_s,
			      int64_t min_s, int64_t max_s)
{
	if (hint_s > interval_s)
		interval_s = hint_s;
	return clamp(interval_s, min_s, max_s);
}

/* Whether t (Unix seconds) falls in a skipped UTC hour or weekday. */
static int skipped(int64_t t, uint32_t skip_hours, unsigned skip_days)
{
	int hour = (int)((t % 86400 + 86400) % 86400 / 3600);
	/* 1970-01-01 was a Thursday (day 4, Sunday = 0). */
	int wday = (int)(((t / 86400) % 7 + 4 + 7) % 7);

	return (skip_hours >> hour & 1u) || (skip_days >> wday & 1u);
}

int64_t schedule_skip_s(int64_t due_s, uint32_t skip_hours,
			unsigned skip_days, int64_t latest_s)
{
	int64_t t = due_s;
	int i;

	/* At most a week of whole hours: every hour skipped ends at latest. */
	for (i = 0; i < 7 * 24 && skipped(t, skip_hours, skip_days); i++)
		t = (t / 3600 + 1) * 3600;	/* the next whole hour */
	if (skipped(t, skip_hours, skip_days) || t > latest_s)
		return latest_s > due_s ? latest_s : due_s;
	return t;
}

int64_t schedule_update_period_s(const char *period, int64_t frequency)
{
	static const struct {
		const char *name;
		int64_t s;
	} periods[] = {
		{ "hourly", 3600 }, { "daily", 86400 }, { "weekly", 7 * 86400 },
		{ "monthly", 30 * 86400 }, { "yearly", 365 * 86400 },
	};
	size_t i;

	if (frequency <= 0)
		frequency = 1;	/* RSS 1.0 syndication module: default 1 */
	for (i = 0; period && i < sizeof periods / sizeof periods[0]; i++)
		if (strcmp(period, periods[i].name) == 0)
			return periods[i].s / frequency;
	return -1;
}

int64_t schedule_after_success_s(struct schedule_habit *h, int64_t now,
				 int new_items, int64_t current_s,
				 int64_t hint_s, int64_t min_s, int64_t max_s)
{
	int64_t next;

	schedule_habit_record(h, now, new_items);
	next = schedule_adapt_interval_s(current_s, new_items,
					 schedule_habit_median_s(h),
					 min_s, max_s);
	return schedule_apply_hint_s(next, hint_s, min_s, max_s);
}
