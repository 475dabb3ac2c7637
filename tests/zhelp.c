/*
 * zhelp.c — test bodies compressed with zlib (zhelp.h).
 */
#include <string.h>

#include <zlib.h>

#include "zhelp.h"

void zhelp_compress(struct buf *out, const void *data, size_t len,
		    int window_bits)
{
	z_stream z;
	unsigned char chunk[65536];
	int rc;

	memset(&z, 0, sizeof z);
	deflateInit2(&z, 9, Z_DEFLATED, window_bits, 9, Z_DEFAULT_STRATEGY);
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof chunk;
		rc = deflate(&z, Z_FINISH);
		buf_append(out, (char *)chunk, sizeof chunk - z.avail_out);
	} while (rc == Z_OK || rc == Z_BUF_ERROR);
	deflateEnd(&z);
}

void zhelp_gzip(struct buf *out, const void *data, size_t len)
{
	zhelp_compress(out, data, len, ZHELP_GZIP);
}
