/*
 * httpd_int.h — what httpd.c (routing, listening, life cycle) shares with
 * the files that answer routes (httpd_outputs.c: feeds, OPML, the status
 * page).  Nothing outside src/httpd*.c includes it.
 */
#ifndef FEEDMUX_HTTPD_INT_H
#define FEEDMUX_HTTPD_INT_H

#include <stddef.h>
#include <stdint.h>

#include "httpd.h"

struct evhttp;
struct evhttp_request;
struct cache;

struct httpd {
	struct evhttp *http;		/* owned */
	struct store *st;		/* borrowed */
	const struct config *cfg;	/* borrowed until httpd_set_config */
	httpd_status_cb status;
	void *status_ctx;
	struct cache *cache;		/* owned */
	uint64_t renders;		/* bodies rendered from the store */
};

/* One request while it is being answered.  Everything borrowed. */
struct request {
	struct httpd *h;
	struct evhttp_request *req;
	const char *path;	/* percent-decoded */
	const char *query;	/* raw, NULL if none */
	const char *name;	/* NAME of a /prefix/NAME.suffix route, else NULL */
	int head;		/* HEAD: headers as for GET, no body */
	int status;		/* for the access log */
	size_t bytes;
};

void httpd_add_header(struct request *rq, const char *name,
		      const char *value);
/*
 * Sends code with body (len bytes, copied: the cache may drop it before
 * evhttp writes).  Content-Length is always the length a GET gets, also
 * for HEAD, where no body is sent (RFC 9110 §9.3.2); a 304 has neither
 * (RFC 9110 §15.4.5).
 */
void httpd_reply(struct request *rq, int code, const char *reason,
		 const char *body, size_t len);
/* A text/plain reply. */
void httpd_reply_text(struct request *rq, int code, const char *reason,
		      const char *msg);

/* An output feed format: its renderer and Content-Type. */
struct feed_format;
extern const struct feed_format httpd_format_atom, httpd_format_rss,
	httpd_format_json;

/* Route handlers (httpd_outputs.c); arg is the route's arg. */
void httpd_serve_feed(struct request *rq, const void *arg);
void httpd_serve_opml(struct request *rq, const void *arg);
void httpd_serve_status_page(struct request *rq, const void *arg);

#endif
