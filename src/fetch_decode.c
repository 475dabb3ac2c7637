/*
 * fetch_decode.c — zlib's inflate, a bounded output at a time.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "buf.h"
#include "fetch_decode.h"

struct fetch_decoder {
	z_stream z;
	enum fetch_coding coding;
	int started;		/* inflateInit2 done (on the first bytes) */
	int ended;		/* the stream ended: the rest is ignored */
	int more_out;		/* the last read filled out: zlib may hold more */
	char *in;		/* owned copy of the bytes at z.next_in */
	size_t in_cap;
	const char *error;
};

enum fetch_coding fetch_coding_of(const char *v)
{
	if (!v || !*v || strcasecmp(v, "identity") == 0)
		return FETCH_CODING_IDENTITY;
	if (strcasecmp(v, "gzip") == 0 || strcasecmp(v, "x-gzip") == 0)
		return FETCH_CODING_GZIP;
	if (strcasecmp(v, "deflate") == 0)
		return FETCH_CODING_DEFLATE;
	return FETCH_CODING_OTHER;
}

struct fetch_decoder *fetch_decoder_new(enum fetch_coding coding)
{
	struct fetch_decoder *d = xcalloc(1, sizeof *d);

	d->coding = coding;
	return d;
}

/* RFC 1950 §2.2: CM 8 and the header a multiple of 31. */
static int zlib_header(const unsigned char *b, size_t len)
{
	return len >= 2 && (b[0] & 0x0f) == 8 && (b[0] * 256 + b[1]) % 31 == 0;
}

/* Opens the stream on its first bytes: "deflate" should be the zlib
 * format, but some servers send raw deflate, which libcurl accepts too. */
static int decoder_start(struct fetch_decoder *d)
{
	int bits = 15 + 16;	/* gzip only */

	if (d->coding == FETCH_CODING_DEFLATE)
		bits = zlib_header(d->z.next_in, d->z.avail_in) ? 15 : -15;
	if (inflateInit2(&d->z, bits) != Z_OK) {
		d->error = "zlib could not start";
		return -1;
	}
	d->started = 1;
	return 0;
}

void fetch_decoder_feed(struct fetch_decoder *d, const char *data, size_t len)
{
	if (d->ended || !len)
		return;
	if (len > d->in_cap) {
		free(d->in);
		d->in = xmalloc(len);
		d->in_cap = len;
	}
	memcpy(d->in, data, len);
	d->z.next_in = (Bytef *)d->in;
	d->z.avail_in = (uInt)len;
}

int fetch_decoder_pending(const struct fetch_decoder *d)
{
	return !d->ended && (d->z.avail_in > 0 || d->more_out);
}

int fetch_decoder_read(struct fetch_decoder *d, char *out, size_t cap,
		       size_t *n)
{
	int rc;

	*n = 0;
	if (d->error)
		return -1;
	if (d->ended || (!d->z.avail_in && !d->more_out))
		return 0;
	if (!d->started && decoder_start(d) != 0)
		return -1;
	d->z.next_out = (Bytef *)out;
	d->z.avail_out = (uInt)cap;
	rc = inflate(&d->z, Z_NO_FLUSH);
	*n = cap - d->z.avail_out;
	d->more_out = d->z.avail_out == 0;
	if (rc == Z_STREAM_END) {
		d->ended = 1;
		d->more_out = 0;
		d->z.avail_in = 0;
	} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
		d->error = d->z.msg ? d->z.msg : "corrupt compressed data";
		return -1;
	}
	return 0;
}

const char *fetch_decoder_error(const struct fetch_decoder *d)
{
	return d->error;
}

void fetch_decoder_free(struct fetch_decoder *d)
{
	if (!d)
		return;
	if (d->started)
		inflateEnd(&d->z);
	free(d->in);
	free(d);
}
