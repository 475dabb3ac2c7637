/*
 * feedserver_hostile.c — the test feed server's misbehaviour modes: what
 * a broken or hostile publisher does to a feed reader.  Each is one route
 * (routes[] in feedserver.c) and one handler here.
 *
 * The streaming modes (endless, drip) and the raw ones (wrong-length,
 * reset) outlive the request callback; a struct watch tracks each until
 * its reply ends (watch_end) or its connection closes (on_watch_closed),
 * so nothing touches a connection the client already closed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <zlib.h>

#include "feedserver.h"

#define BOMB_BYTES ((size_t)128 << 20)	/* what a bomb decodes to */
#define ENDLESS_CHUNK_BYTES (64 * 1024)
#define ENDLESS_MAX_BYTES ((uint64_t)4 << 30)	/* "endless" is 4 GiB */
#define DRIP_MAX_BYTES 3600			/* an hour, at most */
#define RAW_PROMISED_BYTES 100000

static const char rss_head[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">"
	"<channel><title>Hostile</title><link>http://hostile.example/</link>\n";
static const char rss_item[] =
	"<item><title>More</title><guid>more</guid></item>\n";

/* A response that outlives its request callback. */
struct watch {
	struct server *srv;
	struct evhttp_request *req;
	struct evhttp_connection *conn;
	struct event *timer;
	uint64_t sent, limit;
};

static void watch_free(struct watch *w)
{
	if (w->timer)
		event_free(w->timer);
	free(w);
}

/*
 * The connection closes with w's reply unfinished.  If the client hung up
 * (EOF, timeout), libevent 2.1 has detached the request from the
 * connection and left it to us (evhttp_connection_incoming_fail: "remove
 * it so that it will not be freed"); otherwise (we or evhttp_free() close
 * it) the request is still attached and libevent frees it after this.
 */
static void on_watch_closed(struct evhttp_connection *conn, void *arg)
{
	struct watch *w = arg;

	(void)conn;
	if (evhttp_request_get_connection(w->req) == NULL)
		evhttp_request_free(w->req);
	watch_free(w);
}

static struct watch *watch_new(struct server *srv, struct evhttp_request *req)
{
	struct watch *w = calloc(1, sizeof *w);

	if (!w)
		abort();
	w->srv = srv;
	w->req = req;
	w->conn = evhttp_request_get_connection(req);
	evhttp_connection_set_closecb(w->conn, on_watch_closed, w);
	return w;
}

/* Ends w's reply and frees w: the request is libevent's again, and the
 * connection may stay open for another request with a watch of its own. */
static void watch_end(struct watch *w)
{
	struct evhttp_request *req = w->req;

	evhttp_connection_set_closecb(w->conn, NULL, NULL);
	watch_free(w);
	evhttp_send_reply_end(req);
}

static void add_type(struct evhttp_request *req)
{
	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Content-Type", "application/rss+xml");
}

/* ---- answers with odd headers ---- */

void on_retry(struct server *srv, struct evhttp_request *req,
	      const char *statpath, const char *rest)
{
	char *end, text[64];
	long code = strtol(rest, &end, 10);

	if (end == rest || *end != '/' || code < 400 || code > 599) {
		reply_text(srv, req, statpath, 404, "bad retry");
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Retry-After", end + 1);
	snprintf(text, sizeof text, "status %ld, retry later", code);
	reply_text(srv, req, statpath, (int)code, text);
}

void on_rotating(struct server *srv, struct evhttp_request *req,
		 const char *statpath, const char *rest)
{
	static unsigned long counter;
	struct body b;
	struct evbuffer *out;
	char etag[48];

	if (body_load(srv, rest - 1, &b) < 0) {
		reply_text(srv, req, statpath, 404, "not found");
		return;
	}
	/* A new validator every time over the same bytes: only a body hash
	 * sees that nothing changed. */
	snprintf(etag, sizeof etag, "\"rot-%lu\"", ++counter);
	evhttp_add_header(evhttp_request_get_output_headers(req), "ETag", etag);
	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Content-Type", b.type);
	out = evbuffer_new();
	evbuffer_add(out, b.data, b.len);
	reply(srv, req, statpath, 200, out);
	evbuffer_free(out);
	body_release(&b);
}

void on_always304(struct server *srv, struct evhttp_request *req,
		  const char *statpath, const char *rest)
{
	(void)rest;
	reply(srv, req, statpath, 304, NULL);
}

void on_redirect_to(struct server *srv, struct evhttp_request *req,
		    const char *statpath, const char *rest)
{
	redirect_to(srv, req, statpath, 302, rest);
}

void on_loop(struct server *srv, struct evhttp_request *req,
	     const char *statpath, const char *rest)
{
	(void)rest;
	redirect_to(srv, req, statpath, 302, "/loop");
}

/* ---- compression bombs ---- */

/* BOMB_BYTES of an RSS head and blanks, compressed once per kind. */
static int bomb_build(int gzip, struct evbuffer **out)
{
	static unsigned char zeros[1 << 20];
	unsigned char chunk[1 << 16];
	z_stream zs = { 0 };
	size_t fed = 0;
	int rc = Z_OK;

	memset(zeros, ' ', sizeof zeros);
	/* gzip: windowBits + 16; deflate: the zlib wrapper (RFC 1950),
	 * which is what HTTP's "deflate" means (RFC 9110 §8.4.1.2). */
	if (deflateInit2(&zs, 9, Z_DEFLATED, gzip ? 15 + 16 : 15, 9,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	*out = evbuffer_new();
	zs.next_in = (Bytef *)rss_head;
	zs.avail_in = sizeof rss_head - 1;
	while (rc != Z_STREAM_END) {
		int flush = Z_NO_FLUSH;

		if (zs.avail_in == 0 && fed < BOMB_BYTES) {
			zs.next_in = zeros;
			zs.avail_in = sizeof zeros;
			fed += sizeof zeros;
		}
		if (zs.avail_in == 0)
			flush = Z_FINISH;
		zs.next_out = chunk;
		zs.avail_out = sizeof chunk;
		rc = deflate(&zs, flush);
		evbuffer_add(*out, chunk, sizeof chunk - zs.avail_out);
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
			break;
	}
	deflateEnd(&zs);
	return rc == Z_STREAM_END ? 0 : -1;
}

/* Built by bombs_build() (feedserver -b) before the server listens: it
 * takes a second or two that no request should wait for. */
static struct evbuffer *bombs[2];	/* [0] deflate, [1] gzip */

int bombs_build(void)
{
	return bomb_build(0, &bombs[0]) == 0 && bomb_build(1, &bombs[1]) == 0 ?
	       0 : -1;
}

void bombs_free(void)
{
	if (bombs[0])
		evbuffer_free(bombs[0]);
	if (bombs[1])
		evbuffer_free(bombs[1]);
}

void on_bomb(struct server *srv, struct evhttp_request *req,
	     const char *statpath, const char *rest)
{
	int gzip = strcmp(rest, "gzip") == 0;
	struct evbuffer *copy;

	if ((!gzip && strcmp(rest, "deflate") != 0) || !bombs[gzip]) {
		reply_text(srv, req, statpath, 404, "gzip or deflate, with -b");
		return;
	}
	add_type(req);
	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Content-Encoding", gzip ? "gzip" : "deflate");
	copy = evbuffer_new();
	evbuffer_add(copy, evbuffer_pullup(bombs[gzip], -1),
		     evbuffer_get_length(bombs[gzip]));
	reply(srv, req, statpath, 200, copy);
	evbuffer_free(copy);
}

/* ---- bodies that never end or crawl ---- */

static void endless_next(struct evhttp_connection *conn, void *arg)
{
	struct watch *w = arg;
	struct evbuffer *out;

	(void)conn;
	if (w->sent >= w->limit) {
		evbuffer_add_printf(out = evbuffer_new(), "</channel></rss>\n");
		evhttp_send_reply_chunk(w->req, out);
		evbuffer_free(out);
		watch_end(w);
		return;
	}
	out = evbuffer_new();
	while (evbuffer_get_length(out) < ENDLESS_CHUNK_BYTES)
		evbuffer_add(out, rss_item, sizeof rss_item - 1);
	w->sent += evbuffer_get_length(out);
	evhttp_send_reply_chunk_with_cb(w->req, out, endless_next, w);
	evbuffer_free(out);
}

void on_endless(struct server *srv, struct evhttp_request *req,
		const char *statpath, const char *rest)
{
	struct watch *w = watch_new(srv, req);
	struct evbuffer *out = evbuffer_new();

	w->limit = ENDLESS_MAX_BYTES;
	if (strncmp(statpath, "/chunked/", 9) == 0)
		w->limit = (uint64_t)strtoul(rest, NULL, 10) << 20;
	add_type(req);
	reply(srv, req, statpath, -1, NULL);	/* count it only */
	evhttp_send_reply_start(req, 200, "OK");
	evbuffer_add(out, rss_head, sizeof rss_head - 1);
	evhttp_send_reply_chunk_with_cb(req, out, endless_next, w);
	evbuffer_free(out);
}

static void on_drip_tick(evutil_socket_t fd, short what, void *arg)
{
	struct watch *w = arg;
	static const char text[] = "<?xml version=\"1.0\"?><rss>";
	struct evbuffer *out = evbuffer_new();

	(void)fd;
	(void)what;
	evbuffer_add(out, &text[w->sent % (sizeof text - 1)], 1);
	evhttp_send_reply_chunk(w->req, out);
	evbuffer_free(out);
	if (++w->sent >= DRIP_MAX_BYTES)
		watch_end(w);	/* frees this timer too */
}

void on_drip(struct server *srv, struct evhttp_request *req,
	     const char *statpath, const char *rest)
{
	struct watch *w = watch_new(srv, req);
	struct timeval second = { 1, 0 };

	(void)rest;
	add_type(req);
	reply(srv, req, statpath, -1, NULL);
	evhttp_send_reply_start(req, 200, "OK");
	w->timer = event_new(srv->base, -1, EV_PERSIST, on_drip_tick, w);
	event_add(w->timer, &second);
}

void on_silence(struct server *srv, struct evhttp_request *req,
		const char *statpath, const char *rest)
{
	(void)rest;
	reply(srv, req, statpath, -1, NULL);	/* counted, never answered */
	watch_new(srv, req);
}

/* ---- raw answers evhttp would not write ---- */

/* Writes a response head promising RAW_PROMISED_BYTES and about n body
 * bytes straight to the socket (a few KB: the socket buffer takes them
 * at once); the request is never answered through evhttp. */
static void raw_write(struct evhttp_request *req, size_t n)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(req);
	int fd = bufferevent_getfd(evhttp_connection_get_bufferevent(conn));
	struct evbuffer *out = evbuffer_new();
	size_t len;

	evbuffer_add_printf(out, "HTTP/1.1 200 OK\r\nContent-Type: "
			    "application/rss+xml\r\nContent-Length: %d\r\n\r\n%s",
			    RAW_PROMISED_BYTES, rss_head);
	while (evbuffer_get_length(out) < n + 120)
		evbuffer_add(out, rss_item, sizeof rss_item - 1);
	len = evbuffer_get_length(out);
	if (send(fd, evbuffer_pullup(out, -1), len, MSG_NOSIGNAL) != (ssize_t)len)
		fprintf(stderr, "feedserver: short raw write\n");
	evbuffer_free(out);
}

static void on_reset_tick(evutil_socket_t fd, short what, void *arg)
{
	struct watch *w = arg;
	struct linger hard = { 1, 0 };
	struct bufferevent *bev = evhttp_connection_get_bufferevent(w->conn);

	(void)fd;
	(void)what;
	/* SO_LINGER 0: close() sends RST instead of FIN. */
	setsockopt(bufferevent_getfd(bev), SOL_SOCKET, SO_LINGER, &hard,
		   sizeof hard);
	evhttp_connection_free(w->conn);	/* calls on_watch_closed */
}

void on_reset(struct server *srv, struct evhttp_request *req,
	      const char *statpath, const char *rest)
{
	struct watch *w = watch_new(srv, req);
	struct timeval later = { 0, 200000 };

	(void)rest;
	reply(srv, req, statpath, -1, NULL);
	raw_write(req, 2000);
	w->timer = evtimer_new(srv->base, on_reset_tick, w);
	evtimer_add(w->timer, &later);
}

void on_wrong_length(struct server *srv, struct evhttp_request *req,
		     const char *statpath, const char *rest)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(req);

	(void)rest;
	reply(srv, req, statpath, -1, NULL);
	watch_new(srv, req);
	raw_write(req, 200);
	/* EOF after 200 of the 100000 promised bytes. */
	shutdown(bufferevent_getfd(evhttp_connection_get_bufferevent(conn)),
		 SHUT_WR);
}
