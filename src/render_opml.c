/*
 * render_opml.c — /feeds.opml: the subscription list as OPML 2.0
 * (http://opml.org/spec2.opml), so a reader can subscribe to every source
 * feedmux polls, grouped as feedmux groups them.
 *
 * Each section is a category outline holding its feeds (a feed in two
 * sections is listed in both); feeds in no section come last, at the top
 * level.  That is also the shape feedmux's own `opml` key reads back.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "date.h"
#include "render.h"
#include "render_int.h"

#define OPML_DOCS "http://opml.org/spec2.opml"

/* The stored row of a configured feed, for its title and site link. */
static const struct store_feed *opml_stored(const struct store_feed *feeds,
					    size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (feeds[i].name && !strcmp(feeds[i].name, name))
			return &feeds[i];
	return NULL;
}

/* <outline type="rss" text title xmlUrl [htmlUrl]/> (OPML 2.0 §"Subscription lists") */
static int opml_feed(xmlTextWriterPtr w, const struct config_feed *cf,
		     const struct store_feed *sf)
{
	const char *title = cf->title ? cf->title
			    : sf && has_text(sf->title) ? sf->title
			    : cf->name;

	if (put_start(w, "outline") || put_attr(w, "type", "rss") ||
	    put_attr(w, "text", title) || put_attr(w, "title", title) ||
	    put_attr(w, "xmlUrl", cf->url))
		return -1;
	if (sf && has_text(sf->link) && put_attr(w, "htmlUrl", sf->link))
		return -1;
	return put_end(w);
}

static int feed_in_section(const struct config_feed *cf, const char *section)
{
	size_t i;

	for (i = 0; i < cf->n_sections; i++)
		if (!strcmp(cf->sections[i], section))
			return 1;
	return 0;
}

static int opml_section(xmlTextWriterPtr w, const struct config *cfg,
			const struct config_section *sec,
			const struct store_feed *feeds, size_t n)
{
	size_t i;

	if (put_start(w, "outline") || put_attr(w, "text", sec->title) ||
	    put_attr(w, "title", sec->title))
		return -1;
	for (i = 0; i < cfg->n_feeds; i++)
		if (feed_in_section(&cfg->feeds[i], sec->name) &&
		    opml_feed(w, &cfg->feeds[i],
			      opml_stored(feeds, n, cfg->feeds[i].name)))
			return -1;
	return put_end(w);
}

static int opml_head(xmlTextWriterPtr w, const struct render_meta *m)
{
	char date[RENDER_DATE_LEN];

	date_format_http(m->updated, date, sizeof date);
	if (put_start(w, "head") || put_elem(w, "title", m->title) ||
	    put_elem(w, "dateModified", date) ||
	    put_elem(w, "docs", OPML_DOCS))
		return -1;
	return put_end(w);
}

static int opml_document(xmlTextWriterPtr w, const struct render_meta *m,
			 const struct config *cfg,
			 const struct store_feed *feeds, size_t n)
{
	size_t i;

	if (xmlTextWriterStartDocument(w, "1.0", "utf-8", NULL) < 0 ||
	    put_start(w, "opml") || put_attr(w, "version", "2.0") ||
	    opml_head(w, m) || put_start(w, "body"))
		return -1;
	for (i = 0; i < cfg->n_sections; i++)
		if (opml_section(w, cfg, &cfg->sections[i], feeds, n))
			return -1;
	for (i = 0; i < cfg->n_feeds; i++)
		if (cfg->feeds[i].n_sections == 0 &&
		    opml_feed(w, &cfg->feeds[i],
			      opml_stored(feeds, n, cfg->feeds[i].name)))
			return -1;
	if (xmlTextWriterEndDocument(w) < 0 || xmlTextWriterFlush(w) < 0)
		return -1;
	return 0;
}

int render_opml(const struct render_meta *m, const struct config *cfg,
		const struct store_feed *feeds, size_t n, struct buf *out)
{
	size_t start = out->len;
	xmlTextWriterPtr w;
	int rc;

	w = writer_new(out);
	if (!w)
		return -1;
	rc = opml_document(w, m, cfg, feeds, n);
	xmlFreeTextWriter(w);
	if (rc)
		render_truncate(out, start);
	return rc;
}
