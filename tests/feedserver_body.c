/*
 * feedserver_body.c — the test feed server's response bodies: files under
 * its DIR (re-read on every request) and the -g feeds, their validators
 * (a strong ETag from the bytes, Last-Modified), conditional requests
 * answered with 304 (RFC 7232), and gzip.  Test tool only.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* strptime, timegm */
#endif
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <zlib.h>

#include "feedserver.h"

#define MAX_FILE_BYTES ((off_t)64 << 20)

/* ---- validators (RFC 7232) ---- */

/* Two zlib checksums and the length. */
void body_set_etag(struct body *b)
{
	uLong crc = crc32(0L, (const Bytef *)b->data, (uInt)b->len);
	uLong adler = adler32(1L, (const Bytef *)b->data, (uInt)b->len);

	snprintf(b->etag, sizeof b->etag, "\"%08lx%08lx-%zx\"",
		 crc & 0xffffffffUL, adler & 0xffffffffUL, b->len);
}

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
