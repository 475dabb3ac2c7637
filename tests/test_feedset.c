/*
 * test_feedset.c — configured feeds synced into the store, and the
 * runtime state that survives a reload.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "feedset.h"
#include "store.h"
#include "tap.h"

static char dir[] = "/tmp/feedmux-test-feedset-XXXXXX";

static struct config *load(const char *text)
{
	char path[256];
	FILE *f;
	struct config *cfg;

	snprintf(path, sizeof path, "%s/feedmux.conf", dir);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	cfg = config_load(path, stdout);
	if (!cfg)
		printf("Bail out! config did not load\n");
	return cfg;
}

static const char *conf_two =
	"[section world]\n[section china]\n"
	"[feed a]\nurl = http://Wire.Example:8080/a.rss\nsection = world\n"
	"[feed b]\nurl = http://other.example/b.rss\nsection = world, china\n";
static const char *conf_swap =
	"[section world]\n[section china]\n"
	"[feed b]\nurl = http://other.example/b.rss\nsection = china\n"
	"[feed c]\nurl = https://third.example/c.atom\nsection = world\n";

/* errors stored for feed c, then a fresh start (no old set). */
static int failing_after(struct store *st, const struct config *cfg,
			 int errors)
{
	struct feedset fs;
	struct store_feed f;
	int failing;
	size_t i;

	feedset_build(&fs, cfg, st, NULL);
	for (i = 0; i < fs.n && strcmp(fs.feeds[i].cf->name, "c"); i++)
		;
	memset(&f, 0, sizeof f);
	store_feed_get(st, fs.feeds[i].id, &f);
	f.last_poll = 1700000000;
	f.errors = errors;
	store_feed_save_poll(st, &f);
	store_feed_clear(&f);
	feedset_clear(&fs);
	feedset_build(&fs, cfg, st, NULL);
	failing = fs.feeds[i].failing;
	feedset_clear(&fs);
	return failing;
}

/* At start the stored error count decides: failing from the third error
 * in a row (POLL_FAILING_AFTER), not from the first. */
static void failing_from_store(struct store *st, const struct config *cfg)
{
	is_int(failing_after(st, cfg, 1), 0, "start: one stored error is not failing");
	is_int(failing_after(st, cfg, 2), 0, "start: two stored errors are not failing");
	is_int(failing_after(st, cfg, 3), 1, "start: three stored errors are failing");
	is_int(failing_after(st, cfg, 0), 0, "start: a success clears failing");
}

int main(void)
{
	struct config *cfg1, *cfg2;
	struct feedset fs1, fs2;
	struct store *st;
	struct store_feed *rows = NULL;
	size_t n = 0, i;
	char path[256], err[256];
	struct feedset_feed *a, *b;
	int64_t b_id;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/t.db", dir);
	st = store_open(path, err, sizeof err);
	cfg1 = load(conf_two);
	if (!st || !cfg1)
		return 1;

	is_int(feedset_build(&fs1, cfg1, st, NULL), 0, "build: succeeds");
	is_int(fs1.n, 2, "build: one entry per configured feed");
	ok(fs1.feeds[0].id < fs1.feeds[1].id, "build: sorted by store id");
	a = &fs1.feeds[0];
	is_str(a->cf->name, "a", "build: entries point at their config feed");
	is_str(a->host, "wire.example:8080", "build: the host, for the per-host limit");
	ok(feedset_find(&fs1, a->id) == a, "find: by store id");
	ok(feedset_find(&fs1, 99999) == NULL, "find: unknown id");
	b = feedset_find(&fs1, fs1.feeds[1].id);
	b->polled = 1;
	b->failing = 1;
	b_id = b->id;

	cfg2 = load(conf_swap);
	is_int(feedset_build(&fs2, cfg2, st, &fs1), 0, "rebuild: succeeds");
	is_int(fs2.n, 2, "rebuild: the new feed list");
	b = feedset_find(&fs2, b_id);
	ok(b && b->polled && b->failing, "rebuild: a kept feed keeps its runtime state");
	ok(feedset_find(&fs2, fs1.feeds[0].id) == NULL, "rebuild: a removed feed is gone");
	store_feed_list(st, &rows, &n);
	is_int(n, 2, "rebuild: the removed feed is retired in the store");
	for (i = 0; i < n; i++)
		store_feed_clear(&rows[i]);
	free(rows);

	feedset_clear(&fs1);
	feedset_clear(&fs2);
	failing_from_store(st, cfg2);
	ok(fs2.feeds == NULL && fs2.n == 0, "clear: empties the set");
	config_free(cfg1);
	config_free(cfg2);
	store_close(st);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	if (system(path) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}
