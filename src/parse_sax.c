/*
 * parse_sax.c — the SAX2 callbacks under parse.c: element frames (depth,
 * xml:base per XML Base §4.2, xml:lang), the capture of a field's text
 * (plain, or escaped XHTML markup for type="xhtml" content), and the
 * hand-over of each element to the dialect rules in parse_feed.c.
 */
#include <string.h>
#include <strings.h>

#include "parse_int.h"

#define XML_BASE_NS "http://www.w3.org/XML/1998/namespace"
#define XHTML_NS "http://www.w3.org/1999/xhtml"

/* XML Base §4.2: xml:base resolves against the parent's base. */
static void frame_set_base(struct parser *p, struct frame *f,
			   const xmlChar **attrs, int n_attrs)
{
	char *value = parse_attr(p, attrs, n_attrs, XML_BASE_NS, "base");
	char *trimmed;

	f->base = p->frames[p->depth - 1].base;
	f->own_base = 0;
	if (value == NULL)
		return;
	trimmed = parse_text_trim(value);
	f->base = parse_resolve(trimmed, f->base);
	f->own_base = 1;
	free(trimmed);
	free(value);
}

/* XML 1.0 §2.12: xml:lang is inherited; "" means unknown. */
static void frame_set_lang(struct parser *p, struct frame *f,
			   const xmlChar **attrs, int n_attrs)
{
	char *value = parse_attr(p, attrs, n_attrs, XML_BASE_NS, "lang");

	f->lang = p->frames[p->depth - 1].lang;
	f->own_lang = 0;
	if (value == NULL)
		return;
	f->lang = *value ? parse_text_trim(value) : NULL;
	f->own_lang = f->lang != NULL;
	free(value);
}

void parse_frame_clear(struct frame *f)
{
	if (f->own_base)
		free((char *)f->base);
	if (f->own_lang)
		free((char *)f->lang);
	f->base = f->lang = NULL;
	f->own_base = f->own_lang = 0;
}

/* ---- text capture ---- */

void parse_capture_begin(struct parser *p, const struct rule *r,
			 enum capture_mode mode, enum text_type type)
{
	p->cap.active = 1;
	p->cap.depth = p->depth;
	p->cap.div_depth = 0;
	p->cap.mode = mode;
	p->cap.type = type;
	p->cap.rule = r;
	p->cap.truncated = 0;
	buf_reset(&p->cap.text);
}

/* Appends to the field, truncating at PARSE_MAX_FIELD_BYTES on a UTF-8
 * character boundary. */
static void capture_append(struct parser *p, const char *s, size_t len)
{
	struct capture *c = &p->cap;
	size_t room = PARSE_MAX_FIELD_BYTES - c->text.len;

	if (c->truncated)
		return;
	if (len > room) {
		len = room;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
		c->truncated = 1;
	}
	buf_append(&c->text, s, len);
}

static void capture_escaped(struct parser *p, const char *s, size_t len,
			    int in_attr)
{
	const char *end = s + len, *run = s;
	const char *rep;

	for (; s < end; s++) {
		if (*s == '&')
			rep = "&amp;";
		else if (*s == '<')
			rep = "&lt;";
		else if (*s == '>')
			rep = "&gt;";
		else if (*s == '"' && in_attr)
			rep = "&quot;";
		else
			continue;
		capture_append(p, run, (size_t)(s - run));
		capture_append(p, rep, strlen(rep));
		run = s + 1;
	}
	capture_append(p, run, (size_t)(s - run));
}

/* HTML void elements: serialized as <br/>, without an end tag. */
static int is_void_element(const char *name)
{
	static const char *const names[] = {
		"area", "base", "br", "col", "embed", "hr", "img", "input",
		"link", "meta", "param", "source", "track", "wbr",
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i]) == 0)
			return 1;
	return 0;
}

static void capture_start_child(struct parser *p, const xmlChar *local,
				const xmlChar *uri, const xmlChar **attrs,
				int n_attrs)
{
	struct capture *c = &p->cap;
	const xmlChar **a;
	char *value;
	int i;

	if (c->mode == CAPTURE_TEXT)
		return;
	/* RFC 4287 §3.1.1.3: xhtml content is wrapped in one div. */
	if (c->mode == CAPTURE_XHTML && p->depth == c->depth + 1 &&
	    c->div_depth == 0 && uri && strcmp((const char *)uri, XHTML_NS) == 0 &&
	    strcmp((const char *)local, "div") == 0) {
		c->div_depth = p->depth;
		return;
	}
	capture_append(p, "<", 1);
	capture_append(p, (const char *)local, strlen((const char *)local));
	for (i = 0; i < n_attrs; i++) {
		a = attrs + 5 * i;
		if (a[2] != NULL)
			continue;	/* xml:lang, xml:base and foreign ones */
		value = parse_attr_value(p, (const char *)a[3], (size_t)(a[4] - a[3]));
		capture_append(p, " ", 1);
		capture_append(p, (const char *)a[0], strlen((const char *)a[0]));
		capture_append(p, "=\"", 2);
		capture_escaped(p, value, strlen(value), 1);
		capture_append(p, "\"", 1);
		free(value);
	}
	if (is_void_element((const char *)local))
		capture_append(p, "/>", 2);
	else
		capture_append(p, ">", 1);
}

static void capture_end_child(struct parser *p, const xmlChar *local)
{
	struct capture *c = &p->cap;

	if (c->mode == CAPTURE_TEXT || p->depth == c->div_depth ||
	    is_void_element((const char *)local))
		return;
	capture_append(p, "</", 2);
	capture_append(p, (const char *)local, strlen((const char *)local));
	capture_append(p, ">", 1);
}

/* ---- SAX callbacks ---- */

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
		     const xmlChar *uri, int n_ns, const xmlChar **ns,
		     int n_attrs, int n_defaulted, const xmlChar **attrs)
{
	struct parser *p = ctx;
	struct frame *f;
	enum elem elem, parent;

	(void)prefix;
	(void)n_ns;
	(void)ns;
	(void)n_defaulted;
	parse_keep_recovering(p);
	if (p->failed)
		return;
	if (p->depth >= PARSE_MAX_DEPTH) {
		parse_fail(p, "nesting too deep");
		return;
	}
	p->depth++;
	f = &p->frames[p->depth];
	frame_set_base(p, f, attrs, n_attrs);
	frame_set_lang(p, f, attrs, n_attrs);
	f->elem = E_OTHER;
	f->rule = NULL;
	elem = parse_feed_classify(uri, local);
	parent = p->frames[p->depth - 1].elem;
	/* An item inside an item: some element of the last one was never
	 * closed (<br> in RSS), and libxml2 recovered by nesting. */
	if (p->in_entry && p->depth > p->entry_depth &&
	    parse_feed_rule(p->frames[p->entry_depth - 1].elem, elem) &&
	    parse_feed_rule(p->frames[p->entry_depth - 1].elem, elem)->target ==
		    T_ENTRY) {
		parent = p->frames[p->entry_depth - 1].elem;
		parse_feed_cut_entry(p);
	}
	if (p->cap.active) {
		capture_start_child(p, local, uri, attrs, n_attrs);
		return;
	}
	if (p->depth == 1) {
		p->root_seen = 1;
		p->atom03 = uri && strcmp((const char *)uri,
					  "http://purl.org/atom/ns#") == 0;
		if (parse_feed_root(p, elem, local) < 0)
			return;
		if (f->lang && p->meta.language == NULL)
			p->meta.language = xstrdup(f->lang);
	}
	f->rule = parse_feed_rule(parent, elem);
	if (f->rule == NULL)
		return;
	f->elem = elem;
	parse_feed_start(p, f->rule, attrs, n_attrs);
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix,
		   const xmlChar *uri)
{
	struct parser *p = ctx;
	struct frame *f;

	(void)prefix;
	(void)uri;
	parse_keep_recovering(p);
	if (p->failed || p->depth <= 0)
		return;
	f = &p->frames[p->depth];
	if (p->cap.active && p->depth > p->cap.depth) {
		capture_end_child(p, local);
	} else if (f->rule) {
		parse_feed_end(p, f->rule);
		if (p->cap.active && p->depth == p->cap.depth)
			p->cap.active = 0;
	}
	parse_frame_clear(f);
	p->depth--;
}

static void on_characters(void *ctx, const xmlChar *ch, int len)
{
	struct parser *p = ctx;

	parse_keep_recovering(p);
	if (!p->cap.active || p->failed || len <= 0)
		return;
	if (p->cap.mode == CAPTURE_XHTML)
		capture_escaped(p, (const char *)ch, (size_t)len, 0);
	else
		capture_append(p, (const char *)ch, (size_t)len);
}

/* Points SAX's element and text callbacks at this file's. */
void parse_sax_init(xmlSAXHandler *sax)
{
	sax->startElementNs = on_start;
	sax->endElementNs = on_end;
	sax->characters = on_characters;
	sax->cdataBlock = on_characters;
	sax->ignorableWhitespace = on_characters;
}
