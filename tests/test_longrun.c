/*
 * test_longrun.c — memory across 10,000 poll cycles (issue 7): fetch ->
 * parse -> store -> prune, over and over, against an evhttp server in
 * the same loop whose feed gains new items every few polls.  The heap in
 * use (less SQLite's own page cache and statements, which grow with the
 * database up to their limits) must not grow between cycle 2,000 and
 * cycle 10,000.
 *
 * The counter: glibc's mallinfo2() in a plain build, the sanitizer's
 * allocator statistics under AddressSanitizer (it replaces malloc).
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sqlite3.h>

#if defined(__SANITIZE_ADDRESS__)
/* From libasan (sanitizer/allocator_interface.h, which GCC 12 does not
 * install): bytes currently allocated through the sanitizer's malloc. */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

#include "buf.h"
#include "fetch.h"
#include "poll.h"
#include "prune.h"
#include "store.h"
#include "tap.h"

#define CYCLES 10000
#define WARM_CYCLES 2000	/* caches and pools have filled by then */
#define NEW_EVERY 20		/* the feed gains an item every 20 polls */
#define WINDOW 10		/* and lists its newest 10 */
#define MAX_GROWTH_BYTES (64 * 1024)	/* < 8 bytes a cycle */

static int port, requests;
static struct event_base *base;
static int done_polls, ok_polls, new_items;

/* The application's heap in use, SQLite's own allocations excluded. */
static long long heap_in_use(void)
{
#if defined(__SANITIZE_ADDRESS__)
	long long total = (long long)__sanitizer_get_current_allocated_bytes();
#else
	struct mallinfo2 mi = mallinfo2();
	long long total = (long long)(mi.uordblks + mi.hblkhd);
#endif
	return total - (long long)sqlite3_memory_used();
}

/* /feed: the newest WINDOW items of a feed that publishes one item every
 * NEW_EVERY requests; every request is a full 200 (no validators), so
 * every cycle parses and stores. */
static void on_request(struct evhttp_request *req, void *arg)
{
	struct evbuffer *b = evbuffer_new();
	int newest = requests++ / NEW_EVERY, i;

	(void)arg;
	evbuffer_add_printf(b, "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">"
			    "<channel><title>Long run</title>"
			    "<link>http://127.0.0.1/</link>\n");
	for (i = newest; i >= 0 && i > newest - WINDOW; i--)
		evbuffer_add_printf(b, "<item><title>Story %d</title>"
				    "<link>http://127.0.0.1/s/%d</link>"
				    "<guid>lr-%d</guid>"
				    "<description>&lt;p&gt;Lead of story %d, with"
				    " &lt;b&gt;markup&lt;/b&gt;.&lt;/p&gt;"
				    "</description></item>\n", i, i, i, i);
	evbuffer_add_printf(b, "</channel></rss>\n");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

static void on_polled(void *ctx, const struct poll_outcome *o)
{
	(void)ctx;
	done_polls++;
	ok_polls += o->ok;
	new_items += o->new_items;
	event_base_loopbreak(base);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	event_base_loopbreak(base);
}

/* One poll, waited for (10 s at most).  0 when it finished.  The
 * deadline is an event of our own, deleted after each poll: a pending
 * event_base_loopexit() would outlive the poll and end a later one. */
static int poll_once(struct poller *p, int64_t id, struct event *deadline)
{
	struct poll_params params = {"longrun", 900, 1, 21600, 0, 0};
	struct timeval limit = {10, 0};
	int before = done_polls;

	if (poll_start(p, id, &params) != 0)
		return -1;
	evtimer_add(deadline, &limit);
	event_base_dispatch(base);
	evtimer_del(deadline);
	return done_polls == before + 1 ? 0 : -1;
}

int main(void)
{
	char dir[] = "/tmp/test_longrun.XXXXXX", path[256], err[256] = "";
	struct fetch_options o = {"feedmux-test/1", 10000, 1 << 20, 8, 2, NULL};
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	struct evhttp_bound_socket *sock;
	struct evhttp *http;
	struct event *deadline;
	struct fetch *f;
	struct poller *p;
	struct store *st;
	long long warm = 0, end;
	int64_t id = 0;
	int i, failed = 0;
	size_t pruned;
	char url[128];

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp failed\n");
		return 1;
	}
	snprintf(path, sizeof path, "%s/longrun.db", dir);
	base = event_base_new();
	http = evhttp_new(base);
	sock = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	getsockname(evhttp_bound_socket_get_fd(sock), (struct sockaddr *)&ss, &sl);
	port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	evhttp_set_gencb(http, on_request, NULL);
	st = store_open(path, err, sizeof err);
	if (!st) {
		printf("Bail out! store_open: %s\n", err);
		return 1;
	}
	snprintf(url, sizeof url, "http://127.0.0.1:%d/feed", port);
	store_feed_sync(st, "longrun", url, NULL, NULL, 0, &id);
	f = fetch_create(base, &o);
	p = poll_create(f, st, on_polled, NULL);
	deadline = evtimer_new(base, on_deadline, NULL);
	for (i = 1; i <= CYCLES; i++) {
		failed += poll_once(p, id, deadline) != 0;
		/* Prune as the daemon does, on a short retention so items
		 * really go (and their tombstones are written and read). */
		if (i % 100 == 0)
			failed += prune_items(st, 1, (int64_t)time(NULL) + 2,
					      1000, &pruned) != 0;
		if (i == WARM_CYCLES)
			warm = heap_in_use();
	}
	end = heap_in_use();
	is_int(failed, 0, "10000_poll_cycles_run");
	is_int(ok_polls, CYCLES, "every_poll_succeeds");
	is_int(new_items, CYCLES / NEW_EVERY, "each_published_item_is_new_once");
	diag("heap in use after %d cycles: %lld bytes, after %d: %lld bytes"
	     " (SQLite: %lld bytes)", WARM_CYCLES, warm, CYCLES, end,
	     (long long)sqlite3_memory_used());
	ok(end - warm <= MAX_GROWTH_BYTES,
	   "heap_does_not_grow_over_8000_poll_cycles");
	if (end - warm > MAX_GROWTH_BYTES)
		diag("grew %lld bytes (%.1f per cycle)", end - warm,
		     (double)(end - warm) / (CYCLES - WARM_CYCLES));
	event_free(deadline);
	fetch_free(f);
	poll_free(p);
	store_close(st);
	evhttp_free(http);
	event_base_free(base);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	if (system(path) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}
