/*
 * canon_url.h — the canonical form of an article URL, so that two feeds
 * linking the same page with different tracking decorations are seen as
 * the same story (DESIGN.md: Deduplication, ring 2).
 */
#ifndef FEEDMUX_CANON_URL_H
#define FEEDMUX_CANON_URL_H

/*
 * Returns the canonical form of url (a string the caller frees), or NULL
 * when url is NULL, not http(s), or cannot be parsed.  Rules, each safe
 * for news article pages:
 *  - http and https are one scheme (written https); host lowercased, a
 *    trailing dot, "www.", and the mobile/AMP host labels "m.", "mobile.",
 *    "wap.", "amp." dropped; default ports dropped; user info dropped;
 *  - fragment dropped (RFC 3986 §3.5: it never reaches the server);
 *  - path: dot segments resolved (RFC 3986 §5.2.4), a trailing "/" after
 *    a non-empty path, and AMP variants ("/amp/" prefix, "/amp" suffix,
 *    ".amp" before the extension) removed;
 *  - query: tracking parameters (utm_*, fbclid, gclid, spm, ...) and AMP
 *    switches (amp, outputType=amp) dropped, the rest sorted.
 * Each rule is applied until it no longer fires, so the result is
 * canonical already: canon_url(canon_url(u)) equals canon_url(u).
 */
char *canon_url(const char *url);

/* 1 if the canonical URL names a specific page (a path other than "/"),
 * 0 for a site's root, which many items may link. */
int canon_url_is_page(const char *canonical);

#endif
