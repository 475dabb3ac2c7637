/*
 * parse_fields_start.c — what an element's start carries, under
 * parse_fields.c: the attributes (enclosure url/length/type, Atom link
 * rel, category term/scheme/label and RSS domain, guid isPermaLink,
 * rdf:about, Media RSS) and how the capture of its text begins (the
 * Atom text construct type, RFC 4287 §3.1; Atom 0.3 mode).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse_int.h"

#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

/* A length attribute: digits only, else unknown (feeds write "0",
 * "", "12 MB"; RSS 2.0 says bytes). */
static int64_t length_value(const char *s)
{
	char *end;
	long long v;

	if (s == NULL)
		return ENTRY_NO_LENGTH;
	while (*s == ' ')
		s++;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || errno || v < 0)
		return ENTRY_NO_LENGTH;
	while (*end == ' ')
		end++;
	return *end ? ENTRY_NO_LENGTH : (int64_t)v;
}


/* ---- element start ---- */

static int rel_is(const char *rel, const char *name)
{
	static const char iana[] = "http://www.iana.org/assignments/relation/";

	if (strncmp(rel, iana, sizeof iana - 1) == 0)
		rel += sizeof iana - 1;
	return strcmp(rel, name) == 0;
}

static void link_enclosure(struct parser *p, const xmlChar **attrs,
			   int n_attrs, const char *url)
{
	char *type = parse_attr(p, attrs, n_attrs, NULL, "type");
	char *length = parse_attr(p, attrs, n_attrs, NULL, "length");
	char *title = parse_attr(p, attrs, n_attrs, NULL, "title");
	struct entry_enclosure *enc;

	enc = entry_add_enclosure(&p->entry, url, type, length_value(length),
				  ENTRY_MEDIA_ENCLOSURE);
	if (enc && title && *title)
		enc->title = parse_text_collapse(title);
	free(type);
	free(length);
	free(title);
}

/* RFC 4287 §4.2.7.2: no rel means "alternate"; RFC 4685 §3: "replies"
 * links the comments. */
static void atom_link(struct parser *p, const struct rule *r,
		      const xmlChar **attrs, int n_attrs)
{
	char *rel = parse_attr(p, attrs, n_attrs, NULL, "rel");
	char *href = parse_attr(p, attrs, n_attrs, NULL, "href");
	char *trimmed = rel ? parse_text_trim(rel) : xstrdup("alternate");
	char *url = href ? parse_url_value(p, href) : NULL;

	if (url == NULL)
		goto out;
	if (r->target == T_SOURCE_LINK) {
		if (rel_is(trimmed, "alternate"))
			parse_set_once(&p->entry.source.link, xstrdup(url));
		else if (rel_is(trimmed, "self"))
			parse_set_once(&p->entry.source.feed_url, xstrdup(url));
	} else if (rel_is(trimmed, "alternate")) {
		parse_set_once(r->target == T_ATOM_LINK ? &p->entry.link :
						    &p->meta.link, xstrdup(url));
	} else if (r->target == T_ATOM_LINK && rel_is(trimmed, "enclosure")) {
		link_enclosure(p, attrs, n_attrs, url);
	} else if (r->target == T_ATOM_LINK && rel_is(trimmed, "replies")) {
		parse_set_once(&p->entry.comments, xstrdup(url));
	}
out:
	free(url);
	free(trimmed);
	free(rel);
	free(href);
}

/* RSS 2.0 <enclosure url length type/>; Media RSS <media:content url
 * type fileSize duration/> and <media:thumbnail url/>. */
static void media(struct parser *p, const struct rule *r,
		  const xmlChar **attrs, int n_attrs)
{
	int rss = r->target == T_ENCLOSURE;
	char *href = parse_attr(p, attrs, n_attrs, NULL, "url");
	char *url = href ? parse_url_value(p, href) : NULL;
	char *type = parse_attr(p, attrs, n_attrs, NULL, "type");
	char *length = parse_attr(p, attrs, n_attrs, NULL,
				  rss ? "length" : "fileSize");
	char *duration = parse_attr(p, attrs, n_attrs, NULL, "duration");
	struct entry_enclosure *enc;

	enc = entry_add_enclosure(&p->entry, url, type, length_value(length),
				  rss ? ENTRY_MEDIA_ENCLOSURE :
				  r->target == T_MEDIA_CONTENT ?
				  ENTRY_MEDIA_CONTENT : ENTRY_MEDIA_THUMBNAIL);
	if (enc)
		enc->duration = length_value(duration);
	free(href);
	free(url);
	free(type);
	free(length);
	free(duration);
}

/* RFC 4287 §3.1.1 type, or a MIME type for content (§4.1.3.1).
 * Returns -1 for content we cannot show (base64 media). */
static int text_type_of(const char *type, enum text_type *out)
{
	size_t len = type ? strlen(type) : 0;

	if (type == NULL || strcmp(type, "text") == 0)
		*out = TEXT_PLAIN;
	else if (strcmp(type, "html") == 0 || strcasecmp(type, "text/html") == 0)
		*out = TEXT_HTML;
	else if (strcmp(type, "xhtml") == 0 || strstr(type, "xhtml") ||
		 (len > 4 && strcasecmp(type + len - 4, "+xml") == 0) ||
		 (len > 4 && strcasecmp(type + len - 4, "/xml") == 0))
		*out = TEXT_XHTML;
	else if (strncasecmp(type, "text/", 5) == 0)
		*out = TEXT_PLAIN;
	else
		return -1;
	return 0;
}

/* Atom 0.3 §3.1: mode="xml" (the default) is inline markup, "escaped"
 * is escaped markup, "base64" is binary we cannot show. */
static int atom03_mode(struct parser *p, const xmlChar **attrs, int n_attrs,
		       enum text_type *type)
{
	char *mode = parse_attr(p, attrs, n_attrs, NULL, "mode");
	int rc = 0;

	if (mode && strcmp(mode, "base64") == 0)
		rc = -1;
	else if ((mode == NULL || strcmp(mode, "xml") == 0) &&
		 *type == TEXT_HTML)
		*type = TEXT_XHTML;
	free(mode);
	return rc;
}

static int text_construct_type(struct parser *p, const xmlChar **attrs,
			       int n_attrs, enum text_type *type)
{
	char *attr = parse_attr(p, attrs, n_attrs, NULL, "src");
	int rc;

	if (attr) {
		free(attr);
		return -1;	/* out-of-line content, RFC 4287 §4.1.3.2 */
	}
	attr = parse_attr(p, attrs, n_attrs, NULL, "type");
	rc = text_type_of(attr, type);
	free(attr);
	if (rc == 0 && p->atom03)
		rc = atom03_mode(p, attrs, n_attrs, type);
	return rc;
}

static void begin_field(struct parser *p, const struct rule *r,
			const xmlChar **attrs, int n_attrs)
{
	int html = r->target == T_SUMMARY || r->target == T_CONTENT;
	enum text_type type = html ? TEXT_HTML : TEXT_PLAIN;
	enum capture_mode mode;

	if ((r->flags & RULE_TEXT_CONSTRUCT) &&
	    text_construct_type(p, attrs, n_attrs, &type) < 0)
		return;
	if (r->flags & RULE_XHTML)
		type = TEXT_XHTML;
	if (!html || type == TEXT_PLAIN)
		mode = CAPTURE_TEXT;
	else if (type == TEXT_XHTML)
		mode = CAPTURE_XHTML;
	else
		mode = CAPTURE_MARKUP;
	parse_capture_begin(p, r, mode, type);
}

static void begin_category(struct parser *p, const struct rule *r,
			   const xmlChar **attrs, int n_attrs)
{
	char *term, *scheme, *label;

	if (r->target == T_CATEGORY) {	/* RSS 2.0 category domain="" */
		free(p->cat_scheme);
		p->cat_scheme = r->elem == E_CATEGORY ?
			parse_attr(p, attrs, n_attrs, NULL, "domain") : NULL;
		begin_field(p, r, attrs, n_attrs);
		return;
	}
	term = parse_attr(p, attrs, n_attrs, NULL, "term");	/* §4.2.2 */
	scheme = parse_attr(p, attrs, n_attrs, NULL, "scheme");
	label = parse_attr(p, attrs, n_attrs, NULL, "label");
	if (term)
		parse_add_category(p, parse_text_collapse(term), scheme, label);
	free(term);
	free(scheme);
	free(label);
}

void parse_fields_start(struct parser *p, const struct rule *r,
			const xmlChar **attrs, int n_attrs)
{
	char *attr;

	switch (r->target) {
	case T_CONTAINER:
		return;
	case T_ENTRY:
		parse_fields_entry_begin(p);
		if (r->elem == E_ITEM)
			p->rdf_about = parse_attr(p, attrs, n_attrs, RDF_NS,
						  "about");
		return;
	case T_PERSON:
		entry_person_clear(&p->person);
		return;
	case T_SOURCE_CONTAINER:
		p->in_source = 1;
		return;
	case T_ATOM_LINK:
	case T_FEED_ATOM_LINK:
	case T_SOURCE_LINK:
		atom_link(p, r, attrs, n_attrs);
		return;
	case T_ENCLOSURE:
	case T_MEDIA_CONTENT:
	case T_MEDIA_THUMBNAIL:
		media(p, r, attrs, n_attrs);
		return;
	case T_ATOM_CATEGORY:
	case T_CATEGORY:
		begin_category(p, r, attrs, n_attrs);
		return;
	case T_SOURCE:	/* RSS 2.0 <source url="">title</source> */
		attr = parse_attr(p, attrs, n_attrs, NULL, "url");
		if (attr)
			parse_set_once(&p->entry.source.feed_url,
				 parse_url_value(p, attr));
		free(attr);
		break;
	case T_GUID:
		if (r->elem == E_GUID) {
			attr = parse_attr(p, attrs, n_attrs, NULL, "isPermaLink");
			p->guid_permalink = attr == NULL ? 1 :
				strcasecmp(attr, "false") == 0 ? 0 : 2;
			free(attr);
		}
		break;
	default:
		break;
	}
	begin_field(p, r, attrs, n_attrs);
}

