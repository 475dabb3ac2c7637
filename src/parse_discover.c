/*
 * parse_discover.c — when a feed URL answers with an HTML page (the
 * site's front page, a moved feed), the page usually advertises its
 * feeds (RSS autodiscovery; HTML Living Standard §4.6.7.1 "alternate"):
 *
 *   <link rel="alternate" type="application/rss+xml" href="/feed.xml">
 *
 * The error then names the URL to configure instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "parse_int.h"

#define DISCOVER_MAX_LINKS 3

static const char *const feed_types[] = {
	"application/rss+xml", "application/atom+xml", "application/feed+json",
	"application/rdf+xml", "application/json",
};

static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *s;

	for (s = list; (s = strcasestr(s, word)) != NULL; s += n)
		if ((s == list || s[-1] == ' ' || s[-1] == '\t') &&
		    (s[n] == '\0' || s[n] == ' ' || s[n] == '\t'))
			return 1;
	return 0;
}

static int is_feed_type(const char *type)
{
	size_t i;

	for (i = 0; i < sizeof feed_types / sizeof feed_types[0]; i++)
		if (strncasecmp(type, feed_types[i], strlen(feed_types[i])) == 0)
			return 1;
	return 0;
}

struct found {
	char *base;	/* owned: <base href>, else the feed URL */
	char *urls[DISCOVER_MAX_LINKS];	/* owned */
	size_t n;
};

static char *attr_of(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s = v ? xstrdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

static void visit_link(struct found *f, xmlNodePtr n)
{
	char *rel = attr_of(n, "rel"), *type = attr_of(n, "type");
	char *href = attr_of(n, "href"), *url;
	size_t i;

	if (rel && type && href && has_word(rel, "alternate") &&
	    is_feed_type(type) && f->n < DISCOVER_MAX_LINKS) {
		url = parse_resolve(href, f->base);
		for (i = 0; url && i < f->n; i++)
			if (strcmp(f->urls[i], url) == 0)
				break;
		if (url && i == f->n)
			f->urls[f->n++] = url;
		else
			free(url);
	}
	free(rel);
	free(type);
	free(href);
}

static void visit(struct found *f, xmlNodePtr n, int depth)
{
	char *href;

	for (; n && depth < PARSE_MAX_DEPTH; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcasecmp((const char *)n->name, "base") == 0 &&
		    (href = attr_of(n, "href")) != NULL) {
			free(f->base);
			f->base = href;
		} else if (strcasecmp((const char *)n->name, "link") == 0) {
			visit_link(f, n);
		}
		visit(f, n->children, depth + 1);
	}
}

void parse_discover_fail(struct parser *p, const char *page, size_t len)
{
	struct found f = { .base = xstrdup(p->feed_url) };
	htmlDocPtr doc = NULL;
	struct buf msg = {0};
	size_t i;

	if (page && len > 0)
		doc = htmlReadMemory(page, (int)len, NULL, NULL,
				     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
				     HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	if (doc)
		visit(&f, xmlDocGetRootElement(doc), 0);
	buf_puts(&msg, "not a feed: HTML page");
	for (i = 0; i < f.n; i++) {
		buf_puts(&msg, i == 0 ? "; it advertises the feed " : " and ");
		buf_puts(&msg, f.urls[i]);
		free(f.urls[i]);
	}
	if (f.n > 0)
		buf_puts(&msg, f.n == 1 ? ": use that URL" : ": use one of those");
	p->html_links = 0;
	parse_fail(p, "%s", msg.data);
	buf_free(&msg);
	free(f.base);
	if (doc)
		xmlFreeDoc(doc);
}
