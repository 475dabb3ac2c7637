/*
 * poll.c — fetch -> parse -> store for one feed at a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "fetch.h"
#include "log.h"
#include "parse.h"
#include "poll.h"
#include "schedule.h"
#include "store.h"

struct poller {
	struct fetch *fetch;	/* borrowed */
	struct store *store;	/* borrowed */
	poll_done_cb done;
	void *ctx;
};

/* One poll in flight.  Owned by the poller until fetch reports done. */
struct poll_job {
	struct poller *p;
	int64_t feed_id;
	char *name;
	struct poll_params params;
	struct parser *parser;
	struct entry *entries;	/* parsed, waiting for the transaction */
	size_t n_entries, cap_entries;
};

static uint32_t poll_random(void)
{
	return (uint32_t)random();
}

/* parse callback: keep the entry (its strings move into the job). */
static void on_entry(void *ctx, struct entry *e)
{
	struct poll_job *j = ctx;

	if (j->n_entries == j->cap_entries) {
		j->cap_entries = j->cap_entries ? j->cap_entries * 2 : 32;
		j->entries = xrealloc(j->entries,
				      j->cap_entries * sizeof *j->entries);
	}
	j->entries[j->n_entries++] = *e;
	memset(e, 0, sizeof *e);
	e->published = e->updated = ENTRY_NO_DATE;
}

static int on_body(void *ctx, const char *data, size_t len)
{
	struct poll_job *j = ctx;

	return parse_push(j->parser, data, len);
}

static void job_free(struct poll_job *j)
{
	size_t i;

	for (i = 0; i < j->n_entries; i++)
		entry_clear(&j->entries[i]);
	free(j->entries);
	parse_free(j->parser);
	free(j->name);
	free(j);
}

/* Writes the parsed feed in one transaction.  0 or -1. */
static int store_entries(struct poll_job *j, const struct feed_meta *meta,
			 struct poll_outcome *o, int64_t now)
{
	struct store *st = j->p->store;
	size_t i;

	if (store_begin(st) != 0)
		return -1;
	if (store_feed_set_meta(st, j->feed_id, meta, now) != 0)
		goto fail;
	for (i = 0; i < j->n_entries; i++) {
		enum store_put_result res;

		if (store_put_entry(st, j->feed_id, &j->entries[i], now, &res))
			goto fail;
		o->new_items += res == STORE_PUT_NEW;
		o->updated_items += res == STORE_PUT_UPDATED;
	}
	if (store_commit(st) == 0)
		return 0;
fail:
	store_rollback(st);
	o->new_items = o->updated_items = 0;
	return -1;
}

/* Parses what arrived and stores it; fills o->ok / o->error. */
static void take_body(struct poll_job *j, struct poll_outcome *o,
		      char *err, size_t errlen, int64_t now)
{
	struct feed_meta meta;

	memset(&meta, 0, sizeof meta);
	if (parse_finish(j->parser, &meta, err, errlen) != 0) {
		o->error = err;
		return;
	}
	if (store_entries(j, &meta, o, now) != 0)
		o->error = "could not store the entries (see the store error above)";
	else
		o->ok = 1;
	feed_meta_clear(&meta);
}

/* Decides the outcome of the transfer r. */
static void judge(struct poll_job *j, const struct fetch_result *r,
		  struct poll_outcome *o, char *err, size_t errlen, int64_t now)
{
	if (!r->ok) {
		snprintf(err, errlen, "%s", r->error ? r->error : "fetch failed");
		o->error = err;
	} else if (r->status == 304) {
		o->ok = o->not_modified = 1;
	} else if (r->status >= 200 && r->status < 300) {
		take_body(j, o, err, errlen, now);
	} else {
		snprintf(err, errlen, "HTTP status %ld", r->status);
		o->error = err;
	}
}

/* Records the outcome in the feed's row and says when to poll next. */
static void record(struct poll_job *j, const struct fetch_result *r,
		   struct poll_outcome *o, int64_t now)
{
	struct store_feed f;
	int64_t delay_ms;

	memset(&f, 0, sizeof f);
	if (store_feed_get(j->p->store, j->feed_id, &f) != 0) {
		o->next_poll_ms = (now + j->params.interval_s) * 1000;
		return;
	}
	f.last_poll = now;
	f.last_status = (int)r->status;
	free(f.last_error);
	f.last_error = o->ok ? NULL : xstrdup(o->error);
	if (o->ok) {
		f.errors = 0;
		f.last_success = now;
		if (!o->not_modified) {
			/* Exactly what the server sent, or nothing. */
			free(f.etag);
			free(f.last_modified);
			f.etag = xstrdup(r->etag);
			f.last_modified = xstrdup(r->last_modified);
		}
		if (r->permanent && r->final_url && strcmp(r->final_url, f.url)) {
			log_notice("feed '%s': moved permanently to %s",
				   j->name, r->final_url);
			free(f.url);
			f.url = xstrdup(r->final_url);
		}
		f.interval_s = j->params.interval_s;
		delay_ms = schedule_delay_ok_ms(f.interval_s, poll_random());
	} else {
		f.errors++;
		delay_ms = schedule_delay_error_ms(j->params.interval_s, f.errors,
						   j->params.min_interval_s,
						   j->params.max_interval_s,
						   poll_random());
	}
	o->next_poll_ms = now * 1000 + delay_ms;
	f.next_poll = o->next_poll_ms / 1000;
	store_feed_save_poll(j->p->store, &f);
	store_feed_clear(&f);
}

static void log_outcome(const struct poll_job *j, const struct poll_outcome *o,
			const struct fetch_result *r)
{
	if (!o->ok)
		log_warn("feed '%s': %s", j->name, o->error);
	else if (o->not_modified)
		log_debug("feed '%s': not modified", j->name);
	else
		log_info("feed '%s': %zu entries, %d new, %d updated "
			 "(%lld bytes, %.3f s)", j->name,
			 parse_entry_count(j->parser), o->new_items,
			 o->updated_items, (long long)r->body_bytes, r->seconds);
}

static void on_fetched(void *ctx, const struct fetch_result *r)
{
	struct poll_job *j = ctx;
	struct poll_outcome o;
	char err[512];
	int64_t now = (int64_t)time(NULL);

	memset(&o, 0, sizeof o);
	o.feed_id = j->feed_id;
	if (r->cancelled) {
		o.cancelled = 1;
	} else {
		judge(j, r, &o, err, sizeof err, now);
		record(j, r, &o, now);
		log_outcome(j, &o, r);
	}
	j->p->done(j->p->ctx, &o);
	job_free(j);
}

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
	j->name = xstrdup(params->name);
	j->params = *params;
	j->params.name = j->name;
	j->parser = parse_create(f.url, on_entry, j);
	memset(&req, 0, sizeof req);
	req.url = f.url;
	req.etag = f.etag;
	req.last_modified = f.last_modified;
	req.allow_file = params->allow_file;
	rc = fetch_start(p->fetch, &req, on_body, on_fetched, j);
	if (rc != 0) {
		log_err("feed '%s': could not start a fetch of %s", j->name, f.url);
		job_free(j);
	}
	store_feed_clear(&f);
	return rc;
}

struct poller *poll_create(struct fetch *f, struct store *st,
			   poll_done_cb done, void *ctx)
{
	struct poller *p = xcalloc(1, sizeof *p);

	p->fetch = f;
	p->store = st;
	p->done = done;
	p->ctx = ctx;
	return p;
}

void poll_free(struct poller *p)
{
	free(p);
}
