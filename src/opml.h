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

/*
 * Like opml_read(), and also sets *err_line on failure: the line of the
 * file the problem is at, or 0 when it is about the file as a whole (it
 * could not be opened or read).  opml_read() puts "line N: " before such
 * messages instead.
 */
int opml_read_at(const char *path, struct opml_outline **out, size_t *n,
		 int *err_line, char *err, size_t errlen);

/*
 * Turns text into a name matching [A-Za-z0-9_.-]+: lowercase, every run of
 * other characters becomes one '-', no '-' at either end.  Returns
 * fallback when nothing is left (or text is NULL).  The caller frees the
 * result.
 */
char *opml_slug(const char *text, const char *fallback);

#endif
