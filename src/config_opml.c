/*
 * config_opml.c — imports the OPML file named by the opml key into the
 * config being read: each outline with an http(s) xmlUrl becomes a feed
 * (named after its title, made unique), its category a section made on
 * first use.  The path is taken relative to the config file's directory,
 * and problems are reported against the OPML file's own lines.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "config_int.h"
#include "opml.h"

/* file relative to the directory of the config file, unless absolute. */
static char *resolve_path(const char *config_path, const char *file)
{
	const char *slash = strrchr(config_path, '/');
	struct buf b = { 0 };

	if (file[0] == '/' || !slash)
		return xstrdup(file);
	buf_printf(&b, "%.*s/%s", (int)(slash - config_path), config_path,
		   file);
	return buf_steal(&b);
}

/* base, else base-2, base-3...: one of n_feeds + 1 candidates is free. */
static char *unique_feed_name(const struct config *cfg, char *base)
{
	struct buf b = { 0 };
	size_t k;

	if (!config_find_feed(cfg, base))
		return base;
	for (k = 2; k <= cfg->n_feeds + 2; k++) {
		buf_reset(&b);
		buf_printf(&b, "%s-%zu", base, k);
		if (!config_find_feed(cfg, b.data))
			break;
	}
	free(base);
	return buf_steal(&b);
}

static void add_opml_feed(struct reader *p, struct config *cfg,
			  const struct opml_outline *o)
{
	struct config_feed *f;
	char *name, *section;
	size_t i;

	/* file: URLs come from the config file only (SPEC.md). */
	if (!config_value_check_url(o->url, 0)) {
		config_problem(p, 1, cfg->opml, o->line, "bad xmlUrl '%s': "
			       "expected an http or https URL", o->url);
		return;
	}
	name = unique_feed_name(cfg, opml_slug(o->title, "feed"));
	/* This moves cfg->feeds: take f only afterwards. */
	i = config_add_feed(p, name, cfg->opml, o->line);
	f = &cfg->feeds[i];
	f->url = xstrdup(o->url);
	f->title = xstrdup(o->title);
	if (!o->category)
		return;
	section = opml_slug(o->category, "section");
	if (!config_find_section(cfg, section))
		config_add_section(cfg, section, o->category, 0);
	f->sections = xmalloc(sizeof *f->sections);
	f->sections[0] = section;
	f->n_sections = 1;
}

void config_opml_import(struct reader *p, struct config *cfg,
			const char *config_path, int opml_line)
{
	struct opml_outline *o;
	char msg[512], *path;
	size_t n, i;
	int line;

	if (!cfg->opml)
		return;
	path = resolve_path(config_path, cfg->opml);
	free(cfg->opml);
	cfg->opml = path;	/* feeds borrow it as their file */
	if (opml_read_at(path, &o, &n, &line, msg, sizeof msg) < 0) {
		if (line > 0)
			config_problem(p, 1, path, line, "%s", msg);
		else
			config_problem(p, 0, config_path, opml_line,
				       "opml file '%s': %s", path, msg);
		return;
	}
	for (i = 0; i < n; i++)
		add_opml_feed(p, cfg, &o[i]);
	opml_free(o, n);
}
