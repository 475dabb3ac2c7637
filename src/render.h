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
};

/*
 * Appends an Atom 1.0 document (RFC 4287) for items, in the given order,
 * to out.  Each entry keeps its source's id (a tag: URI made from the
 * feed and item ids when it has none) and carries <source> (§4.2.11).
 * Returns 0, or -1 if libxml2 failed.
 */
int render_atom(const struct render_meta *m, const struct store_item *items,
		size_t n, struct buf *out);

#endif
