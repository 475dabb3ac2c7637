/*
 * test_migrate.c — schema migrations (store.c, PRAGMA user_version) from
 * every earlier version, each starting from a database that version
 * really wrote: the dumps tests/data/migrations/vN.sql (made once by
 * mkfixture.py from that version's migrations, then frozen).
 *
 * A new migration without a dump of the version before it fails here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "store.h"
#include "tap.h"

static char tmpdir[] = "/tmp/test_migrate.XXXXXX";

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = {0};
	char chunk[4096];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return b.data ? buf_steal(&b) : xstrdup("");
}

/* Every row of sql through a fresh connection, "a|b|c;" per row. */
static char *rows(const char *db_path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	struct buf b = {0};
	int i;

	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (i = 0; i < sqlite3_column_count(s); i++)
				buf_printf(&b, "%s%s", i ? "|" : "",
					   sqlite3_column_text(s, i) ?
					   (const char *)sqlite3_column_text(s, i) :
					   "NULL");
			buf_puts(&b, ";\n");
		}
		sqlite3_finalize(s);
	} else {
		buf_printf(&b, "error: %s", sqlite3_errmsg(db));
	}
	sqlite3_close(db);
	return b.data ? buf_steal(&b) : xstrdup("");
}

static int version_of(const char *db_path)
{
	char *v = rows(db_path, "PRAGMA user_version");
	int n = atoi(v);

	free(v);
	return n;
}

/* Every table's columns and every index, as SQLite describes them. */
static char *schema_of(const char *db_path)
{
	struct buf b = {0};
	char *t = rows(db_path,
		       "SELECT m.name, p.name, p.type, p.\"notnull\","
		       " p.dflt_value, p.pk FROM sqlite_master m,"
		       " pragma_table_info(m.name) p WHERE m.type = 'table'"
		       " ORDER BY m.name, p.cid");
	char *i = rows(db_path,
		       "SELECT m.name, m.tbl_name, p.name FROM sqlite_master m,"
		       " pragma_index_info(m.name) p WHERE m.type = 'index'"
		       " ORDER BY m.name, p.seqno");

	buf_printf(&b, "%s--\n%s", t, i);
	free(t);
	free(i);
	return buf_steal(&b);
}

/* Loads dump into a new database at db_path.  0 or -1. */
static int load_dump(const char *dump_path, const char *db_path)
{
	char *sql = read_file(dump_path);
	sqlite3 *db;
	char *err = NULL;
	int rc;

	if (!sql)
		return -1;
	rc = sqlite3_open(db_path, &db) == SQLITE_OK &&
	     sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK ? 0 : -1;
	if (rc)
		diag("loading %s: %s", dump_path, err ? err : sqlite3_errmsg(db));
	sqlite3_free(err);
	sqlite3_close(db);
	free(sql);
	return rc;
}

/* The fixtures' rows, read back through the store after migrating. */
static void check_data_kept(struct store *st, int v)
{
	struct store_counts c = {0};
	struct store_feed f;
	struct store_item *items = NULL;
	size_t n = 0;
	char name[96];

	memset(&f, 0, sizeof f);
	store_count(st, &c);
	snprintf(name, sizeof name, "v%d_items_kept", v);
	is_int(c.items, 3, name);
	snprintf(name, sizeof name, "v%d_feed_validators_kept", v);
	store_feed_get(st, 1, &f);
	is_str(f.etag, "\"e1\"", name);
	store_feed_clear(&f);
	snprintf(name, sizeof name, "v%d_merged_feed_lists_active_items", v);
	ok(store_list_items(st, NULL, 50, &items, &n) == 0 && n == 2, name);
	snprintf(name, sizeof name, "v%d_merged_feed_newest_first", v);
	is_str(n > 0 ? items[0].e.title : NULL, "Harvest up 3 pct", name);
	store_items_free(items, n);
	snprintf(name, sizeof name, "v%d_section_feed_works", v);
	ok(store_list_items(st, "china", 50, &items, &n) == 0, name);
	store_items_free(items, n);
}

static void test_from_version(int v, int current, const char *fresh_schema)
{
	char dump[512], db_path[300], err[256] = "", name[96];
	struct store *st;
	char *schema, *check;

	snprintf(dump, sizeof dump, "%s/tests/data/migrations/v%d.sql",
		 getenv("top_srcdir") ? getenv("top_srcdir") : ".", v);
	snprintf(db_path, sizeof db_path, "%s/v%d.db", tmpdir, v);
	snprintf(name, sizeof name, "fixture_v%d_exists_and_loads", v);
	if (!ok(load_dump(dump, db_path) == 0, name)) {
		diag("a migration from version %d needs %s (mkfixture.py %d)",
		     v, dump, v);
		return;
	}
	snprintf(name, sizeof name, "fixture_v%d_is_at_version_%d", v, v);
	is_int(version_of(db_path), v, name);
	st = store_open(db_path, err, sizeof err);
	snprintf(name, sizeof name, "store_opens_a_v%d_database", v);
	if (!ok(st != NULL, name)) {
		diag("store_open: %s", err);
		return;
	}
	check_data_kept(st, v);
	store_close(st);
	if (v == 7) {	/* the only fixture with band rows (added by hand) */
		check = rows(db_path, "SELECT day, band, at, item_id, feed_id"
			     " FROM item_bands ORDER BY band");
		is_str(check, "19816|65537|1712140000|1|1;\n"
		       "19816|131073|1712140000|1|1;\n",
		       "v7_band_keys_move_to_the_day_keyed_index");
		free(check);
	}
	snprintf(name, sizeof name, "v%d_migrates_to_version_%d", v, current);
	is_int(version_of(db_path), current, name);
	schema = schema_of(db_path);
	snprintf(name, sizeof name, "v%d_migrated_schema_equals_a_new_one", v);
	is_str(schema, fresh_schema, name);
	free(schema);
	check = rows(db_path, "PRAGMA integrity_check");
	snprintf(name, sizeof name, "v%d_migrated_database_is_intact", v);
	is_str(check, "ok;\n", name);
	free(check);
	check = rows(db_path, "SELECT \"table\", rowid FROM pragma_foreign_key_check");
	snprintf(name, sizeof name, "v%d_migrated_database_keys_hold", v);
	is_str(check, "", name);
	free(check);
}

/* A database from a newer feedmux is refused, not damaged. */
static void test_newer_version_refused(int current)
{
	char db_path[300], sql[64], err[256] = "";
	sqlite3 *db;
	struct store *st;

	snprintf(db_path, sizeof db_path, "%s/newer.db", tmpdir);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", current + 1);
	sqlite3_open(db_path, &db);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	st = store_open(db_path, err, sizeof err);
	ok(st == NULL, "store_refuses_a_newer_schema");
	ok(strstr(err, "newer") != NULL, "refusal_says_the_schema_is_newer");
	store_close(st);
	is_int(version_of(db_path), current + 1, "refused_database_is_left_alone");
}

int main(void)
{
	char fresh[300], err[256] = "", cmd[400];
	struct store *st;
	char *fresh_schema;
	int current, v;

	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp failed\n");
		return 1;
	}
	snprintf(fresh, sizeof fresh, "%s/fresh.db", tmpdir);
	st = store_open(fresh, err, sizeof err);
	if (!st) {
		printf("Bail out! store_open: %s\n", err);
		return 1;
	}
	store_close(st);
	current = version_of(fresh);
	ok(current >= 1, "a_new_database_has_a_schema_version");
	diag("current schema version: %d", current);
	fresh_schema = schema_of(fresh);
	for (v = 1; v < current; v++)
		test_from_version(v, current, fresh_schema);
	free(fresh_schema);
	test_newer_version_refused(current);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("could not remove %s", tmpdir);
	return done_testing();
}
