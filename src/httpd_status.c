/*
 * httpd_status.c — /metrics and the per-feed part of /healthz?feeds=1.
 *
 * Both are read by monitoring, not by feed readers: no caching
 * (Cache-Control: no-store), rendered on every request from the
 * counters (metrics.c) and the feeds' rows in the store.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "buf.h"
#include "date.h"
#include "httpd_status.h"
#include "metrics.h"
#include "poll.h"
#include "store.h"

/* Prometheus text exposition format, version 0.0.4. */
#define METRICS_TYPE "text/plain; version=0.0.4; charset=utf-8"

static void put_char(struct buf *out, char c)
{
	buf_append(out, &c, 1);
}

void httpd_status_json_string(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	put_char(out, '"');
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(out, "\\%c", *p);
		else if (*p == '\n')
			buf_puts(out, "\\n");
		else if (*p < 0x20 || *p == 0x7f)
			buf_printf(out, "\\u%04x", *p);
		else
			put_char(out, (char)*p);	/* stored text is UTF-8 */
	}
	put_char(out, '"');
}

static void json_date(struct buf *out, const char *key, int64_t t)
{
	char date[40];

	if (t <= 0) {
		buf_printf(out, ",\"%s\":null", key);
		return;
	}
	date_format_rfc3339(t, date, sizeof date);
	buf_printf(out, ",\"%s\":\"%s\"", key, date);
}

static const char *feed_state(const struct store_feed *f)
{
	if (f->gone)
		return "gone";
	if (f->last_poll == 0)
		return "pending";
	if (poll_is_failing(f->errors))
		return "failing";
	/* One or two errors: retried, not yet worth an alarm. */
	return f->errors > 0 ? "retrying" : "ok";
}

static void feed_json(struct buf *out, const struct store_feed *f)
{
	buf_puts(out, "{\"name\":");
	httpd_status_json_string(out, f->name);
	buf_puts(out, ",\"url\":");
	httpd_status_json_string(out, f->url);
	buf_printf(out, ",\"status\":\"%s\"", feed_state(f));
	json_date(out, "last_fetch", f->last_poll);
	json_date(out, "last_success", f->last_success);
	buf_printf(out, ",\"http_status\":%d,\"error\":", f->last_status);
	if (f->last_error)
		httpd_status_json_string(out, f->last_error);
	else
		buf_puts(out, "null");
	buf_puts(out, ",\"repair\":");
	if (f->repair)
		httpd_status_json_string(out, f->repair);
	else
		buf_puts(out, "null");
	buf_printf(out, ",\"errors\":%d", f->errors);
	json_date(out, "next_poll", f->gone ? 0 : f->next_poll);
	buf_printf(out, ",\"interval_s\":%" PRId64 ",\"items\":%" PRId64 "}",
		   f->interval_s, f->items);
}

int httpd_status_wants_feeds(const char *query)
{
	const char *p = query;

	while (p && *p) {
		if (strncmp(p, "feeds=1", 7) == 0 && (p[7] == '\0' || p[7] == '&'))
			return 1;
		p = strchr(p, '&');
		if (p)
			p++;
	}
	return 0;
}

int httpd_status_feeds_json(struct store *st, struct buf *out)
{
	struct store_feed *feeds;
	size_t n, i;

	if (store_feed_list(st, &feeds, &n) != 0)
		return -1;
	buf_puts(out, ",\"feeds\":[");
	for (i = 0; i < n; i++) {
		if (i)
			put_char(out, ',');
		feed_json(out, &feeds[i]);
		store_feed_clear(&feeds[i]);
	}
	put_char(out, ']');
	free(feeds);
	return 0;
}

/* The gauges only the daemon and the store know. */
static int metrics_feeds_of(struct request *rq, struct metrics_feeds *mf)
{
	struct httpd_status s = { 0 };
	struct store_counts c;
	struct store_feed *feeds;
	size_t n, i;

	memset(mf, 0, sizeof *mf);
	if (rq->h->status)
		rq->h->status(rq->h->status_ctx, &s);
	mf->total = s.feeds_total;
	mf->failing = s.feeds_failing;
	mf->items = store_count(rq->h->st, &c) == 0 ? c.items : -1;
	if (store_feed_list(rq->h->st, &feeds, &n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		mf->gone += feeds[i].gone != 0;
		store_feed_clear(&feeds[i]);
	}
	free(feeds);
	return 0;
}

void httpd_serve_metrics(struct request *rq, const void *arg)
{
	struct metrics_feeds mf;
	struct buf body = { 0 };

	(void)arg;
	httpd_add_header(rq, "Cache-Control", "no-store");
	if (metrics_feeds_of(rq, &mf) != 0) {
		httpd_reply_text(rq, HTTP_SERVUNAVAIL, "Service Unavailable",
				 "store error\n");
		return;
	}
	httpd_add_header(rq, "Content-Type", METRICS_TYPE);
	metrics_render(&body, &mf);
	httpd_reply(rq, HTTP_OK, "OK", body.data, body.len);
	buf_free(&body);
}
