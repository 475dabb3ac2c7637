/*
 * fuzz_canon_url.c — URL canonicalisation (canon_url.h) on arbitrary
 * text: no crash, no leak, an https:// result, and a canonical URL is
 * canonical already: canon_url() of it gives it back unchanged (every
 * counterexample found is in fuzz/regressions/canon_url/ and a case of
 * tests/test_canon_url.c).
 */
#include <stdlib.h>
#include <string.h>

#include "canon_url.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *url = fuzz_strndup(data, size);
	char *once = canon_url(url), *twice;
	int page;

	free(url);
	if (!once)
		return 0;
	if (strncmp(once, "https://", 8) != 0)
		fuzz_fail("canonical URL is not https://");
	page = canon_url_is_page(once);
	if (page != 0 && page != 1)
		fuzz_fail("canon_url_is_page is not 0 or 1");
	twice = canon_url(once);
	if (!twice || strcmp(once, twice) != 0)
		fuzz_fail("canon_url is not idempotent");
	free(twice);
	free(once);
	return 0;
}
