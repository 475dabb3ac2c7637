/*
 * fuzz_parse_chunked.c — the feed parser fed the way the network feeds
 * it: in pieces cut where the fuzzer chooses.
 *
 * Input: one byte N (0..15 taken), then N bytes that are the piece
 * lengths (cycled), then the document.  The document is also parsed in
 * one piece, and a well-formed document must give the same entries both
 * ways: where a TCP segment ends must not change what a feed says.
 */
#include "feed_check.h"
#include "fuzz.h"

#define MAX_CUTS 15

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_result whole, pieces;
	size_t n_cuts;

	if (size < 1)
		return 0;
	n_cuts = data[0] % (MAX_CUTS + 1);
	if (size < 1 + n_cuts)
		return 0;
	feed_check_parse(data + 1 + n_cuts, size - 1 - n_cuts, data + 1,
			 n_cuts, &pieces);
	feed_check_parse(data + 1 + n_cuts, size - 1 - n_cuts, NULL, 0,
			 &whole);
	if (whole.rc == 0 && !whole.repaired &&
	    (pieces.rc != 0 || pieces.count != whole.count ||
	     pieces.keys_hash != whole.keys_hash ||
	     pieces.format != whole.format))
		fuzz_fail("chunked parse differs from the whole-document parse");
	return 0;
}
