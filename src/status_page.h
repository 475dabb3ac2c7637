/*
 * status_page.h — the HTML page at `/` (SPEC.md: HTTP endpoint): what
 * feedmux republishes (merged and section feeds, with <link
 * rel="alternate"> autodiscovery), each source feed's state, and the
 * newest entries.  Plain HTML with a little inline CSS: no JavaScript,
 * readable on a phone.
 */
#ifndef FEEDMUX_STATUS_PAGE_H
#define FEEDMUX_STATUS_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "store.h"

struct config;

/* Everything the page shows.  All borrowed for the call. */
struct status_page {
	const struct config *cfg;	/* title, base_url, sections, feeds */
	const struct store_feed *feeds;	/* store_feed_list() */
	size_t n_feeds;
	const struct store_item *items;	/* the newest entries, newest first */
	size_t n_items;
	int64_t now;			/* Unix seconds, for "5 min ago" */
};

/* Appends the page to out; every string from feeds, items or the
 * configuration is HTML-escaped. */
void status_page_render(const struct status_page *p, struct buf *out);

/* Appends s HTML-escaped (& < > " ') for text and attribute values; NULL
 * appends nothing. */
void status_page_escape(struct buf *out, const char *s);

/* Appends "3 min ago", "in 2 h", "just now" for t seen at now. */
void status_page_ago(struct buf *out, int64_t t, int64_t now);

#endif
