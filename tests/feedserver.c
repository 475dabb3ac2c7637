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

#define MAX_FILE_BYTES ((off_t)64 << 20)
#define MAX_GEN_FEEDS 100000
#define MAX_REDIRECT_HOPS 1000
#define GEN_ITEMS 20
#define GEN_DESCRIPTION_BYTES 900	/* a ~1 KB item with its markup */
#define GEN_NEWEST 1712145600		/* 2024-04-03T12:00:00Z */
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

/* ---- validators (RFC 7232) ---- */

/* A strong validator from the bytes: two zlib checksums and the length. */
static void body_set_etag(struct body *b)
{
	uLong crc = crc32(0L, (const Bytef *)b->data, (uInt)b->len);
	uLong adler = adler32(1L, (const Bytef *)b->data, (uInt)b->len);

	snprintf(b->etag, sizeof b->etag, "\"%08lx%08lx-%zx\"",
		 crc & 0xffffffffUL, adler & 0xffffffffUL, b->len);
}

/* IMF-fixdate, RFC 7231 §7.1.1.1. */
void http_date(time_t t, char *out, size_t outlen)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, outlen, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* RFC 7232 §3.2: If-None-Match uses the weak comparison, "*" matches. */
static int etag_listed(const char *list, const char *etag)
{
	size_t n = strlen(etag);
	const char *p = list;

	while (*p) {
		p += strspn(p, " \t,");
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' ' || p[n] == '\t'))
			return 1;
		p += strcspn(p, ",");
	}
	return 0;
}

/* RFC 7232 §6: If-None-Match decides when present, else If-Modified-Since. */
static int not_modified(struct evhttp_request *req, const struct body *b)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	const char *inm = evhttp_find_header(in, "If-None-Match");
	const char *ims = evhttp_find_header(in, "If-Modified-Since");
	struct tm tm = { 0 };
	const char *end;

	if (inm)
		return etag_listed(inm, b->etag);
	if (!ims)
		return 0;
	end = strptime(ims, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	return end && *end == '\0' && b->mtime <= timegm(&tm);
}

/* Sends b (or a 304) with its validators; HEAD gets the headers only. */
void send_body(struct server *srv, struct evhttp_request *req,
		      const char *statpath, const struct body *b)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	struct evbuffer *out;
	char date[64], len[32];

	http_date(b->mtime, date, sizeof date);
	evhttp_add_header(h, "ETag", b->etag);
	evhttp_add_header(h, "Last-Modified", date);
	if (not_modified(req, b)) {
		reply(srv, req, statpath, HTTP_NOTMODIFIED, NULL);
		return;
	}
	evhttp_add_header(h, "Content-Type", b->type);
	out = evbuffer_new();
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		snprintf(len, sizeof len, "%zu", b->len);
		evhttp_add_header(h, "Content-Length", len);
	} else {
		evbuffer_add(out, b->data, b->len);
	}
	reply(srv, req, statpath, HTTP_OK, out);
	evbuffer_free(out);
}

/* ---- bodies: files under DIR and generated feeds ---- */

static const char *type_for(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".rss", "application/rss+xml" },
		{ ".xml", "application/rss+xml" },
		{ ".atom", "application/atom+xml" },
		{ ".json", "application/feed+json" },
		{ ".html", "text/html" },
	};
	const char *dot = strrchr(path, '.');
	size_t i;

	for (i = 0; dot && !strchr(dot, '/') && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* No ".." segment: a path may never climb out of DIR. */
static int path_is_safe(const char *path)
{
	const char *seg = path;

	while (seg) {
		seg += strspn(seg, "/");
		if (strncmp(seg, "..", 2) == 0 && (seg[2] == '/' || seg[2] == '\0'))
			return 0;
		seg = strchr(seg, '/');
	}
	return 1;
}

static int file_read(int fd, struct body *b, off_t size)
{
	size_t got = 0;
	ssize_t n;

	b->data = malloc((size_t)size + 1);
	if (!b->data)
		abort();
	b->owned = 1;
	while (got < (size_t)size) {
		n = read(fd, b->data + got, (size_t)size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	b->len = got;
	return got == (size_t)size ? 0 : -1;
}

/* Reads DIR/target afresh.  -1 if it is not a regular file inside DIR. */
static int file_load(struct server *srv, const char *target, struct body *b)
{
	char joined[PATH_MAX], *real;
	size_t dirlen = strlen(srv->dir);
	struct stat st;
	int fd, rc;

	if (!path_is_safe(target) ||
	    snprintf(joined, sizeof joined, "%s/%s", srv->dir, target) >= (int)sizeof joined)
		return -1;
	real = realpath(joined, NULL);	/* symlinks must stay inside too */
	if (!real)
		return -1;
	rc = strncmp(real, srv->dir, dirlen) != 0 || real[dirlen] != '/';
	fd = rc ? -1 : open(real, O_RDONLY | O_CLOEXEC);
	free(real);
	if (fd < 0)
		return -1;
	rc = -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size <= MAX_FILE_BYTES && file_read(fd, b, st.st_size) == 0) {
		b->mtime = st.st_mtime;
		b->type = type_for(target);
		body_set_etag(b);
		rc = 0;
	}
	close(fd);
	return rc;
}

/* "/gen/<i>.rss" -> the i-th generated feed (borrowed), else NULL. */
static const struct body *gen_find(struct server *srv, const char *target)
{
	char *end;
	unsigned long i;

	if (strncmp(target, "/gen/", 5) != 0 || target[5] < '0' || target[5] > '9')
		return NULL;
	i = strtoul(target + 5, &end, 10);
	if (strcmp(end, ".rss") != 0 || i >= srv->n_gen)
		return NULL;
	return &srv->gen[i];
}

/* Fills b for target; release it with body_release().  -1: not found. */
int body_load(struct server *srv, const char *target, struct body *b)
{
	const struct body *g = gen_find(srv, target);

	memset(b, 0, sizeof *b);
	if (g) {
		*b = *g;
		b->owned = 0;
		return 0;
	}
	return file_load(srv, target, b);
}

void body_release(struct body *b)
{
	if (b->owned)
		free(b->data);
	b->data = NULL;
}

/* ---- generated feeds (-g) ---- */

static const char *const gen_agencies[] = {
	"Xinhua", "Reuters", "AP", "AFP", "Kyodo", "ANSA", "EFE", "dpa",
};
static const char *const gen_places[] = {
	"Beijing", "Shanghai", "Washington", "Brussels", "Nairobi", "Brasilia",
	"Moscow", "New Delhi", "Tokyo", "Cairo", "Jakarta", "Berlin", "Paris",
	"London", "Canberra", "Ottawa", "Mexico City", "Johannesburg", "Hanoi",
	"Seoul", "Lagos", "Ankara", "Lima", "Madrid",
};
static const char *const gen_subjects[] = {
	"Central bank", "Foreign ministry", "Port authority", "Energy regulator",
	"Trade delegation", "Provincial government", "Health officials",
	"Rail operator", "Wheat exporters", "Chipmakers", "Climate envoys",
	"Customs office", "Statistics bureau", "Coast guard", "Power grid operator",
	"Airline regulator",
};
static const char *const gen_verbs[] = {
	"announces", "signals", "unveils", "confirms", "weighs", "expands",
	"cuts", "reviews", "boosts", "suspends", "extends", "defends",
};
static const char *const gen_objects[] = {
	"new lending facility", "cross-border rail link", "export quotas",
	"rural broadband plan", "emergency grain reserves", "solar capacity targets",
	"port fee reforms", "visa-free transit rules", "flood relief funding",
	"semiconductor subsidies", "fishing season limits", "data centre permits",
	"fertiliser price caps", "coal phase-out schedule", "tourism recovery fund",
};
static const char *const gen_phrases[] = {
	"said on Tuesday it would review", "told reporters it plans to widen",
	"confirmed late on Monday it will fund", "is expected to announce changes to",
	"has postponed a decision on", "published draft rules for",
	"opened public consultations on", "signed a memorandum covering",
};
static const char *const gen_links[] = {
	"a move worth about", "involving roughly", "affecting some",
	"after a decline of", "following talks with", "in a package of",
};
static const char *const gen_units[] = {
	"million yuan", "households", "companies", "tonnes", "percent",
	"delegates", "billion dollars", "workers",
};

#define PICK(list, r) ((list)[(r) % (sizeof(list) / sizeof((list)[0]))])

/* splitmix64: a deterministic stream per (feed, item). */
static uint64_t gen_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* "BEIJING, April 3 (Xinhua) -- " and sentences up to ~1 KB. */
static void gen_description(struct evbuffer *out, uint64_t *rng,
			    const char *place, const char *agency, time_t when)
{
	struct tm tm;
	char month[16];
	size_t start = evbuffer_get_length(out);
	const char *p;

	gmtime_r(&when, &tm);
	strftime(month, sizeof month, "%B", &tm);
	for (p = place; *p; p++)
		evbuffer_add_printf(out, "%c", *p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	evbuffer_add_printf(out, ", %s %d (%s) -- ", month, tm.tm_mday, agency);
	while (evbuffer_get_length(out) - start < GEN_DESCRIPTION_BYTES)
		evbuffer_add_printf(out, "The %s %s the %s, %s %u %s. ",
				    PICK(gen_subjects, gen_next(rng)),
				    PICK(gen_phrases, gen_next(rng)),
				    PICK(gen_objects, gen_next(rng)),
				    PICK(gen_links, gen_next(rng)),
				    (unsigned)(gen_next(rng) % 990 + 10),
				    PICK(gen_units, gen_next(rng)));
}

static void gen_item(struct evbuffer *out, size_t feed, size_t item,
		     const char *agency)
{
	uint64_t rng = (uint64_t)feed * 1000003u + item;
	const char *place = PICK(gen_places, gen_next(&rng));
	/* An hour apart within a feed; feeds offset by seconds so the merged
	 * order of all of them is total too. */
	time_t when = GEN_NEWEST - (time_t)item * 3600 - (time_t)(feed % 3600);
	char date[64];

	http_date(when, date, sizeof date);
	evbuffer_add_printf(out, "<item>\n<title>%s %s %s in %s, %u %s</title>\n",
			    PICK(gen_subjects, gen_next(&rng)),
			    PICK(gen_verbs, gen_next(&rng)),
			    PICK(gen_objects, gen_next(&rng)), place,
			    (unsigned)(gen_next(&rng) % 990 + 10),
			    PICK(gen_units, gen_next(&rng)));
	evbuffer_add_printf(out, "<link>https://news.example.com/%s/%zu/%zu.html</link>\n"
			    "<guid isPermaLink=\"false\">gen-%zu-%zu</guid>\n"
			    "<pubDate>%s</pubDate>\n<description>",
			    agency, feed, item, feed, item, date);
	gen_description(out, &rng, place, agency, when);
	evbuffer_add_printf(out, "</description>\n</item>\n");
}

/* Feed i as one owned body; only plain ASCII words, so no escaping. */
static void gen_feed(struct body *b, size_t feed)
{
	const char *agency = PICK(gen_agencies, feed);
	struct evbuffer *out = evbuffer_new();
	size_t item;

	evbuffer_add_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			    "<rss version=\"2.0\">\n<channel>\n"
			    "<title>%s wire %zu</title>\n"
			    "<link>https://news.example.com/%s/%zu/</link>\n"
			    "<description>Synthetic %s feed %zu</description>\n",
			    agency, feed, agency, feed, agency, feed);
	for (item = 0; item < GEN_ITEMS; item++)
		gen_item(out, feed, item, agency);
	evbuffer_add_printf(out, "</channel>\n</rss>\n");
	b->len = evbuffer_get_length(out);
	b->data = malloc(b->len);
	if (!b->data)
		abort();
	evbuffer_remove(out, b->data, b->len);
	evbuffer_free(out);
	b->owned = 1;
	b->mtime = GEN_NEWEST;
	b->type = "application/rss+xml";
	body_set_etag(b);
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

/* gzip (RFC 1952) of b's bytes, replacing them; the ETag follows. */
int gzip_body(struct body *b)
{
	z_stream zs = { 0 };
	uLong cap = compressBound((uLong)b->len) + 32;
	char *out = malloc(cap);
	int rc;

	if (!out)
		abort();
	/* windowBits 15 + 16: a gzip wrapper rather than zlib's. */
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		free(out);
		return -1;
	}
	zs.next_in = (Bytef *)b->data;
	zs.avail_in = (uInt)b->len;
	zs.next_out = (Bytef *)out;
	zs.avail_out = (uInt)cap;
	rc = deflate(&zs, Z_FINISH);
	deflateEnd(&zs);
	if (rc != Z_STREAM_END) {
		free(out);
		return -1;
	}
	body_release(b);
	b->data = out;
	b->len = zs.total_out;
	b->owned = 1;
	body_set_etag(b);
	return 0;
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
