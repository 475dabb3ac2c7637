/*
 * store_story.c — stories: which items are copies of one story
 * (DESIGN.md: Deduplication, in three rings), the band index that finds
 * near-copies without reading every item, the copy a story shows, and the
 * other copies listed with it in the outputs.  What makes two items the
 * same story is decided in dedupe.c; this file only does the SQL.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "log.h"
#include "store.h"
#include "store_int.h"

void store_copies_free(struct store_copy *copies, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(copies[i].url);
		free(copies[i].feed_title);
		free(copies[i].feed_name);
	}
	free(copies);
}

int story_copies_load(struct store *st, struct store_item *it)
{
	sqlite3_stmt *s = st->stmt[S_STORY_COPIES];
	struct store_copy *c;
	int rc;

	sqlite3_bind_int64(s, 1, it->story_id);
	sqlite3_bind_int64(s, 2, it->item_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		it->copies = xrealloc(it->copies,
				      (it->n_copies + 1) * sizeof *it->copies);
		c = &it->copies[it->n_copies++];
		c->url = col_str(s, 0);
		c->feed_title = col_str(s, 1);
		c->feed_name = col_str(s, 2);
	}
	if (rc != SQLITE_DONE)
		db_fail(st, "story copies");
	stmt_done(s);
	return rc == SQLITE_DONE ? 0 : -1;
}
