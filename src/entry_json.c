/*
 * entry_json.c — struct entry <-> JSON, see entry_json.h.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "entry_json.h"

static void put_str(json_t *o, const char *key, const char *value)
{
	if (value)
		json_object_set_new(o, key, json_string(value));
}

static void put_date(json_t *o, const char *key, int64_t t)
{
	char s[40];

	if (t == ENTRY_NO_DATE)
		return;
	date_format_rfc3339(t, s, sizeof s);
	json_object_set_new(o, key, json_string(s));
}

static void put_int(json_t *o, const char *key, int64_t v)
{
	if (v != ENTRY_NO_LENGTH)
		json_object_set_new(o, key, json_integer(v));
}

static json_t *persons(const struct entry_person *list, size_t n)
{
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; i < n; i++) {
		o = json_object();
		put_str(o, "name", list[i].name);
		put_str(o, "email", list[i].email);
		put_str(o, "uri", list[i].uri);
		json_array_append_new(a, o);
	}
	return a;
}

static const char *const kinds[] = { "enclosure", "media:content",
				     "media:thumbnail" };

static json_t *enclosures(const struct entry *e)
{
	json_t *a = json_array(), *o;
	const struct entry_enclosure *enc;
	size_t i;

	for (i = 0; i < e->n_enclosures; i++) {
		enc = &e->enclosures[i];
		o = json_object();
		put_str(o, "url", enc->url);
		put_str(o, "type", enc->type);
		put_str(o, "title", enc->title);
		put_int(o, "length", enc->length);
		put_int(o, "duration", enc->duration);
		if (enc->kind != ENTRY_MEDIA_ENCLOSURE)
			put_str(o, "kind", kinds[enc->kind]);
		json_array_append_new(a, o);
	}
	return a;
}

/* Each category: its term, or {term, scheme, label} when it has more. */
static json_t *categories(const struct entry *e, int with_terms)
{
	json_t *a = json_array(), *o;
	const struct entry_category_info *ci;
	size_t i;

	for (i = 0; i < e->n_categories; i++) {
		ci = e->category_info ? &e->category_info[i] : NULL;
		if (ci == NULL || (!ci->scheme && !ci->label)) {
			json_array_append_new(a, with_terms ?
					      json_string(e->categories[i]) :
					      json_null());
			continue;
		}
		o = json_object();
		if (with_terms)
			put_str(o, "term", e->categories[i]);
		put_str(o, "scheme", ci->scheme);
		put_str(o, "label", ci->label);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *source(const struct entry_source *s)
{
	json_t *o;

	if (!s->id && !s->title && !s->link && !s->feed_url)
		return NULL;
	o = json_object();
	put_str(o, "id", s->id);
	put_str(o, "title", s->title);
	put_str(o, "link", s->link);
	put_str(o, "feed_url", s->feed_url);
	put_date(o, "updated", s->updated);
	return o;
}

/* The issue 3 fields into o. */
static void put_extra(json_t *o, const struct entry *e, int with_terms)
{
	json_t *src = source(&e->source);

	if (e->n_authors)
		json_object_set_new(o, "authors",
				    persons(e->authors, e->n_authors));
	if (e->n_contributors)
		json_object_set_new(o, "contributors",
				    persons(e->contributors, e->n_contributors));
	if (e->n_enclosures)
		json_object_set_new(o, "enclosures", enclosures(e));
	if (e->n_categories && (with_terms || e->category_info))
		json_object_set_new(o, "categories", categories(e, with_terms));
	put_str(o, "comments", e->comments);
	put_str(o, "language", e->language);
	if (src)
		json_object_set_new(o, "source", src);
}

json_t *entry_json_full(const struct entry *e)
{
	json_t *o = json_object();

	put_str(o, "guid", e->guid);
	put_str(o, "link", e->link);
	put_str(o, "title", e->title);
	put_str(o, "summary", e->summary);
	put_str(o, "content", e->content);
	put_str(o, "author", e->author);
	put_date(o, "published", e->published);
	put_date(o, "updated", e->updated);
	put_extra(o, e, 1);
	return o;
}

json_t *entry_json_meta(const struct feed_meta *m)
{
	json_t *o = json_object();

	put_str(o, "id", m->id);
	put_str(o, "title", m->title);
	put_str(o, "link", m->link);
	put_date(o, "updated", m->updated);
	put_str(o, "subtitle", m->subtitle);
	put_str(o, "language", m->language);
	put_str(o, "icon", m->icon);
	return o;
}

char *entry_json_extra(const struct entry *e)
{
	json_t *o = json_object();
	char *s = NULL, *copy;

	put_extra(o, e, 0);
	if (json_object_size(o) > 0) {
		s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
		copy = xstrdup(s);
		free(s);
		s = copy;
	}
	json_decref(o);
	return s;
}

/* ---- reading back ---- */

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int64_t num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? json_integer_value(v) : ENTRY_NO_LENGTH;
}

static void load_persons(json_t *a, struct entry_person **list, size_t *n)
{
	json_t *o;
	size_t i;

	json_array_foreach(a, i, o)
		entry_add_person(list, n, str(o, "name"), str(o, "email"),
				 str(o, "uri"));
}

static void load_enclosures(json_t *a, struct entry *e)
{
	struct entry_enclosure *enc;
	enum entry_media_kind kind;
	const char *k;
	json_t *o;
	size_t i;

	json_array_foreach(a, i, o) {
		k = str(o, "kind");
		kind = k && strcmp(k, kinds[1]) == 0 ? ENTRY_MEDIA_CONTENT :
		       k && strcmp(k, kinds[2]) == 0 ? ENTRY_MEDIA_THUMBNAIL :
		       ENTRY_MEDIA_ENCLOSURE;
		enc = entry_add_enclosure(e, str(o, "url"), str(o, "type"),
					  num(o, "length"), kind);
		if (enc) {
			enc->duration = num(o, "duration");
			enc->title = xstrdup(str(o, "title"));
		}
	}
}

static void load_categories(json_t *a, struct entry *e)
{
	json_t *o;
	size_t i;

	json_array_foreach(a, i, o)
		if (i < e->n_categories && json_is_object(o))
			entry_add_category_full(e, e->categories[i],
						str(o, "scheme"),
						str(o, "label"));
}

int entry_json_load_extra(struct entry *e, const char *text)
{
	json_t *o = json_loads(text, 0, NULL), *src;

	if (!json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	load_persons(json_object_get(o, "authors"), &e->authors, &e->n_authors);
	load_persons(json_object_get(o, "contributors"), &e->contributors,
		     &e->n_contributors);
	load_enclosures(json_object_get(o, "enclosures"), e);
	load_categories(json_object_get(o, "categories"), e);
	e->comments = xstrdup(str(o, "comments"));
	e->language = xstrdup(str(o, "language"));
	src = json_object_get(o, "source");
	e->source.id = xstrdup(str(src, "id"));
	e->source.title = xstrdup(str(src, "title"));
	e->source.link = xstrdup(str(src, "link"));
	e->source.feed_url = xstrdup(str(src, "feed_url"));
	e->source.updated = str(src, "updated") ?
		date_parse(str(src, "updated")) : ENTRY_NO_DATE;
	json_decref(o);
	return 0;
}
