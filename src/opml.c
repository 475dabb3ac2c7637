/*
 * opml.c — reads an OPML subscription list into a flat list of outlines.
 *
 * The file comes from the administrator but may have been exported by any
 * tool, so it is parsed as untrusted XML (PITFALLS.md): never NOENT,
 * DTDLOAD or HUGE, and an external entity loader that refuses everything
 * while we parse.  XML_PARSE_NONET alone would still let file:// through.
 * The file is read into memory by us, so the loader can refuse even the
 * document itself and no URL ever reaches libxml2's I/O layer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "opml.h"

/* A subscription list is small; anything bigger is not one. */
#define OPML_MAX_BYTES (16 * 1024 * 1024)
/* libxml2 caps nesting at 256 without XML_PARSE_HUGE; stay below it. */
#define OPML_MAX_DEPTH 200

#define OPML_PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | \
			    XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES)

struct opml_list {
	struct opml_outline *items;	/* owned */
	size_t n, cap;
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static xmlParserInputPtr refuse_entity(const char *url, const char *id,
				       xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

/* Reads the whole file into b; returns 0, or -1 with errno set. */
static int read_whole(const char *path, struct buf *b)
{
	char chunk[8192];
	FILE *f = fopen(path, "rb");
	size_t got;
	int saved;

	if (!f)
		return -1;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b->len + got > OPML_MAX_BYTES) {
			fclose(f);
			errno = EFBIG;
			return -1;
		}
		buf_append(b, chunk, got);
	}
	saved = ferror(f) ? errno : 0;
	fclose(f);
	errno = saved;
	return saved ? -1 : 0;
}

/* Returns attribute name of node, whitespace-trimmed, malloc'd; or NULL. */
static char *attr(xmlNodePtr node, const char *name)
{
	xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
	const char *s, *e;
	char *out;

	if (!v)
		return NULL;
	s = (const char *)v;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
			 e[-1] == '\n'))
		e--;
	out = e > s ? xstrndup(s, (size_t)(e - s)) : NULL;
	xmlFree(v);
	return out;
}

static int is_element(xmlNodePtr node, const char *name)
{
	return node->type == XML_ELEMENT_NODE &&
	       xmlStrcmp(node->name, (const xmlChar *)name) == 0;
}

/* An outline's label: its text attribute, else its title (OPML 2.0 §3). */
static char *outline_label(xmlNodePtr node)
{
	char *label = attr(node, "text");

	return label ? label : attr(node, "title");
}

static void list_push(struct opml_list *l, char *title, char *url,
		      const char *category, int line)
{
	struct opml_outline *o;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->items = xrealloc(l->items, l->cap * sizeof *l->items);
	}
	o = &l->items[l->n++];
	o->title = title;
	o->url = url;
	o->category = xstrdup(category);
	o->line = line;
}

/*
 * Collects the outlines under parent.  category is the label of the
 * nearest enclosing outline without an xmlUrl (borrowed); an unlabelled
 * one does not hide the category around it.
 */
static void walk(struct opml_list *l, xmlNodePtr parent, const char *category,
		 int depth)
{
	xmlNodePtr node;

	if (depth > OPML_MAX_DEPTH)
		return;
	for (node = parent->children; node; node = node->next) {
		char *url, *label;

		if (!is_element(node, "outline"))
			continue;
		url = attr(node, "xmlUrl");
		label = outline_label(node);
		if (url) {
			list_push(l, label, url, category,
				  (int)xmlGetLineNo(node));
			walk(l, node, category, depth + 1);
		} else {
			walk(l, node, label ? label : category, depth + 1);
			free(label);
		}
	}
}

static xmlNodePtr find_child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr node;

	for (node = parent->children; node; node = node->next)
		if (is_element(node, name))
			return node;
	return NULL;
}

/* The first error libxml2 reports: later ones tend to be its echoes. */
struct first_error {
	int line;
	char msg[256];
};

static void on_xml_error(void *data, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = data;
	struct first_error *first = ctxt->_private;
	size_t len;

	if (first->line || !e || e->level < XML_ERR_ERROR)
		return;
	first->line = e->line > 0 ? e->line : 1;
	snprintf(first->msg, sizeof first->msg, "%s",
		 e->message ? e->message : "not well-formed XML");
	len = strlen(first->msg);
	while (len > 0 && (first->msg[len - 1] == '\n' ||
			   first->msg[len - 1] == ' '))
		first->msg[--len] = '\0';
}

/* Parses data with every external load refused; NULL and err on failure. */
static xmlDocPtr parse_doc(const struct buf *data, const char *path,
			   int *err_line, char *err, size_t errlen)
{
	xmlExternalEntityLoader old = xmlGetExternalEntityLoader();
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	struct first_error first = { 0, "" };
	xmlDocPtr doc;

	if (!ctxt) {
		set_err(err, errlen, "out of memory");
		return NULL;
	}
	/* libxml2 passes ctxt->userData, which is ctxt itself, to serror. */
	ctxt->_private = &first;
	ctxt->sax->serror = on_xml_error;
	xmlSetExternalEntityLoader(refuse_entity);
	doc = xmlCtxtReadMemory(ctxt, data->data ? data->data : "",
				(int)data->len, path, NULL, OPML_PARSE_OPTIONS);
	xmlSetExternalEntityLoader(old);
	/* Without XML_PARSE_RECOVER a document comes back only well-formed. */
	if (!doc) {
		*err_line = first.line ? first.line : 1;
		set_err(err, errlen, "%s", first.line ? first.msg :
			"not well-formed XML");
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* Checks <opml><body> and collects its outlines; -1 and err if not OPML. */
static int collect(xmlDocPtr doc, struct opml_list *l, int *err_line,
		   char *err, size_t errlen)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	xmlNodePtr body;

	if (!root || !is_element(root, "opml")) {
		*err_line = root ? (int)xmlGetLineNo(root) : 1;
		set_err(err, errlen, "not an OPML file: the root element is <%s>",
			root ? (const char *)root->name : "");
		return -1;
	}
	body = find_child(root, "body");
	if (!body) {
		*err_line = (int)xmlGetLineNo(root);
		set_err(err, errlen, "not an OPML file: <opml> has no <body>");
		return -1;
	}
	walk(l, body, NULL, 0);
	return 0;
}

int opml_read_at(const char *path, struct opml_outline **out, size_t *n,
		 int *err_line, char *err, size_t errlen)
{
	struct buf data = { 0 };
	struct opml_list l = { 0 };
	xmlDocPtr doc;
	int rc;

	*out = NULL;
	*n = 0;
	*err_line = 0;
	if (read_whole(path, &data) < 0) {
		set_err(err, errlen, "cannot read: %s", strerror(errno));
		buf_free(&data);
		return -1;
	}
	xmlInitParser();
	doc = parse_doc(&data, path, err_line, err, errlen);
	buf_free(&data);
	if (!doc)
		return -1;
	rc = collect(doc, &l, err_line, err, errlen);
	xmlFreeDoc(doc);
	if (rc < 0) {
		opml_free(l.items, l.n);
		return -1;
	}
	*out = l.items;
	*n = l.n;
	return 0;
}

int opml_read(const char *path, struct opml_outline **out, size_t *n,
	      char *err, size_t errlen)
{
	char msg[512];
	int line;

	if (opml_read_at(path, out, n, &line, msg, sizeof msg) == 0)
		return 0;
	if (line > 0)
		set_err(err, errlen, "line %d: %s", line, msg);
	else
		set_err(err, errlen, "%s", msg);
	return -1;
}

void opml_free(struct opml_outline *o, size_t n)
{
	size_t i;

	if (!o)
		return;
	for (i = 0; i < n; i++) {
		free(o[i].title);
		free(o[i].url);
		free(o[i].category);
	}
	free(o);
}

char *opml_slug(const char *text, const char *fallback)
{
	struct buf b = { 0 };
	int dash = 0;
	const char *s;

	for (s = text ? text : ""; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '.') {
			;
		} else if (c >= 'A' && c <= 'Z') {
			c = (unsigned char)(c - 'A' + 'a');
		} else {
			dash = b.len > 0;	/* no '-' at the start */
			continue;
		}
		if (dash)
			buf_append(&b, "-", 1);
		dash = 0;
		buf_append(&b, &c, 1);
	}
	if (b.len == 0)
		return xstrdup(fallback);
	return buf_steal(&b);
}
