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

/* The host part of url, lowercased, into out ("" if none). */
void schedule_host_of(const char *url, char *out, size_t outlen);

#endif
