/*
 * test_poll.c — one poll end to end (fetch -> parse -> store) against an
 * evhttp server on 127.0.0.1 in the same loop.
 */
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

#include "buf.h"
#include "fetch.h"
#include "metrics.h"
#include "poll.h"
#include "store.h"
#include "tap.h"

static const char *rss_body =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	"<rss version=\"2.0\"><channel><title>Wire World</title>"
	"<link>http://wire.example/</link>"
	"<item><title>Story one</title><link>http://wire.example/1</link>"
	"<guid>wire-1</guid><pubDate>Tue, 03 Apr 2012 10:00:00 GMT</pubDate>"
	"<description>BEIJING, April 3 (Xinhua) -- One.</description></item>"
	"<item><title>Story two</title><link>http://wire.example/2</link>"
	"<guid>wire-2</guid><pubDate>Tue, 03 Apr 2012 11:00:00 GMT</pubDate></item>"
	"<item><title>Story three</title><link>http://wire.example/3</link>"
	"<pubDate>Tue, 03 Apr 2012 12:00:00 GMT</pubDate></item>"
	"</channel></rss>\n";

/* "Новости" in KOI8-R: without the HTTP charset it reads as GBK pairs. */
static const char *koi8r_body =
	"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>K</title>"
	"<item><title>\xEE\xCF\xD7\xCF\xD3\xD4\xC9</title><guid>k1</guid></item>"
	"</channel></rss>";
static const char *broken_body =
	"<rss version=\"2.0\"><channel><title>B</title>"
	"<item><title>Fish & chips</title><guid>b1</guid></item></channel></rss>";

static int port, rss_requests, rss_304s, rotating_etag;
static int broken_fixed;	/* /broken serves a well-formed body */
static struct event_base *base;
static int pending;
static struct poll_outcome last[8];

static void on_request(struct evhttp_request *req, void *arg)
{
	const char *path = evhttp_request_get_uri(req);
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	struct evbuffer *b = evbuffer_new();
	const char *inm = evhttp_find_header(in, "If-None-Match");

	(void)arg;
	if (strcmp(path, "/rss") == 0) {
		rss_requests++;
		evhttp_add_header(out, "ETag", "\"e1\"");
		if (inm && strcmp(inm, "\"e1\"") == 0) {
			rss_304s++;
			evhttp_send_reply(req, 304, "Not Modified", NULL);
		} else {
			evbuffer_add(b, rss_body, strlen(rss_body));
			evhttp_send_reply(req, 200, "OK", b);
		}
	} else if (strcmp(path, "/moved") == 0 || strcmp(path, "/temp") == 0) {
		evhttp_add_header(out, "Location", "/rss");
		evhttp_send_reply(req, path[1] == 'm' ? 301 : 302, "Redirect", NULL);
	} else if (strcmp(path, "/rotating") == 0) {
		char etag[32];
		/* A new ETag on every request, the same bytes. */
		snprintf(etag, sizeof etag, "\"r%d\"", ++rotating_etag);
		evhttp_add_header(out, "ETag", etag);
		evbuffer_add(b, rss_body, strlen(rss_body));
		evhttp_send_reply(req, 200, "OK", b);
	} else if (strcmp(path, "/koi8r") == 0) {
		evhttp_add_header(out, "Content-Type", "text/xml; charset=\"KOI8-R\"");
		evbuffer_add(b, koi8r_body, strlen(koi8r_body));
		evhttp_send_reply(req, 200, "OK", b);
	} else if (strcmp(path, "/broken") == 0) {
		evbuffer_add_printf(b, "%s", broken_fixed ? rss_body : broken_body);
		evhttp_send_reply(req, 200, "OK", b);
	} else if (strcmp(path, "/gone") == 0) {
		evhttp_send_reply(req, 410, "Gone", NULL);
	} else if (strcmp(path, "/busy") == 0) {
		evhttp_add_header(out, "Retry-After", "1200");
		evhttp_send_reply(req, 429, "Too Many Requests", NULL);
	} else if (strcmp(path, "/cached") == 0) {
		evhttp_add_header(out, "Cache-Control", "max-age=7200");
		evbuffer_add(b, rss_body, strlen(rss_body));
		evhttp_send_reply(req, 200, "OK", b);
	} else if (strcmp(path, "/html") == 0) {
		evbuffer_add_printf(b, "<!DOCTYPE html><html><head><title>x</title>"
				    "</head><body>Not a feed</body></html>");
		evhttp_send_reply(req, 200, "OK", b);
	} else {
		evhttp_send_reply(req, 500, "Broken", NULL);
	}
	evbuffer_free(b);
}

static void on_done(void *ctx, const struct poll_outcome *o)
{
	struct poll_outcome *slot = &last[o->feed_id % 8];

	(void)ctx;
	*slot = *o;
	slot->error = NULL;	/* borrowed: not valid after the callback */
	if (--pending == 0)
		event_base_loopbreak(base);
}

static int64_t add_feed(struct store *st, const char *name, const char *path)
{
	char url[128];
	int64_t id = 0;

	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
	store_feed_sync(st, name, url, NULL, NULL, 0, &id);
	return id;
}

/* Polls each of ids once, concurrently; waits at most 10 s. */
static void poll_all(struct poller *p, const int64_t *ids, int n)
{
	struct poll_params params = {"test", 900, 300, 21600, 0, 0};
	struct timeval limit = {10, 0};
	int i;

	memset(last, 0, sizeof last);
	pending = n;
	for (i = 0; i < n; i++)
		if (poll_start(p, ids[i], &params) != 0)
			pending--;
	if (!pending)
		return;
	event_base_loopexit(base, &limit);
	event_base_dispatch(base);
}

static void check_feed(struct store *st, int64_t id, const char *what,
		       const char *want_url_suffix, int want_errors)
{
	struct store_feed f;
	char name[160];

	memset(&f, 0, sizeof f);
	store_feed_get(st, id, &f);
	snprintf(name, sizeof name, "%s: errors counted", what);
	is_int(f.errors, want_errors, name);
	snprintf(name, sizeof name, "%s: stored URL", what);
	ok(f.url && strlen(f.url) >= strlen(want_url_suffix) &&
	   strcmp(f.url + strlen(f.url) - strlen(want_url_suffix), want_url_suffix) == 0,
	   name);
	if (f.url && !strstr(f.url, want_url_suffix))
		diag("url: %s", f.url);
	store_feed_clear(&f);
}

static void run(struct store *st, struct poller *p)
{
	int64_t ids[5];
	struct store_counts c;
	struct store_feed f;
	int64_t now = (int64_t)time(NULL);

	ids[0] = add_feed(st, "wire", "/rss");
	ids[1] = add_feed(st, "broken", "/err");
	ids[2] = add_feed(st, "moved", "/moved");
	ids[3] = add_feed(st, "temp", "/temp");
	ids[4] = add_feed(st, "html", "/html");

	poll_all(p, ids, 5);
	ok(last[ids[0] % 8].ok, "poll: a good feed succeeds");
	is_int(last[ids[0] % 8].new_items, 3, "poll: its three entries are new");
	ok(!last[ids[1] % 8].ok, "poll: a 500 is a failure");
	ok(!last[ids[4] % 8].ok, "poll: an HTML page is a failure, not an empty feed");
	store_count(st, &c);
	is_int(c.items, 9, "poll: three feeds of three items stored (wire, moved, temp)");
	check_feed(st, ids[1], "500", "/err", 1);
	check_feed(st, ids[2], "301", "/rss", 0);
	check_feed(st, ids[3], "302", "/temp", 0);

	memset(&f, 0, sizeof f);
	store_feed_get(st, ids[0], &f);
	is_str(f.etag, "\"e1\"", "poll: the ETag is stored as the server sent it");
	ok(f.next_poll >= now + 700 && f.next_poll <= now + 1100,
	   "poll: next poll is the interval away, with jitter");
	store_feed_clear(&f);
	memset(&f, 0, sizeof f);
	store_feed_get(st, ids[1], &f);
	ok(f.last_error && strstr(f.last_error, "500"), "poll: the error is recorded in words");
	ok(f.next_poll > now && f.next_poll <= now + 300,
	   "poll: a failed feed retries sooner than its interval (backoff)");
	store_feed_clear(&f);

	rss_requests = rss_304s = 0;
	poll_all(p, ids, 2);
	is_int(rss_304s, 1, "poll: the second poll is conditional and gets a 304");
	ok(last[ids[0] % 8].ok && last[ids[0] % 8].not_modified,
	   "poll: a 304 is a success with nothing new");
	store_count(st, &c);
	is_int(c.items, 9, "poll: a 304 stores nothing twice");
	check_feed(st, ids[1], "500 twice", "/err", 2);
}

/* 410, 429 with Retry-After, a rotating ETag over the same bytes, and
 * Cache-Control max-age as a hint. */
static void run_polite(struct store *st, struct poller *p)
{
	int64_t ids[4], now = (int64_t)time(NULL);
	struct store_feed f;
	uint64_t unchanged = metrics_fetches(METRICS_UNCHANGED);

	ids[0] = add_feed(st, "rotating", "/rotating");
	ids[1] = add_feed(st, "gone", "/gone");
	ids[2] = add_feed(st, "busy", "/busy");
	ids[3] = add_feed(st, "cached", "/cached");
	poll_all(p, ids, 4);
	ok(last[ids[0] % 8].ok && !last[ids[0] % 8].unchanged &&
	   last[ids[0] % 8].new_items == 3, "rotating: the first body is stored");
	ok(last[ids[1] % 8].gone && !last[ids[1] % 8].ok, "410: reported gone");
	is_int(last[ids[2] % 8].retry_after_s, 1200, "429: Retry-After passed on");
	ok(last[ids[2] % 8].next_poll_ms >= (now + 1200) * 1000,
	   "429: not polled again before Retry-After");
	is_int(last[ids[3] % 8].interval_s, 7200,
	       "max-age: a 2 h Cache-Control raises the 15 min interval");

	memset(&f, 0, sizeof f);
	store_feed_get(st, ids[1], &f);
	ok(f.gone == 1 && f.last_error && strstr(f.last_error, "410 Gone"),
	   "410: stored as gone, with the reason");
	diag("410 error: %s", f.last_error ? f.last_error : "(none)");
	store_feed_clear(&f);

	poll_all(p, ids, 1);
	ok(last[ids[0] % 8].ok && last[ids[0] % 8].unchanged,
	   "rotating: a new ETag over the same bytes is detected by hash");
	is_int(last[ids[0] % 8].new_items + last[ids[0] % 8].updated_items, 0,
	       "rotating: nothing stored the second time");
	is_int(metrics_fetches(METRICS_UNCHANGED) - unchanged, 1,
	       "rotating: counted as unchanged in the metrics");
	memset(&f, 0, sizeof f);
	store_feed_get(st, ids[0], &f);
	is_str(f.etag, "\"r2\"", "rotating: the newest ETag is kept anyway");
	store_feed_clear(&f);
}

/* feedmux_parse_repairs_total, read from the /metrics text. */
static long repairs_count(void)
{
	struct metrics_feeds mf;
	struct buf out = {0};
	const char *at;
	long n = -1;

	memset(&mf, 0, sizeof mf);
	metrics_render(&out, &mf);
	at = out.data ? strstr(out.data, "\nfeedmux_parse_repairs_total ") : NULL;
	if (at)
		n = strtol(at + 29, NULL, 10);
	buf_free(&out);
	return n;
}

static char *feed_repair(struct store *st, int64_t id)
{
	struct store_feed f;
	char *r;

	memset(&f, 0, sizeof f);
	store_feed_get(st, id, &f);
	r = f.repair;
	f.repair = NULL;
	store_feed_clear(&f);
	return r;
}

/* The HTTP charset reaches the parser; a repaired document is recorded
 * in the feed's row (and counted), kept while the document stays
 * broken, cleared once it is well-formed again. */
static void run_charset_repair(struct store *st, struct poller *p)
{
	int64_t ids[2];
	struct store_item *it = NULL;
	size_t n = 0, i;
	long repairs = repairs_count();
	char *r;

	ids[0] = add_feed(st, "koi8r", "/koi8r");
	ids[1] = add_feed(st, "illformed", "/broken");
	poll_all(p, ids, 2);
	store_list_items(st, NULL, 100, &it, &n);
	for (i = 0; i < n && strcmp(it[i].feed_name, "koi8r"); i++)
		;
	is_str(i < n ? it[i].e.title : NULL, "Новости",
	       "poll: the HTTP charset decides the encoding");
	store_items_free(it, n);
	r = feed_repair(st, ids[0]);
	is_str(r, NULL, "poll: a charset given by HTTP is no repair");
	free(r);
	r = feed_repair(st, ids[1]);
	is_str(r, "stray '&' or '<' escaped",
	       "poll: what was repaired is stored with the feed");
	free(r);
	is_int(repairs_count(), repairs + 1, "poll: the repair is counted");
	poll_all(p, ids + 1, 1);
	r = feed_repair(st, ids[1]);
	is_str(r, "stray '&' or '<' escaped", "poll: still broken, still said");
	free(r);
	broken_fixed = 1;
	poll_all(p, ids + 1, 1);
	r = feed_repair(st, ids[1]);
	is_str(r, NULL, "poll: a well-formed document clears the repair");
	free(r);
}

int main(void)
{
	char dir[] = "/tmp/feedmux-test-poll-XXXXXX";
	char path[256], err[256];
	struct evhttp *http;
	struct evhttp_bound_socket *sock;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	struct fetch_options o = {"feedmux-test/1", 10000, 1 << 20, 8, 2, NULL};
	struct fetch *f;
	struct poller *p;
	struct store *st;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/test.db", dir);
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
	f = fetch_create(base, &o);
	p = poll_create(f, st, on_done, NULL);
	run(st, p);
	run_polite(st, p);
	run_charset_repair(st, p);
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
