/*
 * fuzz_date.c — the date parser (date.h) on arbitrary text.  A date it
 * accepts, written back as RFC 3339 and as an HTTP date, must parse to
 * the same second.
 */
#include <stdlib.h>

#include "date.h"
#include "entry.h"
#include "fuzz.h"

/* 9999-12-31T23:59:59Z: the formats have four-digit years. */
#define DATE_MAX_ROUND_TRIP 253402300799LL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);
	char out[64];
	int64_t t = date_parse(s);

	free(s);
	if (t == ENTRY_NO_DATE || t < 0 || t > DATE_MAX_ROUND_TRIP)
		return 0;
	date_format_rfc3339(t, out, sizeof out);
	if (date_parse(out) != t)
		fuzz_fail("RFC 3339 output does not parse back");
	date_format_http(t, out, sizeof out);
	if (t >= 86400 && date_parse(out) != t)
		fuzz_fail("HTTP date output does not parse back");
	return 0;
}
