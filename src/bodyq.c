/*
 * bodyq.c — a singly linked list of copied chunks.  libcurl hands over at
 * most CURL_MAX_WRITE_SIZE (16 KiB) at a time, so one allocation per
 * chunk costs little next to parsing it.
 */
#include <stdlib.h>
#include <string.h>

#include "bodyq.h"
#include "buf.h"

struct bodyq_chunk {
	struct bodyq_chunk *next;
	size_t len;		/* bytes in data */
	size_t off;		/* bytes already taken */
	char data[];
};

void bodyq_push(struct bodyq *q, const char *data, size_t len)
{
	struct bodyq_chunk *c;

	if (!len)
		return;
	c = xmalloc(sizeof *c + len);
	c->next = NULL;
	c->len = len;
	c->off = 0;
	memcpy(c->data, data, len);
	if (q->tail)
		q->tail->next = c;
	else
		q->head = c;
	q->tail = c;
	q->bytes += len;
}

const char *bodyq_peek(const struct bodyq *q, size_t max, size_t *len)
{
	const struct bodyq_chunk *c = q->head;

	if (!c) {
		*len = 0;
		return NULL;
	}
	*len = c->len - c->off < max ? c->len - c->off : max;
	return c->data + c->off;
}

void bodyq_drop(struct bodyq *q, size_t n)
{
	struct bodyq_chunk *c = q->head;

	if (!c || !n)
		return;
	c->off += n;
	q->bytes -= n;
	if (c->off < c->len)
		return;
	q->head = c->next;
	if (!q->head)
		q->tail = NULL;
	free(c);
}

void bodyq_clear(struct bodyq *q)
{
	while (q->head) {
		struct bodyq_chunk *c = q->head;

		q->head = c->next;
		free(c);
	}
	q->tail = NULL;
	q->bytes = 0;
}
