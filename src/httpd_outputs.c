/*
 * httpd_outputs.c — the routes that publish: the output feeds (Atom, RSS,
 * JSON Feed; merged and per section; paged per RFC 5005), /feeds.opml
 * and the status page `/`.
 *
 * Feed and OPML bodies come from the cache, keyed by path, limit and
 * paging cursor, and are rendered from the store only when the store
 * generation moved: the usual request costs a table lookup, a validator
 * check and a copy — no SQL, no XML.  h->renders counts the renders so
 * tests can prove it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "buf.h"
#include "cache.h"
#include "config.h"
#include "date.h"
#include "httpd_headers.h"
#include "httpd_int.h"
#include "log.h"
#include "render.h"
#include "status_page.h"
#include "store.h"

/* Caches may serve a feed for a minute, then must revalidate, which the
 * validators make cheap (a 304).  RFC 9111 §5.2.2. */
#define FEED_CACHE_CONTROL "public, max-age=60"
/* The status page shows poll times that change without a store change,
 * so it is built for each request and caches always revalidate. */
#define PAGE_CACHE_CONTROL "no-cache"
#define HTML_TYPE "text/html; charset=utf-8"
#define OPML_TYPE "text/x-opml; charset=utf-8"
#define STATUS_PAGE_ENTRIES 30
#define OPML_KEY "/feeds.opml"

struct feed_format {
	int (*render)(const struct render_meta *m,
		      const struct store_item *items, size_t n,
		      struct buf *out);
	const char *content_type;	/* static */
};

const struct feed_format httpd_format_atom = {
	render_atom, "application/atom+xml; charset=utf-8",
};
const struct feed_format httpd_format_rss = {
	render_rss, "application/rss+xml; charset=utf-8",
};
const struct feed_format httpd_format_json = {
	render_json, "application/feed+json; charset=utf-8",
};

/* What one feed request asks for. */
struct feed_query {
	const struct feed_format *fmt;
	const struct config_section *sec;	/* NULL: the merged feed */
	int limit;
	int limit_given;	/* limit differs from the default: keep it in links */
	int64_t before_date;	/* the paging cursor, INT64_MAX: first page */
	int64_t before_id;
};

/* ---- validators, gzip and the reply ---- */

/*
 * 200 with a cached body, handed to libevent by reference: copying a
 * 100 KB body into the output buffer made a 200 ten times slower than a
 * 304 (bench/serve.sh).  The reference keeps the bytes alive until they
 * are written, even if the cache drops the entry meanwhile.
 */
static void reply_cached(struct request *rq, const char *body, size_t len)
{
	char num[32];

	snprintf(num, sizeof num, "%zu", len);
	httpd_add_header(rq, "Content-Length", num);
	rq->status = HTTP_OK;
	rq->bytes = 0;
	if (!rq->head && len > 0) {
		cache_hold(body);
		if (evbuffer_add_reference(
			    evhttp_request_get_output_buffer(rq->req), body, len,
			    cache_release, NULL) < 0)
			cache_release(body, len, NULL);
		else
			rq->bytes = len;
	}
	evhttp_send_reply(rq->req, HTTP_OK, "OK", NULL);
}

static void feed_reply(struct request *rq, const struct cached *c,
		       const char *cache_control)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(rq->req);
	char date[40], gz_etag[sizeof c->etag + 8];
	int gz = c->gz && httpd_headers_accepts_gzip(
		evhttp_find_header(in, "Accept-Encoding"));
	const char *etag = c->etag;

	if (gz) {
		httpd_headers_gzip_etag(c->etag, gz_etag, sizeof gz_etag);
		etag = gz_etag;
	}
	date_format_http(c->last_modified, date, sizeof date);
	httpd_add_header(rq, "ETag", etag);
	httpd_add_header(rq, "Last-Modified", date);
	httpd_add_header(rq, "Cache-Control", cache_control);
	httpd_add_header(rq, "Vary", "Accept-Encoding");
	if (httpd_headers_not_modified(
		    evhttp_find_header(in, "If-None-Match"),
		    evhttp_find_header(in, "If-Modified-Since"), etag,
		    c->last_modified)) {
		httpd_reply(rq, HTTP_NOTMODIFIED, "Not Modified", NULL, 0);
		return;
	}
	httpd_add_header(rq, "Content-Type", c->content_type);
	if (gz) {
		httpd_add_header(rq, "Content-Encoding", "gzip");
		reply_cached(rq, c->gz, c->gz_len);
	} else {
		reply_cached(rq, c->body, c->len);
	}
}

/* ---- feeds ---- */

/* The query part of this page's links: the cursor and a non-default
 * limit, "" for the first page at the default limit. */
static void feed_link_query(struct buf *b, const struct feed_query *q,
			    int64_t date, int64_t id)
{
	const char *sep = "?";

	if (date != INT64_MAX || id != INT64_MAX) {
		buf_printf(b, "?before=%" PRId64 "-%" PRId64, date, id);
		sep = "&";
	}
	if (q->limit_given)
		buf_printf(b, "%slimit=%d", sep, q->limit);
}

/*
 * Renders the page q asks for and stores it under key.  One story more
 * than the limit is read to know whether an older page exists; only then
 * does the page link to it (RFC 5005 §3: the last page has no "next").
 * Returns 0, or the HTTP status to answer.
 */
static int feed_render(struct request *rq, const struct feed_query *q,
		       const char *key, uint64_t gen, const struct cached **out)
{
	struct httpd *h = rq->h;
	struct store_item *items = NULL;
	struct render_meta m = { 0 };
	struct buf id = { 0 }, self = { 0 }, next = { 0 }, body = { 0 };
	const char *base = h->cfg->base_url ? h->cfg->base_url : "/";
	int64_t changed = store_changed_at(h->st);
	size_t n = 0, total, len;
	int rc;

	if (store_list_items_before(h->st, q->sec ? q->sec->name : NULL,
				    q->limit + 1, q->before_date, q->before_id,
				    &items, &n) < 0)
		return HTTP_SERVUNAVAIL;	/* the store logged it */
	h->renders++;
	total = n;
	if (changed <= 0)
		changed = (int64_t)time(NULL);
	buf_printf(&id, "%s%s", base, rq->path + 1);
	buf_printf(&self, "%s%s", base, rq->path + 1);
	feed_link_query(&self, q, q->before_date, q->before_id);
	if (n > (size_t)q->limit) {
		n = (size_t)q->limit;
		buf_printf(&next, "%s%s", base, rq->path + 1);
		feed_link_query(&next, q, items[n - 1].sort_date,
				items[n - 1].story_id);
	}
	m.title = q->sec ? q->sec->title : h->cfg->title;
	m.subtitle = q->sec ? q->sec->description : NULL;
	m.id = id.data;
	m.self_url = self.data;
	m.alt_url = base;
	m.updated = changed;
	m.icon = h->cfg->icon;
	m.next_url = next.data;
	rc = q->fmt->render(&m, items, n, &body);
	store_items_free(items, total);
	buf_free(&id);
	buf_free(&self);
	buf_free(&next);
	if (rc < 0) {
		log_err("httpd: rendering %s failed", key);
		buf_free(&body);
		return HTTP_INTERNAL;
	}
	len = body.len;
	*out = cache_put(h->cache, key, gen, buf_steal(&body), len,
			 q->fmt->content_type, changed);
	return *out ? 0 : HTTP_INTERNAL;
}

/* The cached body for q at the store's generation, rendered first if
 * needed.  Returns 0, or the HTTP status to answer. */
static int feed_lookup(struct request *rq, const struct feed_query *q,
		       const struct cached **out)
{
	uint64_t gen = store_generation(rq->h->st);
	struct buf key = { 0 };
	int rc = 0;

	buf_printf(&key, "%s?limit=%d&before=%" PRId64 "-%" PRId64, rq->path,
		   q->limit, q->before_date, q->before_id);
	*out = cache_get(rq->h->cache, key.data, gen);
	if (!*out)
		rc = feed_render(rq, q, key.data, gen, out);
	buf_free(&key);
	return rc;
}

/* Fills q from the request; 0, or -1 after answering 404 or 400. */
static int feed_query_parse(struct request *rq, const struct feed_format *fmt,
			    struct feed_query *q)
{
	const struct config *cfg = rq->h->cfg;
	int def = cfg->limit;

	memset(q, 0, sizeof *q);
	q->fmt = fmt;
	if (rq->name && !(q->sec = config_find_section(cfg, rq->name))) {
		httpd_reply_text(rq, HTTP_NOTFOUND, "Not Found",
				 "no such section\n");
		return -1;
	}
	if (def < HTTPD_MIN_LIMIT || def > HTTPD_MAX_LIMIT)
		def = def < HTTPD_MIN_LIMIT ? HTTPD_MIN_LIMIT : HTTPD_MAX_LIMIT;
	if (httpd_headers_query_limit(rq->query, def, &q->limit) < 0) {
		httpd_reply_text(rq, HTTP_BADREQUEST, "Bad Request",
				 "limit must be an integer from 1 to 1000\n");
		return -1;
	}
	q->limit_given = q->limit != def;
	if (httpd_headers_query_before(rq->query, &q->before_date,
				       &q->before_id) < 0) {
		httpd_reply_text(rq, HTTP_BADREQUEST, "Bad Request",
				 "before must be DATE-ID from a next link\n");
		return -1;
	}
	return 0;
}

void httpd_serve_feed(struct request *rq, const void *arg)
{
	const struct cached *c = NULL;
	struct feed_query q;
	int rc;

	if (feed_query_parse(rq, arg, &q) < 0)
		return;
	rc = feed_lookup(rq, &q, &c);
	if (rc == HTTP_SERVUNAVAIL)
		httpd_reply_text(rq, rc, "Service Unavailable", "store error\n");
	else if (rc)
		httpd_reply_text(rq, HTTP_INTERNAL, "Internal Server Error",
				 "rendering failed\n");
	else
		feed_reply(rq, c, FEED_CACHE_CONTROL);
}

/* ---- /feeds.opml ---- */

static int opml_render(struct request *rq, uint64_t gen,
		       const struct cached **out)
{
	struct httpd *h = rq->h;
	struct store_feed *feeds = NULL;
	struct render_meta m = { 0 };
	struct buf body = { 0 };
	int64_t changed = store_changed_at(h->st);
	size_t n = 0, i, len;
	int rc;

	if (store_feed_list(h->st, &feeds, &n) < 0)
		return HTTP_SERVUNAVAIL;
	h->renders++;
	m.title = h->cfg->title;
	m.updated = changed > 0 ? changed : (int64_t)time(NULL);
	rc = render_opml(&m, h->cfg, feeds, n, &body);
	for (i = 0; i < n; i++)
		store_feed_clear(&feeds[i]);
	free(feeds);
	if (rc < 0) {
		log_err("httpd: rendering " OPML_KEY " failed");
		buf_free(&body);
		return HTTP_INTERNAL;
	}
	len = body.len;
	*out = cache_put(h->cache, OPML_KEY, gen, buf_steal(&body), len,
			 OPML_TYPE, m.updated);
	return 0;
}

void httpd_serve_opml(struct request *rq, const void *arg)
{
	uint64_t gen = store_generation(rq->h->st);
	const struct cached *c = cache_get(rq->h->cache, OPML_KEY, gen);
	int rc = 0;

	(void)arg;
	if (!c)
		rc = opml_render(rq, gen, &c);
	if (rc == HTTP_SERVUNAVAIL)
		httpd_reply_text(rq, rc, "Service Unavailable", "store error\n");
	else if (rc)
		httpd_reply_text(rq, HTTP_INTERNAL, "Internal Server Error",
				 "rendering failed\n");
	else
		feed_reply(rq, c, FEED_CACHE_CONTROL);
}

/* ---- the status page ---- */

void httpd_serve_status_page(struct request *rq, const void *arg)
{
	struct httpd *h = rq->h;
	struct status_page p = { .cfg = h->cfg, .now = (int64_t)time(NULL) };
	struct store_feed *feeds = NULL;
	struct store_item *items = NULL;
	struct buf body = { 0 };
	size_t i;

	(void)arg;
	if (store_feed_list(h->st, &feeds, &p.n_feeds) < 0 ||
	    store_list_items(h->st, NULL, STATUS_PAGE_ENTRIES, &items,
			     &p.n_items) < 0) {
		httpd_reply_text(rq, HTTP_SERVUNAVAIL, "Service Unavailable",
				 "store error\n");
	} else {
		p.feeds = feeds;
		p.items = items;
		status_page_render(&p, &body);
		httpd_add_header(rq, "Content-Type", HTML_TYPE);
		httpd_add_header(rq, "Cache-Control", PAGE_CACHE_CONTROL);
		httpd_reply(rq, HTTP_OK, "OK", body.data, body.len);
	}
	for (i = 0; feeds && i < p.n_feeds; i++)
		store_feed_clear(&feeds[i]);
	free(feeds);
	store_items_free(items, items ? p.n_items : 0);
	buf_free(&body);
}
