/*
 * test_config_dedupe.c — the dedupe settings of the configuration file:
 * dedupe_window and dedupe_threshold (global, with defaults) and the
 * per-feed dedupe = yes|no.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dedupe.h"
#include "tap.h"

static char dir[] = "/tmp/test_config_dedupe.XXXXXX";

/* Loads text as a config file; problems go to errs (caller frees). */
static struct config *load(const char *text, char **errs)
{
	char path[128];
	size_t len = 0;
	FILE *fp, *err;
	struct config *cfg;

	snprintf(path, sizeof path, "%s/c.conf", dir);
	fp = fopen(path, "w");
	if (!fp)
		return NULL;
	fputs(text, fp);
	fclose(fp);
	err = open_memstream(errs, &len);
	cfg = config_load(path, err);
	fclose(err);
	unlink(path);
	return cfg;
}

#define FEEDS "[section s]\n[feed a]\nurl = http://127.0.0.1/a\nsection = s\n"

int main(void)
{
	struct config *cfg;
	char *errs = NULL;

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	cfg = load("database = /tmp/x.db\n" FEEDS, &errs);
	ok(cfg != NULL, "config_dedupe_defaults_load");
	if (cfg) {
		is_int(cfg->dedupe_window_s, DEDUPE_DEFAULT_WINDOW_S,
		       "config_dedupe_window_default");
		is_int(cfg->dedupe_threshold, DEDUPE_DEFAULT_THRESHOLD_PCT,
		       "config_dedupe_threshold_default");
		is_int(cfg->feeds[0].dedupe, 1, "config_feed_dedupe_default_yes");
	}
	config_free(cfg);
	free(errs);

	cfg = load("dedupe_window = 2d\ndedupe_threshold = 85\n" FEEDS
		   "dedupe = no\n[feed b]\nurl = http://127.0.0.1/b\n"
		   "section = s\ndedupe = Yes\n", &errs);
	ok(cfg != NULL, "config_dedupe_set_loads");
	if (cfg) {
		is_int(cfg->dedupe_window_s, 2 * 86400, "config_dedupe_window_set");
		is_int(cfg->dedupe_threshold, 85, "config_dedupe_threshold_set");
		is_int(cfg->feeds[0].dedupe, 0, "config_feed_dedupe_no");
		is_int(cfg->feeds[1].dedupe, 1, "config_feed_dedupe_yes_any_case");
	}
	config_free(cfg);
	free(errs);

	cfg = load("dedupe_threshold = 0\n" FEEDS "dedupe = maybe\n", &errs);
	ok(cfg == NULL, "config_dedupe_bad_values_refused");
	ok(errs && strstr(errs, ":1:") && strstr(errs, "dedupe_threshold"),
	   "config_dedupe_threshold_error_has_line");
	ok(errs && strstr(errs, ":6:") && strstr(errs, "yes or no"),
	   "config_feed_dedupe_error_says_yes_or_no");
	if (errs)
		diag("%s", errs);
	config_free(cfg);
	free(errs);
	rmdir(dir);
	return done_testing();
}
