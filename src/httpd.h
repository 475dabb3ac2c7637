/*
 * httpd.h — the built-in HTTP endpoint (SPEC.md: HTTP endpoint), on
 * libevent's evhttp.
 *
 * Paths: /feed.atom, /feed.rss, /feed.json (merged), /sections/NAME.atom
 * (.rss, .json), /feeds.opml, / (the status page), /healthz.  Feed bodies
 * come from the cache and are rendered from the store only when the store
 * generation changed, so a request normally does no SQL and no XML work.
 * Every feed response carries ETag, Last-Modified and Cache-Control and
 * answers If-None-Match / If-Modified-Since with 304, gzip when asked
 * (Vary: Accept-Encoding), HEAD like GET without a body; 404 for unknown
 * paths and sections, 405 for other methods, 400 for a bad limit or
 * paging cursor.  Feeds are paged per RFC 5005 (?before=DATE-ID).
 * Header size, body size and idle time are limited (PITFALLS.md).
 */
#ifndef FEEDMUX_HTTPD_H
#define FEEDMUX_HTTPD_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct store;
struct config;

/* What only the running daemon knows, for /healthz. */
struct httpd_status {
	int64_t feeds_total;	/* configured feeds */
	int64_t feeds_polled;	/* polled at least once since start */
	int64_t feeds_failing;	/* last poll failed */
	int64_t last_poll;	/* Unix seconds of the newest finished poll, 0 if none */
};

typedef void (*httpd_status_cb)(void *ctx, struct httpd_status *out);

struct httpd;

/*
 * store and cfg are borrowed for the life of the httpd (cfg until the
 * next httpd_set_config).  status is called for each /healthz request.
 */
struct httpd *httpd_create(struct event_base *base, struct store *st,
			   const struct config *cfg, httpd_status_cb status,
			   void *status_ctx);
/* Binds "HOST:PORT" or "[V6]:PORT" (port 0: any free port).  Returns the
 * bound port, or -1 with a message in err. */
int httpd_listen(struct httpd *h, const char *addr, char *err, size_t errlen);
/* After a reload: new title, base_url, sections, limit.  Borrowed. */
void httpd_set_config(struct httpd *h, const struct config *cfg);
void httpd_free(struct httpd *h);	/* NULL is fine */

/* How many bodies were rendered from the store so far (feeds, OPML): a
 * request answered from the cache does not count.  For tests. */
uint64_t httpd_render_count(const struct httpd *h);

#endif
