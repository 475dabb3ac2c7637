/*
 * test_httpd_headers.c — the request-header rules of the HTTP endpoint,
 * one case per rule: If-None-Match (weak comparison, lists, "*"),
 * If-Modified-Since, Accept-Encoding weights, the strict limit=N and the
 * gzip representation's ETag.
 */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "httpd_headers.h"
#include "tap.h"

#define T0 1700000000	/* 2023-11-14T22:13:20Z */

static void test_etag_matches(void)
{
	is_int(httpd_headers_etag_matches("\"abc\"", "\"abc\""), 1,
	       "etag: strong tag, strong list member");
	is_int(httpd_headers_etag_matches("\"abd\"", "\"abc\""), 0,
	       "etag: different tag");
	is_int(httpd_headers_etag_matches("\"ABC\"", "\"abc\""), 0,
	       "etag: comparison is case-sensitive");
	is_int(httpd_headers_etag_matches("W/\"abc\"", "\"abc\""), 1,
	       "etag: weak list member matches strong tag (weak comparison)");
	is_int(httpd_headers_etag_matches("\"abc\"", "W/\"abc\""), 1,
	       "etag: strong list member matches weak tag");
	is_int(httpd_headers_etag_matches("W/\"abc\"", "W/\"abc\""), 1,
	       "etag: weak matches weak");
	is_int(httpd_headers_etag_matches("W/\"abd\"", "\"abc\""), 0,
	       "etag: weak but different");
	is_int(httpd_headers_etag_matches("\"x\", \"abc\"", "\"abc\""), 1,
	       "etag: list, second member");
	is_int(httpd_headers_etag_matches("\"abc\",\"x\"", "\"abc\""), 1,
	       "etag: list without spaces, first member");
	is_int(httpd_headers_etag_matches(" \t\"x\" ,\tW/\"abc\" ", "\"abc\""),
	       1, "etag: list with spaces, tabs and a weak member");
	is_int(httpd_headers_etag_matches("\"x\", \"y\"", "\"abc\""), 0,
	       "etag: list without the tag");
	is_int(httpd_headers_etag_matches(",, \"abc\" ,,", "\"abc\""), 1,
	       "etag: empty list elements are skipped");
	is_int(httpd_headers_etag_matches("*", "\"abc\""), 1,
	       "etag: * matches any tag");
	is_int(httpd_headers_etag_matches(" *", "W/\"abc\""), 1,
	       "etag: * with leading space matches a weak tag");
	is_int(httpd_headers_etag_matches("\"x\", *", "\"abc\""), 1,
	       "etag: * later in a list");
	is_int(httpd_headers_etag_matches("\"ab\"", "\"abc\""), 0,
	       "etag: a prefix of the tag is no match");
	is_int(httpd_headers_etag_matches("\"abcd\"", "\"abc\""), 0,
	       "etag: a longer tag is no match");
	is_int(httpd_headers_etag_matches("\"abc-gz\"", "\"abc\""), 0,
	       "etag: the gzip tag does not match the identity tag");
	is_int(httpd_headers_etag_matches("abc", "\"abc\""), 0,
	       "etag: unquoted member is skipped");
	is_int(httpd_headers_etag_matches("abc, \"abc\"", "\"abc\""), 1,
	       "etag: after an unquoted member, the next one counts");
	is_int(httpd_headers_etag_matches("\"abc", "\"abc\""), 0,
	       "etag: unterminated quote is no match");
	is_int(httpd_headers_etag_matches("\"a,b\"", "\"a,b\""), 1,
	       "etag: a comma inside the quotes is part of the tag");
	is_int(httpd_headers_etag_matches("", "\"abc\""), 0,
	       "etag: empty list");
}

static void test_not_modified(void)
{
	char now[40], before[40], after[40];

	date_format_http(T0, now, sizeof now);
	date_format_http(T0 - 1, before, sizeof before);
	date_format_http(T0 + 3600, after, sizeof after);

	is_int(httpd_headers_not_modified(NULL, NULL, "\"abc\"", T0), 0,
	       "304: no conditional headers");
	is_int(httpd_headers_not_modified("\"abc\"", NULL, "\"abc\"", T0), 1,
	       "304: If-None-Match matches");
	is_int(httpd_headers_not_modified("\"x\"", NULL, "\"abc\"", T0), 0,
	       "304: If-None-Match does not match");
	is_int(httpd_headers_not_modified("*", NULL, "\"abc\"", T0), 1,
	       "304: If-None-Match *");
	is_int(httpd_headers_not_modified("\"x\"", now, "\"abc\"", T0), 0,
	       "304: If-None-Match decides alone (If-Modified-Since ignored)");
	is_int(httpd_headers_not_modified("\"abc\"", before, "\"abc\"", T0), 1,
	       "304: matching If-None-Match wins over an old If-Modified-Since");
	is_int(httpd_headers_not_modified("", now, "\"abc\"", T0), 0,
	       "304: empty If-None-Match is present and matches nothing");
	is_int(httpd_headers_not_modified(NULL, now, "\"abc\"", T0), 1,
	       "304: If-Modified-Since equal to Last-Modified");
	is_int(httpd_headers_not_modified(NULL, after, "\"abc\"", T0), 1,
	       "304: If-Modified-Since later than Last-Modified");
	is_int(httpd_headers_not_modified(NULL, before, "\"abc\"", T0), 0,
	       "304: If-Modified-Since earlier than Last-Modified");
	is_int(httpd_headers_not_modified(NULL, "yesterday", "\"abc\"", T0), 0,
	       "304: If-Modified-Since that is not a date");
	is_int(httpd_headers_not_modified(NULL, "", "\"abc\"", T0), 0,
	       "304: empty If-Modified-Since");
}

static void test_accepts_gzip(void)
{
	static const struct {
		const char *ae;
		int want;
		const char *name;
	} cases[] = {
		{ NULL, 0, "gzip: no Accept-Encoding" },
		{ "", 0, "gzip: empty Accept-Encoding" },
		{ "gzip", 1, "gzip: gzip" },
		{ "GZip", 1, "gzip: coding names are case-insensitive" },
		{ "x-gzip", 1, "gzip: x-gzip" },
		{ "deflate, gzip, br", 1, "gzip: in a list" },
		{ "gzipx", 0, "gzip: gzipx is another coding" },
		{ "identity", 0, "gzip: identity only" },
		{ "identity;q=1, deflate", 0, "gzip: neither gzip nor *" },
		{ "gzip;q=0", 0, "gzip: q=0 refuses" },
		{ "gzip; q=0", 0, "gzip: q=0 after a space" },
		{ "gzip ;q=0", 0, "gzip: q=0 after space before ;" },
		{ "gzip;Q=0", 0, "gzip: Q=0 (parameter name any case)" },
		{ "gzip;q=0.", 0, "gzip: q=0. refuses" },
		{ "gzip;q=0.0", 0, "gzip: q=0.0 refuses" },
		{ "gzip;q=0.000", 0, "gzip: q=0.000 refuses" },
		{ "gzip;q=0.000, deflate", 0, "gzip: q=0.000 before a comma" },
		{ "gzip;q=0 ", 0, "gzip: q=0 before a space" },
		{ "gzip;level=1;q=0", 0, "gzip: q=0 after another parameter" },
		{ "gzip;q=0.001", 1, "gzip: q=0.001 accepts" },
		{ "gzip;q=0.5", 1, "gzip: q=0.5 accepts" },
		{ "gzip;q=1", 1, "gzip: q=1 accepts" },
		{ "gzip;q=1.000", 1, "gzip: q=1.000 accepts" },
		{ "gzip;level=1", 1, "gzip: a parameter that is not q" },
		{ "gzip;q=0, gzip", 1, "gzip: the last gzip element wins (accept)" },
		{ "gzip, gzip;q=0", 0, "gzip: the last gzip element wins (refuse)" },
		{ "x-gzip;q=0", 0, "gzip: x-gzip;q=0 refuses" },
		{ "gzip, deflate;q=0", 1, "gzip: q=0 of another coding" },
		{ "*", 1, "gzip: * accepts any coding" },
		{ "br, *", 1, "gzip: * in a list" },
		{ "*;q=0", 0, "gzip: *;q=0 refuses" },
		{ "*;q=0.000", 0, "gzip: *;q=0.000 refuses" },
		{ "*;q=0.5", 1, "gzip: *;q=0.5 accepts" },
		{ "*;q=0, gzip", 1, "gzip: listed gzip overrides *;q=0" },
		{ "gzip;q=0, *", 0, "gzip: gzip;q=0 overrides *" },
		{ "identity, *;q=0", 0, "gzip: identity with *;q=0" },
		{ " \t,gzip", 1, "gzip: leading blanks and comma" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		is_int(httpd_headers_accepts_gzip(cases[i].ae), cases[i].want,
		       cases[i].name);
}

static void test_parse_limit(void)
{
	static const struct {
		const char *s;
		int rc, want;
		const char *name;
	} cases[] = {
		{ "1", 0, 1, "limit: 1 (minimum)" },
		{ "20", 0, 20, "limit: 20" },
		{ "1000", 0, 1000, "limit: 1000 (maximum)" },
		{ "007", 0, 7, "limit: leading zeros" },
		{ "0001000", 0, 1000, "limit: leading zeros up to the maximum" },
		{ "0", -1, 0, "limit: 0 is below the minimum" },
		{ "000", -1, 0, "limit: 000 is below the minimum" },
		{ "1001", -1, 0, "limit: 1001 is above the maximum" },
		{ "99999999999999999999", -1, 0, "limit: huge, no overflow" },
		{ "", -1, 0, "limit: empty" },
		{ "abc", -1, 0, "limit: abc" },
		{ "-1", -1, 0, "limit: -1 (no sign)" },
		{ "+5", -1, 0, "limit: +5 (no sign)" },
		{ " 5", -1, 0, "limit: leading space" },
		{ "5 ", -1, 0, "limit: trailing space" },
		{ "1e3", -1, 0, "limit: 1e3" },
		{ "5x", -1, 0, "limit: trailing garbage" },
		{ "0x10", -1, 0, "limit: hex" },
	};
	size_t i;
	int v;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		v = -42;
		is_int(httpd_headers_parse_limit(cases[i].s, strlen(cases[i].s),
						 &v), cases[i].rc, cases[i].name);
		is_int(v, cases[i].rc == 0 ? cases[i].want : -42,
		       "limit: value stored only on success");
	}
	v = -42;
	is_int(httpd_headers_parse_limit("123x", 3, &v), 0,
	       "limit: only n bytes are read");
	is_int(v, 123, "limit: 123 from \"123x\", n 3");
}

static void test_query_limit(void)
{
	static const struct {
		const char *q;
		int rc, want;
		const char *name;
	} cases[] = {
		{ NULL, 0, 50, "query: none, the default" },
		{ "", 0, 50, "query: empty, the default" },
		{ "limit=20", 0, 20, "query: limit=20" },
		{ "a=1&limit=20&b=2", 0, 20, "query: among other parameters" },
		{ "limit=5&limit=7", 0, 7, "query: the last limit wins" },
		{ "limit=5&", 0, 5, "query: trailing &" },
		{ "&&limit=2", 0, 2, "query: leading empty parameters" },
		{ "limitx=5", 0, 50, "query: limitx is another parameter" },
		{ "xlimit=5", 0, 50, "query: xlimit is another parameter" },
		{ "LIMIT=5", 0, 50, "query: names are case-sensitive" },
		{ "limit=1000", 0, 1000, "query: limit=1000" },
		{ "limit", -1, 50, "query: bare limit" },
		{ "limit=", -1, 50, "query: empty limit" },
		{ "limit=0", -1, 50, "query: limit=0" },
		{ "limit=1001", -1, 50, "query: limit=1001" },
		{ "limit=abc", -1, 50, "query: limit=abc" },
		{ "limit=-1", -1, 50, "query: limit=-1" },
		{ "limit=%35", -1, 50, "query: not percent-decoded" },
		{ "limit=5&limit=abc", -1, 5, "query: a bad later limit fails" },
		{ "limit=abc&limit=5", -1, 50, "query: a bad earlier limit fails" },
	};
	size_t i;
	int v;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		v = -42;
		is_int(httpd_headers_query_limit(cases[i].q, 50, &v),
		       cases[i].rc, cases[i].name);
		is_int(v, cases[i].want, "query: resulting limit");
	}
}

static void test_gzip_etag(void)
{
	char out[64];

	httpd_headers_gzip_etag("\"abc\"", out, sizeof out);
	is_str(out, "\"abc-gz\"", "gzip etag: -gz inside the quotes");
	httpd_headers_gzip_etag("\"\"", out, sizeof out);
	is_str(out, "\"-gz\"", "gzip etag: empty opaque-tag");
	httpd_headers_gzip_etag("abc", out, sizeof out);
	is_str(out, "abc", "gzip etag: unquoted tag copied unchanged");
	httpd_headers_gzip_etag("\"", out, sizeof out);
	is_str(out, "\"", "gzip etag: a lone quote copied unchanged");
	httpd_headers_gzip_etag("\"abc\"", out, 5);
	is_str(out, "\"abc", "gzip etag: truncated to fit out");
	httpd_headers_gzip_etag("\"abc\"", out, sizeof out);
	is_int(httpd_headers_etag_matches("\"abc\"", out), 0,
	       "gzip etag: the identity tag does not validate the gzip body");
	is_int(httpd_headers_etag_matches("W/\"abc-gz\"", out), 1,
	       "gzip etag: its own tag does, weak or strong");
}

static void test_query_before(void)
{
	static const struct {
		const char *q;
		int rc;
		int64_t date, id;
		const char *name;
	} cases[] = {
		{ NULL, 0, INT64_MAX, INT64_MAX, "before: no query, first page" },
		{ "limit=5", 0, INT64_MAX, INT64_MAX, "before: absent" },
		{ "before=1700000000-42", 1, 1700000000, 42, "before: date-id" },
		{ "limit=2&before=10-3&x=1", 1, 10, 3, "before: among others" },
		{ "before=-86400-7", 1, -86400, 7, "before: a date before 1970" },
		{ "before=1-2&before=3-4", 1, 3, 4, "before: the last wins" },
		{ "before=9223372036854775807-1", 1, INT64_MAX, 1,
		  "before: largest date" },
		{ "beforex=1-2", 0, INT64_MAX, INT64_MAX,
		  "before: beforex is another parameter" },
		{ "before", -1, 0, 0, "before: bare" },
		{ "before=", -1, 0, 0, "before: empty" },
		{ "before=12", -1, 0, 0, "before: no id" },
		{ "before=12-", -1, 0, 0, "before: empty id" },
		{ "before=-5", -1, 0, 0, "before: no date" },
		{ "before=a-1", -1, 0, 0, "before: date not a number" },
		{ "before=1-b", -1, 0, 0, "before: id not a number" },
		{ "before=1--2", -1, 0, 0, "before: negative id" },
		{ "before=1-2x", -1, 0, 0, "before: trailing junk" },
		{ "before=99999999999999999999-1", -1, 0, 0,
		  "before: date overflows" },
		{ "before=1%2D2", -1, 0, 0, "before: not percent-decoded" },
	};
	int64_t date, id;
	size_t i;
	int rc;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rc = httpd_headers_query_before(cases[i].q, &date, &id);
		if (cases[i].rc < 0)
			is_int(rc, -1, cases[i].name);
		else
			ok(rc == cases[i].rc && date == cases[i].date &&
			   id == cases[i].id, cases[i].name);
	}
}

int main(void)
{
	test_etag_matches();
	test_not_modified();
	test_accepts_gzip();
	test_parse_limit();
	test_query_limit();
	test_query_before();
	test_gzip_etag();
	return done_testing();
}
