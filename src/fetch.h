/*
 * fetch.h — HTTP(S) and file fetches on libcurl's multi interface, driven
 * by the libevent loop (the shape of curl's hiperfifo.c example).
 *
 * Body bytes go to the caller as they arrive (already decoded from gzip or
 * deflate), so nothing buffers a whole body.  Every transfer is bounded:
 * whole-transfer timeout, low-speed limit, max_feed_size counted on the
 * decoded bytes, at most 5 redirects and only to http/https (PITFALLS.md).
 */
#ifndef FEEDMUX_FETCH_H
#define FEEDMUX_FETCH_H

#include <stddef.h>
#include <stdint.h>

#define FETCH_MAX_REDIRS 5
#define FETCH_LOW_SPEED_BYTES 16	/* bytes/s below which ... */
#define FETCH_LOW_SPEED_TIME_S 30	/* ... for this long aborts a transfer */

struct event_base;

struct fetch_options {
	const char *user_agent;		/* copied */
	int64_t timeout_ms;
	int64_t max_feed_size;		/* decoded bytes */
	int concurrency;		/* connections overall */
	int per_host;			/* connections per host */
};

struct fetch_request {
	const char *url;		/* all borrowed until fetch_start returns */
	const char *etag;		/* sent as If-None-Match, exactly; may be NULL */
	const char *last_modified;	/* sent as If-Modified-Since, exactly */
	int allow_file;			/* file:// allowed for this URL (config only) */
};

/* How a transfer ended.  Borrowed by the done callback until it returns. */
struct fetch_result {
	int ok;			/* the transfer completed (any HTTP status) */
	int cancelled;		/* fetch_free ended it; don't act on it */
	int too_big;		/* aborted: body passed max_feed_size */
	long status;		/* final HTTP status; 200 for a file:// read */
	const char *error;	/* why it failed, when !ok */
	const char *etag;	/* validators of the final response, or NULL */
	const char *last_modified;
	const char *content_type;
	const char *final_url;	/* after redirects */
	int redirects;		/* how many were followed */
	int permanent;		/* every redirect followed was 301 or 308 */
	int64_t body_bytes;	/* decoded body bytes received */
	double seconds;
};

/*
 * Receives each decoded chunk of a 2xx body.  Return 0 to go on, -1 to
 * abort the transfer (then done reports !ok with error "aborted").
 */
typedef int (*fetch_body_cb)(void *ctx, const char *data, size_t len);
/* Called exactly once per started fetch. */
typedef void (*fetch_done_cb)(void *ctx, const struct fetch_result *r);

struct fetch;

/* NULL if libcurl could not be set up. */
struct fetch *fetch_create(struct event_base *base,
			   const struct fetch_options *opts);
/* New limits for fetches started from now on (reload). */
void fetch_set_options(struct fetch *f, const struct fetch_options *opts);
/* Starts a transfer.  0, or -1 (done is then not called). */
int fetch_start(struct fetch *f, const struct fetch_request *req,
		fetch_body_cb on_body, fetch_done_cb on_done, void *ctx);
size_t fetch_active(const struct fetch *f);	/* transfers in flight */
/* Ends every transfer (done called with cancelled set), frees f. */
void fetch_free(struct fetch *f);

#endif
