/*
 * render_rss.c — the RSS 2.0 output feed (RSS Advisory Board's RSS 2.0
 * specification, 2009), for readers that take nothing else.
 *
 * Beyond plain RSS 2.0: <atom:link rel="self"> (and rel="next" on a paged
 * feed, RFC 5005) as the RSS Advisory Board recommends, <content:encoded>
 * for full HTML content, and <dc:creator> for authors that are names
 * (RSS <author> must be an email address).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "entry.h"
#include "render.h"
#include "render_int.h"

#define RSS_ATOM_NS "http://www.w3.org/2005/Atom"
#define RSS_CONTENT_NS "http://purl.org/rss/1.0/modules/content/"
#define RSS_DC_NS "http://purl.org/dc/elements/1.1/"
#define RSS_MEDIA_NS "http://search.yahoo.com/mrss/"	/* Media RSS 1.5.1 */
#define RSS_DOCS "https://www.rssboard.org/rss-specification"

/* <name>RFC 822 date</name>: the RFC 1123 form HTTP uses is one. */
static int rss_date(xmlTextWriterPtr w, const char *name, int64_t t)
{
	char date[RENDER_DATE_LEN];

	date_format_http(t, date, sizeof date);
	return put_elem(w, name, date);
}

/* <atom:link rel="rel" type="application/rss+xml" href="href"/> */
static int rss_atom_link(xmlTextWriterPtr w, const char *rel, const char *href)
{
	if (put_start(w, "atom:link") || put_attr(w, "href", href) ||
	    put_attr(w, "rel", rel) ||
	    put_attr(w, "type", "application/rss+xml"))
		return -1;
	return put_end(w);
}

static int is_http_url(const char *s)
{
	return s && (!strncmp(s, "http://", 7) || !strncmp(s, "https://", 8));
}

/*
 * <guid>: the source's guid when it has one, else the same id the Atom
 * feed uses.  isPermaLink="true" only for an http(s) guid that is also
 * the item's link (or the item has no other link): a reader may open a
 * permalink guid as the item's page, so anything less certain is false.
 */
static int rss_guid(xmlTextWriterPtr w, const struct store_item *it)
{
	const struct entry *e = &it->e;
	char *id = has_text(e->guid) ? xstrdup(e->guid) : render_entry_id(it);
	int perma = is_http_url(id) &&
		    (!has_text(e->link) || !strcmp(id, e->link));
	int rc;

	rc = (put_start(w, "guid") ||
	      put_attr(w, "isPermaLink", perma ? "true" : "false") ||
	      put_text(w, id) || put_end(w)) ? -1 : 0;
	free(id);
	return rc;
}

/* RSS 2.0 <author> is "email (name)"; a bare name goes to dc:creator. */
static int rss_author(xmlTextWriterPtr w, const char *author)
{
	if (!has_text(author))
		return 0;
	if (strchr(author, '@') && !strchr(author, ' '))
		return put_elem(w, "author", author);
	return put_elem(w, "dc:creator", author);
}

/*
 * Every author: the first one with an email as RSS 2.0 <author>
 * ("email (name)", one per item), every other one by name as
 * dc:creator, and contributors as dc:contributor (DCMI terms).
 */
static int rss_people(xmlTextWriterPtr w, const struct entry *e)
{
	const struct entry_person *p, *mailed = NULL;
	struct buf b = {0};
	size_t i;
	int rc = 0;

	if (e->n_authors == 0)
		return rss_author(w, e->author);
	for (i = 0; i < e->n_authors && !mailed; i++)
		if (has_text(e->authors[i].email))
			mailed = &e->authors[i];
	if (mailed) {
		buf_puts(&b, mailed->email);
		if (has_text(mailed->name))
			buf_printf(&b, " (%s)", mailed->name);
		rc = put_elem(w, "author", b.data);
		free(buf_steal(&b));
	}
	for (i = 0; i < e->n_authors && !rc; i++) {
		p = &e->authors[i];
		if (p != mailed && has_text(p->name))
			rc = put_elem(w, "dc:creator", p->name);
	}
	for (i = 0; i < e->n_contributors && !rc; i++) {
		p = &e->contributors[i];
		if (has_text(p->name) || has_text(p->email))
			rc = put_elem(w, "dc:contributor", has_text(p->name) ?
				      p->name : p->email);
	}
	return rc;
}

/* <category domain="scheme">term</category> */
static int rss_categories(xmlTextWriterPtr w, const struct entry *e)
{
	const char *domain;
	size_t i;

	for (i = 0; i < e->n_categories; i++) {
		if (!has_text(e->categories[i]))
			continue;
		domain = e->category_info ? e->category_info[i].scheme : NULL;
		if (put_start(w, "category") ||
		    (has_text(domain) && put_attr(w, "domain", domain)) ||
		    put_text(w, e->categories[i]) || put_end(w))
			return -1;
	}
	return 0;
}

/* <source url="feed URL">feed title</source>: where the item came from. */
static int rss_source(xmlTextWriterPtr w, const struct store_item *it)
{
	const char *title = has_text(it->feed_title) ? it->feed_title
						      : it->feed_name;

	if (!is_http_url(it->feed_url))
		return 0;	/* the url attribute is required */
	if (put_start(w, "source") || put_attr(w, "url", it->feed_url) ||
	    put_text(w, title))
		return -1;
	return put_end(w);
}

/* The enclosure RSS 2.0 allows (one per item): the first that is not a
 * thumbnail, or NULL. */
static const struct entry_enclosure *rss_first_enclosure(const struct entry *e)
{
	size_t i;

	for (i = 0; i < e->n_enclosures; i++)
		if (e->enclosures[i].kind != ENTRY_MEDIA_THUMBNAIL &&
		    has_text(e->enclosures[i].url))
			return &e->enclosures[i];
	return NULL;
}

/* Media RSS for what <enclosure> cannot hold: <media:thumbnail url/>,
 * <media:content url type fileSize/> for the other files. */
static int rss_media(xmlTextWriterPtr w, const struct entry_enclosure *enc)
{
	char len[24];
	int thumb = enc->kind == ENTRY_MEDIA_THUMBNAIL;

	if (put_start(w, thumb ? "media:thumbnail" : "media:content") ||
	    put_attr(w, "url", enc->url))
		return -1;
	if (!thumb && has_text(enc->type) && put_attr(w, "type", enc->type))
		return -1;
	if (!thumb && enc->length > 0) {
		snprintf(len, sizeof len, "%lld", (long long)enc->length);
		if (put_attr(w, "fileSize", len))
			return -1;
	}
	return put_end(w);
}

/*
 * <enclosure url length type/>: length and type are required, "0" and
 * application/octet-stream stand in when the source did not say.  The
 * other enclosures and the thumbnails follow as Media RSS.
 */
static int rss_enclosures(xmlTextWriterPtr w, const struct entry *e)
{
	const struct entry_enclosure *enc = rss_first_enclosure(e);
	char len[24];
	size_t i;

	if (enc) {
		snprintf(len, sizeof len, "%lld", enc->length > 0 ?
			 (long long)enc->length : 0LL);
		if (put_start(w, "enclosure") || put_attr(w, "url", enc->url) ||
		    put_attr(w, "length", len) ||
		    put_attr(w, "type", has_text(enc->type) ? enc->type
							     : "application/octet-stream") ||
		    put_end(w))
			return -1;
	}
	for (i = 0; i < e->n_enclosures; i++)
		if (&e->enclosures[i] != enc && has_text(e->enclosures[i].url) &&
		    rss_media(w, &e->enclosures[i]))
			return -1;
	return 0;
}

/* The feed the source itself credited (its own <source>), as
 * <atom:link rel="via"> (RFC 4287 §4.2.7.2): RSS <source> is taken by
 * the feed the item came through. */
static int rss_via(xmlTextWriterPtr w, const struct entry *e)
{
	const struct entry_source *src = &e->source;
	const char *via = has_text(src->link) ? src->link : src->feed_url;

	if (!has_text(via))
		return 0;
	if (put_start(w, "atom:link") || put_attr(w, "rel", "via") ||
	    put_attr(w, "href", via) ||
	    (has_text(src->title) && put_attr(w, "title", src->title)))
		return -1;
	return put_end(w);
}

static int rss_item_text(xmlTextWriterPtr w, const struct entry *e)
{
	const char *desc = has_text(e->summary) ? e->summary : e->content;

	if (has_text(desc) && put_elem(w, "description", desc))
		return -1;
	if (has_text(e->content) && put_elem(w, "content:encoded", e->content))
		return -1;
	return 0;
}

static int rss_item(xmlTextWriterPtr w, const struct store_item *it)
{
	const struct entry *e = &it->e;
	int64_t date = e->published != ENTRY_NO_DATE ? e->published
						      : render_entry_updated(it);

	if (put_start(w, "item") ||
	    put_elem(w, "title", render_entry_title(e)))
		return -1;
	if (has_text(e->link) && put_elem(w, "link", e->link))
		return -1;
	if (rss_item_text(w, e) || rss_people(w, e))
		return -1;
	if (has_text(e->comments) && put_elem(w, "comments", e->comments))
		return -1;
	if (rss_categories(w, e) || rss_enclosures(w, e) || rss_guid(w, it) ||
	    rss_date(w, "pubDate", date) || rss_source(w, it) || rss_via(w, e))
		return -1;
	if (has_text(e->language) && put_elem(w, "dc:language", e->language))
		return -1;
	return put_end(w);
}

/* <image> needs url, title and link (RSS 2.0 §"<image> sub-element"). */
static int rss_image(xmlTextWriterPtr w, const struct render_meta *m)
{
	if (!has_text(m->icon) || !has_text(m->alt_url))
		return 0;
	if (put_start(w, "image") || put_elem(w, "url", m->icon) ||
	    put_elem(w, "title", m->title) || put_elem(w, "link", m->alt_url))
		return -1;
	return put_end(w);
}

static int rss_channel_head(xmlTextWriterPtr w, const struct render_meta *m,
			    int64_t updated)
{
	/* title, link and description are required; description may not
	 * be empty for some validators, so the title stands in. */
	if (put_elem(w, "title", m->title) ||
	    put_elem(w, "link", has_text(m->alt_url) ? m->alt_url
						      : m->self_url) ||
	    put_elem(w, "description",
		     has_text(m->subtitle) ? m->subtitle : m->title) ||
	    rss_atom_link(w, "self", m->self_url))
		return -1;
	if (has_text(m->next_url) && rss_atom_link(w, "next", m->next_url))
		return -1;
	if (rss_date(w, "lastBuildDate", updated) ||
	    put_elem(w, "generator", GENERATOR_NAME " " PACKAGE_VERSION) ||
	    put_elem(w, "docs", RSS_DOCS))
		return -1;
	return rss_image(w, m);
}

static int rss_document(xmlTextWriterPtr w, const struct render_meta *m,
			const struct store_item *items, size_t n)
{
	size_t i;

	if (xmlTextWriterStartDocument(w, "1.0", "utf-8", NULL) < 0 ||
	    put_start(w, "rss") || put_attr(w, "version", "2.0") ||
	    put_attr(w, "xmlns:atom", RSS_ATOM_NS) ||
	    put_attr(w, "xmlns:content", RSS_CONTENT_NS) ||
	    put_attr(w, "xmlns:dc", RSS_DC_NS) ||
	    put_attr(w, "xmlns:media", RSS_MEDIA_NS) || put_start(w, "channel"))
		return -1;
	if (rss_channel_head(w, m, render_feed_updated(m->updated, items, n)))
		return -1;
	for (i = 0; i < n; i++)
		if (rss_item(w, &items[i]))
			return -1;
	if (xmlTextWriterEndDocument(w) < 0 || xmlTextWriterFlush(w) < 0)
		return -1;
	return 0;
}

int render_rss(const struct render_meta *m, const struct store_item *items,
	       size_t n, struct buf *out)
{
	return render_items_document(out, rss_document, m, items, n);
}
