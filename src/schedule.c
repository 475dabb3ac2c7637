/*
 * schedule.c — a min-heap of feeds by due time, one timer, and the
 * global and per-host limits.
 *
 * A feed is in exactly one place: the heap (waiting for its time), its
 * host's blocked list (due, but the host is at its limit), or running.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "buf.h"
#include "schedule.h"

#define SCHEDULE_BUCKETS 4096

enum item_state { ITEM_WAITING, ITEM_BLOCKED, ITEM_RUNNING };

struct host {
	char *name;
	int running;
	int64_t hold_until_ms;	/* Retry-After: nothing starts before */
	struct item *blocked, *blocked_tail;	/* FIFO, in due order */
	struct host *next;			/* hash chain */
};

struct item {
	int64_t id;
	int64_t due_ms;
	enum item_state state;
	int removed;		/* forget when it finishes */
	size_t heap_pos;
	struct host *host;	/* borrowed from the host table */
	struct item *next_blocked;
	struct item *next;	/* hash chain */
};

struct schedule {
	struct event_base *base;
	struct event *timer;
	schedule_due_cb due;
	void *ctx;
	int concurrency, per_host;
	int paused;
	size_t running, count;
	struct item **heap;
	size_t heap_len, heap_cap;
	struct item *items[SCHEDULE_BUCKETS];
	struct host *hosts[SCHEDULE_BUCKETS];
};

int64_t schedule_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void schedule_host_of(const char *url, char *out, size_t outlen)
{
	const char *p = strstr(url, "://");
	size_t n = 0;

	if (!outlen)
		return;
	p = p ? p + 3 : url;
	if (strchr(p, '@') && strchr(p, '@') < p + strcspn(p, "/?#"))
		p = strchr(p, '@') + 1;	/* userinfo */
	while (p[n] && !strchr("/?#", p[n]) && n + 1 < outlen) {
		char c = p[n];
		out[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	out[n] = '\0';
}

/* ---- tables ---- */

static size_t hash_str(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % SCHEDULE_BUCKETS;
}

static size_t hash_id(int64_t id)
{
	return (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ULL >> 52) % SCHEDULE_BUCKETS;
}

static struct item *item_find(const struct schedule *s, int64_t id)
{
	struct item *it;

	for (it = s->items[hash_id(id)]; it; it = it->next)
		if (it->id == id)
			return it;
	return NULL;
}

static void item_unlink(struct schedule *s, struct item *it)
{
	struct item **pp = &s->items[hash_id(it->id)];

	while (*pp != it)
		pp = &(*pp)->next;
	*pp = it->next;
	s->count--;
	free(it);
}

static struct host *host_get(struct schedule *s, const char *name)
{
	size_t b = hash_str(name);
	struct host *h;

	for (h = s->hosts[b]; h; h = h->next)
		if (strcmp(h->name, name) == 0)
			return h;
	h = xcalloc(1, sizeof *h);
	h->name = xstrdup(name);
	h->next = s->hosts[b];
	s->hosts[b] = h;
	return h;
}

/* ---- heap by due time ---- */

static void heap_swap(struct schedule *s, size_t a, size_t b)
{
	struct item *t = s->heap[a];

	s->heap[a] = s->heap[b];
	s->heap[b] = t;
	s->heap[a]->heap_pos = a;
	s->heap[b]->heap_pos = b;
}

static void heap_up(struct schedule *s, size_t i)
{
	while (i > 0 && s->heap[(i - 1) / 2]->due_ms > s->heap[i]->due_ms) {
		heap_swap(s, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(struct schedule *s, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < s->heap_len && s->heap[l]->due_ms < s->heap[m]->due_ms)
			m = l;
		if (r < s->heap_len && s->heap[r]->due_ms < s->heap[m]->due_ms)
			m = r;
		if (m == i)
			return;
		heap_swap(s, i, m);
		i = m;
	}
}

static void heap_push(struct schedule *s, struct item *it)
{
	if (s->heap_len == s->heap_cap) {
		s->heap_cap = s->heap_cap ? s->heap_cap * 2 : 64;
		s->heap = xrealloc(s->heap, s->heap_cap * sizeof *s->heap);
	}
	it->state = ITEM_WAITING;
	it->heap_pos = s->heap_len;
	s->heap[s->heap_len++] = it;
	heap_up(s, it->heap_pos);
}

static void heap_delete(struct schedule *s, struct item *it)
{
	size_t i = it->heap_pos;

	heap_swap(s, i, --s->heap_len);
	if (i < s->heap_len) {
		heap_up(s, i);
		heap_down(s, i);
	}
}

/* ---- dispatch ---- */

static void blocked_push(struct item *it)
{
	struct host *h = it->host;

	it->state = ITEM_BLOCKED;
	it->next_blocked = NULL;
	if (h->blocked_tail)
		h->blocked_tail->next_blocked = it;
	else
		h->blocked = it;
	h->blocked_tail = it;
}

static void blocked_delete(struct item *it)
{
	struct host *h = it->host;
	struct item **pp = &h->blocked, *prev = NULL;

	while (*pp != it) {
		prev = *pp;
		pp = &(*pp)->next_blocked;
	}
	*pp = it->next_blocked;
	if (h->blocked_tail == it)
		h->blocked_tail = prev;
}

/* A slot of h freed: its blocked feeds compete again, first in line. */
static void host_release(struct schedule *s, struct host *h)
{
	struct item *it = h->blocked;

	h->blocked = h->blocked_tail = NULL;
	while (it) {
		struct item *next = it->next_blocked;
		heap_push(s, it);
		it = next;
	}
}

static void arm_timer(struct schedule *s, int64_t now_ms)
{
	struct timeval tv;
	int64_t wait;

	evtimer_del(s->timer);
	if (s->paused || !s->heap_len || s->running >= (size_t)s->concurrency)
		return;
	wait = s->heap[0]->due_ms - now_ms;
	if (wait < 0)
		wait = 0;
	tv.tv_sec = (time_t)(wait / 1000);
	tv.tv_usec = (suseconds_t)(wait % 1000) * 1000;
	evtimer_add(s->timer, &tv);
}

/* Hands out every due feed the limits allow. */
static void dispatch(struct schedule *s)
{
	int64_t now = schedule_now_ms();

	while (!s->paused && s->heap_len && s->heap[0]->due_ms <= now &&
	       s->running < (size_t)s->concurrency) {
		struct item *it = s->heap[0];

		heap_delete(s, it);
		if (it->host->hold_until_ms > now) {
			it->due_ms = it->host->hold_until_ms;	/* waits its turn */
			heap_push(s, it);
			continue;
		}
		if (it->host->running >= s->per_host) {
			blocked_push(it);
			continue;
		}
		it->state = ITEM_RUNNING;
		it->host->running++;
		s->running++;
		s->due(s->ctx, it->id);	/* may call back into s */
	}
	arm_timer(s, now);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	dispatch(arg);
}

/* Runs dispatch from the loop, never from inside a caller's callback. */
static void kick(struct schedule *s)
{
	struct timeval now = {0, 0};

	if (!s->paused)
		evtimer_add(s->timer, &now);
}

/* ---- public ---- */

struct schedule *schedule_create(struct event_base *base, int concurrency,
				 int per_host, schedule_due_cb due, void *ctx)
{
	struct schedule *s = xcalloc(1, sizeof *s);

	s->base = base;
	s->due = due;
	s->ctx = ctx;
	s->timer = evtimer_new(base, on_timer, s);
	schedule_set_limits(s, concurrency, per_host);
	return s;
}

void schedule_set_limits(struct schedule *s, int concurrency, int per_host)
{
	s->concurrency = concurrency > 0 ? concurrency : 1;
	s->per_host = per_host > 0 ? per_host : 1;
	kick(s);
}

void schedule_add(struct schedule *s, int64_t id, const char *host,
		  int64_t due_ms)
{
	struct item *it = item_find(s, id);

	if (it && it->state == ITEM_RUNNING) {
		it->removed = 0;	/* re-added while running: keep it */
		return;
	}
	if (it) {
		if (it->state == ITEM_WAITING)
			heap_delete(s, it);
		else
			blocked_delete(it);
	} else {
		size_t b = hash_id(id);
		it = xcalloc(1, sizeof *it);
		it->id = id;
		it->next = s->items[b];
		s->items[b] = it;
		s->count++;
	}
	it->host = host_get(s, host ? host : "");
	it->due_ms = due_ms;
	heap_push(s, it);
	kick(s);
}

void schedule_remove(struct schedule *s, int64_t id)
{
	struct item *it = item_find(s, id);

	if (!it)
		return;
	if (it->state == ITEM_RUNNING) {
		it->removed = 1;
		return;
	}
	if (it->state == ITEM_WAITING)
		heap_delete(s, it);
	else
		blocked_delete(it);
	item_unlink(s, it);
}

void schedule_finished(struct schedule *s, int64_t id, int64_t next_ms)
{
	struct item *it = item_find(s, id);
	struct host *h;

	if (!it || it->state != ITEM_RUNNING)
		return;
	h = it->host;
	h->running--;
	s->running--;
	if (it->removed)
		item_unlink(s, it);
	else {
		it->due_ms = next_ms;
		heap_push(s, it);
	}
	host_release(s, h);
	kick(s);
}

void schedule_hold_host(struct schedule *s, const char *host,
			int64_t until_ms)
{
	struct host *h = host_get(s, host ? host : "");

	if (until_ms > h->hold_until_ms)
		h->hold_until_ms = until_ms;
}

int64_t schedule_host_held(struct schedule *s, const char *host)
{
	struct host *h = host_get(s, host ? host : "");

	return h->hold_until_ms > schedule_now_ms() ? h->hold_until_ms : 0;
}

void schedule_pause(struct schedule *s)
{
	s->paused = 1;
	evtimer_del(s->timer);
}

size_t schedule_running(const struct schedule *s)
{
	return s->running;
}

size_t schedule_count(const struct schedule *s)
{
	return s->count;
}

int64_t schedule_due(const struct schedule *s, int64_t id)
{
	const struct item *it = item_find(s, id);

	return it && it->state != ITEM_RUNNING ? it->due_ms : -1;
}

void schedule_free(struct schedule *s)
{
	size_t b;

	if (!s)
		return;
	for (b = 0; b < SCHEDULE_BUCKETS; b++) {
		while (s->items[b]) {
			struct item *next = s->items[b]->next;
			free(s->items[b]);
			s->items[b] = next;
		}
		while (s->hosts[b]) {
			struct host *next = s->hosts[b]->next;
			free(s->hosts[b]->name);
			free(s->hosts[b]);
			s->hosts[b] = next;
		}
	}
	free(s->heap);
	event_free(s->timer);
	free(s);
}
