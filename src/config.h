/*
 * config.h — the configuration file (SPEC.md: Configuration file).
 *
 * One struct config holds every setting, filled from the defaults in
 * config.c and then from the file.  config_load() validates everything
 * before returning, so a caller either gets a complete, valid config or
 * nothing (a reload keeps the old one).
 */
#ifndef FEEDMUX_CONFIG_H
#define FEEDMUX_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CONFIG_NAME_CHARS \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"

struct config_section {
	char *name;
	char *title;		/* defaults to name */
	char *description;	/* NULL if not set */
	int line;		/* of its [section] header; 0 if made for OPML */
};

struct config_feed {
	char *name;
	char *url;		/* http, https or file */
	char **sections;	/* names of existing [section]s */
	size_t n_sections;
	char *title;		/* NULL: use the feed's own title */
	int64_t interval_s;	/* 0: the global interval */
	int priority;		/* default 0 */
	int dedupe;		/* 0: its items never merge with other feeds' (default 1) */
	const char *file;	/* borrowed from config: where it was defined */
	int line;
};

struct config {
	char *path;		/* the file this came from */
	char **listen;		/* "127.0.0.1:8080", "[::1]:8080" */
	size_t n_listen;
	char *database;
	char *title;
	char *base_url;		/* always ends with '/' */
	int64_t interval_s;
	int64_t min_interval_s;
	int64_t max_interval_s;
	int64_t timeout_ms;
	int64_t max_feed_size;	/* bytes */
	int64_t cache_size;	/* bytes of SQLite page cache */
	int concurrency;
	int per_host;
	char *user_agent;
	char *ca_file;		/* PEM CA certificates for https feeds; NULL: the system's */
	int64_t retention_s;
	int64_t dedupe_window_s;	/* copies of a story are this close in time */
	int dedupe_threshold;	/* percent of lead overlap that makes a copy */
	int limit;
	char *opml;		/* NULL if not set */
	char *icon;		/* URL of the output feeds' icon, NULL if not set */
	struct config_section *sections;
	size_t n_sections;
	struct config_feed *feeds;	/* from the file, then from opml */
	size_t n_feeds;
};

/*
 * Reads and validates path.  Each problem is written to errors as one line
 * "FILE:LINE: message" (every problem, not just the first).  Returns a
 * config the caller frees with config_free(), or NULL if there was any
 * problem (including a missing file).
 */
struct config *config_load(const char *path, FILE *errors);
void config_free(struct config *cfg);

const struct config_feed *config_find_feed(const struct config *cfg,
					   const char *name);
const struct config_section *config_find_section(const struct config *cfg,
						 const char *name);

/*
 * Value parsers, exposed for tests.  Return 0 and fill *out, or -1.  Both
 * take digits only (no sign, no spaces) and a value above 0; durations a
 * suffix s, m, h or d (none: seconds), sizes K, M or G (1024-based, either
 * case; none: bytes).  A result that would overflow int64_t is refused.
 */
int config_parse_duration(const char *s, int64_t *out_s);	/* "90", "15m", "2h", "1d" */
int config_parse_size(const char *s, int64_t *out_bytes);	/* "512", "8M", "1G" */

#endif
