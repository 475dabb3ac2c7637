/*
 * fetch_decode.h — gzip and deflate bodies (RFC 9110 §8.4.1) decoded on
 * demand, as much as the reader has room for.
 *
 * libcurl's own decoder inflates a whole socket read at once inside one
 * write callback (16 KiB in, up to ~16.5 MiB out at deflate's 1032:1
 * limit) and keeps all of it while a transfer is paused.  Decoding here,
 * from bytes libcurl hands over undecoded, bounds both the work of one
 * call and the memory of a paused transfer: one compressed read.
 */
#ifndef FEEDMUX_FETCH_DECODE_H
#define FEEDMUX_FETCH_DECODE_H

#include <stddef.h>

enum fetch_coding {
	FETCH_CODING_IDENTITY,
	FETCH_CODING_GZIP,	/* gzip, x-gzip */
	FETCH_CODING_DEFLATE,	/* the zlib format; raw deflate tolerated */
	FETCH_CODING_OTHER,	/* anything else: not decodable here */
};

/* The coding a Content-Encoding value names (NULL, "" or "identity":
 * IDENTITY). */
enum fetch_coding fetch_coding_of(const char *content_encoding);

struct fetch_decoder;

/* A decoder for coding (GZIP or DEFLATE); the caller frees it. */
struct fetch_decoder *fetch_decoder_new(enum fetch_coding coding);
/* Takes a copy of the next compressed bytes; only when
 * fetch_decoder_pending() is 0. */
void fetch_decoder_feed(struct fetch_decoder *d, const char *data, size_t len);
/* Compressed bytes fed and not yet decoded (or decoded output zlib still
 * holds): 1, else 0. */
int fetch_decoder_pending(const struct fetch_decoder *d);
/* Decodes at most cap bytes into out; *n is 0 when it needs more input.
 * 0, or -1 for a corrupt stream (fetch_decoder_error says why).  Bytes
 * after the end of the stream are ignored. */
int fetch_decoder_read(struct fetch_decoder *d, char *out, size_t cap,
		       size_t *n);
const char *fetch_decoder_error(const struct fetch_decoder *d);
void fetch_decoder_free(struct fetch_decoder *d);	/* NULL is fine */

#endif
