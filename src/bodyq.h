/*
 * bodyq.h — a FIFO of body bytes: libcurl's write callback appends each
 * decoded chunk as it arrives, the parser takes them a slice at a time
 * from a low-priority event (poll_ingest.c).  Nothing else: the bound
 * (when to pause the transfer) is the caller's.
 */
#ifndef FEEDMUX_BODYQ_H
#define FEEDMUX_BODYQ_H

#include <stddef.h>

struct bodyq_chunk;

/* Zero-initialised is empty.  Owns its chunks. */
struct bodyq {
	struct bodyq_chunk *head, *tail;
	size_t bytes;		/* queued, not yet taken */
};

/* Appends a copy of len bytes (len 0 is a no-op). */
void bodyq_push(struct bodyq *q, const char *data, size_t len);
/* The next contiguous bytes, at most max of them (*len 0 when empty).
 * Valid until the next bodyq_drop, bodyq_push or bodyq_clear. */
const char *bodyq_peek(const struct bodyq *q, size_t max, size_t *len);
/* Forgets the first n bytes (n at most what bodyq_peek returned). */
void bodyq_drop(struct bodyq *q, size_t n);
/* Frees every chunk; q is empty again. */
void bodyq_clear(struct bodyq *q);

#endif
