/*
 * feedserver.c — the HTTP server the end-to-end tests fetch feeds from.
 *
 *	feedserver -d DIR [-a ADDR] [-p PORT] [-P PORTFILE] [-g N] [-b]
 *
 * Serves the files under DIR, re-read on every request so a test changes a
 * feed between polls by replacing the file.  Every body has a strong ETag
 * (a hash of the bytes) and a Last-Modified (the file's mtime) and answers
 * conditional requests with 304 (RFC 7232).  -g N adds N synthetic RSS
 * feeds at /gen/<i>.rss, built once at start, for benchmarks.
 *
 * Paths with a special meaning are a table of prefixes (routes[] below), so
 * a new misbehaviour is one handler and one row:
 *	/_stats             "PATH REQUESTS N200 N304" per path served, sorted
 *	/_stats/reset       forget every counter
 *	/status/<code>      answers <code> with a short body
 *	/redirect/<n>/<p>   302 to /redirect/<n-1>/<p>; at 0 serves /<p>
 *	/moved/<p>          301 to /<p>
 *	/gzip/<p>           /<p> sent with Content-Encoding: gzip
 *	/typed/<t>/<s>/<p>  /<p> sent with Content-Type <t>/<s> (e.g. text/plain;charset=gb2312)
 * and the misbehaviour modes of feedserver_hostile.c:
 *	/retry/<code>/<s>   <code> (429, 503) with Retry-After: <s>
 *	/rotating/<p>       /<p> with a new ETag on every request, never 304
 *	/always304/<p>      304, whatever the request said
 *	/redirect-to/<url>  302 to <url> as given (file:, ftp:, ...)
 *	/loop               302 to itself
 *	/bomb/gzip, /bomb/deflate  128 MiB of blanks in ~130 KiB (with -b)
 *	/endless            a chunked RSS body that never ends
 *	/chunked/<n>        a chunked RSS body of about n MiB, no Content-Length
 *	/drip               a chunked body, one byte per second
 *	/silence            accepts the request, never answers
 *	/wrong-length       Content-Length: 100000, 200 bytes, then EOF
 *	/reset              Content-Length: 100000, 2000 bytes, then a TCP RST
 *
 * Test tool, not part of feedmux: it trusts its command line, and only
 * ever listens on loopback in the tests.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* strptime, timegm */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>
#include <zlib.h>

#include "feedserver.h"

#define MAX_GEN_FEEDS 100000
#define MAX_REDIRECT_HOPS 1000
#define HTTP_TIMEOUT_S 30


/* ---- counters ---- */

static struct stat_row *stats_row(struct server *srv, const char *path)
{
	size_t i;

	for (i = 0; i < srv->n_stats; i++)
		if (strcmp(srv->stats[i].path, path) == 0)
			return &srv->stats[i];
	if (srv->n_stats == srv->cap_stats) {
		srv->cap_stats = srv->cap_stats ? srv->cap_stats * 2 : 64;
		srv->stats = realloc(srv->stats,
				     srv->cap_stats * sizeof *srv->stats);
		if (!srv->stats)
			abort();
	}
	srv->stats[srv->n_stats] = (struct stat_row){ .path = strdup(path) };
	if (!srv->stats[srv->n_stats].path)
		abort();
	return &srv->stats[srv->n_stats++];
}

static void stats_reset(struct server *srv)
{
	size_t i;

	for (i = 0; i < srv->n_stats; i++)
		free(srv->stats[i].path);
	srv->n_stats = 0;
}

static int stats_cmp(const void *a, const void *b)
{
	return strcmp(((const struct stat_row *)a)->path,
		      ((const struct stat_row *)b)->path);
}

/*
 * A body over 16 KiB leaves evhttp in two writes; with Nagle the second
 * waits for the client's delayed ACK (40 ms) on a kept-alive connection,
 * which would make a 1,000-feed benchmark measure the ACK timer.
 */
static void conn_set_nodelay(struct evhttp_request *req)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(req);
	struct bufferevent *bev = conn ? evhttp_connection_get_bufferevent(conn) : NULL;
	int one = 1;

	if (bev)
		setsockopt(bufferevent_getfd(bev), IPPROTO_TCP, TCP_NODELAY,
			   &one, sizeof one);
}

/* Counts the reply, then sends it; body (may be NULL) is drained.  A
 * negative code only counts the request. */
void reply(struct server *srv, struct evhttp_request *req,
		  const char *statpath, int code, struct evbuffer *body)
{
	struct stat_row *row = stats_row(srv, statpath);

	conn_set_nodelay(req);
	row->requests++;
	row->n200 += code == HTTP_OK;
	row->n304 += code == HTTP_NOTMODIFIED;
	if (code < 0)
		return;	/* counted only: the caller answers its own way */
	/* NULL reason: evhttp supplies the standard phrase. */
	evhttp_send_reply(req, code, NULL, body);
}

void reply_text(struct server *srv, struct evhttp_request *req,
		       const char *statpath, int code, const char *text)
{
	struct evbuffer *out = evbuffer_new();

	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Content-Type", "text/plain; charset=utf-8");
	evbuffer_add_printf(out, "%s\n", text);
	reply(srv, req, statpath, code, out);
	evbuffer_free(out);
}

/* ---- route handlers ---- */

static void on_stats(struct server *srv, struct evhttp_request *req,
		     const char *statpath, const char *rest)
{
	struct evbuffer *out = evbuffer_new();
	size_t i;

	(void)statpath;
	(void)rest;
	qsort(srv->stats, srv->n_stats, sizeof *srv->stats, stats_cmp);
	for (i = 0; i < srv->n_stats; i++)
		evbuffer_add_printf(out, "%s %lu %lu %lu\n", srv->stats[i].path,
				    srv->stats[i].requests, srv->stats[i].n200,
				    srv->stats[i].n304);
	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Content-Type", "text/plain; charset=utf-8");
	evhttp_send_reply(req, HTTP_OK, NULL, out);	/* not counted */
	evbuffer_free(out);
}

static void on_stats_reset(struct server *srv, struct evhttp_request *req,
			   const char *statpath, const char *rest)
{
	stats_reset(srv);
	on_stats(srv, req, statpath, rest);
}

static void on_status(struct server *srv, struct evhttp_request *req,
		      const char *statpath, const char *rest)
{
	char *end, text[64];
	long code = strtol(rest, &end, 10);

	if (end == rest || *end != '\0' || code < 200 || code > 599) {
		reply_text(srv, req, statpath, HTTP_NOTFOUND, "no such status");
		return;
	}
	snprintf(text, sizeof text, "status %ld from feedserver", code);
	reply_text(srv, req, statpath, (int)code, text);
}

void redirect_to(struct server *srv, struct evhttp_request *req,
			const char *statpath, int code, const char *location)
{
	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Location", location);
	reply_text(srv, req, statpath, code, location);
}

static void on_redirect(struct server *srv, struct evhttp_request *req,
			const char *statpath, const char *rest)
{
	char *end, location[PATH_MAX + 64];
	long hops = strtol(rest, &end, 10);

	if (end == rest || *end != '/' || hops < 0 || hops > MAX_REDIRECT_HOPS) {
		reply_text(srv, req, statpath, HTTP_NOTFOUND, "bad redirect");
		return;
	}
	if (hops == 0) {
		dispatch(srv, req, statpath, end);
		return;
	}
	snprintf(location, sizeof location, "/redirect/%ld%s", hops - 1, end);
	redirect_to(srv, req, statpath, 302, location);
}

static void on_moved(struct server *srv, struct evhttp_request *req,
		     const char *statpath, const char *rest)
{
	char location[PATH_MAX + 2];

	snprintf(location, sizeof location, "/%s", rest);
	redirect_to(srv, req, statpath, HTTP_MOVEPERM, location);
}

static void on_content(struct server *srv, struct evhttp_request *req,
		       const char *statpath, const char *rest)
{
	struct body b;

	if (body_load(srv, rest - 1, &b) < 0)	/* rest - 1: keep the '/' */
		reply_text(srv, req, statpath, HTTP_NOTFOUND, "not found");
	else
		send_body(srv, req, statpath, &b);
	body_release(&b);
}

static void on_gzip(struct server *srv, struct evhttp_request *req,
		    const char *statpath, const char *rest)
{
	struct body b;

	if (body_load(srv, rest - 1, &b) < 0 || gzip_body(&b) < 0) {
		reply_text(srv, req, statpath, HTTP_NOTFOUND, "not found");
	} else {
		evhttp_add_header(evhttp_request_get_output_headers(req),
				  "Content-Encoding", "gzip");
		send_body(srv, req, statpath, &b);
	}
	body_release(&b);
}

/* /typed/TYPE/SUBTYPE[;PARAMS]/PATH: the file PATH sent with that exact
 * Content-Type (a charset only in the header, a misleading type). */
static void on_typed(struct server *srv, struct evhttp_request *req,
		     const char *statpath, const char *rest)
{
	const char *slash = strchr(rest, '/');
	const char *end = slash ? strchr(slash + 1, '/') : NULL;
	char type[256];
	struct body b;

	if (!end || (size_t)(end - rest) >= sizeof type ||
	    body_load(srv, end, &b) < 0) {
		reply_text(srv, req, statpath, HTTP_NOTFOUND, "not found");
		return;
	}
	memcpy(type, rest, (size_t)(end - rest));
	type[end - rest] = '\0';
	b.type = type;	/* copied into the headers by send_body */
	send_body(srv, req, statpath, &b);
	body_release(&b);
}

static const struct route routes[] = {
	{ "/_stats", on_stats },
	{ "/_stats/reset", on_stats_reset },
	{ "/status/", on_status },
	{ "/redirect/", on_redirect },
	{ "/moved/", on_moved },
	{ "/gzip/", on_gzip },
	{ "/typed/", on_typed },
	/* Misbehaviour modes (feedserver_hostile.c). */
	{ "/retry/", on_retry },
	{ "/rotating/", on_rotating },
	{ "/always304/", on_always304 },
	{ "/redirect-to/", on_redirect_to },
	{ "/loop", on_loop },
	{ "/bomb/", on_bomb },
	{ "/endless", on_endless },
	{ "/chunked/", on_endless },
	{ "/drip", on_drip },
	{ "/silence", on_silence },
	{ "/wrong-length", on_wrong_length },
	{ "/reset", on_reset },
	{ "/", on_content },	/* files under DIR and /gen/ */
};

/* Hands target to the first matching route. */
void dispatch(struct server *srv, struct evhttp_request *req,
	      const char *statpath, const char *target)
{
	size_t i, n;

	for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		n = strlen(routes[i].prefix);
		if (routes[i].prefix[n - 1] == '/'
		    ? strncmp(target, routes[i].prefix, n) == 0
		    : strcmp(target, routes[i].prefix) == 0) {
			routes[i].handle(srv, req, statpath, target + n);
			return;
		}
	}
}

static void on_request(struct evhttp_request *req, void *arg)
{
	struct server *srv = arg;
	const char *raw = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	size_t len = 0;
	char *path;

	path = evhttp_uridecode(raw && *raw ? raw : "/", 0, &len);
	if (!path)
		abort();
	if (len != strlen(path) || path[0] != '/')
		reply_text(srv, req, path, HTTP_NOTFOUND, "bad path");
	else if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD)
		reply_text(srv, req, path, HTTP_BADMETHOD, "GET or HEAD only");
	else
		dispatch(srv, req, path, path);
	free(path);
}

/* ---- setup ---- */

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	event_base_loopbreak(arg);
}

/* Writes port to path through a temporary name, so readers never see a
 * partial file. */
static int portfile_write(const char *path, int port)
{
	char tmp[PATH_MAX];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "%d\n", port);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Binds addr:port and returns the bound port, or -1. */
static int server_listen(struct server *srv, const char *addr, int port)
{
	struct evhttp_bound_socket *bs;
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof ss;

	bs = evhttp_bind_socket_with_handle(srv->http, addr, (ev_uint16_t)port);
	if (!bs || getsockname(evhttp_bound_socket_get_fd(bs),
			       (struct sockaddr *)&ss, &sslen) != 0)
		return -1;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static void server_free(struct server *srv)
{
	size_t i;

	stats_reset(srv);
	free(srv->stats);
	for (i = 0; i < srv->n_gen; i++)
		free(srv->gen[i].data);
	free(srv->gen);
	if (srv->http)
		evhttp_free(srv->http);
	if (srv->base)
		event_base_free(srv->base);
	free(srv->dir);
}

static int usage(void)
{
	fputs("usage: feedserver -d DIR [-a ADDR] [-p PORT] [-P PORTFILE] [-g N]"
	      " [-b]\n", stderr);
	return 1;
}

static int run(struct server *srv, const char *addr, int port,
	       const char *portfile)
{
	struct event *sigterm, *sigint;
	size_t i;

	for (i = 0; i < srv->n_gen; i++)
		gen_feed(&srv->gen[i], i);
	srv->base = event_base_new();
	srv->http = srv->base ? evhttp_new(srv->base) : NULL;
	if (!srv->http)
		return 1;
	evhttp_set_timeout(srv->http, HTTP_TIMEOUT_S);
	evhttp_set_gencb(srv->http, on_request, srv);
	port = server_listen(srv, addr, port);
	if (port < 0) {
		fprintf(stderr, "feedserver: cannot listen on %s: %s\n", addr,
			strerror(errno));
		return 1;
	}
	if (portfile && portfile_write(portfile, port) < 0) {
		fprintf(stderr, "feedserver: %s: %s\n", portfile, strerror(errno));
		return 1;
	}
	printf("%d\n", port);
	fflush(stdout);
	sigterm = evsignal_new(srv->base, SIGTERM, on_signal, srv->base);
	sigint = evsignal_new(srv->base, SIGINT, on_signal, srv->base);
	evsignal_add(sigterm, NULL);
	evsignal_add(sigint, NULL);
	event_base_dispatch(srv->base);
	event_free(sigterm);
	event_free(sigint);
	return 0;
}

int main(int argc, char **argv)
{
	struct server srv = { 0 };
	const char *addr = "127.0.0.1", *portfile = NULL, *dir = NULL;
	long port = 0, ngen = 0;
	int opt, rc, bombs = 0;

	while ((opt = getopt(argc, argv, "d:a:p:P:g:b")) != -1) {
		switch (opt) {
		case 'd': dir = optarg; break;
		case 'a': addr = optarg; break;
		case 'p': port = strtol(optarg, NULL, 10); break;
		case 'P': portfile = optarg; break;
		case 'g': ngen = strtol(optarg, NULL, 10); break;
		case 'b': bombs = 1; break;
		default: return usage();
		}
	}
	if (!dir || optind != argc || port < 0 || port > 65535 ||
	    ngen < 0 || ngen > MAX_GEN_FEEDS)
		return usage();
	srv.dir = realpath(dir, NULL);
	if (!srv.dir) {
		fprintf(stderr, "feedserver: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);	/* a client that hangs up is not fatal */
	srv.n_gen = (size_t)ngen;
	srv.gen = calloc(srv.n_gen ? srv.n_gen : 1, sizeof *srv.gen);
	if (!srv.gen)
		abort();
	if (bombs && bombs_build() < 0) {
		fputs("feedserver: cannot build the compression bombs\n", stderr);
		return 1;
	}
	rc = run(&srv, addr, (int)port, portfile);
	server_free(&srv);
	bombs_free();
	return rc;
}
