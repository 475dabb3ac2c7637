/*
 * dedupe_corpus.h — reads the labelled dedupe corpus in tests/data/dedupe
 * (make_corpus.py describes it) for the tests that use it:
 * test_dedupe_corpus (stories scored against the labels) and
 * test_dedupe_print (fingerprints).  The files are looked up under
 * $top_srcdir (set by the test harness), else the current directory.
 *
 * feeds.tsv:  name, title, language, priority
 * items.tsv:  arrival, feed, guid, link, published ("-": none), title,
 *             summary, story (the ground truth); times in seconds after
 *             CORPUS_T0.  Lines starting with '#' are comments.
 */
#ifndef FEEDMUX_TESTS_DEDUPE_CORPUS_H
#define FEEDMUX_TESTS_DEDUPE_CORPUS_H

#include <stdint.h>
#include <stdio.h>

#include "entry.h"

#define CORPUS_T0 1775174400	/* 2026-04-03 00:00 UTC, the corpus's day 0 */
#define CORPUS_MAX_FIELDS 8

/* An open corpus file; corpus_close() frees what it holds. */
struct corpus_file {
	FILE *fp;
	char *line;		/* owned: the current row, split in place */
	size_t cap;
	char *field[CORPUS_MAX_FIELDS];
};

/* A row of feeds.tsv.  The strings borrow the file's current line. */
struct corpus_feed {
	const char *name;
	const char *title;
	int priority;
};

/* A row of items.tsv.  The strings (and the entry's) borrow the file's
 * current line. */
struct corpus_item {
	int64_t arrival;	/* when the item is first seen, Unix seconds */
	const char *feed;
	const char *story;	/* the label: same story, same label */
	struct entry entry;	/* guid, link, published, title, summary
				 * (NULL when empty); no content, no update */
};

/* Opens tests/data/dedupe/<name>: 0, or -1. */
int corpus_open(struct corpus_file *c, const char *name);
/* The next row of feeds.tsv: 1, or 0 at the end of the file. */
int corpus_next_feed(struct corpus_file *c, struct corpus_feed *out);
/* The next row of items.tsv: 1, or 0 at the end of the file. */
int corpus_next_item(struct corpus_file *c, struct corpus_item *out);
/* Closes c; no-op on a file that did not open. */
void corpus_close(struct corpus_file *c);

#endif
