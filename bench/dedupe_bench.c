/*
 * dedupe_bench.c — the cost of deciding the story of a new item (dedupe:
 * URL ring, band lookup, candidate checks, band index writes) as the store
 * grows.  Usage: dedupe_bench N [N...]
 *
 * For each N: a fresh store in a temp dir is filled with N synthetic items
 * from 20 feeds through the real store_put_entry() path, in one
 * transaction, arriving at 10,000 items a day (so 1M items span 100 days,
 * as a busy instance would keep them); then 1,000 new items (one in ten a
 * copy of a recent story from another feed) are stored in 20 transactions
 * of 50, like 20 polls, and the time per item is printed: CPU time of
 * the process (user + system, what compares on a shared machine) and
 * wall time.  Flat µs/item
 * across N means the lookup does not grow with the store: it reads only
 * the band keys within the time window (dedupe.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "store.h"

#define T0 1700000000
#define ITEMS_PER_DAY 10000
#define N_FEEDS 20
#define N_NEW 1000
#define VOCABULARY 6000

static uint64_t rng = 88172645463325252ULL;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* n pseudo-words ("w1234") from a fixed vocabulary; caller frees. */
static char *words(int n)
{
	struct buf b = {0};
	int i;

	for (i = 0; i < n; i++)
		buf_printf(&b, "%sw%" PRIu64, i ? " " : "", next_rand() % VOCABULARY);
	return buf_steal(&b);
}

static double clock_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wall time, and this process's CPU time (user + system): on a busy
 * machine the CPU time is the figure that compares. */
struct stopwatch {
	double wall, cpu;
};

static struct stopwatch stopwatch_now(void)
{
	struct stopwatch w = { clock_s(CLOCK_MONOTONIC),
			       clock_s(CLOCK_PROCESS_CPUTIME_ID) };
	return w;
}

static struct stopwatch stopwatch_since(struct stopwatch t0)
{
	struct stopwatch w = stopwatch_now();

	w.wall -= t0.wall;
	w.cpu -= t0.cpu;
	return w;
}

struct synth {
	char guid[32], link[96];
	char *title, *lead;
	int64_t at;
};

static void synth_make(struct synth *s, size_t i, int64_t at)
{
	snprintf(s->guid, sizeof s->guid, "g%zu", i);
	snprintf(s->link, sizeof s->link, "https://site%zu.example/story/%zu",
		 i % N_FEEDS, i);
	s->title = words(9);
	s->lead = words(35);
	s->at = at;
}

static int put(struct store *st, int64_t feed, const struct synth *s)
{
	struct entry e = {0};
	enum store_put_result res;

	e.guid = (char *)s->guid;
	e.link = (char *)s->link;
	e.title = s->title;
	e.summary = s->lead;
	e.published = s->at;
	e.updated = ENTRY_NO_DATE;
	return store_put_entry(st, feed, &e, s->at, &res);
}

static int run(size_t n)
{
	char dir[] = "/tmp/dedupe_bench.XXXXXX", path[256], err[256], cmd[300];
	int64_t feeds[N_FEEDS], span = (int64_t)n * 86400 / ITEMS_PER_DAY;
	struct synth recent[64], s;
	struct store *st;
	struct stopwatch t0, fill, fresh;
	size_t i, k;
	char name[16], *sec = "all";
	int rc = -1;

	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/bench.db", dir);
	st = store_open(path, err, sizeof err);
	if (!st) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	for (i = 0; i < N_FEEDS; i++) {
		snprintf(name, sizeof name, "feed%zu", i);
		if (store_feed_sync(st, name, "http://127.0.0.1/f", NULL, &sec, 1,
				    &feeds[i]))
			goto out;
	}
	t0 = stopwatch_now();
	if (store_begin(st))
		goto out;
	for (i = 0; i < n; i++) {
		synth_make(&s, i, T0 + (int64_t)i * span / (int64_t)n);
		if (put(st, feeds[i % N_FEEDS], &s))
			goto out;
		if (i + 64 >= n) {		/* the newest, for copies */
			recent[i + 64 - n] = s;
			continue;
		}
		free(s.title);
		free(s.lead);
	}
	if (store_commit(st))
		goto out;
	fill = stopwatch_since(t0);

	t0 = stopwatch_now();
	for (k = 0; k < N_NEW; k++) {
		if (k % 50 == 0 && store_begin(st))
			goto out;
		synth_make(&s, n + k, T0 + span + (int64_t)k * 60);
		if (k % 10 == 0) {	/* a copy of a recent story */
			free(s.title);
			free(s.lead);
			s.title = xstrdup(recent[k % 64].title);
			s.lead = xstrdup(recent[k % 64].lead);
		}
		rc = put(st, feeds[(k + 7) % N_FEEDS], &s);
		free(s.title);
		free(s.lead);
		if (rc || (k % 50 == 49 && store_commit(st)))
			goto out;
	}
	fresh = stopwatch_since(t0);
	printf("%8zu stored items: fill %6.1f s cpu (%6.1f s wall);"
	       " %d new items: %7.1f us/item cpu (%7.1f us/item wall)\n",
	       n, fill.cpu, fill.wall, N_NEW, fresh.cpu * 1e6 / N_NEW,
	       fresh.wall * 1e6 / N_NEW);
	fflush(stdout);
	rc = 0;
out:
	for (i = 0; i < 64 && n >= 64; i++) {
		free(recent[i].title);
		free(recent[i].lead);
	}
	store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return rc;
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: dedupe_bench N [N...]\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		size_t n = strtoul(argv[i], NULL, 10);

		if (n < 64 || run(n) != 0) {
			fprintf(stderr, "dedupe_bench: N=%s failed (N >= 64)\n", argv[i]);
			return 1;
		}
	}
	return 0;
}
