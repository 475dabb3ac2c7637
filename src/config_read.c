/*
 * config_read.c — the INI grammar of feedmux.conf (SPEC.md: Configuration
 * file): lines, full-line '#' and ';' comments, a UTF-8 byte order mark,
 * "[section NAME]" and "[feed NAME]" headers, and "key = value" lines,
 * whose keys config_key.c sets.  A bad line is reported and reading goes
 * on: config_load() wants every problem, not just the first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "config_int.h"

static char *trim(char *s)
{
	size_t len;

	s += strspn(s, CONFIG_WHITESPACE);
	len = strlen(s);
	while (len > 0 && strchr(CONFIG_WHITESPACE, s[len - 1]))
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
		kind = copy + 1 + strspn(copy + 1, CONFIG_WHITESPACE);
		name = kind + strcspn(kind, CONFIG_WHITESPACE);
		if (*name)
			*name++ = '\0';
		name += strspn(name, CONFIG_WHITESPACE);
		rest = name + strcspn(name, CONFIG_WHITESPACE);
		if (*rest)
			*rest++ = '\0';
		rest += strspn(rest, CONFIG_WHITESPACE);
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
	config_key_set(p, trim(s), trim(eq + 1));
}

void config_read_lines(struct reader *p, FILE *f)
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
