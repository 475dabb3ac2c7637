/*
 * poll_store.c — the store turns: judged polls written to the database
 * from a low-priority event, at most INGEST_STORE_ENTRIES entries or
 * INGEST_STORE_US per loop turn (poll_ingest.c queues the polls here once
 * they are judged).
 *
 * Batches: one write transaction outlives the turns while a burst of
 * polls is stored; the loop still turns (HTTP clients, transfers, timers)
 * between them.  It is committed
 * - when the store queue has run dry and no poll joined it for
 *   INGEST_STORE_WAIT_MS (group commit), or at once when no other poll is
 *   in flight (none could join);
 * - when it has been open INGEST_BATCH_US or holds INGEST_BATCH_ENTRIES
 *   entries: what a crash makes feedmux fetch again, the WAL and one
 *   commit's length stay bounded;
 * - when anything else needs the connection (store_settle(): httpd
 *   reading what it serves, the counts, a reload, pruning, a checkpoint).
 *   So a reader only ever sees committed rows: an entry once served
 *   cannot vanish in a rollback or a crash.
 * Commits cost WAL page writes (the index pages each feed's entries
 * touch, written once per commit however many feeds share them), so the
 * fewer the cheaper.
 *
 * A feed's outcome (validators, body hash, next poll, errors) is written
 * in the transaction of its last entries, so a crash between two
 * transactions of one feed leaves it due with its old validators: the
 * next start fetches it again and the item keys make the replay
 * idempotent.  A poll is reported done (its callback, its log line) only
 * once the transaction holding its outcome has committed.
 */
#include <stddef.h>
#include <time.h>

#include <event2/event.h>

#include "poll.h"
#include "poll_int.h"
#include "store.h"

/* One store turn: this many entries or this long; 25 ms keeps a turn,
 * and so an HTTP client waiting behind it, far inside a second. */
#define INGEST_STORE_ENTRIES 1000
#define INGEST_STORE_US 25000
/* Group commit: a dry queue waits this long for more polls before its
 * batch commits. */
#define INGEST_STORE_WAIT_MS 50
/* A batch commits once it is this old or this big. */
#define INGEST_BATCH_US 250000
#define INGEST_BATCH_ENTRIES 2500

/* Takes j off the store queue, if it is on it. */
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

/* A poll joined the queue: it is written at the next turn, into the
 * open batch if there is one. */
void poll_store_schedule(struct poller *p)
{
	if (!p->store_head)
		return;
	p->dry_since_us = 0;
	event_del(p->store_ev);
	event_active(p->store_ev, EV_TIMEOUT, 0);
}

/* ---- the batch's bookkeeping ---- */

static int job_store_complete(const struct poll_job *j)
{
	return !j->store_entries || j->stored + j->put == j->n_entries;
}

/* Whether the open batch holds anything of j's. */
static int job_in_batch(const struct poll_job *j)
{
	return j->put || j->meta_stored != j->meta_committed ||
	       j->recorded != j->committed;
}

/* The batch committed: what the queued jobs wrote in it is theirs. */
static void batch_promote(struct poller *p)
{
	struct poll_job *j;

	for (j = p->store_head; j; j = j->store_next) {
		j->stored += j->put;
		j->put = 0;
		j->meta_committed = j->meta_stored;
		j->new_committed = j->o.new_items;
		j->updated_committed = j->o.updated_items;
		j->committed = j->recorded;
	}
}

/* The batch rolled back: the queued jobs start again from their last
 * commit. */
static void batch_forget(struct poller *p)
{
	struct poll_job *j;

	for (j = p->store_head; j; j = j->store_next) {
		j->put = 0;
		j->meta_stored = j->meta_committed;
		j->o.new_items = j->new_committed;
		j->o.updated_items = j->updated_committed;
		j->recorded = j->committed;
	}
}

static int batch_begin(struct poller *p)
{
	if (store_begin(p->store) != 0)
		return -1;
	p->batch_open = 1;
	p->batch_t0_us = poll_now_us();
	p->batch_entries = 0;
	return 0;
}

/* Commits the open batch.  0; or -1, the batch rolled back and the jobs'
 * progress forgotten, with j->lost set for each job that had writes in
 * it. */
static int batch_commit(struct poller *p)
{
	struct poll_job *j;
	int64_t t0 = poll_now_us();
	int rc = store_commit(p->store);

	if ((uint64_t)(poll_now_us() - t0) > p->stats.max_commit_us)
		p->stats.max_commit_us = (uint64_t)(poll_now_us() - t0);
	p->batch_open = 0;
	if (rc == 0) {
		p->stats.store_commits++;
		batch_promote(p);
		if (store_wal_pages(p->store) >= STORE_CHECKPOINT_PAGES)
			event_active(p->checkpoint_ev, EV_TIMEOUT, 0);
		return 0;
	}
	store_rollback(p->store);
	for (j = p->store_head; j; j = j->store_next)
		j->lost = job_in_batch(j);
	batch_forget(p);
	return -1;
}

static void batch_rollback(struct poller *p)
{
	p->batch_open = 0;
	store_rollback(p->store);
	batch_forget(p);
}

/* store_settle(): something else needs the connection.  The batch
 * commits; the next turn reports its polls.  If the commit fails, they
 * are written again from their last commit at the next turn. */
static void on_settle(void *ctx)
{
	struct poller *p = ctx;

	if (!p->batch_open)
		return;
	batch_commit(p);
	event_del(p->store_ev);
	event_active(p->store_ev, EV_TIMEOUT, 0);
}

/* Runs before the next store turn (activated first, same priority), so
 * no batch is open; if one is, its commit asks again. */
void poll_on_checkpoint_turn(evutil_socket_t fd, short what, void *arg)
{
	struct poller *p = arg;
	int64_t t0 = poll_now_us();

	(void)fd;
	(void)what;
	if (p->batch_open)
		return;
	store_checkpoint(p->store);
	p->stats.checkpoints++;
	if ((uint64_t)(poll_now_us() - t0) > p->stats.max_checkpoint_us)
		p->stats.max_checkpoint_us = (uint64_t)(poll_now_us() - t0);
	poll_note_turn(p, t0);
}

void poll_store_attach(struct poller *p)
{
	store_set_settle(p->store, on_settle, p);
}

static void report_committed(struct poller *p);

void poll_store_detach(struct poller *p)
{
	/* Shutdown finishes what is being stored: the polls recorded in the
	 * batch are kept and reported; a half-stored one keeps its entries
	 * and, its outcome unwritten, is fetched again (as after a crash). */
	if (p->batch_open)
		batch_commit(p);
	report_committed(p);
	store_set_settle(p->store, NULL, NULL);
}

/* ---- store turns ---- */

/* Writes j's meta and entries into the open batch until the turn's
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

/* j could not be stored: off the queue, its error recorded on its own
 * (no batch is open). */
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

/* The commit of a batch failed: every job that had writes in it fails. */
static void jobs_lost(struct poller *p, int64_t now)
{
	struct poll_job *j, *next;

	for (j = p->store_head; j; j = next) {
		next = j->store_next;
		if (j->lost)
			job_store_failed(j, now);
	}
}

/* Fills the open batch from the queue, skipping the polls already
 * recorded in it, within one turn's budget.  Returns the job whose write
 * failed, or NULL. */
static struct poll_job *store_fill(struct poller *p, int64_t t0, int64_t now)
{
	struct poll_job *j;
	size_t n = 0;

	for (j = p->store_head; j; j = j->store_next) {
		if (j->recorded)
			continue;
		if (job_store_some(j, &n, t0, now) != 0) {
			p->batch_entries += n;
			return j;
		}
		if (!job_store_complete(j))
			break;	/* the budget ran out inside j */
		poll_record(j, now);	/* with its last entries */
		j->recorded = 1;
		if (n >= INGEST_STORE_ENTRIES ||
		    poll_now_us() - t0 >= INGEST_STORE_US)
			break;
	}
	p->batch_entries += n;
	return NULL;
}

/* Whether a queued poll still has something to write. */
static int queue_has_work(const struct poller *p)
{
	const struct poll_job *j;

	for (j = p->store_head; j; j = j->store_next)
		if (!j->recorded)
			return 1;
	return 0;
}

/* Whether a poll that is not queued yet may still join the batch. */
static int polls_in_flight(const struct poller *p)
{
	const struct poll_job *j;

	for (j = p->jobs; j; j = j->next)
		if (j->stage != POLL_STORING)
			return 1;
	return 0;
}

/* After a turn's writes: whether the open batch commits now. */
static int batch_due(struct poller *p)
{
	int64_t now_us = poll_now_us();

	if (p->batch_entries >= INGEST_BATCH_ENTRIES ||
	    now_us - p->batch_t0_us >= INGEST_BATCH_US)
		return 1;
	if (queue_has_work(p))
		return 0;
	if (!polls_in_flight(p))
		return 1;
	if (!p->dry_since_us)
		p->dry_since_us = now_us;
	return now_us - p->dry_since_us >= INGEST_STORE_WAIT_MS * 1000;
}

/* Reports the polls at the head of the queue whose outcome committed.
 * Their callbacks may start new polls: the queue is consistent by now. */
static void report_committed(struct poller *p)
{
	struct poll_job *done = NULL, **tail = &done, *j, *next;

	while ((j = p->store_head) && j->committed) {
		p->store_head = j->store_next;
		if (!p->store_head)
			p->store_tail = NULL;
		j->store_next = NULL;
		poll_job_unlink(j);
		*tail = j;
		tail = &j->store_next;
		p->stats.store_feeds++;
	}
	for (; done; done = next) {
		next = done->store_next;
		poll_report(done);
		poll_job_done(done);
	}
}

/* The next turn: now while there is something to write, else, with a
 * batch open, when the group-commit wait ends. */
static void store_reschedule(struct poller *p)
{
	struct timeval wait = { 0, INGEST_STORE_WAIT_MS * 1000 };
	int64_t waited;

	if (queue_has_work(p) || (p->store_head && p->store_head->committed)) {
		event_active(p->store_ev, EV_TIMEOUT, 0);
	} else if (p->batch_open) {
		waited = p->dry_since_us ? poll_now_us() - p->dry_since_us : 0;
		if (waited > 0 && waited < INGEST_STORE_WAIT_MS * 1000)
			wait.tv_usec = (suseconds_t)(INGEST_STORE_WAIT_MS * 1000 -
						     waited);
		event_add(p->store_ev, &wait);
	}
}

void poll_on_store_turn(evutil_socket_t fd, short what, void *arg)
{
	struct poller *p = arg;
	struct poll_job *failed;
	int64_t t0 = poll_now_us(), now = (int64_t)time(NULL);

	(void)fd;
	(void)what;
	report_committed(p);	/* a settle's commit */
	if (!p->store_head) {
		if (p->batch_open)	/* its polls were cancelled */
			batch_commit(p);
		return;
	}
	p->stats.store_turns++;
	if (!p->batch_open && batch_begin(p) != 0) {
		job_store_failed(p->store_head, now);
	} else if ((failed = store_fill(p, t0, now))) {
		batch_rollback(p);
		job_store_failed(failed, now);
	} else if (batch_due(p) && batch_commit(p) != 0) {
		jobs_lost(p, now);
	}
	poll_note_turn(p, t0);
	report_committed(p);
	store_reschedule(p);
}
