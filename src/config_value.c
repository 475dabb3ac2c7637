/*
 * config_value.c — the value parsers and validators behind config.c's
 * keys: durations and sizes (config_parse_*, public for tests), integers
 * within bounds, listen addresses, feed and base URLs with their schemes,
 * and section/feed names.  Pure functions of their argument: no parser
 * state, no messages; config.c reports what they refuse.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "config.h"
#include "config_int.h"

#define HOSTNAME_CHARS \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-"

/* Parses s as digits only into *out; -1 on junk, empty or overflow. */
static int parse_digits(const char *s, size_t len, int64_t *out)
{
	int64_t n = 0;
	size_t i;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (n > (INT64_MAX - (s[i] - '0')) / 10)
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	*out = n;
	return 0;
}

/* Parses digits followed by at most one unit letter from units/scales. */
static int parse_scaled(const char *s, const char *units,
			const int64_t *scales, int64_t *out)
{
	size_t len = strlen(s);
	int64_t scale = 1, n;
	const char *u;

	if (len > 0 && (s[len - 1] < '0' || s[len - 1] > '9')) {
		u = strchr(units, s[len - 1]);
		if (!u)
			return -1;
		scale = scales[u - units];
		len--;
	}
	if (parse_digits(s, len, &n) < 0 || n == 0 || n > INT64_MAX / scale)
		return -1;
	*out = n * scale;
	return 0;
}

int config_parse_duration(const char *s, int64_t *out_s)
{
	static const int64_t scales[] = { 1, 60, 3600, 86400 };

	return parse_scaled(s, "smhd", scales, out_s);
}

int config_parse_size(const char *s, int64_t *out_bytes)
{
	static const int64_t scales[] = {
		1024, 1024 * 1024, 1024 * 1024 * 1024,
		1024, 1024 * 1024, 1024 * 1024 * 1024,
	};

	return parse_scaled(s, "KMGkmg", scales, out_bytes);
}

/* An optional '-' and digits, within [min, max]. */
int config_value_parse_int(const char *s, int min, int max, int *out)
{
	int64_t n;
	int neg = s[0] == '-';

	if (parse_digits(s + neg, strlen(s + neg), &n) < 0)
		return -1;
	n = neg ? -n : n;
	if (n < min || n > max)
		return -1;
	*out = (int)n;
	return 0;
}

/* HOST:PORT or [IPV6]:PORT, PORT 1..65535. */
int config_value_check_listen(const char *s)
{
	char host[INET6_ADDRSTRLEN + 1];
	unsigned char addr[sizeof(struct in6_addr)];
	const char *port;
	int64_t n;
	size_t hlen;

	if (s[0] == '[') {
		port = strchr(s, ']');
		hlen = port ? (size_t)(port - s - 1) : 0;
		if (!port || port[1] != ':' || hlen == 0 || hlen >= sizeof host)
			return 0;
		memcpy(host, s + 1, hlen);
		host[hlen] = '\0';
		if (inet_pton(AF_INET6, host, addr) != 1)
			return 0;
		port += 2;
	} else {
		port = strchr(s, ':');
		hlen = port ? (size_t)(port - s) : 0;
		if (hlen == 0 || strchr(port + 1, ':') || hlen >= sizeof host)
			return 0;	/* a bare IPv6 address needs brackets */
		memcpy(host, s, hlen);
		host[hlen] = '\0';
		if (strspn(host, "0123456789.") == hlen) {
			if (inet_pton(AF_INET, host, addr) != 1)
				return 0;
		} else if (strspn(host, HOSTNAME_CHARS) != hlen) {
			return 0;
		}
		port++;
	}
	return parse_digits(port, strlen(port), &n) == 0 && n >= 1 &&
	       n <= 65535;
}

/* An absolute URL with a host whose scheme is http or https, or file
 * if allow_file.  Schemes compare case-insensitively (RFC 3986 §3.1). */
int config_value_check_url(const char *url, int allow_file)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int ok = 0;

	if (!u)
		return 0;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK) {
		if (!strcasecmp(scheme, "http") || !strcasecmp(scheme, "https"))
			ok = curl_url_get(u, CURLUPART_HOST, &host, 0) ==
			     CURLUE_OK;
		else
			ok = allow_file && !strcasecmp(scheme, "file");
	}
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

int config_value_check_name(const char *s)
{
	return *s && strspn(s, CONFIG_NAME_CHARS) == strlen(s);
}
