/*
 * config.c — reads feedmux.conf (SPEC.md: Configuration file).
 *
 * A small INI reader of our own rather than inih: every problem must carry
 * the line it is about, also those found only once the whole file is read
 * (a section defined after the feed that names it, a feed without url).
 * Reading never stops at the first problem: config_load() collects them
 * all, prints them sorted by line, and returns NULL if there was any, so
 * a reload either gets a complete, valid config or keeps the old one.
 * This file holds the reader itself (lines, headers, the key table and
 * what each key does), the checks made once the whole file is read, and
 * the public face; the values are parsed in config_value.c and the OPML
 * import is config_opml.c's.
 */
/* PACKAGE_VERSION comes from configure as a -D flag. */
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"
#endif

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
#define DEFAULT_CONCURRENCY	32
#define DEFAULT_PER_HOST	2
#define DEFAULT_USER_AGENT \
	"feedmux/" PACKAGE_VERSION " (+https://github.com/feedmux/feedmux)"
#define DEFAULT_RETENTION_S	(30 * 86400)
#define DEFAULT_DEDUPE_WINDOW_S	(36 * 3600)	/* = DEDUPE_DEFAULT_WINDOW_S */
#define DEFAULT_DEDUPE_THRESHOLD 70		/* = DEDUPE_DEFAULT_THRESHOLD_PCT */
#define DEFAULT_LIMIT		50
#define MAX_LIMIT		1000	/* as for ?limit= (SPEC.md: HTTP) */

#define WHITESPACE " \t\r\n\v\f"

enum block { BLOCK_GLOBAL, BLOCK_SECTION, BLOCK_FEED, BLOCK_SKIP };

enum value_type {
	VAL_STRING, VAL_LISTEN, VAL_BASE_URL, VAL_URL, VAL_SECTIONS,
	VAL_DURATION, VAL_TIMEOUT, VAL_SIZE, VAL_INT, VAL_BOOL,
};

struct key {
	enum block block;
	const char *name;
	enum value_type type;
	size_t offset;	/* of the field in config, config_section or config_feed */
	int min, max;	/* VAL_INT */
};

#define GLOBAL(n, t, f) { BLOCK_GLOBAL, n, t, offsetof(struct config, f), 0, 0 }
#define GLOBAL_INT(n, f, lo, hi) \
	{ BLOCK_GLOBAL, n, VAL_INT, offsetof(struct config, f), lo, hi }
#define SECTION(n, t, f) \
	{ BLOCK_SECTION, n, t, offsetof(struct config_section, f), 0, 0 }
#define FEED(n, t, f) { BLOCK_FEED, n, t, offsetof(struct config_feed, f), 0, 0 }

static const struct key keys[] = {
	GLOBAL("listen", VAL_LISTEN, listen),
	GLOBAL("database", VAL_STRING, database),
	GLOBAL("title", VAL_STRING, title),
	GLOBAL("base_url", VAL_BASE_URL, base_url),
	GLOBAL("interval", VAL_DURATION, interval_s),
	GLOBAL("min_interval", VAL_DURATION, min_interval_s),
	GLOBAL("max_interval", VAL_DURATION, max_interval_s),
	GLOBAL("timeout", VAL_TIMEOUT, timeout_ms),
	GLOBAL("max_feed_size", VAL_SIZE, max_feed_size),
	GLOBAL_INT("concurrency", concurrency, 1, INT_MAX),
	GLOBAL_INT("per_host", per_host, 1, INT_MAX),
	GLOBAL("user_agent", VAL_STRING, user_agent),
	GLOBAL("ca_file", VAL_STRING, ca_file),
	GLOBAL("retention", VAL_DURATION, retention_s),
	GLOBAL("dedupe_window", VAL_DURATION, dedupe_window_s),
	GLOBAL_INT("dedupe_threshold", dedupe_threshold, 1, 100),
	GLOBAL_INT("limit", limit, 1, MAX_LIMIT),
	GLOBAL("opml", VAL_STRING, opml),
	GLOBAL("icon", VAL_STRING, icon),
	SECTION("title", VAL_STRING, title),
	SECTION("description", VAL_STRING, description),
	FEED("url", VAL_URL, url),
	FEED("section", VAL_SECTIONS, sections),
	FEED("title", VAL_STRING, title),
	FEED("interval", VAL_DURATION, interval_s),
	FEED("dedupe", VAL_BOOL, dedupe),
	{ BLOCK_FEED, "priority", VAL_INT, offsetof(struct config_feed, priority),
	  INT_MIN, INT_MAX },
};

#define N_KEYS (sizeof keys / sizeof keys[0])

/* One reported problem, kept until the end so they print sorted by line. */
struct problem {
	int in_opml;	/* config file problems first, then the OPML file's */
	int line;
	size_t seq;
	char *text;	/* owned: "FILE:LINE: message" */
};

struct reader {
	struct config *cfg;	/* being built; owned until returned */
	const char *path;	/* as given, for messages */
	int line;
	enum block block;
	size_t index;		/* of the current section or feed */
	int seen[N_KEYS];	/* line each key was set at in this block */
	int global_seen[N_KEYS];
	int listen_replaced;	/* the file's first listen dropped the default */
	struct feed_lines {
		int url, section;	/* where those keys are, or 0 */
	} *feed_lines;			/* one per feed */
	struct problem *problems;
	size_t n_problems;
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

/* A problem at the current line of the config file. */
#define perr(p, ...) config_problem((p), 0, (p)->path, (p)->line, __VA_ARGS__)

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

static void free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void push_string(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

static void config_set_defaults(struct config *cfg)
{
	push_string(&cfg->listen, &cfg->n_listen, DEFAULT_LISTEN);
	cfg->database = xstrdup(DEFAULT_DATABASE);
	cfg->title = xstrdup(DEFAULT_TITLE);
	cfg->base_url = NULL;	/* "http://<first listen>/", once known */
	cfg->interval_s = DEFAULT_INTERVAL_S;
	cfg->min_interval_s = DEFAULT_MIN_INTERVAL_S;
	cfg->max_interval_s = DEFAULT_MAX_INTERVAL_S;
	cfg->timeout_ms = DEFAULT_TIMEOUT_MS;
	cfg->max_feed_size = DEFAULT_MAX_FEED_SIZE;
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

/* For messages: "feed" and its name, or "section" and its name. */
static const char *block_kind(const struct reader *p)
{
	return p->block == BLOCK_FEED ? "feed" : "section";
}

static const char *block_name(const struct reader *p)
{
	return p->block == BLOCK_FEED ? p->cfg->feeds[p->index].name :
					p->cfg->sections[p->index].name;
}

/* ---- keys ---- */

static void bad_value(struct reader *p, const struct key *k,
		      const char *value, const char *expected)
{
	perr(p, "bad value '%s' for %s: expected %s", value, k->name, expected);
}

static void set_string(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

/* The file's first listen replaces the default, later ones add. */
static void set_listen(struct reader *p, const struct key *k,
		       const char *value)
{
	struct config *cfg = p->cfg;
	size_t i;

	if (!config_value_check_listen(value)) {
		bad_value(p, k, value,
			  "HOST:PORT or [IPV6]:PORT with PORT 1-65535");
		return;
	}
	if (!p->listen_replaced) {
		free_strings(cfg->listen, cfg->n_listen);
		cfg->listen = NULL;
		cfg->n_listen = 0;
		p->listen_replaced = 1;
	}
	for (i = 0; i < cfg->n_listen; i++) {
		if (strcmp(cfg->listen[i], value) == 0) {
			perr(p, "duplicate listen address '%s'", value);
			return;
		}
	}
	push_string(&cfg->listen, &cfg->n_listen, value);
}

static void set_base_url(struct reader *p, const struct key *k,
			 const char *value)
{
	size_t len = strlen(value);

	if (!config_value_check_url(value, 0)) {
		bad_value(p, k, value, "an http or https URL");
		return;
	}
	free(p->cfg->base_url);
	/* Self links are made by appending paths, so it must end in '/'. */
	p->cfg->base_url = xmalloc(len + 2);
	memcpy(p->cfg->base_url, value, len + 1);
	if (value[len - 1] != '/')
		memcpy(p->cfg->base_url + len, "/", 2);
}

/* "a, b,c": names of [section]s, checked once the whole file is read. */
static void set_sections(struct reader *p, const struct key *k,
			 const char *value)
{
	struct config_feed *f = &p->cfg->feeds[p->index];
	char *copy = xstrdup(value), *rest = copy, *name;
	size_t i;

	free_strings(f->sections, f->n_sections);
	f->sections = NULL;
	f->n_sections = 0;
	p->feed_lines[p->index].section = p->line;
	while ((name = strsep(&rest, ",")) != NULL) {
		name += strspn(name, WHITESPACE);
		name[strcspn(name, WHITESPACE)] = '\0';
		if (!config_value_check_name(name)) {
			bad_value(p, k, value, "section names separated by commas");
			break;
		}
		for (i = 0; i < f->n_sections; i++)
			if (strcmp(f->sections[i], name) == 0)
				break;
		if (i < f->n_sections)
			perr(p, "section '%s' listed twice in [feed %s]", name,
			     f->name);
		else
			push_string(&f->sections, &f->n_sections, name);
	}
	free(copy);
}

static void set_int(struct reader *p, const struct key *k, const char *value,
		    int *field)
{
	char expected[80];

	if (config_value_parse_int(value, k->min, k->max, field) == 0)
		return;
	if (k->min == INT_MIN)
		snprintf(expected, sizeof expected, "an integer");
	else if (k->max == INT_MAX)
		snprintf(expected, sizeof expected, "an integer of at least %d",
			 k->min);
	else
		snprintf(expected, sizeof expected,
			 "an integer from %d to %d", k->min, k->max);
	bad_value(p, k, value, expected);
}

static void *block_target(struct reader *p)
{
	if (p->block == BLOCK_SECTION)
		return &p->cfg->sections[p->index];
	if (p->block == BLOCK_FEED)
		return &p->cfg->feeds[p->index];
	return p->cfg;
}

/* yes/no, true/false, on/off, 1/0 (any case). */
static void set_bool(struct reader *p, const struct key *k, const char *value,
		     int *field)
{
	static const char *const yes[] = { "yes", "true", "on", "1", NULL };
	static const char *const no[] = { "no", "false", "off", "0", NULL };
	size_t i;

	for (i = 0; yes[i]; i++)
		if (strcasecmp(value, yes[i]) == 0) {
			*field = 1;
			return;
		}
	for (i = 0; no[i]; i++)
		if (strcasecmp(value, no[i]) == 0) {
			*field = 0;
			return;
		}
	bad_value(p, k, value, "yes or no");
}

static void set_value(struct reader *p, const struct key *k,
		      const char *value)
{
	char *field = (char *)block_target(p) + k->offset;
	int64_t n;

	switch (k->type) {
	case VAL_STRING:
		set_string((char **)field, value);
		break;
	case VAL_LISTEN:
		set_listen(p, k, value);
		break;
	case VAL_BASE_URL:
		set_base_url(p, k, value);
		break;
	case VAL_URL:
		p->feed_lines[p->index].url = p->line;
		if (config_value_check_url(value, 1))
			set_string((char **)field, value);
		else
			bad_value(p, k, value, "an http, https or file URL");
		break;
	case VAL_SECTIONS:
		set_sections(p, k, value);
		break;
	case VAL_DURATION:
	case VAL_TIMEOUT:
		if (config_parse_duration(value, &n) < 0 ||
		    (k->type == VAL_TIMEOUT && n > INT64_MAX / 1000))
			bad_value(p, k, value, "a duration such as 90, 90s, "
				  "15m, 2h or 1d");
		else if (k->type == VAL_TIMEOUT)
			*(int64_t *)field = n * 1000;
		else
			*(int64_t *)field = n;
		break;
	case VAL_SIZE:
		if (config_parse_size(value, &n) < 0)
			bad_value(p, k, value, "a size such as 512, 64K, 8M or 1G");
		else
			*(int64_t *)field = n;
		break;
	case VAL_INT:
		set_int(p, k, value, (int *)field);
		break;
	case VAL_BOOL:
		set_bool(p, k, value, (int *)field);
		break;
	}
}

static const struct key *find_key(enum block block, const char *name)
{
	size_t i;

	for (i = 0; i < N_KEYS; i++)
		if (keys[i].block == block && strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static void set_key(struct reader *p, const char *name, const char *value)
{
	const struct key *k;
	size_t i;

	if (p->block == BLOCK_SKIP)
		return;		/* under a bad header, already reported */
	k = find_key(p->block, name);
	if (!k && p->block == BLOCK_GLOBAL) {
		perr(p, "unknown key '%s' before any [section] or [feed]", name);
		return;
	}
	if (!k) {
		perr(p, "unknown key '%s' in [%s %s]", name, block_kind(p),
		     block_name(p));
		return;
	}
	i = (size_t)(k - keys);
	if (p->seen[i] && k->type != VAL_LISTEN) {
		if (p->block == BLOCK_GLOBAL)
			perr(p, "duplicate key '%s' (first set at line %d)",
			     name, p->seen[i]);
		else
			perr(p, "duplicate key '%s' in [%s %s] (first set at "
			     "line %d)", name, block_kind(p), block_name(p),
			     p->seen[i]);
		return;
	}
	p->seen[i] = p->line;
	if (p->block == BLOCK_GLOBAL)
		p->global_seen[i] = p->line;
	if (!*value) {
		perr(p, "empty value for %s", name);
		return;
	}
	set_value(p, k, value);
}

/* ---- lines ---- */

static char *trim(char *s)
{
	size_t len;

	s += strspn(s, WHITESPACE);
	len = strlen(s);
	while (len > 0 && strchr(WHITESPACE, s[len - 1]))
		s[--len] = '\0';
	return s;
}

/* Opens the block named by "[section NAME]" or "[feed NAME]". */
static void open_block(struct reader *p, const char *kind, const char *name)
{
	struct config *cfg = p->cfg;
	const struct config_section *s;
	const struct config_feed *f;

	if (!config_value_check_name(name))
		perr(p, "bad name '%s' in [%s %s]: use only letters, digits, "
		     "'_', '.' and '-'", name, kind, name);
	if (strcmp(kind, "section") == 0) {
		s = config_find_section(cfg, name);
		if (s)
			perr(p, "duplicate section '%s' (first defined at line %d)",
			     name, s->line);
		p->block = BLOCK_SECTION;
		p->index = config_add_section(cfg, name, NULL, p->line);
	} else {
		f = config_find_feed(cfg, name);
		if (f)
			perr(p, "duplicate feed '%s' (first defined at line %d)",
			     name, f->line);
		p->block = BLOCK_FEED;
		p->index = config_add_feed(p, xstrdup(name), cfg->path,
					   p->line);
	}
}

/* line is "[...]", trimmed.  Keys under a bad header are skipped. */
static void parse_header(struct reader *p, const char *line)
{
	char *copy = xstrdup(line);
	char *kind, *name, *rest;
	size_t len = strlen(copy);

	memset(p->seen, 0, sizeof p->seen);
	p->block = BLOCK_SKIP;
	kind = name = rest = "";
	if (copy[len - 1] == ']') {
		copy[len - 1] = '\0';
		kind = copy + 1 + strspn(copy + 1, WHITESPACE);
		name = kind + strcspn(kind, WHITESPACE);
		if (*name)
			*name++ = '\0';
		name += strspn(name, WHITESPACE);
		rest = name + strcspn(name, WHITESPACE);
		if (*rest)
			*rest++ = '\0';
		rest += strspn(rest, WHITESPACE);
	}
	if (*name && !*rest &&
	    (strcmp(kind, "section") == 0 || strcmp(kind, "feed") == 0))
		open_block(p, kind, name);
	else
		perr(p, "bad section header '%s': expected [section NAME] or "
		     "[feed NAME]", line);
	free(copy);
}

static void parse_line(struct reader *p, char *line)
{
	char *s, *eq;

	/* A UTF-8 byte order mark, as some editors write one. */
	if (p->line == 1 && strncmp(line, "\xEF\xBB\xBF", 3) == 0)
		line += 3;
	s = trim(line);
	/* Full-line comments only: values such as URLs may hold '#' or ';'. */
	if (!*s || *s == '#' || *s == ';')
		return;
	if (*s == '[') {
		parse_header(p, s);
		return;
	}
	eq = strchr(s, '=');
	if (!eq || eq == s) {
		perr(p, "expected 'key = value', not '%s'", s);
		return;
	}
	*eq = '\0';
	set_key(p, trim(s), trim(eq + 1));
}

static void read_lines(struct reader *p, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;

	while (getline(&line, &cap, f) != -1) {
		p->line++;
		parse_line(p, line);
	}
	if (ferror(f))
		config_problem(p, 0, p->path, 0, "cannot read: %s",
			       strerror(errno));
	free(line);
}

/* ---- checks once the whole file is read ---- */

static int global_line(const struct reader *p, const char *name)
{
	return p->global_seen[find_key(BLOCK_GLOBAL, name) - keys];
}

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
	int min_line = global_line(p, "min_interval");
	int max_line = global_line(p, "max_interval");

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
	read_lines(&p, f);
	fclose(f);
	check_feeds(&p);
	check_globals(&p);
	config_opml_import(&p, cfg, path, global_line(&p, "opml"));
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
	free_strings(cfg->listen, cfg->n_listen);
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
		free_strings(cfg->feeds[i].sections, cfg->feeds[i].n_sections);
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
