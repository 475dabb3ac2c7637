/*
 * log.c — one line per event on stderr, journal-aware (SPEC.md).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

static int log_max = LOG_LEVEL_NOTICE;
static int log_journal;	/* stderr is the journal: "<N>" prefixes */

void log_init(int verbosity)
{
	log_max = LOG_LEVEL_NOTICE + (verbosity > 2 ? 2 : verbosity);
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

int log_enabled(enum log_level level)
{
	return (int)level <= log_max;
}

static const char *log_word(enum log_level level)
{
	switch (level) {
	case LOG_LEVEL_ERR: return "error";
	case LOG_LEVEL_WARNING: return "warning";
	case LOG_LEVEL_NOTICE: return "notice";
	case LOG_LEVEL_INFO: return "info";
	case LOG_LEVEL_DEBUG: return "debug";
	}
	return "log";
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	/* One fputs per line, so lines from a crash-restart never interleave. */
	if (log_journal)
		fprintf(stderr, "<%d>%s\n", (int)level, line);
	else
		fprintf(stderr, "%s: %s\n", log_word(level), line);
}
