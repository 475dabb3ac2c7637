/*
 * fuzz_sanitize.c — the HTML sanitizer (sanitize.h) on arbitrary bytes.
 *
 * What it promises, checked on every output by parsing it back as XML
 * (it is XHTML-serialized, so it must be well-formed, wrapped in one
 * element) and walking the tree: no script, style, iframe, object, embed
 * or form element survives, no on* attribute, no style attribute, and no
 * URL attribute (href, src, ...; namespaced ones like xlink:href match by
 * local name) whose scheme is javascript:, vbscript: or data: (bar
 * data:image/ in img src).  The input is made valid UTF-8 first, as the
 * feed parser's output always is (entry.h); the output goes through
 * render_xml_clean() before the check, as it does on its way to readers
 * (it keeps control characters XML forbids; the renderers drop them).
 * The output must also be the one the libxml2 tree path gives: the fast
 * path of sanitize_fast.c may only take fragments it gets exactly right.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "fuzz.h"
#include "render.h"
#include "sanitize.h"

#define BASE_URL "http://127.0.0.1/news/"

static const char *const banned_elements[] = {
	"script", "style", "iframe", "object", "embed", "form", NULL,
};

/* Attributes a browser follows or fetches as a URL (text attributes
 * such as title may say "javascript:" harmlessly). */
static const char *const url_attributes[] = {
	"href", "src", "cite", "poster", "action", "formaction", "background",
	"srcset", "data", "codebase", "longdesc", "usemap", "lowsrc",
	"dynsrc", "profile", "manifest", "icon", "ping", NULL,
};

static int is_url_attribute(const char *name)
{
	int i;

	for (i = 0; url_attributes[i]; i++)
		if (strcasecmp(name, url_attributes[i]) == 0)
			return 1;
	return 0;
}

/* Browsers skip ASCII whitespace and controls inside a scheme
 * ("java\tscript:"), and compare it case-insensitively. */
static int scheme_is(const char *v, const char *scheme)
{
	char s[16];
	size_t n = 0;

	for (; *v && n < sizeof s - 1; v++) {
		if ((unsigned char)*v <= ' ')
			continue;
		s[n++] = (char)tolower((unsigned char)*v);
		if (*v == ':')
			break;
	}
	s[n] = '\0';
	return strcmp(s, scheme) == 0;
}

static void check_attr(const xmlNode *el, const xmlAttr *a)
{
	const char *name = (const char *)a->name;
	xmlChar *v;

	if (tolower((unsigned char)name[0]) == 'o' &&
	    tolower((unsigned char)name[1]) == 'n')
		fuzz_fail("an on* attribute survived");
	if (strcasecmp(name, "style") == 0)
		fuzz_fail("a style attribute survived");
	v = is_url_attribute(name) ? xmlNodeGetContent((const xmlNode *)a) :
				     NULL;
	if (v) {
		const char *s = (const char *)v;

		if (scheme_is(s, "javascript:") || scheme_is(s, "vbscript:"))
			fuzz_fail("a javascript:/vbscript: URL survived");
		if (scheme_is(s, "data:") &&
		    !(strcasecmp((const char *)el->name, "img") == 0 &&
		      strcasecmp(name, "src") == 0))
			fuzz_fail("a data: URL survived outside img src");
		xmlFree(v);
	}
}

static void check_tree(const xmlNode *n, int depth)
{
	const xmlAttr *a;
	int i;

	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; banned_elements[i]; i++)
			if (strcasecmp((const char *)n->name,
				       banned_elements[i]) == 0)
				fuzz_fail("a banned element survived");
		for (a = n->properties; a; a = a->next)
			check_attr(n, a);
		if (depth > 1000)
			fuzz_fail("nesting deeper than SANITIZE_MAX_DEPTH");
		check_tree(n->children, depth + 1);
	}
}

static void on_xml_error(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *html = fuzz_strndup(data, size), *raw, *tree, *out, *wrapped;
	size_t len;
	xmlDoc *doc;

	xmlSetGenericErrorFunc(NULL, on_xml_error);
	fuzz_utf8_scrub(html);
	raw = sanitize_html(html, BASE_URL);
	tree = sanitize_html_tree(html, BASE_URL);
	free(html);
	if (!raw || !tree)
		fuzz_fail("sanitize_html returned NULL");
	if (strcmp(raw, tree) != 0)
		fuzz_fail("the fast path's output differs from the tree path's");
	free(tree);
	out = render_xml_clean(raw);
	free(raw);
	if (!fuzz_utf8_valid(out))
		fuzz_fail("output is not UTF-8");
	len = strlen(out);
	wrapped = malloc(len + 12);
	if (!wrapped)
		abort();
	memcpy(wrapped, "<div>", 5);
	memcpy(wrapped + 5, out, len);
	memcpy(wrapped + 5 + len, "</div>", 7);
	doc = xmlReadMemory(wrapped, (int)(len + 11), "sanitized.xml", "UTF-8",
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING);
	if (!doc)
		fuzz_fail("output is not well-formed");
	check_tree(xmlDocGetRootElement(doc), 0);
	xmlFreeDoc(doc);
	free(wrapped);
	free(out);
	return 0;
}
