/*
 * test_schedule.c — the scheduler's arithmetic and its limits.
 */
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "schedule.h"
#include "tap.h"

static void delay_ok_stays_within_ten_percent(void)
{
	int64_t lo = INT64_MAX, hi = 0;
	uint32_t r;

	for (r = 0; r < 100000; r += 7) {
		int64_t d = schedule_delay_ok_ms(900, r * 2654435761u);
		if (d < lo)
			lo = d;
		if (d > hi)
			hi = d;
	}
	ok(lo >= 810000 && hi <= 990000,
	   "schedule_delay_ok: 15 min interval jitters within 13.5..16.5 min");
	ok(hi - lo > 100000, "schedule_delay_ok: the jitter actually spreads");
	is_int(schedule_delay_ok_ms(0, 5), 0, "schedule_delay_ok: zero interval");
}

static void delay_error_backs_off_and_caps(void)
{
	int64_t max_s = 6 * 3600;
	int e;

	/* rnd 0 gives the lower edge (half the step). */
	is_int(schedule_delay_error_ms(900, 1, 300, max_s, 0), 150000,
	       "backoff: first failure waits half to all of min(interval, min)");
	is_int(schedule_delay_error_ms(900, 2, 300, max_s, 0), 300000,
	       "backoff: second failure doubles");
	is_int(schedule_delay_error_ms(900, 3, 300, max_s, 0), 600000,
	       "backoff: third failure doubles again");
	for (e = 1; e < 200; e++)
		if (schedule_delay_error_ms(900, e, 300, max_s, 0xffffffffu) >
		    max_s * 1000)
			break;
	is_int(e, 200, "backoff: never longer than max_interval, even after 199 failures");
	is_int(schedule_delay_error_ms(900, 50, 300, max_s, 0), max_s * 500,
	       "backoff: capped step keeps its jitter (half of max at rnd 0)");
	is_int(schedule_delay_error_ms(60, 1, 300, max_s, 0), 30000,
	       "backoff: a feed polled every minute retries within a minute");
}

static void first_due_spreads_overdue_feeds(void)
{
	int64_t now = 1700000000000LL;
	uint32_t r;
	int64_t lo = INT64_MAX, hi = 0;

	is_int(schedule_first_due_ms(now, 0, 60, 12345), now,
	       "first due: a never-polled feed is due now");
	is_int(schedule_first_due_ms(now, now + 5000, 60, 12345), now + 5000,
	       "first due: a future next poll is kept");
	for (r = 0; r < 1000; r++) {
		int64_t d = schedule_first_due_ms(now, now - 1000, 60, r * 2654435761u);
		if (d < lo)
			lo = d;
		if (d > hi)
			hi = d;
	}
	ok(lo >= now && hi < now + 60000 && hi - lo > 30000,
	   "first due: overdue feeds are spread over the next minute");
}

static void host_of_urls(void)
{
	char h[64];

	schedule_host_of("https://WWW.Example.COM:8443/a/b?x#y", h, sizeof h);
	is_str(h, "www.example.com:8443", "host_of: lowercased host and port");
	schedule_host_of("http://user:pw@news.cn/rss", h, sizeof h);
	is_str(h, "news.cn", "host_of: userinfo dropped");
	schedule_host_of("file:///srv/feeds/a.xml", h, sizeof h);
	is_str(h, "", "host_of: file URLs have no host");
}


/* ---- the adaptive interval ---- */

static void habit_gaps_and_median(void)
{
	struct schedule_habit h;
	char *text;

	schedule_habit_parse(&h, NULL, 0);
	is_int(schedule_habit_median_s(&h), 0, "habit: no gaps, no median");
	schedule_habit_record(&h, 1000, 20);
	is_int(h.n_gaps, 0, "habit: the first poll's items give no gap");
	schedule_habit_record(&h, 1000 + 6 * 3600, 6);
	is_int(h.gaps_s[0], 3600, "habit: 6 items after 6 h are 1 h apart each");
	schedule_habit_record(&h, 1000 + 7 * 3600, 0);
	is_int(h.n_gaps, 1, "habit: a poll with nothing new adds no gap");
	schedule_habit_record(&h, 1000 + 8 * 3600, 1);
	is_int(h.gaps_s[1], 7200, "habit: gaps run from the last poll with news");
	is_int(schedule_habit_median_s(&h), 5400, "habit: median of two is their mean");
	text = schedule_habit_format(&h);
	is_str(text, "3600,7200", "habit: stored as text");
	schedule_habit_parse(&h, "10,x,30,-4,20", 5);
	is_int(h.n_gaps, 1, "habit: parsing stops at garbage");
	schedule_habit_parse(&h, text, 5);
	is_int(h.n_gaps == 2 && h.last_new_at == 5, 1, "habit: text round-trips");
	free(text);
	schedule_habit_parse(&h, "1,2,3,4,5,6,7,8", 0);
	schedule_habit_record(&h, 100, 1);	/* no last_new_at: no gap */
	schedule_habit_record(&h, 200, 1);
	is_int(h.n_gaps == SCHEDULE_GAPS && h.gaps_s[0] == 2 &&
	       h.gaps_s[SCHEDULE_GAPS - 1] == 100, 1,
	       "habit: only the newest 8 gaps are kept");
	is_int(schedule_habit_median_s(&h), 5, "habit: median of 2..8,100 ignores the outlier");
}

static void adapt_and_hints(void)
{
	struct schedule_hints hints = { -1, -1, -1, 0, 0 };

	is_int(schedule_adapt_interval_s(900, 3, 600, 300, 21600), 600,
	       "adapt: news shortens to the median gap");
	is_int(schedule_adapt_interval_s(900, 3, 7200, 300, 21600), 900,
	       "adapt: news never lengthens");
	is_int(schedule_adapt_interval_s(900, 0, 600, 300, 21600), 1350,
	       "adapt: nothing new lengthens by half");
	is_int(schedule_adapt_interval_s(20000, 0, 0, 300, 21600), 21600,
	       "adapt: capped at max_interval");
	is_int(schedule_adapt_interval_s(2000, 0, 600, 300, 21600), 2400,
	       "adapt: a quiet busy feed stretches to 4 median gaps only");
	is_int(schedule_adapt_interval_s(3000, 0, 600, 300, 21600), 3000,
	       "adapt: ... and never shrinks for finding nothing");
	is_int(schedule_adapt_interval_s(900, 5, 30, 300, 21600), 300,
	       "adapt: floored at min_interval");
	is_int(schedule_hint_s(&hints), 0, "hints: none");
	hints.max_age_s = 1800;
	hints.ttl_s = 60 * 60;
	is_int(schedule_hint_s(&hints), 3600, "hints: the longest one counts");
	is_int(schedule_apply_hint_s(600, 3600, 300, 21600), 3600,
	       "hints: a <ttl> of 60 min raises a 10 min interval");
	is_int(schedule_apply_hint_s(600, 7 * 86400, 300, 21600), 21600,
	       "hints: honoured only up to max_interval");
	is_int(schedule_apply_hint_s(600, 0, 300, 21600), 600, "hints: no hint, no change");
	is_int(schedule_update_period_s("hourly", 2), 1800,
	       "sy: hourly, twice: every 30 min");
	is_int(schedule_update_period_s("daily", 0), 86400, "sy: frequency defaults to 1");
	is_int(schedule_update_period_s("fortnightly", 1), -1, "sy: unknown period");
}

static void skip_hours_and_days(void)
{
	int64_t monday0 = 1711929600;	/* Mon, 01 Apr 2024 00:00:00 UTC */
	uint32_t night = 0x7f;		/* hours 0..6 */

	is_int(schedule_skip_s(monday0 + 2 * 3600 + 120, night, 0, monday0 + 86400),
	       monday0 + 7 * 3600, "skipHours: 02:02 moves to 07:00");
	is_int(schedule_skip_s(monday0 + 9 * 3600, night, 0, monday0 + 86400),
	       monday0 + 9 * 3600, "skipHours: 09:00 stays");
	is_int(schedule_skip_s(monday0 + 2 * 3600, night, 0, monday0 + 3 * 3600),
	       monday0 + 3 * 3600, "skipHours: never later than max_interval allows");
	is_int(schedule_skip_s(monday0 + 3600, 0, 1u << 1, monday0 + 7 * 86400),
	       monday0 + 86400, "skipDays: Monday moves to Tuesday 00:00");
	is_int(schedule_skip_s(monday0, 0xffffff, 0, monday0 + 6 * 3600),
	       monday0 + 6 * 3600, "skipHours: every hour skipped ends at the limit");
}

/* A simulated week: each feed publishes on its own timetable; polls run
 * through schedule_after_success_s and the ok-jitter exactly as poll.c
 * does; the cost is the number of fetches, the benefit how soon each new
 * item is picked up. */
#define SIM_WEEK_S (7 * 86400)
#define SIM_MIN_S 300
#define SIM_MAX_S (6 * 3600)
#define SIM_START_S 900		/* the configured interval */

struct sim_feed {
	const char *name;
	int (*published)(int64_t t);	/* items published in second t */
	int64_t max_fetches, max_mean_delay_s;
};

static int sim_tod(int64_t t) { return (int)(t % 86400); }
static int pub_wire(int64_t t)		/* every 10 min, 06:00-22:00 */
{ return sim_tod(t) >= 6 * 3600 && sim_tod(t) < 22 * 3600 && t % 600 == 0; }
static int pub_hourly(int64_t t) { return t % 3600 == 1800; }
static int pub_daily(int64_t t) { return sim_tod(t) == 8 * 3600; }
static int pub_dead(int64_t t) { (void)t; return 0; }
static int pub_burst(int64_t t)		/* 12 items 14:00-14:30, daily */
{ return sim_tod(t) >= 14 * 3600 && sim_tod(t) < 14 * 3600 + 1800 && t % 150 == 0; }

static int64_t sim_one(const struct sim_feed *f, uint32_t *rng)
{
	struct schedule_habit h;
	int64_t t = 0, last = 0, interval = SIM_START_S, next, s;
	int64_t fetches = 0, items = 0, delay_sum = 0, delay_max = 0;
	char name[160];

	schedule_habit_parse(&h, NULL, 0);
	while (t < SIM_WEEK_S) {
		int found = 0;

		fetches++;
		for (s = last + 1; s <= t && t > 0; s++) {
			int k = f->published(s);
			found += k;
			if (k) {
				delay_sum += (t - s) * k;
				if (t - s > delay_max)
					delay_max = t - s;
			}
		}
		items += found;
		interval = schedule_after_success_s(&h, t, found, interval, 0,
						    SIM_MIN_S, SIM_MAX_S);
		*rng = *rng * 1664525u + 1013904223u;
		next = t + schedule_delay_ok_ms(interval, *rng) / 1000;
		last = t;
		t = next;
	}
	diag("%-7s %4lld fetches/week (fixed 15 min: 672), %4lld items, "
	     "mean delay %5.1f min, max %5.1f min", f->name, (long long)fetches,
	     (long long)items, items ? delay_sum / 60.0 / (double)items : 0.0,
	     delay_max / 60.0);
	snprintf(name, sizeof name, "week: %s costs at most %lld fetches",
		 f->name, (long long)f->max_fetches);
	ok(fetches <= f->max_fetches, name);
	snprintf(name, sizeof name, "week: %s items picked up within %lld min "
		 "on average", f->name, (long long)f->max_mean_delay_s / 60);
	ok(items == 0 || delay_sum / items <= f->max_mean_delay_s, name);
	return fetches;
}

static void simulated_week(void)
{
	static const struct sim_feed feeds[] = {
		/* Publishes every 10 min by day: polled about that often by
		 * day, rarely at night. */
		{ "wire", pub_wire, 900, 8 * 60 },
		{ "hourly", pub_hourly, 300, 40 * 60 },
		/* Once a day: backs off towards max_interval. */
		{ "daily", pub_daily, 80, 4 * 3600 },
		/* Nothing: 4 polls a day at max_interval. */
		{ "dead", pub_dead, 40, 0 },
		{ "burst", pub_burst, 100, 4 * 3600 },
	};
	uint32_t rng = 42;
	int64_t total = 0, fixed = 0;
	size_t i;

	for (i = 0; i < sizeof feeds / sizeof feeds[0]; i++) {
		total += sim_one(&feeds[i], &rng);
		fixed += SIM_WEEK_S / SIM_START_S;
	}
	diag("all five: %lld fetches/week adaptive, %lld at a fixed 15 min",
	     (long long)total, (long long)fixed);
	ok(total * 2 < fixed, "week: adaptive polling costs less than half of fixed 15 min");
}

/* ---- the limits, on a real event loop ---- */

struct limits_run {
	struct schedule *s;
	int64_t started[16];
	int n_started;
};

static void on_due_record(void *ctx, int64_t id)
{
	struct limits_run *run = ctx;

	if (run->n_started < 16)
		run->started[run->n_started++] = id;
}

static void run_loop_briefly(struct event_base *base)
{
	struct timeval tv = {0, 20000};

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

static void limits_hold_and_release(void)
{
	struct event_base *base = event_base_new();
	struct limits_run run;
	int64_t now = schedule_now_ms();

	memset(&run, 0, sizeof run);
	run.s = schedule_create(base, 2, 1, on_due_record, &run);
	/* Feeds 1, 2 on host a; 3 on b; 4 on c; all due, 1 earliest. */
	schedule_add(run.s, 1, "a", now - 4000);
	schedule_add(run.s, 2, "a", now - 3000);
	schedule_add(run.s, 3, "b", now - 2000);
	schedule_add(run.s, 4, "c", now - 1000);
	schedule_add(run.s, 5, "d", now + 3600 * 1000);
	run_loop_briefly(base);
	is_int(run.n_started, 2, "limits: two feeds run at once (concurrency 2)");
	is_int(run.started[0], 1, "limits: the earliest due feed goes first");
	is_int(run.started[1], 3, "limits: a second feed of a busy host waits, another host goes");
	is_int(schedule_running(run.s), 2, "limits: two running");

	schedule_finished(run.s, 1, now + 3600 * 1000);
	run_loop_briefly(base);
	is_int(run.n_started, 3, "limits: a finished feed frees a slot");
	is_int(run.started[2], 2, "limits: the waiting feed of host a goes next, in due order");

	schedule_finished(run.s, 3, now + 3600 * 1000);
	run_loop_briefly(base);
	is_int(run.n_started, 4, "limits: then the next due feed");
	is_int(run.started[3], 4, "limits: host c's feed");
	ok(schedule_due(run.s, 1) == now + 3600 * 1000,
	   "limits: a finished feed is due again at its next time");
	is_int(schedule_count(run.s), 5, "limits: every feed still known");

	schedule_remove(run.s, 2);	/* running: forgotten when it finishes */
	schedule_finished(run.s, 2, now);
	is_int(schedule_count(run.s), 4, "remove: a running feed is forgotten once finished");
	schedule_remove(run.s, 5);
	is_int(schedule_count(run.s), 3, "remove: a waiting feed is forgotten at once");
	is_int(schedule_due(run.s, 5), -1, "remove: no due time afterwards");

	schedule_pause(run.s);
	schedule_finished(run.s, 4, now - 1);
	run_loop_briefly(base);
	is_int(run.n_started, 4, "pause: nothing new starts after schedule_pause");
	schedule_free(run.s);
	event_base_free(base);
}

static void retry_after_holds_one_host(void)
{
	struct event_base *base = event_base_new();
	struct limits_run run;
	int64_t now = schedule_now_ms(), until = now + 120 * 1000;

	memset(&run, 0, sizeof run);
	run.s = schedule_create(base, 8, 2, on_due_record, &run);
	schedule_hold_host(run.s, "slow.example", until);
	schedule_add(run.s, 1, "slow.example", now - 10);
	schedule_add(run.s, 2, "fast.example", now - 5);
	run_loop_briefly(base);
	is_int(run.n_started, 1, "hold: only the other host's feed starts");
	is_int(run.started[0], 2, "hold: fast.example is not stalled");
	is_int(schedule_due(run.s, 1), until, "hold: the held feed waits for Retry-After");
	ok(schedule_host_held(run.s, "slow.example") == until,
	   "hold: the hold is reported");
	schedule_hold_host(run.s, "slow.example", now + 1000);
	is_int(schedule_host_held(run.s, "slow.example"), until,
	       "hold: a shorter Retry-After does not cut a longer hold");
	is_int(schedule_host_held(run.s, "fast.example"), 0, "hold: other hosts are free");
	schedule_free(run.s);
	event_base_free(base);
}

static void many_feeds_one_timer(void)
{
	struct event_base *base = event_base_new();
	struct limits_run run;
	struct schedule *s;
	int64_t now = schedule_now_ms();
	int i;

	memset(&run, 0, sizeof run);
	s = schedule_create(base, 4, 2, on_due_record, &run);
	for (i = 0; i < 10000; i++)
		schedule_add(s, i + 1, "h", now + 1000000 + i);
	schedule_add(s, 777, "h", now - 1);	/* moved to due now */
	run_loop_briefly(base);
	is_int(run.n_started, 1, "10,000 feeds: only the one due now starts");
	is_int(run.started[0], 777, "10,000 feeds: moving a feed re-sorts it");
	is_int(schedule_count(s), 10000, "10,000 feeds: each known once");
	schedule_free(s);
	event_base_free(base);
}

int main(void)
{
	delay_ok_stays_within_ten_percent();
	delay_error_backs_off_and_caps();
	first_due_spreads_overdue_feeds();
	host_of_urls();
	habit_gaps_and_median();
	adapt_and_hints();
	skip_hours_and_days();
	simulated_week();
	limits_hold_and_release();
	many_feeds_one_timer();
	retry_after_holds_one_host();
	return done_testing();
}
