/*
 * fuzz_httpd_headers.c — the request-header rules (httpd_headers.h) on
 * arbitrary values.  The input is cut at newlines into If-None-Match,
 * If-Modified-Since, an entity-tag, Accept-Encoding and a query string
 * (missing pieces: header absent).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "httpd_headers.h"

#define N_FIELDS 5

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size), *field[N_FIELDS] = { 0 };
	char *p = s, gz[64];
	int i, limit, rc;

	for (i = 0; i < N_FIELDS && p; i++) {
		field[i] = p;
		p = strchr(p, '\n');
		if (p)
			*p++ = '\0';
	}
	if (field[0] && field[2])
		httpd_headers_etag_matches(field[0], field[2]);
	httpd_headers_not_modified(field[0], field[1],
				   field[2] ? field[2] : "\"x\"", 1000000000);
	rc = httpd_headers_accepts_gzip(field[3]);
	if (rc != 0 && rc != 1)
		fuzz_fail("accepts_gzip is not 0 or 1");
	limit = -7;
	rc = httpd_headers_query_limit(field[4], 50, &limit);
	if (rc == 0 && limit != 50 &&
	    (limit < HTTPD_MIN_LIMIT || limit > HTTPD_MAX_LIMIT))
		fuzz_fail("query_limit accepted a limit out of range");
	if (field[4]) {
		limit = -7;
		rc = httpd_headers_parse_limit(field[4], strlen(field[4]), &limit);
		if ((rc == 0) != (limit != -7) || (rc == 0 &&
		    (limit < HTTPD_MIN_LIMIT || limit > HTTPD_MAX_LIMIT)))
			fuzz_fail("parse_limit result out of range");
	}
	if (field[2]) {
		httpd_headers_gzip_etag(field[2], gz, sizeof gz);
		if (strlen(gz) >= sizeof gz)
			fuzz_fail("gzip_etag overflowed its buffer");
	}
	free(s);
	return 0;
}
