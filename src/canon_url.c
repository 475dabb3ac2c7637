/*
 * canon_url.c — canonical article URLs with libcurl's URL API (CURLU).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "buf.h"
#include "canon_url.h"

/* Query parameters that only say where a reader came from. */
static const char *const tracking_params[] = {
	"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
	"twclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc",
	"_hsmi", "mkt_tok", "ncid", "ocid", "cmpid", "ref_src", "ref_url",
	"spm", "from", "isappinstalled", "scene", "share_token", "smid",
	"amp", "outputtype", "__twitter_impression", NULL,
};

static int is_tracking_param(const char *p, size_t len)
{
	size_t i;

	if (len >= 4 && strncasecmp(p, "utm_", 4) == 0)
		return 1;
	for (i = 0; tracking_params[i]; i++)
		if (strlen(tracking_params[i]) == len &&
		    strncasecmp(p, tracking_params[i], len) == 0)
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The query without tracking parameters, sorted; "" when none is left.
 * Returns a string the caller frees. */
static char *query_clean(const char *q)
{
	char **kept = NULL;
	size_t n = 0, i, name_len;
	struct buf b = {0};
	const char *amp, *eq;

	while (q && *q) {
		amp = strchr(q, '&');
		size_t len = amp ? (size_t)(amp - q) : strlen(q);
		eq = memchr(q, '=', len);
		name_len = eq ? (size_t)(eq - q) : len;
		if (len > 0 && !is_tracking_param(q, name_len)) {
			kept = xrealloc(kept, (n + 1) * sizeof *kept);
			kept[n++] = xstrndup(q, len);
		}
		q = amp ? amp + 1 : NULL;
	}
	if (n > 1)	/* qsort(NULL, 0, ...) is undefined */
		qsort(kept, n, sizeof *kept, cmp_str);
	buf_puts(&b, "");
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%s%s", i ? "&" : "", kept[i]);
		free(kept[i]);
	}
	free(kept);
	return buf_steal(&b);
}

/* Lowercases host in place and returns where the canonical name starts
 * (after "www." or a mobile/AMP label, when more than one label follows). */
static const char *host_clean(char *host)
{
	static const char *const prefixes[] = {
		"www.", "m.", "mobile.", "wap.", "amp.", NULL,
	};
	size_t len, i, plen;
	char *p;

	for (p = host; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	len = strlen(host);
	if (len > 1 && host[len - 1] == '.')
		host[--len] = '\0';
	for (i = 0; prefixes[i]; i++) {
		plen = strlen(prefixes[i]);
		/* Only when a registrable-looking name remains ("m.cn" stays). */
		if (len > plen && strncmp(host, prefixes[i], plen) == 0 &&
		    strchr(host + plen, '.'))
			return host + plen;
	}
	return host;
}

/* Removes AMP markers from a path in place: "/amp/x" -> "/x",
 * "/x/amp" -> "/x", "/x.amp.html" -> "/x.html", "/x.amp" -> "/x". */
static void path_drop_amp(char *path)
{
	size_t len;
	char *p;

	if (strncmp(path, "/amp/", 5) == 0)
		memmove(path, path + 4, strlen(path + 4) + 1);
	len = strlen(path);
	/* Every trailing '/', so that "/x//" and "/x/" agree (fuzz_canon_url:
	 * canonical forms must be canonical already). */
	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	if (len > 4 && strcmp(path + len - 4, "/amp") == 0)
		path[len -= 4] = '\0';
	if ((p = strstr(path, ".amp.")) != NULL && !strchr(p + 5, '/'))
		memmove(p, p + 4, strlen(p + 4) + 1);
	len = strlen(path);
	if (len > 4 && strcmp(path + len - 4, ".amp") == 0)
		path[len - 4] = '\0';
	if (path[0] == '\0')
		strcpy(path, "/");
}

static char *url_part(CURLU *u, CURLUPart what, unsigned flags)
{
	char *v = NULL, *copy;

	if (curl_url_get(u, what, &v, flags) != CURLUE_OK)
		return NULL;
	copy = xstrdup(v);
	curl_free(v);
	return copy;
}

char *canon_url(const char *url)
{
	CURLU *u;
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
	char *query = NULL, *clean = NULL, *out = NULL;
	struct buf b = {0};

	if (!url || !(u = curl_url()))
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		goto done;
	scheme = url_part(u, CURLUPART_SCHEME, 0);
	if (!scheme || (strcmp(scheme, "http") && strcmp(scheme, "https")))
		goto done;
	host = url_part(u, CURLUPART_HOST, 0);
	/* CURLU_NO_DEFAULT_PORT: no port when it is the scheme's default. */
	port = url_part(u, CURLUPART_PORT, CURLU_NO_DEFAULT_PORT);
	path = url_part(u, CURLUPART_PATH, 0);
	query = url_part(u, CURLUPART_QUERY, 0);
	if (!host || !path)
		goto done;
	path_drop_amp(path);
	clean = query_clean(query);
	buf_printf(&b, "https://%s", host_clean(host));
	/* 80 on https (or 443 on http) is not a default: keep it. */
	if (port && !(strcmp(scheme, "http") == 0 && strcmp(port, "443") == 0))
		buf_printf(&b, ":%s", port);
	buf_printf(&b, "%s%s%s", path, *clean ? "?" : "", clean);
	out = buf_steal(&b);
done:
	free(scheme);
	free(host);
	free(port);
	free(path);
	free(query);
	free(clean);
	curl_url_cleanup(u);
	return out;
}

int canon_url_is_page(const char *canonical)
{
	const char *p;

	if (!canonical || strncmp(canonical, "https://", 8) != 0)
		return 0;
	p = strchr(canonical + 8, '/');
	return p && (p[1] != '\0');
}
