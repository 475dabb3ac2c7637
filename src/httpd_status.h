/*
 * httpd_status.h — the operator's views of the poller: /metrics
 * (Prometheus text format 0.0.4) and the per-feed state that
 * /healthz?feeds=1 adds to /healthz.
 */
#ifndef FEEDMUX_HTTPD_STATUS_H
#define FEEDMUX_HTTPD_STATUS_H

#include "httpd_int.h"

struct buf;
struct store;

/* Route handler for /metrics. */
void httpd_serve_metrics(struct request *rq, const void *arg);
/* Whether a /healthz query asks for the feeds ("feeds=1"). */
int httpd_status_wants_feeds(const char *query);
/*
 * Appends ,"feeds":[{...}, ...] to a JSON object being written in out:
 * per active feed its name, url, status (ok, failing, gone, pending),
 * last_fetch, last_success, http_status, error, errors, next_poll,
 * interval_s and items.  0, or -1 on a store error (nothing appended).
 */
int httpd_status_feeds_json(struct store *st, struct buf *out);
/* s as a JSON string literal, quotes included, appended to out. */
void httpd_status_json_string(struct buf *out, const char *s);

#endif
