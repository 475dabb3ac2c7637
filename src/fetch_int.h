/*
 * fetch_int.h — what fetch.c (libcurl multi on the libevent loop; a
 * transfer's options, response headers and end) and fetch_body.c (a
 * transfer's body: decoding, delivery, pause and resume, the deadline)
 * share.  Not for other modules.
 */
#ifndef FEEDMUX_FETCH_INT_H
#define FEEDMUX_FETCH_INT_H

#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "fetch.h"

struct event;
struct event_base;
struct fetch_decoder;

struct fetch {
	struct event_base *base;	/* borrowed */
	CURLM *multi;
	CURLSH *share;		/* DNS cache and TLS sessions of every transfer */
	struct event *timer;
	struct fetch_job *jobs;		/* in flight, doubly linked */
	size_t n_jobs;
	char *user_agent;
	char *ca_file;		/* owned; NULL: libcurl's default CA bundle */
	int64_t timeout_ms;
	int64_t max_feed_size;
};

/* One transfer.  Owned by the fetch until done has been called. */
struct fetch_job {
	struct fetch *f;
	struct fetch_job *prev, *next;
	CURL *easy;
	struct curl_slist *headers;
	fetch_body_cb on_body;
	void (*on_content_type)(void *ctx, const char *content_type);
	fetch_done_cb on_done;
	void *ctx;
	int64_t body_bytes;
	uint64_t body_hash;
	size_t header_bytes;	/* of the current response */
	int too_big;
	int headers_too_big;
	int aborted;		/* on_body asked to stop */
	int typed;		/* on_content_type was called */
	int can_pause;		/* libcurl can pause it (fetch_url_can_pause) */
	/* A gzip or deflate body (libcurl hands it over undecoded): the
	 * decoder, its output the consumer refused (FETCH_BODY_PAUSE), and
	 * the transfer's end, held back until that is delivered. */
	struct fetch_decoder *dec;	/* owned; NULL for identity */
	char *out;			/* owned, FETCH_DECODE_CHUNK bytes */
	size_t out_len;			/* decoded, not yet taken */
	int decode_failed;
	int ended;			/* curl is done; dec still pending */
	CURLcode end_rc;
	/* The whole-transfer timeout, kept here rather than by libcurl so
	 * that time paused for the consumer does not count (see
	 * on_deadline). */
	struct event *deadline;		/* owned */
	int64_t started_ms;
	int64_t timeout_ms;
	int64_t paused_at_ms;		/* 0 while not paused */
	int64_t paused_ms;		/* paused so far, before paused_at_ms */
	int timed_out;
	int all_permanent;	/* every redirect status seen was 301/308 */
	long hop_status;	/* status of the response whose headers arrive */
	/* Header values of the current response (each status line starts
	 * a new one): owned, NULL when absent. */
	char *etag;
	char *last_modified;
	char *retry_after;
	char *cache_control;
	char *expires;
	char *date;
	char *content_encoding;
	char error[CURL_ERROR_SIZE];
};

/* fetch.c: ev runs one priority above the poller's slices. */
void fetch_prioritise(const struct fetch *f, struct event *ev);
/* fetch.c: the transfer started with ctx, or NULL. */
struct fetch_job *fetch_job_of(struct fetch *f, void *ctx);
/* fetch.c: reports how j ended (done is called), then frees j. */
void fetch_job_finish(struct fetch_job *j, CURLcode rc, int cancelled);

/* fetch_body.c: CLOCK_MONOTONIC in milliseconds. */
int64_t fetch_mono_ms(void);
/* fetch_body.c: curl's write callback (CURLOPT_WRITEFUNCTION); arg is
 * the fetch_job. */
size_t fetch_on_body(char *data, size_t size, size_t n, void *arg);
/* fetch_body.c: whether libcurl can pause a transfer that starts at url:
 * 1, or 0 for a file:// read (or a URL libcurl cannot parse). */
int fetch_url_can_pause(const char *url);
/* fetch_body.c: starts j's whole-transfer timeout (on_deadline). */
void fetch_job_arm_deadline(struct fetch_job *j);

#endif
