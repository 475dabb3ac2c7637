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

/* Lowercases host in place and returns where the canonical name starts.
 * Every trailing dot goes ("a.." is "a"), then "www." and the mobile/AMP
 * labels as long as more than one label follows, so "www.m.example.com"
 * is "example.com" in one pass and a canonical host has nothing left to
 * drop. */
static const char *host_clean(char *host)
{
	static const char *const prefixes[] = {
		"www.", "m.", "mobile.", "wap.", "amp.", NULL,
	};
	size_t len, i, plen;
	char *p;
	int again = 1;

	for (p = host; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	len = strlen(host);
	while (len > 1 && host[len - 1] == '.')
		host[--len] = '\0';
	while (again) {
		again = 0;
		for (i = 0; prefixes[i]; i++) {
			plen = strlen(prefixes[i]);
			/* Only when a registrable-looking name remains ("m.cn"
			 * stays). */
			if (len > plen && strncmp(host, prefixes[i], plen) == 0 &&
			    strchr(host + plen, '.')) {
				host += plen;
				len -= plen;
				again = 1;
				break;
			}
		}
	}
	return host;
}

/* The last segment of path, after its final '/'. */
static char *path_last_segment(char *path)
{
	char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Removes one AMP marker or stray slash from path in place: "/amp/x" ->
 * "/x", trailing "/"s, "/x/amp" -> "/x" ("/amp" -> "/"), "/x.amp.html"
 * -> "/x.html", "/x.amp" -> "/x".  Returns 1 if it changed path.  Every
 * rule shortens path, so the caller applies them until none fires. */
static int path_drop_amp_once(char *path)
{
	size_t len = strlen(path);
	char *last = path_last_segment(path), *p;

	if (strncmp(path, "/amp/", 5) == 0) {
		memmove(path, path + 4, len - 4 + 1);
		return 1;
	}
	if (len > 1 && path[len - 1] == '/') {
		path[len - 1] = '\0';
		return 1;
	}
	if (len >= 4 && strcmp(path + len - 4, "/amp") == 0) {
		path[len - 4] = '\0';
		return 1;
	}
	if ((p = strstr(last, ".amp.")) != NULL) {
		memmove(p, p + 4, strlen(p + 4) + 1);
		return 1;
	}
	if (len > 4 && strcmp(path + len - 4, ".amp") == 0) {
		path[len - 4] = '\0';
		return 1;
	}
	return 0;
}

/* Resolves a "." or ".." last segment that dropping an AMP marker left
 * ("/x/..amp" -> "/x/.."), as curl did for the others (RFC 3986
 * §5.2.4).  Returns 1 if it changed path. */
static int path_drop_dot_segment(char *path)
{
	char *last = path_last_segment(path), *prev;

	if (strcmp(last, ".") == 0) {
		*last = '\0';
		return 1;
	}
	if (strcmp(last, "..") != 0)
		return 0;
	*last = '\0';
	/* last - 1 is the '/' before ".."; drop the segment before it. */
	for (prev = last - 1; prev > path && prev[-1] != '/'; prev--)
		;
	*prev = '\0';
	return 1;
}

/* Drops AMP markers, trailing slashes and the dot segments they expose,
 * to a fixed point, so the result is canonical already. */
static void path_clean(char *path)
{
	while (path_drop_amp_once(path) || path_drop_dot_segment(path))
		;
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

/* One pass of every rule over url.  Returns a string the caller frees,
 * or NULL. */
static char *canon_once(const char *url)
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
	path_clean(path);
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

/* Passes of canon_once() before giving up on reaching a fixed point. */
#define CANON_MAX_PASSES 4

/*
 * Each rule reaches its own fixed point, but a canonical URL is parsed
 * again by curl, which may still see something to do (a dot segment an
 * AMP rule exposed, a host or port written differently).  So the result
 * is checked by one more pass, and a URL that does not settle within
 * CANON_MAX_PASSES is refused: canon_url(canon_url(u)) == canon_url(u)
 * for every u (fuzz/fuzz_canon_url.c checks it), else two copies of a
 * story could be keyed differently depending on which form a feed used.
 */
char *canon_url(const char *url)
{
	char *cur = canon_once(url), *next;
	int pass;

	for (pass = 1; cur && pass < CANON_MAX_PASSES; pass++) {
		next = canon_once(cur);
		if (next && strcmp(next, cur) == 0) {
			free(next);
			return cur;
		}
		free(cur);
		cur = next;
	}
	free(cur);
	return NULL;
}

int canon_url_is_page(const char *canonical)
{
	const char *p;

	if (!canonical || strncmp(canonical, "https://", 8) != 0)
		return 0;
	p = strchr(canonical + 8, '/');
	return p && (p[1] != '\0');
}
