/*
 * test_config.c — the configuration file and OPML import (SPEC.md:
 * Configuration file).  Config files are written to a mkdtemp directory;
 * OPML fixtures come from $top_srcdir/tests/data/config.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

/* Relative to this file: the build's -I. may hold some other config.h. */
#include "../src/config.h"
#include "../src/opml.h"
#include "tap.h"

static char tmpdir[] = "/tmp/test_config.XXXXXX";
static char datadir[PATH_MAX];

/* Returns tmpdir/name; the caller frees it. */
static char *tmp_path(const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", tmpdir, name) < 0)
		abort();
	return p;
}

static char *data_path(const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", datadir, name) < 0)
		abort();
	return p;
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

/* config_load(path); *errs gets what it printed (the caller frees it). */
static struct config *load_path(const char *path, char **errs)
{
	struct config *cfg;
	size_t len;
	FILE *f = open_memstream(errs, &len);

	if (!f)
		abort();
	cfg = config_load(path, f);
	fclose(f);
	return cfg;
}

/* Writes text to tmpdir/name and loads it. */
static struct config *load(const char *name, const char *text, char **errs)
{
	char *path = tmp_path(name);
	struct config *cfg;

	put_file(path, text);
	cfg = load_path(path, errs);
	free(path);
	return cfg;
}

/* want is "LINE: message\n..." lines; each gets "FILE:" in front. */
static char *with_file(const char *file, const char *want)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);
	const char *nl;

	while (*want) {
		nl = strchrnul(want, '\n');
		fprintf(f, "%s:%.*s\n", file, (int)(nl - want), want);
		want = *nl ? nl + 1 : nl;
	}
	fclose(f);
	return out;
}

/* Loads text as tmpdir/name and expects exactly the want lines. */
static void expect_errors(const char *test, const char *text, const char *want)
{
	char *path = tmp_path("errors.conf");
	char *errs = NULL, *expected = with_file(path, want);
	struct config *cfg;

	put_file(path, text);
	cfg = load_path(path, &errs);
	ok(cfg == NULL, test);
	is_str(errs, expected, test);
	config_free(cfg);
	free(errs);
	free(expected);
	free(path);
}

/* Loads text and expects it to be valid. */
static struct config *expect_valid(const char *test, const char *text)
{
	char *errs = NULL;
	struct config *cfg = load("valid.conf", text, &errs);

	ok(cfg != NULL, test);
	is_str(errs, "", test);
	free(errs);
	return cfg;
}

static void test_defaults(void)
{
	struct config *cfg = expect_valid("empty_file_is_valid", "# nothing\n");

	if (!cfg)
		return;
	is_int(cfg->n_listen, 1, "default_listen_count");
	is_str(cfg->listen[0], "127.0.0.1:8080", "default_listen");
	is_str(cfg->database, "/var/lib/feedmux/feedmux.db", "default_database");
	is_str(cfg->title, "feedmux", "default_title");
	is_str(cfg->base_url, "http://127.0.0.1:8080/", "default_base_url_from_listen");
	is_int(cfg->interval_s, 15 * 60, "default_interval_15m");
	is_int(cfg->min_interval_s, 5 * 60, "default_min_interval_5m");
	is_int(cfg->max_interval_s, 6 * 3600, "default_max_interval_6h");
	is_int(cfg->timeout_ms, 30000, "default_timeout_30s");
	is_int(cfg->max_feed_size, 8 * 1024 * 1024, "default_max_feed_size_8M");
	is_int(cfg->cache_size, 16 * 1024 * 1024, "default_cache_size_16M");
	is_int(cfg->concurrency, 32, "default_concurrency");
	is_int(cfg->per_host, 2, "default_per_host");
	ok(cfg->ca_file == NULL, "default_ca_file_is_the_system_bundle");
	ok(strncmp(cfg->user_agent, "feedmux/", 8) == 0 && cfg->user_agent[8] != ' ',
	   "default_user_agent_names_version");
	ok(strstr(cfg->user_agent, " (+https://github.com/feedmux/feedmux)") != NULL,
	   "default_user_agent_has_project_url");
	is_int(cfg->retention_s, 30 * 86400, "default_retention_30d");
	is_int(cfg->limit, 50, "default_limit");
	is_str(cfg->opml, NULL, "default_no_opml");
	is_int(cfg->n_feeds, 0, "default_no_feeds");
	is_int(cfg->n_sections, 0, "default_no_sections");
	config_free(cfg);
}

static void test_every_key(void)
{
	char *path = data_path("full.conf"), *errs = NULL;
	struct config *cfg = load_path(path, &errs);
	const struct config_feed *f;
	const struct config_section *s;

	ok(cfg != NULL, "full_conf_is_valid");
	is_str(errs, "", "full_conf_no_errors");
	free(errs);
	free(path);
	if (!cfg)
		return;
	is_int(cfg->n_listen, 2, "listen_repeat_count");
	is_str(cfg->listen[0], "127.0.0.2:9090", "listen_first_replaces_default");
	is_str(cfg->listen[1], "[::1]:9091", "listen_second_adds_ipv6");
	is_str(cfg->database, "/srv/feedmux/news.db", "key_database");
	is_str(cfg->title, "Wire Watch", "key_title");
	is_str(cfg->base_url, "https://news.example.org/mux/", "base_url_gets_trailing_slash");
	is_int(cfg->interval_s, 1200, "key_interval");
	is_int(cfg->min_interval_s, 120, "key_min_interval");
	is_int(cfg->max_interval_s, 12 * 3600, "key_max_interval");
	is_int(cfg->timeout_ms, 45000, "key_timeout_in_ms");
	is_int(cfg->max_feed_size, 512 * 1024, "key_max_feed_size");
	is_int(cfg->cache_size, 24 * 1024 * 1024, "key_cache_size");
	is_int(cfg->concurrency, 8, "key_concurrency");
	is_int(cfg->per_host, 3, "key_per_host");
	is_str(cfg->user_agent, "WireWatch/2.0 (+https://news.example.org/about#bot; contact)",
	       "value_keeps_hash_and_semicolon");
	is_str(cfg->ca_file, "/etc/feedmux/private-ca.pem", "key_ca_file");
	is_int(cfg->retention_s, 7 * 86400, "key_retention");
	is_int(cfg->limit, 100, "key_limit");
	is_int(cfg->n_sections, 2, "two_sections");
	s = config_find_section(cfg, "world");
	is_str(s ? s->title : NULL, "World News", "section_title");
	is_str(s ? s->description : NULL, "Wire stories from everywhere; deduplicated.",
	       "section_description");
	s = config_find_section(cfg, "tech");
	is_str(s ? s->title : NULL, "tech", "section_title_defaults_to_name");
	is_str(s ? s->description : "set", NULL, "section_description_default_null");
	ok(config_find_section(cfg, "sport") == NULL, "find_section_unknown_is_null");
	is_int(cfg->n_feeds, 2, "two_feeds");
	f = config_find_feed(cfg, "reuters-world");
	ok(f != NULL, "find_feed_by_name");
	if (f) {
		is_str(f->url, "https://feeds.example.com/reuters/world.rss#top", "feed_url");
		is_int(f->n_sections, 2, "feed_two_sections");
		is_str(f->n_sections > 1 ? f->sections[0] : NULL, "world", "feed_section_1");
		is_str(f->n_sections > 1 ? f->sections[1] : NULL, "tech", "feed_section_2");
		is_str(f->title, "Reuters: World", "feed_title");
		is_int(f->interval_s, 90, "feed_interval");
		is_int(f->priority, -3, "feed_priority_negative");
		is_int(f->line, 27, "feed_line_is_header_line");
		ok(f->file == cfg->path, "feed_file_is_config_path");
	}
	f = config_find_feed(cfg, "local.file_1");
	is_str(f ? f->url : NULL, "FILE:///var/lib/feedmux/local.xml",
	       "feed_file_url_scheme_case_insensitive");
	is_str(f ? f->title : "set", NULL, "feed_title_default_null");
	is_int(f ? f->interval_s : -1, 0, "feed_interval_default_0");
	is_int(f ? f->n_sections : 9, 0, "feed_without_section_key");
	is_int(f ? f->priority : -1, 10, "feed_priority");
	ok(config_find_feed(cfg, "nope") == NULL, "find_feed_unknown_is_null");
	config_free(cfg);
}

static void test_durations(void)
{
	static const struct { const char *in; int64_t want; } good[] = {
		{ "90", 90 }, { "90s", 90 }, { "15m", 900 }, { "2h", 7200 },
		{ "1d", 86400 }, { "1", 1 }, { "0090", 90 },
		{ "9223372036854775807", INT64_MAX },
		{ "106751991167300d", 106751991167300LL * 86400 },
	};
	static const char *bad[] = {
		"", "0", "0s", "-5", "+5", "5x", "5 m", " 5", "5 ", "m", "15mm",
		"1.5h", "15M", "5S", "1e3", "0x10", "9223372036854775808",
		"106751991167301d", "99999999999999999999s",
	};
	int64_t got;
	size_t i;
	char name[96];

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		got = -1;
		snprintf(name, sizeof name, "duration_parses_'%s'", good[i].in);
		ok(config_parse_duration(good[i].in, &got) == 0, name);
		is_int(got, good[i].want, name);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(name, sizeof name, "duration_rejects_'%s'", bad[i]);
		is_int(config_parse_duration(bad[i], &got), -1, name);
	}
}

static void test_sizes(void)
{
	static const struct { const char *in; int64_t want; } good[] = {
		{ "512", 512 }, { "64K", 65536 }, { "64k", 65536 },
		{ "8M", 8388608 }, { "1G", 1073741824 }, { "3g", 3221225472LL },
		{ "8589934591G", 8589934591LL * 1073741824 },
	};
	static const char *bad[] = {
		"", "0", "0K", "-1", "+1", "8MB", "8 M", "1.5M", "M", "8T", "8b",
		"8589934592G", "99999999999999999999",
	};
	int64_t got;
	size_t i;
	char name[96];

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		got = -1;
		snprintf(name, sizeof name, "size_parses_'%s'", good[i].in);
		ok(config_parse_size(good[i].in, &got) == 0, name);
		is_int(got, good[i].want, name);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(name, sizeof name, "size_rejects_'%s'", bad[i]);
		is_int(config_parse_size(bad[i], &got), -1, name);
	}
}

static void test_listen(void)
{
	static const char *bad[] = {
		"127.0.0.1", "127.0.0.1:", ":8080", "127.0.0.1:0",
		"127.0.0.1:65536", "127.0.0.1:80x", "::1:8080", "[::1]8080",
		"[::1]:", "[]:80", "[zz::1]:80", "[127.0.0.1]:80", "300.1.1.1:80",
		"local_host:80", "[::1:80", "*:80",
	};
	struct config *cfg;
	char text[128], want[256], name[96];
	size_t i;

	cfg = expect_valid("listen_ipv6_valid", "listen = [::1]:8081\n");
	if (cfg) {
		is_int(cfg->n_listen, 1, "listen_ipv6_replaces_default");
		is_str(cfg->base_url, "http://[::1]:8081/", "base_url_keeps_ipv6_brackets");
	}
	config_free(cfg);
	cfg = expect_valid("listen_hostname_valid",
			   "listen = localhost:65535\nlisten = 0.0.0.0:1\n"
			   "listen = [::]:8080\n");
	if (cfg) {
		is_int(cfg->n_listen, 3, "listen_three_lines_three_addresses");
		is_str(cfg->base_url, "http://localhost:65535/", "base_url_from_first_listen");
		is_str(cfg->listen[2], "[::]:8080", "listen_third_kept_in_order");
	}
	config_free(cfg);
	cfg = expect_valid("base_url_with_slash_valid",
			   "base_url = http://feeds.example.org/\n");
	is_str(cfg ? cfg->base_url : NULL, "http://feeds.example.org/",
	       "base_url_slash_not_doubled");
	config_free(cfg);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "title = t\nlisten = %s\n", bad[i]);
		snprintf(want, sizeof want, "2: bad value '%s' for listen: expected "
			 "HOST:PORT or [IPV6]:PORT with PORT 1-65535\n", bad[i]);
		snprintf(name, sizeof name, "listen_rejects_'%s'", bad[i]);
		expect_errors(name, text, want);
	}
	expect_errors("listen_duplicate_address",
		      "listen = 127.0.0.1:80\nlisten = 127.0.0.1:80\n",
		      "2: duplicate listen address '127.0.0.1:80'\n");
}

static void test_feed_sections(void)
{
	struct config *cfg = expect_valid("sections_after_use_valid",
		"[feed a]\nurl = http://a.example/\nsection =  x ,y,z  \n"
		"[section z]\n[section y]\n[section x]\ntitle = Ex\n");
	const struct config_feed *f;

	if (!cfg)
		return;
	f = config_find_feed(cfg, "a");
	is_int(f ? f->n_sections : 0, 3, "feed_three_sections_trimmed");
	if (f && f->n_sections == 3) {
		is_str(f->sections[0], "x", "feed_sections_in_order_1");
		is_str(f->sections[1], "y", "feed_sections_in_order_2");
		is_str(f->sections[2], "z", "feed_sections_in_order_3");
	}
	is_str(config_find_section(cfg, "x")->title, "Ex", "section_defined_after_use_title");
	config_free(cfg);
}

static void test_urls(void)
{
	struct config *cfg = expect_valid("url_schemes_valid",
		"[feed a]\nurl = HTTPS://A.example/f\n"
		"[feed b]\nurl = Http://b.example:8080/x?y=1#z\n"
		"[feed c]\nurl = file:///tmp/c.xml\n");

	is_int(cfg ? cfg->n_feeds : 0, 3, "url_schemes_three_feeds");
	config_free(cfg);
	expect_errors("url_rejects_other_schemes",
		"[feed a]\nurl = ftp://a.example/f\n"
		"[feed b]\nurl = a.example/feed\n"
		"[feed c]\nurl = http://\n"
		"[feed d]\nurl = javascript:alert(1)\n",
		"2: bad value 'ftp://a.example/f' for url: expected an http, https or file URL\n"
		"4: bad value 'a.example/feed' for url: expected an http, https or file URL\n"
		"6: bad value 'http://' for url: expected an http, https or file URL\n"
		"8: bad value 'javascript:alert(1)' for url: expected an http, https or file URL\n");
	expect_errors("base_url_must_be_http",
		"base_url = file:///srv/www\n",
		"1: bad value 'file:///srv/www' for base_url: expected an http or https URL\n");
}

static void test_error_kinds(void)
{
	expect_errors("unknown_global_key",
		"title = x\nfoo = 1\n",
		"2: unknown key 'foo' before any [section] or [feed]\n");
	expect_errors("unknown_feed_key",
		"[feed x]\nurl = http://a.example/\ndatabase = /x\n",
		"3: unknown key 'database' in [feed x]\n");
	expect_errors("unknown_section_key",
		"[section s]\nurl = http://a.example/\n",
		"2: unknown key 'url' in [section s]\n");
	expect_errors("bad_duration_value_quoted",
		"interval = 15 minutes\n",
		"1: bad value '15 minutes' for interval: expected a duration "
		"such as 90, 90s, 15m, 2h or 1d\n");
	expect_errors("bad_feed_interval",
		"[feed x]\nurl = http://a.example/\ninterval = 0\n",
		"3: bad value '0' for interval: expected a duration such as "
		"90, 90s, 15m, 2h or 1d\n");
	expect_errors("bad_size_value",
		"max_feed_size = 8MB\n",
		"1: bad value '8MB' for max_feed_size: expected a size such as "
		"512, 64K, 8M or 1G\n");
	expect_errors("timeout_overflowing_ms",
		"timeout = 9223372036854776s\n",
		"1: bad value '9223372036854776s' for timeout: expected a duration "
		"such as 90, 90s, 15m, 2h or 1d\n");
	expect_errors("limit_out_of_range",
		"limit = 0\nlimit = 1001\n",
		"1: bad value '0' for limit: expected an integer from 1 to 1000\n"
		"2: duplicate key 'limit' (first set at line 1)\n");
	expect_errors("limit_above_1000",
		"limit = 1001\n",
		"1: bad value '1001' for limit: expected an integer from 1 to 1000\n");
	expect_errors("limit_not_a_number",
		"limit = ten\n",
		"1: bad value 'ten' for limit: expected an integer from 1 to 1000\n");
	expect_errors("concurrency_and_per_host_at_least_1",
		"concurrency = 0\nper_host = -1\n",
		"1: bad value '0' for concurrency: expected an integer of at least 1\n"
		"2: bad value '-1' for per_host: expected an integer of at least 1\n");
	expect_errors("concurrency_overflow",
		"concurrency = 2147483648\n",
		"1: bad value '2147483648' for concurrency: expected an integer of at least 1\n");
	expect_errors("priority_not_integer",
		"[feed x]\nurl = http://a.example/\npriority = high\n",
		"3: bad value 'high' for priority: expected an integer\n");
	expect_errors("min_interval_above_max_interval",
		"max_interval = 1h\nmin_interval = 2h\n",
		"2: min_interval (7200s) is greater than max_interval (3600s)\n");
	expect_errors("min_interval_above_default_max",
		"title = t\nmin_interval = 7h\n",
		"2: min_interval (25200s) is greater than max_interval (21600s)\n");
	expect_errors("duplicate_feed_name",
		"[feed x]\nurl = http://a.example/\n\n[feed x]\nurl = http://b.example/\n",
		"4: duplicate feed 'x' (first defined at line 1)\n");
	expect_errors("duplicate_section_name",
		"[section s]\n[section t]\n[section s]\n",
		"3: duplicate section 's' (first defined at line 1)\n");
	expect_errors("same_name_for_feed_and_section_is_fine_but_dup_key_is_not",
		"[section x]\n[feed x]\nurl = http://a.example/\nurl = http://b.example/\n",
		"4: duplicate key 'url' in [feed x] (first set at line 3)\n");
	expect_errors("duplicate_global_key",
		"title = a\ntitle = b\n",
		"2: duplicate key 'title' (first set at line 1)\n");
	expect_errors("undefined_section_at_section_key_line",
		"[feed x]\nurl = http://a.example/\n\nsection = a, b\n[section a]\n",
		"4: undefined section 'b' in [feed x]\n");
	expect_errors("section_listed_twice",
		"[section a]\n[feed x]\nurl = http://a.example/\nsection = a,a\n",
		"4: section 'a' listed twice in [feed x]\n");
	expect_errors("empty_section_name_in_list",
		"[section a]\n[feed x]\nurl = http://a.example/\nsection = a,,\n",
		"4: bad value 'a,,' for section: expected section names "
		"separated by commas\n");
	expect_errors("feed_without_url_at_header_line",
		"[section a]\n\n[feed nourl]\nsection = a\ntitle = T\n",
		"3: feed 'nourl' has no url\n");
	expect_errors("bad_header_forms",
		"[feed]\n[section a b]\n[news x]\n[feed x\n[ ]\nurl = skipped\n",
		"1: bad section header '[feed]': expected [section NAME] or [feed NAME]\n"
		"2: bad section header '[section a b]': expected [section NAME] or [feed NAME]\n"
		"3: bad section header '[news x]': expected [section NAME] or [feed NAME]\n"
		"4: bad section header '[feed x': expected [section NAME] or [feed NAME]\n"
		"5: bad section header '[ ]': expected [section NAME] or [feed NAME]\n");
	expect_errors("bad_name_still_checks_keys",
		"[feed a/b]\nurl = gopher://x/\n",
		"1: bad name 'a/b' in [feed a/b]: use only letters, digits, "
		"'_', '.' and '-'\n"
		"2: bad value 'gopher://x/' for url: expected an http, https or file URL\n");
	expect_errors("line_not_key_value",
		"just some words\n= value\n",
		"1: expected 'key = value', not 'just some words'\n"
		"2: expected 'key = value', not '= value'\n");
	expect_errors("empty_value",
		"database =\n",
		"1: empty value for database\n");
	expect_errors("errors_sorted_by_line",
		"[feed a]\nsection = s\n[feed b]\nurl = http://b.example/\nbogus = 1\n",
		"1: feed 'a' has no url\n"
		"2: undefined section 's' in [feed a]\n"
		"5: unknown key 'bogus' in [feed b]\n");
}

static void test_error_edges(void)
{
	char *errs = NULL, *path = tmp_path("does-not-exist.conf"), *want;
	struct config *cfg = load_path(path, &errs);

	ok(cfg == NULL, "missing_file_is_null");
	if (asprintf(&want, "%s: cannot open: No such file or directory\n", path) < 0)
		abort();
	is_str(errs, want, "missing_file_message_has_no_line");
	free(want);
	free(errs);
	free(path);
	ok(config_load("/nonexistent-dir/x.conf", NULL) == NULL,
	   "missing_file_null_errors_stream_ok");
	config_free(NULL);
	ok(1, "config_free_null_is_safe");

	cfg = expect_valid("comments_blank_lines_crlf_bom",
		"\xEF\xBB\xBF# comment\r\n; another = comment\r\n\r\n"
		"   # indented comment\n\ttitle\t=  spaced  out  \r\n");
	is_str(cfg ? cfg->title : NULL, "spaced  out", "value_trimmed_inner_space_kept");
	config_free(cfg);
}

static void test_three_mistakes(void)
{
	char *path = data_path("three-mistakes.conf"), *errs = NULL, *want;
	struct config *cfg = load_path(path, &errs);
	const char *s;
	int lines = 0;

	ok(cfg == NULL, "three_mistakes_rejected");
	for (s = errs; s && *s; s++)
		lines += *s == '\n';
	is_int(lines, 3, "three_mistakes_three_lines");
	want = with_file(path,
		"11: unknown key 'colour' before any [section] or [feed]\n"
		"18: bad value '15 minutes' for interval: expected a duration "
		"such as 90, 90s, 15m, 2h or 1d\n"
		"19: undefined section 'sport' in [feed wire]\n");
	is_str(errs, want, "three_mistakes_exact_lines");
	config_free(cfg);
	free(want);
	free(errs);
	free(path);
}

/* Loads a config whose only key is "opml = opml" (plus extra). */
static struct config *load_opml(const char *opml, const char *extra,
				char **errs)
{
	char *text;
	struct config *cfg;

	if (asprintf(&text, "opml = %s\n%s", opml, extra) < 0)
		abort();
	cfg = load("opml.conf", text, errs);
	free(text);
	return cfg;
}

static void check_feed(const struct config *cfg, const char *name,
		       const char *url, const char *title, const char *section)
{
	const struct config_feed *f = config_find_feed(cfg, name);
	char test[128];

	snprintf(test, sizeof test, "opml_feed_%s_exists", name);
	if (!ok(f != NULL, test))
		return;
	snprintf(test, sizeof test, "opml_feed_%s_url", name);
	is_str(f->url, url, test);
	snprintf(test, sizeof test, "opml_feed_%s_title", name);
	is_str(f->title, title, test);
	snprintf(test, sizeof test, "opml_feed_%s_section", name);
	is_str(f->n_sections ? f->sections[0] : NULL, section, test);
}

static void test_opml_nested(void)
{
	char *path = data_path("nested.opml"), *errs = NULL;
	struct config *cfg = load_opml(path, "[section asia]\ntitle = Asia Desk\n", &errs);
	const struct config_section *s;
	const struct config_feed *f;

	ok(cfg != NULL, "opml_nested_valid");
	is_str(errs, "", "opml_nested_no_errors");
	if (cfg) {
		is_str(cfg->opml, path, "opml_absolute_path_kept");
		is_int(cfg->n_feeds, 4, "opml_outlines_without_xmlurl_ignored");
		check_feed(cfg, "reuters-world", "https://r.example/world.rss",
			   "Reuters World", "world-news");
		check_feed(cfg, "xinhua-asia-pacific", "http://x.example/asia.xml",
			   "Xinhua: Asia & Pacific", "asia");
		check_feed(cfg, "top-level-feed", "http://t.example/feed",
			   "Top Level Feed", NULL);
		check_feed(cfg, "only-a-title", "https://o.example/atom",
			   "Only A Title", NULL);
		s = config_find_section(cfg, "world-news");
		is_str(s ? s->title : NULL, "World News", "opml_category_creates_section");
		s = config_find_section(cfg, "asia");
		is_str(s ? s->title : NULL, "Asia Desk", "opml_category_uses_existing_section");
		ok(config_find_section(cfg, "empty-category") == NULL,
		   "opml_category_without_feeds_makes_no_section");
		f = config_find_feed(cfg, "xinhua-asia-pacific");
		ok(f && f->file == cfg->opml, "opml_feed_file_is_opml_path");
		is_int(f ? f->line : 0, 8, "opml_feed_line_is_outline_line");
	}
	config_free(cfg);
	free(errs);
	free(path);
}

static void test_opml_collisions(void)
{
	char *path = data_path("collide.opml"), *errs = NULL;
	struct config *cfg = load_opml(path,
		"[feed same-name]\nurl = http://mine.example/\n[section tech]\n", &errs);

	ok(cfg != NULL, "opml_collisions_valid");
	is_str(errs, "", "opml_collisions_no_errors");
	if (cfg) {
		is_int(cfg->n_feeds, 6, "opml_collisions_all_feeds_kept");
		is_str(config_find_feed(cfg, "same-name")->url, "http://mine.example/",
		       "opml_config_feed_keeps_its_name");
		check_feed(cfg, "same-name-2", "http://a.example/1", "Same Name", "tech");
		check_feed(cfg, "same-name-3", "http://a.example/2", "same-name", "tech");
		check_feed(cfg, "same-name-4", "http://a.example/3", "SAME NAME!", "tech");
		check_feed(cfg, "feed", "http://a.example/4", NULL, "tech");
		check_feed(cfg, "feed-2", "http://a.example/5", NULL, "tech");
		is_int(cfg->n_sections, 1, "opml_existing_section_not_duplicated");
	}
	config_free(cfg);
	free(errs);
	free(path);
}

static void test_opml_rejects(void)
{
	char *path = data_path("fileurl.opml"), *errs = NULL, *want;
	struct config *cfg = load_opml(path, "", &errs);

	ok(cfg == NULL, "opml_file_url_rejected");
	want = with_file(path,
		"6: bad xmlUrl 'file:///etc/passwd': expected an http or https URL\n"
		"7: bad xmlUrl 'gopher://old.example/1': expected an http or https URL\n");
	is_str(errs, want, "opml_bad_scheme_reported_at_outline_line");
	config_free(cfg);
	free(want);
	free(errs);
	free(path);

	path = data_path("broken.opml");
	cfg = load_opml(path, "", &errs);
	ok(cfg == NULL, "opml_not_well_formed_rejected");
	/* libxml2 2.9.14's wording; the first error, not its echoes. */
	want = with_file(path, "6: Opening and ending tag mismatch: "
			 "outline line 5 and body\n");
	is_str(errs, want, "opml_parse_error_first_error_at_its_line");
	config_free(cfg);
	free(want);
	free(errs);
	free(path);

	path = tmp_path("rss.opml");
	put_file(path, "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"/>\n");
	want = with_file(path, "2: not an OPML file: the root element is <rss>\n");
	cfg = load_opml("rss.opml", "", &errs);
	ok(cfg == NULL, "opml_other_root_rejected");
	is_str(errs, want, "opml_other_root_message");
	config_free(cfg);
	free(want);
	free(errs);

	free(path);
	path = tmp_path("errors.conf");
	if (asprintf(&want, "%s:2: opml file '%s/missing.opml': cannot read: "
		     "No such file or directory\n", path, tmpdir) < 0)
		abort();
	put_file(path, "title = t\nopml = missing.opml\n");
	cfg = load_path(path, &errs);
	ok(cfg == NULL, "opml_unreadable_rejected");
	is_str(errs, want, "opml_unreadable_reported_at_opml_key_line");
	config_free(cfg);
	free(errs);
	free(want);
	free(path);
}

/* No feed, section or message may carry text from the entity's file. */
static int leaked(const struct config *cfg, const char *errs, const char *mark)
{
	size_t i;

	if (strstr(errs ? errs : "", mark))
		return 1;
	for (i = 0; cfg && i < cfg->n_feeds; i++)
		if (strstr(cfg->feeds[i].name, mark) ||
		    strstr(cfg->feeds[i].url, mark) ||
		    (cfg->feeds[i].title && strstr(cfg->feeds[i].title, mark)))
			return 1;
	for (i = 0; cfg && i < cfg->n_sections; i++)
		if (strstr(cfg->sections[i].name, mark) ||
		    strstr(cfg->sections[i].title, mark))
			return 1;
	return 0;
}

static void test_opml_xxe(void)
{
	char *path = data_path("xxe.opml"), *errs = NULL, *want, *secret, *opml;
	struct config *cfg = load_opml(path, "", &errs);
	xmlExternalEntityLoader before = xmlGetExternalEntityLoader();

	ok(cfg == NULL, "opml_xxe_in_attribute_rejected");
	want = with_file(path, "8: Attribute references external entity 'x'\n");
	is_str(errs, want, "opml_xxe_in_attribute_message");
	ok(!leaked(cfg, errs, "root:"), "opml_xxe_etc_passwd_not_read");
	config_free(cfg);
	free(want);
	free(errs);
	free(path);

	/*
	 * The entity's file holds an outline: expanded, it would add a feed.
	 * In element content an unexpanded reference is legal XML, so this
	 * also parses; nothing of the file may show.
	 */
	secret = tmp_path("secret.xml");
	put_file(secret, "<outline text=\"SECRET\" xmlUrl=\"http://secret.example/\"/>\n");
	opml = tmp_path("xxe2.opml");
	if (asprintf(&want, "<?xml version=\"1.0\"?>\n"
		     "<!DOCTYPE opml [\n<!ENTITY x SYSTEM \"file://%s\">\n]>\n"
		     "<opml version=\"2.0\"><head><title>&x;</title></head>\n"
		     "<body>&x;<outline text=\"Fine\" xmlUrl=\"http://fine.example/\">"
		     "&x;</outline></body></opml>\n", secret) < 0)
		abort();
	put_file(opml, want);
	free(want);
	cfg = load_opml("xxe2.opml", "", &errs);
	ok(!leaked(cfg, errs, "SECRET") && !leaked(cfg, errs, "secret.example"),
	   "opml_xxe_in_content_not_expanded");
	is_int(cfg ? (int)cfg->n_feeds : -1, 1, "opml_xxe_in_content_only_real_outline");
	ok(xmlGetExternalEntityLoader() == before, "opml_restores_entity_loader");
	is_str(errs, "", "opml_xxe_in_content_no_errors");
	config_free(cfg);
	free(errs);
	free(secret);
	free(opml);
}

static void test_opml_relative_path(void)
{
	char *sub = tmp_path("sub"), *conf, *errs = NULL, *list;
	struct config *cfg;
	char cwd[PATH_MAX];

	if (mkdir(sub, 0700) != 0)
		abort();
	conf = tmp_path("sub/feedmux.conf");
	list = tmp_path("sub/list.opml");
	put_file(list, "<opml version=\"1.0\"><body>\n"
		 "<outline text=\"Wire\" xmlUrl=\"https://w.example/\"/>\n"
		 "</body></opml>\n");
	put_file(conf, "opml = list.opml\n");
	cfg = load_path(conf, &errs);
	ok(cfg != NULL, "opml_relative_to_config_dir_valid");
	is_str(cfg ? cfg->opml : NULL, list, "opml_relative_to_config_dir_path");
	is_int(cfg ? cfg->n_feeds : 0, 1, "opml_relative_to_config_dir_feeds");
	config_free(cfg);
	free(errs);

	/* A relative config path: the OPML path stays relative to cwd. */
	if (!getcwd(cwd, sizeof cwd) || chdir(tmpdir) != 0)
		abort();
	cfg = load_path("sub/feedmux.conf", &errs);
	is_str(cfg ? cfg->opml : NULL, "sub/list.opml", "opml_relative_config_path");
	if (chdir(cwd) != 0)
		abort();
	config_free(cfg);
	free(errs);
	free(conf);
	free(list);
	free(sub);
}

static void test_opml_api(void)
{
	static const struct { const char *in, *want; } slugs[] = {
		{ "BBC — Tech!", "bbc-tech" }, { "  --Hello__World.v2--  ", "hello__world.v2" },
		{ "a   b", "a-b" }, { "ÄÖÜ", "fallback" }, { "", "fallback" },
		{ NULL, "fallback" }, { "A-B", "a-b" },
	};
	struct opml_outline *o = NULL;
	char err[256], *path, *s;
	size_t n = 0, i;
	int line;

	for (i = 0; i < sizeof slugs / sizeof slugs[0]; i++) {
		s = opml_slug(slugs[i].in, "fallback");
		is_str(s, slugs[i].want, "opml_slug");
		free(s);
	}
	path = data_path("nested.opml");
	ok(opml_read(path, &o, &n, err, sizeof err) == 0, "opml_read_nested");
	is_int(n, 4, "opml_read_nested_count");
	is_str(n ? o[0].category : NULL, "World News", "opml_read_category_text");
	is_str(n > 1 ? o[1].category : NULL, "Asia", "opml_read_nearest_category");
	is_str(n > 2 ? o[2].category : "x", NULL, "opml_read_top_level_no_category");
	is_int(n ? o[0].line : 0, 6, "opml_read_line");
	opml_free(o, n);
	free(path);
	path = data_path("broken.opml");
	ok(opml_read(path, &o, &n, err, sizeof err) == -1, "opml_read_broken_fails");
	ok(strncmp(err, "line 6: ", 8) == 0, "opml_read_error_names_line");
	ok(opml_read_at(path, &o, &n, &line, err, sizeof err) == -1 && line == 6,
	   "opml_read_at_sets_line");
	is_int(n, 0, "opml_read_failure_no_outlines");
	free(path);
	opml_free(NULL, 0);
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int main(void)
{
	const char *top = getenv("top_srcdir");
	char *rel;

	if (!mkdtemp(tmpdir))
		abort();
	if (asprintf(&rel, "%s/tests/data/config", top && *top ? top : ".") < 0 ||
	    !realpath(rel, datadir)) {
		printf("Bail out! no fixtures at %s (set top_srcdir)\n", rel);
		rmdir(tmpdir);
		return 1;
	}
	free(rel);
	test_defaults();
	test_every_key();
	test_durations();
	test_sizes();
	test_listen();
	test_feed_sections();
	test_urls();
	test_error_kinds();
	test_error_edges();
	test_three_mistakes();
	test_opml_nested();
	test_opml_collisions();
	test_opml_rejects();
	test_opml_xxe();
	test_opml_relative_path();
	test_opml_api();
	nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return done_testing();
}
