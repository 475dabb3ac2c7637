/*
 * render.h — output feeds written with libxml2's xmlTextWriter.
 */
#ifndef FEEDMUX_RENDER_H
#define FEEDMUX_RENDER_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "store.h"

/* What the output feed says about itself.  All borrowed. */
struct render_meta {
	const char *title;
	const char *subtitle;	/* may be NULL */
	const char *id;		/* the feed's Atom id: its absolute URL */
	const char *self_url;	/* absolute URL of this document */
	const char *alt_url;	/* absolute URL of the HTML page, may be NULL */
	int64_t updated;	/* newest change, Unix seconds */
	const char *icon;	/* absolute URL of the feed's icon, may be NULL */
	const char *next_url;	/* RFC 5005 next (older) page, NULL on the last */
};

/*
 * Appends an Atom 1.0 document (RFC 4287) for items, in the given order,
 * to out.  Each entry keeps its source's id (a tag: URI made from the
 * feed and item ids when it has none) and carries <source> (§4.2.11).
 * Returns 0, or -1 if libxml2 failed.
 */
int render_atom(const struct render_meta *m, const struct store_item *items,
		size_t n, struct buf *out);

/*
 * Appends an RSS 2.0 document for items to out: atom:link rel="self" (and
 * rel="next" when paged), guid with isPermaLink true only for a permalink,
 * <source url> naming the source feed.  Returns 0, or -1 if libxml2 failed.
 */
int render_rss(const struct render_meta *m, const struct store_item *items,
	       size_t n, struct buf *out);

/*
 * Appends a JSON Feed 1.1 document for items to out; each item carries
 * "_feedmux": {"feed": its source, "copies": [{"url", "feed"}]} (copies
 * only when there are some).  Returns 0.
 */
int render_json(const struct render_meta *m, const struct store_item *items,
		size_t n, struct buf *out);
/* Appends s as a JSON string (RFC 8259 §7), quotes included, invalid UTF-8
 * as U+FFFD.  NULL is "". */
void render_json_string(struct buf *b, const char *s);

/*
 * Appends the subscription list as OPML 2.0 to out: one category outline
 * per section of cfg holding its feeds, then the feeds in no section.
 * feeds (n, from store_feed_list) give titles and site links; m gives
 * the title and m->updated the dateModified.  Returns 0, or -1.
 */
struct config;
int render_opml(const struct render_meta *m, const struct config *cfg,
		const struct store_feed *feeds, size_t n, struct buf *out);

/*
 * Helpers shared by the renderers (render_atom here; RSS and JSON Feed
 * renderers use the same ones so every format agrees).
 */

/*
 * The entry's Atom id (an IRI, RFC 4287 §4.2.6): its guid when that is an
 * absolute IRI; a guid that is not becomes
 * "tag:feedmux,2026:guid/<feed_name>/<guid percent-encoded>"; without a
 * guid, "tag:feedmux,2026:item/<feed_name>/<item_id>" (RFC 4151).
 * Returns a string the caller frees.
 */
char *render_entry_id(const struct store_item *it);

/* The entry's updated date: updated, else published, else first seen
 * (RFC 4287 §4.1.2 requires one). */
int64_t render_entry_updated(const struct store_item *it);

/*
 * s as text every XML 1.0 document may hold (§2.2 Char): invalid UTF-8
 * becomes U+FFFD, characters outside Char (C0 controls but tab, LF, CR;
 * U+FFFE, U+FFFF) are dropped.  NULL in, NULL out; else returns a string
 * the caller frees.
 */
char *render_xml_clean(const char *s);

#endif
