/*
 * test_fetch.c — fetch against an evhttp server on 127.0.0.1 in the same
 * event loop: validators, size limit, gzip, redirects, schemes, which
 * transfers can pause.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "buf.h"
#include "fetch.h"
#include "tap.h"
#include "zhelp.h"

static int port;
static char seen_inm[128], seen_ims[128], seen_ua[128];

static void copy_header(struct evhttp_request *req, const char *name,
			char *out, size_t outlen)
{
	const char *v = evhttp_find_header(evhttp_request_get_input_headers(req), name);

	snprintf(out, outlen, "%s", v ? v : "");
}

static void reply_redirect(struct evhttp_request *req, int code,
			   const char *to)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "Location", to);
	evhttp_send_reply(req, code, "Redirect", NULL);
}

static void reply_gzip(struct evhttp_request *req)
{
	static const char text[] = "<rss>gzip body</rss>";
	struct buf gz = {0};
	struct evbuffer *b = evbuffer_new();

	zhelp_gzip(&gz, text, sizeof text - 1);
	evbuffer_add(b, gz.data, gz.len);
	buf_free(&gz);
	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Content-Encoding", "gzip");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

static void on_request(struct evhttp_request *req, void *arg)
{
	const char *path = evhttp_request_get_uri(req);
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	struct evbuffer *b = evbuffer_new();
	char loc[128];

	(void)arg;
	if (strcmp(path, "/feed") == 0) {
		copy_header(req, "If-None-Match", seen_inm, sizeof seen_inm);
		copy_header(req, "If-Modified-Since", seen_ims, sizeof seen_ims);
		copy_header(req, "User-Agent", seen_ua, sizeof seen_ua);
		evhttp_add_header(out, "ETag", "W/\"v1-weird\"");
		evhttp_add_header(out, "Last-Modified", "Tue, 03 Apr 2012 10:00:00 GMT");
		if (strcmp(seen_inm, "W/\"v1-weird\"") == 0) {
			evhttp_send_reply(req, 304, "Not Modified", NULL);
		} else {
			evbuffer_add_printf(b, "hello feed");
			evhttp_send_reply(req, 200, "OK", b);
		}
	} else if (strcmp(path, "/big") == 0) {
		char chunk[1024];
		int i;
		memset(chunk, 'x', sizeof chunk);
		for (i = 0; i < 100; i++)
			evbuffer_add(b, chunk, sizeof chunk);
		/* No Content-Length check can catch what chunking hides. */
		evhttp_send_reply_start(req, 200, "OK");
		evhttp_send_reply_chunk(req, b);
		evhttp_send_reply_end(req);
	} else if (strcmp(path, "/gzip") == 0) {
		reply_gzip(req);
	} else if (strcmp(path, "/loop") == 0) {
		reply_redirect(req, 302, "/loop");
	} else if (strncmp(path, "/perm", 5) == 0 && path[5] >= '1' && path[5] <= '9') {
		snprintf(loc, sizeof loc, "/perm%c", path[5] - 1);
		reply_redirect(req, path[5] == '2' ? 308 : 301,
			       path[5] == '1' ? "/feed" : loc);
	} else if (strcmp(path, "/temp") == 0) {
		reply_redirect(req, 302, "/perm1");
	} else if (strcmp(path, "/tofile") == 0) {
		reply_redirect(req, 301, "file:///etc/hostname");
	} else if (strcmp(path, "/slow-down") == 0) {
		evhttp_add_header(out, "Retry-After", "120");
		evhttp_send_reply(req, 429, "Too Many Requests", NULL);
	} else if (strcmp(path, "/cached") == 0) {
		evhttp_add_header(out, "Cache-Control", "public, max-age=1800");
		evhttp_add_header(out, "Expires", "Thu, 01 Jan 2037 00:00:00 GMT");
		evbuffer_add_printf(b, "hello feed");
		evhttp_send_reply(req, 200, "OK", b);
	} else if (strcmp(path, "/fat-headers") == 0) {
		char v[1001];
		int i;
		memset(v, 'h', sizeof v - 1);
		v[sizeof v - 1] = '\0';
		for (i = 0; i < 80; i++) {	/* 80 x 1 KB: past 64 KiB */
			char name[32];
			snprintf(name, sizeof name, "X-Padding-%d", i);
			evhttp_add_header(out, name, v);
		}
		evhttp_send_reply(req, 200, "OK", NULL);
	} else if (strcmp(path, "/missing") == 0) {
		evbuffer_add_printf(b, "<html>not here</html>");
		evhttp_send_reply(req, 404, "Not Found", b);
	} else {
		evhttp_send_reply(req, 500, "Unexpected", NULL);
	}
	evbuffer_free(b);
}

struct got {
	struct buf body;
	int done;
	int ok, too_big, headers_too_big, cancelled, redirects, permanent;
	int64_t retry_after_s, max_age_s;
	uint64_t body_hash;
	long status;
	char error[256], etag[128], last_modified[128], final_url[256];
};

static struct event_base *base;
static int pending;

static int on_body(void *ctx, const char *data, size_t len)
{
	buf_append(&((struct got *)ctx)->body, data, len);
	return 0;
}

static void on_done(void *ctx, const struct fetch_result *r)
{
	struct got *g = ctx;

	g->done = 1;
	g->ok = r->ok;
	g->too_big = r->too_big;
	g->headers_too_big = r->headers_too_big;
	g->retry_after_s = r->retry_after_s;
	g->max_age_s = r->max_age_s;
	g->body_hash = r->body_hash;
	g->cancelled = r->cancelled;
	g->status = r->status;
	g->redirects = r->redirects;
	g->permanent = r->permanent;
	snprintf(g->error, sizeof g->error, "%s", r->error ? r->error : "");
	snprintf(g->etag, sizeof g->etag, "%s", r->etag ? r->etag : "");
	snprintf(g->last_modified, sizeof g->last_modified, "%s",
		 r->last_modified ? r->last_modified : "");
	snprintf(g->final_url, sizeof g->final_url, "%s",
		 r->final_url ? r->final_url : "");
	if (--pending == 0)
		event_base_loopbreak(base);
}

/* Fetches url (with optional validators) and waits, at most 10 s. */
static void fetch_one(struct fetch *f, const char *path, const char *etag,
		      const char *lm, int allow_file, struct got *g)
{
	struct fetch_request req;
	char url[256];
	struct timeval limit = {10, 0};

	memset(g, 0, sizeof *g);
	if (strstr(path, "://"))
		snprintf(url, sizeof url, "%s", path);
	else
		snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
	memset(&req, 0, sizeof req);
	req.url = url;
	req.etag = etag;
	req.last_modified = lm;
	req.allow_file = allow_file;
	pending = 1;
	if (fetch_start(f, &req, on_body, on_done, g) != 0) {
		snprintf(g->error, sizeof g->error, "fetch_start failed");
		return;
	}
	event_base_loopexit(base, &limit);
	event_base_dispatch(base);
}

static void run_tests(struct fetch *f, const char *tmpfile)
{
	struct got g;
	char url[300];

	fetch_one(f, "/feed", NULL, NULL, 0, &g);
	ok(g.ok && g.status == 200, "fetch: a plain 200");
	is_str(g.body.data, "hello feed", "fetch: the body arrives through on_body");
	is_str(g.etag, "W/\"v1-weird\"", "fetch: the ETag exactly as sent");
	is_str(g.last_modified, "Tue, 03 Apr 2012 10:00:00 GMT", "fetch: Last-Modified exactly as sent");
	is_str(seen_inm, "", "fetch: no If-None-Match without a stored ETag");
	is_str(seen_ua, "feedmux-test/1", "fetch: the configured User-Agent is sent");
	buf_free(&g.body);

	fetch_one(f, "/feed", "W/\"v1-weird\"", "Tue, 03 Apr 2012 10:00:00 GMT", 0, &g);
	is_int(g.status, 304, "fetch: stored validators give a 304");
	is_str(seen_inm, "W/\"v1-weird\"", "fetch: If-None-Match is the stored ETag, byte for byte");
	is_str(seen_ims, "Tue, 03 Apr 2012 10:00:00 GMT", "fetch: If-Modified-Since is the stored Last-Modified");
	ok(g.body.len == 0, "fetch: a 304 delivers no body");
	buf_free(&g.body);

	fetch_one(f, "/big", NULL, NULL, 0, &g);
	ok(!g.ok && g.too_big, "fetch: a chunked body past max_feed_size is aborted");
	ok(g.body.len <= 10 * 1024, "fetch: no more than max_feed_size reaches on_body");
	ok(strncmp(g.error, "body larger than max_feed_size (10240 bytes",
		   43) == 0, "fetch: the size error says so, with the limit");
	diag("size error: %s", g.error);
	buf_free(&g.body);

	fetch_one(f, "/feed", NULL, NULL, 0, &g);
	is_int(g.body_hash, fetch_hash_update(FETCH_HASH_INIT, "hello feed", 10),
	       "fetch: the body hash is FNV-1a of the decoded bytes");
	ok(g.retry_after_s == -1 && g.max_age_s == -1,
	   "fetch: no Retry-After, no caching hints: -1");
	buf_free(&g.body);

	fetch_one(f, "/cached", NULL, NULL, 0, &g);
	is_int(g.max_age_s, 1800, "fetch: Cache-Control max-age wins over Expires");
	buf_free(&g.body);

	fetch_one(f, "/slow-down", NULL, NULL, 0, &g);
	ok(g.ok && g.status == 429, "fetch: a 429 completes with its status");
	is_int(g.retry_after_s, 120, "fetch: its Retry-After seconds are reported");
	buf_free(&g.body);

	fetch_one(f, "/fat-headers", NULL, NULL, 0, &g);
	ok(!g.ok && g.headers_too_big, "fetch: 80 KB of headers abort the transfer");
	is_str(g.error, "response headers larger than 64 KiB",
	       "fetch: the header error says so");
	buf_free(&g.body);

	fetch_one(f, "/gzip", NULL, NULL, 0, &g);
	is_str(g.body.data, "<rss>gzip body</rss>", "fetch: a gzip body arrives decoded");
	buf_free(&g.body);

	fetch_one(f, "/loop", NULL, NULL, 0, &g);
	ok(!g.ok && strstr(g.error, "redirect"), "fetch: a redirect loop stops with an error");
	diag("loop error: %s", g.error);
	buf_free(&g.body);

	fetch_one(f, "/perm3", NULL, NULL, 0, &g);
	ok(g.ok && g.status == 200, "fetch: three redirects are followed");
	is_int(g.redirects, 3, "fetch: the redirect count is reported");
	ok(g.permanent, "fetch: 301/308 only: permanent");
	snprintf(url, sizeof url, "http://127.0.0.1:%d/feed", port);
	is_str(g.final_url, url, "fetch: the final URL is reported");
	buf_free(&g.body);

	fetch_one(f, "/temp", NULL, NULL, 0, &g);
	ok(g.ok && !g.permanent, "fetch: a 302 anywhere in the chain is not permanent");
	buf_free(&g.body);

	fetch_one(f, "/perm7", NULL, NULL, 0, &g);
	ok(!g.ok, "fetch: more than 5 redirects fail");
	buf_free(&g.body);

	fetch_one(f, "/tofile", NULL, NULL, 1, &g);
	ok(!g.ok && g.body.len == 0, "fetch: a redirect to file:// is refused, even for a file-allowed feed");
	buf_free(&g.body);

	fetch_one(f, "/missing", NULL, NULL, 0, &g);
	ok(g.ok && g.status == 404, "fetch: a 404 completes with its status");
	is_int(g.body.len, 0, "fetch: an error page's body is not delivered");
	buf_free(&g.body);

	snprintf(url, sizeof url, "file://%s", tmpfile);
	fetch_one(f, url, NULL, NULL, 1, &g);
	ok(g.ok && g.status == 200, "fetch: a file URL from the configuration is read");
	is_str(g.body.data, "<rss>from a file</rss>", "fetch: the file's bytes arrive");
	buf_free(&g.body);

	fetch_one(f, url, NULL, NULL, 0, &g);
	ok(!g.ok, "fetch: file URLs are refused unless allowed");
	buf_free(&g.body);

	fetch_one(f, "ftp://127.0.0.1/x", NULL, NULL, 1, &g);
	ok(!g.ok, "fetch: other schemes are refused");
	buf_free(&g.body);
}

/* A consumer that refuses its first chunk (FETCH_BODY_PAUSE) and has
 * the transfer resumed from the loop right after. */
static struct fetch *refusing_fetch;
static int refusals;

static void on_resume_due(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	fetch_resume(refusing_fetch, arg);
}

static int refuse_first(void *ctx, const char *data, size_t len)
{
	if (refusals++ == 0) {
		event_base_once(base, -1, EV_TIMEOUT, on_resume_due, ctx, NULL);
		return FETCH_BODY_PAUSE;
	}
	return on_body(ctx, data, len);
}

/* Starts url with the refusing consumer and waits, at most 10 s. */
static void fetch_refused(struct fetch *f, const char *url, struct got *g)
{
	struct fetch_request req;
	struct timeval limit = {10, 0};

	memset(g, 0, sizeof *g);
	memset(&req, 0, sizeof req);
	req.url = url;
	req.allow_file = 1;
	refusing_fetch = f;
	refusals = 0;
	pending = 1;
	if (fetch_start(f, &req, refuse_first, on_done, g) != 0)
		return;
	event_base_loopexit(base, &limit);
	event_base_dispatch(base);
}

/* fetch_can_pause: said by the scheme libcurl reads in the URL, and true:
 * an http transfer refused a chunk resumes and completes, a file:// read
 * refused one fails. */
static void can_pause(struct fetch *f, const char *tmpfile)
{
	static const char *const what[] = {
		"fetch_can_pause: an http transfer can pause",
		"fetch_can_pause: a file:// read cannot",
		"fetch_can_pause: FILE:// is file:// (RFC 3986 §3.1: any case)",
		"fetch_can_pause: a URL without a scheme is http to libcurl",
	};
	struct fetch_request req;
	struct got g[4], other;
	char url[4][320];
	int want[4] = {1, 0, 0, 1}, i;

	snprintf(url[0], sizeof url[0], "http://127.0.0.1:%d/feed", port);
	snprintf(url[1], sizeof url[1], "file://%s", tmpfile);
	snprintf(url[2], sizeof url[2], "FILE://%s", tmpfile);
	snprintf(url[3], sizeof url[3], "127.0.0.1:%d/feed", port);
	memset(&req, 0, sizeof req);
	req.allow_file = 1;
	for (i = 0; i < 4; i++) {
		memset(&g[i], 0, sizeof g[i]);
		req.url = url[i];
		pending = 1;
		if (fetch_start(f, &req, on_body, on_done, &g[i]) != 0) {
			diag("fetch_start failed for %s", url[i]);
			ok(0, what[i]);
			continue;
		}
		is_int(fetch_can_pause(f, &g[i]), want[i], what[i]);
		fetch_stop(f, &g[i], 1);
		buf_free(&g[i].body);
	}
	is_int(fetch_can_pause(f, &other), 0,
	       "fetch_can_pause: 0 when no transfer was started with ctx");

	fetch_refused(f, url[0], &g[0]);
	ok(g[0].ok && refusals >= 2, "fetch_can_pause: an http transfer refused a chunk resumes");
	is_str(g[0].body.data, "hello feed", "fetch_can_pause: and its body arrives whole");
	buf_free(&g[0].body);
	fetch_refused(f, url[1], &g[1]);
	ok(g[1].done && !g[1].ok, "fetch_can_pause: a file:// read refused a chunk fails (why it says 0)");
	diag("refused file:// read: %s", g[1].error);
	buf_free(&g[1].body);
}

static void header_values(void)
{
	int64_t now = 1712145600;	/* Wed, 03 Apr 2024 12:00:00 GMT */

	is_int(fetch_retry_after_s("120", now), 120, "retry-after: delta-seconds");
	is_int(fetch_retry_after_s(" 7 ", now), 7, "retry-after: blanks around");
	is_int(fetch_retry_after_s("Wed, 03 Apr 2024 12:05:00 GMT", now), 300,
	       "retry-after: an HTTP-date 5 minutes ahead");
	is_int(fetch_retry_after_s("Wed, 03 Apr 2024 11:00:00 GMT", now), 0,
	       "retry-after: a past date means now");
	is_int(fetch_retry_after_s("-5", now), -1, "retry-after: a sign is invalid");
	is_int(fetch_retry_after_s("12abc", now), -1, "retry-after: trailing junk is invalid");
	is_int(fetch_retry_after_s("soon", now), -1, "retry-after: words are invalid");
	is_int(fetch_retry_after_s(NULL, now), -1, "retry-after: absent");
	is_int(fetch_retry_after_s("99999999999999999999999", now) > 0, 1,
	       "retry-after: a huge number saturates, no overflow");

	is_int(fetch_max_age_s("max-age=600"), 600, "max-age: alone");
	is_int(fetch_max_age_s("public, MAX-AGE=60, must-revalidate"), 60,
	       "max-age: among others, any case");
	is_int(fetch_max_age_s("s-maxage=900"), -1, "max-age: s-maxage is for shared caches");
	is_int(fetch_max_age_s("no-cache"), 0, "max-age: no-cache means 0");
	is_int(fetch_max_age_s("private"), -1, "max-age: none");
	is_int(fetch_max_age_s(NULL), -1, "max-age: no header");

	is_int(fetch_expires_s("Wed, 03 Apr 2024 13:00:00 GMT",
			       "Wed, 03 Apr 2024 12:00:00 GMT", 0), 3600,
	       "expires: minus the server's Date");
	is_int(fetch_expires_s("Wed, 03 Apr 2024 12:30:00 GMT", NULL, now), 1800,
	       "expires: minus now without a Date");
	is_int(fetch_expires_s("0", NULL, now), 0, "expires: invalid means expired");
	is_int(fetch_expires_s(NULL, NULL, now), -1, "expires: absent");

	is_int(fetch_hash_update(FETCH_HASH_INIT, "", 0), (int64_t)FETCH_HASH_INIT,
	       "hash: empty input is the offset basis");
	is_int(fetch_hash_update(FETCH_HASH_INIT, "a", 1),
	       (int64_t)0xaf63dc4c8601ec8cULL, "hash: FNV-1a 64 of \"a\" (published vector)");
	is_int(fetch_hash_update(fetch_hash_update(FETCH_HASH_INIT, "hel", 3), "lo", 2),
	       fetch_hash_update(FETCH_HASH_INIT, "hello", 5),
	       "hash: chunked the same as whole");
}

static void cancel_on_free(void)
{
	struct fetch_options o = {"feedmux-test/1", 10000, 10240, 4, 2, NULL};
	struct fetch *f = fetch_create(base, &o);
	struct fetch_request req;
	struct got g;
	char url[128];

	memset(&g, 0, sizeof g);
	memset(&req, 0, sizeof req);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/feed", port);
	req.url = url;
	pending = 1;
	fetch_start(f, &req, on_body, on_done, &g);
	is_int(fetch_active(f), 1, "fetch_active counts a started transfer");
	fetch_free(f);
	ok(g.done && g.cancelled, "fetch_free reports unfinished transfers as cancelled");
	buf_free(&g.body);
}

int main(void)
{
	struct fetch_options o = {"feedmux-test/1", 10000, 10240, 4, 2, NULL};
	struct evhttp *http;
	struct evhttp_bound_socket *sock;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char tmpfile[] = "/tmp/feedmux-test-fetch-XXXXXX";
	int fd = mkstemp(tmpfile);
	struct fetch *f;

	if (fd < 0 || write(fd, "<rss>from a file</rss>", 22) != 22)
		return 1;
	close(fd);
	base = event_base_new();
	http = evhttp_new(base);
	sock = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	getsockname(evhttp_bound_socket_get_fd(sock), (struct sockaddr *)&ss, &sl);
	port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	evhttp_set_gencb(http, on_request, NULL);
	f = fetch_create(base, &o);
	run_tests(f, tmpfile);
	can_pause(f, tmpfile);
	fetch_free(f);
	cancel_on_free();
	header_values();
	evhttp_free(http);
	event_base_free(base);
	unlink(tmpfile);
	return done_testing();
}
