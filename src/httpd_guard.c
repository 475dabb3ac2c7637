/*
 * httpd_guard.c — a connection cap and a whole-request deadline for
 * evhttp (httpd_guard.h), which libevent 2.1 lacks (PITFALLS.md).
 *
 * evhttp builds each accepted connection in one go: it asks our
 * bufferevent callback for the bufferevent, then makes the
 * evhttp_connection and points the bufferevent's callbacks at it.  So the
 * callback only notes the bufferevent, and an event made active there
 * runs right after the accept, before any byte is read: it reads the
 * connection back from the bufferevent (bufferevent_getcb's cbarg is
 * evhttp's evcon), starts the deadline and hooks the close callback.
 * Caveat: if evhttp fails to set up the connection after our callback
 * (only when malloc fails) that bufferevent is gone before we adopt it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>

#include "httpd_guard.h"
#include "log.h"

/* Under attack the log gets one line per this many seconds at most. */
#define GUARD_WARN_INTERVAL_S 60

/* RFC 7231 §6.6.4; Retry-After §7.1.3. */
static const char refusal[] =
	"HTTP/1.1 503 Service Unavailable\r\n"
	"Content-Type: text/plain; charset=utf-8\r\n"
	"Content-Length: 20\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
	"too many connections";

struct guard_conn {
	struct httpd_guard *g;
	struct evhttp_connection *evcon;	/* borrowed: evhttp owns it */
	struct event *deadline;			/* owned */
	int busy;		/* a request arrived, its response not yet sent */
	struct guard_conn *prev, *next;		/* g's list, oldest first */
};

struct httpd_guard {
	struct evhttp *http;		/* borrowed */
	struct event_base *base;	/* borrowed */
	int max_conns;
	struct timeval deadline;
	struct guard_conn *oldest, *newest;	/* owned list */
	int count;
	struct bufferevent **pending;	/* owned array of borrowed bevs:
					 * accepted, not adopted yet */
	size_t n_pending, cap_pending;
	struct event *adopt;		/* owned: runs on_adopt */
	time_t last_warn;
	struct httpd_guard_stats stats;
	struct httpd_guard *next_guard;	/* in guards */
};

/*
 * Every guard, so that the request callback and httpd_free find theirs
 * from what they hold (the request, the evhttp).  One per listening
 * httpd: a short list.
 */
static struct httpd_guard *guards;

/* ---- the list of connections ---- */

static void conn_unlink(struct guard_conn *c)
{
	struct httpd_guard *g = c->g;

	if (c->prev)
		c->prev->next = c->next;
	else
		g->oldest = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		g->newest = c->prev;
	g->count--;
}

static struct guard_conn *conn_find(struct httpd_guard *g,
				    const struct evhttp_connection *evcon)
{
	struct guard_conn *c;

	/* At most max_conns entries, one walk per request: far cheaper than
	 * answering it. */
	for (c = g->newest; c; c = c->prev)
		if (c->evcon == evcon)
			return c;
	return NULL;
}

/* evhttp frees a connection: closed by either side, or by us. */
static void on_conn_close(struct evhttp_connection *evcon, void *arg)
{
	struct guard_conn *c = arg;

	(void)evcon;
	conn_unlink(c);
	event_free(c->deadline);
	free(c);
}

/* Closes c now; on_conn_close frees it. */
static void conn_close(struct guard_conn *c)
{
	evhttp_connection_free(c->evcon);
}

static void warn_under_attack(struct httpd_guard *g, const char *what)
{
	time_t now = time(NULL);

	if (now - g->last_warn < GUARD_WARN_INTERVAL_S)
		return;
	g->last_warn = now;
	log_warn("httpd: %s (%d connections open, cap %d; closed so far: "
		 "%lu past the deadline, %lu evicted, %lu refused)", what,
		 g->count, g->max_conns, g->stats.deadline_closed,
		 g->stats.evicted, g->stats.refused);
}

/* ---- the rules ---- */

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct guard_conn *c = arg;

	(void)fd;
	(void)what;
	if (c->busy)
		return;
	c->g->stats.deadline_closed++;
	log_debug("httpd: closing a connection with no complete request "
		  "after %ld s", (long)c->g->deadline.tv_sec);
	conn_close(c);
}

/* The newcomer is told why (best effort: its socket buffer is empty)
 * and closed. */
static void conn_refuse(struct guard_conn *c)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(c->evcon);
	evutil_socket_t fd = bev ? bufferevent_getfd(bev) : -1;

	if (fd >= 0 && send(fd, refusal, sizeof refusal - 1,
			    MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		log_debug("httpd: 503 not sent: %s", strerror(errno));
	c->g->stats.refused++;
	conn_close(c);
}

/* Over the cap: the oldest connection still waiting for its request goes
 * (slow clients pile up there); if all are busy, the newcomer does. */
static void make_room(struct httpd_guard *g, struct guard_conn *newcomer)
{
	struct guard_conn *c;

	for (c = g->oldest; c; c = c->next) {
		if (c != newcomer && !c->busy) {
			g->stats.evicted++;
			warn_under_attack(g, "connection cap reached, closing "
					  "the oldest idle connections");
			conn_close(c);
			return;
		}
	}
	warn_under_attack(g, "connection cap reached, refusing connections");
	conn_refuse(newcomer);
}

static void adopt(struct httpd_guard *g, struct evhttp_connection *evcon)
{
	struct guard_conn *c = calloc(1, sizeof *c);

	if (!c || !(c->deadline = evtimer_new(g->base, on_deadline, c))) {
		free(c);
		log_err("httpd: out of memory, a connection goes unguarded");
		return;
	}
	c->g = g;
	c->evcon = evcon;
	c->prev = g->newest;
	if (g->newest)
		g->newest->next = c;
	else
		g->oldest = c;
	g->newest = c;
	g->count++;
	evhttp_connection_set_closecb(evcon, on_conn_close, c);
	evtimer_add(c->deadline, &g->deadline);
	if (g->count > g->max_conns)
		make_room(g, c);
}

static void on_adopt(evutil_socket_t fd, short what, void *arg)
{
	struct httpd_guard *g = arg;
	void *evcon;
	size_t i;

	(void)fd;
	(void)what;
	for (i = 0; i < g->n_pending; i++) {
		evcon = NULL;
		bufferevent_getcb(g->pending[i], NULL, NULL, NULL, &evcon);
		if (evcon)
			adopt(g, evcon);
	}
	g->n_pending = 0;
}

/* evhttp's bufferevent callback: a connection was just accepted. */
static struct bufferevent *on_accept(struct event_base *base, void *arg)
{
	struct httpd_guard *g = arg;
	/* Options as evhttp's own (it closes the socket itself). */
	struct bufferevent *bev = bufferevent_socket_new(base, -1, 0);
	struct bufferevent **grown;

	if (!bev)
		return NULL;	/* evhttp tries itself; unguarded */
	/* Priority 0, above the transfers (1) and the poller's parse and
	 * store slices (2): a client's request is read, answered and
	 * written in consecutive loop turns (daemon.c). */
	bufferevent_priority_set(bev, 0);
	if (g->n_pending == g->cap_pending) {
		size_t cap = g->cap_pending ? 2 * g->cap_pending : 16;

		grown = realloc(g->pending, cap * sizeof *grown);
		if (!grown)
			return bev;
		g->pending = grown;
		g->cap_pending = cap;
	}
	g->pending[g->n_pending++] = bev;
	event_active(g->adopt, EV_TIMEOUT, 0);
	return bev;
}

static void on_response_sent(struct evhttp_request *req, void *arg)
{
	struct httpd_guard *g = arg;
	struct guard_conn *c = conn_find(g, evhttp_request_get_connection(req));

	if (!c)
		return;
	c->busy = 0;
	evtimer_add(c->deadline, &g->deadline);	/* for the next request */
}

/* ---- the public face ---- */

void httpd_guard_request(struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct httpd_guard *g;
	struct guard_conn *c = NULL;

	for (g = guards; g && !c; g = g->next_guard)
		c = conn_find(g, evcon);
	if (!c)
		return;
	g = c->g;
	c->busy = 1;
	evtimer_del(c->deadline);
	evhttp_request_set_on_complete_cb(req, on_response_sent, g);
}

/* Each connection is a file descriptor; keep half the limit for the
 * database, the fetches and the logs. */
static int clamp_to_file_limit(int max_conns)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur / 2 < (rlim_t)max_conns)
		return rl.rlim_cur / 2 > 0 ? (int)(rl.rlim_cur / 2) : 1;
	return max_conns;
}

struct httpd_guard *httpd_guard_create(struct evhttp *http,
				       struct event_base *base, int max_conns,
				       int deadline_s)
{
	struct httpd_guard *g = calloc(1, sizeof *g);

	if (!g)
		return NULL;
	g->http = http;
	g->base = base;
	g->max_conns = clamp_to_file_limit(max_conns > 0 ? max_conns : 1);
	g->deadline.tv_sec = deadline_s > 0 ? deadline_s : 1;
	g->adopt = event_new(base, -1, 0, on_adopt, g);
	if (g->adopt)
		event_priority_set(g->adopt, 0);	/* with the connections */
	if (!g->adopt) {
		free(g);
		return NULL;
	}
	evhttp_set_bevcb(http, on_accept, g);
	g->next_guard = guards;
	guards = g;
	return g;
}

struct httpd_guard *httpd_guard_of(const struct evhttp *http)
{
	struct httpd_guard *g;

	for (g = guards; g; g = g->next_guard)
		if (g->http == http)
			return g;
	return NULL;
}

int httpd_guard_count(const struct httpd_guard *g)
{
	return g->count;
}

int httpd_guard_max(const struct httpd_guard *g)
{
	return g->max_conns;
}

void httpd_guard_stats(const struct httpd_guard *g,
		       struct httpd_guard_stats *out)
{
	*out = g->stats;
}

void httpd_guard_free(struct httpd_guard *g)
{
	struct guard_conn *c, *next;

	struct httpd_guard **pp;

	if (!g)
		return;
	for (pp = &guards; *pp; pp = &(*pp)->next_guard)
		if (*pp == g) {
			*pp = g->next_guard;
			break;
		}
	evhttp_set_bevcb(g->http, NULL, NULL);
	for (c = g->oldest; c; c = next) {
		next = c->next;
		evhttp_connection_set_closecb(c->evcon, NULL, NULL);
		event_free(c->deadline);
		free(c);
	}
	event_free(g->adopt);
	free(g->pending);
	free(g);
}
