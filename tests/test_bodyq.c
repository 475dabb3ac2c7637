/*
 * test_bodyq.c — the byte FIFO between libcurl's write callback and the
 * parse slices: order, accounting, partial takes, clearing.
 */
#include <string.h>

#include "bodyq.h"
#include "buf.h"
#include "tap.h"

/* Takes everything in slices of at most max bytes; returns the bytes. */
static void drain(struct bodyq *q, size_t max, struct buf *out, int *slices)
{
	const char *d;
	size_t len;

	*slices = 0;
	while ((d = bodyq_peek(q, max, &len)) && len) {
		buf_append(out, d, len);
		bodyq_drop(q, len);
		(*slices)++;
	}
}

int main(void)
{
	struct bodyq q = {0};
	struct buf out = {0};
	size_t len;
	int slices;

	ok(bodyq_peek(&q, 10, &len) == NULL && len == 0, "empty queue: nothing to peek");
	bodyq_push(&q, "", 0);
	is_int((int64_t)q.bytes, 0, "pushing 0 bytes queues nothing");
	bodyq_push(&q, "hello ", 6);
	bodyq_push(&q, "queued ", 7);
	bodyq_push(&q, "world", 5);
	is_int((int64_t)q.bytes, 18, "bytes counts what was pushed");
	drain(&q, 4, &out, &slices);
	is_str(out.data, "hello queued world", "slices come out in push order");
	is_int(slices, 6, "a slice never spans two chunks (6 of at most 4 bytes)");
	is_int((int64_t)q.bytes, 0, "drained: 0 bytes left");
	ok(q.head == NULL && q.tail == NULL, "drained: no chunk left");

	bodyq_push(&q, "abcdef", 6);
	bodyq_peek(&q, 2, &len);
	bodyq_drop(&q, len);
	bodyq_push(&q, "gh", 2);
	buf_free(&out);
	drain(&q, 100, &out, &slices);
	is_str(out.data, "cdefgh", "a partly taken chunk keeps its rest first");

	bodyq_push(&q, "left", 4);
	bodyq_push(&q, "over", 4);
	bodyq_clear(&q);
	ok(q.bytes == 0 && q.head == NULL && q.tail == NULL,
	   "clear frees every chunk (ASan: no leak)");
	bodyq_push(&q, "again", 5);
	is_int((int64_t)q.bytes, 5, "a cleared queue takes bytes again");
	bodyq_clear(&q);
	buf_free(&out);
	return done_testing();
}
