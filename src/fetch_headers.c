/*
 * fetch_headers.c — what fetch reads from response headers beyond the
 * validators: Retry-After (RFC 9110 §10.2.3), Cache-Control max-age
 * (RFC 9111 §5.2.2.1) and Expires (RFC 9111 §5.3), and the FNV-1a hash
 * of the body bytes.  Pure functions, tested in tests/test_fetch.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "fetch.h"

/* FNV-1a, 64 bit (http://www.isthe.com/chongo/tech/comp/fnv/). */
uint64_t fetch_hash_update(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Digits only, no sign: a delta-seconds (RFC 9111 §1.2.2).  -1 if not. */
static int64_t delta_seconds(const char *s, const char **end)
{
	int64_t v = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (INT64_MAX - 9) / 10)
			v = INT64_MAX / 10;	/* saturate */
		else
			v = v * 10 + (*s - '0');
	}
	if (end)
		*end = s;
	return v;
}

int64_t fetch_retry_after_s(const char *value, int64_t now)
{
	const char *end;
	int64_t v;
	time_t t;

	if (!value)
		return -1;
	value += strspn(value, " \t");
	v = delta_seconds(value, &end);
	if (v >= 0)
		return *(end + strspn(end, " \t")) == '\0' ? v : -1;
	t = curl_getdate(value, NULL);	/* an HTTP-date */
	if (t == (time_t)-1)
		return -1;
	return (int64_t)t > now ? (int64_t)t - now : 0;
}

int64_t fetch_max_age_s(const char *cache_control)
{
	const char *p = cache_control;

	if (!p)
		return -1;
	/* Directives are comma-separated tokens (RFC 9111 §5.2); s-maxage
	 * is for shared caches and we are a private client. */
	while (*p) {
		p += strspn(p, " \t,");
		if (strncasecmp(p, "no-cache", 8) == 0 ||
		    strncasecmp(p, "no-store", 8) == 0)
			return 0;
		if (strncasecmp(p, "max-age", 7) == 0) {
			const char *v = p + 7;

			v += strspn(v, " \t");
			if (*v == '=') {
				v++;
				v += strspn(v, " \t\"");
				return delta_seconds(v, NULL);
			}
		}
		p += strcspn(p, ",");
	}
	return -1;
}

int64_t fetch_expires_s(const char *expires, const char *date, int64_t now)
{
	time_t e, d;

	if (!expires)
		return -1;
	e = curl_getdate(expires, NULL);
	if (e == (time_t)-1)
		return 0;	/* RFC 9111 §5.3: invalid means already expired */
	d = date ? curl_getdate(date, NULL) : (time_t)-1;
	if (d == (time_t)-1)
		d = (time_t)now;
	return e > d ? (int64_t)(e - d) : 0;
}
