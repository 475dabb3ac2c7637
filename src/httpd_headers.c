/*
 * httpd_headers.c — request headers and query of the HTTP endpoint, as
 * pure functions of strings (see httpd_headers.h).
 *
 * RFC 9110 (HTTP Semantics):
 *   §13.1.2 If-None-Match: a list of entity-tags or "*", compared with
 *           the weak comparison (§8.8.3.2: W/ ignored on both sides).
 *   §13.1.3 If-Modified-Since; §13.2.2: If-None-Match, when present,
 *           decides alone and If-Modified-Since is then ignored.
 *   §12.5.3 Accept-Encoding: codings with optional weights; "*" stands
 *           for any coding not listed; q=0 means "not acceptable".
 *   §12.4.2 qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
 *   §8.8.3  the gzip body is another representation, so it gets its own
 *           strong ETag.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "entry.h"
#include "httpd_headers.h"

int httpd_headers_etag_matches(const char *list, const char *tag)
{
	size_t tag_len;
	const char *end;

	if (!strncmp(tag, "W/", 2))
		tag += 2;
	tag_len = strlen(tag);
	while (*list) {
		list += strspn(list, " \t,");
		if (*list == '*')
			return 1;
		if (!strncmp(list, "W/", 2))
			list += 2;
		if (*list == '"' && (end = strchr(list + 1, '"'))) {
			if ((size_t)(end + 1 - list) == tag_len &&
			    !strncmp(list, tag, tag_len))
				return 1;
			list = end + 1;
		}
		list += strcspn(list, ",");
	}
	return 0;
}

int httpd_headers_not_modified(const char *if_none_match,
			       const char *if_modified_since,
			       const char *etag, int64_t last_modified)
{
	int64_t t;

	if (if_none_match)
		return httpd_headers_etag_matches(if_none_match, etag);
	if (!if_modified_since)
		return 0;
	t = date_parse(if_modified_since);
	return t != ENTRY_NO_DATE && t >= last_modified;
}

/* Whether the parameters of one Accept-Encoding element (from ';' up to
 * ',') say q=0: a qvalue starting with "0" and made only of "0" and "."
 * up to the end of the parameter (§12.4.2). */
static int params_refuse(const char *p)
{
	while (*p == ';') {
		p++;
		p += strspn(p, " \t");
		if ((*p == 'q' || *p == 'Q') && p[1] == '=') {
			p += 2;
			if (*p != '0')
				return 0;
			p += strspn(p, "0.");
			return *p == '\0' || *p == ',' || *p == ';' ||
			       *p == ' ' || *p == '\t';
		}
		p += strcspn(p, ";,");
	}
	return 0;
}

int httpd_headers_accepts_gzip(const char *ae)
{
	int gzip = -1, star = -1;
	size_t n;
	const char *coding;

	while (ae && *ae) {
		ae += strspn(ae, " \t,");
		coding = ae;
		n = strcspn(ae, " \t;,");
		ae += n;
		ae += strspn(ae, " \t");
		if ((n == 4 && !strncasecmp(coding, "gzip", 4)) ||
		    (n == 6 && !strncasecmp(coding, "x-gzip", 6)))
			gzip = !params_refuse(ae);
		else if (n == 1 && *coding == '*')
			star = !params_refuse(ae);
		ae += strcspn(ae, ",");
	}
	return gzip >= 0 ? gzip : star > 0;
}

int httpd_headers_parse_limit(const char *s, size_t n, int *out)
{
	int v = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
		if (v > HTTPD_MAX_LIMIT)
			return -1;
	}
	if (v < HTTPD_MIN_LIMIT)
		return -1;
	*out = v;
	return 0;
}

int httpd_headers_query_limit(const char *query, int def, int *limit)
{
	size_t n;

	*limit = def;
	while (query && *query) {
		n = strcspn(query, "&");
		if (n >= 5 && !strncmp(query, "limit", 5) &&
		    (n == 5 || query[5] == '=')) {
			if (n == 5 ||
			    httpd_headers_parse_limit(query + 6, n - 6, limit) < 0)
				return -1;
		}
		query += n;
		if (*query)
			query++;
	}
	return 0;
}

void httpd_headers_gzip_etag(const char *etag, char *out, size_t outlen)
{
	size_t n = strlen(etag);

	if (n >= 2 && etag[n - 1] == '"')
		snprintf(out, outlen, "%.*s-gz\"", (int)(n - 1), etag);
	else
		snprintf(out, outlen, "%s", etag);
}

/* Parses n bytes of [-]DIGITS into *out; -1 if not that or out of range. */
static int parse_int64(const char *s, size_t n, int64_t *out)
{
	int neg = n > 0 && *s == '-';
	uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX;
	size_t i = neg;

	if (i == n)
		return -1;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    v > (lim - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

/* "DATE-ID": DATE may be negative, so the separator is the last '-'. */
static int parse_cursor(const char *s, size_t n, int64_t *date, int64_t *id)
{
	size_t dash = n;

	while (dash > 0 && s[dash - 1] != '-')
		dash--;
	if (dash < 2 || dash == n)
		return -1;
	if (parse_int64(s, dash - 1, date) < 0 ||
	    parse_int64(s + dash, n - dash, id) < 0 || *id < 0)
		return -1;
	return 0;
}

int httpd_headers_query_before(const char *query, int64_t *date, int64_t *id)
{
	int found = 0;
	size_t n;

	*date = *id = INT64_MAX;
	while (query && *query) {
		n = strcspn(query, "&");
		if (n >= 6 && !strncmp(query, "before", 6) &&
		    (n == 6 || query[6] == '=')) {
			if (n == 6 || parse_cursor(query + 7, n - 7, date, id) < 0)
				return -1;
			found = 1;
		}
		query += n;
		if (*query)
			query++;
	}
	return found;
}
