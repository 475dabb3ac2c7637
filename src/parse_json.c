/*
 * parse_json.c — JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1)
 * into the same struct entry / feed_meta as RSS and Atom.
 *
 * parse.c collects the whole document (it starts with '{') and hands it
 * here at parse_finish; jansson reads it.  Strings go through the same
 * cleaning as XML text (valid UTF-8, no control characters), HTML
 * through the same sanitizer, relative URLs resolve against the feed URL.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "date.h"
#include "parse_int.h"
#include "sanitize.h"

#define JSONFEED_VERSION_PREFIX "https://jsonfeed.org/version/"

/* Returns a cleaned copy of the string member key of o, or NULL; numbers
 * too (JSON Feed ids are strings, but some feeds write numbers). */
static char *str_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	char num[32];
	char *clean, *trimmed;

	if (json_is_integer(v)) {
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		return xstrdup(num);
	}
	if (!json_is_string(v))
		return NULL;
	clean = parse_text_clean(json_string_value(v), json_string_length(v));
	trimmed = parse_text_trim(clean);
	free(clean);
	if (*trimmed == '\0') {
		free(trimmed);
		return NULL;
	}
	return trimmed;
}

static char *url_of(const struct parser *p, json_t *o, const char *key)
{
	char *s = str_of(o, key), *url;

	if (s == NULL)
		return NULL;
	url = parse_resolve(s, p->feed_url);
	free(s);
	return url;
}

static int64_t date_of(json_t *o, const char *key)
{
	char *s = str_of(o, key);
	int64_t t = s ? date_parse(s) : ENTRY_NO_DATE;

	free(s);
	return t;
}

/* JSON Feed 1.1 "authors" (an array), 1.0 "author" (an object). */
static void authors_of(const struct parser *p, json_t *o,
		       struct entry_person **list, size_t *n)
{
	json_t *arr = json_object_get(o, "authors"), *a;
	char *name, *uri;
	size_t i;

	if (!json_is_array(arr)) {
		a = json_object_get(o, "author");
		arr = json_is_object(a) ? json_pack("[O]", a) : NULL;
	} else {
		json_incref(arr);
	}
	json_array_foreach(arr, i, a) {
		if (!json_is_object(a))
			continue;
		name = str_of(a, "name");
		uri = url_of(p, a, "url");
		entry_add_person(list, n, name, NULL, uri);
		free(name);
		free(uri);
	}
	json_decref(arr);
}

static void attachments_of(const struct parser *p, json_t *item,
			   struct entry *e)
{
	json_t *arr = json_object_get(item, "attachments"), *a, *v;
	struct entry_enclosure *enc;
	char *url, *type;
	size_t i;

	json_array_foreach(arr, i, a) {
		url = url_of(p, a, "url");
		type = str_of(a, "mime_type");
		v = json_object_get(a, "size_in_bytes");
		enc = entry_add_enclosure(e, url, type, json_is_integer(v) &&
					  json_integer_value(v) >= 0 ?
					  json_integer_value(v) :
					  ENTRY_NO_LENGTH,
					  ENTRY_MEDIA_ENCLOSURE);
		v = json_object_get(a, "duration_in_seconds");
		if (enc && json_is_number(v) && json_number_value(v) >= 0)
			enc->duration = (int64_t)json_number_value(v);
		if (enc)
			enc->title = str_of(a, "title");
		free(url);
		free(type);
	}
	url = url_of(p, item, "image");
	entry_add_enclosure(e, url, NULL, ENTRY_NO_LENGTH,
			    ENTRY_MEDIA_THUMBNAIL);
	free(url);
}

static void content_of(const struct parser *p, json_t *item, struct entry *e)
{
	char *s;

	if ((s = str_of(item, "content_html")) != NULL) {
		e->content = sanitize_html(s, p->feed_url);
		free(s);
	} else if ((s = str_of(item, "content_text")) != NULL) {
		e->content = parse_text_escape_html(s);
		free(s);
	}
	if ((s = str_of(item, "summary")) != NULL) {	/* plain text */
		e->summary = parse_text_escape_html(s);
		free(s);
	}
}

static void item_of(struct parser *p, json_t *item)
{
	struct entry *e = &p->entry;
	json_t *tags, *t;
	char *title;
	size_t i;

	entry_clear(e);
	e->guid = str_of(item, "id");
	e->link = url_of(p, item, "url");
	if (e->link == NULL)
		e->link = url_of(p, item, "external_url");
	title = str_of(item, "title");
	e->title = title ? parse_text_collapse(title) : NULL;
	free(title);
	content_of(p, item, e);
	e->published = date_of(item, "date_published");
	e->updated = date_of(item, "date_modified");
	authors_of(p, item, &e->authors, &e->n_authors);
	if (e->n_authors == 0)	/* JSON Feed 1.1: items inherit */
		for (i = 0; i < p->n_feed_authors; i++)
			entry_add_person(&e->authors, &e->n_authors,
					 p->feed_authors[i].name,
					 p->feed_authors[i].email,
					 p->feed_authors[i].uri);
	if (e->n_authors > 0)
		e->author = xstrdup(e->authors[0].name ? e->authors[0].name :
				    e->authors[0].uri);
	tags = json_object_get(item, "tags");
	json_array_foreach(tags, i, t)
		if (json_is_string(t) && e->n_categories < PARSE_MAX_CATEGORIES) {
			title = parse_text_clean(json_string_value(t),
						 json_string_length(t));
			if (*title)
				entry_add_category(e, title);
			free(title);
		}
	attachments_of(p, item, e);
	e->language = str_of(item, "language");
	if (e->language == NULL)
		e->language = xstrdup(p->meta.language);
	if (p->on_entry)
		p->on_entry(p->cb_ctx, e);
	p->n_entries++;
	entry_clear(e);
}

static void meta_of(struct parser *p, json_t *root)
{
	char *s;

	s = str_of(root, "title");
	p->meta.title = s ? parse_text_collapse(s) : NULL;
	free(s);
	p->meta.link = url_of(p, root, "home_page_url");
	s = str_of(root, "description");
	p->meta.subtitle = s ? parse_text_collapse(s) : NULL;
	free(s);
	p->meta.language = str_of(root, "language");
	p->meta.icon = url_of(p, root, "icon");
	if (p->meta.icon == NULL)
		p->meta.icon = url_of(p, root, "favicon");
	authors_of(p, root, &p->feed_authors, &p->n_feed_authors);
}

/* RFC 8259 §8.1: a BOM may be ignored.  Bytes that are not UTF-8 are
 * repaired (U+FFFD) rather than losing the whole feed. */
static json_t *load(struct parser *p, json_error_t *error)
{
	const char *doc = p->json_doc.data ? p->json_doc.data : "";
	size_t len = p->json_doc.len;
	json_t *root;
	char *clean;

	while (len > 0 && (*doc == ' ' || *doc == '\t' || *doc == '\r' ||
			   *doc == '\n'))
		doc++, len--;
	if (len >= 3 && memcmp(doc, "\xEF\xBB\xBF", 3) == 0)
		doc += 3, len -= 3;
	root = json_loadb(doc, len, 0, error);
	if (root || json_error_code(error) != json_error_invalid_utf8)
		return root;
	clean = parse_text_clean(doc, len);
	root = json_loadb(clean, strlen(clean), 0, error);
	free(clean);
	parse_note_repair(p, "JSON text that is not UTF-8 repaired");
	return root;
}

int parse_json_document(struct parser *p)
{
	json_error_t error;
	json_t *root, *items, *item;
	const char *version;
	size_t i;

	root = load(p, &error);
	if (root == NULL) {
		parse_fail(p, "not JSON: %s (line %d)", error.text, error.line);
		return -1;
	}
	version = json_string_value(json_object_get(root, "version"));
	if (!json_is_object(root) || version == NULL ||
	    strncmp(version, JSONFEED_VERSION_PREFIX,
		    strlen(JSONFEED_VERSION_PREFIX)) != 0) {
		json_decref(root);
		parse_fail(p, "not a feed: JSON without a JSON Feed version");
		return -1;
	}
	p->format = PARSE_FORMAT_JSON;
	p->root_seen = 1;
	meta_of(p, root);
	items = json_object_get(root, "items");
	json_array_foreach(items, i, item)
		if (json_is_object(item))
			item_of(p, item);
	json_decref(root);
	return 0;
}
