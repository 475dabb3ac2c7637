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
	limits_hold_and_release();
	many_feeds_one_timer();
	return done_testing();
}
