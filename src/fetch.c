/*
 * fetch.c — libcurl multi on the libevent loop.
 *
 * The wiring follows curl's docs/examples/hiperfifo.c: curl tells us which
 * sockets to watch (on_curl_socket) and when to wake it (on_curl_timer);
 * libevent calls back on_sock_ready / on_timeout, which hand the event to
 * curl_multi_socket_action(); check_done() drains CURLMSG_DONE.
 *
 * This file also sets a transfer's options, keeps the headers of its
 * responses and reports its end.  The body's path (decoding, delivery,
 * pause and resume, the deadline) is fetch_body.c; the structs both
 * share are in fetch_int.h.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "buf.h"
#include "fetch.h"
#include "fetch_decode.h"
#include "fetch_int.h"
#include "log.h"

/* Per-socket state curl asked us to watch. */
struct fetch_sock {
	struct event *ev;
};

static void check_done(struct fetch *f);

static void on_sock_ready(evutil_socket_t fd, short what, void *arg)
{
	struct fetch *f = arg;
	int action = ((what & EV_READ) ? CURL_CSELECT_IN : 0) |
		     ((what & EV_WRITE) ? CURL_CSELECT_OUT : 0);
	int running;

	curl_multi_socket_action(f->multi, fd, action, &running);
	check_done(f);
}

static void on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct fetch *f = arg;
	int running;

	(void)fd;
	(void)what;
	curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(f);
}

/* Transfers run one priority above the lowest (the poller's slices,
 * poll_ingest.c and poll_store.c) and below the default (HTTP clients,
 * timers): with the daemon's five, at 3.  A base with fewer than three
 * keeps the default. */
void fetch_prioritise(const struct fetch *f, struct event *ev)
{
	int n = event_base_get_npriorities(f->base);

	if (ev && n >= 3)
		event_priority_set(ev, n - 2);
}

/* CURLMOPT_TIMERFUNCTION: -1 deletes the timer, 0 means "act now". */
static int on_curl_timer(CURLM *multi, long timeout_ms, void *arg)
{
	struct fetch *f = arg;
	struct timeval tv;

	(void)multi;
	if (timeout_ms < 0) {
		evtimer_del(f->timer);
		return 0;
	}
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(f->timer, &tv);
	return 0;
}

/* CURLMOPT_SOCKETFUNCTION: add, change or remove the event for s. */
static int on_curl_socket(CURL *easy, curl_socket_t s, int what, void *arg,
			  void *sockp)
{
	struct fetch *f = arg;
	struct fetch_sock *fs = sockp;
	short kind = EV_PERSIST;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (fs) {
			event_free(fs->ev);
			free(fs);
			curl_multi_assign(f->multi, s, NULL);
		}
		return 0;
	}
	if (what & CURL_POLL_IN)
		kind |= EV_READ;
	if (what & CURL_POLL_OUT)
		kind |= EV_WRITE;
	if (!fs) {
		fs = xcalloc(1, sizeof *fs);
		curl_multi_assign(f->multi, s, fs);
	} else {
		event_free(fs->ev);
	}
	fs->ev = event_new(f->base, s, kind, on_sock_ready, f);
	fetch_prioritise(f, fs->ev);
	event_add(fs->ev, NULL);
	return 0;
}

static void job_set_header(char **slot, const char *value, size_t len)
{
	while (len && (value[len - 1] == '\r' || value[len - 1] == '\n' ||
		       value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	free(*slot);
	*slot = xstrndup(value, len);
}

/* A new response begins (a redirect, a 100 Continue, the final one). */
static void job_new_response(struct fetch_job *j, const char *line, size_t len)
{
	const char *sp = memchr(line, ' ', len);

	j->hop_status = sp ? strtol(sp + 1, NULL, 10) : 0;
	if (j->hop_status >= 300 && j->hop_status < 400 &&
	    j->hop_status != 301 && j->hop_status != 308 &&
	    j->hop_status != 304)
		j->all_permanent = 0;
	j->header_bytes = len;
	free(j->etag);
	free(j->last_modified);
	free(j->retry_after);
	free(j->cache_control);
	free(j->expires);
	free(j->date);
	free(j->content_encoding);
	j->etag = j->last_modified = j->retry_after = NULL;
	j->cache_control = j->expires = j->date = j->content_encoding = NULL;
}

/* The slot a header line belongs in, with *skip the name's length. */
static char **job_header_slot(struct fetch_job *j, const char *line,
			      size_t len, size_t *skip)
{
	static const struct {
		const char *name;
		size_t off;
	} kept[] = {
		{ "etag:", offsetof(struct fetch_job, etag) },
		{ "last-modified:", offsetof(struct fetch_job, last_modified) },
		{ "retry-after:", offsetof(struct fetch_job, retry_after) },
		{ "cache-control:", offsetof(struct fetch_job, cache_control) },
		{ "expires:", offsetof(struct fetch_job, expires) },
		{ "date:", offsetof(struct fetch_job, date) },
		{ "content-encoding:", offsetof(struct fetch_job, content_encoding) },
	};
	size_t i, n;

	for (i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		n = strlen(kept[i].name);
		if (len > n && strncasecmp(line, kept[i].name, n) == 0) {
			*skip = n;
			return (char **)((char *)j + kept[i].off);
		}
	}
	return NULL;
}

/* Keeps the headers we use from the last response, and bounds their
 * size: returning short makes curl abort with CURLE_WRITE_ERROR. */
static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
	struct fetch_job *j = arg;
	size_t len = size * n, skip = 0;
	const char *v;
	char **slot;

	if (len > 5 && strncmp(line, "HTTP/", 5) == 0) {
		job_new_response(j, line, len);
		return len;
	}
	j->header_bytes += len;
	if (j->header_bytes > FETCH_MAX_HEADER_BYTES) {
		j->headers_too_big = 1;
		return 0;
	}
	slot = job_header_slot(j, line, len, &skip);
	if (slot) {
		for (v = line + skip; v < line + len && (*v == ' ' || *v == '\t'); v++)
			;
		job_set_header(slot, v, (size_t)(line + len - v));
	}
	return len;
}

static void job_unlink(struct fetch_job *j)
{
	struct fetch *f = j->f;

	if (j->prev)
		j->prev->next = j->next;
	else
		f->jobs = j->next;
	if (j->next)
		j->next->prev = j->prev;
	f->n_jobs--;
}

static void job_free(struct fetch_job *j)
{
	curl_multi_remove_handle(j->f->multi, j->easy);
	curl_easy_cleanup(j->easy);
	curl_slist_free_all(j->headers);
	free(j->etag);
	free(j->last_modified);
	free(j->retry_after);
	free(j->cache_control);
	free(j->expires);
	free(j->date);
	free(j->content_encoding);
	if (j->deadline)
		event_free(j->deadline);
	fetch_decoder_free(j->dec);
	free(j->out);
	free(j);
}

static const char *job_error(struct fetch_job *j, CURLcode rc)
{
	if (j->too_big) {
		snprintf(j->error, sizeof j->error, "body larger than "
			 "max_feed_size (%lld bytes, after decompression)",
			 (long long)j->f->max_feed_size);
		return j->error;
	}
	if (j->headers_too_big)
		return "response headers larger than 64 KiB";
	if (j->timed_out) {
		snprintf(j->error, sizeof j->error, "Operation timed out after "
			 "%lld milliseconds with %lld bytes received",
			 (long long)(fetch_mono_ms() - j->started_ms - j->paused_ms),
			 (long long)j->body_bytes);
		return j->error;
	}
	if (j->decode_failed && j->dec) {
		snprintf(j->error, sizeof j->error, "corrupt %s body: %s",
			 fetch_coding_of(j->content_encoding) == FETCH_CODING_GZIP ?
			 "gzip" : "deflate", fetch_decoder_error(j->dec));
		return j->error;
	}
	if (j->decode_failed)
		return j->error;
	if (j->aborted)
		return "aborted";
	if (rc == CURLE_UNSUPPORTED_PROTOCOL)
		return "redirect or URL to an unsupported scheme";
	if (rc == CURLE_TOO_MANY_REDIRECTS)
		return "more than 5 redirects (or a redirect loop)";
	return j->error[0] ? j->error : curl_easy_strerror(rc);
}

/* The publisher's caching hints of the final response. */
static void job_hints(struct fetch_job *j, struct fetch_result *r)
{
	int64_t now = (int64_t)time(NULL);

	r->retry_after_s = fetch_retry_after_s(j->retry_after, now);
	/* RFC 9111 §5.3: max-age wins over Expires. */
	r->max_age_s = fetch_max_age_s(j->cache_control);
	if (r->max_age_s < 0)
		r->max_age_s = fetch_expires_s(j->expires, j->date, now);
}

/* Reports how j ended, then frees it. */
void fetch_job_finish(struct fetch_job *j, CURLcode rc, int cancelled)
{
	struct fetch_result r;
	char *url = NULL, *ctype = NULL;
	long redirects = 0;

	memset(&r, 0, sizeof r);
	if (rc == CURLE_FILESIZE_EXCEEDED)
		j->too_big = 1;	/* Content-Length said so up front */
	r.cancelled = cancelled;
	r.ok = !cancelled && rc == CURLE_OK && !j->too_big && !j->aborted &&
	       !j->headers_too_big && !j->decode_failed;
	r.too_big = j->too_big;
	r.headers_too_big = j->headers_too_big;
	r.aborted = j->aborted;
	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &r.status);
	if (r.ok && r.status == 0)
		r.status = 200;	/* file:// */
	r.error = cancelled ? "cancelled" : r.ok ? NULL : job_error(j, rc);
	r.etag = j->etag;
	r.last_modified = j->last_modified;
	curl_easy_getinfo(j->easy, CURLINFO_CONTENT_TYPE, &ctype);
	r.content_type = ctype;
	curl_easy_getinfo(j->easy, CURLINFO_EFFECTIVE_URL, &url);
	r.final_url = url;
	curl_easy_getinfo(j->easy, CURLINFO_REDIRECT_COUNT, &redirects);
	r.redirects = (int)redirects;
	r.permanent = redirects > 0 && j->all_permanent;
	r.body_bytes = j->body_bytes;
	r.body_hash = j->body_hash;
	job_hints(j, &r);
	curl_easy_getinfo(j->easy, CURLINFO_TOTAL_TIME, &r.seconds);
	job_unlink(j);
	j->on_done(j->ctx, &r);
	job_free(j);
}

static void check_done(struct fetch *f)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(f->multi, &left))) {
		struct fetch_job *j = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
		if (msg->data.result == CURLE_OK && j->dec &&
		    (j->out_len || fetch_decoder_pending(j->dec))) {
			/* The consumer has yet to take the end of the body:
			 * fetch_resume finishes the job. */
			j->ended = 1;
			j->end_rc = msg->data.result;
			continue;
		}
		fetch_job_finish(j, msg->data.result, 0);
	}
}

static void add_validator(struct fetch_job *j, const char *name,
			  const char *value)
{
	struct buf b = {0};

	if (!value || !*value)
		return;
	buf_printf(&b, "%s: %s", name, value);
	j->headers = curl_slist_append(j->headers, b.data);
	buf_free(&b);
}

static void job_setopts(struct fetch_job *j, const struct fetch_request *req)
{
	struct fetch *f = j->f;
	CURL *e = j->easy;
	long low_time = FETCH_LOW_SPEED_TIME_S;

	if (f->timeout_ms / 1000 < low_time)
		low_time = f->timeout_ms / 1000 > 0 ? (long)(f->timeout_ms / 1000) : 1;
	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->error);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_SHARE, f->share);
	/* HTTP/2 over TLS when offered (ALPN); wait for a connection that
	 * may multiplex rather than open a second one to the same host. */
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent);
	if (f->ca_file)	/* a private CA (and the tests' own) */
		curl_easy_setopt(e, CURLOPT_CAINFO, f->ca_file);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, fetch_on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
	/* PITFALLS.md: bounded redirects, schemes, sizes and time. */
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)FETCH_MAX_REDIRS);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR,
			 req->allow_file ? "http,https,file" : "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	/* Decoded here (fetch_decode.h), not by libcurl: so gzip and
	 * deflate, the codings zlib reads. */
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
	curl_easy_setopt(e, CURLOPT_HTTP_CONTENT_DECODING, 0L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, (long)FETCH_LOW_SPEED_BYTES);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, low_time);
	if (f->max_feed_size > 0)
		curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
				 (curl_off_t)f->max_feed_size);
	/* Exactly the validators the server gave (not re-formatted). */
	add_validator(j, "If-None-Match", req->etag);
	add_validator(j, "If-Modified-Since", req->last_modified);
	if (j->headers)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->headers);
}

int fetch_start(struct fetch *f, const struct fetch_request *req,
		fetch_body_cb body_cb, fetch_done_cb done_cb, void *ctx)
{
	struct fetch_job *j = xcalloc(1, sizeof *j);

	j->f = f;
	j->on_body = body_cb;
	j->on_content_type = req->on_content_type;
	j->on_done = done_cb;
	j->ctx = ctx;
	j->all_permanent = 1;
	j->body_hash = FETCH_HASH_INIT;
	j->can_pause = fetch_url_can_pause(req->url);
	j->easy = curl_easy_init();
	if (!j->easy) {
		free(j);
		return -1;
	}
	job_setopts(j, req);
	if (curl_multi_add_handle(f->multi, j->easy) != CURLM_OK) {
		curl_slist_free_all(j->headers);
		curl_easy_cleanup(j->easy);
		free(j);
		return -1;
	}
	fetch_job_arm_deadline(j);
	j->next = f->jobs;
	if (f->jobs)
		f->jobs->prev = j;
	f->jobs = j;
	f->n_jobs++;
	return 0;
}

void fetch_set_options(struct fetch *f, const struct fetch_options *opts)
{
	free(f->user_agent);
	f->user_agent = xstrdup(opts->user_agent ? opts->user_agent : "feedmux");
	free(f->ca_file);
	f->ca_file = opts->ca_file ? xstrdup(opts->ca_file) : NULL;
	f->timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : 30000;
	f->max_feed_size = opts->max_feed_size;
	curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
			  (long)opts->concurrency);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
			  (long)opts->per_host);
}

struct fetch *fetch_create(struct event_base *base,
			   const struct fetch_options *opts)
{
	struct fetch *f = xcalloc(1, sizeof *f);

	f->base = base;
	f->multi = curl_multi_init();
	if (!f->multi) {
		free(f);
		return NULL;
	}
	/* One thread, so the share needs no lock callbacks.  Connections
	 * are pooled by the multi handle itself (shared by all its
	 * transfers, bounded by the limits below); the share adds the DNS
	 * cache and TLS session resumption. */
	f->share = curl_share_init();
	if (f->share) {
		curl_share_setopt(f->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
		curl_share_setopt(f->share, CURLSHOPT_SHARE,
				  CURL_LOCK_DATA_SSL_SESSION);
	}
	curl_multi_setopt(f->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	f->timer = evtimer_new(base, on_timeout, f);
	fetch_prioritise(f, f->timer);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	fetch_set_options(f, opts);
	return f;
}

size_t fetch_active(const struct fetch *f)
{
	return f->n_jobs;
}

struct event_base *fetch_base(const struct fetch *f)
{
	return f->base;
}

/* The transfer of ctx; transfers in flight are at most `concurrency`. */
struct fetch_job *fetch_job_of(struct fetch *f, void *ctx)
{
	struct fetch_job *j;

	for (j = f->jobs; j; j = j->next)
		if (j->ctx == ctx)
			return j;
	return NULL;
}

void fetch_stop(struct fetch *f, void *ctx, int cancel)
{
	struct fetch_job *j = fetch_job_of(f, ctx);

	if (!j)
		return;
	j->aborted = !cancel;
	fetch_job_finish(j, CURLE_ABORTED_BY_CALLBACK, cancel);
}

void fetch_free(struct fetch *f)
{
	if (!f)
		return;
	while (f->jobs)
		fetch_job_finish(f->jobs, CURLE_ABORTED_BY_CALLBACK, 1);
	curl_multi_cleanup(f->multi);
	if (f->share)
		curl_share_cleanup(f->share);
	event_free(f->timer);
	free(f->ca_file);
	free(f->user_agent);
	free(f);
}
