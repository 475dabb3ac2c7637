/*
 * schedule.h — when each feed is polled next, and how many at once.
 *
 * One libevent timer fires for the earliest due feed.  Due feeds are
 * handed to the due callback while the global and per-host limits allow;
 * the others wait, in due order.  A feed handed out is "running" until
 * schedule_finished() gives it its next due time.
 *
 * The policy arithmetic (jittered intervals, backoff) is in pure
 * functions below, tested with a fake clock.
 */
#ifndef FEEDMUX_SCHEDULE_H
#define FEEDMUX_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct schedule;

/* Called when feed id may start polling now. */
typedef void (*schedule_due_cb)(void *ctx, int64_t id);

struct schedule *schedule_create(struct event_base *base, int concurrency,
				 int per_host, schedule_due_cb due, void *ctx);
void schedule_free(struct schedule *s);	/* NULL is fine */
void schedule_set_limits(struct schedule *s, int concurrency, int per_host);

/*
 * Adds feed id (or moves it if known and not running) to be due at
 * due_ms.  host is copied; feeds with the same host share its limit.
 */
void schedule_add(struct schedule *s, int64_t id, const char *host,
		  int64_t due_ms);
/* Forgets id.  A running feed is forgotten when it finishes. */
void schedule_remove(struct schedule *s, int64_t id);
/* The running feed id is done; it is due again at next_ms. */
void schedule_finished(struct schedule *s, int64_t id, int64_t next_ms);
/*
 * The server of host asked us to wait (429/503 Retry-After): none of its
 * feeds starts before until_ms; feeds of other hosts are not delayed.
 */
void schedule_hold_host(struct schedule *s, const char *host,
			int64_t until_ms);
/* The hold of host still in force (ms), or 0. */
int64_t schedule_host_held(struct schedule *s, const char *host);
/* Stops handing out feeds (shutdown); running ones may finish. */
void schedule_pause(struct schedule *s);

size_t schedule_running(const struct schedule *s);
size_t schedule_count(const struct schedule *s);	/* feeds known */
/* Due time of id, or -1 if unknown or running. */
int64_t schedule_due(const struct schedule *s, int64_t id);

/* The current wall clock in milliseconds. */
int64_t schedule_now_ms(void);

/* --- policy arithmetic (pure; rnd is any 32-bit random number) --- */

/* After a successful poll: interval, ± 10 % jitter so feeds that started
 * together drift apart.  Returns milliseconds from now. */
int64_t schedule_delay_ok_ms(int64_t interval_s, uint32_t rnd);
/*
 * After the errors-th consecutive failure (errors >= 1): exponential
 * backoff from min(interval, min_s) doubling per failure, capped at max_s,
 * with "equal jitter" (between half and all of the step).  Returns
 * milliseconds from now.
 */
int64_t schedule_delay_error_ms(int64_t interval_s, int errors,
				int64_t min_s, int64_t max_s, uint32_t rnd);
/*
 * First poll after start or reload: a feed never polled is due now; one
 * whose stored next poll is past is spread over spread_s, so a restart
 * does not fetch everything at once; a future one keeps its time.
 */
int64_t schedule_first_due_ms(int64_t now_ms, int64_t stored_next_ms,
			      int64_t spread_s, uint32_t rnd);

/* --- the adaptive interval (see schedule_policy.c) --- */

#define SCHEDULE_GAPS 8		/* per-item gaps remembered per feed */

/* How a feed has been publishing. */
struct schedule_habit {
	int64_t gaps_s[SCHEDULE_GAPS];	/* oldest first */
	int n_gaps;
	int64_t last_new_at;	/* Unix s of the last poll with new items, 0 never */
};

/* From the stored "600,540" text (NULL: none); bad numbers are dropped. */
void schedule_habit_parse(struct schedule_habit *h, const char *text,
			  int64_t last_new_at);
/* The gaps as text for the store; a string the caller frees, NULL if none. */
char *schedule_habit_format(const struct schedule_habit *h);
/* A successful poll at now found new_items new items. */
void schedule_habit_record(struct schedule_habit *h, int64_t now,
			   int new_items);
/* Median of the recorded gaps, 0 when none. */
int64_t schedule_habit_median_s(const struct schedule_habit *h);
/* The next interval after a successful poll, within [min_s, max_s]. */
int64_t schedule_adapt_interval_s(int64_t current_s, int new_items,
				  int64_t median_gap_s, int64_t min_s,
				  int64_t max_s);

/*
 * All of the above after a successful poll at now that found new_items:
 * records the habit, adapts current_s, applies hint_s.  The interval (s)
 * until the next poll, before jitter.
 */
int64_t schedule_after_success_s(struct schedule_habit *h, int64_t now,
				 int new_items, int64_t current_s,
				 int64_t hint_s, int64_t min_s, int64_t max_s);

/* What the publisher says about polling; -1 / 0 where it says nothing. */
struct schedule_hints {
	int64_t max_age_s;	/* Cache-Control max-age or Expires */
	int64_t ttl_s;		/* RSS <ttl>, in seconds */
	int64_t update_period_s;	/* sy:updatePeriod / sy:updateFrequency */
	uint32_t skip_hours;	/* RSS skipHours: bit h = hour h UTC */
	unsigned skip_days;	/* RSS skipDays: bit d = weekday d, Sunday 0 */
};
/* The longest interval the hints ask for, 0 if none. */
int64_t schedule_hint_s(const struct schedule_hints *h);
/* interval raised to hint_s, then kept within [min_s, max_s]. */
int64_t schedule_apply_hint_s(int64_t interval_s, int64_t hint_s,
			      int64_t min_s, int64_t max_s);
/* due_s moved to the first whole hour outside skipHours/skipDays, but
 * never past latest_s (the configured max_interval wins). */
int64_t schedule_skip_s(int64_t due_s, uint32_t skip_hours,
			unsigned skip_days, int64_t latest_s);
/* sy:updatePeriod ("hourly".."yearly") / sy:updateFrequency in seconds,
 * -1 for an unknown period. */
int64_t schedule_update_period_s(const char *period, int64_t frequency);

/* The host part of url, lowercased, into out ("" if none). */
void schedule_host_of(const char *url, char *out, size_t outlen);

#endif
