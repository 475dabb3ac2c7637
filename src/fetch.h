/*
 * fetch.h — HTTP(S) and file fetches on libcurl's multi interface, driven
 * by the libevent loop (the shape of curl's hiperfifo.c example).
 *
 * Body bytes go to the caller as they arrive (decoded from gzip or
 * deflate), so nothing buffers a whole body; the caller may pause the
 * transfer until it has room.  Every transfer is bounded:
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
/* Header bytes of one response.  curl's own cap is a fixed 100 KB per
 * header line; a feed's headers are a few hundred bytes. */
#define FETCH_MAX_HEADER_BYTES (64 * 1024)
#define FETCH_HASH_INIT 0xcbf29ce484222325ULL	/* FNV-1a 64 offset basis */

struct event_base;

struct fetch_options {
	const char *user_agent;		/* copied */
	int64_t timeout_ms;
	int64_t max_feed_size;		/* decoded bytes */
	int concurrency;		/* connections overall */
	int per_host;			/* connections per host */
	const char *ca_file;		/* copied; NULL: libcurl's CA bundle */
};

struct fetch_request {
	const char *url;		/* all borrowed until fetch_start returns */
	const char *etag;		/* sent as If-None-Match, exactly; may be NULL */
	const char *last_modified;	/* sent as If-Modified-Since, exactly */
	int allow_file;			/* file:// allowed for this URL (config only) */
	/* Optional: called once before the first chunk of a 2xx body with
	 * that response's Content-Type (NULL if none), so the parser knows
	 * the HTTP charset before any byte (RFC 7303 §3.2). */
	void (*on_content_type)(void *ctx, const char *content_type);
};

/* How a transfer ended.  Borrowed by the done callback until it returns. */
struct fetch_result {
	int ok;			/* the transfer completed (any HTTP status) */
	int cancelled;		/* fetch_free ended it; don't act on it */
	int too_big;		/* aborted: body passed max_feed_size */
	int headers_too_big;	/* aborted: headers passed FETCH_MAX_HEADER_BYTES */
	int aborted;		/* the body callback asked to stop */
	long status;		/* final HTTP status; 200 for a file:// read */
	const char *error;	/* why it failed, when !ok */
	const char *etag;	/* validators of the final response, or NULL */
	const char *last_modified;
	const char *content_type;
	const char *final_url;	/* after redirects */
	int redirects;		/* how many were followed */
	int permanent;		/* every redirect followed was 301 or 308 */
	int64_t body_bytes;	/* decoded body bytes received */
	uint64_t body_hash;	/* FNV-1a 64 of the decoded 2xx body */
	int64_t retry_after_s;	/* Retry-After, seconds from now; -1 if none */
	int64_t max_age_s;	/* Cache-Control max-age, else Expires - Date;
				 * -1 if neither */
	double seconds;
};

/*
 * Receives each decoded chunk of a 2xx body.  Return 0 to go on, -1 to
 * abort the transfer (then done reports !ok with error "aborted"), or
 * FETCH_BODY_PAUSE to refuse this chunk for now: the transfer pauses (no
 * more socket reads) and the same chunk comes again after fetch_resume.
 * While paused, libcurl keeps what it already read and decoded: at most
 * one socket read's worth (16 KiB, or its inflated size for a gzip or
 * deflate body: deflate's ratio is at most 1032:1, ~16.5 MiB; libcurl
 * fails the transfer past 64 MiB).  Only a transfer fetch_can_pause()
 * says can pause may be refused a chunk: FETCH_BODY_PAUSE fails the
 * others (error "Write callback asked for PAUSE when not supported").
 */
#define FETCH_BODY_PAUSE 1
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
/* The loop the transfers run on. */
struct event_base *fetch_base(const struct fetch *f);
/* Whether the transfer started with ctx can pause (FETCH_BODY_PAUSE): 1,
 * or 0 for a file:// read, which libcurl cannot pause (its body callback
 * must take every chunk; max_feed_size still bounds them), and when no
 * transfer was started with ctx. */
int fetch_can_pause(struct fetch *f, void *ctx);
/* The transfer started with ctx, paused by FETCH_BODY_PAUSE, goes on: the
 * refused chunk is offered again (from within this call).  The transfer
 * may end from within it too (done is called). */
void fetch_resume(struct fetch *f, void *ctx);
/* Ends the transfer started with ctx now: done is called from within
 * this call, with aborted set (the caller gave up on the body) or, with
 * cancel, cancelled set.  No-op if there is none. */
void fetch_stop(struct fetch *f, void *ctx, int cancel);
/* Ends every transfer (done called with cancelled set), frees f. */
void fetch_free(struct fetch *f);

/* ---- header values and the body hash (fetch_headers.c; pure) ---- */

/* Retry-After: delta-seconds or an HTTP-date (RFC 9110 §10.2.3), as
 * seconds after now (0 for a date in the past); -1 if absent or bad. */
int64_t fetch_retry_after_s(const char *value, int64_t now);
/* Cache-Control: max-age in seconds; 0 for no-cache / no-store; -1 if
 * none of these (RFC 9111 §5.2.2). */
int64_t fetch_max_age_s(const char *cache_control);
/* Expires minus Date (or now), never below 0; -1 without Expires; 0 for
 * an invalid one (RFC 9111 §5.3). */
int64_t fetch_expires_s(const char *expires, const char *date, int64_t now);
/* FNV-1a 64 over len more bytes; start from FETCH_HASH_INIT. */
uint64_t fetch_hash_update(uint64_t h, const void *data, size_t len);

#endif
