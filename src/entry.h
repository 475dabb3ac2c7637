/*
 * entry.h — one item of a feed, as the parser produces it and the store
 * keeps it, and the feed-level metadata that comes with it.
 *
 * Every string is owned by the struct (malloc'd, valid UTF-8) or NULL when
 * the source did not have it.  Dates are Unix seconds, ENTRY_NO_DATE when
 * absent or unparseable (never the epoch, never "now").
 */
#ifndef FEEDMUX_ENTRY_H
#define FEEDMUX_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#define ENTRY_NO_DATE INT64_MIN

struct entry {
	char *guid;	/* Atom id / RSS guid */
	char *link;	/* absolute URL of the item's page */
	char *title;	/* plain text */
	char *summary;	/* HTML */
	char *content;	/* HTML */
	char *author;	/* display name, or email */
	char **categories;	/* owned array of owned strings */
	size_t n_categories;
	int64_t published;
	int64_t updated;
};

struct feed_meta {
	char *id;	/* Atom id, else NULL */
	char *title;	/* plain text */
	char *link;	/* the site's page (alternate link) */
	int64_t updated;
};

void entry_clear(struct entry *e);	/* frees the fields, zeroes e */
void entry_add_category(struct entry *e, const char *term);	/* copies term */
void feed_meta_clear(struct feed_meta *m);

/*
 * The key that identifies an item within its feed: "g:" + guid, else
 * "l:" + link, else "h:" + the 16-hex-digit FNV-1a 64 hash of title, a NUL, and content (summary when no content).
 * Returns a string the caller frees.
 */
char *entry_key(const struct entry *e);

#endif
