/*
 * daemon.c — the service's life: start, run the loop, reload, stop.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "config.h"
#include "daemon.h"
#include "feedset.h"
#include "fetch.h"
#include "httpd.h"
#include "log.h"
#include "notify.h"
#include "poll.h"
#include "prune.h"
#include "schedule.h"
#include "store.h"

/* systemd's STATUS line is refreshed at most this often: counting the
 * items after every poll would cost more than the poll.  A change within
 * the pause is sent when it ends (status_changed), so the line never
 * stays stale after a poll burst. */
#define STATUS_EVERY_S 5

/* A feed whose stored next poll has passed starts within this much of
 * start-up (or its interval, if shorter), not all at the same moment. */
#define STARTUP_SPREAD_S 60

struct daemon {
	const struct daemon_options *opts;
	struct event_base *base;
	struct config *cfg;		/* owned; replaced on reload */
	struct feedset feeds;		/* borrows from cfg */
	struct store *store;
	struct fetch *fetch;
	struct schedule *sched;
	struct poller *poller;
	struct httpd *httpd;
	struct pruner *pruner;		/* retention and WAL checkpoints */
	struct event *sig_term, *sig_int, *sig_hup;
	int64_t last_poll;		/* newest finished poll, Unix seconds */
	int64_t status_at;		/* when STATUS= was last sent */
	struct event *status_ev;	/* owned; sends a deferred STATUS= */
	size_t once_pending;		/* --once: polls still to finish */
	int once_failed;
	int exit_status;
};

static int64_t feed_interval_s(const struct config *cfg,
			       const struct config_feed *cf)
{
	int64_t s = cf->interval_s ? cf->interval_s : cfg->interval_s;

	if (s < cfg->min_interval_s)
		s = cfg->min_interval_s;
	if (s > cfg->max_interval_s)
		s = cfg->max_interval_s;
	return s;
}

static void fetch_options_of(const struct config *cfg, struct fetch_options *o)
{
	memset(o, 0, sizeof *o);
	o->user_agent = cfg->user_agent;
	o->ca_file = cfg->ca_file;
	o->timeout_ms = cfg->timeout_ms;
	o->max_feed_size = cfg->max_feed_size;
	o->concurrency = cfg->concurrency;
	o->per_host = cfg->per_host;
}

static void update_status(struct daemon *d)
{
	struct store_counts c;
	size_t i, failing = 0;

	if (d->opts->once || !notify_enabled())
		return;
	d->status_at = (int64_t)time(NULL);
	for (i = 0; i < d->feeds.n; i++)
		failing += d->feeds.feeds[i].failing != 0;
	if (store_count(d->store, &c) != 0)
		return;
	notify_status("%zu feeds (%zu failing), %lld items, %lld stories",
		      d->feeds.n, failing, (long long)c.items,
		      (long long)c.stories);
}

static void on_status_due(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	update_status(arg);
}

/* The counts changed: STATUS= now, or once STATUS_EVERY_S has passed
 * since the last one (one pending refresh covers every later change). */
static void status_changed(struct daemon *d)
{
	struct timeval tv = { 0, 0 };
	int64_t wait_s;

	if (!d->status_ev || evtimer_pending(d->status_ev, NULL))
		return;
	wait_s = d->status_at + STATUS_EVERY_S - (int64_t)time(NULL);
	if (wait_s <= 0) {
		update_status(d);
		return;
	}
	tv.tv_sec = (time_t)wait_s;
	evtimer_add(d->status_ev, &tv);
}

/* httpd asks what only the daemon knows. */
static void on_status(void *ctx, struct httpd_status *out)
{
	struct daemon *d = ctx;
	size_t i;

	memset(out, 0, sizeof *out);
	out->feeds_total = (int64_t)d->feeds.n;
	for (i = 0; i < d->feeds.n; i++) {
		out->feeds_polled += d->feeds.feeds[i].polled != 0;
		out->feeds_failing += d->feeds.feeds[i].failing != 0;
	}
	out->last_poll = d->last_poll;
}

/* schedule says feed id may start now. */
static void on_due(void *ctx, int64_t id)
{
	struct daemon *d = ctx;
	struct feedset_feed *ff = feedset_find(&d->feeds, id);
	struct poll_params p;
	int64_t interval;

	if (!ff) {	/* removed by a reload while it waited */
		schedule_remove(d->sched, id);
		schedule_finished(d->sched, id, 0);
		return;
	}
	interval = feed_interval_s(d->cfg, ff->cf);
	memset(&p, 0, sizeof p);
	p.name = ff->cf->name;
	p.interval_s = interval;
	p.min_interval_s = d->cfg->min_interval_s;
	p.max_interval_s = d->cfg->max_interval_s;
	p.allow_file = strncasecmp(ff->cf->url, "file:", 5) == 0;
	p.fixed_interval = ff->cf->interval_s != 0;	/* set per feed */
	if (poll_start(d->poller, id, &p) != 0) {
		ff->failing = 1;
		schedule_finished(d->sched, id,
				  schedule_now_ms() + interval * 1000);
		if (d->opts->once && --d->once_pending == 0)
			event_base_loopbreak(d->base);
	}
}

/* poll finished feed o->feed_id. */
static void on_polled(void *ctx, const struct poll_outcome *o)
{
	struct daemon *d = ctx;
	struct feedset_feed *ff = feedset_find(&d->feeds, o->feed_id);

	if (o->cancelled)
		return;
	if (ff) {
		ff->polled = 1;
		ff->failing = o->failing;	/* a blip is not failing yet */
	}
	d->last_poll = (int64_t)time(NULL);
	/* 429/503 Retry-After speaks for the server: its other feeds wait
	 * too, within max_interval; other hosts go on. */
	if (ff && o->retry_after_s > 0)
		schedule_hold_host(d->sched, ff->host, schedule_now_ms() +
				   (o->retry_after_s < d->cfg->max_interval_s ?
				    o->retry_after_s : d->cfg->max_interval_s) * 1000);
	if (o->gone && !d->opts->once)
		schedule_remove(d->sched, o->feed_id);	/* 410: never again */
	schedule_finished(d->sched, o->feed_id, o->next_poll_ms);
	status_changed(d);	/* new items, or a feed failing or recovering */
	if (d->opts->once) {
		d->once_failed |= !o->ok;
		if (--d->once_pending == 0)
			event_base_loopbreak(d->base);
	}
}

/* Puts every feed of d->feeds on the schedule that is not on it yet. */
static void schedule_feeds(struct daemon *d, const struct feedset *old)
{
	int64_t now = schedule_now_ms();
	size_t i;

	for (i = 0; i < d->feeds.n; i++) {
		struct feedset_feed *ff = &d->feeds.feeds[i];
		struct feedset_feed *prev = old ? feedset_find(old, ff->id) : NULL;
		struct store_feed row;
		int64_t spread, due;

		if (prev && strcmp(prev->cf->url, ff->cf->url) == 0)
			continue;	/* unchanged: keeps its time */
		memset(&row, 0, sizeof row);
		store_feed_get(d->store, ff->id, &row);
		if (row.gone && !d->opts->once) {
			/* 410 Gone earlier; a new url in the config clears it. */
			log_notice("feed '%s': not polled: it answered 410 Gone",
				   ff->cf->name);
			store_feed_clear(&row);
			continue;
		}
		spread = feed_interval_s(d->cfg, ff->cf);
		if (spread > STARTUP_SPREAD_S)
			spread = STARTUP_SPREAD_S;
		due = d->opts->once ? now :
		      schedule_first_due_ms(now, row.next_poll * 1000, spread,
					    (uint32_t)random());
		schedule_add(d->sched, ff->id, ff->host, due);
		store_feed_clear(&row);
	}
	if (!old)
		return;
	for (i = 0; i < old->n; i++) {
		int64_t id = old->feeds[i].id;

		if (feedset_find(&d->feeds, id))
			continue;
		schedule_remove(d->sched, id);
		/* A poll in flight stops; its slot is free again. */
		if (poll_cancel(d->poller, id))
			schedule_finished(d->sched, id, 0);
	}
}

/* Puts a validated cfg and its feeds in force; frees the old ones. */
static void daemon_apply(struct daemon *d, struct config *cfg,
			 struct feedset *feeds)
{
	struct config *old_cfg = d->cfg;
	struct feedset old = d->feeds;
	struct fetch_options fo;

	d->cfg = cfg;
	d->feeds = *feeds;
	schedule_set_limits(d->sched, cfg->concurrency, cfg->per_host);
	fetch_options_of(cfg, &fo);
	fetch_set_options(d->fetch, &fo);
	schedule_feeds(d, &old);	/* still reads old's config */
	httpd_set_config(d->httpd, cfg);
	prune_set_retention(d->pruner, cfg->retention_s);
	feedset_clear(&old);
	config_free(old_cfg);
}

/* SIGHUP: a new configuration, validated whole before anything changes. */
static void daemon_reload(struct daemon *d)
{
	struct config *cfg;
	struct feedset feeds;

	notify_reloading();
	log_notice("reloading %s", d->opts->config_path);
	cfg = config_load(d->opts->config_path, stderr);
	if (!cfg) {
		log_err("reload failed: %s has errors; keeping the running "
			"configuration", d->opts->config_path);
		notify_ready();
		return;
	}
	if (feedset_build(&feeds, cfg, d->store, &d->feeds) != 0) {
		log_err("reload failed: could not record the feeds; keeping "
			"the running configuration");
		feedset_build(&feeds, d->cfg, d->store, &d->feeds);
		feedset_clear(&d->feeds);
		d->feeds = feeds;
		config_free(cfg);
		notify_ready();
		return;
	}
	if (strcmp(cfg->database, d->cfg->database) != 0)
		log_warn("reload: a new database path takes a restart");
	daemon_apply(d, cfg, &feeds);
	log_notice("reloaded: %zu feeds, %zu sections", cfg->n_feeds,
		   cfg->n_sections);
	update_status(d);
	notify_ready();
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *d = arg;

	(void)what;
	if (sig == SIGHUP) {
		daemon_reload(d);
		return;
	}
	log_notice("%s received, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
	notify_stopping();
	schedule_pause(d->sched);
	event_base_loopbreak(d->base);
}

static int daemon_listen(struct daemon *d)
{
	char err[256];
	size_t i;

	if (d->opts->once)
		return 0;
	d->httpd = httpd_create(d->base, d->store, d->cfg, on_status, d);
	if (!d->httpd)
		return -1;
	for (i = 0; i < d->cfg->n_listen; i++) {
		if (httpd_listen(d->httpd, d->cfg->listen[i], err, sizeof err) < 0) {
			log_err("cannot listen on %s: %s", d->cfg->listen[i], err);
			return -1;
		}
		log_notice("listening on http://%s/", d->cfg->listen[i]);
	}
	return 0;
}

static void daemon_signals(struct daemon *d)
{
	signal(SIGPIPE, SIG_IGN);
	d->sig_term = evsignal_new(d->base, SIGTERM, on_signal, d);
	d->sig_int = evsignal_new(d->base, SIGINT, on_signal, d);
	d->sig_hup = evsignal_new(d->base, SIGHUP, on_signal, d);
	evsignal_add(d->sig_term, NULL);
	evsignal_add(d->sig_int, NULL);
	if (!d->opts->once)
		evsignal_add(d->sig_hup, NULL);
}

/*
 * The event loop.  With epoll's change list, libevent applies the
 * interest changes of one loop pass in one epoll_ctl per descriptor: an
 * HTTP reply (evhttp stops reading, starts writing, then the reverse)
 * costs 2 epoll_ctl calls instead of 4, a quarter of a 304's system calls
 * (bench/serve.sh).  The flag's caveat, descriptors shared through dup(),
 * does not arise: evhttp and libcurl each own their sockets.
 */
static struct event_base *daemon_event_base(void)
{
	struct event_config *ec = event_config_new();
	struct event_base *base;

	if (!ec)
		return NULL;
	event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	event_config_set_max_dispatch_interval(ec, NULL, 2, 3);
	base = event_base_new_with_config(ec);
	event_config_free(ec);
	/* Five priorities.  libevent runs, in each loop turn, only the
	 * highest priority with active events, and (max_dispatch) looks
	 * for new ones after every 2 callbacks of priority 3 or 4:
	 * 0  HTTP clients' connections (httpd_guard.c);
	 * 2  the default: the listening sockets, signals, timers;
	 * 3  the transfers' sockets and timer (fetch.c);
	 * 4  the poller's parse and store slices (poll_ingest.c and
	 *    poll_store.c), which run only in a turn with nothing else to do.
	 * So a /healthz waits for at most two transfer callbacks or one
	 * slice between its steps (accept, read, write), never for whole
	 * documents. */
	if (base && event_base_priority_init(base, 5) != 0)
		log_warn("could not set event priorities; parsing may delay "
			 "HTTP answers");
	return base;
}

/* Builds every module.  0, or -1 after logging why. */
static int daemon_start(struct daemon *d)
{
	struct fetch_options fo;
	char err[256];

	d->cfg = config_load(d->opts->config_path, stderr);
	if (!d->cfg)
		return -1;
	d->store = store_open(d->cfg->database, err, sizeof err);
	if (!d->store) {
		log_err("cannot open database %s: %s", d->cfg->database, err);
		return -1;
	}
	d->base = daemon_event_base();
	if (!d->base)
		return -1;
	daemon_signals(d);
	fetch_options_of(d->cfg, &fo);
	d->fetch = fetch_create(d->base, &fo);
	if (!d->fetch) {
		log_err("cannot set up libcurl");
		return -1;
	}
	d->sched = schedule_create(d->base, d->cfg->concurrency,
				   d->cfg->per_host, on_due, d);
	d->poller = poll_create(d->fetch, d->store, on_polled, d);
	if (!d->opts->once) {
		d->pruner = prune_create(d->base, d->store,
					 d->cfg->retention_s);
		if (notify_enabled())
			d->status_ev = evtimer_new(d->base, on_status_due, d);
	}
	if (feedset_build(&d->feeds, d->cfg, d->store, NULL) != 0)
		return -1;
	if (daemon_listen(d) != 0)
		return -1;
	d->once_pending = d->feeds.n;
	schedule_feeds(d, NULL);
	return 0;
}

static void daemon_stop(struct daemon *d)
{
	notify_watchdog_stop();
	if (d->status_ev)
		event_free(d->status_ev);
	fetch_free(d->fetch);	/* cancels polls in flight: nothing half-stored */
	poll_free(d->poller);
	prune_free(d->pruner);
	schedule_free(d->sched);
	httpd_free(d->httpd);
	if (d->sig_term)
		event_free(d->sig_term);
	if (d->sig_int)
		event_free(d->sig_int);
	if (d->sig_hup)
		event_free(d->sig_hup);
	feedset_clear(&d->feeds);
	store_close(d->store);
	if (d->base)
		event_base_free(d->base);
	config_free(d->cfg);
}

int daemon_run(const struct daemon_options *opts)
{
	struct daemon d;
	int status = 0;

	memset(&d, 0, sizeof d);
	d.opts = opts;
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (daemon_start(&d) != 0) {
		status = 1;
	} else if (opts->once && d.feeds.n == 0) {
		log_notice("no feeds configured");
	} else {
		if (!opts->once) {
			notify_ready();
			notify_watchdog_start(d.base);
			update_status(&d);
		}
		event_base_dispatch(d.base);
		if (opts->once)
			status = d.once_pending ? 1 : d.once_failed ? 2 : 0;
	}
	daemon_stop(&d);
	curl_global_cleanup();
	return status;
}
