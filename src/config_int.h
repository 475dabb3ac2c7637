/*
 * config_int.h — what the configuration module's files share: config.c
 * (the public face, the defaults, the problems, the whole-config checks),
 * config_read.c (lines and [headers]), config_key.c (the key table and
 * what each key does), config_value.c (the value parsers and validators)
 * and config_opml.c (the OPML import).  Not a public interface; only
 * those files include it.
 */
#ifndef FEEDMUX_CONFIG_INT_H
#define FEEDMUX_CONFIG_INT_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"

#define CONFIG_WHITESPACE " \t\r\n\v\f"
#define CONFIG_MAX_KEYS 40	/* config_key.c checks its table fits */

/* Where the line being read belongs. */
enum config_block { BLOCK_GLOBAL, BLOCK_SECTION, BLOCK_FEED, BLOCK_SKIP };

struct problem;	/* config.c's: one reported problem */

/* The state of one config_load(): the config being built, where the
 * reader is, which keys it has seen, the problems found. */
struct reader {
	struct config *cfg;	/* being built; owned until returned */
	const char *path;	/* as given, for messages */
	int line;
	enum config_block block;
	size_t index;		/* of the current section or feed */
	int seen[CONFIG_MAX_KEYS];	/* line each key was set at in this block */
	int global_seen[CONFIG_MAX_KEYS];
	int listen_replaced;	/* the file's first listen dropped the default */
	struct feed_lines {
		int url, section;	/* where those keys are, or 0 */
	} *feed_lines;			/* one per feed */
	struct problem *problems;	/* owned */
	size_t n_problems;
};

/* ---- config.c: problems, and building the config ---- */

/*
 * Records a problem as "FILE:LINE: message" ("FILE: message" if line is
 * 0), printed when config_load() is done: config file problems first
 * (in_opml 0), then the OPML file's (in_opml 1), each sorted by line.
 * file and fmt are copied, not kept.
 */
void config_problem(struct reader *p, int in_opml, const char *file,
		    int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* A problem at the current line of the config file. */
#define perr(p, ...) config_problem((p), 0, (p)->path, (p)->line, __VA_ARGS__)

/* Appends a copy of s to the array *v of *n strings. */
void config_strings_push(char ***v, size_t *n, const char *s);
/* Frees the n strings of v and v itself. */
void config_strings_free(char **v, size_t n);

/* Appends a section named name (copied, as is title, which defaults to
 * name); returns its index.  Moves cfg->sections. */
size_t config_add_section(struct config *cfg, const char *name,
			  const char *title, int line);

/* Appends a feed, taking ownership of name (file is borrowed and must
 * outlive the config: cfg->path or cfg->opml); returns its index.  Moves
 * cfg->feeds. */
size_t config_add_feed(struct reader *p, char *name, const char *file,
		       int line);

/* ---- config_read.c ---- */

/* Reads f line by line into p->cfg; problems go to p. */
void config_read_lines(struct reader *p, FILE *f);

/* ---- config_key.c ---- */

/* Sets key name to value in the block being read (p->block), or reports
 * why not: unknown, duplicate, empty or bad value.  value is copied. */
void config_key_set(struct reader *p, const char *name, const char *value);
/* The line the global key name was set at, or 0. */
int config_key_line(const struct reader *p, const char *name);

/* ---- config_value.c: values (none allocates or keeps its argument) ---- */

/* An optional '-' and digits, within [min, max]: 0 and *out, or -1. */
int config_value_parse_int(const char *s, int min, int max, int *out);

/* The checks return 1 if s is valid, else 0. */
int config_value_check_listen(const char *s);	/* HOST:PORT, [IPV6]:PORT */
/* http or https with a host, or file if allow_file (any case). */
int config_value_check_url(const char *url, int allow_file);
int config_value_check_name(const char *s);	/* [CONFIG_NAME_CHARS]+ */

/* ---- config_opml.c ---- */

/*
 * If cfg->opml is set, replaces it by its path resolved against
 * config_path's directory (the config then owns that string, which the
 * imported feeds borrow as their file) and adds a feed per outline, and a
 * section per new category.  Problems go to p: against the OPML file's
 * lines, or against opml_line of config_path if the file cannot be read
 * at all.
 */
void config_opml_import(struct reader *p, struct config *cfg,
			const char *config_path, int opml_line);

#endif
