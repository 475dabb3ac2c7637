/*
 * entry.c — the item struct shared by parse, store and render.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "entry.h"

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

void entry_person_clear(struct entry_person *p)
{
	free(p->name);
	free(p->email);
	free(p->uri);
	memset(p, 0, sizeof *p);
}

static void persons_free(struct entry_person *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		entry_person_clear(&list[i]);
	free(list);
}

void entry_clear(struct entry *e)
{
	size_t i;

	free(e->guid);
	free(e->link);
	free(e->title);
	free(e->summary);
	free(e->content);
	free(e->author);
	for (i = 0; i < e->n_categories; i++) {
		free(e->categories[i]);
		if (e->category_info) {
			free(e->category_info[i].scheme);
			free(e->category_info[i].label);
		}
	}
	free(e->categories);
	free(e->category_info);
	persons_free(e->authors, e->n_authors);
	persons_free(e->contributors, e->n_contributors);
	for (i = 0; i < e->n_enclosures; i++) {
		free(e->enclosures[i].url);
		free(e->enclosures[i].type);
		free(e->enclosures[i].title);
	}
	free(e->enclosures);
	free(e->comments);
	free(e->language);
	free(e->source.id);
	free(e->source.title);
	free(e->source.link);
	free(e->source.feed_url);
	memset(e, 0, sizeof *e);
	e->published = e->updated = ENTRY_NO_DATE;
	e->source.updated = ENTRY_NO_DATE;
}

void entry_add_category_full(struct entry *e, const char *term,
			     const char *scheme, const char *label)
{
	struct entry_category_info *ci;
	size_t i;

	for (i = 0; i < e->n_categories; i++)
		if (strcmp(e->categories[i], term) == 0)
			break;	/* each category once */
	if (i == e->n_categories) {
		e->categories = xrealloc(e->categories, (e->n_categories + 1) *
					 sizeof *e->categories);
		e->categories[e->n_categories] = xstrdup(term);
		if (e->category_info) {
			e->category_info = xrealloc(e->category_info,
						    (e->n_categories + 1) *
						    sizeof *e->category_info);
			memset(&e->category_info[e->n_categories], 0,
			       sizeof *e->category_info);
		}
		e->n_categories++;
	}
	if (!(scheme && *scheme) && !(label && *label))
		return;
	if (!e->category_info) {
		e->category_info = xmalloc(e->n_categories *
					   sizeof *e->category_info);
		memset(e->category_info, 0,
		       e->n_categories * sizeof *e->category_info);
	}
	ci = &e->category_info[i];
	if (!ci->scheme)
		ci->scheme = dup_or_null(scheme);
	if (!ci->label)
		ci->label = dup_or_null(label);
}

void entry_add_category(struct entry *e, const char *term)
{
	entry_add_category_full(e, term, NULL, NULL);
}

void entry_add_person(struct entry_person **list, size_t *n,
		      const char *name, const char *email, const char *uri)
{
	struct entry_person *p;

	if (!(name && *name) && !(email && *email) && !(uri && *uri))
		return;
	*list = xrealloc(*list, (*n + 1) * sizeof **list);
	p = &(*list)[(*n)++];
	p->name = dup_or_null(name);
	p->email = dup_or_null(email);
	p->uri = dup_or_null(uri);
}

struct entry_enclosure *entry_add_enclosure(struct entry *e, const char *url,
					    const char *type, int64_t length,
					    enum entry_media_kind kind)
{
	struct entry_enclosure *enc;
	size_t i;

	if (!url || !*url)
		return NULL;
	for (i = 0; i < e->n_enclosures; i++)
		if (strcmp(e->enclosures[i].url, url) == 0)
			return NULL;	/* media:content repeating <enclosure> */
	e->enclosures = xrealloc(e->enclosures,
				 (e->n_enclosures + 1) * sizeof *e->enclosures);
	enc = &e->enclosures[e->n_enclosures++];
	enc->url = xstrdup(url);
	enc->type = dup_or_null(type);
	enc->title = NULL;
	enc->length = length;
	enc->duration = ENTRY_NO_LENGTH;
	enc->kind = kind;
	return enc;
}

void feed_meta_clear(struct feed_meta *m)
{
	free(m->id);
	free(m->title);
	free(m->link);
	free(m->subtitle);
	free(m->language);
	free(m->icon);
	free(m->update_period);
	memset(m, 0, sizeof *m);
	m->updated = ENTRY_NO_DATE;
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

char *entry_key(const struct entry *e)
{
	struct buf b = {0};
	uint64_t h;

	if (e->guid && *e->guid) {
		buf_puts(&b, "g:");
		buf_puts(&b, e->guid);
	} else if (e->link && *e->link) {
		buf_puts(&b, "l:");
		buf_puts(&b, e->link);
	} else {
		h = fnv1a(0xcbf29ce484222325ULL, e->title);
		h ^= 0;	/* the NUL between title and content */
		h *= 0x100000001b3ULL;
		h = fnv1a(h, e->content ? e->content : e->summary);
		buf_printf(&b, "h:%016" PRIx64, h);
	}
	return buf_steal(&b);
}
