/*
 * test_fetch_decode.c — gzip and deflate decoded a bounded slice at a
 * time: the codings, raw deflate, a bomb read in fixed-size slices, a
 * corrupt stream.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fetch_decode.h"
#include "tap.h"
#include "zhelp.h"

/* Feeds in pieces of feed bytes, reads in slices of cap; the output, the
 * largest slice, and 0 or -1. */
static int decode_all(enum fetch_coding c, const struct buf *in, size_t feed,
		      size_t cap, struct buf *out, size_t *largest)
{
	struct fetch_decoder *d = fetch_decoder_new(c);
	char *slice = xmalloc(cap);
	size_t off = 0, n;
	int rc = 0;

	*largest = 0;
	while (rc == 0 && (off < in->len || fetch_decoder_pending(d))) {
		if (!fetch_decoder_pending(d)) {
			size_t k = in->len - off < feed ? in->len - off : feed;

			fetch_decoder_feed(d, in->data + off, k);
			off += k;
		}
		rc = fetch_decoder_read(d, slice, cap, &n);
		buf_append(out, slice, n);
		if (n > *largest)
			*largest = n;
	}
	free(slice);
	fetch_decoder_free(d);
	return rc;
}

static void roundtrip(enum fetch_coding c, int bits, const char *what)
{
	static const char text[] = "<rss><channel><title>decoded</title></channel></rss>";
	struct buf in = {0}, out = {0};
	size_t largest;
	char name[128];

	zhelp_compress(&in, text, sizeof text - 1, bits);
	snprintf(name, sizeof name, "%s: decodes", what);
	is_int(decode_all(c, &in, 7, 16, &out, &largest), 0, name);
	snprintf(name, sizeof name, "%s: the bytes come back", what);
	is_str(out.data, text, name);
	buf_free(&in);
	buf_free(&out);
}

int main(void)
{
	struct buf in = {0}, out = {0};
	size_t largest, big = (size_t)16 << 20;
	char *blanks;
	int rc;

	is_int(fetch_coding_of(NULL), FETCH_CODING_IDENTITY, "no Content-Encoding: identity");
	is_int(fetch_coding_of("identity"), FETCH_CODING_IDENTITY, "identity");
	is_int(fetch_coding_of("GZIP"), FETCH_CODING_GZIP, "gzip, any case");
	is_int(fetch_coding_of("x-gzip"), FETCH_CODING_GZIP, "x-gzip is gzip (RFC 9110 §8.4.1.3)");
	is_int(fetch_coding_of("deflate"), FETCH_CODING_DEFLATE, "deflate");
	is_int(fetch_coding_of("br"), FETCH_CODING_OTHER, "br is not decodable here");
	is_int(fetch_coding_of("gzip, gzip"), FETCH_CODING_OTHER, "two codings are not decodable here");

	roundtrip(FETCH_CODING_GZIP, ZHELP_GZIP, "gzip");
	roundtrip(FETCH_CODING_DEFLATE, ZHELP_ZLIB, "deflate (zlib format)");
	roundtrip(FETCH_CODING_DEFLATE, ZHELP_RAW, "raw deflate sent as deflate");

	/* A bomb: 16 MiB of blanks in ~16 KiB, read in 16 KiB slices. */
	blanks = xmalloc(big);
	memset(blanks, ' ', big);
	zhelp_gzip(&in, blanks, big);
	free(blanks);
	diag("16 MiB of blanks gzip to %zu bytes", in.len);
	rc = decode_all(FETCH_CODING_GZIP, &in, 16384, 16384, &out, &largest);
	is_int(rc, 0, "bomb: decodes");
	is_int((int64_t)out.len, (int64_t)big, "bomb: every byte comes out");
	ok(largest <= 16384, "bomb: no read returns more than the slice asked for");
	buf_free(&out);

	/* Corrupt: a gzip stream with its middle overwritten. */
	memset(in.data + 10, 0xff, in.len > 40 ? 30 : 0);
	rc = decode_all(FETCH_CODING_GZIP, &in, 16384, 16384, &out, &largest);
	is_int(rc, -1, "corrupt gzip: an error, not garbage");
	buf_free(&out);
	buf_free(&in);

	/* Bytes after the end of the stream are ignored. */
	zhelp_gzip(&in, "end", 3);
	buf_append(&in, "trailing junk", 13);
	rc = decode_all(FETCH_CODING_GZIP, &in, 4, 16, &out, &largest);
	ok(rc == 0 && out.len == 3 && memcmp(out.data, "end", 3) == 0,
	   "bytes after the end of the gzip stream are ignored");
	buf_free(&out);
	buf_free(&in);
	return done_testing();
}
