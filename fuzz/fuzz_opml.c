/*
 * fuzz_opml.c — the OPML reader (opml.h) on arbitrary bytes, and
 * opml_slug() on every title it returns: a slug must be a valid config
 * name.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz.h"
#include "opml.h"

static void check_outline(const struct opml_outline *o)
{
	char *slug;

	if (!o->url || !*o->url)
		fuzz_fail("outline without xmlUrl returned");
	if (o->line < 0)
		fuzz_fail("negative line");
	if (!fuzz_utf8_valid(o->url) || !fuzz_utf8_valid(o->title) ||
	    !fuzz_utf8_valid(o->category))
		fuzz_fail("outline text is not UTF-8");
	slug = opml_slug(o->title, "feed");
	if (!slug || !*slug || strspn(slug, CONFIG_NAME_CHARS) != strlen(slug) ||
	    slug[0] == '-' || slug[strlen(slug) - 1] == '-')
		fuzz_fail("opml_slug gave an invalid name");
	free(slug);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opml_outline *o = NULL;
	const char *path = fuzz_write_file("subs.opml", data, size);
	char err[256];
	size_t n = 0, i;
	int line = -1;

	err[0] = '\0';
	if (opml_read_at(path, &o, &n, &line, err, sizeof err) < 0) {
		if (!err[0] || line < 0)
			fuzz_fail("failure without a message or line");
		return 0;
	}
	for (i = 0; i < n; i++)
		check_outline(&o[i]);
	opml_free(o, n);
	return 0;
}
