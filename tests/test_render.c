/*
 * test_render.c — the Atom output: rendered, parsed back with libxml2 and
 * checked with XPath, so every test proves what a feed reader would see.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "buf.h"
#include "entry.h"
#include "render.h"
#include "tap.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"	/* configure passes the real one with -D */
#endif

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define T0 1234567890		/* 2009-02-13T23:31:30Z */
#define T0_STR "2009-02-13T23:31:30Z"
#define T1 1700000000		/* 2023-11-14T22:13:20Z */
#define T1_STR "2023-11-14T22:13:20Z"
#define T2 1600000000		/* 2020-09-13T12:26:40Z */
#define T2_STR "2020-09-13T12:26:40Z"
#define MANY 500

/* ---- building items by hand (store.c is not needed) ---------------------- */

static void set(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

static void item_init(struct store_item *it, int64_t item_id,
		      const char *guid, const char *title)
{
	memset(it, 0, sizeof *it);
	it->item_id = item_id;
	it->e.published = it->e.updated = ENTRY_NO_DATE;
	set(&it->e.guid, guid);
	set(&it->e.title, title);
	it->first_seen = T0;
	set(&it->feed_name, "wire.example");
	set(&it->feed_title, "Wire Service");
	set(&it->feed_url, "http://127.0.0.1/wire.xml");
	it->feed_updated = ENTRY_NO_DATE;
}

static void items_clear(struct store_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		entry_clear(&items[i].e);
		free(items[i].feed_name);
		free(items[i].feed_title);
		free(items[i].feed_url);
		free(items[i].feed_link);
		free(items[i].feed_source_id);
	}
}

static const struct render_meta META = {
	.title = "All the news",
	.subtitle = "Merged wire feeds",
	.id = "http://127.0.0.1:8080/feed.atom",
	.self_url = "http://127.0.0.1:8080/feed.atom",
	.alt_url = "http://127.0.0.1:8080/",
	.updated = T1,
};

/* ---- parsing the output back ------------------------------------------- */

struct parsed {
	xmlDocPtr doc;
	xmlXPathContextPtr xp;
};

static int xml_errors;

static void on_xml_error(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	xml_errors++;
	diag("libxml2: %s", err && err->message ? err->message : "?");
}

/* Renders items and parses the document; p->doc is NULL if either failed. */
static int render_parse(const struct render_meta *m,
			const struct store_item *items, size_t n,
			struct buf *out, struct parsed *p)
{
	int rc = render_atom(m, items, n, out);

	memset(p, 0, sizeof *p);
	if (rc)
		return rc;
	xml_errors = 0;
	p->doc = xmlReadMemory(out->data, (int)out->len, "feed.atom", NULL,
			       XML_PARSE_NONET);
	if (!p->doc)
		return -1;
	p->xp = xmlXPathNewContext(p->doc);
	xmlXPathRegisterNs(p->xp, BAD_CAST "a", BAD_CAST ATOM_NS);
	return 0;
}

static void parsed_free(struct parsed *p)
{
	xmlXPathFreeContext(p->xp);
	xmlFreeDoc(p->doc);
	memset(p, 0, sizeof *p);
}

/* The XPath string value of expr (caller frees), NULL if it failed. */
static char *xp_string(struct parsed *p, const char *expr)
{
	xmlXPathObjectPtr o;
	char *s = NULL;
	struct buf b = {0};

	if (!p->xp)
		return NULL;
	buf_printf(&b, "string(%s)", expr);
	o = xmlXPathEvalExpression(BAD_CAST b.data, p->xp);
	buf_free(&b);
	if (o && o->type == XPATH_STRING)
		s = xstrdup((const char *)o->stringval);
	xmlXPathFreeObject(o);
	return s;
}

static long xp_count(struct parsed *p, const char *expr)
{
	xmlXPathObjectPtr o;
	long n = -1;
	struct buf b = {0};

	if (!p->xp)
		return -1;
	buf_printf(&b, "count(%s)", expr);
	o = xmlXPathEvalExpression(BAD_CAST b.data, p->xp);
	buf_free(&b);
	if (o && o->type == XPATH_NUMBER)
		n = (long)o->floatval;
	xmlXPathFreeObject(o);
	return n;
}

static void is_xp(struct parsed *p, const char *expr, const char *want,
		  const char *name)
{
	char *got = xp_string(p, expr);

	if (!is_str(got, want, name))
		diag("xpath: %s", expr);
	free(got);
}

static void is_count(struct parsed *p, const char *expr, long want,
		     const char *name)
{
	if (!is_int(xp_count(p, expr), want, name))
		diag("xpath: count(%s)", expr);
}

/* ---- the tests ----------------------------------------------------------- */

static void test_feed_metadata(void)
{
	struct buf out = {0};
	struct parsed p;

	ok(render_parse(&META, NULL, 0, &out, &p) == 0,
	   "render_atom_empty_list_is_well_formed");
	/* libxml2 spells it "UTF-8"; encoding names are case-insensitive
	 * (XML 1.0 §4.3.3). */
	ok(strncasecmp(out.data ? out.data : "",
		       "<?xml version=\"1.0\" encoding=\"utf-8\"?>", 38) == 0,
	   "render_atom_starts_with_utf8_xml_declaration");
	is_int(xml_errors, 0, "render_atom_parses_without_errors");
	is_count(&p, "/a:feed", 1, "render_atom_root_is_atom_feed");
	is_xp(&p, "/a:feed/a:id", META.id, "render_atom_feed_id");
	is_xp(&p, "/a:feed/a:title", META.title, "render_atom_feed_title");
	is_xp(&p, "/a:feed/a:title/@type", "text", "render_atom_feed_title_type_text");
	is_xp(&p, "/a:feed/a:subtitle", META.subtitle, "render_atom_feed_subtitle");
	is_xp(&p, "/a:feed/a:updated", T1_STR, "render_atom_feed_updated_rfc3339");
	is_xp(&p, "/a:feed/a:link[@rel='self']/@href", META.self_url,
	      "render_atom_feed_self_link");
	is_xp(&p, "/a:feed/a:link[@rel='self']/@type", "application/atom+xml",
	      "render_atom_feed_self_link_type");
	is_xp(&p, "/a:feed/a:link[@rel='alternate']/@href", META.alt_url,
	      "render_atom_feed_alternate_link");
	is_xp(&p, "/a:feed/a:link[@rel='alternate']/@type", "text/html",
	      "render_atom_feed_alternate_link_type");
	is_xp(&p, "/a:feed/a:generator", "feedmux", "render_atom_generator_name");
	is_xp(&p, "/a:feed/a:generator/@uri", "https://github.com/feedmux/feedmux",
	      "render_atom_generator_uri");
	is_xp(&p, "/a:feed/a:generator/@version", PACKAGE_VERSION,
	      "render_atom_generator_version");
	is_xp(&p, "/a:feed/a:author/a:name", META.title,
	      "render_atom_feed_author_is_feed_title");
	is_count(&p, "//a:entry", 0, "render_atom_empty_list_has_no_entries");
	parsed_free(&p);
	buf_free(&out);
}

static void test_feed_optional_metadata(void)
{
	struct render_meta m = META;
	struct store_item it;
	struct buf out = {0};
	struct parsed p;

	m.subtitle = NULL;
	m.alt_url = NULL;
	m.updated = ENTRY_NO_DATE;
	item_init(&it, 1, "urn:x:1", "One");
	it.e.updated = T2;
	ok(render_parse(&m, &it, 1, &out, &p) == 0,
	   "render_atom_without_optional_metadata_is_well_formed");
	is_count(&p, "/a:feed/a:subtitle", 0, "render_atom_no_subtitle_when_null");
	is_count(&p, "/a:feed/a:link[@rel='alternate']", 0,
		 "render_atom_no_alternate_link_when_null");
	is_xp(&p, "/a:feed/a:updated", T2_STR,
	      "render_atom_feed_updated_falls_back_to_newest_entry");
	parsed_free(&p);
	buf_free(&out);
	items_clear(&it, 1);
}

static void test_render_appends(void)
{
	struct buf out = {0};

	buf_puts(&out, "KEEP");
	ok(render_atom(&META, NULL, 0, &out) == 0, "render_atom_returns_0");
	ok(strncmp(out.data, "KEEP<?xml ", 10) == 0,
	   "render_atom_appends_after_existing_bytes");
	buf_free(&out);
}

static void test_entry_ids(void)
{
	struct store_item it;
	char *id;

	item_init(&it, 42, "http://127.0.0.1/a?id=1", "x");
	id = render_entry_id(&it);
	is_str(id, "http://127.0.0.1/a?id=1", "render_entry_id_keeps_iri_guid");
	free(id);

	set(&it.e.guid, NULL);
	id = render_entry_id(&it);
	is_str(id, "tag:feedmux,2026:item/wire.example/42",
	       "render_entry_id_without_guid_is_tag_uri");
	free(id);

	set(&it.e.guid, "");
	id = render_entry_id(&it);
	is_str(id, "tag:feedmux,2026:item/wire.example/42",
	       "render_entry_id_empty_guid_is_tag_uri");
	free(id);

	set(&it.e.guid, "12345 a/b");
	id = render_entry_id(&it);
	is_str(id, "tag:feedmux,2026:guid/wire.example/12345%20a%2Fb",
	       "render_entry_id_non_iri_guid_is_encoded_in_tag_uri");
	free(id);

	set(&it.e.guid, "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a");
	id = render_entry_id(&it);
	is_str(id, "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a",
	       "render_entry_id_keeps_urn_guid");
	free(id);

	set(&it.e.guid, "http://127.0.0.1/\xff");
	id = render_entry_id(&it);
	is_str(id, "tag:feedmux,2026:guid/wire.example/http%3A%2F%2F127.0.0.1%2F%FF",
	       "render_entry_id_guid_with_invalid_utf8_is_encoded");
	free(id);
	items_clear(&it, 1);
}

static void test_updated_fallback(void)
{
	struct store_item it[3];
	struct buf out = {0};
	struct parsed p;

	item_init(&it[0], 1, "urn:x:1", "updated and published");
	it[0].e.updated = T1;
	it[0].e.published = T2;
	item_init(&it[1], 2, "urn:x:2", "published only");
	it[1].e.published = T2;
	item_init(&it[2], 3, "urn:x:3", "neither");
	is_int(render_entry_updated(&it[0]), T1, "render_entry_updated_prefers_updated");
	is_int(render_entry_updated(&it[1]), T2, "render_entry_updated_falls_back_to_published");
	is_int(render_entry_updated(&it[2]), T0, "render_entry_updated_falls_back_to_first_seen");
	ok(render_parse(&META, it, 3, &out, &p) == 0, "render_atom_dates_well_formed");
	is_xp(&p, "/a:feed/a:entry[1]/a:updated", T1_STR, "render_atom_entry_updated");
	is_xp(&p, "/a:feed/a:entry[1]/a:published", T2_STR, "render_atom_entry_published");
	is_xp(&p, "/a:feed/a:entry[2]/a:updated", T2_STR,
	      "render_atom_entry_updated_from_published");
	is_xp(&p, "/a:feed/a:entry[3]/a:updated", T0_STR,
	      "render_atom_entry_updated_from_first_seen");
	is_count(&p, "/a:feed/a:entry[3]/a:published", 0,
		 "render_atom_no_published_when_absent");
	is_count(&p, "/a:feed/a:entry[a:updated]", 3, "render_atom_every_entry_has_updated");
	parsed_free(&p);
	buf_free(&out);
	items_clear(it, 3);
}

static void test_entry_fields(void)
{
	struct store_item it[3];
	struct buf out = {0};
	struct parsed p;

	item_init(&it[0], 7, "urn:x:7", "Full entry");
	set(&it[0].e.link, "http://127.0.0.1/story/7");
	set(&it[0].e.author, "Ann Writer");
	set(&it[0].e.summary, "<p>Lead &amp; more</p>");
	set(&it[0].e.content, "<p>Body</p>\r\n<p>two</p>");
	entry_add_category(&it[0].e, "World");
	entry_add_category(&it[0].e, "");
	entry_add_category(&it[0].e, "Asia");
	set(&it[0].feed_link, "http://127.0.0.1/wire/");
	set(&it[0].feed_source_id, "urn:wire:feed");
	it[0].feed_updated = T2;
	item_init(&it[1], 8, NULL, "");
	set(&it[1].e.link, "http://127.0.0.1/story/8");
	item_init(&it[2], 9, NULL, NULL);

	ok(render_parse(&META, it, 3, &out, &p) == 0, "render_atom_entries_well_formed");
	is_count(&p, "/a:feed/a:entry", 3, "render_atom_one_entry_per_item");
	is_xp(&p, "/a:feed/a:entry[1]/a:id", "urn:x:7", "render_atom_entry_id_is_guid");
	is_xp(&p, "/a:feed/a:entry[2]/a:id", "tag:feedmux,2026:item/wire.example/8",
	      "render_atom_entry_id_tag_without_guid");
	is_xp(&p, "/a:feed/a:entry[1]/a:title", "Full entry", "render_atom_entry_title");
	is_xp(&p, "/a:feed/a:entry[1]/a:title/@type", "text", "render_atom_entry_title_type");
	is_xp(&p, "/a:feed/a:entry[2]/a:title", "http://127.0.0.1/story/8",
	      "render_atom_empty_title_falls_back_to_link");
	is_xp(&p, "/a:feed/a:entry[3]/a:title", "(untitled)",
	      "render_atom_no_title_no_link_is_untitled");
	is_xp(&p, "/a:feed/a:entry[1]/a:link[@rel='alternate']/@href",
	      "http://127.0.0.1/story/7", "render_atom_entry_alternate_link");
	is_count(&p, "/a:feed/a:entry[3]/a:link", 0, "render_atom_no_link_when_absent");
	is_xp(&p, "/a:feed/a:entry[1]/a:author/a:name", "Ann Writer",
	      "render_atom_entry_author");
	is_count(&p, "/a:feed/a:entry[2]/a:author", 0, "render_atom_no_entry_author_when_absent");
	is_count(&p, "/a:feed/a:entry[1]/a:category", 2,
		 "render_atom_empty_category_skipped");
	is_xp(&p, "/a:feed/a:entry[1]/a:category[1]/@term", "World",
	      "render_atom_category_term");
	is_xp(&p, "/a:feed/a:entry[1]/a:category[2]/@term", "Asia",
	      "render_atom_categories_in_order");
	is_xp(&p, "/a:feed/a:entry[1]/a:summary", "<p>Lead &amp; more</p>",
	      "render_atom_summary_html_round_trips");
	is_xp(&p, "/a:feed/a:entry[1]/a:summary/@type", "html", "render_atom_summary_type_html");
	is_xp(&p, "/a:feed/a:entry[1]/a:content", "<p>Body</p>\r\n<p>two</p>",
	      "render_atom_content_html_round_trips_with_cr");
	is_xp(&p, "/a:feed/a:entry[1]/a:content/@type", "html", "render_atom_content_type_html");
	is_count(&p, "/a:feed/a:entry[2]/a:summary | /a:feed/a:entry[2]/a:content", 0,
		 "render_atom_no_summary_content_when_absent");
	parsed_free(&p);
	buf_free(&out);
	items_clear(it, 3);
}

static void test_source(void)
{
	struct store_item it[2];
	struct buf out = {0};
	struct parsed p;

	item_init(&it[0], 1, "urn:x:1", "with source id");
	set(&it[0].feed_link, "http://127.0.0.1/wire/");
	set(&it[0].feed_source_id, "urn:wire:feed");
	it[0].feed_updated = T2;
	item_init(&it[1], 2, "urn:x:2", "without");
	set(&it[1].feed_title, NULL);

	ok(render_parse(&META, it, 2, &out, &p) == 0, "render_atom_source_well_formed");
	is_count(&p, "/a:feed/a:entry/a:source", 2, "render_atom_every_entry_has_source");
	is_xp(&p, "/a:feed/a:entry[1]/a:source/a:id", "urn:wire:feed",
	      "render_atom_source_id_is_feed_atom_id");
	is_xp(&p, "/a:feed/a:entry[2]/a:source/a:id", "http://127.0.0.1/wire.xml",
	      "render_atom_source_id_falls_back_to_feed_url");
	is_xp(&p, "/a:feed/a:entry[1]/a:source/a:title", "Wire Service",
	      "render_atom_source_title");
	is_xp(&p, "/a:feed/a:entry[2]/a:source/a:title", "wire.example",
	      "render_atom_source_title_falls_back_to_feed_name");
	is_xp(&p, "/a:feed/a:entry[1]/a:source/a:link[@rel='alternate']/@href",
	      "http://127.0.0.1/wire/", "render_atom_source_alternate_link");
	is_count(&p, "/a:feed/a:entry[2]/a:source/a:link[@rel='alternate']", 0,
		 "render_atom_source_no_alternate_without_feed_link");
	is_xp(&p, "/a:feed/a:entry[2]/a:source/a:link[@rel='self']/@href",
	      "http://127.0.0.1/wire.xml", "render_atom_source_self_link_is_feed_url");
	is_xp(&p, "/a:feed/a:entry[1]/a:source/a:updated", T2_STR,
	      "render_atom_source_updated");
	is_count(&p, "/a:feed/a:entry[2]/a:source/a:updated", 0,
		 "render_atom_source_no_updated_when_unknown");
	parsed_free(&p);
	buf_free(&out);
	items_clear(it, 2);
}

/* SPEC.md: the other copies of a story as rel="related" links. */
static void test_copies(void)
{
	struct store_item it[1];
	struct buf out = {0};
	struct parsed p;

	item_init(&it[0], 1, "urn:x:1", "carried twice");
	it[0].copies = xcalloc(3, sizeof *it[0].copies);
	it[0].n_copies = 3;
	it[0].copies[0].url = xstrdup("http://outlet.example/a?x=1&y=2");
	it[0].copies[0].feed_title = xstrdup("Outlet <One>");
	it[0].copies[0].feed_name = xstrdup("one");
	it[0].copies[1].feed_name = xstrdup("nolink");
	it[0].copies[2].url = xstrdup("http://two.example/b");
	it[0].copies[2].feed_name = xstrdup("two");
	ok(render_parse(&META, it, 1, &out, &p) == 0,
	   "render_atom_copies_well_formed");
	is_count(&p, "/a:feed/a:entry/a:link[@rel='related']", 2,
		 "render_atom_one_related_link_per_copy_with_a_url");
	is_xp(&p, "/a:feed/a:entry/a:link[@rel='related'][1]/@href",
	      "http://outlet.example/a?x=1&y=2", "render_atom_related_href");
	is_xp(&p, "/a:feed/a:entry/a:link[@rel='related'][1]/@title",
	      "Outlet <One>", "render_atom_related_title_is_copy_feed_title");
	is_xp(&p, "/a:feed/a:entry/a:link[@rel='related'][2]/@title", "two",
	      "render_atom_related_title_falls_back_to_feed_name");
	parsed_free(&p);
	buf_free(&out);
	store_copies_free(it[0].copies, it[0].n_copies);
	it[0].copies = NULL;
	it[0].n_copies = 0;
	items_clear(it, 1);
}

static void test_escaping(void)
{
	const char *nasty = "a <b> & \"c\" 'd' ]]> &amp;";
	struct store_item it;
	struct buf out = {0};
	struct parsed p;

	item_init(&it, 1, "urn:x:1", nasty);
	set(&it.e.link, "http://127.0.0.1/?a=1&b=\"2\"<'3'>");
	entry_add_category(&it.e, nasty);
	set(&it.e.author, nasty);
	set(&it.feed_title, nasty);
	ok(render_parse(&META, &it, 1, &out, &p) == 0, "render_atom_escaping_well_formed");
	is_xp(&p, "/a:feed/a:entry/a:title", nasty, "render_atom_title_special_chars_round_trip");
	is_xp(&p, "/a:feed/a:entry/a:link/@href", "http://127.0.0.1/?a=1&b=\"2\"<'3'>",
	      "render_atom_href_special_chars_round_trip");
	is_xp(&p, "/a:feed/a:entry/a:category/@term", nasty,
	      "render_atom_term_special_chars_round_trip");
	is_xp(&p, "/a:feed/a:entry/a:author/a:name", nasty,
	      "render_atom_author_special_chars_round_trip");
	is_xp(&p, "/a:feed/a:entry/a:source/a:title", nasty,
	      "render_atom_source_title_special_chars_round_trip");
	ok(out.data && !strstr(out.data, "<b>"), "render_atom_no_raw_markup_from_text");
	parsed_free(&p);
	buf_free(&out);
	items_clear(&it, 1);
}

static void test_xml_clean(void)
{
	char *s;

	ok(render_xml_clean(NULL) == NULL, "render_xml_clean_null_is_null");
	s = render_xml_clean("a\x01" "b\x0b" "c\td\ne\rf\x1f");
	is_str(s, "abc\td\ne\rf", "render_xml_clean_strips_c0_controls_keeps_tab_lf_cr");
	free(s);
	s = render_xml_clean("x\xef\xbf\xbey\xef\xbf\xbfz\xef\xbf\xbd");
	is_str(s, "xyz\xef\xbf\xbd", "render_xml_clean_strips_fffe_ffff_keeps_fffd");
	free(s);
	s = render_xml_clean("x\xffy\xc3(z");
	is_str(s, "x\xef\xbf\xbdy\xef\xbf\xbd(z", "render_xml_clean_repairs_bad_bytes");
	free(s);
	s = render_xml_clean("\xc0\xaf");
	is_str(s, "\xef\xbf\xbd\xef\xbf\xbd", "render_xml_clean_rejects_overlong");
	free(s);
	s = render_xml_clean("\xed\xa0\x80");
	is_str(s, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "render_xml_clean_rejects_surrogate");
	free(s);
	s = render_xml_clean("\xf0\x9f\x98" "A");
	is_str(s, "\xef\xbf\xbd" "A", "render_xml_clean_truncated_sequence_keeps_next_char");
	free(s);
	s = render_xml_clean("\xf4\x90\x80\x80");
	is_str(s, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	       "render_xml_clean_rejects_beyond_10ffff");
	free(s);
	s = render_xml_clean("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf");
	is_str(s, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf",
	       "render_xml_clean_keeps_valid_utf8");
	free(s);
}

static void test_bad_text_in_feed(void)
{
	struct render_meta m = META;
	struct store_item it;
	struct buf out = {0};
	struct parsed p;

	m.title = "Feed\x02 title\xff";
	item_init(&it, 1, "urn:x:1", "ti\x01tle\x1b[0m \xc3");
	set(&it.e.content, "<p>\x0c" "caf\xe9</p>");
	set(&it.e.link, "http://127.0.0.1/\x01x");
	ok(render_parse(&m, &it, 1, &out, &p) == 0, "render_atom_bad_text_still_well_formed");
	is_int(xml_errors, 0, "render_atom_bad_text_parses_without_errors");
	is_xp(&p, "/a:feed/a:title", "Feed title\xef\xbf\xbd",
	      "render_atom_feed_title_cleaned");
	is_xp(&p, "/a:feed/a:entry/a:title", "title[0m \xef\xbf\xbd",
	      "render_atom_entry_title_controls_stripped_utf8_repaired");
	is_xp(&p, "/a:feed/a:entry/a:content", "<p>caf\xef\xbf\xbd</p>",
	      "render_atom_content_cleaned");
	is_xp(&p, "/a:feed/a:entry/a:link/@href", "http://127.0.0.1/x",
	      "render_atom_attribute_cleaned");
	parsed_free(&p);
	buf_free(&out);
	items_clear(&it, 1);
}

static void test_many_entries(void)
{
	struct store_item *it = xcalloc(MANY, sizeof *it);
	struct buf out = {0}, t = {0};
	struct parsed p;
	size_t i;
	char *first, *last;

	for (i = 0; i < MANY; i++) {
		buf_reset(&t);
		buf_printf(&t, "Story %zu", i);
		item_init(&it[i], (int64_t)i + 1, NULL, t.data);
		it[i].e.published = T1 - (int64_t)i * 60;
	}
	ok(render_parse(&META, it, MANY, &out, &p) == 0, "render_atom_500_entries_well_formed");
	is_count(&p, "/a:feed/a:entry", MANY, "render_atom_500_entries_all_present");
	is_count(&p, "/a:feed/a:entry/a:source", MANY, "render_atom_500_entries_all_have_source");
	first = xp_string(&p, "/a:feed/a:entry[1]/a:id");
	last = xp_string(&p, "/a:feed/a:entry[500]/a:id");
	is_str(first, "tag:feedmux,2026:item/wire.example/1", "render_atom_500_first_in_order");
	is_str(last, "tag:feedmux,2026:item/wire.example/500", "render_atom_500_last_in_order");
	is_xp(&p, "/a:feed/a:entry[250]/a:title", "Story 249", "render_atom_500_middle_in_order");
	free(first);
	free(last);
	parsed_free(&p);
	buf_free(&out);
	buf_free(&t);
	items_clear(it, MANY);
	free(it);
}

int main(void)
{
	xmlInitParser();
	xmlSetStructuredErrorFunc(NULL, on_xml_error);
	test_feed_metadata();
	test_feed_optional_metadata();
	test_render_appends();
	test_entry_ids();
	test_updated_fallback();
	test_entry_fields();
	test_source();
	test_copies();
	test_escaping();
	test_xml_clean();
	test_bad_text_in_feed();
	test_many_entries();
	xmlCleanupParser();
	return done_testing();
}
