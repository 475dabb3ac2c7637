/*
 * fuzz_textnorm.c — the dedupe normaliser (textnorm.h) on arbitrary
 * text, the way dedupe runs it: HTML to plain text, dateline and credits
 * stripped, folded, tokenized, shingled.  Checks: stripping only
 * shortens, folding is idempotent (folded text folds to itself) and
 * shingles come sorted and unique.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "textnorm.h"

#define MAX_TOKENS 64

static void check_shingles(const char *folded)
{
	struct textnorm_tokens t = { 0 };
	uint64_t *sh = NULL;
	size_t n, i;

	textnorm_tokenize(folded, MAX_TOKENS, &t);
	if (t.n > MAX_TOKENS || t.n_cjk > t.n)
		fuzz_fail("token counts out of range");
	n = textnorm_shingles(&t, &sh);
	if (n > (t.n > 1 ? t.n - 1 : t.n))
		fuzz_fail("more shingles than token pairs");
	for (i = 1; i < n; i++)
		if (sh[i - 1] >= sh[i])
			fuzz_fail("shingles not sorted and unique");
	free(sh);
	textnorm_tokens_clear(&t);
}

/* textnorm_plain_prefix(html, max) is textnorm_plain(html) cut at a
 * character boundary once at least max bytes are written (dedupe reads
 * only a lead's opening). */
static void check_prefix(const char *html, const char *plain, size_t max)
{
	char *prefix = textnorm_plain_prefix(html, max);
	size_t n = strlen(prefix), full = strlen(plain);

	if (n > full || memcmp(prefix, plain, n) != 0)
		fuzz_fail("textnorm_plain_prefix is not a prefix of textnorm_plain");
	if (n < (max < full ? max : full))
		fuzz_fail("textnorm_plain_prefix stopped short of max");
	free(prefix);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *html = fuzz_strndup(data, size);
	char *plain = textnorm_plain(html), *folded, *again;
	size_t len;

	if (!plain)
		fuzz_fail("textnorm_plain returned NULL");
	/* A limit from the input, so the fuzzer picks where to cut. */
	check_prefix(html, plain, size ? 1 + data[0] % 64 : 1);
	len = strlen(plain);
	textnorm_strip_dateline(plain);
	if (strlen(plain) > len)
		fuzz_fail("strip_dateline lengthened the text");
	len = strlen(plain);
	textnorm_strip_title_credit(plain);
	if (strlen(plain) > len)
		fuzz_fail("strip_title_credit lengthened the text");
	folded = textnorm_fold(plain);
	again = textnorm_fold(folded);
	if (strcmp(folded, again) != 0)
		fuzz_fail("textnorm_fold is not idempotent");
	check_shingles(folded);
	free(again);
	free(folded);
	free(plain);
	free(html);
	return 0;
}
