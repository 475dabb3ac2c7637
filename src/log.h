/*
 * log.h — one line per event on stderr.
 *
 * When stderr is the journal (JOURNAL_STREAM set) each line starts with a
 * syslog priority prefix "<N>"; otherwise with a plain level word
 * ("error:", "warning:", "info:", "debug:").
 */
#ifndef FEEDMUX_LOG_H
#define FEEDMUX_LOG_H

enum log_level {
	LOG_LEVEL_ERR = 3,
	LOG_LEVEL_WARNING = 4,
	LOG_LEVEL_NOTICE = 5,
	LOG_LEVEL_INFO = 6,
	LOG_LEVEL_DEBUG = 7,
};

/* verbosity 0 logs up to NOTICE, 1 adds INFO, 2 and more add DEBUG. */
void log_init(int verbosity);
int log_enabled(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_LEVEL_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_LEVEL_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
