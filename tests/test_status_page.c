/*
 * test_status_page.c — the HTML page at `/`: autodiscovery links for every
 * output, each source feed's state in words, the newest entries, and
 * escaping: nothing a feed or the configuration says can become markup
 * or a javascript: link.  The page is also parsed with libxml2's HTML
 * parser, which must report no errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>

#include "buf.h"
#include "config.h"
#include "entry.h"
#include "status_page.h"
#include "store.h"
#include "tap.h"

#define NOW 1700000000

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (; hay && (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

static struct config *page_config(void)
{
	static char path[] = "/tmp/test_status_page.XXXXXX";
	struct config *cfg;
	FILE *f;
	int fd = mkstemp(path);

	if (fd < 0 || !(f = fdopen(fd, "w")))
		return NULL;
	fputs("title = News <b>&</b> more\n"
	      "base_url = http://news.example/mux/\n\n"
	      "[section world]\ntitle = World \"quoted\"\n"
	      "description = Wire <i>stories</i>\n\n"
	      "[feed good]\nurl = http://127.0.0.1:9/good.xml\nsection = world\n\n"
	      "[feed bad]\nurl = http://127.0.0.1:9/bad.xml\nsection = world\n\n"
	      "[feed new]\nurl = http://127.0.0.1:9/new.xml\nsection = world\n", f);
	fclose(f);
	cfg = config_load(path, stderr);
	unlink(path);
	return cfg;
}

static void feeds_init(struct store_feed *f)
{
	memset(f, 0, 3 * sizeof *f);
	f[0].name = "good";
	f[0].title = "Good <script>alert(1)</script> Feed";
	f[0].url = "http://127.0.0.1:9/good.xml";
	f[0].link = "javascript:alert(1)";
	f[0].last_poll = NOW - 300;
	f[0].next_poll = NOW + 600;
	f[0].last_status = 200;
	f[0].items = 12;
	f[1].name = "bad";
	f[1].title = "Bad Feed";
	f[1].url = "http://127.0.0.1:9/bad.xml";
	f[1].link = "http://bad.example/";
	f[1].last_poll = NOW - 7200;
	f[1].next_poll = NOW + 3 * 86400;
	f[1].errors = 3;
	f[1].last_status = 404;
	f[1].last_error = "HTTP 404 <Not Found>";
	f[2].name = "new";
	f[2].url = "http://127.0.0.1:9/new.xml";
}

static void item_init(struct store_item *it)
{
	memset(it, 0, sizeof *it);
	it->e.title = "Entry \"one\" <img src=x onerror=alert(1)>";
	it->e.link = "http://example.org/1?a=1&b=2";
	it->e.published = NOW - 90;
	it->e.updated = ENTRY_NO_DATE;
	it->feed_name = "good";
	it->feed_title = "Good Feed";
	it->n_copies = 2;
}

static void test_page(void)
{
	struct config *cfg = page_config();
	struct store_feed feeds[3];
	struct store_item item;
	struct status_page p = { 0 };
	struct buf out = { 0 };
	htmlDocPtr doc;

	if (!ok(cfg != NULL, "status_page_config_loads"))
		return;
	feeds_init(feeds);
	item_init(&item);
	p.cfg = cfg;
	p.feeds = feeds;
	p.n_feeds = 3;
	p.items = &item;
	p.n_items = 1;
	p.now = NOW;
	status_page_render(&p, &out);

	ok(!strncmp(out.data, "<!DOCTYPE html>", 15), "status_page_html5_doctype");
	ok(strstr(out.data, "<meta name=\"viewport\"") != NULL,
	   "status_page_viewport_for_phones");
	is_int(count(out.data, "<link rel=\"alternate\""), 6,
	       "status_page_autodiscovery_three_formats_merged_and_section");
	ok(strstr(out.data, "<link rel=\"alternate\" type=\"application/feed+json\" "
		  "title=\"World &quot;quoted&quot; (JSON Feed)\" "
		  "href=\"http://news.example/mux/sections/world.json\">") != NULL,
	   "status_page_section_json_autodiscovery_escaped");
	ok(strstr(out.data, "<title>News &lt;b&gt;&amp;&lt;/b&gt; more</title>") != NULL,
	   "status_page_title_escaped");
	ok(strstr(out.data, "Wire &lt;i&gt;stories&lt;/i&gt;") != NULL,
	   "status_page_section_description_escaped");
	ok(strstr(out.data, "href=\"http://news.example/mux/feeds.opml\"") != NULL,
	   "status_page_links_opml");
	is_int(count(out.data, "<script"), 0, "status_page_no_script_tag");
	ok(strstr(out.data, "Good &lt;script&gt;alert(1)&lt;/script&gt; Feed") != NULL,
	   "status_page_feed_title_escaped");
	is_int(count(out.data, "javascript:"), 0,
	       "status_page_javascript_link_not_linked");
	ok(strstr(out.data, "<td class=\"ok\">ok</td>") != NULL,
	   "status_page_ok_state");
	ok(strstr(out.data, "<td class=\"failing\">failing (3 in a row)</td>") != NULL,
	   "status_page_failing_state_with_count");
	ok(strstr(out.data, "<td class=\"waiting\">waiting for the first poll</td>") != NULL,
	   "status_page_never_polled_state");
	ok(strstr(out.data, "HTTP 404 Not Found") != NULL,
	   "status_page_http_status_in_words");
	ok(strstr(out.data, "HTTP 404 &lt;Not Found&gt;") != NULL,
	   "status_page_error_escaped");
	ok(strstr(out.data, ">5 min ago</time>") != NULL,
	   "status_page_last_fetch_relative");
	ok(strstr(out.data, "datetime=\"2023-11-14T22:08:20Z\"") != NULL,
	   "status_page_last_fetch_machine_readable");
	ok(strstr(out.data, ">in 3 d</time>") != NULL, "status_page_next_poll");
	ok(strstr(out.data, "<td>12</td>") != NULL, "status_page_item_count");
	ok(strstr(out.data, "<a href=\"http://example.org/1?a=1&amp;b=2\">Entry "
		  "&quot;one&quot; &lt;img src=x onerror=alert(1)&gt;</a>") != NULL,
	   "status_page_entry_link_and_title_escaped");
	ok(strstr(out.data, "also in 2 other feeds") != NULL,
	   "status_page_entry_mentions_copies");

	doc = htmlReadMemory(out.data, (int)out.len, "status.html", "utf-8",
			     HTML_PARSE_NONET | HTML_PARSE_NOERROR |
			     HTML_PARSE_NOWARNING);
	ok(doc != NULL, "status_page_parses_as_html");
	xmlFreeDoc(doc);
	buf_free(&out);
	config_free(cfg);
}

/* One or two errors in a row are a blip being retried; from
 * POLL_FAILING_AFTER (3) on, or gone, the feed counts as failing. */
static void test_states(void)
{
	static const int errors[] = { 1, 2, 3, 1 };
	struct config *cfg = page_config();
	struct store_feed feeds[4];
	struct status_page p = { 0 };
	struct buf out = { 0 };
	int i;

	if (!cfg)
		return;
	memset(feeds, 0, sizeof feeds);
	for (i = 0; i < 4; i++) {
		feeds[i].name = "f";
		feeds[i].url = "http://127.0.0.1:9/f.xml";
		feeds[i].last_poll = NOW - 60;
		feeds[i].last_status = 500;
		feeds[i].errors = errors[i];
	}
	feeds[3].gone = 1;
	feeds[3].last_status = 410;
	p.cfg = cfg;
	p.feeds = feeds;
	p.n_feeds = 4;
	p.now = NOW;
	status_page_render(&p, &out);
	ok(strstr(out.data, "<td class=\"retrying\">retrying (1 error)</td>") != NULL,
	   "status_page_one_error_is_retrying_not_failing");
	ok(strstr(out.data, "<td class=\"retrying\">retrying (2 errors)</td>") != NULL,
	   "status_page_two_errors_are_retrying");
	ok(strstr(out.data, "<td class=\"failing\">failing (3 in a row)</td>") != NULL,
	   "status_page_three_errors_are_failing");
	ok(strstr(out.data, "<td class=\"failing\">gone: no longer polled</td>") != NULL,
	   "status_page_gone_state");
	ok(strstr(out.data, "<p>4 feeds, 2 failing.</p>") != NULL,
	   "status_page_counts_failing_and_gone_not_retrying");
	buf_free(&out);
	config_free(cfg);
}

static void test_ago(void)
{
	static const struct {
		int64_t t;
		const char *want;
	} cases[] = {
		{ NOW, "just now" }, { NOW - 30, "30s ago" },
		{ NOW - 119, "119s ago" }, { NOW - 120, "2 min ago" },
		{ NOW - 7199, "119 min ago" }, { NOW - 7200, "2 h ago" },
		{ NOW - 2 * 86400, "2 d ago" }, { NOW + 600, "in 10 min" },
	};
	struct buf b = { 0 };
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		status_page_ago(&b, cases[i].t, NOW);
		is_str(b.data, cases[i].want, "status_page_ago");
	}
	buf_reset(&b);
	status_page_escape(&b, "<a href='x'>&\"</a>");
	is_str(b.data, "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;",
	       "status_page_escape_all_five");
	buf_free(&b);
}

int main(void)
{
	test_page();
	test_states();
	test_ago();
	xmlCleanupParser();
	return done_testing();
}
