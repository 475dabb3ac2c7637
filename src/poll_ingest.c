/*
 * poll_ingest.c — a poll's bytes and entries through the event loop, a
 * bounded slice per loop turn.
 *
 * libcurl's write callback only queues the decoded bytes (on_body).  A
 * low-priority event parses at most INGEST_PARSE_BYTES or INGEST_PARSE_US
 * of the queued bytes per turn, round-robin over the polls; another
 * writes at most INGEST_STORE_ENTRIES entries or INGEST_STORE_US per
 * transaction, one transaction per turn.  Every other event (HTTP
 * clients, sockets and timers of the transfers, signals) has a higher
 * priority, and libevent runs a lower priority only in a turn where no
 * higher one is active: /healthz waits for one slice at most, never for a
 * whole document or a whole feed's transaction.
 *
 * Memory: a poll queues at most INGEST_QUEUE_HIGH bytes (plus the chunk
 * that crossed it); then its transfer pauses until the parser has taken
 * the queue below INGEST_QUEUE_LOW.  What libcurl holds for a paused
 * transfer is bounded in fetch.h.  max_feed_size still counts every
 * decoded byte as it is queued.
 *
 * Group commit: the store queue is FIFO, and one transaction takes as many
 * polls from its head as fit in the budget: the first poll of 1,000 feeds
 * costs tens of commits, not 1,000.  A feed's outcome (validators, body
 * hash, next poll, errors) is written in the transaction of its last
 * entries, so a crash between two transactions of one feed leaves it
 * due with its old validators: the next start fetches it again and the
 * item keys make the replay idempotent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "buf.h"
#include "charset.h"
#include "fetch.h"
#include "log.h"
#include "parse.h"
#include "poll.h"
#include "poll_int.h"
#include "store.h"

/* One parse turn: this many bytes or this long, whichever comes first;
 * each poll in turn gets one chunk of at most INGEST_CHUNK per round. */
#define INGEST_PARSE_BYTES (256 * 1024)
#define INGEST_PARSE_US 5000
#define INGEST_CHUNK (4 * 1024)
/* One store transaction: this many entries or this long.  Commits cost
 * WAL page writes (the index pages each feed's entries touch, written
 * once per commit however many feeds share them), so fewer, larger ones
 * are cheaper (1,000 feeds' first poll: 870 commits with 20 ms, 202
 * with 100 ms); 50 ms keeps the loop's answer well inside a second. */
#define INGEST_STORE_ENTRIES 1000
#define INGEST_STORE_US 25000
/* Group commit: a store turn waits up to this long for more polls to
 * finish, unless every poll in flight is already waiting to be stored
 * or a transaction's worth of entries is. */
#define INGEST_STORE_WAIT_MS 50
/* A poll's queue pauses its transfer at HIGH, resumes it below LOW. */
#define INGEST_QUEUE_HIGH (1024 * 1024)
#define INGEST_QUEUE_LOW (256 * 1024)

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void note_turn(struct poller *p, int64_t t0)
{
	uint64_t us = (uint64_t)(now_us() - t0);

	if (us > p->stats.max_turn_us)
		p->stats.max_turn_us = us;
}

/* ---- a job's life ---- */

static void result_clear(struct fetch_result *r)
{
	free((char *)r->error);
	free((char *)r->etag);
	free((char *)r->last_modified);
	free((char *)r->content_type);
	free((char *)r->final_url);
}

static void job_free(struct poll_job *j)
{
	size_t i;

	for (i = 0; i < j->n_entries; i++)
		entry_clear(&j->entries[i]);
	free(j->entries);
	bodyq_clear(&j->q);
	parse_free(j->parser);
	feed_meta_clear(&j->meta);
	result_clear(&j->r);
	free(j->name);
	free(j);
}

static void job_unlink(struct poll_job *j)
{
	struct poller *p = j->p;

	if (j->prev)
		j->prev->next = j->next;
	else
		p->jobs = j->next;
	if (j->next)
		j->next->prev = j->prev;
}

/* Takes j off the head of the store queue (only the head ever leaves it,
 * but a cancel). */
static void store_queue_remove(struct poller *p, struct poll_job *j)
{
	struct poll_job **pp = &p->store_head, *prev = NULL;

	while (*pp && *pp != j) {
		prev = *pp;
		pp = &(*pp)->store_next;
	}
	if (!*pp)
		return;
	*pp = j->store_next;
	if (p->store_tail == j)
		p->store_tail = prev;
	j->store_next = NULL;
}

/* Calls done with j's outcome and frees j (already off every list). */
static void job_done(struct poll_job *j)
{
	struct poller *p = j->p;

	p->done(p->ctx, &j->o);
	job_free(j);
}

/* Ends j without recording anything. */
static void job_cancel(struct poll_job *j)
{
	job_unlink(j);
	if (j->stage == POLL_STORING)
		store_queue_remove(j->p, j);
	memset(&j->o, 0, sizeof j->o);
	j->o.feed_id = j->feed_id;
	j->o.cancelled = 1;
	job_done(j);
}

/* When the next store turn runs: now if a transaction's worth of
 * entries waits or no other poll is in flight (none would join it),
 * else after INGEST_STORE_WAIT_MS, so that polls finishing close
 * together share one commit. */
static void store_schedule(struct poller *p)
{
	const struct poll_job *j;
	size_t entries = 0;
	int others = 0;
	struct timeval wait = { 0, INGEST_STORE_WAIT_MS * 1000 };

	if (!p->store_head)
		return;
	for (j = p->jobs; j; j = j->next) {
		if (j->stage != POLL_STORING)
			others = 1;
		else if (j->store_entries)
			entries += j->n_entries - j->stored;
	}
	if (!others || entries >= INGEST_STORE_ENTRIES) {
		event_del(p->store_ev);
		event_active(p->store_ev, EV_TIMEOUT, 0);
	} else if (!event_pending(p->store_ev, EV_TIMEOUT, NULL)) {
		event_add(p->store_ev, &wait);
	}
}

/* The transfer is over and every queued byte parsed: judge, then queue
 * for the store, where the outcome is recorded. */
static void job_judge(struct poll_job *j)
{
	struct poller *p = j->p;

	poll_judge(j);
	j->stage = POLL_STORING;
	if (p->store_tail)
		p->store_tail->store_next = j;
	else
		p->store_head = j;
	p->store_tail = j;
	store_schedule(p);
}

/* ---- what libcurl and the parser call ---- */

/* parse callback: keep the entry (its strings move into the job). */
static void on_entry(void *ctx, struct entry *e)
{
	struct poll_job *j = ctx;

	if (j->n_entries >= POLL_MAX_ENTRIES) {
		j->dropped++;
		entry_clear(e);
		return;
	}
	if (j->n_entries == j->cap_entries) {
		j->cap_entries = j->cap_entries ? j->cap_entries * 2 : 32;
		j->entries = xrealloc(j->entries,
				      j->cap_entries * sizeof *j->entries);
	}
	j->entries[j->n_entries++] = *e;
	memset(e, 0, sizeof *e);
	e->published = e->updated = ENTRY_NO_DATE;
}

/* fetch: the response's Content-Type, before its first body byte. */
static void on_content_type(void *ctx, const char *content_type)
{
	struct poll_job *j = ctx;
	char label[64];

	parse_set_charset(j->parser, charset_from_content_type(content_type,
				label, sizeof label));
}

/* fetch: a decoded chunk.  Queued for the parse event, or refused while
 * the queue is full (the transfer pauses). */
static int on_body(void *ctx, const char *data, size_t len)
{
	struct poll_job *j = ctx;
	struct poller *p = j->p;

	if (j->parse_failed)
		return -1;
	if (j->q.bytes >= INGEST_QUEUE_HIGH) {
		j->paused = 1;
		return FETCH_BODY_PAUSE;
	}
	bodyq_push(&j->q, data, len);
	if (j->q.bytes > p->stats.max_queued)
		p->stats.max_queued = j->q.bytes;
	event_active(p->parse_ev, EV_TIMEOUT, 0);
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* fetch: the transfer ended.  Nothing heavy here: the parse of what is
 * still queued waits for its turns. */
static void on_fetched(void *ctx, const struct fetch_result *r)
{
	struct poll_job *j = ctx;

	if (r->cancelled) {
		job_cancel(j);
		return;
	}
	j->r = *r;
	j->r.error = dup_or_null(r->error);
	j->r.etag = dup_or_null(r->etag);
	j->r.last_modified = dup_or_null(r->last_modified);
	j->r.content_type = dup_or_null(r->content_type);
	j->r.final_url = dup_or_null(r->final_url);
	j->stage = POLL_DRAINING;
	j->paused = 0;
	if (!r->ok)
		bodyq_clear(&j->q);	/* judged by the transfer's error */
	if (!j->q.bytes)
		job_judge(j);
}

/* ---- parse turns ---- */

/* Parses one chunk of j's queue; the bytes taken. */
static size_t job_parse_chunk(struct poll_job *j)
{
	size_t len;
	const char *data = bodyq_peek(&j->q, INGEST_CHUNK, &len);

	if (j->parse_failed) {
		len = j->q.bytes;
		bodyq_clear(&j->q);
		return len;
	}
	if (parse_push(j->parser, data, len) != 0)
		j->parse_failed = 1;	/* parse_finish says why */
	bodyq_drop(&j->q, len);
	return len;
}

/* After a turn: a failed parse stops the transfer, a drained queue
 * resumes it or, the transfer being over, gets j judged. */
static void job_after_turn(struct poll_job *j)
{
	struct fetch *f = j->p->fetch;

	if (j->stage == POLL_FETCHING && j->parse_failed) {
		bodyq_clear(&j->q);
		fetch_stop(f, j, 0);	/* calls on_fetched: aborted */
	} else if (j->stage == POLL_FETCHING && j->paused &&
		   j->q.bytes < INGEST_QUEUE_LOW) {
		j->paused = 0;
		fetch_resume(f, j);	/* may queue more from within */
	} else if (j->stage == POLL_DRAINING && !j->q.bytes) {
		job_judge(j);
	}
}

static int job_wants_parse(const struct poll_job *j)
{
	return j->stage != POLL_STORING && j->q.bytes;
}

static void on_parse_turn(evutil_socket_t fd, short what, void *arg)
{
	struct poller *p = arg;
	struct poll_job *j, *next;
	int64_t t0 = now_us();
	size_t taken = 0;
	int progress = 1;

	(void)fd;
	(void)what;
	p->stats.parse_turns++;
	while (progress && taken < INGEST_PARSE_BYTES &&
	       now_us() - t0 < INGEST_PARSE_US) {
		progress = 0;
		for (j = p->jobs; j; j = j->next)
			if (job_wants_parse(j)) {
				taken += job_parse_chunk(j);
				progress = 1;
			}
	}
	for (j = p->jobs; j; j = next) {
		next = j->next;
		job_after_turn(j);
	}
	note_turn(p, t0);
	for (j = p->jobs; j; j = j->next)
		if (job_wants_parse(j)) {
			event_active(p->parse_ev, EV_TIMEOUT, 0);
			break;
		}
}

/* ---- store turns ---- */

/* Writes j's meta and entries into the open transaction until the
 * budget (*n entries so far this turn, started at t0) runs out.  0, or
 * -1 if a write failed. */
static int job_store_some(struct poll_job *j, size_t *n, int64_t t0,
			  int64_t now)
{
	struct store *st = j->p->store;

	if (!j->store_entries)
		return 0;
	if (!j->meta_stored) {
		if (store_feed_set_meta(st, j->feed_id, &j->meta, now) != 0)
			return -1;
		j->meta_stored = 1;
	}
	while (j->stored + j->put < j->n_entries) {
		enum store_put_result res;

		if (*n >= INGEST_STORE_ENTRIES ||
		    (*n && now_us() - t0 >= INGEST_STORE_US))
			return 0;
		if (store_put_entry(st, j->feed_id,
				    &j->entries[j->stored + j->put], now, &res))
			return -1;
		j->put++;
		(*n)++;
		j->o.new_items += res == STORE_PUT_NEW;
		j->o.updated_items += res == STORE_PUT_UPDATED;
	}
	return 0;
}

static int job_store_complete(const struct poll_job *j)
{
	return !j->store_entries || j->stored + j->put == j->n_entries;
}

/* The transaction that ends at (and includes) last rolled back: what its
 * jobs wrote in it is forgotten; they start again from their last
 * commit. */
static void jobs_rollback(struct poller *p, struct poll_job *last)
{
	struct poll_job *j;

	for (j = p->store_head; j; j = j->store_next) {
		j->put = 0;
		j->meta_stored = j->meta_committed;
		j->o.new_items = j->new_committed;
		j->o.updated_items = j->updated_committed;
		if (j == last)
			break;
	}
}

/* j could not be stored: off the queue, its error recorded on its own. */
static void job_store_failed(struct poll_job *j, int64_t now)
{
	struct poller *p = j->p;

	store_queue_remove(p, j);
	job_unlink(j);
	j->o.ok = j->o.unchanged = j->o.not_modified = 0;
	j->o.new_items = j->o.updated_items = 0;
	j->store_entries = 0;
	j->o.error = "could not store the entries (see the store error above)";
	j->outcome = METRICS_STORE_ERROR;
	poll_record(j, now);
	poll_report(j);
	job_done(j);
}

/* The transaction committed: the complete jobs up to last leave the
 * queue (returned, linked through store_next), a partial one keeps its
 * place with its progress committed. */
static struct poll_job *jobs_committed(struct poller *p, struct poll_job *last)
{
	struct poll_job *done = NULL, **tail = &done, *j;

	while ((j = p->store_head)) {
		int complete = job_store_complete(j);

		j->stored += j->put;
		j->put = 0;
		j->meta_committed = j->meta_stored;
		j->new_committed = j->o.new_items;
		j->updated_committed = j->o.updated_items;
		if (!complete)
			break;
		p->store_head = j->store_next;
		if (!p->store_head)
			p->store_tail = NULL;
		j->store_next = NULL;
		job_unlink(j);
		*tail = j;
		tail = &j->store_next;
		p->stats.store_feeds++;
		if (j == last)
			break;
	}
	return done;
}

/* Fills the open transaction from the head of the queue.  Returns the
 * last job written to (NULL for none) and *failed when a write failed. */
static struct poll_job *store_fill(struct poller *p, int64_t t0, int64_t now,
				   struct poll_job **failed)
{
	struct poll_job *j, *last = NULL;
	size_t n = 0;

	*failed = NULL;
	for (j = p->store_head; j; j = j->store_next) {
		if (job_store_some(j, &n, t0, now) != 0) {
			*failed = j;
			return last;
		}
		last = j;
		if (!job_store_complete(j))
			break;	/* the budget ran out inside j */
		poll_record(j, now);	/* with its last entries */
		if (n >= INGEST_STORE_ENTRIES || now_us() - t0 >= INGEST_STORE_US)
			break;
	}
	return last;
}

static void on_store_turn(evutil_socket_t fd, short what, void *arg)
{
	struct poller *p = arg;
	struct poll_job *last, *failed, *done = NULL, *next;
	int64_t t0 = now_us(), now = (int64_t)time(NULL);

	(void)fd;
	(void)what;
	if (!p->store_head)
		return;
	p->stats.store_turns++;
	if (store_begin(p->store) != 0) {
		job_store_failed(p->store_head, now);
	} else {
		last = store_fill(p, t0, now, &failed);
		if (failed) {
			store_rollback(p->store);
			jobs_rollback(p, failed);
			job_store_failed(failed, now);
		} else if (store_commit(p->store) != 0) {
			store_rollback(p->store);
			jobs_rollback(p, last);
			while (p->store_head && p->store_head != last)
				job_store_failed(p->store_head, now);
			if (p->store_head == last)
				job_store_failed(last, now);
		} else {
			done = jobs_committed(p, last);
		}
	}
	note_turn(p, t0);
	/* done may start new polls: the queue is consistent by now. */
	for (; done; done = next) {
		next = done->store_next;
		poll_report(done);
		job_done(done);
	}
	if (p->store_head && !job_store_complete(p->store_head))
		event_active(p->store_ev, EV_TIMEOUT, 0);	/* a feed is half-way */
	else
		store_schedule(p);
}

/* ---- the poller ---- */

int poll_start(struct poller *p, int64_t feed_id,
	       const struct poll_params *params)
{
	struct store_feed f;
	struct fetch_request req;
	struct poll_job *j;
	int rc;

	memset(&f, 0, sizeof f);
	if (store_feed_get(p->store, feed_id, &f) != 0)
		return -1;
	j = xcalloc(1, sizeof *j);
	j->p = p;
	j->feed_id = feed_id;
	j->o.feed_id = feed_id;
	j->name = xstrdup(params->name);
	j->params = *params;
	j->params.name = j->name;
	j->parser = parse_create(f.url, on_entry, j);
	j->last_hash = f.body_hash;
	j->conditional = (f.etag && *f.etag) || (f.last_modified && *f.last_modified);
	j->next = p->jobs;
	if (p->jobs)
		p->jobs->prev = j;
	p->jobs = j;
	memset(&req, 0, sizeof req);
	req.url = f.url;
	req.etag = f.etag;
	req.last_modified = f.last_modified;
	req.allow_file = params->allow_file;
	req.on_content_type = on_content_type;
	rc = fetch_start(p->fetch, &req, on_body, on_fetched, j);
	if (rc != 0) {
		log_err("feed '%s': could not start a fetch of %s", j->name, f.url);
		job_unlink(j);
		job_free(j);
	}
	store_feed_clear(&f);
	return rc;
}

int poll_cancel(struct poller *p, int64_t feed_id)
{
	struct poll_job *j;

	for (j = p->jobs; j; j = j->next)
		if (j->feed_id == feed_id)
			break;
	if (!j)
		return 0;
	if (j->stage == POLL_FETCHING)
		fetch_stop(p->fetch, j, 1);	/* on_fetched cancels j */
	else
		job_cancel(j);
	return 1;
}

void poll_get_stats(const struct poller *p, struct poll_stats *out)
{
	*out = p->stats;
}

/* The lowest priority of the base: below every socket and timer. */
static struct event *low_event(struct event_base *base,
			       event_callback_fn cb, void *arg)
{
	struct event *ev = event_new(base, -1, 0, cb, arg);
	int n = event_base_get_npriorities(base);

	if (ev && n > 1)
		event_priority_set(ev, n - 1);
	return ev;
}

struct poller *poll_create(struct fetch *f, struct store *st,
			   poll_done_cb done, void *ctx)
{
	struct poller *p = xcalloc(1, sizeof *p);

	p->fetch = f;
	p->store = st;
	p->done = done;
	p->ctx = ctx;
	p->parse_ev = low_event(fetch_base(f), on_parse_turn, p);
	p->store_ev = low_event(fetch_base(f), on_store_turn, p);
	if (!p->parse_ev || !p->store_ev) {
		poll_free(p);
		return NULL;
	}
	return p;
}

void poll_free(struct poller *p)
{
	if (!p)
		return;
	log_info("poller: %llu parse turns, %llu store transactions for %llu "
		 "feeds, longest turn %.1f ms, most bytes queued for one poll "
		 "%zu", (unsigned long long)p->stats.parse_turns,
		 (unsigned long long)p->stats.store_turns,
		 (unsigned long long)p->stats.store_feeds,
		 (double)p->stats.max_turn_us / 1000, p->stats.max_queued);
	while (p->jobs) {
		if (p->jobs->stage == POLL_FETCHING)
			fetch_stop(p->fetch, p->jobs, 1);
		else
			job_cancel(p->jobs);
	}
	if (p->parse_ev)
		event_free(p->parse_ev);
	if (p->store_ev)
		event_free(p->store_ev);
	free(p);
}
