/*
 * render.c — the Atom 1.0 output feed (RFC 4287), and the helpers every
 * output format shares: entry ids, the updated-date fallback, the entry
 * title fallback, and text made safe for XML 1.0.  The xmlTextWriter
 * plumbing is in render_xml.c; RSS, JSON Feed, OPML and the status page
 * have their own files.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "buf.h"
#include "date.h"
#include "entry.h"
#include "render.h"
#include "render_int.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define MEDIA_NS "http://search.yahoo.com/mrss/"	/* Media RSS 1.5.1 */
/* RFC 4151 tag: URIs need an authority and a date the authority owned it. */
#define TAG_PREFIX "tag:feedmux,2026:"
#define UTF8_INVALID UINT32_MAX	/* utf8_decode()'s "ill-formed" */

/* ---- text made safe for XML 1.0 ---------------------------------------- */

/*
 * Decodes one UTF-8 sequence at p (NUL-terminated) into *cp and returns
 * its length.  An ill-formed sequence gives UTF8_INVALID and the length
 * of its maximal subpart (Unicode §3.9, Table 3-7), so the next valid
 * character is never swallowed.  Overlong forms and surrogates are
 * ill-formed.
 */
static size_t utf8_decode(const unsigned char *p, uint32_t *cp)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need, i;
	uint32_t c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		need = 1;
		c = p[0] & 0x1F;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		need = 2;
		c = p[0] & 0x0F;
		if (p[0] == 0xE0)
			lo = 0xA0;	/* overlong */
		else if (p[0] == 0xED)
			hi = 0x9F;	/* surrogates */
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		need = 3;
		c = p[0] & 0x07;
		if (p[0] == 0xF0)
			lo = 0x90;	/* overlong */
		else if (p[0] == 0xF4)
			hi = 0x8F;	/* beyond U+10FFFF */
	} else {
		*cp = UTF8_INVALID;
		return 1;
	}
	for (i = 1; i <= need; i++) {
		if (p[i] < lo || p[i] > hi) {
			*cp = UTF8_INVALID;
			return i;
		}
		c = (c << 6) | (p[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = c;
	return need + 1;
}

/* XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD]
 * | [#x10000-#x10FFFF] */
static int is_xml_char(uint32_t c)
{
	return c == 0x9 || c == 0xA || c == 0xD ||
	       (c >= 0x20 && c <= 0xD7FF) ||
	       (c >= 0xE000 && c <= 0xFFFD) ||
	       (c >= 0x10000 && c <= 0x10FFFF);
}

char *render_xml_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf b = {0};
	uint32_t c;
	size_t n;

	if (!s)
		return NULL;
	while (*p) {
		n = utf8_decode(p, &c);
		if (c == UTF8_INVALID)
			buf_append(&b, "\xEF\xBF\xBD", 3);	/* U+FFFD */
		else if (is_xml_char(c))
			buf_append(&b, p, n);
		p += n;
	}
	return buf_steal(&b);
}

/* ---- entry ids and dates ------------------------------------------------ */

static int is_ascii_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_ascii_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') ||
	       (c >= 'a' && c <= 'f');
}

/*
 * Whether s has the shape of an absolute IRI (RFC 3987 §2.2): a scheme
 * (RFC 3986 §3.1), a colon, something after it, no spaces or characters
 * IRIs exclude, and well-formed percent escapes.
 */
static int is_absolute_iri(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!is_ascii_alpha(*p))
		return 0;
	while (is_ascii_alpha(*p) || (*p >= '0' && *p <= '9') ||
	       *p == '+' || *p == '-' || *p == '.')
		p++;
	if (*p != ':' || p[1] == '\0')
		return 0;
	for (p++; *p; p++) {
		if (*p <= 0x20 || *p == 0x7F || strchr("<>\"{}|\\^`", *p))
			return 0;
		if (*p == '%' && !(is_ascii_hex(p[1]) && is_ascii_hex(p[2])))
			return 0;
	}
	return 1;
}

/* Appends s with every byte but RFC 3986 unreserved ones percent-encoded. */
static void buf_put_pct(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; p && *p; p++) {
		if (is_ascii_alpha(*p) || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~')
			buf_append(b, p, 1);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

/* A guid is used as it is only if it is an IRI and already clean text. */
static int guid_is_atom_id(const char *guid)
{
	char *clean;
	int same;

	if (!is_absolute_iri(guid))
		return 0;
	clean = render_xml_clean(guid);
	same = strcmp(clean, guid) == 0;
	free(clean);
	return same;
}

char *render_entry_id(const struct store_item *it)
{
	const char *guid = it->e.guid;
	struct buf b = {0};

	if (guid && *guid && guid_is_atom_id(guid))
		return xstrdup(guid);
	buf_puts(&b, TAG_PREFIX);
	buf_puts(&b, guid && *guid ? "guid/" : "item/");
	buf_put_pct(&b, it->feed_name ? it->feed_name : "");
	buf_puts(&b, "/");
	if (guid && *guid)
		buf_put_pct(&b, guid);
	else
		buf_printf(&b, "%" PRId64, it->item_id);
	return buf_steal(&b);
}

int64_t render_entry_updated(const struct store_item *it)
{
	if (it->e.updated != ENTRY_NO_DATE)
		return it->e.updated;
	if (it->e.published != ENTRY_NO_DATE)
		return it->e.published;
	return it->first_seen;
}

/* ---- Atom --------------------------------------------------------------- */

/* RFC 4287 §4.2.11: where the entry came from, so readers can credit it. */
static int atom_source(xmlTextWriterPtr w, const struct store_item *it)
{
	const char *id = has_text(it->feed_source_id) ? it->feed_source_id
						       : it->feed_url;
	const char *title = has_text(it->feed_title) ? it->feed_title
						      : it->feed_name;

	if (put_start(w, "source") || put_elem(w, "id", id) ||
	    put_typed(w, "title", "text", title))
		return -1;
	if (has_text(it->feed_link) &&
	    put_link(w, "alternate", NULL, it->feed_link))
		return -1;
	if (has_text(it->feed_url) && put_link(w, "self", NULL, it->feed_url))
		return -1;
	if (it->feed_updated != ENTRY_NO_DATE &&
	    put_date(w, "updated", it->feed_updated))
		return -1;
	return put_end(w);
}

/* An entry's title is required (§4.1.2); without one, its link says most. */
const char *render_entry_title(const struct entry *e)
{
	if (has_text(e->title))
		return e->title;
	if (has_text(e->link))
		return e->link;
	return UNTITLED;
}

/* SPEC.md (Output feeds): each other copy of the story as
 * <link rel="related" href="COPY-URL" title="COPY-FEED-TITLE"/>
 * (RFC 4287 §4.2.7.2); a copy without a link has nothing to point at. */
static int atom_copies(xmlTextWriterPtr w, const struct store_item *it)
{
	const struct store_copy *c;
	size_t i;

	for (i = 0; i < it->n_copies; i++) {
		c = &it->copies[i];
		if (!has_text(c->url))
			continue;
		if (put_start(w, "link") || put_attr(w, "rel", "related") ||
		    put_attr(w, "href", c->url) ||
		    put_attr(w, "title", has_text(c->feed_title) ? c->feed_title
								  : c->feed_name) ||
		    put_end(w))
			return -1;
	}
	return 0;
}

/* RFC 4287 §3.2: a Person construct; name is required, so an email
 * stands in for a missing one. */
static int atom_person(xmlTextWriterPtr w, const char *elem,
		       const struct entry_person *p)
{
	const char *name = has_text(p->name) ? p->name : p->email;

	if (!has_text(name) && !has_text(p->uri))
		return 0;
	if (put_start(w, elem) ||
	    put_elem(w, "name", has_text(name) ? name : p->uri))
		return -1;
	if (has_text(p->uri) && put_elem(w, "uri", p->uri))
		return -1;
	if (has_text(p->email) && put_elem(w, "email", p->email))
		return -1;
	return put_end(w);
}

/* Every author and contributor the source named (§4.2.1, §4.2.3). */
static int atom_people(xmlTextWriterPtr w, const struct entry *e)
{
	size_t i;

	if (e->n_authors == 0 && has_text(e->author) &&
	    put_author(w, e->author))
		return -1;
	for (i = 0; i < e->n_authors; i++)
		if (atom_person(w, "author", &e->authors[i]))
			return -1;
	for (i = 0; i < e->n_contributors; i++)
		if (atom_person(w, "contributor", &e->contributors[i]))
			return -1;
	return 0;
}

/* §4.2.2: term, and the scheme and label the source gave. */
static int atom_categories(xmlTextWriterPtr w, const struct entry *e)
{
	const struct entry_category_info *ci;
	size_t i;

	for (i = 0; i < e->n_categories; i++) {
		if (!has_text(e->categories[i]))
			continue;	/* §4.2.2.1: term is required */
		ci = e->category_info ? &e->category_info[i] : NULL;
		if (put_start(w, "category") ||
		    put_attr(w, "term", e->categories[i]))
			return -1;
		if (ci && has_text(ci->scheme) && put_attr(w, "scheme", ci->scheme))
			return -1;
		if (ci && has_text(ci->label) && put_attr(w, "label", ci->label))
			return -1;
		if (put_end(w))
			return -1;
	}
	return 0;
}

/* An enclosure as <link rel="enclosure" type length title href/>
 * (§4.2.7.2); a thumbnail as Media RSS <media:thumbnail url/>, which
 * Atom has no link relation for. */
static int atom_enclosure(xmlTextWriterPtr w, const struct entry_enclosure *enc)
{
	char len[24];

	if (!has_text(enc->url))
		return 0;
	if (enc->kind == ENTRY_MEDIA_THUMBNAIL) {
		if (xmlTextWriterStartElementNS(w, BAD_CAST "media",
						BAD_CAST "thumbnail", NULL) < 0 ||
		    put_attr(w, "url", enc->url))
			return -1;
		return put_end(w);
	}
	if (put_start(w, "link") || put_attr(w, "rel", "enclosure"))
		return -1;
	if (has_text(enc->type) && put_attr(w, "type", enc->type))
		return -1;
	if (enc->length > 0) {
		snprintf(len, sizeof len, "%lld", (long long)enc->length);
		if (put_attr(w, "length", len))
			return -1;
	}
	if (has_text(enc->title) && put_attr(w, "title", enc->title))
		return -1;
	if (put_attr(w, "href", enc->url))
		return -1;
	return put_end(w);
}

/*
 * The links beyond the alternate: enclosures; the comments page as
 * rel="replies" (RFC 4685 §3); the feed the source itself credited as
 * rel="via" (§4.2.7.2) -- <source> is taken by the feed the entry came
 * through (SPEC.md).
 */
static int atom_more_links(xmlTextWriterPtr w, const struct entry *e)
{
	const struct entry_source *src = &e->source;
	const char *via = has_text(src->link) ? src->link : src->feed_url;
	size_t i;

	for (i = 0; i < e->n_enclosures; i++)
		if (atom_enclosure(w, &e->enclosures[i]))
			return -1;
	if (has_text(e->comments) &&
	    put_link(w, "replies", "text/html", e->comments))
		return -1;
	if (!has_text(via))
		return 0;
	if (put_start(w, "link") || put_attr(w, "rel", "via"))
		return -1;
	if (has_text(src->title) && put_attr(w, "title", src->title))
		return -1;
	if (put_attr(w, "href", via))
		return -1;
	return put_end(w);
}

static int atom_entry_body(xmlTextWriterPtr w, const struct store_item *it)
{
	const struct entry *e = &it->e;

	if (put_typed(w, "title", "text", render_entry_title(e)))
		return -1;
	if (has_text(e->link) && put_link(w, "alternate", NULL, e->link))
		return -1;
	if (atom_copies(w, it) || atom_more_links(w, e))
		return -1;
	if (e->published != ENTRY_NO_DATE &&
	    put_date(w, "published", e->published))
		return -1;
	if (put_date(w, "updated", render_entry_updated(it)))
		return -1;
	if (atom_people(w, e) || atom_categories(w, e))
		return -1;
	if (has_text(e->summary) && put_typed(w, "summary", "html", e->summary))
		return -1;
	if (has_text(e->content) && put_typed(w, "content", "html", e->content))
		return -1;
	return atom_source(w, it);
}

static int atom_entry(xmlTextWriterPtr w, const struct store_item *it)
{
	char *id = render_entry_id(it);
	int rc;

	rc = (put_start(w, "entry") ||
	      /* xml:lang (XML 1.0 §2.12) is the language of what it holds */
	      (has_text(it->e.language) &&
	       put_attr(w, "xml:lang", it->e.language)) ||
	      put_elem(w, "id", id) ||
	      atom_entry_body(w, it) || put_end(w)) ? -1 : 0;
	free(id);
	return rc;
}

/* The feed's updated date, required in Atom (§4.1.1). */
int64_t render_feed_updated(int64_t m_updated, const struct store_item *items,
			    size_t n)
{
	int64_t t = m_updated, u;
	size_t i;

	if (t != ENTRY_NO_DATE)
		return t;
	t = 0;
	for (i = 0; i < n; i++) {
		u = render_entry_updated(&items[i]);
		if (u > t)
			t = u;
	}
	return t;
}

static int atom_feed_head(xmlTextWriterPtr w, const struct render_meta *m,
			  int64_t updated)
{
	if (put_elem(w, "id", m->id) ||
	    put_typed(w, "title", "text", m->title))
		return -1;
	if (has_text(m->subtitle) &&
	    put_typed(w, "subtitle", "text", m->subtitle))
		return -1;
	if (put_date(w, "updated", updated) ||
	    put_link(w, "self", "application/atom+xml", m->self_url))
		return -1;
	if (has_text(m->alt_url) &&
	    put_link(w, "alternate", "text/html", m->alt_url))
		return -1;
	/* RFC 5005 §3: the next (older) page of a paged feed. */
	if (has_text(m->next_url) &&
	    put_link(w, "next", "application/atom+xml", m->next_url))
		return -1;
	if (has_text(m->icon) && put_elem(w, "icon", m->icon))
		return -1;	/* §4.2.5; before the author, order is free */
	if (put_start(w, "generator") || put_attr(w, "uri", GENERATOR_URI) ||
	    put_attr(w, "version", PACKAGE_VERSION) ||
	    put_text(w, GENERATOR_NAME) || put_end(w))
		return -1;
	/* §4.1.1: with a feed-level author, every entry has one. */
	return put_author(w, m->title);
}

static int atom_document(xmlTextWriterPtr w, const struct render_meta *m,
			 const struct store_item *items, size_t n)
{
	size_t i;

	if (xmlTextWriterStartDocument(w, "1.0", "utf-8", NULL) < 0 ||
	    xmlTextWriterStartElementNS(w, NULL, BAD_CAST "feed",
					BAD_CAST ATOM_NS) < 0 ||
	    put_attr(w, "xmlns:media", MEDIA_NS))
		return -1;
	if (atom_feed_head(w, m, render_feed_updated(m->updated, items, n)))
		return -1;
	for (i = 0; i < n; i++)
		if (atom_entry(w, &items[i]))
			return -1;
	if (xmlTextWriterEndDocument(w) < 0 || xmlTextWriterFlush(w) < 0)
		return -1;
	return 0;
}

int render_atom(const struct render_meta *m, const struct store_item *items,
		size_t n, struct buf *out)
{
	return render_items_document(out, atom_document, m, items, n);
}
