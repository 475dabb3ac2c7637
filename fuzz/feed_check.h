/*
 * feed_check.h — runs the feed parser over fuzz input and checks what
 * parse.h and entry.h promise about its output.  Shared by fuzz_parse.c
 * (whole input at once) and fuzz_parse_chunked.c (fuzzer-chosen chunks).
 */
#ifndef FEEDMUX_FEED_CHECK_H
#define FEEDMUX_FEED_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* What one parse produced, enough to compare two parses of one document. */
struct feed_result {
	int rc;			/* parse_finish's */
	int repaired;
	int format;
	size_t count;		/* entries emitted */
	uint64_t keys_hash;	/* FNV-1a over every entry_key, in order */
};

/*
 * Parses data[0..size) pushed in pieces: cut[i] is the length of piece i
 * (cycled; n_cuts 0 means one piece; a 0 length is taken as 1).  Checks
 * every entry and the feed metadata (valid UTF-8, no field over
 * PARSE_MAX_FIELD_BYTES, guid/link non-empty when present) and aborts via
 * fuzz_fail when one is broken.  Fills *out.
 */
void feed_check_parse(const uint8_t *data, size_t size, const uint8_t *cut,
		      size_t n_cuts, struct feed_result *out);

#endif
