/*
 * zhelp.h — test bodies compressed with zlib, in the three formats a
 * server may send for Content-Encoding gzip or deflate (RFC 9110
 * §8.4.1): gzip (RFC 1952), zlib (RFC 1950, what "deflate" means) and
 * raw deflate (RFC 1951, what some servers send as "deflate" instead).
 */
#ifndef FEEDMUX_TESTS_ZHELP_H
#define FEEDMUX_TESTS_ZHELP_H

#include <stddef.h>

#include "buf.h"

/* zlib's windowBits for each format. */
#define ZHELP_GZIP (15 + 16)
#define ZHELP_ZLIB 15
#define ZHELP_RAW (-15)

/* Appends len bytes of data, compressed at level 9 in the format
 * window_bits selects (ZHELP_*), to out. */
void zhelp_compress(struct buf *out, const void *data, size_t len,
		    int window_bits);
/* zhelp_compress(out, data, len, ZHELP_GZIP). */
void zhelp_gzip(struct buf *out, const void *data, size_t len);

#endif
