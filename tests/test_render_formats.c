/*
 * test_render_formats.c — the RSS 2.0, JSON Feed 1.1 and OPML 2.0
 * outputs.  XML is parsed back with libxml2 and checked with XPath; JSON
 * is checked by a strict RFC 8259 validator (json_check.h) and then by
 * the members a JSON Feed reader needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "buf.h"
#include "config.h"
#include "entry.h"
#include "json_check.h"
#include "render.h"
#include "store.h"
#include "tap.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"	/* configure passes the real one with -D */
#endif

#define T0 1234567890		/* Fri, 13 Feb 2009 23:31:30 GMT */
#define T1 1700000000		/* Tue, 14 Nov 2023 22:13:20 GMT */

static void set(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

static void item_init(struct store_item *it, int64_t id, const char *guid,
		      const char *link, const char *title)
{
	memset(it, 0, sizeof *it);
	it->item_id = it->story_id = id;
	it->e.published = it->e.updated = ENTRY_NO_DATE;
	it->e.guid = xstrdup(guid);
	it->e.link = xstrdup(link);
	it->e.title = xstrdup(title);
	it->first_seen = T0;
	set(&it->feed_name, "wire");
	set(&it->feed_title, "Wire Service");
	set(&it->feed_url, "http://127.0.0.1/wire.xml");
	it->feed_updated = ENTRY_NO_DATE;
}

static void items_clear(struct store_item *items, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		entry_clear(&items[i].e);
		free(items[i].feed_name);
		free(items[i].feed_title);
		free(items[i].feed_url);
		free(items[i].feed_link);
		free(items[i].feed_source_id);
		for (j = 0; j < items[i].n_copies; j++) {
			free(items[i].copies[j].url);
			free(items[i].copies[j].feed_title);
			free(items[i].copies[j].feed_name);
		}
		free(items[i].copies);
	}
}

static const struct render_meta META = {
	.title = "All <the> news",
	.subtitle = "Merged & wired",
	.id = "http://127.0.0.1:8080/feed.rss",
	.self_url = "http://127.0.0.1:8080/feed.rss",
	.alt_url = "http://127.0.0.1:8080/",
	.updated = T1,
	.icon = "http://127.0.0.1:8080/icon.png",
	.next_url = "http://127.0.0.1:8080/feed.rss?before=1-2&limit=2",
};

/* Four items covering the guid cases:
 *   0: guid == link (a permalink), author an email, categories, content
 *   1: guid an http URL other than the link (not a permalink)
 *   2: guid not a URL; author a name; summary only
 *   3: no guid at all, no title, no text, control bytes in the link */
#define N_ITEMS 4
static void make_items(struct store_item *v)
{
	item_init(&v[0], 1, "http://example.org/a", "http://example.org/a",
		  "First \"quoted\" <b>title</b>");
	set(&v[0].e.author, "desk@example.org");
	entry_add_category(&v[0].e, "World");
	entry_add_category(&v[0].e, "Asia & Pacific");
	set(&v[0].e.content, "<p>Full <em>text</em></p>");
	set(&v[0].e.summary, "Lead");
	v[0].e.published = T1;
	item_init(&v[1], 2, "http://example.org/guid/2", "http://example.org/b",
		  "Second");
	item_init(&v[2], 3, "xinhua-20240403-005", "http://example.org/c",
		  "Third, with a line\nbreak");
	set(&v[2].e.author, "Li Wei");
	set(&v[2].e.summary, "Only a summary \xE2\x80\xA8 with U+2028");
	v[2].e.updated = T0 + 60;
	item_init(&v[3], 4, NULL, NULL, NULL);
	free(v[3].e.guid);
	v[3].e.guid = NULL;
	v[3].copies = xcalloc(2, sizeof *v[3].copies);
	v[3].n_copies = 2;
	v[3].copies[0].url = xstrdup("http://outlet.example/copy");
	v[3].copies[0].feed_title = xstrdup("Outlet \"One\"");
	v[3].copies[0].feed_name = xstrdup("outlet");
	v[3].copies[1].feed_name = xstrdup("nolink");
}

/* ---- XML helpers ---- */

struct parsed {
	xmlDocPtr doc;
	xmlXPathContextPtr xp;
};

static int parse(const struct buf *out, struct parsed *p)
{
	memset(p, 0, sizeof *p);
	p->doc = xmlReadMemory(out->data, (int)out->len, "out.xml", NULL,
			       XML_PARSE_NONET | XML_PARSE_NOERROR |
			       XML_PARSE_NOWARNING);
	if (!p->doc)
		return -1;
	p->xp = xmlXPathNewContext(p->doc);
	xmlXPathRegisterNs(p->xp, BAD_CAST "atom",
			   BAD_CAST "http://www.w3.org/2005/Atom");
	xmlXPathRegisterNs(p->xp, BAD_CAST "content",
			   BAD_CAST "http://purl.org/rss/1.0/modules/content/");
	xmlXPathRegisterNs(p->xp, BAD_CAST "dc",
			   BAD_CAST "http://purl.org/dc/elements/1.1/");
	xmlXPathRegisterNs(p->xp, BAD_CAST "media",
			   BAD_CAST "http://search.yahoo.com/mrss/");
	return 0;
}

static void parsed_free(struct parsed *p)
{
	xmlXPathFreeContext(p->xp);
	xmlFreeDoc(p->doc);
}

static char *xp_eval(struct parsed *p, const char *fn, const char *expr)
{
	struct buf b = { 0 };
	xmlXPathObjectPtr o;
	char *s = NULL;

	if (!p->xp)
		return NULL;
	buf_printf(&b, "%s(%s)", fn, expr);
	o = xmlXPathEvalExpression(BAD_CAST b.data, p->xp);
	buf_free(&b);
	if (o && o->type == XPATH_STRING)
		s = xstrdup((const char *)o->stringval);
	else if (o && o->type == XPATH_NUMBER) {
		b = (struct buf){ 0 };
		buf_printf(&b, "%ld", (long)o->floatval);
		s = buf_steal(&b);
	}
	xmlXPathFreeObject(o);
	return s;
}

static void is_xp(struct parsed *p, const char *expr, const char *want,
		  const char *name)
{
	char *got = xp_eval(p, "string", expr);

	if (!is_str(got, want, name))
		diag("xpath: %s", expr);
	free(got);
}

static void is_count(struct parsed *p, const char *expr, const char *want,
		     const char *name)
{
	char *got = xp_eval(p, "count", expr);

	if (!is_str(got, want, name))
		diag("xpath: count(%s)", expr);
	free(got);
}

/* ---- RSS ---- */

static void test_rss(void)
{
	struct store_item v[N_ITEMS];
	struct buf out = { 0 };
	struct parsed p;

	make_items(v);
	is_int(render_rss(&META, v, N_ITEMS, &out), 0, "rss_renders");
	ok(parse(&out, &p) == 0, "rss_is_well_formed_xml");
	is_xp(&p, "/rss/@version", "2.0", "rss_version_2_0");
	is_xp(&p, "/rss/channel/title", META.title, "rss_channel_title");
	is_xp(&p, "/rss/channel/link", META.alt_url, "rss_channel_link_is_html_page");
	is_xp(&p, "/rss/channel/description", META.subtitle,
	      "rss_channel_description_is_subtitle");
	is_xp(&p, "/rss/channel/atom:link[@rel='self']/@href", META.self_url,
	      "rss_atom_self_link");
	is_xp(&p, "/rss/channel/atom:link[@rel='self']/@type",
	      "application/rss+xml", "rss_atom_self_link_type");
	is_xp(&p, "/rss/channel/atom:link[@rel='next']/@href", META.next_url,
	      "rss_atom_next_link_rfc5005");
	is_xp(&p, "/rss/channel/lastBuildDate", "Tue, 14 Nov 2023 22:13:20 GMT",
	      "rss_last_build_date_rfc822");
	is_xp(&p, "/rss/channel/image/url", META.icon, "rss_image_url_is_icon");
	is_xp(&p, "/rss/channel/image/link", META.alt_url,
	      "rss_image_link_matches_channel_link");
	is_xp(&p, "/rss/channel/generator", "feedmux " PACKAGE_VERSION,
	      "rss_generator_names_feedmux_and_version");
	is_count(&p, "/rss/channel/item", "4", "rss_one_item_per_story");
	is_xp(&p, "/rss/channel/item[1]/title", "First \"quoted\" <b>title</b>",
	      "rss_title_text_escaped_round_trips");
	is_xp(&p, "/rss/channel/item[1]/guid", "http://example.org/a",
	      "rss_guid_kept");
	is_xp(&p, "/rss/channel/item[1]/guid/@isPermaLink", "true",
	      "rss_guid_equal_to_link_is_permalink");
	is_xp(&p, "/rss/channel/item[2]/guid/@isPermaLink", "false",
	      "rss_guid_url_other_than_link_not_permalink");
	is_xp(&p, "/rss/channel/item[3]/guid", "xinhua-20240403-005",
	      "rss_non_url_guid_kept_as_is");
	is_xp(&p, "/rss/channel/item[3]/guid/@isPermaLink", "false",
	      "rss_non_url_guid_not_permalink");
	is_xp(&p, "/rss/channel/item[4]/guid", "tag:feedmux,2026:item/wire/4",
	      "rss_no_guid_gets_the_atom_tag_id");
	is_xp(&p, "/rss/channel/item[4]/guid/@isPermaLink", "false",
	      "rss_tag_guid_not_permalink");
	is_xp(&p, "/rss/channel/item[4]/title", "(untitled)",
	      "rss_untitled_item_has_a_title");
	is_xp(&p, "/rss/channel/item[1]/author", "desk@example.org",
	      "rss_email_author_in_author");
	is_xp(&p, "/rss/channel/item[3]/dc:creator", "Li Wei",
	      "rss_name_author_in_dc_creator");
	is_count(&p, "/rss/channel/item[3]/author", "0",
		 "rss_name_author_not_in_author");
	is_count(&p, "/rss/channel/item[1]/category", "2", "rss_categories");
	is_xp(&p, "/rss/channel/item[1]/category[2]", "Asia & Pacific",
	      "rss_category_text");
	is_xp(&p, "/rss/channel/item[1]/description", "Lead",
	      "rss_description_is_summary");
	is_xp(&p, "/rss/channel/item[1]/content:encoded",
	      "<p>Full <em>text</em></p>", "rss_content_encoded_full_html");
	is_xp(&p, "/rss/channel/item[3]/description",
	      "Only a summary \xE2\x80\xA8 with U+2028",
	      "rss_summary_only_is_description");
	is_xp(&p, "/rss/channel/item[1]/pubDate", "Tue, 14 Nov 2023 22:13:20 GMT",
	      "rss_pubdate_is_published");
	is_xp(&p, "/rss/channel/item[3]/pubDate", "Fri, 13 Feb 2009 23:32:30 GMT",
	      "rss_pubdate_falls_back_to_updated");
	is_xp(&p, "/rss/channel/item[1]/source/@url", "http://127.0.0.1/wire.xml",
	      "rss_source_url_is_source_feed");
	is_xp(&p, "/rss/channel/item[1]/source", "Wire Service",
	      "rss_source_names_the_feed");
	parsed_free(&p);
	buf_free(&out);
	items_clear(v, N_ITEMS);
}

static void test_rss_minimal(void)
{
	struct render_meta m = META;
	struct buf out = { 0 };
	struct parsed p;

	m.subtitle = NULL;
	m.next_url = NULL;
	m.icon = NULL;
	is_int(render_rss(&m, NULL, 0, &out), 0, "rss_empty_renders");
	ok(parse(&out, &p) == 0, "rss_empty_is_well_formed");
	is_xp(&p, "/rss/channel/description", m.title,
	      "rss_description_falls_back_to_title");
	is_count(&p, "//atom:link[@rel='next']", "0", "rss_no_next_on_last_page");
	is_count(&p, "//image", "0", "rss_no_image_without_icon");
	parsed_free(&p);
	buf_free(&out);
}

/* ---- JSON Feed ---- */

static int has(const struct buf *b, const char *needle)
{
	return b->data && strstr(b->data, needle) != NULL;
}

static void test_json(void)
{
	struct store_item v[N_ITEMS];
	struct buf out = { 0 };

	make_items(v);
	is_int(render_json(&META, v, N_ITEMS, &out), 0, "json_renders");
	ok(json_valid(out.data), "json_is_valid_rfc8259");
	if (!json_valid(out.data))
		diag("%s", out.data);
	ok(!strncmp(out.data, "{\"version\":\"https://jsonfeed.org/version/1.1\"", 45),
	   "json_version_1_1_first");
	ok(has(&out, "\"title\":\"All <the> news\""), "json_feed_title");
	ok(has(&out, "\"home_page_url\":\"http://127.0.0.1:8080/\""),
	   "json_home_page_url");
	ok(has(&out, "\"feed_url\":\"http://127.0.0.1:8080/feed.rss\""),
	   "json_feed_url_is_self");
	ok(has(&out, "\"next_url\":\"http://127.0.0.1:8080/feed.rss?before=1-2&limit=2\""),
	   "json_next_url_for_paging");
	ok(has(&out, "\"icon\":\"http://127.0.0.1:8080/icon.png\""), "json_icon");
	ok(has(&out, "\"description\":\"Merged & wired\""), "json_description");
	ok(has(&out, "{\"id\":\"http://example.org/a\",\"url\":\"http://example.org/a\","
		     "\"title\":\"First \\\"quoted\\\" <b>title</b>\""),
	   "json_item_id_url_title_escaped");
	ok(has(&out, "\"content_html\":\"<p>Full <em>text</em></p>\",\"summary\":\"Lead\""),
	   "json_content_html_and_summary");
	ok(has(&out, "\"date_published\":\"2023-11-14T22:13:20Z\""),
	   "json_date_published_rfc3339");
	ok(has(&out, "\"tags\":[\"World\",\"Asia & Pacific\"]"), "json_tags");
	ok(has(&out, "\"authors\":[{\"name\":\"Li Wei\"}]"), "json_item_authors");
	ok(has(&out, "\"title\":\"Third, with a line\\nbreak\""),
	   "json_newline_escaped");
	ok(has(&out, "with \\u2028 U+2028") || has(&out, "\\u2028"),
	   "json_u2028_escaped_for_javascript");
	ok(has(&out, "{\"id\":\"tag:feedmux,2026:item/wire/4\""),
	   "json_no_guid_gets_tag_id");
	ok(has(&out, "\"content_text\":\"\""),
	   "json_item_without_text_has_content_text");
	ok(has(&out, "\"copies\":[{\"url\":\"http://outlet.example/copy\","
		     "\"feed\":\"Outlet \\\"One\\\"\"},{\"url\":null,\"feed\":\"nolink\"}]"),
	   "json_feedmux_copies_url_and_feed");
	ok(has(&out, "\"_feedmux\":{\"feed\":{\"name\":\"wire\",\"title\":\"Wire Service\","
		     "\"feed_url\":\"http://127.0.0.1/wire.xml\"}}"),
	   "json_feedmux_feed_without_copies_has_no_copies_member");
	buf_free(&out);
	items_clear(v, N_ITEMS);
}

static void test_json_strings(void)
{
	static const struct {
		const char *in, *want, *name;
	} cases[] = {
		{ NULL, "\"\"", "json_string_null_is_empty" },
		{ "a\"b\\c", "\"a\\\"b\\\\c\"", "json_string_quote_backslash" },
		{ "t\tn\nr\r", "\"t\\tn\\nr\\r\"", "json_string_whitespace_escapes" },
		{ "\x01x", "\"x\"", "json_string_c0_control_dropped" },
		{ "bad \xC3\x28", "\"bad \xEF\xBF\xBD(\"", "json_string_invalid_utf8_replaced" },
		{ "\xE4\xB8\xAD\xE6\x96\x87", "\"\xE4\xB8\xAD\xE6\x96\x87\"",
		  "json_string_utf8_kept" },
		{ "</script>", "\"</script>\"", "json_string_slash_kept" },
	};
	struct buf b = { 0 };
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		render_json_string(&b, cases[i].in);
		is_str(b.data, cases[i].want, cases[i].name);
		ok(json_valid(b.data), "json_string_output_valid");
	}
	buf_free(&b);
	ok(!json_valid("{\"a\":1,}"), "json_check_rejects_trailing_comma");
	ok(!json_valid("{\"a\":\"\x01\"}"), "json_check_rejects_raw_control");
	ok(!json_valid("[1] x"), "json_check_rejects_trailing_text");
	ok(json_valid(" {\"a\":[1,-2.5e3,true,null,{}]} "), "json_check_accepts_valid");
}

/* Issue 3's fields, when the store gives them: enclosures (RSS keeps the
 * first real one, JSON Feed all as attachments, a thumbnail as image),
 * every author, comments, language. */
static void test_media_fields(void)
{
	struct store_item v[1];
	struct entry_enclosure *enc;
	struct buf out = { 0 };
	struct parsed p;

	item_init(&v[0], 1, "http://example.org/pod", "http://example.org/pod",
		  "Podcast");
	entry_add_enclosure(&v[0].e, "http://example.org/thumb.jpg", "image/jpeg",
			    ENTRY_NO_LENGTH, ENTRY_MEDIA_THUMBNAIL);
	enc = entry_add_enclosure(&v[0].e, "http://example.org/ep1.mp3",
				  "audio/mpeg", 1234567, ENTRY_MEDIA_ENCLOSURE);
	if (enc)
		enc->duration = 3600;
	entry_add_enclosure(&v[0].e, "http://example.org/ep1.ogg", NULL,
			    ENTRY_NO_LENGTH, ENTRY_MEDIA_ENCLOSURE);
	entry_add_person(&v[0].e.authors, &v[0].e.n_authors, "Ann Author", NULL,
			 "http://ann.example/");
	entry_add_person(&v[0].e.authors, &v[0].e.n_authors, NULL,
			 "bob@example.org", NULL);
	set(&v[0].e.comments, "http://example.org/pod#comments");
	set(&v[0].e.language, "en-GB");

	is_int(render_rss(&META, v, 1, &out), 0, "media_rss_renders");
	ok(parse(&out, &p) == 0, "media_rss_well_formed");
	is_count(&p, "//item/enclosure", "1", "rss_one_enclosure_per_item");
	is_xp(&p, "//item/enclosure/@url", "http://example.org/ep1.mp3",
	      "rss_enclosure_is_first_non_thumbnail");
	is_xp(&p, "//item/enclosure/@length", "1234567", "rss_enclosure_length");
	is_xp(&p, "//item/enclosure/@type", "audio/mpeg", "rss_enclosure_type");
	is_xp(&p, "//item/comments", "http://example.org/pod#comments",
	      "rss_comments");
	parsed_free(&p);
	buf_reset(&out);

	is_int(render_json(&META, v, 1, &out), 0, "media_json_renders");
	ok(json_valid(out.data), "media_json_valid");
	ok(has(&out, "\"image\":\"http://example.org/thumb.jpg\""),
	   "json_thumbnail_is_image");
	ok(has(&out, "\"attachments\":[{\"url\":\"http://example.org/ep1.mp3\","
		     "\"mime_type\":\"audio/mpeg\",\"size_in_bytes\":1234567,"
		     "\"duration_in_seconds\":3600},{\"url\":\"http://example.org/ep1.ogg\","
		     "\"mime_type\":\"application/octet-stream\"}]"),
	   "json_attachments_with_required_mime_type");
	ok(has(&out, "\"authors\":[{\"name\":\"Ann Author\",\"url\":\"http://ann.example/\"},"
		     "{\"name\":\"bob@example.org\",\"url\":\"mailto:bob@example.org\"}]"),
	   "json_every_author_an_email_as_mailto_url");
	ok(has(&out, "\"language\":\"en-GB\""), "json_item_language");
	buf_free(&out);
	items_clear(v, 1);
}

/* One item with every issue 3 field: two authors (one with an email), a
 * contributor, a category with scheme and label, a thumbnail and two
 * files, comments, language, and the source it credits. */
static void full_item(struct store_item *it)
{
	struct entry *e = &it->e;

	item_init(it, 1, "http://example.org/full", "http://example.org/full",
		  "Full");
	entry_add_person(&e->authors, &e->n_authors, "Ann Author",
			 "ann@example.org", "http://ann.example/");
	entry_add_person(&e->authors, &e->n_authors, "Bo Second", NULL, NULL);
	entry_add_person(&e->contributors, &e->n_contributors, "Cy Helper",
			 NULL, NULL);
	entry_add_category_full(e, "science", "http://example.org/cats",
				"Science");
	entry_add_enclosure(e, "http://example.org/t.jpg", "image/jpeg",
			    ENTRY_NO_LENGTH, ENTRY_MEDIA_THUMBNAIL);
	entry_add_enclosure(e, "http://example.org/a.mp3", "audio/mpeg", 1000,
			    ENTRY_MEDIA_ENCLOSURE);
	entry_add_enclosure(e, "http://example.org/b.mp4", "video/mp4", 2000,
			    ENTRY_MEDIA_CONTENT);
	set(&e->comments, "http://example.org/full#c");
	set(&e->language, "fr-CA");
	set(&e->source.title, "Origin Wire");
	set(&e->source.link, "http://origin.example/");
	set(&e->source.feed_url, "http://origin.example/feed");
	e->source.updated = ENTRY_NO_DATE;
}

static void test_issue3_atom(void)
{
	struct store_item v[1];
	struct buf out = { 0 };
	struct parsed p;

	full_item(&v[0]);
	is_int(render_atom(&META, v, 1, &out), 0, "full_atom_renders");
	ok(parse(&out, &p) == 0, "full_atom_well_formed");
	is_xp(&p, "//atom:entry/@xml:lang", "fr-CA", "atom_entry_xml_lang");
	is_count(&p, "//atom:entry/atom:author", "2", "atom_every_author");
	is_xp(&p, "//atom:entry/atom:author[1]/atom:email", "ann@example.org",
	      "atom_author_email");
	is_xp(&p, "//atom:entry/atom:author[1]/atom:uri", "http://ann.example/",
	      "atom_author_uri");
	is_xp(&p, "//atom:entry/atom:author[2]/atom:name", "Bo Second",
	      "atom_second_author");
	is_xp(&p, "//atom:entry/atom:contributor/atom:name", "Cy Helper",
	      "atom_contributor");
	is_xp(&p, "//atom:entry/atom:category/@scheme", "http://example.org/cats",
	      "atom_category_scheme");
	is_xp(&p, "//atom:entry/atom:category/@label", "Science",
	      "atom_category_label");
	is_count(&p, "//atom:entry/atom:link[@rel='enclosure']", "2",
		 "atom_every_file_is_an_enclosure_link");
	is_xp(&p, "//atom:entry/atom:link[@rel='enclosure'][1]/@length", "1000",
	      "atom_enclosure_length");
	is_xp(&p, "//atom:entry/atom:link[@rel='enclosure'][2]/@type", "video/mp4",
	      "atom_enclosure_type");
	is_xp(&p, "//atom:entry/media:thumbnail/@url", "http://example.org/t.jpg",
	      "atom_thumbnail_as_media_rss");
	is_xp(&p, "//atom:entry/atom:link[@rel='replies']/@href",
	      "http://example.org/full#c", "atom_comments_as_replies_rfc4685");
	is_xp(&p, "//atom:entry/atom:link[@rel='via']/@href",
	      "http://origin.example/", "atom_credited_source_as_via");
	is_xp(&p, "//atom:entry/atom:link[@rel='via']/@title", "Origin Wire",
	      "atom_via_title");
	parsed_free(&p);
	buf_free(&out);
	items_clear(v, 1);
}

static void test_issue3_rss_json(void)
{
	struct store_item v[1];
	struct buf out = { 0 };
	struct parsed p;

	full_item(&v[0]);
	is_int(render_rss(&META, v, 1, &out), 0, "full_rss_renders");
	ok(parse(&out, &p) == 0, "full_rss_well_formed");
	is_xp(&p, "//item/author", "ann@example.org (Ann Author)",
	      "rss_author_is_email_and_name");
	is_xp(&p, "//item/dc:creator", "Bo Second", "rss_other_author_dc_creator");
	is_xp(&p, "//item/dc:contributor", "Cy Helper", "rss_dc_contributor");
	is_xp(&p, "//item/category/@domain", "http://example.org/cats",
	      "rss_category_domain_is_scheme");
	is_xp(&p, "//item/enclosure/@url", "http://example.org/a.mp3",
	      "rss_enclosure_first_file");
	is_xp(&p, "//item/media:content/@url", "http://example.org/b.mp4",
	      "rss_other_file_as_media_content");
	is_xp(&p, "//item/media:content/@fileSize", "2000",
	      "rss_media_content_file_size");
	is_xp(&p, "//item/media:thumbnail/@url", "http://example.org/t.jpg",
	      "rss_media_thumbnail");
	is_xp(&p, "//item/dc:language", "fr-CA", "rss_item_dc_language");
	is_xp(&p, "//item/atom:link[@rel='via']/@href", "http://origin.example/",
	      "rss_credited_source_as_atom_via");
	parsed_free(&p);
	buf_reset(&out);

	is_int(render_json(&META, v, 1, &out), 0, "full_json_renders");
	ok(json_valid(out.data), "full_json_valid");
	ok(has(&out, "\"contributors\":[{\"name\":\"Cy Helper\"}]"),
	   "json_feedmux_contributors");
	ok(has(&out, "\"categories\":[{\"term\":\"science\",\"scheme\":"
		     "\"http://example.org/cats\",\"label\":\"Science\"}]"),
	   "json_feedmux_category_scheme_label");
	ok(has(&out, "\"comments_url\":\"http://example.org/full#c\""),
	   "json_feedmux_comments_url");
	ok(has(&out, "\"source\":{\"title\":\"Origin Wire\",\"home_page_url\":"
		     "\"http://origin.example/\",\"feed_url\":\"http://origin.example/feed\"}"),
	   "json_feedmux_credited_source");
	ok(has(&out, "{\"url\":\"http://example.org/b.mp4\",\"mime_type\":\"video/mp4\""),
	   "json_media_content_is_an_attachment");
	buf_free(&out);
	items_clear(v, 1);
}

/* ---- OPML ---- */

static struct config *opml_config(void)
{
	static char path[] = "/tmp/test_render_formats.XXXXXX";
	struct config *cfg;
	FILE *f;
	int fd = mkstemp(path);

	if (fd < 0 || !(f = fdopen(fd, "w")))
		return NULL;
	fputs("title = Wire & Co\n\n"
	      "[section world]\ntitle = World <News>\n\n"
	      "[section asia]\ntitle = Asia\n\n"
	      "[feed alpha]\nurl = http://127.0.0.1:9/alpha.xml\n"
	      "section = world, asia\n\n"
	      "[feed beta]\nurl = http://127.0.0.1:9/beta.xml\n"
	      "section = asia\ntitle = Beta Configured\n\n"
	      "[feed loose]\nurl = http://127.0.0.1:9/loose.xml\n", f);
	fclose(f);
	cfg = config_load(path, stderr);
	unlink(path);
	return cfg;
}

static void test_opml(void)
{
	struct config *cfg = opml_config();
	struct store_feed feeds[1];
	struct render_meta m = { .title = "Wire & Co", .updated = T1 };
	struct buf out = { 0 };
	struct parsed p;

	if (!ok(cfg != NULL, "opml_config_loads"))
		return;
	memset(feeds, 0, sizeof feeds);
	feeds[0].name = "alpha";
	feeds[0].title = "Alpha's Own Title";
	feeds[0].link = "http://alpha.example/";
	is_int(render_opml(&m, cfg, feeds, 1, &out), 0, "opml_renders");
	ok(parse(&out, &p) == 0, "opml_is_well_formed");
	is_xp(&p, "/opml/@version", "2.0", "opml_version_2_0");
	is_xp(&p, "/opml/head/title", "Wire & Co", "opml_head_title");
	is_xp(&p, "/opml/head/dateModified", "Tue, 14 Nov 2023 22:13:20 GMT",
	      "opml_date_modified_rfc822");
	is_count(&p, "/opml/body/outline[not(@type)]", "2",
		 "opml_one_category_outline_per_section");
	is_xp(&p, "/opml/body/outline[1]/@text", "World <News>",
	      "opml_category_text_is_section_title");
	is_count(&p, "/opml/body/outline[2]/outline[@type='rss']", "2",
		 "opml_section_holds_its_feeds");
	is_count(&p, "//outline[@xmlUrl='http://127.0.0.1:9/alpha.xml']", "2",
		 "opml_feed_in_two_sections_listed_in_both");
	is_xp(&p, "/opml/body/outline[1]/outline/@text", "Alpha's Own Title",
	      "opml_feed_title_from_store");
	is_xp(&p, "/opml/body/outline[1]/outline/@htmlUrl", "http://alpha.example/",
	      "opml_html_url_from_store");
	is_xp(&p, "/opml/body/outline[2]/outline[2]/@title", "Beta Configured",
	      "opml_configured_title_wins");
	is_xp(&p, "/opml/body/outline[3]/@xmlUrl", "http://127.0.0.1:9/loose.xml",
	      "opml_feed_without_section_at_top_level");
	is_xp(&p, "/opml/body/outline[3]/@text", "loose",
	      "opml_untitled_feed_named");
	parsed_free(&p);
	buf_free(&out);
	config_free(cfg);
}

int main(void)
{
	test_rss();
	test_rss_minimal();
	test_json();
	test_json_strings();
	test_media_fields();
	test_issue3_atom();
	test_issue3_rss_json();
	test_opml();
	xmlCleanupParser();
	return done_testing();
}
