/*
 * httpd_headers.h — what the HTTP endpoint reads from a request: the
 * conditional headers (If-None-Match, If-Modified-Since), Accept-Encoding
 * and the query's limit=N.  Pure functions of strings, no evhttp, so the
 * rules are unit-tested one by one (tests/test_httpd_headers.c).
 *
 * Every string argument is borrowed, NUL-terminated and only read; no
 * function allocates or keeps a pointer after it returns.
 */
#ifndef FEEDMUX_HTTPD_HEADERS_H
#define FEEDMUX_HTTPD_HEADERS_H

#include <stddef.h>
#include <stdint.h>

/* The range of ?limit=N (and of the configured default, clamped). */
#define HTTPD_MIN_LIMIT 1
#define HTTPD_MAX_LIMIT 1000

/*
 * Takes an If-None-Match value (list: a comma-separated list of quoted
 * entity-tags, each may be W/-prefixed, or "*") and one entity-tag (tag:
 * quoted, W/ allowed).  Returns 1 if tag is in list by the weak
 * comparison (W/ ignored on both sides, opaque-tags compared byte for
 * byte) or list has "*", else 0.  Unquoted list members are skipped.
 */
int httpd_headers_etag_matches(const char *list, const char *tag);

/*
 * Takes the request's If-None-Match and If-Modified-Since values (NULL:
 * header absent) and the representation's entity-tag and Last-Modified
 * (Unix seconds).  Returns 1 if the answer is 304 Not Modified, else 0.
 * If-None-Match, when present, decides alone; otherwise an
 * If-Modified-Since that parses as a date (date_parse) and is not older
 * than last_modified means 304.
 */
int httpd_headers_not_modified(const char *if_none_match,
			       const char *if_modified_since,
			       const char *etag, int64_t last_modified);

/*
 * Takes an Accept-Encoding value (NULL: header absent).  Returns 1 if it
 * allows gzip, else 0: "gzip" or "x-gzip" (any case) listed without a
 * q=0 weight decides (the last such element wins); if neither is listed,
 * "*" without q=0 allows it.  Absent, empty or "identity" alone: 0.
 */
int httpd_headers_accepts_gzip(const char *accept_encoding);

/*
 * Takes the n bytes at s (not necessarily NUL-terminated) and the value
 * of limit=N.  Returns 0 and stores the value in *out if the bytes are
 * all decimal digits (leading zeros allowed, no sign, no spaces) naming
 * HTTPD_MIN_LIMIT..HTTPD_MAX_LIMIT; else -1 and *out is untouched.
 */
int httpd_headers_parse_limit(const char *s, size_t n, int *out);

/*
 * Takes a raw query string ("a=1&limit=20", NULL: no query) and the
 * default limit.  Returns 0 with *limit set to the last limit=N, or to
 * def if there is none; -1 if any limit parameter (also a bare "limit" or
 * "limit=") is not valid for httpd_headers_parse_limit, *limit then being
 * def or an earlier valid value.  Other parameters are ignored; the name
 * is matched case-sensitively and is not percent-decoded.
 */
int httpd_headers_query_limit(const char *query, int def, int *limit);

/*
 * Takes a raw query string (NULL: none) and finds the paging cursor
 * before=DATE-ID (RFC 5005 paged feeds: the sort date and story id of the
 * last entry of the previous page; DATE may be negative).  Returns 1 with
 * *date and *id set from the last before= parameter, 0 when there is none
 * (both then INT64_MAX: the first page), -1 when one is malformed or out
 * of range.
 */
int httpd_headers_query_before(const char *query, int64_t *date, int64_t *id);

/*
 * Takes a strong entity-tag (etag, quoted) and writes into out (outlen
 * bytes, caller's buffer) the tag of the gzip representation: "-gz"
 * added inside the closing quote.  A tag not ending in '"' is copied
 * unchanged.  The result is truncated to fit out, as by snprintf.
 */
void httpd_headers_gzip_etag(const char *etag, char *out, size_t outlen);

#endif
