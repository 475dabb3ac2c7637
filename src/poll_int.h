/*
 * poll_int.h — what poll.c (what an outcome means), poll_ingest.c (a
 * poll's life, its bytes through the loop and the parse turns) and
 * poll_store.c (the store turns, with group commit) share.  Not for other
 * modules.
 */
#ifndef FEEDMUX_POLL_INT_H
#define FEEDMUX_POLL_INT_H

#include <stdint.h>

#include <event2/util.h>

#include "bodyq.h"
#include "entry.h"
#include "fetch.h"
#include "metrics.h"
#include "poll.h"
#include "schedule.h"

/*
 * Entries kept from one document.  A real feed lists tens; one listing
 * 100,000 would hold that many in memory.  The first ones (feeds list
 * newest first) are kept, the rest counted and reported.
 */
#define POLL_MAX_ENTRIES 2000

struct event;

struct poller {
	struct fetch *fetch;	/* borrowed */
	struct store *store;	/* borrowed */
	poll_done_cb done;
	void *ctx;
	struct event *parse_ev;	/* low priority: one parse slice a turn */
	struct event *store_ev;	/* low priority: one store turn */
	struct event *checkpoint_ev;	/* low priority: a WAL checkpoint */
	struct poll_job *jobs;	/* every job, doubly linked */
	struct poll_job *store_head, *store_tail;	/* waiting to be stored */
	/* The write transaction kept open across store turns (poll_store.c) */
	int batch_open;
	int64_t batch_t0_us;	/* when it began (poll_now_us) */
	size_t batch_entries;	/* entries written in it */
	int64_t dry_since_us;	/* the queue had nothing to write; 0: not */
	struct poll_stats stats;
};

/* Where a job is (poll_ingest.c and poll_store.c move it along). */
enum poll_stage {
	POLL_FETCHING,		/* transfer in flight; bytes may be queued */
	POLL_DRAINING,		/* transfer over; queued bytes still to parse */
	POLL_STORING,		/* judged; on the store queue */
};

/* One poll.  Owned by the poller from poll_start to done. */
struct poll_job {
	struct poller *p;
	struct poll_job *prev, *next;	/* p->jobs */
	struct poll_job *store_next;	/* p->store_head queue */
	enum poll_stage stage;
	int64_t feed_id;
	char *name;
	struct poll_params params;
	struct parser *parser;
	struct bodyq q;		/* received, not yet parsed */
	int paused;		/* the transfer waits for q to drain */
	int parse_failed;	/* parse_push refused: the rest is dropped */
	struct fetch_result r;	/* copied at the end of the transfer;
				 * its strings owned */
	struct entry *entries;	/* parsed, waiting for the store */
	size_t n_entries, cap_entries;
	size_t dropped;		/* entries past POLL_MAX_ENTRIES */
	size_t stored;		/* entries committed */
	size_t put;		/* entries written in the open batch */
	int store_entries;	/* judged: the entries and meta go in */
	int meta_stored;	/* feed meta written (committed or open) */
	int meta_committed;
	int recorded;		/* outcome written (open batch or committed) */
	int committed;		/* ... and committed: ready to report */
	int lost;		/* a failed commit lost its writes */
	struct feed_meta meta;	/* the parsed document's, when store_entries */
	int new_committed, updated_committed;
	uint64_t last_hash;	/* body hash of the last stored poll, 0 none */
	int conditional;	/* validators were sent */
	int parsed;		/* a 2xx body reached parse_finish as a feed */
	enum metrics_outcome outcome;
	struct schedule_hints hints;	/* the parsed document's */
	struct poll_outcome o;
	char err[512];		/* o.error, when it is not a constant */
};

/* poll.c: decides the outcome of a finished transfer (parse_finish for a
 * 2xx body); sets j->store_entries when there is something to store. */
void poll_judge(struct poll_job *j);
/* poll.c: writes the outcome to the feed's row (inside the caller's
 * transaction, if one is open) and sets o.next_poll_ms. */
void poll_record(struct poll_job *j, int64_t now);
/* poll.c: the outcome's metrics and log line, once it is final. */
void poll_report(struct poll_job *j);

/* poll_ingest.c: CLOCK_MONOTONIC in microseconds. */
int64_t poll_now_us(void);
/* poll_ingest.c: a turn that started at t0 ends (p->stats.max_turn_us). */
void poll_note_turn(struct poller *p, int64_t t0);
/* poll_ingest.c: takes j off p->jobs. */
void poll_job_unlink(struct poll_job *j);
/* poll_ingest.c: calls done with j's outcome and frees j (already off
 * every list). */
void poll_job_done(struct poll_job *j);

/* poll_store.c: takes j off the store queue, if it is on it. */
void poll_store_queue_remove(struct poller *p, struct poll_job *j);
/* poll_store.c: a poll joined the store queue: arms the next turn. */
void poll_store_schedule(struct poller *p);
/* poll_store.c: p->store_ev's callback: one store turn. */
void poll_on_store_turn(evutil_socket_t fd, short what, void *arg);
/* poll_store.c: p->checkpoint_ev's callback: a passive checkpoint in a
 * turn of its own, after a commit left the WAL large. */
void poll_on_checkpoint_turn(evutil_socket_t fd, short what, void *arg);
/* poll_store.c: registers the batch with the store (store_settle), for
 * the poller's life. */
void poll_store_attach(struct poller *p);
/* poll_store.c: at shutdown, commits the open batch and reports the
 * polls it recorded; unregisters from the store. */
void poll_store_detach(struct poller *p);

#endif
