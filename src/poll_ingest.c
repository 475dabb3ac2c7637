/*
 * poll_ingest.c — a poll's bytes and entries through the event loop, a
 * bounded slice per loop turn.
 *
 * libcurl's write callback only queues the decoded bytes (on_body).  A
 * low-priority event parses at most INGEST_PARSE_BYTES or INGEST_PARSE_US
 * of the queued bytes per turn, round-robin over the polls; another
 * (poll_store.c) writes at most INGEST_STORE_ENTRIES entries or
 * INGEST_STORE_US per turn, into a transaction that may span turns.  Every other
 * event (HTTP clients, sockets and timers of the transfers, signals) has
 * a higher priority, and libevent runs a lower priority only in a turn
 * where no higher one is active: /healthz waits for one slice at most,
 * never for a whole document or a whole feed's transaction.
 *
 * Memory: a poll queues at most INGEST_QUEUE_HIGH bytes (plus the chunk
 * that crossed it); then its transfer pauses until the parser has taken
 * the queue below INGEST_QUEUE_LOW.  What libcurl holds for a paused
 * transfer is bounded in fetch.h.  max_feed_size still counts every
 * decoded byte as it is queued.
 *
 * This file holds a poll's life (start, cancel, done), what libcurl and
 * the parser call, and the parse turns; a judged poll goes to the store
 * queue of poll_store.c.
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
/* A poll's queue pauses its transfer at HIGH, resumes it below LOW. */
#define INGEST_QUEUE_HIGH (1024 * 1024)
#define INGEST_QUEUE_LOW (256 * 1024)

int64_t poll_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void poll_note_turn(struct poller *p, int64_t t0)
{
	uint64_t us = (uint64_t)(poll_now_us() - t0);

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

void poll_job_unlink(struct poll_job *j)
{
	struct poller *p = j->p;

	if (j->prev)
		j->prev->next = j->next;
	else
		p->jobs = j->next;
	if (j->next)
		j->next->prev = j->prev;
}

/* Calls done with j's outcome and frees j (already off every list). */
void poll_job_done(struct poll_job *j)
{
	struct poller *p = j->p;

	p->done(p->ctx, &j->o);
	job_free(j);
}

/* Ends j without recording anything. */
static void job_cancel(struct poll_job *j)
{
	poll_job_unlink(j);
	if (j->stage == POLL_STORING)
		poll_store_queue_remove(j->p, j);
	memset(&j->o, 0, sizeof j->o);
	j->o.feed_id = j->feed_id;
	j->o.cancelled = 1;
	poll_job_done(j);
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
	poll_store_schedule(p);
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
 * the queue is full (the transfer pauses).  A transfer that cannot pause
 * (fetch_can_pause: a file:// read) has all its bytes queued, bounded by
 * max_feed_size, which fetch counts as they come. */
static int on_body(void *ctx, const char *data, size_t len)
{
	struct poll_job *j = ctx;
	struct poller *p = j->p;

	if (j->parse_failed)
		return -1;
	if (j->q.bytes >= INGEST_QUEUE_HIGH && fetch_can_pause(p->fetch, j)) {
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
	int64_t t0 = poll_now_us();
	size_t taken = 0;
	int progress = 1;

	(void)fd;
	(void)what;
	p->stats.parse_turns++;
	while (progress && taken < INGEST_PARSE_BYTES &&
	       poll_now_us() - t0 < INGEST_PARSE_US) {
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
	poll_note_turn(p, t0);
	for (j = p->jobs; j; j = j->next)
		if (job_wants_parse(j)) {
			event_active(p->parse_ev, EV_TIMEOUT, 0);
			break;
		}
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
		poll_job_unlink(j);
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
	p->store_ev = low_event(fetch_base(f), poll_on_store_turn, p);
	p->checkpoint_ev = low_event(fetch_base(f), poll_on_checkpoint_turn, p);
	if (!p->parse_ev || !p->store_ev || !p->checkpoint_ev) {
		poll_free(p);
		return NULL;
	}
	poll_store_attach(p);
	return p;
}

void poll_free(struct poller *p)
{
	if (!p)
		return;
	if (p->store_ev)
		poll_store_detach(p);
	log_info("poller: %llu parse turns, %llu store turns, %llu store "
		 "transactions for %llu feeds, %llu checkpoints, longest turn "
		 "%.1f ms (commit %.1f ms, checkpoint %.1f ms), most bytes "
		 "queued for one poll %zu",
		 (unsigned long long)p->stats.parse_turns,
		 (unsigned long long)p->stats.store_turns,
		 (unsigned long long)p->stats.store_commits,
		 (unsigned long long)p->stats.store_feeds,
		 (unsigned long long)p->stats.checkpoints,
		 (double)p->stats.max_turn_us / 1000,
		 (double)p->stats.max_commit_us / 1000,
		 (double)p->stats.max_checkpoint_us / 1000, p->stats.max_queued);
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
	if (p->checkpoint_ev)
		event_free(p->checkpoint_ev);
	free(p);
}
