/*
 * test_log.c — log line format and verbosity (SPEC.md: Command line).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "tap.h"

/* Runs the log calls with stderr sent to a temp file; returns its text. */
static void capture(int journal, int verbosity, char *out, size_t outlen)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	size_t n;

	if (journal)
		setenv("JOURNAL_STREAM", "8:1234", 1);
	else
		unsetenv("JOURNAL_STREAM");
	log_init(verbosity);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	log_err("feed '%s': %s", "xinhua", "HTTP status 500");
	log_notice("listening");
	log_info("polled");
	log_debug("details");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, outlen - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
}

int main(void)
{
	char text[1024];

	capture(0, 0, text, sizeof text);
	is_str(text, "error: feed 'xinhua': HTTP status 500\nnotice: listening\n",
	       "log: plain level words; default verbosity stops at notice");
	capture(0, 1, text, sizeof text);
	ok(strstr(text, "info: polled\n") && !strstr(text, "debug"),
	   "log: -v adds info lines, not debug");
	capture(0, 2, text, sizeof text);
	ok(strstr(text, "debug: details\n") != NULL, "log: -vv adds debug lines");
	capture(1, 0, text, sizeof text);
	is_str(text, "<3>feed 'xinhua': HTTP status 500\n<5>listening\n",
	       "log: syslog priority prefixes when stderr is the journal");
	ok(log_enabled(LOG_LEVEL_ERR) && !log_enabled(LOG_LEVEL_INFO),
	   "log_enabled follows the verbosity");
	return done_testing();
}
