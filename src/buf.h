/*
 * buf.h — a growable byte buffer, always NUL-terminated.
 *
 * A zeroed struct buf is an empty buffer.  The buffer owns data; buf_free()
 * releases it, buf_steal() hands it to the caller.  Allocation failure
 * aborts the process (out of memory is not a condition feedmux recovers
 * from).
 */
#ifndef FEEDMUX_BUF_H
#define FEEDMUX_BUF_H

#include <stddef.h>

struct buf {
	char *data; /* owned; NULL while empty */
	size_t len;
	size_t cap;
};

void buf_append(struct buf *b, const void *data, size_t len);
void buf_reserve(struct buf *b, size_t extra);	/* room for extra more bytes */
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);	/* len = 0, keeps the allocation */
void buf_free(struct buf *b);
char *buf_steal(struct buf *b);	/* returns data (caller frees), empties b */

/* Small allocation helpers that abort on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);	/* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);

#endif
