/*
 * render_int.h — what the renderers (render.c: Atom, render_rss.c,
 * render_json.c, render_opml.c, status_page.c) share and nothing else
 * uses: an xmlTextWriter that appends to a struct buf, and small element
 * writers that pass every string through render_xml_clean() first.
 *
 * Every put_* returns 0, or -1 when libxml2 failed; the strings are
 * borrowed for the call.
 */
#ifndef FEEDMUX_RENDER_INT_H
#define FEEDMUX_RENDER_INT_H

#include <stdint.h>

#include <libxml/xmlwriter.h>

#include "buf.h"
#include "store.h"

#define UNTITLED "(untitled)"
#define GENERATOR_URI "https://github.com/feedmux/feedmux"
#define GENERATOR_NAME "feedmux"
#define RENDER_DATE_LEN 40

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"	/* configure passes the real one with -D */
#endif

/* A writer appending to out (borrowed for the writer's life), indenting
 * with tabs, or NULL.  Free with xmlFreeTextWriter(). */
xmlTextWriterPtr writer_new(struct buf *out);
/* Cuts out back to len start after a failed render: no half a document. */
void render_truncate(struct buf *out, size_t start);

struct render_meta;

/* Writes one whole document of items to out with doc() on a new writer;
 * on failure out is left as it was.  0 or -1. */
typedef int (*render_items_fn)(xmlTextWriterPtr w, const struct render_meta *m,
			       const struct store_item *items, size_t n);
int render_items_document(struct buf *out, render_items_fn doc,
			  const struct render_meta *m,
			  const struct store_item *items, size_t n);

int put_start(xmlTextWriterPtr w, const char *name);
int put_end(xmlTextWriterPtr w);
int put_attr(xmlTextWriterPtr w, const char *name, const char *value);
int put_text(xmlTextWriterPtr w, const char *text);
/* <name>text</name> */
int put_elem(xmlTextWriterPtr w, const char *name, const char *text);
/* <name type="type">text</name> (RFC 4287 §3.1 Text constructs) */
int put_typed(xmlTextWriterPtr w, const char *name, const char *type,
	      const char *text);
/* <name>RFC 3339 date</name> (RFC 4287 §3.3) */
int put_date(xmlTextWriterPtr w, const char *name, int64_t t);
/* <link rel="rel" [type="type"] href="href"/> (RFC 4287 §4.2.7) */
int put_link(xmlTextWriterPtr w, const char *rel, const char *type,
	     const char *href);
/* <author><name>name</name></author> (RFC 4287 §3.2) */
int put_author(xmlTextWriterPtr w, const char *name);

/* s is non-NULL and non-empty. */
int has_text(const char *s);

/* An entry's title: its own, else its link, else UNTITLED (every format
 * wants one a reader can show). */
const char *render_entry_title(const struct entry *e);
/* The feed's updated date: m_updated unless ENTRY_NO_DATE, else the
 * newest entry's. */
int64_t render_feed_updated(int64_t m_updated, const struct store_item *items,
			    size_t n);

#endif
