/*
 * test_poll_ingest.c — polls parsed and stored a slice per loop turn, on
 * a real event base with the daemon's three priorities, against an
 * evhttp server on 127.0.0.1 in the same loop:
 * - a 5 MB document (plain and gzip) is parsed over many turns while a
 *   timer keeps firing, with at most ~1 MiB queued, and stores exactly the
 *   entries a one-shot parse finds;
 * - a gzip bomb stops at max_feed_size with the queue still bounded;
 * - a big feed is stored over many turns in one transaction (one per
 *   250 ms at most), polls finishing together share one, each feed's
 *   outcome recorded with its entries;
 * - a reader of the store during a batch sees committed rows only;
 * - a poll cancelled mid-queue, and one left at shutdown, free everything
 *   (ASan) and store nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <sqlite3.h>

#include "buf.h"
#include "fetch.h"
#include "parse.h"
#include "poll.h"
#include "store.h"
#include "tap.h"
#include "zhelp.h"

#define BIG_ITEMS 400
/* INGEST_QUEUE_HIGH plus the chunk that crosses it. */
#define QUEUE_BOUND (1024 * 1024 + 16 * 1024)

static struct event_base *base;
static int port;
static struct buf big_doc, big_gz, bomb_gz;
static int pending, cancelled_seen, ticks, stop_at_parse_turns;
static struct poller *poller;
static struct poll_outcome last;
/* The reader check: at each tick, store_count on the poller's store
 * against a second connection's count of committed items. */
static struct store *reader_st;
static sqlite3 *reader_db;
static int reads, reads_midway, reads_uncommitted;
static int64_t committed_before_big;

/* RSS with BIG_ITEMS items of ~13 KB each: ~5 MB. */
static void make_big_doc(struct buf *b)
{
	int i, w;

	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">"
		 "<channel><title>Big</title><link>http://big.example/</link>\n");
	for (i = 0; i < BIG_ITEMS; i++) {
		buf_printf(b, "<item><title>Item %d of the big feed</title>"
			   "<link>http://big.example/%d</link><guid>big-%d</guid>"
			   "<description>", i, i, i);
		for (w = 0; w < 1500; w++)
			buf_printf(b, "w%dx%d ", i, w);
		buf_puts(b, "</description></item>\n");
	}
	buf_puts(b, "</channel></rss>\n");
}

static void reply(struct evhttp_request *req, const struct buf *body, int gz)
{
	struct evbuffer *b = evbuffer_new();

	if (gz)
		evhttp_add_header(evhttp_request_get_output_headers(req),
				  "Content-Encoding", "gzip");
	evbuffer_add(b, body->data, body->len);
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

static void on_request(struct evhttp_request *req, void *arg)
{
	const char *path = evhttp_request_get_uri(req);
	struct evbuffer *b;
	int n;

	(void)arg;
	if (strcmp(path, "/big") == 0) {
		reply(req, &big_doc, 0);
	} else if (strcmp(path, "/big.gz") == 0) {
		reply(req, &big_gz, 1);
	} else if (strcmp(path, "/bomb") == 0) {
		reply(req, &bomb_gz, 1);
	} else if (sscanf(path, "/small/%d", &n) == 1) {
		b = evbuffer_new();
		evhttp_add_header(evhttp_request_get_output_headers(req),
				  "ETag", "\"s1\"");
		evbuffer_add_printf(b, "<rss version=\"2.0\"><channel><title>S%d"
				    "</title><item><title>Small %d one</title>"
				    "<guid>s%d-1</guid></item><item><title>Small "
				    "%d two</title><guid>s%d-2</guid></item>"
				    "</channel></rss>", n, n, n, n, n);
		evhttp_send_reply(req, 200, "OK", b);
		evbuffer_free(b);
	} else {
		evhttp_send_reply(req, 404, "Not Found", NULL);
	}
}

static void on_done(void *ctx, const struct poll_outcome *o)
{
	(void)ctx;
	if (o->cancelled) {
		cancelled_seen++;
		return;
	}
	last = *o;
	last.error = NULL;	/* borrowed */
	if (--pending == 0)
		event_base_loopbreak(base);
}

/* A timer at the daemon's default priority: it fires while the slices
 * run, which it could not if one callback parsed the whole body. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct poll_stats s;

	(void)fd;
	(void)what;
	(void)arg;
	ticks++;
	if (reader_st) {
		struct store_counts c;
		sqlite3_stmt *q;
		int64_t committed = -1;

		if (store_count(reader_st, &c) == 0 &&
		    sqlite3_prepare_v2(reader_db, "SELECT count(*) FROM items",
				       -1, &q, NULL) == SQLITE_OK) {
			if (sqlite3_step(q) == SQLITE_ROW)
				committed = sqlite3_column_int64(q, 0);
			sqlite3_finalize(q);
			reads++;
			reads_midway += c.items > committed_before_big &&
					c.items < committed_before_big + BIG_ITEMS;
			if (c.items != committed) {
				reads_uncommitted++;
				diag("store_count saw %lld items, committed %lld",
				     (long long)c.items, (long long)committed);
			}
		}
	}
	poll_get_stats(poller, &s);
	if (stop_at_parse_turns && s.parse_turns >= (uint64_t)stop_at_parse_turns)
		event_base_loopbreak(base);
}

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t add_feed(struct store *st, const char *name, const char *path)
{
	char url[128];
	int64_t id = 0;

	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
	store_feed_sync(st, name, url, NULL, NULL, 0, &id);
	return id;
}

static void start(int64_t id)
{
	struct poll_params params = {"test", 900, 300, 21600, 0, 0};

	if (poll_start(poller, id, &params) == 0)
		pending++;
}

static void on_limit(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	diag("the loop ran into its 120 s limit");
	event_base_loopbreak(base);
}

/* Runs the loop until every started poll is done, at most 120 s (its
 * own timer: a loopexit left pending would end a later run early). */
static void run_loop(void)
{
	struct timeval limit = {120, 0};
	struct event *ev = evtimer_new(base, on_limit, NULL);

	evtimer_add(ev, &limit);
	event_base_dispatch(base);
	event_free(ev);
}

/* "guid|title\n" per item of feed_id, oldest first. */
static char *stored_items(const char *db_path, int64_t feed_id)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	struct buf b = {0};

	buf_puts(&b, "");
	if (sqlite3_open(db_path, &db) != SQLITE_OK)
		return buf_steal(&b);
	sqlite3_prepare_v2(db, "SELECT guid, title FROM items WHERE feed_id = ? "
			   "ORDER BY id", -1, &s, NULL);
	sqlite3_bind_int64(s, 1, feed_id);
	while (sqlite3_step(s) == SQLITE_ROW)
		buf_printf(&b, "%s|%s\n", (const char *)sqlite3_column_text(s, 0),
			   (const char *)sqlite3_column_text(s, 1));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return buf_steal(&b);
}

static void on_oneshot_entry(void *ctx, struct entry *e)
{
	buf_printf(ctx, "%s|%s\n", e->guid, e->title);
	entry_clear(e);
}

/* The same lines from one parse_push of the whole document. */
static char *oneshot_items(const struct buf *doc)
{
	struct buf b = {0};
	struct parser *p = parse_create("http://big.example/", on_oneshot_entry, &b);
	struct feed_meta m;
	char err[256];

	buf_puts(&b, "");
	parse_push(p, doc->data, doc->len);
	parse_finish(p, &m, err, sizeof err);
	feed_meta_clear(&m);
	parse_free(p);
	return buf_steal(&b);
}

static void check_big(struct store *st, const char *db_path, const char *path,
		      const char *what)
{
	struct poll_stats before, after;
	int64_t id = add_feed(st, what, path);
	char *got, *want = oneshot_items(&big_doc);
	char name[160];
	int ticks_before = ticks, reads_before = reads;
	int64_t t0 = now_us(), elapsed_ms, allowed;

	poll_get_stats(poller, &before);
	start(id);
	run_loop();
	poll_get_stats(poller, &after);
	elapsed_ms = (now_us() - t0) / 1000;
	snprintf(name, sizeof name, "%s: the poll succeeds with %d new items", what, BIG_ITEMS);
	ok(last.ok && last.new_items == BIG_ITEMS, name);
	if (!last.ok || last.new_items != BIG_ITEMS)
		diag("ok %d, new %d", last.ok, last.new_items);
	snprintf(name, sizeof name, "%s: parsed over many loop turns (>= 20 of at most 256 KiB)", what);
	ok(after.parse_turns - before.parse_turns >= 20, name);
	diag("%s: %llu parse turns, %llu store turns, %llu store transactions, "
	     "%d timer ticks, %lld ms", what,
	     (unsigned long long)(after.parse_turns - before.parse_turns),
	     (unsigned long long)(after.store_turns - before.store_turns),
	     (unsigned long long)(after.store_commits - before.store_commits),
	     ticks - ticks_before, (long long)elapsed_ms);
	snprintf(name, sizeof name, "%s: a timer fired between the slices", what);
	ok(ticks - ticks_before >= 5, name);
	snprintf(name, sizeof name, "%s: stored over several loop turns", what);
	ok(after.store_turns - before.store_turns >= 2, name);
	/* The batch commits once every 250 ms at most while it keeps
	 * filling, and before each read through the store (run_reader). */
	allowed = 1 + elapsed_ms / 250 + (reads - reads_before);
	snprintf(name, sizeof name, "%s: in at most one transaction per 250 ms "
		 "or read (%lld)", what, (long long)allowed);
	ok(after.store_commits - before.store_commits >= 1 &&
	   after.store_commits - before.store_commits <= (uint64_t)allowed,
	   name);
	got = stored_items(db_path, id);
	snprintf(name, sizeof name, "%s: stored entries equal a one-shot parse's", what);
	ok(strcmp(got, want) == 0 && strlen(want) > 0, name);
	free(got);
	free(want);
}

/* Reads through the poller's store while a big feed is stored: each
 * read must count what a second connection sees committed. */
static void run_reader(struct store *st, const char *db_path)
{
	struct store_counts c;

	if (store_count(st, &c) != 0 ||
	    sqlite3_open(db_path, &reader_db) != SQLITE_OK) {
		ok(0, "reader: set up");
		return;
	}
	committed_before_big = c.items;
	reader_st = st;
	check_big(st, db_path, "/big", "5 MB document, read while stored");
	reader_st = NULL;
	sqlite3_close(reader_db);
	reader_db = NULL;
	diag("reader: %d reads, %d while the feed was half stored", reads,
	     reads_midway);
	ok(reads_midway > 0, "reader: read while the feed was half stored");
	is_int(reads_uncommitted, 0,
	       "reader: store_count during a batch counts committed items only");
}

static void run_big(struct store *st, const char *db_path)
{
	struct poll_stats s;

	check_big(st, db_path, "/big", "5 MB document");
	check_big(st, db_path, "/big.gz", "5 MB document, gzip");
	run_reader(st, db_path);
	/* The last commit activates the checkpoint turn, at the lowest
	 * priority: the loop may have stopped (the poll was done) before
	 * it ran.  A few more turns, bounded. */
	poll_get_stats(poller, &s);
	for (int i = 0; i < 100 && s.checkpoints == 0; i++) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		poll_get_stats(poller, &s);
	}
	{
		/* ~16 MB of text stored: past STORE_CHECKPOINT_PAGES. */
		char wal[300];
		struct stat sb;

		snprintf(wal, sizeof wal, "%s-wal", db_path);
		diag("%llu checkpoints, longest %.1f ms; longest commit %.1f ms",
		     (unsigned long long)s.checkpoints,
		     (double)s.max_checkpoint_us / 1000,
		     (double)s.max_commit_us / 1000);
		ok(s.checkpoints >= 1,
		   "WAL: checkpointed by the poller, in turns of its own");
		ok(stat(wal, &sb) == 0 && sb.st_size <= 64 << 20,
		   "WAL: its file stays within 64 MiB");
	}
	diag("most bytes queued for one poll: %zu", s.max_queued);
	ok(s.max_queued <= QUEUE_BOUND, "the body queue stays under 1 MiB + one chunk");
}

/* libcurl cannot pause a file:// read: a local file past the queue's
 * pause mark is queued whole, not failed. */
static void run_file(struct store *st, const char *dir, const char *db_path)
{
	char path[256], url[300];
	struct poll_params params = {"file", 900, 300, 21600, 1, 0};
	FILE *fp;
	int64_t id = 0;
	char *got, *want = oneshot_items(&big_doc);

	snprintf(path, sizeof path, "%s/big.xml", dir);
	fp = fopen(path, "wb");
	if (fp) {
		fwrite(big_doc.data, 1, big_doc.len, fp);
		fclose(fp);
	}
	snprintf(url, sizeof url, "file://%s", path);
	store_feed_sync(st, "file", url, NULL, NULL, 0, &id);
	if (poll_start(poller, id, &params) == 0)
		pending++;
	run_loop();
	ok(last.ok && last.new_items == BIG_ITEMS,
	   "5 MB file:// document: the poll succeeds (no pause asked of libcurl)");
	if (!last.ok)
		diag("error: %s", last.error ? last.error : "(none)");
	got = stored_items(db_path, id);
	ok(strcmp(got, want) == 0 && strlen(want) > 0,
	   "5 MB file:// document: stored entries equal a one-shot parse's");
	free(got);
	free(want);
}

static void run_bomb(struct store *st)
{
	int64_t id = add_feed(st, "bomb", "/bomb");
	struct poll_stats s;
	struct store_feed f;

	start(id);
	run_loop();
	poll_get_stats(poller, &s);
	ok(!last.ok, "gzip bomb: the poll fails");
	memset(&f, 0, sizeof f);
	store_feed_get(st, id, &f);
	ok(f.last_error && strstr(f.last_error, "max_feed_size"),
	   "gzip bomb: stopped at max_feed_size, counted on decoded bytes");
	if (f.last_error)
		diag("error: %s", f.last_error);
	store_feed_clear(&f);
	ok(s.max_queued <= QUEUE_BOUND, "gzip bomb: the body queue stays bounded");
}

static void run_group_commit(struct store *st)
{
	struct poll_stats before, after;
	int64_t ids[8];
	char path[32], name[32];
	int i, recorded = 0;

	for (i = 0; i < 8; i++) {
		snprintf(path, sizeof path, "/small/%d", i);
		snprintf(name, sizeof name, "small%d", i);
		ids[i] = add_feed(st, name, path);
	}
	poll_get_stats(poller, &before);
	for (i = 0; i < 8; i++)
		start(ids[i]);
	run_loop();
	poll_get_stats(poller, &after);
	is_int((int64_t)(after.store_feeds - before.store_feeds), 8,
	       "group commit: 8 feeds recorded");
	diag("8 small feeds: %llu store turns, %llu store transactions",
	     (unsigned long long)(after.store_turns - before.store_turns),
	     (unsigned long long)(after.store_commits - before.store_commits));
	ok(after.store_commits - before.store_commits < 8,
	   "group commit: 8 feeds finishing together take fewer than 8 transactions");
	for (i = 0; i < 8; i++) {
		struct store_feed f;

		memset(&f, 0, sizeof f);
		store_feed_get(st, ids[i], &f);
		recorded += f.etag && strcmp(f.etag, "\"s1\"") == 0 && f.errors == 0;
		store_feed_clear(&f);
	}
	is_int(recorded, 8, "group commit: every feed's validators recorded");
}

static void run_cancel(struct store *st, const char *db_path, struct fetch **fp)
{
	int64_t id = add_feed(st, "cancelled", "/big");
	int64_t id2 = add_feed(st, "shutdown", "/big");
	struct store_feed f;
	char *got;

	/* Mid-queue: cancelled after a few parse turns. */
	start(id);
	stop_at_parse_turns = 0;
	{
		struct poll_stats s;

		poll_get_stats(poller, &s);
		stop_at_parse_turns = (int)s.parse_turns + 3;
	}
	run_loop();
	stop_at_parse_turns = 0;
	is_int(poll_cancel(poller, id), 1, "cancel: the poll in progress is found");
	pending--;
	is_int(cancelled_seen, 1, "cancel: done reports it cancelled");
	is_int(poll_cancel(poller, id), 0, "cancel: nothing left to cancel");
	got = stored_items(db_path, id);
	is_str(got, "", "cancel: nothing of it stored");
	free(got);
	memset(&f, 0, sizeof f);
	store_feed_get(st, id, &f);
	ok(!f.etag && f.last_poll == 0, "cancel: no outcome recorded");
	store_feed_clear(&f);

	/* Shutdown with a poll mid-queue: fetch_free, then poll_free. */
	start(id2);
	{
		struct poll_stats s;

		poll_get_stats(poller, &s);
		stop_at_parse_turns = (int)s.parse_turns + 2;
	}
	run_loop();
	fetch_free(*fp);
	*fp = NULL;
	poll_free(poller);
	poller = NULL;
	is_int(cancelled_seen, 2, "shutdown: the poll mid-queue is reported cancelled (ASan: freed)");
}

int main(void)
{
	char dir[] = "/tmp/feedmux-ingest-XXXXXX", path[256], err[256];
	struct evhttp *http;
	struct evhttp_bound_socket *sock;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	struct fetch_options o = {"feedmux-test/1", 60000, 8 << 20, 8, 8, NULL};
	struct timeval tick = {0, 2000};
	struct event *ticker;
	struct fetch *f;
	struct store *st;
	char *blanks;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/test.db", dir);
	make_big_doc(&big_doc);
	zhelp_gzip(&big_gz, big_doc.data, big_doc.len);
	blanks = xmalloc(64 << 20);
	memset(blanks, ' ', 64 << 20);
	memcpy(blanks, "<rss>", 5);
	zhelp_gzip(&bomb_gz, blanks, 64 << 20);
	free(blanks);
	diag("document %zu bytes (gzip %zu), bomb %zu bytes gzip", big_doc.len,
	     big_gz.len, bomb_gz.len);
	{
		/* As the daemon's: new events are looked for after every 2
		 * callbacks of the lower priorities (daemon.c). */
		struct event_config *ec = event_config_new();

		event_config_set_max_dispatch_interval(ec, NULL, 2, 1);
		base = event_base_new_with_config(ec);
		event_config_free(ec);
	}
	event_base_priority_init(base, 3);	/* as the daemon does */
	http = evhttp_new(base);
	sock = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	getsockname(evhttp_bound_socket_get_fd(sock), (struct sockaddr *)&ss, &sl);
	port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	evhttp_set_gencb(http, on_request, NULL);
	st = store_open(path, err, sizeof err);
	if (!st) {
		printf("Bail out! store_open: %s\n", err);
		return 1;
	}
	f = fetch_create(base, &o);
	poller = poll_create(f, st, on_done, NULL);
	ticker = event_new(base, -1, EV_PERSIST, on_tick, NULL);
	event_add(ticker, &tick);
	run_big(st, path);
	run_bomb(st);
	run_group_commit(st);
	run_file(st, dir, path);	/* last to queue: it passes the bound */
	run_cancel(st, path, &f);
	event_free(ticker);
	store_close(st);
	evhttp_free(http);
	event_base_free(base);
	buf_free(&big_doc);
	buf_free(&big_gz);
	buf_free(&bomb_gz);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	if (system(path) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}
