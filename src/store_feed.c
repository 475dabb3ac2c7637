/*
 * store_feed.c — the store's feeds: syncing the configured feeds and their
 * sections (store_feed_sync), retiring the ones no longer configured,
 * reading them back (store_feed_get, store_feed_list), and writing a
 * poll's state and the feed's own metadata.  Configuration changes run in
 * their own short transactions; the metadata is written inside the
 * fetched feed's transaction.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "buf.h"
#include "log.h"
#include "store.h"
#include "store_int.h"

/* ---- feeds ---- */

void store_feed_clear(struct store_feed *f)
{
	free(f->name);
	free(f->url);
	free(f->title);
	free(f->link);
	free(f->source_id);
	free(f->etag);
	free(f->last_modified);
	free(f->last_error);
	free(f->publish_gaps);
	free(f->repair);
	memset(f, 0, sizeof *f);
	f->updated = ENTRY_NO_DATE;
}

static void feed_from_row(sqlite3_stmt *s, struct store_feed *f)
{
	f->id = sqlite3_column_int64(s, 0);
	f->name = col_str(s, 1);
	f->url = col_str(s, 2);
	f->title = col_str(s, 3);
	f->link = col_str(s, 4);
	f->source_id = col_str(s, 5);
	f->updated = col_date(s, 6);
	f->etag = col_str(s, 7);
	f->last_modified = col_str(s, 8);
	f->next_poll = sqlite3_column_int64(s, 9);
	f->last_poll = sqlite3_column_int64(s, 10);
	f->last_success = sqlite3_column_int64(s, 11);
	f->interval_s = sqlite3_column_int64(s, 12);
	f->errors = sqlite3_column_int(s, 13);
	f->last_status = sqlite3_column_int(s, 14);
	f->last_error = col_str(s, 15);
	f->items = sqlite3_column_int64(s, 16);
	f->body_hash = (uint64_t)sqlite3_column_int64(s, 17);
	f->gone = sqlite3_column_int(s, 18);
	f->publish_gaps = col_str(s, 19);
	f->last_new_at = sqlite3_column_int64(s, 20);
	f->hint_s = sqlite3_column_int64(s, 21);
	f->skip_hours = (uint32_t)sqlite3_column_int64(s, 22);
	f->skip_days = (unsigned)sqlite3_column_int(s, 23);
	f->repair = col_str(s, 24);
}

int store_feed_get(struct store *st, int64_t id, struct store_feed *out)
{
	sqlite3_stmt *s = st->stmt[S_FEED_GET];
	int rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		feed_from_row(s, out);
	else if (rc != SQLITE_DONE)
		db_fail(st, "feed get");
	stmt_done(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_feed_list(struct store *st, struct store_feed **out, size_t *n)
{
	sqlite3_stmt *s = st->stmt[S_FEED_LIST];
	struct store_feed *v = NULL;
	size_t len = 0;
	int rc;

	store_settle(st);	/* httpd shows committed rows only */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xrealloc(v, (len + 1) * sizeof *v);
		feed_from_row(s, &v[len++]);
	}
	if (rc != SQLITE_DONE) {
		db_fail(st, "feed list");
		stmt_done(s);
		while (len > 0)
			store_feed_clear(&v[--len]);
		free(v);
		return -1;
	}
	stmt_done(s);
	*out = v;
	*n = len;
	return 0;
}

int store_feed_save_poll(struct store *st, const struct store_feed *f)
{
	sqlite3_stmt *s = st->stmt[S_FEED_SAVE_POLL];

	sqlite3_bind_int64(s, 1, f->id);
	bind_text(s, 2, f->url);
	bind_text(s, 3, f->etag);
	bind_text(s, 4, f->last_modified);
	sqlite3_bind_int64(s, 5, f->next_poll);
	sqlite3_bind_int64(s, 6, f->last_poll);
	sqlite3_bind_int64(s, 7, f->last_success);
	sqlite3_bind_int64(s, 8, f->interval_s);
	sqlite3_bind_int(s, 9, f->errors);
	sqlite3_bind_int(s, 10, f->last_status);
	bind_text(s, 11, f->last_error);
	if (f->body_hash)
		sqlite3_bind_int64(s, 12, (sqlite3_int64)f->body_hash);
	else
		sqlite3_bind_null(s, 12);
	sqlite3_bind_int(s, 13, f->gone);
	bind_text(s, 14, f->publish_gaps);
	sqlite3_bind_int64(s, 15, f->last_new_at);
	sqlite3_bind_int64(s, 16, f->hint_s);
	sqlite3_bind_int64(s, 17, f->skip_hours);
	sqlite3_bind_int(s, 18, (int)f->skip_days);
	bind_text(s, 19, f->repair);
	if (stmt_run(st, s, "feed save poll"))
		return -1;
	if (sqlite3_changes(st->db) == 0) {
		log_err("store: feed save poll: no feed %" PRId64, f->id);
		return -1;
	}
	return 0;
}

int store_feed_set_meta(struct store *st, int64_t feed_id,
			const struct feed_meta *m, int64_t now)
{
	sqlite3_stmt *s = st->stmt[S_FEED_SET_META];

	if (!st->in_txn) {
		log_err("store: feed set meta: no transaction is open");
		return -1;
	}
	sqlite3_bind_int64(s, 1, feed_id);
	bind_text(s, 2, m->title);
	bind_text(s, 3, m->link);
	bind_text(s, 4, m->id);
	bind_date(s, 5, m->updated);
	sqlite3_bind_int64(s, 6, now);
	if (stmt_run(st, s, "feed set meta"))
		return -1;
	if (sqlite3_changes(st->db) > 0)
		mark_changed(st, now);
	return 0;
}

/* Loads the feed's sections into *out (caller frees each and the array). */
static int sections_load(struct store *st, int64_t id, char ***out, size_t *n)
{
	sqlite3_stmt *s = st->stmt[S_SECTIONS];
	int rc;

	*out = NULL;
	*n = 0;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = col_str(s, 0);
	}
	if (rc != SQLITE_DONE)
		db_fail(st, "feed sections");
	stmt_done(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int in_list(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

/* Replaces the feed's sections; *changed when the set differs. */
static int sections_sync(struct store *st, int64_t id, char *const *sec,
			 size_t n, int *changed)
{
	char **old;
	size_t n_old, i;
	int same = 1;

	if (sections_load(st, id, &old, &n_old))
		return -1;
	for (i = 0; i < n_old && same; i++)
		same = in_list(sec, n, old[i]);
	for (i = 0; i < n && same; i++)
		same = in_list(old, n_old, sec[i]);
	for (i = 0; i < n_old; i++)
		free(old[i]);
	free(old);
	if (same)
		return 0;
	*changed = 1;
	sqlite3_bind_int64(st->stmt[S_SECTIONS_DEL], 1, id);
	if (stmt_run(st, st->stmt[S_SECTIONS_DEL], "feed sections"))
		return -1;
	for (i = 0; i < n; i++) {
		sqlite3_stmt *s = st->stmt[S_SECTION_ADD];

		sqlite3_bind_int64(s, 1, id);
		bind_text(s, 2, sec[i]);
		if (stmt_run(st, s, "feed sections"))
			return -1;
	}
	return 0;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The feed row for name, inserted when new; *changed when anything an
 * output shows (the feed's existence, URL, title, active flag) changed. */
static int feed_upsert(struct store *st, const char *name, const char *url,
		       const char *title, int64_t now, int64_t *id,
		       int *changed)
{
	sqlite3_stmt *s = st->stmt[S_FEED_BY_NAME];
	int rc, url_same = 0, config_same = 0;

	bind_text(s, 1, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		url_same = same_str((const char *)sqlite3_column_text(s, 1), url);
		config_same = same_str((const char *)sqlite3_column_text(s, 2),
				       title) && sqlite3_column_int(s, 3) == 1;
	} else if (rc != SQLITE_DONE) {
		db_fail(st, "feed sync");
	}
	stmt_done(s);
	if (rc == SQLITE_DONE) {
		s = st->stmt[S_FEED_INSERT];
		bind_text(s, 1, name);
		bind_text(s, 2, url);
		bind_text(s, 3, title);
		sqlite3_bind_int64(s, 4, now);
		if (stmt_run(st, s, "feed insert"))
			return -1;
		*id = sqlite3_last_insert_rowid(st->db);
		*changed = 1;
		return 0;
	}
	if (rc != SQLITE_ROW)
		return -1;
	if (!url_same) {
		s = st->stmt[S_FEED_SET_URL];
		sqlite3_bind_int64(s, 1, *id);
		bind_text(s, 2, url);
		if (stmt_run(st, s, "feed set url"))
			return -1;
		*changed = 1;
	}
	if (!config_same || !url_same) {
		s = st->stmt[S_FEED_SET_CONFIG];
		sqlite3_bind_int64(s, 1, *id);
		bind_text(s, 2, title);
		sqlite3_bind_int64(s, 3, now);
		if (stmt_run(st, s, "feed set config"))
			return -1;
		*changed = 1;
	}
	return 0;
}

/*
 * Configuration changes have no caller clock: they are stamped with the
 * wall clock, which is when the new configuration took effect.
 */
int store_feed_sync(struct store *st, const char *name, const char *url,
		    const char *title, char *const *sections,
		    size_t n_sections, int64_t *id)
{
	int64_t now = (int64_t)time(NULL);
	int changed = 0;

	store_settle(st);
	if (st->in_txn) {
		log_err("store: feed sync: called inside a transaction");
		return -1;
	}
	if (store_begin(st))
		return -1;
	if (feed_upsert(st, name, url, title, now, id, &changed) ||
	    sections_sync(st, *id, sections, n_sections, &changed))
		goto fail;
	if (changed)
		mark_changed(st, now);
	return store_commit(st);
fail:
	store_rollback(st);
	return -1;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The active feed ids (caller frees). */
static int active_ids(struct store *st, int64_t **out, size_t *n)
{
	sqlite3_stmt *s = st->stmt[S_ACTIVE_IDS];
	int rc;

	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE)
		db_fail(st, "active feeds");
	stmt_done(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_feed_retire_others(struct store *st, const int64_t *ids, size_t n)
{
	int64_t now = (int64_t)time(NULL), *keep, *active = NULL;
	size_t n_active = 0, i;
	int changed = 0, rc = -1;

	store_settle(st);
	if (st->in_txn) {
		log_err("store: feed retire: called inside a transaction");
		return -1;
	}
	keep = xmalloc((n ? n : 1) * sizeof *keep);
	if (n)
		memcpy(keep, ids, n * sizeof *keep);
	qsort(keep, n, sizeof *keep, cmp_id);
	if (store_begin(st))
		goto out;
	if (active_ids(st, &active, &n_active))
		goto fail;
	for (i = 0; i < n_active; i++) {
		sqlite3_stmt *s = st->stmt[S_FEED_RETIRE];

		if (bsearch(&active[i], keep, n, sizeof *keep, cmp_id))
			continue;
		sqlite3_bind_int64(s, 1, active[i]);
		sqlite3_bind_int64(s, 2, now);
		if (stmt_run(st, s, "feed retire"))
			goto fail;
		changed = 1;
	}
	if (changed)
		mark_changed(st, now);
	rc = store_commit(st);
	goto out;
fail:
	store_rollback(st);
out:
	free(keep);
	free(active);
	return rc;
}
