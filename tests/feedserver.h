/*
 * feedserver.h — what the test feed server's files share: feedserver.c
 * (counters, routing, setup), feedserver_body.c (files, validators,
 * gzip), feedserver_gen.c (the -g feeds) and feedserver_hostile.c (the
 * misbehaviour modes).  Test tool only.
 */
#ifndef FEEDSERVER_H
#define FEEDSERVER_H

#include <stddef.h>
#include <time.h>

struct evhttp_request;
struct evbuffer;

/* A response body and its validators.  data is owned when owned is set
 * (a file read for this request), else borrowed from the server. */
struct body {
	char *data;
	size_t len;
	int owned;
	time_t mtime;
	const char *type;	/* borrowed: static, or alive until sent */
	char etag[48];
};

/* Requests per path since start or the last /_stats/reset. */
struct stat_row {
	char *path;	/* owned */
	unsigned long requests, n200, n304;
};

struct server {
	struct event_base *base;
	struct evhttp *http;
	char *dir;		/* owned; realpath of -d */
	struct stat_row *stats;	/* owned array */
	size_t n_stats, cap_stats;
	struct body *gen;	/* owned array of -g feeds, each owning data */
	size_t n_gen;
};

/*
 * A route handler answers req.  statpath is the decoded request path the
 * reply is counted under; rest is what follows the route's prefix (borrowed
 * until the handler returns).
 */
typedef void (*route_fn)(struct server *srv, struct evhttp_request *req,
			 const char *statpath, const char *rest);

struct route {
	const char *prefix;	/* ends in '/': prefix match; else exact */
	route_fn handle;
};

/* Counts the reply, then sends it; body (may be NULL) is drained.  A
 * negative code only counts the request. */
void reply(struct server *srv, struct evhttp_request *req,
	   const char *statpath, int code, struct evbuffer *body);
void reply_text(struct server *srv, struct evhttp_request *req,
		const char *statpath, int code, const char *text);
void redirect_to(struct server *srv, struct evhttp_request *req,
		 const char *statpath, int code, const char *location);
/* Sends b (or a 304) with its validators; HEAD gets the headers only. */
void send_body(struct server *srv, struct evhttp_request *req,
	       const char *statpath, const struct body *b);
/* Fills b for target; release it with body_release().  -1: not found. */
int body_load(struct server *srv, const char *target, struct body *b);
void body_release(struct body *b);
/* gzip (RFC 1952) of b's bytes, replacing them; the ETag follows. */
int gzip_body(struct body *b);
/* Sets b's ETag: a strong validator from its bytes. */
void body_set_etag(struct body *b);
/* IMF-fixdate, RFC 7231 §7.1.1.1. */
void http_date(time_t t, char *out, size_t outlen);
/* ---- generated feeds (feedserver_gen.c) ---- */
/* Feed number feed of -g as one owned body, with its validators. */
void gen_feed(struct body *b, size_t feed);
/* Hands target to the first matching route. */
void dispatch(struct server *srv, struct evhttp_request *req,
	      const char *statpath, const char *target);

/* ---- misbehaviour modes (feedserver_hostile.c) ---- */
/* The compression bombs, for -b.  0 or -1. */
int bombs_build(void);
void bombs_free(void);
void on_retry(struct server *srv, struct evhttp_request *req,
	      const char *statpath, const char *rest);
void on_rotating(struct server *srv, struct evhttp_request *req,
		 const char *statpath, const char *rest);
void on_always304(struct server *srv, struct evhttp_request *req,
		  const char *statpath, const char *rest);
void on_redirect_to(struct server *srv, struct evhttp_request *req,
		    const char *statpath, const char *rest);
void on_loop(struct server *srv, struct evhttp_request *req,
	     const char *statpath, const char *rest);
void on_bomb(struct server *srv, struct evhttp_request *req,
	     const char *statpath, const char *rest);
void on_endless(struct server *srv, struct evhttp_request *req,
		const char *statpath, const char *rest);
void on_drip(struct server *srv, struct evhttp_request *req,
	     const char *statpath, const char *rest);
void on_silence(struct server *srv, struct evhttp_request *req,
		const char *statpath, const char *rest);
void on_wrong_length(struct server *srv, struct evhttp_request *req,
		     const char *statpath, const char *rest);
void on_reset(struct server *srv, struct evhttp_request *req,
	      const char *statpath, const char *rest);

#endif
