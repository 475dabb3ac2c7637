/*
 * parse_fields.c — how the elements parse_feed.c recognizes become the
 * fields of struct entry and struct feed_meta: which of two competing
 * elements wins (pubDate over dc:date, a name over a bare email), what
 * attributes carry (enclosure url/length/type, category domain, Atom
 * link rel), and the HTML that goes through the sanitizer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "parse_int.h"
#include "sanitize.h"

#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

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

const char *parse_current_base(const struct parser *p)
{
	return p->frames[p->depth].base;
}

char *parse_url_value(const struct parser *p, const char *text)
{
	char *trimmed = parse_text_trim(text), *url = NULL;

	if (*trimmed)
		url = parse_resolve(trimmed, parse_current_base(p));
	free(trimmed);
	return url;
}

static int is_http_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 ||
	       strncasecmp(s, "https://", 8) == 0;
}

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

static int has_person(const struct entry_person *list, size_t n,
		      const char *name, const char *email)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((name && list[i].name && strcmp(name, list[i].name) == 0) ||
		    (!name && email && list[i].email &&
		     strcmp(email, list[i].email) == 0))
			return 1;
	return 0;
}

/* A person of the entry: the list, and the display name. */
static void entry_person(struct parser *p, int contributor, const char *name,
			 const char *email, const char *uri)
{
	struct entry *e = &p->entry;

	if (contributor) {
		if (!has_person(e->contributors, e->n_contributors, name, email))
			entry_add_person(&e->contributors, &e->n_contributors,
					 name, email, uri);
		return;
	}
	if (!has_person(e->authors, e->n_authors, name, email))
		entry_add_person(&e->authors, &e->n_authors, name, email, uri);
	if (name && *name)
		set_author(&e->author, &p->author_rank, xstrdup(name), 2);
	else if (email && *email)
		set_author(&e->author, &p->author_rank, xstrdup(email), 1);
}

/* RSS 2.0 author is "email (Name)"; also "Name <email>", a bare email,
 * or (in practice) just a name. */
static void rss_author(struct parser *p, const char *text)
{
	char *s = parse_text_collapse(text), *open, *name = NULL, *email = NULL;
	size_t len = strlen(s);

	open = strrchr(s, '(');
	if (len > 0 && s[len - 1] == ')' && open && open > s) {
		s[len - 1] = '\0';
		*open = '\0';
		name = parse_text_trim(open + 1);
		email = parse_text_trim(s);
	} else if (len > 0 && s[len - 1] == '>' && (open = strrchr(s, '<'))) {
		s[len - 1] = '\0';
		*open = '\0';
		email = parse_text_trim(open + 1);
		name = parse_text_trim(s);
	} else if (strchr(s, '@') && !strchr(s, ' ')) {
		email = xstrdup(s);
	} else {
		name = xstrdup(s);
	}
	entry_person(p, 0, name && *name ? name : NULL,
		     email && *email ? email : NULL, NULL);
	free(name);
	free(email);
	free(s);
}

static void add_category(struct parser *p, char *term, const char *scheme,
			 const char *label)
{
	if (*term && p->entry.n_categories < PARSE_MAX_CATEGORIES)
		entry_add_category_full(&p->entry, term, scheme, label);
	free(term);
}

static void set_date(int64_t *field, const char *text)
{
	if (*field == ENTRY_NO_DATE)
		*field = date_parse(text);
}

/* ---- entries ---- */

void parse_fields_entry_begin(struct parser *p)
{
	entry_clear(&p->entry);
	p->in_entry = 1;
	p->entry_depth = p->depth;
	p->author_rank = 0;
	p->dc_date = ENTRY_NO_DATE;
	p->guid_permalink = 0;
	free(p->guid_link);
	p->guid_link = NULL;
	free(p->rdf_about);
	p->rdf_about = NULL;
	p->in_source = 0;
}

/* RFC 4287 §4.2.1: an entry without author has the feed's. */
static void inherit_authors(struct parser *p)
{
	struct entry *e = &p->entry;
	size_t i;

	if (e->n_authors == 0)
		for (i = 0; i < p->n_feed_authors; i++)
			entry_add_person(&e->authors, &e->n_authors,
					 p->feed_authors[i].name,
					 p->feed_authors[i].email,
					 p->feed_authors[i].uri);
	if (e->author == NULL)
		e->author = xstrdup(p->feed_author);
}

void parse_fields_entry_end(struct parser *p)
{
	struct entry *e = &p->entry;
	const char *lang = p->frames[p->entry_depth].lang;

	if (e->published == ENTRY_NO_DATE)
		e->published = p->dc_date;	/* dc:date only if no pubDate */
	if (e->link == NULL) {
		e->link = p->guid_link;
		p->guid_link = NULL;
	}
	if (e->guid == NULL) {
		e->guid = p->rdf_about;	/* RSS 1.0 §5.5: the item's URI */
		p->rdf_about = NULL;
	}
	if (e->language == NULL)
		e->language = xstrdup(lang ? lang : p->meta.language);
	inherit_authors(p);
	if (p->on_entry)
		p->on_entry(p->cb_ctx, e);
	p->n_entries++;
	entry_clear(e);
	free(p->guid_link);
	p->guid_link = NULL;
	free(p->rdf_about);
	p->rdf_about = NULL;
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
		p->guid_link = parse_resolve(guid, parse_current_base(p));
	}
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
			set_once(&p->entry.source.link, xstrdup(url));
		else if (rel_is(trimmed, "self"))
			set_once(&p->entry.source.feed_url, xstrdup(url));
	} else if (rel_is(trimmed, "alternate")) {
		set_once(r->target == T_ATOM_LINK ? &p->entry.link :
						    &p->meta.link, xstrdup(url));
	} else if (r->target == T_ATOM_LINK && rel_is(trimmed, "enclosure")) {
		link_enclosure(p, attrs, n_attrs, url);
	} else if (r->target == T_ATOM_LINK && rel_is(trimmed, "replies")) {
		set_once(&p->entry.comments, xstrdup(url));
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
		add_category(p, parse_text_collapse(term), scheme, label);
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
			set_once(&p->entry.source.feed_url,
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

/* Summary and content: HTML, sanitized, its URLs made absolute against
 * the element's own xml:base (only known here, at parse time). */
static char *html_value(const struct parser *p, const char *text)
{
	char *trimmed = parse_text_trim(text), *html, *safe;

	if (p->cap.type == TEXT_PLAIN) {
		html = parse_text_escape_html(trimmed);	/* type="text" */
		free(trimmed);
		return html;
	}
	safe = sanitize_html(trimmed, parse_current_base(p));
	free(trimmed);
	html = parse_text_trim(safe);
	free(safe);
	return html;
}

/* Atom subtitle is a text construct; RSS description is often HTML. */
static char *feed_subtitle(const struct parser *p, const char *text)
{
	char *plain, *subtitle;

	if (p->cap.rule->flags & RULE_TEXT_CONSTRUCT)
		return title_value(p, text);
	plain = parse_text_from_html(text);
	subtitle = parse_text_collapse(plain);
	free(plain);
	return subtitle;
}

static void apply_feed_person(struct parser *p, enum target t,
			      const char *text)
{
	if (t == T_AUTHOR_NAME)
		set_once(&p->person.name, parse_text_collapse(text));
	else if (t == T_AUTHOR_EMAIL)
		set_once(&p->person.email, parse_text_trim(text));
	else if (t == T_AUTHOR_URI)
		set_once(&p->person.uri, parse_url_value(p, text));
}

static void apply_feed_field(struct parser *p, enum target t, const char *text)
{
	switch (t) {
	case T_FEED_TITLE:
		set_once(&p->meta.title, title_value(p, text));
		break;
	case T_FEED_LINK:
		set_once(&p->meta.link, parse_url_value(p, text));
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
	case T_FEED_SUBTITLE:
		set_once(&p->meta.subtitle, feed_subtitle(p, text));
		break;
	case T_FEED_LANGUAGE:
		set_once(&p->meta.language, parse_text_trim(text));
		break;
	case T_FEED_ICON:
		free(p->meta.icon);	/* atom:icon beats atom:logo */
		p->meta.icon = parse_url_value(p, text);
		break;
	case T_FEED_LOGO:
		set_once(&p->meta.icon, parse_url_value(p, text));
		break;
	default:
		apply_feed_person(p, t, text);
		break;
	}
}

static void apply_source_field(struct parser *p, enum target t,
			       const char *text)
{
	struct entry_source *s = &p->entry.source;

	if (t == T_SOURCE_ID)
		set_once(&s->id, parse_text_trim(text));
	else if (t == T_SOURCE_TITLE || t == T_SOURCE)
		set_once(&s->title, title_value(p, text));
	else if (t == T_SOURCE_UPDATED && s->updated == ENTRY_NO_DATE)
		s->updated = date_parse(text);
}

static void apply_entry_field(struct parser *p, enum target t,
			      const char *text)
{
	struct entry *e = &p->entry;
	char *s;

	switch (t) {
	case T_TITLE:
		set_once(&e->title, title_value(p, text));
		break;
	case T_LINK:
		set_once(&e->link, parse_url_value(p, text));
		break;
	case T_GUID:
		s = parse_text_trim(text);
		if (p->cap.rule->elem == E_GUID && *s)
			rss_guid(p, s);
		set_once(&e->guid, s);
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
	case T_CONTRIBUTOR:
		s = parse_text_collapse(text);
		if (*s)
			entry_person(p, t == T_CONTRIBUTOR, s, NULL, NULL);
		free(s);
		break;
	case T_CATEGORY:
		add_category(p, parse_text_collapse(text), p->cat_scheme, NULL);
		free(p->cat_scheme);
		p->cat_scheme = NULL;
		break;
	case T_COMMENTS:
		set_once(&e->comments, parse_url_value(p, text));
		break;
	case T_LANGUAGE:
		set_once(&e->language, parse_text_trim(text));
		break;
	case T_SOURCE:
	case T_SOURCE_ID:
	case T_SOURCE_TITLE:
	case T_SOURCE_UPDATED:
		apply_source_field(p, t, text);
		break;
	default:
		apply_feed_person(p, t, text);
		break;
	}
}

void parse_fields_apply(struct parser *p, enum target t, const char *text)
{
	if (!p->in_entry && parse_hints_apply(p, t, text))
		return;
	if (p->in_entry)
		apply_entry_field(p, t, text);
	else
		apply_feed_field(p, t, text);
}

/* The end of an Atom person construct (RFC 4287 §3.2) or <source>. */
void parse_fields_end_container(struct parser *p, const struct rule *r)
{
	struct entry_person *q = &p->person;

	if (r->target == T_SOURCE_CONTAINER) {
		p->in_source = 0;
		return;
	}
	if (p->in_entry) {
		entry_person(p, (r->flags & RULE_CONTRIBUTOR) != 0, q->name,
			     q->email, q->uri);
	} else if (!(r->flags & RULE_CONTRIBUTOR)) {
		entry_add_person(&p->feed_authors, &p->n_feed_authors,
				 q->name, q->email, q->uri);
		if (q->name)
			set_author(&p->feed_author, &p->feed_author_rank,
				   xstrdup(q->name), 2);
		else if (q->email)
			set_author(&p->feed_author, &p->feed_author_rank,
				   xstrdup(q->email), 1);
	}
	entry_person_clear(q);
}

void parse_fields_free(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->n_feed_authors; i++)
		entry_person_clear(&p->feed_authors[i]);
	free(p->feed_authors);
	p->feed_authors = NULL;
	p->n_feed_authors = 0;
	entry_person_clear(&p->person);
	free(p->cat_scheme);
	p->cat_scheme = NULL;
	free(p->rdf_about);
	p->rdf_about = NULL;
}
