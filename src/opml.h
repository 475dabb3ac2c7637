/*
 * opml.h — reads an OPML 1.0/2.0 subscription list.
 *
 * Every outline with an xmlUrl is a feed; the text (or title) of its
 * nearest ancestor outline without an xmlUrl names its section.
 */
#ifndef FEEDMUX_OPML_H
#define FEEDMUX_OPML_H

#include <stddef.h>

struct opml_outline {
	char *title;	/* text, else title attribute; may be NULL */
	char *url;	/* xmlUrl */
	char *category;	/* parent outline's text; NULL at top level */
	int line;	/* line of the outline element in the file */
};

/*
 * Parses the file at path (no network, no entities, no DTD).  Returns 0
 * and an array the caller frees with opml_free(), or -1 with a message in
 * err.
 */
int opml_read(const char *path, struct opml_outline **out, size_t *n,
	      char *err, size_t errlen);
void opml_free(struct opml_outline *o, size_t n);

#endif
