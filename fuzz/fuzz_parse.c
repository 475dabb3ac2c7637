/*
 * fuzz_parse.c — the feed parser (parse.h) on arbitrary bytes: RSS 0.9x,
 * 1.0, 2.0, Atom, HTML, anything.  The whole input is pushed at once;
 * fuzz_parse_chunked.c splits it.
 */
#include "feed_check.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_result r;

	feed_check_parse(data, size, NULL, 0, &r);
	return 0;
}
