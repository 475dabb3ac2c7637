/*
 * fetch.c — libcurl multi on the libevent loop.
 *
 * The wiring follows curl's docs/examples/hiperfifo.c: curl tells us which
 * sockets to watch (on_curl_socket) and when to wake it (on_curl_timer);
 * libevent calls back on_sock_ready / on_timeout, which hand the event to
 * curl_multi_socket_action(); check_done() drains CURLMSG_DONE.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "buf.h"
#include "fetch.h"
#include "log.h"

struct fetch {
	struct event_base *base;	/* borrowed */
	CURLM *multi;
	struct event *timer;
	struct fetch_job *jobs;		/* in flight, doubly linked */
	size_t n_jobs;
	char *user_agent;
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
	fetch_done_cb on_done;
	void *ctx;
	int64_t body_bytes;
	int too_big;
	int aborted;		/* on_body asked to stop */
	int all_permanent;	/* every redirect status seen was 301/308 */
	long hop_status;	/* status of the response whose headers arrive */
	char *etag;		/* validators of the current response */
	char *last_modified;
	char error[CURL_ERROR_SIZE];
};

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
	event_add(fs->ev, NULL);
	return 0;
}

/* 2xx, or a file:// read (curl reports status 0 there). */
static int job_status_ok(struct fetch_job *j)
{
	long code = 0;

	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &code);
	return code == 0 || (code >= 200 && code < 300);
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct fetch_job *j = arg;
	size_t len = size * n;

	j->body_bytes += (int64_t)len;
	/* PITFALLS.md: MAXFILESIZE only checks Content-Length; count here. */
	if (j->f->max_feed_size > 0 && j->body_bytes > j->f->max_feed_size) {
		j->too_big = 1;
		return 0;
	}
	if (!job_status_ok(j))
		return len;	/* an error page: read and drop */
	if (j->on_body(j->ctx, data, len) != 0) {
		j->aborted = 1;
		return 0;
	}
	return len;
}

static void job_set_header(char **slot, const char *value, size_t len)
{
	while (len && (value[len - 1] == '\r' || value[len - 1] == '\n' ||
		       value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	free(*slot);
	*slot = xstrndup(value, len);
}

/* Keeps ETag and Last-Modified of the last response (redirects send
 * several header blocks; each status line starts a new one). */
static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
	struct fetch_job *j = arg;
	size_t len = size * n;
	const char *v;

	if (len > 5 && strncmp(line, "HTTP/", 5) == 0) {
		const char *sp = memchr(line, ' ', len);
		j->hop_status = sp ? strtol(sp + 1, NULL, 10) : 0;
		if (j->hop_status >= 300 && j->hop_status < 400 &&
		    j->hop_status != 301 && j->hop_status != 308 &&
		    j->hop_status != 304)
			j->all_permanent = 0;
		free(j->etag);
		free(j->last_modified);
		j->etag = j->last_modified = NULL;
		return len;
	}
	if (len > 5 && strncasecmp(line, "etag:", 5) == 0) {
		for (v = line + 5; v < line + len && (*v == ' ' || *v == '\t'); v++)
			;
		job_set_header(&j->etag, v, (size_t)(line + len - v));
	} else if (len > 14 && strncasecmp(line, "last-modified:", 14) == 0) {
		for (v = line + 14; v < line + len && (*v == ' ' || *v == '\t'); v++)
			;
		job_set_header(&j->last_modified, v, (size_t)(line + len - v));
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
	free(j);
}

static const char *job_error(struct fetch_job *j, CURLcode rc)
{
	if (j->too_big)
		return "body larger than max_feed_size";
	if (j->aborted)
		return "aborted";
	if (rc == CURLE_UNSUPPORTED_PROTOCOL)
		return "redirect or URL to an unsupported scheme";
	return j->error[0] ? j->error : curl_easy_strerror(rc);
}

/* Reports how j ended, then frees it. */
static void job_finish(struct fetch_job *j, CURLcode rc, int cancelled)
{
	struct fetch_result r;
	char *url = NULL, *ctype = NULL;
	long redirects = 0;

	memset(&r, 0, sizeof r);
	r.cancelled = cancelled;
	r.ok = !cancelled && rc == CURLE_OK && !j->too_big && !j->aborted;
	r.too_big = j->too_big;
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
		job_finish(j, msg->data.result, 0);
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
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
	/* PITFALLS.md: bounded redirects, schemes, sizes and time. */
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)FETCH_MAX_REDIRS);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR,
			 req->allow_file ? "http,https,file" : "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)f->timeout_ms);
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
	j->on_done = done_cb;
	j->ctx = ctx;
	j->all_permanent = 1;
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
	f->timer = evtimer_new(base, on_timeout, f);
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

void fetch_free(struct fetch *f)
{
	if (!f)
		return;
	while (f->jobs)
		job_finish(f->jobs, CURLE_ABORTED_BY_CALLBACK, 1);
	curl_multi_cleanup(f->multi);
	event_free(f->timer);
	free(f->user_agent);
	free(f);
}
