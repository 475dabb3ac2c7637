/*
 * entry.c — the item struct shared by parse, store and render.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "entry.h"

void entry_clear(struct entry *e)
{
	size_t i;

	free(e->guid);
	free(e->link);
	free(e->title);
	free(e->summary);
	free(e->content);
	free(e->author);
	for (i = 0; i < e->n_categories; i++)
		free(e->categories[i]);
	free(e->categories);
	memset(e, 0, sizeof *e);
	e->published = e->updated = ENTRY_NO_DATE;
}

void entry_add_category(struct entry *e, const char *term)
{
	size_t i;

	for (i = 0; i < e->n_categories; i++)
		if (strcmp(e->categories[i], term) == 0)
			return;	/* each category once */
	e->categories = xrealloc(e->categories,
				 (e->n_categories + 1) * sizeof *e->categories);
	e->categories[e->n_categories++] = xstrdup(term);
}

void feed_meta_clear(struct feed_meta *m)
{
	free(m->id);
	free(m->title);
	free(m->link);
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
