/*
 * config_int.h — what the configuration module's files share: config.c
 * (the INI reader, the keys, the whole-config checks and the public
 * face), config_value.c (the value parsers and validators) and
 * config_opml.c (the OPML import).  Not a public interface; only those
 * three files include it.
 */
#ifndef FEEDMUX_CONFIG_INT_H
#define FEEDMUX_CONFIG_INT_H

#include <stddef.h>

#include "config.h"

/* config.c's reader state (the config being built, the problems found);
 * opaque outside config.c. */
struct reader;

/* ---- config.c: what the OPML import builds with ---- */

/*
 * Records a problem as "FILE:LINE: message" ("FILE: message" if line is
 * 0), printed when config_load() is done: config file problems first
 * (in_opml 0), then the OPML file's (in_opml 1), each sorted by line.
 * file and fmt are copied, not kept.
 */
void config_problem(struct reader *p, int in_opml, const char *file,
		    int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Appends a section named name (copied, as is title, which defaults to
 * name); returns its index.  Moves cfg->sections. */
size_t config_add_section(struct config *cfg, const char *name,
			  const char *title, int line);

/* Appends a feed, taking ownership of name (file is borrowed and must
 * outlive the config: cfg->path or cfg->opml); returns its index.  Moves
 * cfg->feeds. */
size_t config_add_feed(struct reader *p, char *name, const char *file,
		       int line);

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
