/*
 * poll.c — what a poll's outcome means: the error it names, the feed's
 * validators, habit and next poll.  poll_ingest.c moves the bytes,
 * poll_store.c the entries; this file judges and records.
 *
 * A 304 costs no parse.  A 2xx whose body hash equals the last stored
 * one (a server that changes its ETag on every request, or sends no
 * validators) is parsed as it streams, but nothing of it is stored: no
 * item lookups, no writes, no new generation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "charset.h"
#include "fetch.h"
#include "log.h"
#include "metrics.h"
#include "parse.h"
#include "poll.h"
#include "poll_int.h"
#include "schedule.h"
#include "store.h"

static uint32_t poll_random(void)
{
	return (uint32_t)random();
}

/* The document's polling hints, for next_interval_ok(). */
static void keep_hints(struct poll_job *j, const struct feed_meta *meta)
{
	j->hints.ttl_s = meta->ttl_s;
	j->hints.update_period_s = meta->update_period ?
		schedule_update_period_s(meta->update_period,
					 meta->update_frequency) : 0;
	j->hints.skip_hours = meta->skip_hours;
	j->hints.skip_days = meta->skip_days;
}

/* Finishes the parse of what arrived; the store worker writes it. */
static void take_body(struct poll_job *j, struct poll_outcome *o,
		      char *err, size_t errlen)
{
	if (parse_finish(j->parser, &j->meta, err, errlen) != 0) {
		o->error = err;
		j->outcome = METRICS_PARSE_ERROR;
		return;
	}
	j->parsed = 1;
	if (parse_repaired(j->parser))
		metrics_parse_repair();
	keep_hints(j, &j->meta);
	o->ok = 1;
	if (j->last_hash && j->r.body_hash == j->last_hash) {
		o->unchanged = 1;	/* byte-identical: nothing to store */
		j->outcome = METRICS_UNCHANGED;
	} else {
		j->store_entries = 1;
		j->outcome = METRICS_OK;
	}
}

/* The standard reason phrase of the statuses feeds meet (RFC 9110 §15). */
static const char *status_reason(long status)
{
	static const struct {
		long code;
		const char *reason;
	} reasons[] = {
		{ 400, "Bad Request" }, { 401, "Unauthorized" },
		{ 403, "Forbidden" }, { 404, "Not Found" },
		{ 406, "Not Acceptable" }, { 408, "Request Timeout" },
		{ 410, "Gone" }, { 429, "Too Many Requests" },
		{ 451, "Unavailable For Legal Reasons" },
		{ 500, "Internal Server Error" }, { 502, "Bad Gateway" },
		{ 503, "Service Unavailable" }, { 504, "Gateway Timeout" },
	};
	size_t i;

	for (i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
		if (reasons[i].code == status)
			return reasons[i].reason;
	return status >= 500 ? "server error" : "client error";
}

/* An HTTP error status: its words, and what it means for polling. */
static void judge_status(struct poll_job *j, const struct fetch_result *r,
			 struct poll_outcome *o, char *err, size_t errlen)
{
	const char *reason = status_reason(r->status);

	o->error = err;
	if (r->status == 410) {
		/* RFC 9110 §15.5.11: gone for good; asking again is rude. */
		o->gone = 1;
		j->outcome = METRICS_GONE;
		snprintf(err, errlen, "HTTP 410 Gone: the publisher removed this "
			 "feed; polling stopped (change its url to resume)");
	} else if ((r->status == 429 || r->status == 503) &&
		   r->retry_after_s >= 0) {
		o->retry_after_s = r->retry_after_s;
		j->outcome = METRICS_RATE_LIMITED;
		snprintf(err, errlen, "HTTP %ld %s (Retry-After: %lld s)",
			 r->status, reason, (long long)r->retry_after_s);
	} else {
		j->outcome = r->status == 429 || r->status == 503 ?
			     METRICS_RATE_LIMITED : METRICS_HTTP_ERROR;
		snprintf(err, errlen, "HTTP %ld %s", r->status, reason);
	}
}

void poll_judge(struct poll_job *j)
{
	const struct fetch_result *r = &j->r;
	struct poll_outcome *o = &j->o;
	char *err = j->err;
	size_t errlen = sizeof j->err;

	o->retry_after_s = -1;
	if (!r->ok && (r->aborted || j->parse_failed)) {
		/* The parser gave up mid-body: its reason is the error. */
		struct feed_meta meta;

		memset(&meta, 0, sizeof meta);
		if (parse_finish(j->parser, &meta, err, errlen) == 0)
			snprintf(err, errlen, "the parser stopped the transfer");
		feed_meta_clear(&meta);
		o->error = err;
		j->outcome = METRICS_PARSE_ERROR;
	} else if (!r->ok) {
		snprintf(err, errlen, "%s", r->error ? r->error : "fetch failed");
		o->error = err;
		j->outcome = r->too_big || r->headers_too_big ?
			     METRICS_TOO_BIG : METRICS_NETWORK_ERROR;
	} else if (r->status == 304 && !j->conditional) {
		/* RFC 9110 §15.4.5: 304 answers a conditional request only. */
		snprintf(err, errlen, "HTTP 304 Not Modified to a request "
			 "without validators (a server bug)");
		o->error = err;
		j->outcome = METRICS_HTTP_ERROR;
	} else if (r->status == 304) {
		o->ok = o->not_modified = 1;
		j->outcome = METRICS_NOT_MODIFIED;
	} else if (r->status >= 200 && r->status < 300) {
		take_body(j, o, err, errlen);
	} else {
		judge_status(j, r, o, err, errlen);
	}
}

/*
 * The publisher's hints after a successful poll: a new document's <ttl>,
 * sy:updatePeriod, skipHours/skipDays and the response's max-age replace
 * the stored ones; a 304 means the document (and its hints) still stand,
 * and its max-age may only raise the floor.
 */
static void update_hints(struct poll_job *j, struct store_feed *f,
			 const struct fetch_result *r,
			 const struct poll_outcome *o)
{
	if (o->not_modified) {
		if (r->max_age_s > f->hint_s)
			f->hint_s = r->max_age_s;
		return;
	}
	j->hints.max_age_s = r->max_age_s;
	f->hint_s = schedule_hint_s(&j->hints);
	f->skip_hours = j->hints.skip_hours;
	f->skip_days = j->hints.skip_days;
}

/* The interval after a successful poll: the feed's own when configured,
 * else adapted to its habit and the publisher's hints. */
static int64_t next_interval_ok(struct poll_job *j, struct store_feed *f,
				const struct fetch_result *r,
				const struct poll_outcome *o, int64_t now)
{
	const struct poll_params *pp = &j->params;
	struct schedule_habit habit;
	int64_t current = f->interval_s > 0 ? f->interval_s : pp->interval_s;
	int64_t next;

	update_hints(j, f, r, o);
	if (pp->fixed_interval)
		return pp->interval_s;
	schedule_habit_parse(&habit, f->publish_gaps, f->last_new_at);
	next = schedule_after_success_s(&habit, now, o->new_items, current,
					f->hint_s, pp->min_interval_s,
					pp->max_interval_s);
	free(f->publish_gaps);
	f->publish_gaps = schedule_habit_format(&habit);
	f->last_new_at = habit.last_new_at;
	return next;
}

/* The delay after a failure: backoff, or what Retry-After asked. */
static int64_t delay_error_ms(struct poll_job *j, const struct store_feed *f,
			      const struct poll_outcome *o)
{
	const struct poll_params *pp = &j->params;
	int64_t d = schedule_delay_error_ms(pp->interval_s, f->errors,
					    pp->min_interval_s,
					    pp->max_interval_s, poll_random());
	int64_t ra = o->retry_after_s;

	if (ra > pp->max_interval_s)
		ra = pp->max_interval_s;	/* honoured within the bounds */
	return ra * 1000 > d ? ra * 1000 : d;
}

/* RSS skipHours/skipDays: a poll due in a skipped hour moves to the
 * first hour the publisher allows, but never past latest_s (the
 * configured max_interval wins over the publisher). */
static int64_t skip_hours_days_ms(const struct store_feed *f, int64_t due_ms,
				  int64_t latest_s)
{
	int64_t due_s = due_ms / 1000;
	int64_t at_s;

	if (!f->skip_hours && !f->skip_days)
		return due_ms;
	at_s = schedule_skip_s(due_s, f->skip_hours, f->skip_days, latest_s);
	return at_s == due_s ? due_ms : at_s * 1000;
}

/* A 2xx or 304: validators, URL, habit, next poll. */
static void record_ok(struct poll_job *j, struct store_feed *f,
		      const struct fetch_result *r, struct poll_outcome *o,
		      int64_t now)
{
	f->errors = 0;
	f->last_success = now;
	if (!o->not_modified) {
		/* Exactly what the server sent, or nothing. */
		free(f->etag);
		free(f->last_modified);
		f->etag = xstrdup(r->etag);
		f->last_modified = xstrdup(r->last_modified);
		f->body_hash = r->body_hash;
	}
	if (r->permanent && r->final_url && strcmp(r->final_url, f->url)) {
		log_notice("feed '%s': moved permanently (%s) to %s; polling "
			   "the new URL from now on", j->name, f->url,
			   r->final_url);
		free(f->url);
		f->url = xstrdup(r->final_url);
	}
	f->interval_s = next_interval_ok(j, f, r, o, now);
	o->next_poll_ms = now * 1000 + schedule_delay_ok_ms(f->interval_s,
							    poll_random());
	if (!j->params.fixed_interval)
		o->next_poll_ms = skip_hours_days_ms(f, o->next_poll_ms,
						     now + j->params.max_interval_s);
}

/* A parsed document's repair note replaces the last one (NULL when this
 * one was well-formed); logged when it is new, so a feed that is broken
 * the same way every poll warns once, not every few minutes. */
static void record_repair(struct poll_job *j, struct store_feed *f)
{
	const char *why = parse_repaired(j->parser) ?
			  parse_repair_reason(j->parser) : NULL;

	if (!j->parsed)
		return;		/* 304, error: the last document's note stands */
	if (why && !*why)
		why = "the document was not well-formed";
	if (why && (!f->repair || strcmp(f->repair, why)))
		log_warn("feed '%s': the document was repaired to read it: %s",
			 j->name, why);
	else if (!why && f->repair)
		log_info("feed '%s': the document is well-formed again",
			 j->name);
	free(f->repair);
	f->repair = xstrdup(why);
}

void poll_record(struct poll_job *j, int64_t now)
{
	const struct fetch_result *r = &j->r;
	struct poll_outcome *o = &j->o;
	struct store_feed f;

	memset(&f, 0, sizeof f);
	o->interval_s = j->params.interval_s;
	if (store_feed_get(j->p->store, j->feed_id, &f) != 0) {
		o->next_poll_ms = (now + j->params.interval_s) * 1000;
		return;
	}
	f.last_poll = now;
	f.last_status = (int)r->status;
	free(f.last_error);
	f.last_error = o->ok ? NULL : xstrdup(o->error);
	record_repair(j, &f);
	if (o->ok) {
		record_ok(j, &f, r, o, now);
	} else {
		f.errors++;
		f.gone = o->gone;
		o->next_poll_ms = now * 1000 + delay_error_ms(j, &f, o);
	}
	o->errors = f.errors;
	o->failing = f.gone || poll_is_failing(f.errors);
	o->interval_s = f.interval_s > 0 ? f.interval_s : j->params.interval_s;
	f.next_poll = o->next_poll_ms / 1000;
	store_feed_save_poll(j->p->store, &f);
	store_feed_clear(&f);
}

static void log_outcome(const struct poll_job *j, const struct poll_outcome *o,
			const struct fetch_result *r)
{
	int64_t wait_s = (o->next_poll_ms + 999) / 1000 - (int64_t)time(NULL);

	if (o->gone)
		log_err("feed '%s': %s", j->name, o->error);
	else if (!o->ok)
		log_warn("feed '%s': %s (%d failure%s in a row%s; next try in "
			 "%lld s)", j->name, o->error, o->errors,
			 o->errors == 1 ? "" : "s",
			 o->errors == POLL_FAILING_AFTER ? ", now failing" : "",
			 (long long)wait_s);
	else if (o->not_modified)
		log_debug("feed '%s': not modified", j->name);
	else if (o->unchanged)
		log_debug("feed '%s': same body as last time, not stored "
			  "(%lld bytes)", j->name, (long long)r->body_bytes);
	else if (j->dropped)
		log_warn("feed '%s': %zu entries; only the first %d were "
			 "kept", j->name, j->dropped + j->n_entries,
			 POLL_MAX_ENTRIES);
	if (o->ok && !o->not_modified && !o->unchanged)
		log_info("feed '%s': %zu entries, %d new, %d updated "
			 "(%lld bytes, %.3f s)", j->name,
			 parse_entry_count(j->parser), o->new_items,
			 o->updated_items, (long long)r->body_bytes, r->seconds);
}

void poll_report(struct poll_job *j)
{
	struct poll_outcome *o = &j->o;

	if (o->ok && j->store_entries) {
		metrics_items(METRICS_ITEM_NEW, o->new_items);
		metrics_items(METRICS_ITEM_UPDATED, o->updated_items);
		metrics_items(METRICS_ITEM_DUPLICATE, (int64_t)j->n_entries -
			      o->new_items - o->updated_items);
	}
	metrics_fetch(j->outcome, j->r.seconds, j->r.body_bytes);
	log_outcome(j, o, &j->r);
}
