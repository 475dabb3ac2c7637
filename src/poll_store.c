/*
 * poll_store.c — the store turns: judged polls written to the database
 * from a low-priority event, one transaction per loop turn, at most
 * INGEST_STORE_ENTRIES entries or INGEST_STORE_US per transaction
 * (poll_ingest.c queues the polls here once they are judged).
 *
 * Group commit: the store queue is FIFO, and one transaction takes as many
 * polls from its head as fit in the budget: the first poll of 1,000 feeds
 * costs tens of commits, not 1,000.  A feed's outcome (validators, body
 * hash, next poll, errors) is written in the transaction of its last
 * entries, so a crash between two transactions of one feed leaves it
 * due with its old validators: the next start fetches it again and the
 * item keys make the replay idempotent.
 */
#include <stddef.h>
#include <time.h>

#include <event2/event.h>

#include "poll.h"
#include "poll_int.h"
#include "store.h"

/* One store transaction: this many entries or this long.  Commits cost
 * WAL page writes (the index pages each feed's entries touch, written
 * once per commit however many feeds share them), so fewer, larger ones
 * are cheaper (1,000 feeds' first poll: 870 commits with 20 ms, 202
 * with 100 ms); 25 ms keeps a turn, and so an HTTP client waiting
 * behind it, far inside a second. */
#define INGEST_STORE_ENTRIES 1000
#define INGEST_STORE_US 25000
/* Group commit: a store turn waits up to this long for more polls to
 * finish, unless every poll in flight is already waiting to be stored
 * or a transaction's worth of entries is. */
#define INGEST_STORE_WAIT_MS 50

/* Takes j off the head of the store queue (only the head ever leaves it,
 * but a cancel). */
void poll_store_queue_remove(struct poller *p, struct poll_job *j)
{
	struct poll_job **pp = &p->store_head, *prev = NULL;

	while (*pp && *pp != j) {
		prev = *pp;
		pp = &(*pp)->store_next;
	}
	if (!*pp)
		return;
	*pp = j->store_next;
	if (p->store_tail == j)
		p->store_tail = prev;
	j->store_next = NULL;
}

/* When the next store turn runs: now if a transaction's worth of
 * entries waits or no other poll is in flight (none would join it),
 * else after INGEST_STORE_WAIT_MS, so that polls finishing close
 * together share one commit. */
void poll_store_schedule(struct poller *p)
{
	const struct poll_job *j;
	size_t entries = 0;
	int others = 0;
	struct timeval wait = { 0, INGEST_STORE_WAIT_MS * 1000 };

	if (!p->store_head)
		return;
	for (j = p->jobs; j; j = j->next) {
		if (j->stage != POLL_STORING)
			others = 1;
		else if (j->store_entries)
			entries += j->n_entries - j->stored;
	}
	if (!others || entries >= INGEST_STORE_ENTRIES) {
		event_del(p->store_ev);
		event_active(p->store_ev, EV_TIMEOUT, 0);
	} else if (!event_pending(p->store_ev, EV_TIMEOUT, NULL)) {
		event_add(p->store_ev, &wait);
	}
}

/* ---- store turns ---- */

/* Writes j's meta and entries into the open transaction until the
 * budget (*n entries so far this turn, started at t0) runs out.  0, or
 * -1 if a write failed. */
static int job_store_some(struct poll_job *j, size_t *n, int64_t t0,
			  int64_t now)
{
	struct store *st = j->p->store;

	if (!j->store_entries)
		return 0;
	if (!j->meta_stored) {
		if (store_feed_set_meta(st, j->feed_id, &j->meta, now) != 0)
			return -1;
		j->meta_stored = 1;
	}
	while (j->stored + j->put < j->n_entries) {
		enum store_put_result res;

		if (*n >= INGEST_STORE_ENTRIES ||
		    (*n && poll_now_us() - t0 >= INGEST_STORE_US))
			return 0;
		if (store_put_entry(st, j->feed_id,
				    &j->entries[j->stored + j->put], now, &res))
			return -1;
		j->put++;
		(*n)++;
		j->o.new_items += res == STORE_PUT_NEW;
		j->o.updated_items += res == STORE_PUT_UPDATED;
	}
	return 0;
}

static int job_store_complete(const struct poll_job *j)
{
	return !j->store_entries || j->stored + j->put == j->n_entries;
}

/* The transaction that ends at (and includes) last rolled back: what its
 * jobs wrote in it is forgotten; they start again from their last
 * commit. */
static void jobs_rollback(struct poller *p, struct poll_job *last)
{
	struct poll_job *j;

	for (j = p->store_head; j; j = j->store_next) {
		j->put = 0;
		j->meta_stored = j->meta_committed;
		j->o.new_items = j->new_committed;
		j->o.updated_items = j->updated_committed;
		if (j == last)
			break;
	}
}

/* j could not be stored: off the queue, its error recorded on its own. */
static void job_store_failed(struct poll_job *j, int64_t now)
{
	struct poller *p = j->p;

	poll_store_queue_remove(p, j);
	poll_job_unlink(j);
	j->o.ok = j->o.unchanged = j->o.not_modified = 0;
	j->o.new_items = j->o.updated_items = 0;
	j->store_entries = 0;
	j->o.error = "could not store the entries (see the store error above)";
	j->outcome = METRICS_STORE_ERROR;
	poll_record(j, now);
	poll_report(j);
	poll_job_done(j);
}

/* The transaction committed: the complete jobs up to last leave the
 * queue (returned, linked through store_next), a partial one keeps its
 * place with its progress committed. */
static struct poll_job *jobs_committed(struct poller *p, struct poll_job *last)
{
	struct poll_job *done = NULL, **tail = &done, *j;

	while ((j = p->store_head)) {
		int complete = job_store_complete(j);

		j->stored += j->put;
		j->put = 0;
		j->meta_committed = j->meta_stored;
		j->new_committed = j->o.new_items;
		j->updated_committed = j->o.updated_items;
		if (!complete)
			break;
		p->store_head = j->store_next;
		if (!p->store_head)
			p->store_tail = NULL;
		j->store_next = NULL;
		poll_job_unlink(j);
		*tail = j;
		tail = &j->store_next;
		p->stats.store_feeds++;
		if (j == last)
			break;
	}
	return done;
}

/* Fills the open transaction from the head of the queue.  Returns the
 * last job written to (NULL for none) and *failed when a write failed. */
static struct poll_job *store_fill(struct poller *p, int64_t t0, int64_t now,
				   struct poll_job **failed)
{
	struct poll_job *j, *last = NULL;
	size_t n = 0;

	*failed = NULL;
	for (j = p->store_head; j; j = j->store_next) {
		if (job_store_some(j, &n, t0, now) != 0) {
			*failed = j;
			return last;
		}
		last = j;
		if (!job_store_complete(j))
			break;	/* the budget ran out inside j */
		poll_record(j, now);	/* with its last entries */
		if (n >= INGEST_STORE_ENTRIES ||
		    poll_now_us() - t0 >= INGEST_STORE_US)
			break;
	}
	return last;
}

void poll_on_store_turn(evutil_socket_t fd, short what, void *arg)
{
	struct poller *p = arg;
	struct poll_job *last, *failed, *done = NULL, *next;
	int64_t t0 = poll_now_us(), now = (int64_t)time(NULL);

	(void)fd;
	(void)what;
	if (!p->store_head)
		return;
	p->stats.store_turns++;
	if (store_begin(p->store) != 0) {
		job_store_failed(p->store_head, now);
	} else {
		last = store_fill(p, t0, now, &failed);
		if (failed) {
			store_rollback(p->store);
			jobs_rollback(p, failed);
			job_store_failed(failed, now);
		} else if (store_commit(p->store) != 0) {
			store_rollback(p->store);
			jobs_rollback(p, last);
			while (p->store_head && p->store_head != last)
				job_store_failed(p->store_head, now);
			if (p->store_head == last)
				job_store_failed(last, now);
		} else {
			done = jobs_committed(p, last);
		}
	}
	poll_note_turn(p, t0);
	/* done may start new polls: the queue is consistent by now. */
	for (; done; done = next) {
		next = done->store_next;
		poll_report(done);
		poll_job_done(done);
	}
	if (p->store_head && !job_store_complete(p->store_head))
		event_active(p->store_ev, EV_TIMEOUT, 0);	/* a feed is half-way */
	else
		poll_store_schedule(p);
}
