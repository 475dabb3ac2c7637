/*
 * parse_fields.c — how the elements parse_feed.c recognizes become the
 * fields of struct entry and struct feed_meta: which of two competing
 * elements wins (pubDate over dc:date, a name over a bare email), an
 * entry's begin and end, and the HTML that goes through the sanitizer.
 * What an element's start and attributes carry is parse_fields_start.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "parse_int.h"
#include "sanitize.h"

/* ---- small helpers ---- */

/* Takes value: stores it in an empty field, else frees it.  The first
 * occurrence of a field wins. */
void parse_set_once(char **field, char *value)
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

void parse_add_category(struct parser *p, char *term, const char *scheme,
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
		parse_set_once(&p->person.name, parse_text_collapse(text));
	else if (t == T_AUTHOR_EMAIL)
		parse_set_once(&p->person.email, parse_text_trim(text));
	else if (t == T_AUTHOR_URI)
		parse_set_once(&p->person.uri, parse_url_value(p, text));
}

static void apply_feed_field(struct parser *p, enum target t, const char *text)
{
	switch (t) {
	case T_FEED_TITLE:
		parse_set_once(&p->meta.title, title_value(p, text));
		break;
	case T_FEED_LINK:
		parse_set_once(&p->meta.link, parse_url_value(p, text));
		break;
	case T_FEED_ID:
		parse_set_once(&p->meta.id, parse_text_trim(text));
		break;
	case T_FEED_UPDATED:
		set_date(&p->meta.updated, text);
		break;
	case T_FEED_PUBDATE:
		set_date(&p->meta_pubdate, text);
		break;
	case T_FEED_SUBTITLE:
		parse_set_once(&p->meta.subtitle, feed_subtitle(p, text));
		break;
	case T_FEED_LANGUAGE:
		parse_set_once(&p->meta.language, parse_text_trim(text));
		break;
	case T_FEED_ICON:
		free(p->meta.icon);	/* atom:icon beats atom:logo */
		p->meta.icon = parse_url_value(p, text);
		break;
	case T_FEED_LOGO:
		parse_set_once(&p->meta.icon, parse_url_value(p, text));
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
		parse_set_once(&s->id, parse_text_trim(text));
	else if (t == T_SOURCE_TITLE || t == T_SOURCE)
		parse_set_once(&s->title, title_value(p, text));
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
		parse_set_once(&e->title, title_value(p, text));
		break;
	case T_LINK:
		parse_set_once(&e->link, parse_url_value(p, text));
		break;
	case T_GUID:
		s = parse_text_trim(text);
		if (p->cap.rule->elem == E_GUID && *s)
			rss_guid(p, s);
		parse_set_once(&e->guid, s);
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
		parse_set_once(&e->summary, html_value(p, text));
		break;
	case T_CONTENT:
		parse_set_once(&e->content, html_value(p, text));
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
		parse_add_category(p, parse_text_collapse(text), p->cat_scheme, NULL);
		free(p->cat_scheme);
		p->cat_scheme = NULL;
		break;
	case T_COMMENTS:
		parse_set_once(&e->comments, parse_url_value(p, text));
		break;
	case T_LANGUAGE:
		parse_set_once(&e->language, parse_text_trim(text));
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
