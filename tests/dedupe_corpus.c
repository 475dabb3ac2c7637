/*
 * dedupe_corpus.c — the dedupe corpus's TSV files, row by row
 * (dedupe_corpus.h).
 */
#include <stdlib.h>
#include <string.h>

#include "dedupe_corpus.h"

int corpus_open(struct corpus_file *c, const char *name)
{
	const char *top = getenv("top_srcdir");
	char path[1024];

	memset(c, 0, sizeof *c);
	snprintf(path, sizeof path, "%s/tests/data/dedupe/%s", top ? top : ".",
		 name);
	c->fp = fopen(path, "r");
	return c->fp ? 0 : -1;
}

/* Splits c's line at tabs into at most CORPUS_MAX_FIELDS fields, in
 * place; the number of fields. */
static size_t split_tabs(struct corpus_file *c)
{
	size_t n = 0;
	char *p = c->line;

	p[strcspn(p, "\n")] = '\0';
	c->field[n++] = p;
	while (n < CORPUS_MAX_FIELDS && (p = strchr(p, '\t')) != NULL) {
		*p++ = '\0';
		c->field[n++] = p;
	}
	return n;
}

/* The next row that is not a comment and has at least min_fields
 * fields (at most CORPUS_MAX_FIELDS): 1, or 0 at the end. */
static int next_row(struct corpus_file *c, size_t min_fields)
{
	while (getline(&c->line, &c->cap, c->fp) > 0)
		if (c->line[0] != '#' && split_tabs(c) >= min_fields)
			return 1;
	return 0;
}

int corpus_next_feed(struct corpus_file *c, struct corpus_feed *out)
{
	char **f = c->field;

	if (!next_row(c, 4))
		return 0;
	out->name = f[0];
	out->title = f[1];
	out->priority = atoi(f[3]);
	return 1;
}

int corpus_next_item(struct corpus_file *c, struct corpus_item *out)
{
	char **f = c->field;
	struct entry *e = &out->entry;

	if (!next_row(c, CORPUS_MAX_FIELDS))
		return 0;
	memset(out, 0, sizeof *out);
	out->arrival = CORPUS_T0 + atoll(f[0]);
	out->feed = f[1];
	out->story = f[7];
	e->guid = f[2];
	e->link = f[3];
	e->published = strcmp(f[4], "-") ? CORPUS_T0 + atoll(f[4]) : ENTRY_NO_DATE;
	e->updated = ENTRY_NO_DATE;
	e->title = f[5];
	e->summary = *f[6] ? f[6] : NULL;
	return 1;
}

void corpus_close(struct corpus_file *c)
{
	if (c->fp)
		fclose(c->fp);
	free(c->line);
	memset(c, 0, sizeof *c);
}
