/*
 * httpd.c — the HTTP endpoint on libevent's evhttp (SPEC.md: HTTP endpoint):
 * routing, replies, /healthz, the access log, listening sockets and the
 * server's life cycle.  The routes that publish (feeds, OPML, the status
 * page) are answered in httpd_outputs.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>

#include "buf.h"
#include "cache.h"
#include "config.h"
#include "date.h"
#include "httpd.h"
#include "httpd_guard.h"
#include "httpd_headers.h"
#include "httpd_int.h"
#include "httpd_status.h"
#include "log.h"
#include "render.h"
#include "status_page.h"
#include "store.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* PITFALLS.md: evhttp has no limits unless asked. */
#define HTTPD_MAX_HEADERS_BYTES 8192
#define HTTPD_MAX_BODY_BYTES 4096
#define HTTPD_TIMEOUT_S 30
/* httpd_guard.h: connections open at once, and the seconds a connection
 * has to deliver a whole request (evhttp's timeout restarts per byte). */
#define HTTPD_MAX_CONNECTIONS 512
#define HTTPD_REQUEST_DEADLINE_S 10
#define HTTPD_LISTEN_BACKLOG 128
/* Paths x limits that stay rendered; the oldest goes first. */
#define HTTPD_CACHE_ENTRIES 64
#define TEXT_TYPE "text/plain; charset=utf-8"
#define JSON_TYPE "application/json; charset=utf-8"

/* Every method evhttp 2.1 can parse, so that we see them and say 405. */
#define HTTPD_ALL_METHODS (EVHTTP_REQ_GET | EVHTTP_REQ_POST | \
	EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | \
	EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT | \
	EVHTTP_REQ_PATCH)

static void serve_healthz(struct request *rq, const void *arg);

/*
 * A path is either exactly prefix (suffix NULL) or prefix NAME suffix,
 * NAME made of CONFIG_NAME_CHARS.  A new output is one line here.
 */
struct route {
	const char *prefix;
	const char *suffix;
	void (*serve)(struct request *rq, const void *arg);
	const void *arg;
};

static const struct route routes[] = {
	{ "/feed.atom", NULL, httpd_serve_feed, &httpd_format_atom },
	{ "/feed.rss", NULL, httpd_serve_feed, &httpd_format_rss },
	{ "/feed.json", NULL, httpd_serve_feed, &httpd_format_json },
	{ "/sections/", ".atom", httpd_serve_feed, &httpd_format_atom },
	{ "/sections/", ".rss", httpd_serve_feed, &httpd_format_rss },
	{ "/sections/", ".json", httpd_serve_feed, &httpd_format_json },
	{ "/feeds.opml", NULL, httpd_serve_opml, NULL },
	{ "/", NULL, httpd_serve_status_page, NULL },
	{ "/healthz", NULL, serve_healthz, NULL },
	{ "/metrics", NULL, httpd_serve_metrics, NULL },
};

/* ---- responses ---- */

void httpd_add_header(struct request *rq, const char *name,
		       const char *value)
{
	evhttp_add_header(evhttp_request_get_output_headers(rq->req), name,
			  value);
}

/*
 * Sends code with body (len bytes, copied: the cache may drop it before
 * evhttp writes).  Content-Length is always the length a GET gets, also
 * for HEAD, where evhttp 2.1 adds none itself and we send no body
 * (RFC 7231 §4.3.2); a 304 has neither (RFC 7232 §4.1).
 */
void httpd_reply(struct request *rq, int code, const char *reason,
		  const char *body, size_t len)
{
	char num[32];

	if (code != HTTP_NOTMODIFIED) {
		snprintf(num, sizeof num, "%zu", len);
		httpd_add_header(rq, "Content-Length", num);
	}
	rq->status = code;
	rq->bytes = 0;
	if (!rq->head && code != HTTP_NOTMODIFIED && len > 0) {
		evbuffer_add(evhttp_request_get_output_buffer(rq->req), body,
			     len);
		rq->bytes = len;
	}
	evhttp_send_reply(rq->req, code, reason, NULL);
}

void httpd_reply_text(struct request *rq, int code, const char *reason,
		       const char *msg)
{
	httpd_add_header(rq, "Content-Type", TEXT_TYPE);
	httpd_reply(rq, code, reason, msg, strlen(msg));
}

/* ---- /healthz ---- */

static void serve_healthz(struct request *rq, const void *arg)
{
	static const char error_body[] = "{\"status\":\"error\"}\n";
	struct httpd *h = rq->h;
	struct store_counts counts;
	struct httpd_status s = { 0 };
	struct buf body = { 0 };
	char last[40];

	(void)arg;
	httpd_add_header(rq, "Content-Type", JSON_TYPE);
	httpd_add_header(rq, "Cache-Control", "no-store");
	if (store_count(h->st, &counts) < 0) {
		httpd_reply(rq, HTTP_SERVUNAVAIL, "Service Unavailable", error_body,
		      sizeof error_body - 1);
		return;
	}
	if (h->status)
		h->status(h->status_ctx, &s);
	buf_printf(&body, "{\"status\":\"%s\",\"feeds_total\":%" PRId64
		   ",\"feeds_polled\":%" PRId64 ",\"feeds_failing\":%" PRId64
		   ",\"items\":%" PRId64 ",\"stories\":%" PRId64
		   ",\"last_poll\":",
		   s.feeds_failing > 0 ? "degraded" : "ok", s.feeds_total,
		   s.feeds_polled, s.feeds_failing, counts.items,
		   counts.stories);
	if (s.last_poll > 0) {
		date_format_rfc3339(s.last_poll, last, sizeof last);
		buf_printf(&body, "\"%s\"", last);
	} else {
		buf_puts(&body, "null");
	}
	/* Per-feed state (issue 4) only when asked: a probe stays cheap. */
	if (httpd_status_wants_feeds(rq->query))
		httpd_status_feeds_json(h->st, &body);
	buf_puts(&body, "}\n");
	httpd_reply(rq, HTTP_OK, "OK", body.data, body.len);
	buf_free(&body);
}

/* ---- routing ---- */

/* Whether path matches r; fills *name (caller frees) for NAME routes. */
static int route_match(const struct route *r, const char *path, char **name)
{
	size_t plen = strlen(r->prefix), slen, n = strlen(path);

	*name = NULL;
	if (!r->suffix)
		return !strcmp(path, r->prefix);
	slen = strlen(r->suffix);
	if (n <= plen + slen || strncmp(path, r->prefix, plen) ||
	    strcmp(path + n - slen, r->suffix))
		return 0;
	n -= plen + slen;
	if (strspn(path + plen, CONFIG_NAME_CHARS) < n)
		return 0;
	*name = xstrndup(path + plen, n);
	return 1;
}

static void route(struct request *rq)
{
	char *name;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(routes); i++) {
		if (route_match(&routes[i], rq->path, &name)) {
			rq->name = name;
			routes[i].serve(rq, routes[i].arg);
			free(name);
			return;
		}
	}
	httpd_reply_text(rq, HTTP_NOTFOUND, "Not Found", "not found\n");
}

static const char *method_name(enum evhttp_cmd_type cmd)
{
	switch (cmd) {
	case EVHTTP_REQ_GET: return "GET";
	case EVHTTP_REQ_POST: return "POST";
	case EVHTTP_REQ_HEAD: return "HEAD";
	case EVHTTP_REQ_PUT: return "PUT";
	case EVHTTP_REQ_DELETE: return "DELETE";
	case EVHTTP_REQ_OPTIONS: return "OPTIONS";
	case EVHTTP_REQ_TRACE: return "TRACE";
	case EVHTTP_REQ_CONNECT: return "CONNECT";
	case EVHTTP_REQ_PATCH: return "PATCH";
	}
	return "?";
}

/* "GET /feed.atom 200 1234", the URI cut short and without control
 * bytes so a request cannot forge log lines. */
static void log_access(const struct request *rq, enum evhttp_cmd_type cmd)
{
	const char *uri = evhttp_request_get_uri(rq->req);
	char clean[256];
	size_t i;

	if (!log_enabled(LOG_LEVEL_DEBUG))
		return;
	for (i = 0; uri && uri[i] && i < sizeof clean - 1; i++)
		clean[i] = (unsigned char)uri[i] < 0x20 || uri[i] == 0x7f ?
			   '?' : uri[i];
	clean[i] = '\0';
	log_debug("%s %s %d %zu", method_name(cmd), clean, rq->status,
		  rq->bytes);
}

static void on_request(struct evhttp_request *req, void *arg)
{
	struct request rq = { .h = arg, .req = req };
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	const char *raw = uri ? evhttp_uri_get_path(uri) : NULL;
	char *path = NULL;
	size_t len = 0;

	httpd_guard_request(req);
	rq.head = cmd == EVHTTP_REQ_HEAD;
	if (raw)
		path = evhttp_uridecode(raw, 0, &len);
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		/* RFC 7231 §6.5.5: a 405 lists what is allowed. */
		httpd_add_header(&rq, "Allow", "GET, HEAD");
		httpd_reply_text(&rq, HTTP_BADMETHOD, "Method Not Allowed",
			   "method not allowed\n");
	} else if (!path || strlen(path) != len) {
		httpd_reply_text(&rq, HTTP_BADREQUEST, "Bad Request",
			   "bad request\n");
	} else {
		rq.path = path;
		rq.query = evhttp_uri_get_query(uri);
		route(&rq);
	}
	log_access(&rq, cmd);
	free(path);
}

/* ---- listening ---- */

/* Splits "HOST:PORT" or "[V6]:PORT".  0, or -1 if malformed. */
static int listen_split(const char *addr, char *host, size_t hostlen,
			char *port, size_t portlen)
{
	const char *colon, *h = addr;
	size_t n;

	if (*addr == '[') {
		h = addr + 1;
		colon = strchr(h, ']');
		if (!colon || colon[1] != ':')
			return -1;
		n = (size_t)(colon - h);
		colon++;
	} else {
		colon = strrchr(addr, ':');
		if (!colon)
			return -1;
		n = (size_t)(colon - addr);
		if (memchr(addr, ':', n))
			return -1;	/* IPv6 needs brackets */
	}
	if (n == 0 || n >= hostlen || strlen(colon + 1) == 0 ||
	    strlen(colon + 1) > 5 ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
	    atoi(colon + 1) > 65535 || portlen < 6)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	snprintf(port, portlen, "%s", colon + 1);
	return 0;
}

/*
 * A listening socket for ai.  We bind it ourselves rather than through
 * evhttp_bind_socket: libevent asks getaddrinfo for AI_ADDRCONFIG, which
 * refuses ::1 on hosts with no global IPv6 address.
 */
static int listen_socket(const struct addrinfo *ai)
{
	int fd, one = 1;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return -1;
	/* v6 sockets only v6, so "[::]:P" and "0.0.0.0:P" can coexist.
	 * TCP_NODELAY (inherited by accepted sockets on Linux): without it a
	 * kept-alive client waits for the delayed ACK, 40 ms, on every body
	 * larger than a few segments (Nagle, RFC 896). */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0 ||
	    (ai->ai_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) < 0) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 ||
	    listen(fd, HTTPD_LISTEN_BACKLOG) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static int bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

int httpd_listen(struct httpd *h, const char *addr, char *err, size_t errlen)
{
	struct addrinfo hints = { 0 }, *res = NULL, *ai;
	char host[256], port[8];
	int fd = -1, rc, saved = 0, bound;

	if (listen_split(addr, host, sizeof host, port, sizeof port) < 0) {
		snprintf(err, errlen, "%s: not HOST:PORT or [IPV6]:PORT", addr);
		return -1;
	}
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc) {
		snprintf(err, errlen, "%s: %s", addr, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = listen_socket(ai);
		if (fd < 0)
			saved = errno;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", addr,
			 strerror(saved));
		return -1;
	}
	bound = bound_port(fd);
	/* evhttp takes the socket and closes it in evhttp_free(). */
	if (bound < 0 || !evhttp_accept_socket_with_handle(h->http, fd)) {
		snprintf(err, errlen, "cannot listen on %s: %s", addr,
			 strerror(errno));
		close(fd);
		return -1;
	}
	return bound;
}

/* ---- life cycle ---- */

struct httpd *httpd_create(struct event_base *base, struct store *st,
			   const struct config *cfg, httpd_status_cb status,
			   void *status_ctx)
{
	struct httpd *h = xcalloc(1, sizeof *h);

	h->st = st;
	h->cfg = cfg;
	h->status = status;
	h->status_ctx = status_ctx;
	h->http = evhttp_new(base);
	h->cache = cache_create(HTTPD_CACHE_ENTRIES);
	if (!h->http || !h->cache) {
		log_err("httpd: cannot create the HTTP server");
		httpd_free(h);
		return NULL;
	}
	evhttp_set_max_headers_size(h->http, HTTPD_MAX_HEADERS_BYTES);
	evhttp_set_max_body_size(h->http, HTTPD_MAX_BODY_BYTES);
	evhttp_set_timeout(h->http, HTTPD_TIMEOUT_S);
	/* evhttp 2.1 answers a method it was told to refuse with 501; the
	 * SPEC wants 405 with Allow, so every method reaches on_request. */
	evhttp_set_allowed_methods(h->http, HTTPD_ALL_METHODS);
	evhttp_set_gencb(h->http, on_request, h);
	if (!httpd_guard_create(h->http, base, HTTPD_MAX_CONNECTIONS,
				HTTPD_REQUEST_DEADLINE_S)) {
		log_err("httpd: cannot create the connection guard");
		httpd_free(h);
		return NULL;
	}
	return h;
}

/*
 * Titles, descriptions and base_url may have changed while the store
 * generation did not, so every rendered body goes (cache_create aborts
 * rather than fail).
 */
void httpd_set_config(struct httpd *h, const struct config *cfg)
{
	h->cfg = cfg;
	cache_free(h->cache);
	h->cache = cache_create(HTTPD_CACHE_ENTRIES);
}

uint64_t httpd_render_count(const struct httpd *h)
{
	return h->renders;
}

void httpd_free(struct httpd *h)
{
	if (!h)
		return;
	if (h->http) {
		httpd_guard_free(httpd_guard_of(h->http));
		evhttp_free(h->http);
	}
	cache_free(h->cache);
	free(h);
}
