/*
 * render_xml.c — the xmlTextWriter plumbing every XML output shares: a
 * writer that appends to a struct buf through our own write callback (so
 * escaping is libxml2's), and element writers that make each string
 * valid XML 1.0 text first (the writer does not check UTF-8 or Char).
 */
#include <stdlib.h>

#include "buf.h"
#include "date.h"
#include "entry.h"
#include "render.h"
#include "render_int.h"

/* ---- xmlTextWriter into a struct buf ------------------------------------ */

static int on_xml_write(void *ctx, const char *data, int len)
{
	buf_append(ctx, data, (size_t)len);
	return len;
}

static int on_xml_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* A writer appending to out (borrowed for the writer's life), or NULL. */
xmlTextWriterPtr writer_new(struct buf *out)
{
	xmlOutputBufferPtr ob;
	xmlTextWriterPtr w;

	ob = xmlOutputBufferCreateIO(on_xml_write, on_xml_close, out, NULL);
	if (!ob)
		return NULL;
	w = xmlNewTextWriter(ob);	/* owns ob from here on */
	if (!w) {
		xmlOutputBufferClose(ob);
		return NULL;
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "\t");
	return w;
}

int put_start(xmlTextWriterPtr w, const char *name)
{
	return xmlTextWriterStartElement(w, BAD_CAST name) < 0 ? -1 : 0;
}

int put_end(xmlTextWriterPtr w)
{
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

int put_attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	char *clean = render_xml_clean(value ? value : "");
	int rc = xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST clean);

	free(clean);
	return rc < 0 ? -1 : 0;
}

int put_text(xmlTextWriterPtr w, const char *text)
{
	char *clean = render_xml_clean(text ? text : "");
	int rc = xmlTextWriterWriteString(w, BAD_CAST clean);

	free(clean);
	return rc < 0 ? -1 : 0;
}

/* <name>text</name> */
int put_elem(xmlTextWriterPtr w, const char *name, const char *text)
{
	if (put_start(w, name) || put_text(w, text))
		return -1;
	return put_end(w);
}

/* <name type="type">text</name> (RFC 4287 §3.1 Text constructs) */
int put_typed(xmlTextWriterPtr w, const char *name, const char *type,
		     const char *text)
{
	if (put_start(w, name) || put_attr(w, "type", type) ||
	    put_text(w, text))
		return -1;
	return put_end(w);
}

/* <name>RFC 3339 date</name> (RFC 4287 §3.3) */
int put_date(xmlTextWriterPtr w, const char *name, int64_t t)
{
	char date[RENDER_DATE_LEN];

	date_format_rfc3339(t, date, sizeof date);
	return put_elem(w, name, date);
}

/* <link rel="rel" [type="type"] href="href"/> (RFC 4287 §4.2.7) */
int put_link(xmlTextWriterPtr w, const char *rel, const char *type,
		    const char *href)
{
	if (put_start(w, "link") || put_attr(w, "rel", rel))
		return -1;
	if (type && put_attr(w, "type", type))
		return -1;
	if (put_attr(w, "href", href))
		return -1;
	return put_end(w);
}

/* <author><name>name</name></author> (RFC 4287 §3.2) */
int put_author(xmlTextWriterPtr w, const char *name)
{
	if (put_start(w, "author") || put_elem(w, "name", name))
		return -1;
	return put_end(w);
}

int has_text(const char *s)
{
	return s && *s;
}


void render_truncate(struct buf *out, size_t start)
{
	out->len = start;
	if (out->data)
		out->data[start] = '\0';
}

int render_items_document(struct buf *out, render_items_fn doc,
			  const struct render_meta *m,
			  const struct store_item *items, size_t n)
{
	size_t start = out->len;
	xmlTextWriterPtr w = writer_new(out);
	int rc;

	if (!w)
		return -1;
	rc = doc(w, m, items, n);
	xmlFreeTextWriter(w);
	if (rc)
		render_truncate(out, start);
	return rc;
}
