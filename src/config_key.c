/*
 * config_key.c — the keys feedmux.conf knows: one table of every key with
 * the block it belongs to ([section], [feed] or before any), the type of
 * its value and the field it sets, and what setting each type does
 * (SPEC.md: Configuration file).  config_read.c hands each "key = value"
 * here; values are parsed and checked by config_value.c, and what is
 * refused is reported against the key's line.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "config.h"
#include "config_int.h"

#define MAX_LIMIT		1000	/* as for ?limit= (SPEC.md: HTTP) */

enum value_type {
	VAL_STRING, VAL_LISTEN, VAL_BASE_URL, VAL_URL, VAL_SECTIONS,
	VAL_DURATION, VAL_TIMEOUT, VAL_SIZE, VAL_INT, VAL_BOOL,
};

struct key {
	enum config_block block;
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
	GLOBAL("cache_size", VAL_SIZE, cache_size),
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

/* struct reader keeps a line per key. */
_Static_assert(N_KEYS <= CONFIG_MAX_KEYS, "raise CONFIG_MAX_KEYS");

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
		config_strings_free(cfg->listen, cfg->n_listen);
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
	config_strings_push(&cfg->listen, &cfg->n_listen, value);
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

	config_strings_free(f->sections, f->n_sections);
	f->sections = NULL;
	f->n_sections = 0;
	p->feed_lines[p->index].section = p->line;
	while ((name = strsep(&rest, ",")) != NULL) {
		name += strspn(name, CONFIG_WHITESPACE);
		name[strcspn(name, CONFIG_WHITESPACE)] = '\0';
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
			config_strings_push(&f->sections, &f->n_sections, name);
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

static const struct key *find_key(enum config_block block, const char *name)
{
	size_t i;

	for (i = 0; i < N_KEYS; i++)
		if (keys[i].block == block && strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

void config_key_set(struct reader *p, const char *name, const char *value)
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

int config_key_line(const struct reader *p, const char *name)
{
	return p->global_seen[find_key(BLOCK_GLOBAL, name) - keys];
}
