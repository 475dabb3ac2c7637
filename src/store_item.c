/*
 * store_item.c — the store's items and stories: storing a fetched entry
 * under its key (new, updated in place, or only touched, decided by a
 * hash of its shown fields), each new item with its own story, and the
 * output queries that list the newest stories, merged or per section,
 * with their query plan for tests.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "log.h"
#include "store.h"
#include "entry_json.h"
#include "store_int.h"

/* ---- items and stories ---- */

/* The categories one per line (caller frees; NULL when none).  A newline
 * inside a term would split it on the way back, so it becomes a space. */
static char *categories_join(const struct entry *e)
{
	struct buf b = {0};
	size_t i, j;

	if (e->n_categories == 0)
		return NULL;
	for (i = 0; i < e->n_categories; i++) {
		if (i > 0)
			buf_puts(&b, "\n");
		j = b.len;
		buf_puts(&b, e->categories[i]);
		for (; j < b.len; j++)
			if (b.data[j] == '\n')
				b.data[j] = ' ';
	}
	return buf_steal(&b);
}

static void categories_split(struct entry *e, const char *s)
{
	const char *nl;
	char *term;

	while (s && *s) {
		nl = strchr(s, '\n');
		term = xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));
		if (*term)
			entry_add_category(e, term);
		free(term);
		s = nl ? nl + 1 : NULL;
	}
}

/* FNV-1a 64 over one field; a NULL field and an empty one differ. */
static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--) {
		h ^= *c++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	unsigned char tag = s ? 1 : 0;
	uint64_t len = s ? strlen(s) : 0;

	h = hash_bytes(h, &tag, 1);
	h = hash_bytes(h, &len, sizeof len);
	return hash_bytes(h, s, len);
}

/* A hash of every stored field: equal hashes mean nothing shown changed. */
static void content_hash(const struct entry *e, const char *categories,
			 char out[17])
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char *extra;

	h = hash_str(h, e->guid);
	h = hash_str(h, e->link);
	h = hash_str(h, e->title);
	h = hash_str(h, e->summary);
	h = hash_str(h, e->content);
	h = hash_str(h, e->author);
	h = hash_str(h, categories);
	h = hash_bytes(h, &e->published, sizeof e->published);
	h = hash_bytes(h, &e->updated, sizeof e->updated);
	extra = entry_json_extra(e);
	h = hash_str(h, extra);	/* nothing when absent: old hashes hold */
	free(extra);
	snprintf(out, 17, "%016" PRIx64, h);
}

/* Binds the entry's fields to ?first .. ?first+8 of s. */
static void bind_entry(sqlite3_stmt *s, int first, const struct entry *e,
		       const char *categories)
{
	bind_text(s, first, e->guid);
	bind_text(s, first + 1, e->link);
	bind_text(s, first + 2, e->title);
	bind_text(s, first + 3, e->summary);
	bind_text(s, first + 4, e->content);
	bind_text(s, first + 5, e->author);
	bind_text(s, first + 6, categories);
	bind_date(s, first + 7, e->published);
	bind_date(s, first + 8, e->updated);
}

/* A new item, in the story it is a copy of or its own (store_story.c),
 * written once with its story and fingerprint columns. */
static int item_insert(struct store *st, int64_t feed_id, const char *key,
		       const struct entry *e, const char *cats,
		       const char *hash, int64_t now)
{
	sqlite3_stmt *s = st->stmt[S_ITEM_INSERT];
	struct story_plan plan;
	const struct dedupe_print *p = &plan.print;
	char *extra;	/* issue 3 fields as JSON, or NULL */
	int rc;

	if (story_plan_make(st, feed_id, e, now, &plan)) {
		story_plan_clear(&plan);
		return -1;
	}
	sqlite3_bind_int64(s, 1, feed_id);
	bind_text(s, 2, key);
	bind_entry(s, 3, e, cats);
	bind_text(s, 12, hash);
	sqlite3_bind_int64(s, 13, now);
	extra = entry_json_extra(e);
	bind_text(s, 14, extra);
	sqlite3_bind_int64(s, 15, plan.story_id);
	if (plan.dedupe) {	/* else NULL: never a candidate */
		bind_text(s, 16, p->canonical_url);
		sqlite3_bind_int64(s, 17, p->at);
		sqlite3_bind_int64(s, 18, (int64_t)p->title_simhash);
		sqlite3_bind_int64(s, 19, (int64_t)p->lead_simhash);
	}
	rc = stmt_run(st, s, "item insert");
	free(extra);
	if (rc == 0)
		rc = story_plan_attach(st, feed_id,
				       sqlite3_last_insert_rowid(st->db), e,
				       hash, &plan);
	story_plan_clear(&plan);
	return rc;
}

static int item_update(struct store *st, int64_t item_id, int64_t story_id,
		       int published_changed, const struct entry *e,
		       const char *cats, const char *hash, int64_t now)
{
	sqlite3_stmt *s = st->stmt[S_ITEM_UPDATE];
	char *extra;	/* issue 3 fields as JSON, or NULL */
	int rc;

	sqlite3_bind_int64(s, 1, item_id);
	bind_entry(s, 2, e, cats);
	bind_text(s, 11, hash);
	sqlite3_bind_int64(s, 12, now);
	extra = entry_json_extra(e);
	bind_text(s, 13, extra);
	rc = stmt_run(st, s, "item update");
	free(extra);
	if (rc)
		return -1;
	if (!published_changed)
		return 0;
	s = st->stmt[S_STORY_SORT];
	sqlite3_bind_int64(s, 1, story_id);
	bind_date(s, 2, e->published);
	return stmt_run(st, s, "story sort date");
}

/* What is stored under (feed_id, key): found is 0 when nothing. */
struct item_row {
	int found;
	int64_t id, story_id, published;
	int same_hash;
};

static int item_find(struct store *st, int64_t feed_id, const char *key,
		     const char *hash, struct item_row *r)
{
	sqlite3_stmt *s = st->stmt[S_ITEM_FIND];
	const char *old;
	int rc;

	memset(r, 0, sizeof *r);
	sqlite3_bind_int64(s, 1, feed_id);
	bind_text(s, 2, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		r->found = 1;
		r->id = sqlite3_column_int64(s, 0);
		old = (const char *)sqlite3_column_text(s, 1);
		r->same_hash = old && strcmp(old, hash) == 0;
		r->story_id = sqlite3_column_int64(s, 2);
		r->published = col_date(s, 3);
	} else if (rc != SQLITE_DONE) {
		db_fail(st, "item find");
	}
	stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* 1 when key was pruned from feed_id (its tombstone now says the feed
 * listed it at now: prune.h), 0 when not, -1 on error. */
static int tombstone_touch(struct store *st, int64_t feed_id,
			   const char *key, int64_t now)
{
	sqlite3_stmt *s = st->stmt[S_TOMB_TOUCH];

	sqlite3_bind_int64(s, 1, feed_id);
	bind_text(s, 2, key);
	sqlite3_bind_int64(s, 3, now);
	if (stmt_run(st, s, "tombstone touch"))
		return -1;
	return sqlite3_changes(st->db) > 0;
}

int store_put_entry(struct store *st, int64_t feed_id, const struct entry *e,
		    int64_t now, enum store_put_result *res)
{
	char *key, *cats, hash[17];
	struct item_row r;
	int rc;

	if (!st->in_txn) {
		log_err("store: put entry: no transaction is open");
		return -1;
	}
	key = entry_key(e);
	cats = categories_join(e);
	content_hash(e, cats, hash);
	rc = item_find(st, feed_id, key, hash, &r);
	if (rc == 0 && !r.found &&
	    (rc = tombstone_touch(st, feed_id, key, now)) == 1) {
		rc = 0;		/* pruned: never new again */
		*res = STORE_PUT_UNCHANGED;
	} else if (rc == 0 && !r.found) {
		rc = item_insert(st, feed_id, key, e, cats, hash, now);
		*res = STORE_PUT_NEW;
	} else if (rc == 0 && r.same_hash) {
		sqlite3_bind_int64(st->stmt[S_ITEM_TOUCH], 1, r.id);
		sqlite3_bind_int64(st->stmt[S_ITEM_TOUCH], 2, now);
		rc = stmt_run(st, st->stmt[S_ITEM_TOUCH], "item touch");
		*res = STORE_PUT_UNCHANGED;
	} else if (rc == 0) {
		rc = item_update(st, r.id, r.story_id,
				 r.published != e->published, e, cats, hash,
				 now);
		*res = STORE_PUT_UPDATED;
	}
	if (rc == 0 && *res != STORE_PUT_UNCHANGED)
		mark_changed(st, now);
	free(key);
	free(cats);
	return rc;
}

/* ---- output queries ---- */

void store_items_free(struct store_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		entry_clear(&items[i].e);
		free(items[i].feed_name);
		free(items[i].feed_title);
		free(items[i].feed_url);
		free(items[i].feed_link);
		free(items[i].feed_source_id);
		store_copies_free(items[i].copies, items[i].n_copies);
	}
	free(items);
}

static void item_from_row(sqlite3_stmt *s, struct store_item *it)
{
	const char *extra;

	memset(it, 0, sizeof *it);
	it->story_id = sqlite3_column_int64(s, 0);
	it->item_id = sqlite3_column_int64(s, 1);
	it->e.guid = col_str(s, 2);
	it->e.link = col_str(s, 3);
	it->e.title = col_str(s, 4);
	it->e.summary = col_str(s, 5);
	it->e.content = col_str(s, 6);
	it->e.author = col_str(s, 7);
	categories_split(&it->e, (const char *)sqlite3_column_text(s, 8));
	it->e.published = col_date(s, 9);
	it->e.updated = col_date(s, 10);
	it->first_seen = sqlite3_column_int64(s, 11);
	it->feed_id = sqlite3_column_int64(s, 12);
	it->feed_name = col_str(s, 13);
	it->feed_title = col_str(s, 14);
	it->feed_url = col_str(s, 15);
	it->feed_link = col_str(s, 16);
	it->feed_source_id = col_str(s, 17);
	it->feed_updated = col_date(s, 18);
	it->sort_date = sqlite3_column_int64(s, 19);
	extra = (const char *)sqlite3_column_text(s, 20);
	if (extra)
		entry_json_load_extra(&it->e, extra);
}

/* A negative limit means no limit (SQLite's LIMIT -1). */
int store_list_items(struct store *st, const char *section, int limit,
		     struct store_item **out, size_t *n)
{
	return store_list_items_before(st, section, limit, INT64_MAX,
				       INT64_MAX, out, n);
}

int store_list_items_before(struct store *st, const char *section, int limit,
			    int64_t before_date, int64_t before_id,
			    struct store_item **out, size_t *n)
{
	sqlite3_stmt *s = st->stmt[section ? S_LIST_SECTION : S_LIST_ALL];
	struct store_item *v = NULL;
	size_t len = 0, i;
	int rc;

	store_settle(st);	/* served rows are committed rows (store.h) */
	bind_text(s, 1, section);
	sqlite3_bind_int(s, 2, limit);
	sqlite3_bind_int64(s, 3, before_date);
	sqlite3_bind_int64(s, 4, before_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xrealloc(v, (len + 1) * sizeof *v);
		item_from_row(s, &v[len++]);
	}
	if (rc != SQLITE_DONE) {
		db_fail(st, "list items");
		stmt_done(s);
		store_items_free(v, len);
		return -1;
	}
	stmt_done(s);
	for (i = 0; i < len; i++) {
		if (story_copies_load(st, &v[i])) {
			store_items_free(v, len);
			return -1;
		}
	}
	if (story_mark_shown(st, v, len)) {
		store_items_free(v, len);
		return -1;
	}
	*out = v;
	*n = len;
	return 0;
}

char *store_list_plan(struct store *st, const char *section)
{
	sqlite3_stmt *list = st->stmt[section ? S_LIST_SECTION : S_LIST_ALL];
	sqlite3_stmt *s;
	struct buf sql = {0}, plan = {0};
	int rc;

	buf_printf(&sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(list));
	rc = sqlite3_prepare_v2(st->db, sql.data, -1, &s, NULL);
	buf_free(&sql);
	if (rc != SQLITE_OK) {
		db_fail(st, "list plan");
		return NULL;
	}
	bind_text(s, 1, section);
	sqlite3_bind_int(s, 2, 50);
	sqlite3_bind_int64(s, 3, INT64_MAX);
	sqlite3_bind_int64(s, 4, INT64_MAX);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		buf_printf(&plan, "%s\n", sqlite3_column_text(s, 3));
	if (rc != SQLITE_DONE)
		db_fail(st, "list plan");
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		buf_free(&plan);
		return NULL;
	}
	return buf_steal(&plan);
}
