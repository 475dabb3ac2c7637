/*
 * test_httpd_status.c — the per-feed JSON of /healthz?feeds=1 and its
 * string escaping; /metrics itself is metrics.c (test_metrics) plus one
 * route, checked end to end in e2e_polite.sh.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "httpd_status.h"
#include "poll.h"
#include "store.h"
#include "tap.h"

static void json_strings(void)
{
	struct buf b = {0};

	httpd_status_json_string(&b, "a\"b\\c\nd\te\x01 é");
	is_str(b.data, "\"a\\\"b\\\\c\\nd\\u0009e\\u0001 é\"",
	       "json: quotes, backslashes and controls escaped, UTF-8 kept");
	buf_free(&b);
	httpd_status_json_string(&b, NULL);
	is_str(b.data, "\"\"", "json: NULL is the empty string");
	buf_free(&b);
}

static void wants_feeds(void)
{
	ok(httpd_status_wants_feeds("feeds=1"), "query: feeds=1");
	ok(httpd_status_wants_feeds("x=2&feeds=1"), "query: feeds=1 after another");
	ok(!httpd_status_wants_feeds("feeds=10"), "query: feeds=10 is not feeds=1");
	ok(!httpd_status_wants_feeds("nofeeds=1"), "query: nofeeds=1 is not feeds=1");
	ok(!httpd_status_wants_feeds(NULL), "query: none");
}

/* A feed whose last polls failed errors times in a row. */
static void save_errors(struct store *st, const char *name, const char *url,
			int errors)
{
	struct store_feed f;
	int64_t id = 0;

	store_feed_sync(st, name, url, NULL, NULL, 0, &id);
	memset(&f, 0, sizeof f);
	store_feed_get(st, id, &f);
	f.last_poll = 1712145600;
	f.last_status = 500;
	f.errors = errors;
	store_feed_save_poll(st, &f);
	store_feed_clear(&f);
}

static void feeds_json(void)
{
	char dir[] = "/tmp/feedmux-test-status-XXXXXX", path[256], err[256];
	struct store *st;
	struct store_feed f;
	struct buf b = {0};
	int64_t ok_id = 0, gone_id = 0;

	if (!mkdtemp(dir))
		return;
	snprintf(path, sizeof path, "%s/t.db", dir);
	st = store_open(path, err, sizeof err);
	store_feed_sync(st, "good", "http://a.example/rss", NULL, NULL, 0, &ok_id);
	store_feed_sync(st, "old", "http://b.example/rss", NULL, NULL, 0, &gone_id);
	store_feed_sync(st, "new", "http://c.example/rss", NULL, NULL, 0, &ok_id);
	memset(&f, 0, sizeof f);
	store_feed_get(st, gone_id, &f);
	f.last_poll = 1712145600;
	f.last_status = 410;
	f.errors = 1;
	f.gone = 1;
	f.next_poll = 1712149200;
	f.last_error = strdup("HTTP 410 Gone: \"bye\"");
	store_feed_save_poll(st, &f);
	store_feed_clear(&f);
	save_errors(st, "blip", "http://d.example/rss", 1);
	save_errors(st, "down", "http://e.example/rss", POLL_FAILING_AFTER);
	ok(httpd_status_feeds_json(st, &b) == 0, "feeds json: rendered");
	ok(b.data && strncmp(b.data, ",\"feeds\":[{", 11) == 0,
	   "feeds json: appended as a member of the healthz object");
	ok(b.data && strstr(b.data, "\"name\":\"old\",\"url\":\"http://b.example/rss\","
			    "\"status\":\"gone\",\"last_fetch\":\"2024-04-03T12:00:00Z\""),
	   "feeds json: a gone feed says so, with its last fetch");
	ok(b.data && strstr(b.data, "\"http_status\":410,\"error\":\"HTTP 410 Gone: \\\"bye\\\"\""),
	   "feeds json: status and escaped error");
	ok(b.data && strstr(b.data, "\"errors\":1,\"next_poll\":null"),
	   "feeds json: a gone feed has no next poll");
	ok(b.data && strstr(b.data, "\"name\":\"blip\",\"url\":\"http://d.example/rss\","
			    "\"status\":\"retrying\""),
	   "feeds json: one error is retrying, not failing");
	ok(b.data && strstr(b.data, "\"name\":\"down\",\"url\":\"http://e.example/rss\","
			    "\"status\":\"failing\""),
	   "feeds json: three errors in a row are failing");
	ok(b.data && strstr(b.data, "\"name\":\"new\",\"url\":\"http://c.example/rss\","
			    "\"status\":\"pending\",\"last_fetch\":null"),
	   "feeds json: a feed never polled is pending");
	if (b.data)
		diag("%s", b.data);
	buf_free(&b);
	store_close(st);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	if (system(path) != 0)
		diag("could not remove %s", dir);
}

int main(void)
{
	json_strings();
	wants_feeds();
	feeds_json();
	return done_testing();
}
