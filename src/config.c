/*
 * config.c — reads feedmux.conf (SPEC.md: Configuration file): the public
 * face (config_load, config_free, the lookups), every default, the
 * problems collected while reading, and the checks made once the whole
 * file is read.
 *
 * A small INI reader of our own rather than inih: every problem must carry
 * the line it is about, also those found only once the whole file is read
 * (a section defined after the feed that names it, a feed without url).
 * Reading never stops at the first problem: config_load() collects them
 * all, prints them sorted by line, and returns NULL if there was any, so
 * a reload either gets a complete, valid config or keeps the old one.
 * The lines and [headers] are read in config_read.c, the key table and
 * what each key does is config_key.c's, the values are parsed in
 * config_value.c and the OPML import is config_opml.c's.
 */
/* PACKAGE_VERSION comes from configure as a -D flag. */
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"
#endif

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "config_int.h"

/* Every default, in one place (SPEC.md: Configuration file). */
#define DEFAULT_LISTEN		"127.0.0.1:8080"
#define DEFAULT_DATABASE	"/var/lib/feedmux/feedmux.db"
#define DEFAULT_TITLE		"feedmux"
#define DEFAULT_INTERVAL_S	(15 * 60)
#define DEFAULT_MIN_INTERVAL_S	(5 * 60)
#define DEFAULT_MAX_INTERVAL_S	(6 * 3600)
#define DEFAULT_TIMEOUT_MS	(30 * 1000)
#define DEFAULT_MAX_FEED_SIZE	(8 * 1024 * 1024)
#define DEFAULT_CACHE_SIZE	(16 * 1024 * 1024)	/* = STORE_DEFAULT_CACHE_SIZE */
#define DEFAULT_CONCURRENCY	32
#define DEFAULT_PER_HOST	2
#define DEFAULT_USER_AGENT \
	"feedmux/" PACKAGE_VERSION " (+https://github.com/feedmux/feedmux)"
#define DEFAULT_RETENTION_S	(30 * 86400)
#define DEFAULT_DEDUPE_WINDOW_S	(36 * 3600)	/* = DEDUPE_DEFAULT_WINDOW_S */
#define DEFAULT_DEDUPE_THRESHOLD 70		/* = DEDUPE_DEFAULT_THRESHOLD_PCT */
#define DEFAULT_LIMIT		50

/* One reported problem, kept until the end so they print sorted by line. */
struct problem {
	int in_opml;	/* config file problems first, then the OPML file's */
	int line;
	size_t seq;
	char *text;	/* owned: "FILE:LINE: message" */
};

void config_problem(struct reader *p, int in_opml, const char *file,
		    int line, const char *fmt, ...)
{
	struct buf b = { 0 };
	struct problem *pr;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();	/* out of memory, as in buf.c */
	va_end(ap);
	if (line > 0)
		buf_printf(&b, "%s:%d: %s", file, line, msg);
	else
		buf_printf(&b, "%s: %s", file, msg);
	free(msg);
	p->problems = xrealloc(p->problems,
			       (p->n_problems + 1) * sizeof *p->problems);
	pr = &p->problems[p->n_problems];
	pr->in_opml = in_opml;
	pr->line = line;
	pr->seq = p->n_problems++;
	pr->text = buf_steal(&b);
}

static int problem_cmp(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;

	if (x->in_opml != y->in_opml)
		return x->in_opml - y->in_opml;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : 1;
}

static void problems_flush(struct reader *p, FILE *errors)
{
	size_t i;

	if (p->n_problems > 1)
		qsort(p->problems, p->n_problems, sizeof *p->problems,
		      problem_cmp);
	for (i = 0; i < p->n_problems; i++) {
		if (errors)
			fprintf(errors, "%s\n", p->problems[i].text);
		free(p->problems[i].text);
	}
	free(p->problems);
	p->problems = NULL;
	if (errors)
		fflush(errors);
}

/* ---- building the config ---- */

void config_strings_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void config_strings_push(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

static void config_set_defaults(struct config *cfg)
{
	config_strings_push(&cfg->listen, &cfg->n_listen, DEFAULT_LISTEN);
	cfg->database = xstrdup(DEFAULT_DATABASE);
	cfg->title = xstrdup(DEFAULT_TITLE);
	cfg->base_url = NULL;	/* "http://<first listen>/", once known */
	cfg->interval_s = DEFAULT_INTERVAL_S;
	cfg->min_interval_s = DEFAULT_MIN_INTERVAL_S;
	cfg->max_interval_s = DEFAULT_MAX_INTERVAL_S;
	cfg->timeout_ms = DEFAULT_TIMEOUT_MS;
	cfg->max_feed_size = DEFAULT_MAX_FEED_SIZE;
	cfg->cache_size = DEFAULT_CACHE_SIZE;
	cfg->concurrency = DEFAULT_CONCURRENCY;
	cfg->per_host = DEFAULT_PER_HOST;
	cfg->user_agent = xstrdup(DEFAULT_USER_AGENT);
	cfg->retention_s = DEFAULT_RETENTION_S;
	cfg->dedupe_window_s = DEFAULT_DEDUPE_WINDOW_S;
	cfg->dedupe_threshold = DEFAULT_DEDUPE_THRESHOLD;
	cfg->limit = DEFAULT_LIMIT;
	cfg->opml = NULL;
}

/* Appends a section named name (copied); returns its index. */
size_t config_add_section(struct config *cfg, const char *name,
			  const char *title, int line)
{
	struct config_section *s;

	cfg->sections = xrealloc(cfg->sections,
				 (cfg->n_sections + 1) * sizeof *cfg->sections);
	s = &cfg->sections[cfg->n_sections];
	memset(s, 0, sizeof *s);
	s->name = xstrdup(name);
	s->title = xstrdup(title ? title : name);
	s->line = line;
	return cfg->n_sections++;
}

/* Appends a feed, taking ownership of name; returns its index. */
size_t config_add_feed(struct reader *p, char *name, const char *file,
		       int line)
{
	struct config *cfg = p->cfg;
	struct config_feed *f;

	cfg->feeds = xrealloc(cfg->feeds,
			      (cfg->n_feeds + 1) * sizeof *cfg->feeds);
	p->feed_lines = xrealloc(p->feed_lines,
				 (cfg->n_feeds + 1) * sizeof *p->feed_lines);
	memset(&p->feed_lines[cfg->n_feeds], 0, sizeof *p->feed_lines);
	f = &cfg->feeds[cfg->n_feeds];
	memset(f, 0, sizeof *f);
	f->name = name;
	f->dedupe = 1;
	f->file = file;
	f->line = line;
	return cfg->n_feeds++;
}

/* ---- checks once the whole file is read ---- */

static void check_feeds(struct reader *p)
{
	const struct config *cfg = p->cfg;
	const struct config_feed *f;
	size_t i, j;

	for (i = 0; i < cfg->n_feeds; i++) {
		f = &cfg->feeds[i];
		/* A url key with a bad value is reported already. */
		if (!f->url && !p->feed_lines[i].url)
			config_problem(p, 0, p->path, f->line,
				       "feed '%s' has no url", f->name);
		for (j = 0; j < f->n_sections; j++)
			if (!config_find_section(cfg, f->sections[j]))
				config_problem(p, 0, p->path,
					p->feed_lines[i].section,
					"undefined section '%s' in [feed %s]",
					f->sections[j], f->name);
	}
}

static void check_globals(struct reader *p)
{
	struct config *cfg = p->cfg;
	int min_line = config_key_line(p, "min_interval");
	int max_line = config_key_line(p, "max_interval");

	/* Reported where the later of the two is set. */
	if (cfg->min_interval_s > cfg->max_interval_s)
		config_problem(p, 0, p->path,
			       min_line > max_line ? min_line : max_line,
			       "min_interval (%llds) is greater than "
			       "max_interval (%llds)",
			       (long long)cfg->min_interval_s,
			       (long long)cfg->max_interval_s);
	if (!cfg->base_url && cfg->n_listen > 0) {
		struct buf b = { 0 };

		buf_printf(&b, "http://%s/", cfg->listen[0]);
		cfg->base_url = buf_steal(&b);
	}
}

/* ---- the public face ---- */

struct config *config_load(const char *path, FILE *errors)
{
	struct reader p = { 0 };
	struct config *cfg;
	FILE *f = fopen(path, "r");

	if (!f) {
		if (errors)
			fprintf(errors, "%s: cannot open: %s\n", path,
				strerror(errno));
		return NULL;
	}
	cfg = xcalloc(1, sizeof *cfg);
	cfg->path = xstrdup(path);
	config_set_defaults(cfg);
	p.cfg = cfg;
	p.path = path;
	config_read_lines(&p, f);
	fclose(f);
	check_feeds(&p);
	check_globals(&p);
	config_opml_import(&p, cfg, path, config_key_line(&p, "opml"));
	if (p.n_problems) {
		config_free(cfg);
		cfg = NULL;
	}
	problems_flush(&p, errors);
	free(p.feed_lines);
	return cfg;
}

void config_free(struct config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	config_strings_free(cfg->listen, cfg->n_listen);
	free(cfg->database);
	free(cfg->title);
	free(cfg->base_url);
	free(cfg->user_agent);
	free(cfg->ca_file);
	free(cfg->opml);
	free(cfg->icon);
	for (i = 0; i < cfg->n_sections; i++) {
		free(cfg->sections[i].name);
		free(cfg->sections[i].title);
		free(cfg->sections[i].description);
	}
	free(cfg->sections);
	for (i = 0; i < cfg->n_feeds; i++) {
		free(cfg->feeds[i].name);
		free(cfg->feeds[i].url);
		free(cfg->feeds[i].title);
		config_strings_free(cfg->feeds[i].sections, cfg->feeds[i].n_sections);
	}
	free(cfg->feeds);
	free(cfg->path);
	free(cfg);
}

const struct config_feed *config_find_feed(const struct config *cfg,
					   const char *name)
{
	size_t i;

	for (i = 0; i < cfg->n_feeds; i++)
		if (strcmp(cfg->feeds[i].name, name) == 0)
			return &cfg->feeds[i];
	return NULL;
}

const struct config_section *config_find_section(const struct config *cfg,
						 const char *name)
{
	size_t i;

	for (i = 0; i < cfg->n_sections; i++)
		if (strcmp(cfg->sections[i].name, name) == 0)
			return &cfg->sections[i];
	return NULL;
}
