/*
 * status_page.c — the HTML page at `/`: the feeds feedmux republishes
 * (with autodiscovery links, so pasting the address into a feed reader
 * finds them), each source feed's health, the newest entries.
 *
 * Built with buf_printf and one escaper: the page is small, and every
 * value that comes from a feed or the configuration goes through
 * status_page_escape().  Links from feeds are only made clickable when
 * they are http(s), so a feed cannot put a javascript: URL on the page.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "date.h"
#include "poll.h"
#include "render.h"
#include "render_int.h"
#include "status_page.h"

#define STATUS_ENTRIES_MAX 30
#define MINUTE_S 60
#define HOUR_S 3600
#define DAY_S 86400

/* Small enough to read, no external files: the page works offline. */
static const char STYLE[] =
	"body{font:16px/1.45 system-ui,sans-serif;margin:0 auto;"
	"max-width:60em;padding:0 1em 2em;color:#222;background:#fff}"
	"h1{margin:.6em 0 .2em}h2{margin:1.4em 0 .4em;font-size:1.2em}"
	"a{color:#0645ad}small,.muted{color:#666}"
	".wrap{overflow-x:auto}table{border-collapse:collapse;width:100%}"
	"th,td{text-align:left;padding:.3em .5em;border-bottom:1px solid #ddd;"
	"vertical-align:top}th{font-weight:600}"
	".ok{color:#17692b}.failing{color:#b00020;font-weight:600}"
	".repaired{color:#8a5300}"
	".waiting,.retrying{color:#8a6d00}ol{padding-left:1.4em}li{margin:.3em 0}"
	"@media(prefers-color-scheme:dark){body{background:#111;color:#ddd}"
	"a{color:#8ab4f8}small,.muted{color:#999}th,td{border-color:#333}}";

void status_page_escape(struct buf *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&#39;"); break;
		default: buf_append(out, s, 1);
		}
	}
}

/* Escaped, and made valid UTF-8 first (a browser would show garbage). */
static void put_esc(struct buf *out, const char *s)
{
	char *clean = render_xml_clean(s);

	status_page_escape(out, clean);
	free(clean);
}

void status_page_ago(struct buf *out, int64_t t, int64_t now)
{
	int64_t d = now - t, a = d < 0 ? -d : d;
	const char *unit = "s";
	int64_t n = a;

	if (a < 5) {
		buf_puts(out, "just now");
		return;
	}
	if (a >= 2 * DAY_S) {
		n = a / DAY_S;
		unit = " d";
	} else if (a >= 2 * HOUR_S) {
		n = a / HOUR_S;
		unit = " h";
	} else if (a >= 2 * MINUTE_S) {
		n = a / MINUTE_S;
		unit = " min";
	}
	if (d >= 0)
		buf_printf(out, "%" PRId64 "%s ago", n, unit);
	else
		buf_printf(out, "in %" PRId64 "%s", n, unit);
}

/* <time datetime="RFC 3339" title="RFC 3339">3 min ago</time> */
static void put_time(struct buf *out, int64_t t, int64_t now)
{
	char date[RENDER_DATE_LEN];

	date_format_rfc3339(t, date, sizeof date);
	buf_printf(out, "<time datetime=\"%s\" title=\"%s\">", date, date);
	status_page_ago(out, t, now);
	buf_puts(out, "</time>");
}

static int is_http_url(const char *s)
{
	return s && (!strncmp(s, "http://", 7) || !strncmp(s, "https://", 8));
}

/* <a href="url">text</a>, or the text alone when url is not http(s). */
static void html_link(struct buf *out, const char *url, const char *text)
{
	if (!is_http_url(url)) {
		put_esc(out, text);
		return;
	}
	buf_puts(out, "<a href=\"");
	put_esc(out, url);
	buf_puts(out, "\">");
	put_esc(out, text);
	buf_puts(out, "</a>");
}

/* ---- head ---- */

static const struct {
	const char *ext, *type, *name;
} FORMATS[] = {
	{ "atom", "application/atom+xml", "Atom" },
	{ "rss", "application/rss+xml", "RSS" },
	{ "json", "application/feed+json", "JSON Feed" },
};
#define N_FORMATS (sizeof FORMATS / sizeof FORMATS[0])

/* <link rel="alternate"> for one feed in every format (RSS Autodiscovery,
 * the HTML5 "alternate" link type).  path is "feed" or "sections/NAME". */
static void head_alternates(struct buf *out, const struct config *cfg,
			    const char *path, const char *title)
{
	size_t i;

	for (i = 0; i < N_FORMATS; i++) {
		buf_printf(out, "<link rel=\"alternate\" type=\"%s\" title=\"",
			   FORMATS[i].type);
		put_esc(out, title);
		buf_printf(out, " (%s)\" href=\"", FORMATS[i].name);
		put_esc(out, cfg->base_url);
		buf_printf(out, "%s.%s\">\n", path, FORMATS[i].ext);
	}
}

static void page_head(struct buf *out, const struct config *cfg)
{
	struct buf path = { 0 };
	size_t i;

	buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		 "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
		 "content=\"width=device-width, initial-scale=1\">\n<title>");
	put_esc(out, cfg->title);
	buf_puts(out, "</title>\n");
	head_alternates(out, cfg, "feed", cfg->title);
	for (i = 0; i < cfg->n_sections; i++) {
		buf_reset(&path);
		buf_printf(&path, "sections/%s", cfg->sections[i].name);
		head_alternates(out, cfg, path.data, cfg->sections[i].title);
	}
	buf_free(&path);
	buf_printf(out, "<style>%s</style>\n</head>\n", STYLE);
}

/* ---- the feeds feedmux publishes ---- */

static void feed_links(struct buf *out, const struct config *cfg,
		       const char *path)
{
	size_t i;

	for (i = 0; i < N_FORMATS; i++) {
		buf_puts(out, i ? " · <a href=\"" : "<a href=\"");
		put_esc(out, cfg->base_url);
		buf_printf(out, "%s.%s\">%s</a>", path, FORMATS[i].ext,
			   FORMATS[i].name);
	}
}

static void page_outputs(struct buf *out, const struct config *cfg)
{
	const struct config_section *sec;
	struct buf path = { 0 };
	size_t i;

	buf_puts(out, "<section id=\"feeds\">\n<h2>Feeds</h2>\n<div class=\"wrap\">"
		 "<table>\n<thead><tr><th>Feed</th><th>Subscribe</th></tr>"
		 "</thead>\n<tbody>\n<tr><td><strong>");
	put_esc(out, cfg->title);
	buf_puts(out, "</strong><br><small>all sections, merged</small></td><td>");
	feed_links(out, cfg, "feed");
	buf_puts(out, "</td></tr>\n");
	for (i = 0; i < cfg->n_sections; i++) {
		sec = &cfg->sections[i];
		buf_reset(&path);
		buf_printf(&path, "sections/%s", sec->name);
		buf_puts(out, "<tr class=\"section\"><td>");
		put_esc(out, sec->title);
		if (has_text(sec->description)) {
			buf_puts(out, "<br><small>");
			put_esc(out, sec->description);
			buf_puts(out, "</small>");
		}
		buf_puts(out, "</td><td>");
		feed_links(out, cfg, path.data);
		buf_puts(out, "</td></tr>\n");
	}
	buf_free(&path);
	buf_puts(out, "</tbody></table></div>\n<p>Every source feed as a "
		 "subscription list: <a href=\"");
	put_esc(out, cfg->base_url);
	buf_puts(out, "feeds.opml\">OPML</a></p>\n</section>\n");
}

/* ---- the source feeds ---- */

/* RFC 9110 §15 reason phrases for what a poll usually gets. */
static const char *reason_phrase(int status)
{
	switch (status) {
	case 200: return "OK";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 304: return "Not Modified";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 410: return "Gone";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	}
	return "";
}

/* The state column: ok, retrying / failing (n in a row), or waiting. */
static void source_state(struct buf *out, const struct store_feed *f)
{
	if (f->last_poll == 0)
		buf_puts(out, "<td class=\"waiting\">waiting for the first poll</td>");
	else if (f->gone)
		buf_puts(out, "<td class=\"failing\">gone: no longer polled</td>");
	else if (poll_is_failing(f->errors))
		buf_printf(out, "<td class=\"failing\">failing (%d in a row)</td>",
			   f->errors);
	else if (f->errors > 0)
		buf_printf(out, "<td class=\"retrying\">retrying (%d error%s)</td>",
			   f->errors, f->errors == 1 ? "" : "s");
	else
		buf_puts(out, "<td class=\"ok\">ok</td>");
}

/* The result column: the HTTP status in words, and the error if any. */
static void source_result(struct buf *out, const struct store_feed *f)
{
	buf_puts(out, "<td>");
	if (f->last_status > 0)
		buf_printf(out, "HTTP %d %s", f->last_status,
			   reason_phrase(f->last_status));
	if (has_text(f->last_error)) {
		buf_puts(out, f->last_status > 0 ? "<br>" : "");
		buf_puts(out, "<span class=\"failing\">");
		put_esc(out, f->last_error);
		buf_puts(out, "</span>");
	}
	if (has_text(f->repair)) {
		buf_puts(out, "<br><span class=\"repaired\">repaired: ");
		put_esc(out, f->repair);
		buf_puts(out, "</span>");
	}
	if (f->last_status <= 0 && !has_text(f->last_error))
		buf_puts(out, "<span class=\"muted\">—</span>");
	buf_puts(out, "</td>");
}

static void source_row(struct buf *out, const struct store_feed *f,
		       int64_t now)
{
	buf_puts(out, "<tr><td>");
	html_link(out, f->link, has_text(f->title) ? f->title : f->name);
	buf_puts(out, "<br><small>");
	put_esc(out, f->name);
	buf_puts(out, " · ");
	html_link(out, f->url, "source");
	buf_puts(out, "</small></td>");
	source_state(out, f);
	buf_puts(out, "<td>");
	if (f->last_poll > 0)
		put_time(out, f->last_poll, now);
	else
		buf_puts(out, "never");
	buf_puts(out, "</td>");
	source_result(out, f);
	buf_puts(out, "<td>");
	if (f->next_poll > now)
		put_time(out, f->next_poll, now);
	else
		buf_puts(out, "due now");
	buf_printf(out, "</td><td>%" PRId64 "</td></tr>\n", f->items);
}

static void page_sources(struct buf *out, const struct status_page *p)
{
	size_t i, failing = 0;

	for (i = 0; i < p->n_feeds; i++)
		failing += p->feeds[i].gone || poll_is_failing(p->feeds[i].errors);
	buf_printf(out, "<section id=\"sources\">\n<h2>Sources</h2>\n"
		   "<p>%zu feeds, %zu failing.</p>\n<div class=\"wrap\"><table>\n"
		   "<thead><tr><th>Feed</th><th>State</th><th>Last fetch</th>"
		   "<th>Result</th><th>Next poll</th><th>Items</th></tr></thead>"
		   "\n<tbody>\n", p->n_feeds, failing);
	for (i = 0; i < p->n_feeds; i++)
		source_row(out, &p->feeds[i], p->now);
	buf_puts(out, "</tbody></table></div>\n</section>\n");
}

/* ---- the newest entries ---- */

static void entry_row(struct buf *out, const struct store_item *it,
		      int64_t now)
{
	int64_t t = it->e.published != ENTRY_NO_DATE ? it->e.published
						     : it->first_seen;

	buf_puts(out, "<li>");
	html_link(out, it->e.link, render_entry_title(&it->e));
	buf_puts(out, "<br><small>");
	put_esc(out, has_text(it->feed_title) ? it->feed_title : it->feed_name);
	buf_puts(out, " · ");
	put_time(out, t, now);
	if (it->n_copies > 0)
		buf_printf(out, " · also in %zu other feed%s", it->n_copies,
			   it->n_copies == 1 ? "" : "s");
	buf_puts(out, "</small></li>\n");
}

static void page_entries(struct buf *out, const struct status_page *p)
{
	size_t i, n = p->n_items < STATUS_ENTRIES_MAX ? p->n_items
						      : STATUS_ENTRIES_MAX;

	buf_puts(out, "<section id=\"entries\">\n<h2>Newest entries</h2>\n");
	if (n == 0)
		buf_puts(out, "<p class=\"muted\">Nothing yet.</p>\n");
	else
		buf_puts(out, "<ol>\n");
	for (i = 0; i < n; i++)
		entry_row(out, &p->items[i], p->now);
	buf_puts(out, n ? "</ol>\n</section>\n" : "</section>\n");
}

void status_page_render(const struct status_page *p, struct buf *out)
{
	const struct config *cfg = p->cfg;

	page_head(out, cfg);
	buf_puts(out, "<body>\n<header><h1>");
	put_esc(out, cfg->title);
	buf_puts(out, "</h1></header>\n<main>\n");
	page_outputs(out, cfg);
	page_sources(out, p);
	page_entries(out, p);
	buf_puts(out, "</main>\n<footer><p class=\"muted\">" GENERATOR_NAME
		 " " PACKAGE_VERSION " · <a href=\"");
	put_esc(out, cfg->base_url);
	buf_puts(out, "healthz\">healthz</a></p></footer>\n</body>\n</html>\n");
}
