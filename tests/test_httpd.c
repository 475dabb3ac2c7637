/*
 * test_httpd.c — the HTTP endpoint, over real sockets on 127.0.0.1/::1.
 *
 * One event_base runs both the httpd and a tiny raw HTTP/1.1 client
 * (a bufferevent that sends a request with "Connection: close" and reads
 * to EOF), so every byte the server writes is seen, HEAD bodies included.
 * Each request is bounded by a timer.
 */
#include <arpa/inet.h>
#include <ftw.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "buf.h"
#include "config.h"
#include "date.h"
#include "entry.h"
#include "httpd.h"
#include "log.h"
#include "store.h"
#include "tap.h"

#define REQUEST_TIMEOUT_S 5
#define T0 1700000000	/* 2023-11-14T22:13:20Z */

static struct event_base *base;
static char tmpdir[] = "/tmp/test_httpd.XXXXXX";

/* ---- a raw client ---- */

struct response {
	int status;		/* 0: no status line (connection closed) */
	struct buf raw;
	char *body;		/* into raw */
	size_t body_len;
	int done;
};

static void on_client_read(struct bufferevent *bev, void *arg)
{
	struct response *r = arg;
	char chunk[4096];
	size_t n;

	while ((n = bufferevent_read(bev, chunk, sizeof chunk)) > 0)
		buf_append(&r->raw, chunk, n);
}

static void on_client_event(struct bufferevent *bev, short what, void *arg)
{
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		on_client_read(bev, arg);
		((struct response *)arg)->done = 1;
	}
}

static void on_client_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	((struct response *)arg)->done = 1;
}

static void response_parse(struct response *r)
{
	char *end;

	if (r->raw.len > 12 && !strncmp(r->raw.data, "HTTP/1.", 7))
		r->status = atoi(r->raw.data + 9);
	end = r->raw.data ? strstr(r->raw.data, "\r\n\r\n") : NULL;
	if (end) {
		r->body = end + 4;
		r->body_len = r->raw.len - (size_t)(r->body - r->raw.data);
	}
}

/* Sends req (complete bytes) to family's loopback at port; fills r. */
static void http_raw(int family, int port, const char *req, size_t len,
		     struct response *r)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	struct timeval tv = { REQUEST_TIMEOUT_S, 0 };
	struct bufferevent *bev;
	struct event *timer;
	int i;

	memset(r, 0, sizeof *r);
	if (family == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		sin6->sin6_addr = in6addr_loopback;
	} else {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	}
	bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	timer = evtimer_new(base, on_client_timeout, r);
	bufferevent_setcb(bev, on_client_read, NULL, on_client_event, r);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	evtimer_add(timer, &tv);
	if (bufferevent_socket_connect(bev, (struct sockaddr *)&ss,
				       family == AF_INET6 ? sizeof *sin6 :
				       sizeof *sin) == 0)
		bufferevent_write(bev, req, len);
	else
		r->done = 1;
	/* Bounded by the timer; the count only guards against a stuck base. */
	for (i = 0; !r->done && i < 100000; i++)
		event_base_loop(base, EVLOOP_ONCE);
	event_free(timer);
	bufferevent_free(bev);
	response_parse(r);
}

static void response_free(struct response *r)
{
	buf_free(&r->raw);
}

/* method path with extra header lines ("Name: v\r\n"...), over IPv4. */
static void request(int port, const char *method, const char *path,
		    const char *headers, struct response *r)
{
	struct buf req = { 0 };

	buf_printf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		   "Connection: close\r\n%s\r\n", method, path,
		   headers ? headers : "");
	http_raw(AF_INET, port, req.data, req.len, r);
	buf_free(&req);
}

/* The value of header name (caller frees), or NULL. */
static char *header(const struct response *r, const char *name)
{
	const char *p = r->raw.data, *end = r->body;
	size_t n = strlen(name), vlen;

	if (!p || !end)
		return NULL;
	while ((p = strstr(p, "\r\n")) && p < end) {
		p += 2;
		if (!strncasecmp(p, name, n) && p[n] == ':') {
			p += n + 1;
			p += strspn(p, " \t");
			vlen = strcspn(p, "\r\n");
			return xstrndup(p, vlen);
		}
	}
	return NULL;
}

static int header_is(const struct response *r, const char *name,
		     const char *want, const char *test)
{
	char *got = header(r, name);
	int rc = is_str(got, want, test);

	free(got);
	return rc;
}

static int count(const char *hay, size_t len, const char *needle)
{
	struct buf b = { 0 };
	const char *p;
	int n = 0;

	buf_append(&b, hay, len);
	for (p = b.data; p && (p = strstr(p, needle)); p++)
		n++;
	buf_free(&b);
	return n;
}

static int body_has(const struct response *r, const char *needle)
{
	return r->body && count(r->body, r->body_len, needle) > 0;
}

/* gunzips in into out; 0 or -1. */
static int gunzip(const char *in, size_t len, struct buf *out)
{
	z_stream zs = { 0 };
	char chunk[4096];
	int rc, i;

	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return -1;
	zs.next_in = (unsigned char *)in;
	zs.avail_in = (unsigned)len;
	for (i = 0, rc = Z_OK; rc == Z_OK && i < 10000; i++) {
		zs.next_out = (unsigned char *)chunk;
		zs.avail_out = sizeof chunk;
		rc = inflate(&zs, Z_NO_FLUSH);
		buf_append(out, chunk, sizeof chunk - zs.avail_out);
	}
	inflateEnd(&zs);
	return rc == Z_STREAM_END ? 0 : -1;
}

/* ---- fixtures ---- */

static struct httpd_status health;

static void on_status(void *ctx, struct httpd_status *out)
{
	*out = *(struct httpd_status *)ctx;
}

static struct config *load_config(const char *title)
{
	char path[512];
	struct config *cfg;
	FILE *f;

	snprintf(path, sizeof path, "%s/feedmux.conf", tmpdir);
	f = fopen(path, "w");
	if (!f)
		return NULL;
	fprintf(f, "listen = 127.0.0.1:8080\n"
		"database = %s/feedmux.db\n"
		"title = %s\n"
		"base_url = http://127.0.0.1:8080/\n"
		"limit = 50\n"
		"icon = http://127.0.0.1:8080/icon.png\n\n"
		"[section world]\ntitle = World News\n"
		"description = Wire stories\n\n"
		"[section tech]\ntitle = Tech\n\n"
		"[feed alpha]\nurl = http://127.0.0.1:9/alpha.xml\n"
		"section = world\n\n"
		"[feed beta]\nurl = http://127.0.0.1:9/beta.xml\n"
		"section = tech\n", tmpdir, title);
	fclose(f);
	cfg = config_load(path, stderr);
	if (!cfg)
		diag("config_load(%s) failed", path);
	return cfg;
}

static int put_item(struct store *st, int64_t feed, const char *name,
		    int64_t published)
{
	struct entry e = { 0 };
	enum store_put_result res;
	char text[128];
	int rc;

	snprintf(text, sizeof text, "urn:test:%s", name);
	e.guid = xstrdup(text);
	snprintf(text, sizeof text, "http://example.org/%s", name);
	e.link = xstrdup(text);
	e.title = xstrdup(name);
	snprintf(text, sizeof text, "<p>Body of %s, unlike any other.</p>",
		 name);
	e.content = xstrdup(text);
	e.published = published;
	e.updated = ENTRY_NO_DATE;
	rc = store_put_entry(st, feed, &e, published, &res);
	entry_clear(&e);
	return rc;
}

static int64_t feed_alpha, feed_beta;

static int fill_store(struct store *st)
{
	char *world[] = { "world" }, *tech[] = { "tech" };

	return (store_feed_sync(st, "alpha", "http://127.0.0.1:9/alpha.xml",
				NULL, world, 1, &feed_alpha) ||
		store_feed_sync(st, "beta", "http://127.0.0.1:9/beta.xml",
				NULL, tech, 1, &feed_beta) ||
		store_begin(st) ||
		put_item(st, feed_alpha, "alpha-1", T0 + 100) ||
		put_item(st, feed_alpha, "alpha-2", T0 + 200) ||
		put_item(st, feed_alpha, "alpha-3", T0 + 300) ||
		put_item(st, feed_beta, "beta-1", T0 + 150) ||
		put_item(st, feed_beta, "beta-2", T0 + 250) ||
		store_commit(st)) ? -1 : 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
		    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}


static void skip(const char *why)
{
	printf("ok %d # SKIP %s\n", ++tap_count, why);
}

/* ---- cases ---- */

static struct store *st;
static int port;

/* Positions of the entry titles in the body must increase. */
static int in_order(const struct response *r, const char *const *titles,
		    size_t n)
{
	const char *prev = r->body, *p;
	char needle[64];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(needle, sizeof needle, ">%s</title>", titles[i]);
		p = strstr(prev, needle);
		if (!p)
			return 0;
		prev = p;
	}
	return 1;
}

static void test_merged_feed(void)
{
	static const char *const order[] = {
		"alpha-3", "beta-2", "alpha-2", "beta-1", "alpha-1",
	};
	struct response r;
	char lm[40], len[32];
	char *etag;

	request(port, "GET", "/feed.atom", NULL, &r);
	is_int(r.status, 200, "merged_feed_status_200");
	header_is(&r, "Content-Type", "application/atom+xml; charset=utf-8",
		  "merged_feed_content_type_atom");
	is_int(count(r.body, r.body_len, "<entry>"), 5,
	       "merged_feed_has_every_story");
	ok(in_order(&r, order, 5), "merged_feed_newest_first");
	ok(body_has(&r, ">Merged Test</title>"), "merged_feed_title_from_config");
	ok(body_has(&r, "href=\"http://127.0.0.1:8080/feed.atom\""),
	   "merged_feed_self_link_from_base_url");
	etag = header(&r, "ETag");
	ok(etag && etag[0] == '"' && etag[strlen(etag) - 1] == '"',
	   "merged_feed_has_strong_etag");
	free(etag);
	date_format_http(store_changed_at(st), lm, sizeof lm);
	header_is(&r, "Last-Modified", lm, "merged_feed_last_modified_is_store_change");
	header_is(&r, "Cache-Control", "public, max-age=60",
		  "merged_feed_cache_control");
	header_is(&r, "Vary", "Accept-Encoding", "merged_feed_vary");
	snprintf(len, sizeof len, "%zu", r.body_len);
	header_is(&r, "Content-Length", len, "merged_feed_content_length");
	response_free(&r);
}

/* GETs /feed.atom with one header line, returns the status. */
static int status_with(const char *hdr, struct response *r)
{
	request(port, "GET", "/feed.atom", hdr, r);
	return r->status;
}

static void test_conditional(void)
{
	struct response r, c;
	struct buf h = { 0 };
	char *etag, *lm;

	request(port, "GET", "/feed.atom", NULL, &r);
	etag = header(&r, "ETag");
	lm = header(&r, "Last-Modified");
	if (!etag || !lm) {
		ok(0, "conditional_needs_validators");
		goto out;
	}
	buf_printf(&h, "If-None-Match: %s\r\n", etag);
	is_int(status_with(h.data, &c), 304, "if_none_match_same_etag_304");
	is_int(c.body_len, 0, "not_modified_has_no_body");
	header_is(&c, "ETag", etag, "not_modified_keeps_etag");
	header_is(&c, "Last-Modified", lm, "not_modified_keeps_last_modified");
	header_is(&c, "Cache-Control", "public, max-age=60",
		  "not_modified_keeps_cache_control");
	header_is(&c, "Vary", "Accept-Encoding", "not_modified_keeps_vary");
	response_free(&c);

	buf_reset(&h);
	buf_printf(&h, "If-None-Match: \"other\", W/%s\r\n", etag);
	is_int(status_with(h.data, &c), 304, "if_none_match_weak_in_list_304");
	response_free(&c);
	is_int(status_with("If-None-Match: *\r\n", &c), 304,
	       "if_none_match_star_304");
	response_free(&c);
	is_int(status_with("If-None-Match: \"0000000000000000\"\r\n", &c), 200,
	       "if_none_match_stale_etag_200");
	ok(c.body_len > 0, "stale_etag_gets_body");
	response_free(&c);

	buf_reset(&h);
	buf_printf(&h, "If-Modified-Since: %s\r\n", lm);
	is_int(status_with(h.data, &c), 304, "if_modified_since_same_304");
	response_free(&c);
	is_int(status_with("If-Modified-Since: Thu, 01 Jan 2015 00:00:00 GMT\r\n",
			   &c), 200, "if_modified_since_older_200");
	response_free(&c);
	is_int(status_with("If-Modified-Since: yesterday\r\n", &c), 200,
	       "if_modified_since_garbage_ignored");
	response_free(&c);
	buf_reset(&h);
	buf_printf(&h, "If-None-Match: \"stale\"\r\nIf-Modified-Since: %s\r\n",
		   lm);
	is_int(status_with(h.data, &c), 200,
	       "if_none_match_overrides_if_modified_since");
	response_free(&c);
out:
	free(etag);
	free(lm);
	buf_free(&h);
	response_free(&r);
}

static void test_gzip(void)
{
	struct response plain, gz, c;
	struct buf inflated = { 0 }, h = { 0 };
	char *etag_plain, *etag_gz;

	request(port, "GET", "/feed.atom", NULL, &plain);
	request(port, "GET", "/feed.atom", "Accept-Encoding: gzip, deflate\r\n",
		&gz);
	is_int(gz.status, 200, "gzip_status_200");
	header_is(&gz, "Content-Encoding", "gzip", "gzip_content_encoding");
	ok(gz.body && gunzip(gz.body, gz.body_len, &inflated) == 0,
	   "gzip_body_inflates");
	ok(inflated.len == plain.body_len && plain.body &&
	   !memcmp(inflated.data, plain.body, plain.body_len),
	   "gzip_body_inflates_to_identity_body");
	etag_plain = header(&plain, "ETag");
	etag_gz = header(&gz, "ETag");
	ok(etag_plain && etag_gz && strcmp(etag_plain, etag_gz),
	   "gzip_representation_has_own_etag");
	buf_printf(&h, "Accept-Encoding: gzip\r\nIf-None-Match: %s\r\n",
		   etag_gz ? etag_gz : "\"none\"");
	is_int(status_with(h.data, &c), 304, "gzip_etag_revalidates_304");
	response_free(&c);

	is_int(status_with("Accept-Encoding: gzip;q=0, identity\r\n", &c), 200,
	       "gzip_q0_status_200");
	header_is(&c, "Content-Encoding", NULL, "gzip_q0_gets_identity");
	response_free(&c);
	status_with("Accept-Encoding: br, *;q=0.5\r\n", &c);
	header_is(&c, "Content-Encoding", "gzip", "accept_star_gets_gzip");
	response_free(&c);
	status_with("Accept-Encoding: br, *;q=0\r\n", &c);
	header_is(&c, "Content-Encoding", NULL, "accept_star_q0_gets_identity");
	response_free(&c);
	status_with("Accept-Encoding: deflate\r\n", &c);
	header_is(&c, "Content-Encoding", NULL, "no_gzip_asked_gets_identity");
	response_free(&c);

	free(etag_plain);
	free(etag_gz);
	buf_free(&inflated);
	buf_free(&h);
	response_free(&plain);
	response_free(&gz);
}

static void test_head(void)
{
	struct response get, head, gzget, gzhead;
	char len[32];
	char *etag;

	request(port, "GET", "/feed.atom", NULL, &get);
	request(port, "HEAD", "/feed.atom", NULL, &head);
	is_int(head.status, 200, "head_status_200");
	is_int(head.body_len, 0, "head_sends_no_body");
	snprintf(len, sizeof len, "%zu", get.body_len);
	header_is(&head, "Content-Length", len,
		  "head_content_length_is_get_body_length");
	etag = header(&get, "ETag");
	header_is(&head, "ETag", etag, "head_same_etag_as_get");
	header_is(&head, "Content-Type", "application/atom+xml; charset=utf-8",
		  "head_content_type");
	free(etag);

	request(port, "GET", "/feed.atom", "Accept-Encoding: gzip\r\n", &gzget);
	request(port, "HEAD", "/feed.atom", "Accept-Encoding: gzip\r\n",
		&gzhead);
	snprintf(len, sizeof len, "%zu", gzget.body_len);
	header_is(&gzhead, "Content-Length", len,
		  "head_gzip_content_length_is_gzip_length");
	is_int(gzhead.body_len, 0, "head_gzip_sends_no_body");
	response_free(&get);
	response_free(&head);
	response_free(&gzget);
	response_free(&gzhead);
}

static void test_errors(void)
{
	struct response r;
	struct buf big = { 0 };
	int i;

	request(port, "POST", "/feed.atom", "Content-Length: 0\r\n", &r);
	is_int(r.status, 405, "post_is_405");
	header_is(&r, "Allow", "GET, HEAD", "405_has_allow_get_head");
	response_free(&r);
	request(port, "DELETE", "/healthz", NULL, &r);
	is_int(r.status, 405, "delete_is_405");
	response_free(&r);

	request(port, "GET", "/nope", NULL, &r);
	is_int(r.status, 404, "unknown_path_404");
	header_is(&r, "Content-Type", "text/plain; charset=utf-8",
		  "404_is_text_plain");
	ok(r.body_len > 0, "404_has_a_body");
	response_free(&r);
	request(port, "GET", "/sections/unknown.atom", NULL, &r);
	is_int(r.status, 404, "unknown_section_404");
	response_free(&r);
	request(port, "GET", "/sections/.atom", NULL, &r);
	is_int(r.status, 404, "empty_section_name_404");
	response_free(&r);
	request(port, "GET", "/feed.atom/", NULL, &r);
	is_int(r.status, 404, "trailing_slash_404");
	response_free(&r);

	buf_puts(&big, "X-Big: ");
	for (i = 0; i < 9000; i++)
		buf_puts(&big, "a");
	buf_puts(&big, "\r\n");
	request(port, "GET", "/feed.atom", big.data, &r);
	ok(r.status != 200, "oversized_header_rejected");
	ok(r.status == 0 || (r.status >= 400 && r.status < 500),
	   "oversized_header_4xx_or_closed");
	if (r.status)
		diag("oversized header answered %d", r.status);
	response_free(&r);
	buf_free(&big);
}

static void test_sections(void)
{
	struct response r;

	request(port, "GET", "/sections/world.atom", NULL, &r);
	is_int(r.status, 200, "section_feed_200");
	is_int(count(r.body, r.body_len, "<entry>"), 3,
	       "section_feed_has_its_three_items");
	ok(!body_has(&r, ">beta-"), "section_feed_excludes_other_sections");
	ok(body_has(&r, ">World News</title>"), "section_feed_title");
	ok(body_has(&r, "Wire stories</subtitle>"),
	   "section_feed_subtitle_is_description");
	ok(body_has(&r, "href=\"http://127.0.0.1:8080/sections/world.atom\""),
	   "section_feed_self_link");
	response_free(&r);

	request(port, "GET", "/sections/tech.atom?limit=1", NULL, &r);
	is_int(count(r.body, r.body_len, "<entry>"), 1,
	       "section_feed_limit_1");
	ok(body_has(&r, ">beta-2</title>"), "section_feed_limit_keeps_newest");
	response_free(&r);
}

static void test_limit(void)
{
	static const char *const bad[] = {
		"limit=0", "limit=1001", "limit=abc", "limit=-1", "limit=",
		"limit", "limit=2x", "limit=+2", "limit=99999999999999999999",
		"limit=2&limit=0",
	};
	struct response r;
	char path[128], name[128];
	size_t i;

	request(port, "GET", "/feed.atom?limit=2", NULL, &r);
	is_int(count(r.body, r.body_len, "<entry>"), 2, "limit_2_gives_2_entries");
	ok(body_has(&r, ">alpha-3</title>") && body_has(&r, ">beta-2</title>"),
	   "limit_2_gives_the_2_newest");
	response_free(&r);
	request(port, "GET", "/feed.atom?foo=bar&limit=2&x", NULL, &r);
	is_int(count(r.body, r.body_len, "<entry>"), 2,
	       "limit_with_unknown_params_ignored");
	response_free(&r);
	request(port, "GET", "/feed.atom?limit=1000", NULL, &r);
	is_int(r.status, 200, "limit_1000_allowed");
	response_free(&r);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(path, sizeof path, "/feed.atom?%s", bad[i]);
		snprintf(name, sizeof name, "bad_query_%s_is_400", bad[i]);
		request(port, "GET", path, NULL, &r);
		is_int(r.status, 400, name);
		response_free(&r);
	}
	request(port, "GET", "/feed.atom?limit=0", NULL, &r);
	header_is(&r, "Content-Type", "text/plain; charset=utf-8",
		  "400_is_text_plain");
	response_free(&r);
}

static void test_new_item(void)
{
	static const char *const newest[] = { "alpha-4", "alpha-3" };
	struct response before, after, c;
	struct buf h = { 0 };
	char *e1, *e2;

	request(port, "GET", "/feed.atom", NULL, &before);
	ok(store_begin(st) == 0 &&
	   put_item(st, feed_alpha, "alpha-4", T0 + 400) == 0 &&
	   store_commit(st) == 0, "new_item_committed");
	request(port, "GET", "/feed.atom", NULL, &after);
	e1 = header(&before, "ETag");
	e2 = header(&after, "ETag");
	ok(e1 && e2 && strcmp(e1, e2), "new_item_changes_etag");
	ok(after.body && in_order(&after, newest, 2),
	   "new_item_appears_first");
	is_int(count(after.body, after.body_len, "<entry>"), 6,
	       "new_item_feed_has_6_entries");
	buf_printf(&h, "If-None-Match: %s\r\n", e1 ? e1 : "\"x\"");
	is_int(status_with(h.data, &c), 200, "old_etag_after_change_is_200");
	response_free(&c);
	free(e1);
	free(e2);
	buf_free(&h);
	response_free(&before);
	response_free(&after);
}

static void test_healthz(void)
{
	struct response r;
	struct store_counts counts = { 0 };
	struct buf want = { 0 };

	store_count(st, &counts);
	health = (struct httpd_status){ 2, 2, 1, T0 + 500 };
	request(port, "GET", "/healthz", NULL, &r);
	is_int(r.status, 200, "healthz_200");
	buf_printf(&want, "{\"status\":\"degraded\",\"feeds_total\":2,"
		   "\"feeds_polled\":2,\"feeds_failing\":1,\"items\":%lld,"
		   "\"stories\":%lld,\"last_poll\":\"2023-11-14T22:21:40Z\"}\n",
		   (long long)counts.items, (long long)counts.stories);
	is_str(r.body, want.data, "healthz_degraded_when_a_feed_fails");
	is_int(counts.items, 6, "healthz_store_counts_items");
	header_is(&r, "Content-Type", "application/json; charset=utf-8",
		  "healthz_content_type_json");
	header_is(&r, "Cache-Control", "no-store", "healthz_no_store");
	response_free(&r);

	health = (struct httpd_status){ 2, 0, 0, 0 };
	request(port, "GET", "/healthz", NULL, &r);
	ok(body_has(&r, "{\"status\":\"ok\",\"feeds_total\":2,"
		    "\"feeds_polled\":0,\"feeds_failing\":0,"),
	   "healthz_ok_when_nothing_fails");
	ok(body_has(&r, "\"last_poll\":null}"), "healthz_last_poll_null");
	response_free(&r);
	buf_free(&want);
}

/* ---- other formats, OPML, the status page ---- */

static void test_formats(void)
{
	static const struct {
		const char *path, *type, *marker, *name;
		int entries;
	} cases[] = {
		{ "/feed.rss", "application/rss+xml; charset=utf-8", "<item>",
		  "rss_merged", 6 },
		{ "/feed.json", "application/feed+json; charset=utf-8",
		  "\"_feedmux\":", "json_merged", 6 },
		{ "/sections/world.rss", "application/rss+xml; charset=utf-8",
		  "<item>", "rss_section", 4 },
		{ "/sections/tech.json", "application/feed+json; charset=utf-8",
		  "\"_feedmux\":", "json_section", 2 },
		{ "/sections/world.atom", "application/atom+xml; charset=utf-8",
		  "<entry>", "atom_section", 4 },
	};
	struct response r;
	char name[128], *etag;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		request(port, "GET", cases[i].path, NULL, &r);
		snprintf(name, sizeof name, "%s_status_200", cases[i].name);
		is_int(r.status, 200, name);
		snprintf(name, sizeof name, "%s_content_type", cases[i].name);
		header_is(&r, "Content-Type", cases[i].type, name);
		snprintf(name, sizeof name, "%s_has_%d_entries", cases[i].name,
			 cases[i].entries);
		is_int(count(r.body, r.body_len, cases[i].marker),
		       cases[i].entries, name);
		snprintf(name, sizeof name, "%s_has_validators", cases[i].name);
		etag = header(&r, "ETag");
		ok(etag != NULL, name);
		free(etag);
		response_free(&r);
	}
	request(port, "GET", "/feed.rss", NULL, &r);
	ok(body_has(&r, "<atom:link href=\"http://127.0.0.1:8080/feed.rss\" "
		    "rel=\"self\" type=\"application/rss+xml\"/>"),
	   "rss_self_link_from_base_url");
	ok(body_has(&r, "<url>http://127.0.0.1:8080/icon.png</url>"),
	   "rss_image_from_icon_key");
	response_free(&r);
	request(port, "GET", "/feed.atom", NULL, &r);
	ok(body_has(&r, "<icon>http://127.0.0.1:8080/icon.png</icon>"),
	   "atom_icon_from_icon_key");
	response_free(&r);
	request(port, "GET", "/feed.json", NULL, &r);
	ok(body_has(&r, "\"icon\":\"http://127.0.0.1:8080/icon.png\""),
	   "json_icon_from_icon_key");
	response_free(&r);
	request(port, "GET", "/sections/nope.json", NULL, &r);
	is_int(r.status, 404, "json_unknown_section_404");
	response_free(&r);
	request(port, "GET", "/sections/world.xml", NULL, &r);
	is_int(r.status, 404, "section_unknown_format_404");
	response_free(&r);
	request(port, "GET", "/feed.rss", "Accept-Encoding: gzip\r\n", &r);
	header_is(&r, "Content-Encoding", "gzip", "rss_gzip_when_asked");
	response_free(&r);
}

static void test_opml(void)
{
	struct response r, c;
	struct buf h = { 0 };
	char *etag;

	request(port, "GET", "/feeds.opml", NULL, &r);
	is_int(r.status, 200, "opml_status_200");
	header_is(&r, "Content-Type", "text/x-opml; charset=utf-8",
		  "opml_content_type");
	ok(body_has(&r, "<opml version=\"2.0\">"), "opml_version_2");
	ok(body_has(&r, "<outline text=\"World News\" title=\"World News\">"),
	   "opml_section_is_a_category_outline");
	ok(body_has(&r, "xmlUrl=\"http://127.0.0.1:9/alpha.xml\""),
	   "opml_lists_feed_url");
	etag = header(&r, "ETag");
	buf_printf(&h, "If-None-Match: %s\r\n", etag ? etag : "\"x\"");
	request(port, "GET", "/feeds.opml", h.data, &c);
	is_int(c.status, 304, "opml_revalidates_with_304");
	response_free(&c);
	free(etag);
	buf_free(&h);
	response_free(&r);
}

static void test_status_page(void)
{
	struct response r;

	request(port, "GET", "/", NULL, &r);
	is_int(r.status, 200, "status_page_200");
	header_is(&r, "Content-Type", "text/html; charset=utf-8",
		  "status_page_is_html");
	header_is(&r, "Cache-Control", "no-cache",
		  "status_page_always_revalidated");
	ok(body_has(&r, "<link rel=\"alternate\" type=\"application/atom+xml\""
		    " title=\"Merged Test (Atom)\" "
		    "href=\"http://127.0.0.1:8080/feed.atom\">"),
	   "status_page_autodiscovers_merged_atom");
	ok(body_has(&r, "href=\"http://127.0.0.1:8080/sections/world.rss\""),
	   "status_page_links_section_rss");
	is_int(count(r.body, r.body_len, "<td class=\"waiting\">"), 2,
	       "status_page_shows_each_source_state");
	ok(body_has(&r, ">alpha-3</a>"), "status_page_lists_newest_entries");
	ok(!body_has(&r, "<script"), "status_page_has_no_script");
	response_free(&r);
	request(port, "HEAD", "/", NULL, &r);
	is_int((int)r.body_len, 0, "status_page_head_has_no_body");
	response_free(&r);
}

/* ---- caching, paging, keep-alive ---- */

static void test_render_count(struct httpd *h)
{
	struct response r;
	uint64_t before;

	request(port, "GET", "/feed.json?limit=3", NULL, &r);
	response_free(&r);
	before = httpd_render_count(h);
	request(port, "GET", "/feed.json?limit=3", NULL, &r);
	response_free(&r);
	request(port, "GET", "/feed.json?limit=3", "Accept-Encoding: gzip\r\n",
		&r);
	response_free(&r);
	request(port, "HEAD", "/feed.json?limit=3", NULL, &r);
	response_free(&r);
	is_int((int64_t)(httpd_render_count(h) - before), 0,
	       "unchanged_store_serves_from_cache_no_render");
	ok(store_begin(st) == 0 &&
	   put_item(st, feed_beta, "beta-3", T0 + 50) == 0 &&
	   store_commit(st) == 0, "render_count_new_item_committed");
	request(port, "GET", "/feed.json?limit=3", NULL, &r);
	response_free(&r);
	request(port, "GET", "/feed.json?limit=3", NULL, &r);
	response_free(&r);
	is_int((int64_t)(httpd_render_count(h) - before), 1,
	       "store_change_renders_once_then_caches");
}

/* The href of the first rel="next" link in an Atom body, its &amp;
 * unescaped (caller frees). */
static char *next_href(const struct response *r)
{
	const char *p = r->body ? strstr(r->body, "<link rel=\"next\"") : NULL;
	const char *q;
	struct buf b = { 0 };

	if (!p || !(p = strstr(p, "href=\"")))
		return NULL;
	for (p += 6, q = strchr(p, '"'); q && p < q; p++) {
		buf_append(&b, p, 1);
		if (!strncmp(p, "&amp;", 5))
			p += 4;
	}
	return buf_steal(&b);
}

static void test_paging(void)
{
	struct response r;
	struct buf seen = { 0 }, want = { 0 };
	char *next, *path = xstrdup("/feed.atom?limit=2");
	const char *p, *prefix = "http://127.0.0.1:8080";
	int pages = 0, i;

	request(port, "GET", "/feed.atom?limit=100", NULL, &r);
	for (p = r.body; p && (p = strstr(p, "<entry>")); p++) {
		p = strstr(p, "<title type=\"text\">") + 19;
		buf_printf(&want, "%.*s ", (int)strcspn(p, "<"), p);
	}
	response_free(&r);
	for (i = 0; path && i < 20; i++) {
		request(port, "GET", path, NULL, &r);
		if (r.status != 200)
			break;
		pages++;
		for (p = r.body; p && (p = strstr(p, "<entry>")); p++) {
			p = strstr(p, "<title type=\"text\">") + 19;
			buf_printf(&seen, "%.*s ", (int)strcspn(p, "<"), p);
		}
		next = next_href(&r);
		free(path);
		path = NULL;
		if (next && !strncmp(next, prefix, strlen(prefix)))
			path = xstrdup(next + strlen(prefix));
		free(next);
		response_free(&r);
	}
	free(path);
	is_int(pages, 4, "paging_7_stories_by_2_is_4_pages");
	is_str(seen.data, want.data, "paging_next_links_walk_every_story_once");
	request(port, "GET", "/feed.atom?before=abc", NULL, &r);
	is_int(r.status, 400, "paging_bad_cursor_is_400");
	response_free(&r);
	request(port, "GET", "/feed.atom?limit=100", NULL, &r);
	ok(!body_has(&r, "rel=\"next\""), "paging_last_page_has_no_next");
	response_free(&r);
	request(port, "GET", "/feed.rss?limit=1", NULL, &r);
	ok(body_has(&r, "<atom:link href=\"http://127.0.0.1:8080/feed.rss?before="),
	   "paging_rss_has_atom_next_link");
	response_free(&r);
	request(port, "GET", "/feed.json?limit=1", NULL, &r);
	ok(body_has(&r, "\"next_url\":\"http://127.0.0.1:8080/feed.json?before="),
	   "paging_json_has_next_url");
	response_free(&r);
	buf_free(&seen);
	buf_free(&want);
}

/* Two requests on one connection: HTTP/1.1 connections persist. */
static void test_keepalive(void)
{
	static const char two[] =
		"GET /feed.atom HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
		"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		"Connection: close\r\n\r\n";
	struct response r;

	http_raw(AF_INET, port, two, strlen(two), &r);
	is_int(count(r.raw.data, r.raw.len, "HTTP/1.1 200 OK\r\n"), 2,
	       "keepalive_two_requests_one_connection");
	ok(r.raw.data && strstr(r.raw.data, "\"status\":") != NULL,
	   "keepalive_second_answer_arrives");
	response_free(&r);
}

static void test_reload(struct httpd *h, struct config **cfg)
{
	struct config *fresh = load_config("Renamed Feed");
	struct response r;
	uint64_t gen = store_generation(st);

	if (!fresh) {
		ok(0, "reload_config_loads");
		return;
	}
	httpd_set_config(h, fresh);
	config_free(*cfg);
	*cfg = fresh;
	request(port, "GET", "/feed.atom", NULL, &r);
	is_int(store_generation(st), gen, "reload_store_unchanged");
	ok(body_has(&r, ">Renamed Feed</title>"),
	   "reload_drops_cached_bodies_with_old_title");
	response_free(&r);
}

static void test_listen(struct httpd *h)
{
	static const char v6req[] = "GET /feed.atom HTTP/1.1\r\n"
		"Host: [::1]\r\nConnection: close\r\n\r\n";
	struct response r;
	char err[256];
	int p;

	err[0] = '\0';
	is_int(httpd_listen(h, "127.0.0.1", err, sizeof err), -1,
	       "listen_without_port_fails");
	ok(err[0] != '\0', "listen_failure_has_message");
	is_int(httpd_listen(h, "[::1]80", err, sizeof err), -1,
	       "listen_bracket_without_colon_fails");
	is_int(httpd_listen(h, "::1:80", err, sizeof err), -1,
	       "listen_unbracketed_v6_fails");
	is_int(httpd_listen(h, "127.0.0.1:65536", err, sizeof err), -1,
	       "listen_port_out_of_range_fails");

	p = httpd_listen(h, "127.0.0.1:0", err, sizeof err);
	ok(p > 0 && p != port, "second_listen_gets_own_port");
	request(p, "GET", "/healthz", NULL, &r);
	is_int(r.status, 200, "second_listen_serves");
	response_free(&r);

	p = httpd_listen(h, "[::1]:0", err, sizeof err);
	if (p < 0) {
		diag("%s", err);
		skip("::1 cannot be bound here");
		return;
	}
	http_raw(AF_INET6, p, v6req, strlen(v6req), &r);
	is_int(r.status, 200, "ipv6_listen_serves_feed");
	response_free(&r);
}

int main(void)
{
	struct config *cfg = NULL;
	struct httpd *h = NULL;
	char path[512], err[256];

	log_init(2);	/* exercises the access log */
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/feedmux.db", tmpdir);
	cfg = load_config("Merged Test");
	st = store_open(path, err, sizeof err);
	base = event_base_new();
	if (!cfg || !st || !base || fill_store(st) < 0) {
		ok(0, "fixture_ready");
		goto out;
	}
	h = httpd_create(base, st, cfg, on_status, &health);
	port = h ? httpd_listen(h, "127.0.0.1:0", err, sizeof err) : -1;
	if (!ok(port > 0, "listen_on_port_0_returns_bound_port")) {
		diag("%s", err);
		goto out;
	}
	test_merged_feed();
	test_conditional();
	test_gzip();
	test_head();
	test_errors();
	test_sections();
	test_limit();
	test_new_item();
	test_healthz();
	test_formats();
	test_opml();
	test_status_page();
	test_render_count(h);
	test_paging();
	test_keepalive();
	test_reload(h, &cfg);
	test_listen(h);
out:
	httpd_free(h);
	if (base)
		event_base_free(base);
	store_close(st);
	config_free(cfg);
	nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return done_testing();
}
