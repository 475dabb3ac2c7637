/*
 * parse_bench — parser throughput alone (no fetch, no store).
 *
 *	parse_bench FILE [RUNS]
 *
 * Reads FILE into memory, then RUNS times (default 3) pushes it through
 * parse.h in 64 KiB chunks, as curl's write callback would, counting the
 * entries.  Prints the best run as "N MB/s (E entries, S s)": the figure
 * make bench puts next to sfeed's, which also only parses.  The seconds
 * are CPU time (the process is single-threaded): on a shared machine
 * wall time measures the neighbours as much as the parser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "buf.h"
#include "entry.h"
#include "parse.h"

#define CHUNK_BYTES (64 * 1024)

static void on_entry(void *ctx, struct entry *e)
{
	(void)e;
	(*(size_t *)ctx)++;
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One pass over doc; returns its seconds, or -1 if it is not a feed.
 * Never inlined: valgrind --toggle-collect=parse_once counts it alone. */
__attribute__((noinline)) static double parse_once(const struct buf *doc,
						   size_t *entries)
{
	struct feed_meta meta = {0};
	struct parser *p;
	char err[256];
	double start = cpu_s();
	size_t off;
	int rc;

	*entries = 0;
	p = parse_create("https://bench.example/feed", on_entry, entries);
	for (off = 0; off < doc->len; off += CHUNK_BYTES)
		parse_push(p, doc->data + off,
			   doc->len - off < CHUNK_BYTES ? doc->len - off : CHUNK_BYTES);
	rc = parse_finish(p, &meta, err, sizeof err);
	feed_meta_clear(&meta);
	parse_free(p);
	if (rc != 0) {
		fprintf(stderr, "parse_bench: %s\n", err);
		return -1;
	}
	return cpu_s() - start;
}

int main(int argc, char **argv)
{
	struct buf doc = {0};
	char chunk[CHUNK_BYTES];
	double best = -1, t;
	size_t n, entries = 0;
	int runs, i;
	FILE *f;

	if (argc < 2 || argc > 3) {
		fputs("usage: parse_bench FILE [RUNS]\n", stderr);
		return 2;
	}
	runs = argc == 3 ? atoi(argv[2]) : 3;
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&doc, chunk, n);
	fclose(f);
	for (i = 0; i < (runs > 0 ? runs : 1); i++) {
		t = parse_once(&doc, &entries);
		if (t < 0)
			return 1;
		if (best < 0 || t < best)
			best = t;
	}
	printf("%.1f MB/s (%zu entries, %.3f s CPU)\n",
	       (double)doc.len / 1e6 / (best > 0 ? best : 1e-9), entries, best);
	buf_free(&doc);
	return 0;
}
