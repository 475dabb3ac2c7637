/*
 * fetch_body.c — a transfer's body, from libcurl's write callback to the
 * consumer: an error page read and dropped, the Content-Type announced
 * before the first byte, gzip and deflate decoded a chunk at a time
 * (fetch_decode.h), every decoded byte counted against max_feed_size and
 * hashed, the transfer paused while the consumer is full and resumed by
 * fetch_resume; and the whole-transfer deadline, which does not count the
 * time spent paused.
 */
#include <stdio.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "buf.h"
#include "fetch.h"
#include "fetch_decode.h"
#include "fetch_int.h"

/* Decoded bytes handed to the consumer at a time (libcurl's own chunk). */
#define FETCH_DECODE_CHUNK (16 * 1024)

/* 2xx, or a file:// read (curl reports status 0 there). */
static int job_status_ok(struct fetch_job *j)
{
	long code = 0;

	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &code);
	return code == 0 || (code >= 200 && code < 300);
}

int64_t fetch_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Offers decoded bytes to the consumer, counted against max_feed_size
 * (PITFALLS.md: MAXFILESIZE only checks Content-Length) and hashed once
 * taken.  0 taken, FETCH_BODY_PAUSE refused for now, -1 stop. */
static int deliver(struct fetch_job *j, const char *data, size_t len)
{
	int rc;

	if (j->f->max_feed_size > 0 &&
	    j->body_bytes + (int64_t)len > j->f->max_feed_size) {
		j->body_bytes += (int64_t)len;
		j->too_big = 1;
		return -1;
	}
	rc = j->on_body(j->ctx, data, len);
	if (rc == FETCH_BODY_PAUSE) {
		if (!j->paused_at_ms)
			j->paused_at_ms = fetch_mono_ms();
		return rc;
	}
	if (rc != 0) {
		j->aborted = 1;
		return -1;
	}
	j->body_bytes += (int64_t)len;
	j->body_hash = fetch_hash_update(j->body_hash, data, len);
	return 0;
}

/* Decodes what the decoder holds and delivers it until the consumer
 * refuses (FETCH_BODY_PAUSE: the rest waits for fetch_resume), the input
 * runs out (0) or something stops the transfer (-1). */
static int pump(struct fetch_job *j)
{
	for (;;) {
		int rc;

		if (!j->out_len) {
			if (fetch_decoder_read(j->dec, j->out, FETCH_DECODE_CHUNK,
					       &j->out_len) != 0) {
				j->decode_failed = 1;
				return -1;
			}
			if (!j->out_len)
				return 0;
		}
		rc = deliver(j, j->out, j->out_len);
		if (rc != 0)
			return rc;
		j->out_len = 0;
	}
}

/* Before the first byte of a 2xx body: its Content-Type for the
 * consumer, its Content-Encoding for us.  0, or -1 to refuse it. */
static int job_body_start(struct fetch_job *j)
{
	enum fetch_coding c = fetch_coding_of(j->content_encoding);

	j->typed = 1;
	if (j->on_content_type) {
		char *ctype = NULL;	/* owned by curl */

		curl_easy_getinfo(j->easy, CURLINFO_CONTENT_TYPE, &ctype);
		j->on_content_type(j->ctx, ctype);
	}
	if (c == FETCH_CODING_OTHER) {
		snprintf(j->error, sizeof j->error, "unsupported "
			 "Content-Encoding: %s (gzip and deflate were asked "
			 "for)", j->content_encoding);
		j->decode_failed = 1;
		return -1;
	}
	if (c != FETCH_CODING_IDENTITY) {
		j->dec = fetch_decoder_new(c);
		j->out = xmalloc(FETCH_DECODE_CHUNK);
	}
	return 0;
}

/* curl's write callback: bytes as they came (undecoded). */
size_t fetch_on_body(char *data, size_t size, size_t n, void *arg)
{
	struct fetch_job *j = arg;
	size_t len = size * n;
	int rc;

	if (!job_status_ok(j)) {	/* an error page: read and drop */
		j->body_bytes += (int64_t)len;
		if (j->f->max_feed_size > 0 && j->body_bytes > j->f->max_feed_size) {
			j->too_big = 1;
			return 0;
		}
		return len;
	}
	if (!j->typed && job_body_start(j) != 0)
		return 0;
	if (!j->dec) {
		rc = deliver(j, data, len);
		/* refused: libcurl keeps the chunk and offers it again */
		return rc == FETCH_BODY_PAUSE ? CURL_WRITEFUNC_PAUSE :
		       rc == 0 ? len : 0;
	}
	/* One compressed chunk in the decoder at a time: while it holds
	 * one, libcurl keeps the next (at most one socket read). */
	if (fetch_decoder_pending(j->dec) || j->out_len)
		return CURL_WRITEFUNC_PAUSE;
	fetch_decoder_feed(j->dec, data, len);
	return pump(j) < 0 ? 0 : len;
}

/*
 * The transfer's timeout: `timeout` after its start, plus the time it
 * spent paused because the consumer was full (a loaded daemon parsing
 * slowly must not turn into a network error), that credit capped at
 * FETCH_PAUSE_CREDIT times the timeout so every transfer still ends.
 */
#define FETCH_PAUSE_CREDIT 4
static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct fetch_job *j = arg;
	int64_t now = fetch_mono_ms();
	int64_t paused = j->paused_ms + (j->paused_at_ms ? now - j->paused_at_ms : 0);
	int64_t due;
	struct timeval tv;

	(void)fd;
	(void)what;
	if (paused > FETCH_PAUSE_CREDIT * j->timeout_ms)
		paused = FETCH_PAUSE_CREDIT * j->timeout_ms;
	due = j->started_ms + j->timeout_ms + paused;
	if (now < due) {
		tv.tv_sec = (due - now) / 1000;
		tv.tv_usec = (due - now) % 1000 * 1000;
		evtimer_add(j->deadline, &tv);
		return;
	}
	j->timed_out = 1;
	fetch_job_finish(j, CURLE_OPERATION_TIMEDOUT, 0);
}

void fetch_job_arm_deadline(struct fetch_job *j)
{
	struct timeval tv;

	j->started_ms = fetch_mono_ms();
	j->timeout_ms = j->f->timeout_ms;
	j->deadline = evtimer_new(j->f->base, on_deadline, j);
	fetch_prioritise(j->f, j->deadline);
	tv.tv_sec = j->timeout_ms / 1000;
	tv.tv_usec = j->timeout_ms % 1000 * 1000;
	evtimer_add(j->deadline, &tv);
}

/* libcurl pauses only the protocols that use the network: FETCH_BODY_PAUSE
 * on a file:// read fails it ("Write callback asked for PAUSE when not
 * supported"; libcurl's file protocol reads the whole file in one loop).
 * Redirects go only to http and https (CURLOPT_REDIR_PROTOCOLS_STR), so
 * the URL a transfer starts with decides.  Its scheme is read by
 * libcurl's URL parser with the flags CURLOPT_URL uses (a URL without
 * one is guessed to be http); a URL it cannot parse fails before any
 * body and is said not to pause. */
int fetch_url_can_pause(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL;
	int can = 0;

	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_GUESS_SCHEME |
			      CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK)
		can = strcasecmp(scheme, "file") != 0;
	curl_free(scheme);
	curl_url_cleanup(u);
	return can;
}

int fetch_can_pause(struct fetch *f, void *ctx)
{
	struct fetch_job *j = fetch_job_of(f, ctx);

	return j && j->can_pause;
}

void fetch_resume(struct fetch *f, void *ctx)
{
	struct fetch_job *j = fetch_job_of(f, ctx);
	int rc;

	if (!j)
		return;
	if (j->paused_at_ms) {
		j->paused_ms += fetch_mono_ms() - j->paused_at_ms;
		j->paused_at_ms = 0;
	}
	if (j->dec) {
		rc = pump(j);
		if (rc < 0) {
			fetch_job_finish(j, CURLE_WRITE_ERROR, 0);
			return;
		}
		if (rc == FETCH_BODY_PAUSE)
			return;		/* still full */
		if (j->ended) {
			fetch_job_finish(j, j->end_rc, 0);
			return;
		}
	}
	curl_easy_pause(j->easy, CURLPAUSE_CONT);
}
