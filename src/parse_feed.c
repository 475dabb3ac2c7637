/*
 * parse_feed.c — the feed dialects: what each element means in RSS 2.0
 * and 0.9x, RSS 1.0 (RDF) and Atom 1.0, and how its text becomes a field
 * of struct entry or struct feed_meta.
 *
 * An element counts only where its rule places it (a title under item,
 * not under image or Atom's source); everything else is skipped with its
 * subtree.  A new dialect is a namespace, some element names and rules.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "parse_int.h"

enum ns { NS_UNKNOWN, NS_RSS, NS_RDF, NS_ATOM, NS_DC, NS_DCTERMS, NS_CONTENT };

static const struct {
	const char *uri;
	enum ns ns;
} namespaces[] = {
	{ "http://purl.org/rss/1.0/", NS_RSS },	/* RSS 1.0 §5.3 */
	{ "http://my.netscape.com/rdf/simple/0.9/", NS_RSS },
	{ "http://backend.userland.com/rss2", NS_RSS },
	{ "http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF },
	{ "http://www.w3.org/2005/Atom", NS_ATOM },	/* RFC 4287 §2 */
	{ "http://purl.org/dc/elements/1.1/", NS_DC },
	{ "http://purl.org/dc/terms/", NS_DCTERMS },
	{ "http://purl.org/rss/1.0/modules/content/", NS_CONTENT },
};

static const struct {
	enum ns ns;
	const char *name;
	enum elem elem;
} elements[] = {
	{ NS_RSS, "rss", E_RSS },
	{ NS_RSS, "channel", E_CHANNEL },
	{ NS_RSS, "item", E_ITEM },
	{ NS_RSS, "title", E_TITLE },
	{ NS_RSS, "link", E_LINK },
	{ NS_RSS, "guid", E_GUID },
	{ NS_RSS, "pubDate", E_PUBDATE },
	{ NS_RSS, "lastBuildDate", E_LASTBUILDDATE },
	{ NS_RSS, "description", E_DESCRIPTION },
	{ NS_RSS, "author", E_AUTHOR },
	{ NS_RSS, "category", E_CATEGORY },
	{ NS_RDF, "RDF", E_RDF },
	{ NS_DC, "date", E_DC_DATE },
	{ NS_DC, "creator", E_DC_CREATOR },
	{ NS_DC, "subject", E_DC_SUBJECT },
	{ NS_DCTERMS, "modified", E_DCTERMS_MODIFIED },
	{ NS_CONTENT, "encoded", E_CONTENT_ENCODED },
	{ NS_ATOM, "feed", E_ATOM_FEED },
	{ NS_ATOM, "entry", E_ATOM_ENTRY },
	{ NS_ATOM, "title", E_ATOM_TITLE },
	{ NS_ATOM, "link", E_ATOM_LINK },
	{ NS_ATOM, "id", E_ATOM_ID },
	{ NS_ATOM, "published", E_ATOM_PUBLISHED },
	{ NS_ATOM, "updated", E_ATOM_UPDATED },
	{ NS_ATOM, "summary", E_ATOM_SUMMARY },
	{ NS_ATOM, "content", E_ATOM_CONTENT },
	{ NS_ATOM, "author", E_ATOM_AUTHOR },
	{ NS_ATOM, "name", E_ATOM_NAME },
	{ NS_ATOM, "email", E_ATOM_EMAIL },
	{ NS_ATOM, "category", E_ATOM_CATEGORY },
};

#define TC RULE_TEXT_CONSTRUCT

static const struct rule rules[] = {
	/* roots and structure */
	{ E_NONE, E_RSS, T_CONTAINER, 0 },
	{ E_NONE, E_RDF, T_CONTAINER, 0 },
	{ E_NONE, E_ATOM_FEED, T_CONTAINER, 0 },
	{ E_RSS, E_CHANNEL, T_CONTAINER, 0 },
	{ E_RDF, E_CHANNEL, T_CONTAINER, 0 },
	/* RSS 2.0 items are in the channel, RSS 1.0 items beside it */
	{ E_CHANNEL, E_ITEM, T_ENTRY, 0 },
	{ E_RDF, E_ITEM, T_ENTRY, 0 },
	{ E_RSS, E_ITEM, T_ENTRY, 0 },
	{ E_CHANNEL, E_TITLE, T_FEED_TITLE, 0 },
	{ E_CHANNEL, E_LINK, T_FEED_LINK, 0 },
	{ E_CHANNEL, E_LASTBUILDDATE, T_FEED_UPDATED, 0 },
	{ E_CHANNEL, E_ATOM_UPDATED, T_FEED_UPDATED, 0 },
	{ E_CHANNEL, E_DCTERMS_MODIFIED, T_FEED_UPDATED, 0 },
	{ E_CHANNEL, E_PUBDATE, T_FEED_PUBDATE, 0 },
	{ E_CHANNEL, E_DC_DATE, T_FEED_PUBDATE, 0 },
	{ E_ITEM, E_TITLE, T_TITLE, 0 },
	{ E_ITEM, E_LINK, T_LINK, 0 },
	{ E_ITEM, E_GUID, T_GUID, 0 },
	{ E_ITEM, E_PUBDATE, T_PUBLISHED, 0 },
	{ E_ITEM, E_DC_DATE, T_DC_DATE, 0 },
	{ E_ITEM, E_ATOM_UPDATED, T_UPDATED, 0 },
	{ E_ITEM, E_DCTERMS_MODIFIED, T_UPDATED, 0 },
	{ E_ITEM, E_DESCRIPTION, T_SUMMARY, 0 },
	{ E_ITEM, E_CONTENT_ENCODED, T_CONTENT, 0 },
	{ E_ITEM, E_AUTHOR, T_AUTHOR, 0 },
	{ E_ITEM, E_DC_CREATOR, T_CREATOR, 0 },
	{ E_ITEM, E_CATEGORY, T_CATEGORY, 0 },
	{ E_ITEM, E_DC_SUBJECT, T_CATEGORY, 0 },
	/* Atom 1.0, RFC 4287 §4.1 */
	{ E_ATOM_FEED, E_ATOM_ENTRY, T_ENTRY, 0 },
	{ E_ATOM_FEED, E_ATOM_TITLE, T_FEED_TITLE, TC },
	{ E_ATOM_FEED, E_ATOM_LINK, T_FEED_ATOM_LINK, 0 },
	{ E_ATOM_FEED, E_ATOM_ID, T_FEED_ID, 0 },
	{ E_ATOM_FEED, E_ATOM_UPDATED, T_FEED_UPDATED, 0 },
	{ E_ATOM_FEED, E_ATOM_AUTHOR, T_CONTAINER, 0 },
	{ E_ATOM_ENTRY, E_ATOM_ID, T_GUID, 0 },
	{ E_ATOM_ENTRY, E_ATOM_TITLE, T_TITLE, TC },
	{ E_ATOM_ENTRY, E_ATOM_LINK, T_ATOM_LINK, 0 },
	{ E_ATOM_ENTRY, E_ATOM_PUBLISHED, T_PUBLISHED, 0 },
	{ E_ATOM_ENTRY, E_ATOM_UPDATED, T_UPDATED, 0 },
	{ E_ATOM_ENTRY, E_ATOM_SUMMARY, T_SUMMARY, TC },
	{ E_ATOM_ENTRY, E_ATOM_CONTENT, T_CONTENT, TC },
	{ E_ATOM_ENTRY, E_ATOM_AUTHOR, T_CONTAINER, 0 },
	{ E_ATOM_ENTRY, E_ATOM_CATEGORY, T_ATOM_CATEGORY, 0 },
	{ E_ATOM_AUTHOR, E_ATOM_NAME, T_AUTHOR_NAME, 0 },
	{ E_ATOM_AUTHOR, E_ATOM_EMAIL, T_AUTHOR_EMAIL, 0 },
};

enum elem parse_feed_classify(const xmlChar *uri, const xmlChar *local)
{
	enum ns ns = uri == NULL ? NS_RSS : NS_UNKNOWN;
	size_t i;

	for (i = 0; ns == NS_UNKNOWN && i < sizeof namespaces / sizeof namespaces[0]; i++)
		if (strcmp((const char *)uri, namespaces[i].uri) == 0)
			ns = namespaces[i].ns;
	for (i = 0; ns != NS_UNKNOWN && i < sizeof elements / sizeof elements[0]; i++)
		if (elements[i].ns == ns &&
		    strcmp((const char *)local, elements[i].name) == 0)
			return elements[i].elem;
	return E_OTHER;
}

const struct rule *parse_feed_rule(enum elem parent, enum elem elem)
{
	size_t i;

	for (i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (rules[i].parent == parent && rules[i].elem == elem)
			return &rules[i];
	return NULL;
}

int parse_feed_root(struct parser *p, enum elem elem, const xmlChar *local)
{
	if (elem == E_RSS || elem == E_RDF) {
		p->format = PARSE_FORMAT_RSS;
		return 0;
	}
	if (elem == E_ATOM_FEED) {
		p->format = PARSE_FORMAT_ATOM;
		return 0;
	}
	if (strcasecmp((const char *)local, "html") == 0)
		parse_fail(p, "not a feed: HTML page");
	else
		parse_fail(p, "not a feed: root element <%.64s>",
			   (const char *)local);
	return -1;
}

/* ---- small helpers ---- */

/* Takes value: stores it in an empty field, else frees it.  The first
 * occurrence of a field wins. */
static void set_once(char **field, char *value)
{
	if (*field == NULL && value && *value) {
		*field = value;
		return;
	}
	free(value);
}

static const char *current_base(const struct parser *p)
{
	return p->frames[p->depth].base;
}

static char *url_value(const struct parser *p, const char *text)
{
	char *trimmed = parse_text_trim(text), *url = NULL;

	if (*trimmed)
		url = parse_resolve(trimmed, current_base(p));
	free(trimmed);
	return url;
}

static int is_http_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 ||
	       strncasecmp(s, "https://", 8) == 0;
}

/* Who wrote it: a name (rank 2) beats a bare email (rank 1). */
static void set_author(char **field, int *rank, char *value, int value_rank)
{
	if (value && *value && value_rank > *rank) {
		free(*field);
		*field = value;
		*rank = value_rank;
		return;
	}
	free(value);
}

/* RSS 2.0 author is "email (Name)": keep the name. */
static void rss_author(struct parser *p, const char *text)
{
	char *s = parse_text_collapse(text), *open, *name;
	size_t len = strlen(s);

	open = strrchr(s, '(');
	if (len > 0 && s[len - 1] == ')' && open && open > s) {
		s[len - 1] = '\0';
		name = parse_text_trim(open + 1);
		if (*name) {
			free(s);
			set_author(&p->entry.author, &p->author_rank, name, 2);
			return;
		}
		free(name);
		s[len - 1] = ')';
	}
	set_author(&p->entry.author, &p->author_rank, s,
		   strchr(s, '@') && !strchr(s, ' ') ? 1 : 2);
}

static void add_category(struct parser *p, char *term)
{
	if (*term && p->entry.n_categories < PARSE_MAX_CATEGORIES)
		entry_add_category(&p->entry, term);
	free(term);
}

static void set_date(int64_t *field, const char *text)
{
	if (*field == ENTRY_NO_DATE)
		*field = date_parse(text);
}

/* ---- entries ---- */

static void entry_begin(struct parser *p)
{
	entry_clear(&p->entry);
	p->in_entry = 1;
	p->entry_depth = p->depth;
	p->author_rank = 0;
	p->dc_date = ENTRY_NO_DATE;
	p->guid_permalink = 0;
	free(p->guid_link);
	p->guid_link = NULL;
}

static void entry_end(struct parser *p)
{
	struct entry *e = &p->entry;

	if (e->published == ENTRY_NO_DATE)
		e->published = p->dc_date;	/* dc:date only if no pubDate */
	if (e->link == NULL) {
		e->link = p->guid_link;
		p->guid_link = NULL;
	}
	if (e->author == NULL)
		e->author = xstrdup(p->feed_author);	/* RFC 4287 §4.2.1 */
	if (p->on_entry)
		p->on_entry(p->cb_ctx, e);
	p->n_entries++;
	entry_clear(e);
	free(p->guid_link);
	p->guid_link = NULL;
	p->in_entry = 0;
}

/* RSS 2.0 guid: a permalink unless isPermaLink="false"; by default only
 * an http(s) URL is taken as the item's link. */
static void rss_guid(struct parser *p, const char *guid)
{
	if (p->entry.guid != NULL || p->guid_permalink == 0)
		return;
	if (p->guid_permalink == 2 || is_http_url(guid)) {
		free(p->guid_link);
		p->guid_link = parse_resolve(guid, current_base(p));
	}
}

/* ---- element start ---- */

/* RFC 4287 §4.2.7.2: no rel means "alternate". */
static void atom_link(struct parser *p, const struct rule *r,
		      const xmlChar **attrs, int n_attrs)
{
	char *rel = parse_attr(p, attrs, n_attrs, NULL, "rel");
	char *href = parse_attr(p, attrs, n_attrs, NULL, "href");
	char *trimmed = rel ? parse_text_trim(rel) : NULL;

	if (href && (trimmed == NULL || strcmp(trimmed, "alternate") == 0 ||
		     strcmp(trimmed, "http://www.iana.org/assignments/relation/alternate") == 0))
		set_once(r->target == T_ATOM_LINK ? &p->entry.link :
						    &p->meta.link,
			 url_value(p, href));
	free(trimmed);
	free(rel);
	free(href);
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

static void begin_field(struct parser *p, const struct rule *r,
			const xmlChar **attrs, int n_attrs)
{
	int html = r->target == T_SUMMARY || r->target == T_CONTENT;
	enum text_type type = html ? TEXT_HTML : TEXT_PLAIN;
	enum capture_mode mode;
	char *attr;
	int rc = 0;

	if (r->flags & RULE_TEXT_CONSTRUCT) {
		attr = parse_attr(p, attrs, n_attrs, NULL, "src");
		rc = attr != NULL;
		free(attr);
		if (rc)
			return;	/* out-of-line content, RFC 4287 §4.1.3.2 */
		attr = parse_attr(p, attrs, n_attrs, NULL, "type");
		rc = text_type_of(attr, &type);
		free(attr);
		if (rc < 0)
			return;
	}
	if (!html || type == TEXT_PLAIN)
		mode = CAPTURE_TEXT;
	else if (type == TEXT_XHTML)
		mode = CAPTURE_XHTML;
	else
		mode = CAPTURE_MARKUP;
	parse_capture_begin(p, r, mode, type);
}

void parse_feed_start(struct parser *p, const struct rule *r,
		      const xmlChar **attrs, int n_attrs)
{
	char *attr;

	switch (r->target) {
	case T_CONTAINER:
		return;
	case T_ENTRY:
		entry_begin(p);
		return;
	case T_ATOM_LINK:
	case T_FEED_ATOM_LINK:
		atom_link(p, r, attrs, n_attrs);
		return;
	case T_ATOM_CATEGORY:
		attr = parse_attr(p, attrs, n_attrs, NULL, "term");
		if (attr)
			add_category(p, parse_text_collapse(attr));
		free(attr);
		return;
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

/* ---- element end: the captured text becomes a field ---- */

static char *title_value(const struct parser *p, const char *text)
{
	char *plain, *title;

	if (p->cap.type != TEXT_HTML)
		return parse_text_collapse(text);
	plain = parse_text_from_html(text);
	title = parse_text_collapse(plain);
	free(plain);
	return title;
}

static char *html_value(const struct parser *p, const char *text)
{
	char *trimmed = parse_text_trim(text), *html;

	if (p->cap.type != TEXT_PLAIN)
		return trimmed;
	html = parse_text_escape_html(trimmed);	/* type="text" */
	free(trimmed);
	return html;
}

static void apply_feed_field(struct parser *p, enum target t, const char *text)
{
	switch (t) {
	case T_FEED_TITLE:
		set_once(&p->meta.title, title_value(p, text));
		break;
	case T_FEED_LINK:
		set_once(&p->meta.link, url_value(p, text));
		break;
	case T_FEED_ID:
		set_once(&p->meta.id, parse_text_trim(text));
		break;
	case T_FEED_UPDATED:
		set_date(&p->meta.updated, text);
		break;
	case T_FEED_PUBDATE:
		set_date(&p->meta_pubdate, text);
		break;
	case T_AUTHOR_NAME:
		set_author(&p->feed_author, &p->feed_author_rank,
			   parse_text_collapse(text), 2);
		break;
	case T_AUTHOR_EMAIL:
		set_author(&p->feed_author, &p->feed_author_rank,
			   parse_text_trim(text), 1);
		break;
	default:
		break;
	}
}

static void apply_entry_field(struct parser *p, enum target t,
			      const char *text)
{
	struct entry *e = &p->entry;
	char *guid;

	switch (t) {
	case T_TITLE:
		set_once(&e->title, title_value(p, text));
		break;
	case T_LINK:
		set_once(&e->link, url_value(p, text));
		break;
	case T_GUID:
		guid = parse_text_trim(text);
		if (p->cap.rule->elem == E_GUID && *guid)
			rss_guid(p, guid);
		set_once(&e->guid, guid);
		break;
	case T_PUBLISHED:
		set_date(&e->published, text);
		break;
	case T_DC_DATE:
		set_date(&p->dc_date, text);
		break;
	case T_UPDATED:
		set_date(&e->updated, text);
		break;
	case T_SUMMARY:
		set_once(&e->summary, html_value(p, text));
		break;
	case T_CONTENT:
		set_once(&e->content, html_value(p, text));
		break;
	case T_AUTHOR:
		rss_author(p, text);
		break;
	case T_CREATOR:
	case T_AUTHOR_NAME:
		set_author(&e->author, &p->author_rank,
			   parse_text_collapse(text), 2);
		break;
	case T_AUTHOR_EMAIL:
		set_author(&e->author, &p->author_rank, parse_text_trim(text), 1);
		break;
	case T_CATEGORY:
		add_category(p, parse_text_collapse(text));
		break;
	default:
		break;
	}
}

void parse_feed_end(struct parser *p, const struct rule *r)
{
	char *text;

	if (r->target == T_ENTRY) {
		if (p->in_entry && p->depth == p->entry_depth)
			entry_end(p);
		return;
	}
	if (!p->cap.active || p->cap.rule != r || p->cap.depth != p->depth)
		return;
	text = parse_text_clean(p->cap.text.data ? p->cap.text.data : "",
				p->cap.text.len);
	if (p->in_entry)
		apply_entry_field(p, r->target, text);
	else
		apply_feed_field(p, r->target, text);
	free(text);
}

void parse_feed_cut_entry(struct parser *p)
{
	int depth = p->depth;

	if (p->cap.active) {
		p->depth = p->cap.depth;	/* for the field's xml:base */
		parse_feed_end(p, p->cap.rule);
		p->cap.active = 0;
		p->depth = depth;
	}
	entry_end(p);
	p->repaired = 1;
}
