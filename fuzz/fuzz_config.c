/*
 * fuzz_config.c — the configuration reader (config.h) on arbitrary text.
 *
 * The input is written to feedmux.conf in a private directory beside a
 * small valid subs.opml, so "opml = subs.opml" (in the seeds) reaches the
 * OPML import too.  A config that loads must hold what config.h promises.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "fuzz.h"

static const char subs_opml[] =
	"<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><body>\n"
	"<outline text=\"World\"><outline text=\"A\" "
	"xmlUrl=\"http://127.0.0.1/a.xml\"/></outline>\n"
	"<outline text=\"B\" xmlUrl=\"http://127.0.0.1/b.xml\"/>\n"
	"</body></opml>\n";

static int is_name(const char *s)
{
	return s && *s && strspn(s, CONFIG_NAME_CHARS) == strlen(s);
}

static void check_config(const struct config *cfg)
{
	size_t i, j;

	if (!cfg->base_url || !*cfg->base_url ||
	    cfg->base_url[strlen(cfg->base_url) - 1] != '/')
		fuzz_fail("base_url does not end with '/'");
	if (cfg->interval_s <= 0 || cfg->timeout_ms <= 0 ||
	    cfg->max_feed_size <= 0 || cfg->concurrency <= 0)
		fuzz_fail("a loaded setting is not positive");
	for (i = 0; i < cfg->n_sections; i++)
		if (!is_name(cfg->sections[i].name) || !cfg->sections[i].title)
			fuzz_fail("section without a valid name or title");
	for (i = 0; i < cfg->n_feeds; i++) {
		const struct config_feed *f = &cfg->feeds[i];

		if (!is_name(f->name) || !f->url)
			fuzz_fail("feed without a valid name or url");
		if (config_find_feed(cfg, f->name) != f)
			fuzz_fail("two feeds share a name");
		for (j = 0; j < f->n_sections; j++)
			if (!config_find_section(cfg, f->sections[j]))
				fuzz_fail("feed in a section that is not defined");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct config *cfg;
	const char *path;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	fuzz_write_file("subs.opml", (const uint8_t *)subs_opml,
			sizeof subs_opml - 1);
	path = fuzz_write_file("feedmux.conf", data, size);
	cfg = config_load(path, devnull);
	if (cfg)
		check_config(cfg);
	config_free(cfg);
	return 0;
}
