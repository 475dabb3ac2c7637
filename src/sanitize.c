/*
 * sanitize.c — the HTML allow-list under sanitize.h.
 *
 * The fragment goes through htmlReadMemory (libxml2's HTML parser, which
 * recovers like a browser does: unclosed tags, stray end tags, bare '&');
 * the tree under <body> is then written out by hand, element by element,
 * keeping only what the tables below allow.  Writing it ourselves keeps
 * the output XHTML-shaped (well-formed, embeddable in Atom as escaped
 * HTML or in JSON) whatever libxml2's own HTML serializer would do.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/uri.h>

#include "buf.h"
#include "sanitize_int.h"

/* Kept, with the attributes below. */
static const char *const allowed_elements[] = {
	"a", "abbr", "acronym", "address", "article", "aside", "audio", "b",
	"bdi", "bdo", "big", "blockquote", "br", "caption", "center", "cite",
	"code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl",
	"dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
	"h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "mark",
	"ol", "p", "picture", "pre", "q", "rp", "rt", "ruby", "s", "samp",
	"section", "small", "source", "span", "strike", "strong", "sub",
	"summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
	"time", "tr", "tt", "u", "ul", "var", "video", "wbr",
};

/* Dropped with everything inside them: active content, and content that
 * only makes sense with it (a form's fields, a noscript fallback). */
static const char *const dropped_elements[] = {
	"applet", "button", "form", "frameset", "head", "iframe", "math",
	"noembed", "noframes", "noscript", "object", "optgroup", "option",
	"script", "select", "style", "svg", "template", "textarea", "title",
	"xml",
};

/* Void elements we drop: libxml2 2.9's HTML parser may hang what
 * follows them under them, so their children are kept. */
static const char *const dropped_void_elements[] = {
	"base", "basefont", "embed", "frame", "input", "link", "meta",
	"param",
};

/* HTML void elements, written as <br/>. */
static const char *const void_elements[] = {
	"area", "br", "col", "hr", "img", "source", "wbr",
};

struct attr_rule {
	const char *element;	/* NULL: any allowed element */
	const char *name;
	int is_url;
};

static const struct attr_rule allowed_attrs[] = {
	{ NULL, "title", 0 }, { NULL, "lang", 0 }, { NULL, "dir", 0 },
	{ "a", "href", 1 }, { "a", "hreflang", 0 },
	{ "img", "src", 1 }, { "img", "alt", 0 }, { "img", "width", 0 },
	{ "img", "height", 0 },
	{ "blockquote", "cite", 1 }, { "q", "cite", 1 },
	{ "del", "cite", 1 }, { "ins", "cite", 1 },
	{ "del", "datetime", 0 }, { "ins", "datetime", 0 },
	{ "time", "datetime", 0 },
	{ "td", "colspan", 0 }, { "td", "rowspan", 0 },
	{ "th", "colspan", 0 }, { "th", "rowspan", 0 }, { "th", "scope", 0 },
	{ "col", "span", 0 }, { "colgroup", "span", 0 },
	{ "ol", "start", 0 }, { "ol", "type", 0 }, { "li", "value", 0 },
	{ "abbr", "title", 0 },
	{ "audio", "src", 1 }, { "audio", "controls", 0 },
	{ "video", "src", 1 }, { "video", "poster", 1 },
	{ "video", "controls", 0 }, { "video", "width", 0 },
	{ "video", "height", 0 },
	{ "source", "src", 1 }, { "source", "type", 0 },
};

static int in_list(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(name, list[i]) == 0)
			return 1;
	return 0;
}

#define IN_LIST(name, list) in_list(name, list, sizeof list / sizeof list[0])

static const struct attr_rule *attr_rule_of(const char *element,
					     const char *name)
{
	size_t i;

	for (i = 0; i < sizeof allowed_attrs / sizeof allowed_attrs[0]; i++)
		if ((allowed_attrs[i].element == NULL ||
		     strcasecmp(allowed_attrs[i].element, element) == 0) &&
		    strcasecmp(allowed_attrs[i].name, name) == 0)
			return &allowed_attrs[i];
	return NULL;
}

/* ---- URLs ---- */

static const char *const safe_schemes[] = {
	"http", "https", "ftp", "mailto", "tel",
};

static const char *const safe_image_types[] = {
	"data:image/png", "data:image/gif", "data:image/jpeg",
	"data:image/jpg", "data:image/webp",
};

/* Browsers skip ASCII whitespace and controls anywhere in a URL's scheme
 * ("java\tscript:"), so the scheme is judged without them. */
static char *squeeze(const char *url)
{
	char *out = xmalloc(strlen(url) + 1), *o = out;

	for (; *url; url++)
		if ((unsigned char)*url > 0x20 && *url != 0x7f)
			*o++ = *url;
	*o = '\0';
	return out;
}

/* Returns the length of url's scheme (before ':'), or 0 if relative. */
static size_t scheme_len(const char *url)
{
	size_t i;

	if (!isalpha((unsigned char)url[0]))
		return 0;
	for (i = 1; url[i]; i++) {
		if (url[i] == ':')
			return i;
		if (!isalnum((unsigned char)url[i]) && url[i] != '+' &&
		    url[i] != '-' && url[i] != '.')
			return 0;
	}
	return 0;
}

static int safe_data_image(const char *url)
{
	size_t i, n;

	for (i = 0; i < sizeof safe_image_types / sizeof safe_image_types[0]; i++) {
		n = strlen(safe_image_types[i]);
		if (strncasecmp(url, safe_image_types[i], n) == 0 &&
		    (url[n] == ';' || url[n] == ','))
			return 1;
	}
	return 0;
}

char *sanitize_url(const char *url, const char *base, int is_img)
{
	char *s = squeeze(url), *abs;
	size_t n = scheme_len(s), i;
	int ok = n == 0;

	for (i = 0; !ok && i < sizeof safe_schemes / sizeof safe_schemes[0]; i++)
		ok = strlen(safe_schemes[i]) == n &&
		     strncasecmp(s, safe_schemes[i], n) == 0;
	if (!ok && is_img && safe_data_image(s)) {
		return s;
	}
	free(s);
	if (!ok)
		return NULL;
	/* leading/trailing blanks are not part of a URL (HTML: valid URL
	 * potentially surrounded by spaces) */
	while (*url && isspace((unsigned char)*url))
		url++;
	s = xstrdup(url);
	for (n = strlen(s); n > 0 && isspace((unsigned char)s[n - 1]); n--)
		s[n - 1] = '\0';
	if (base == NULL || scheme_len(s) > 0)
		return s;
	abs = (char *)xmlBuildURI((const xmlChar *)s, (const xmlChar *)base);
	if (abs == NULL)
		return s;	/* unresolvable: keep it relative */
	free(s);
	s = xstrdup(abs);
	xmlFree(abs);
	/* the base itself could have been anything */
	if (scheme_len(s) > 0 && !(strncasecmp(s, "http", 4) == 0 ||
				   strncasecmp(s, "ftp:", 4) == 0)) {
		free(s);
		return NULL;
	}
	return s;
}

/* ---- writing the tree out ---- */

/* Copies s in runs between the characters that need a reference: one
 * append per run, not per byte (text is most of every fragment). */
static void put_escaped(struct buf *b, const char *s, int in_attr)
{
	const char *run = s;
	const char *rep;

	for (;; s++) {
		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			if (!in_attr)
				continue;
			rep = "&quot;";
			break;
		case '\0':
			buf_append(b, run, (size_t)(s - run));
			return;
		default:
			continue;
		}
		buf_append(b, run, (size_t)(s - run));
		buf_puts(b, rep);
		run = s + 1;
	}
}

static void put_attrs(struct buf *b, xmlNodePtr node, const char *base)
{
	const char *name = (const char *)node->name;
	const struct attr_rule *rule;
	xmlAttrPtr a;
	xmlChar *value;
	char *url;

	for (a = node->properties; a; a = a->next) {
		rule = attr_rule_of(name, (const char *)a->name);
		if (rule == NULL)
			continue;	/* on*, style, class, id, target... */
		value = xmlNodeGetContent((xmlNodePtr)a);
		url = NULL;
		if (value && rule->is_url)
			url = sanitize_url((const char *)value, base,
					   strcasecmp(name, "img") == 0);
		if (value && (!rule->is_url || url)) {
			buf_puts(b, " ");
			buf_puts(b, rule->name);
			buf_puts(b, "=\"");
			put_escaped(b, url ? url : (const char *)value, 1);
			buf_puts(b, "\"");
		}
		free(url);
		xmlFree(value);
	}
}

static void put_children(struct buf *b, xmlNodePtr node, const char *base,
			 int depth);

static void put_element(struct buf *b, xmlNodePtr node, const char *base,
			int depth)
{
	const char *name = (const char *)node->name;
	char lower[16];
	size_t i;

	if (IN_LIST(name, dropped_elements) || depth >= SANITIZE_MAX_DEPTH)
		return;
	if (!IN_LIST(name, allowed_elements) ||
	    IN_LIST(name, dropped_void_elements)) {
		put_children(b, node, base, depth + 1);	/* <font>: unwrap */
		return;
	}
	for (i = 0; name[i] && i < sizeof lower - 1; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	lower[i] = '\0';
	buf_puts(b, "<");
	buf_puts(b, lower);
	put_attrs(b, node, base);
	if (IN_LIST(name, void_elements)) {
		buf_puts(b, "/>");
		return;
	}
	buf_puts(b, ">");
	put_children(b, node, base, depth + 1);
	buf_puts(b, "</");
	buf_puts(b, lower);
	buf_puts(b, ">");
}

static void put_children(struct buf *b, xmlNodePtr node, const char *base,
			 int depth)
{
	xmlNodePtr c;

	for (c = node->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			put_escaped(b, (const char *)c->content, 0);
		else if (c->type == XML_ELEMENT_NODE)
			put_element(b, c, base, depth);
		/* comments, processing instructions: dropped */
	}
}

static xmlNodePtr find_body(xmlNodePtr n)
{
	xmlNodePtr c, found;

	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE &&
		    strcasecmp((const char *)n->name, "body") == 0)
			return n;
		if (n->type == XML_ELEMENT_NODE &&
		    strcasecmp((const char *)n->name, "html") == 0) {
			c = n->children;
			found = find_body(c);
			if (found)
				return found;
		}
	}
	return NULL;
}

char *sanitize_html(const char *html, const char *base)
{
	struct buf out = {0};

	if (html == NULL || *html == '\0')
		return xstrdup("");
	if (sanitize_fast(html, &out) == 0)
		return out.data ? buf_steal(&out) : xstrdup("");
	buf_free(&out);
	return sanitize_html_tree(html, base);
}

char *sanitize_html_tree(const char *html, const char *base)
{
	struct buf in = {0}, out = {0};
	htmlDocPtr doc;
	xmlNodePtr body;

	if (html == NULL || *html == '\0')
		return xstrdup("");
	/* An explicit body keeps libxml2 from wrapping leading text in an
	 * implied <p>. */
	buf_puts(&in, "<html><body>");
	buf_puts(&in, html);
	buf_puts(&in, "</body></html>");
	doc = htmlReadMemory(in.data, (int)in.len, NULL, "UTF-8",
			     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
			     HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	buf_free(&in);
	if (doc == NULL)
		return xstrdup("");
	body = find_body(xmlDocGetRootElement(doc));
	if (body)
		put_children(&out, body, base, 0);
	xmlFreeDoc(doc);
	if (out.data == NULL)
		return xstrdup("");
	return buf_steal(&out);
}
