/*
 * httpd_guard.h — keeps the HTTP endpoint answering under abuse.
 *
 * libevent 2.1's evhttp has no connection cap, and its timeout restarts
 * on every byte, so a client dripping one byte a second holds a
 * connection for ever (PITFALLS.md).  The guard sees every connection
 * evhttp accepts and enforces two rules:
 *
 *   - a deadline: a connection must deliver a whole request within
 *     deadline_s of being accepted (or of its previous response being
 *     sent); otherwise it is closed, however busily it drips;
 *   - a cap: with more than max_conns connections open, the oldest one
 *     still waiting for its request is closed to make room (a slowloris
 *     fills the table with those; a busy reader is never cut), and if
 *     every one is busy the newcomer gets "503" and is closed.
 *
 * Connections are tracked from evhttp's bufferevent callback
 * (evhttp_set_bevcb) and counted out by evhttp_connection_set_closecb.
 */
#ifndef FEEDMUX_HTTPD_GUARD_H
#define FEEDMUX_HTTPD_GUARD_H

struct event_base;
struct evhttp;
struct evhttp_request;
struct httpd_guard;

/*
 * Starts guarding http's connections (http and base are borrowed and
 * must outlive the guard; the guard takes evhttp's bufferevent callback
 * and can be found again with httpd_guard_of(http)).
 * max_conns is lowered to half the process's open-file limit if that is
 * smaller.  Returns a guard the caller frees with httpd_guard_free()
 * before evhttp_free(), or NULL if out of memory.
 */
struct httpd_guard *httpd_guard_create(struct evhttp *http,
				       struct event_base *base, int max_conns,
				       int deadline_s);

/* The guard of http, or NULL if it has none. */
struct httpd_guard *httpd_guard_of(const struct evhttp *http);

/*
 * Tells the guard of req's connection (if any) that a whole request has
 * arrived; call it first thing in the request callback.  The connection
 * is then busy, exempt from the deadline and from eviction, until the
 * response has been sent.
 */
void httpd_guard_request(struct evhttp_request *req);

/* Connections open now; the cap in force (after the file-limit clamp). */
int httpd_guard_count(const struct httpd_guard *g);
int httpd_guard_max(const struct httpd_guard *g);

/* Connections closed so far by the deadline, by eviction, and refused. */
struct httpd_guard_stats {
	unsigned long deadline_closed;
	unsigned long evicted;
	unsigned long refused;
};
void httpd_guard_stats(const struct httpd_guard *g,
		       struct httpd_guard_stats *out);

/* Lets go of every connection (they stay open, now unguarded) and frees
 * the guard.  NULL is fine. */
void httpd_guard_free(struct httpd_guard *g);

#endif
