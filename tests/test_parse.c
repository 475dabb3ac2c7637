/*
 * test_parse.c — the feed parser on fixtures in tests/data/parse: each
 * dialect and field, xml:base, entities, hostile documents, broken ones,
 * and the same entries however the bytes are split.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "date.h"
#include "parse.h"
#include "tap.h"

#define FEED_URL "http://example.com/feeds/news.xml"

struct run {
	int rc;
	char err[256];
	int repaired;
	enum parse_format format;
	size_t count;
	struct feed_meta meta;
	struct entry *entries;	/* owned, stolen in the callback */
	size_t n;
	double seconds;
};

/* Steals every string, as parse.h allows: the parser frees the rest. */
static void on_entry(void *ctx, struct entry *e)
{
	struct run *r = ctx;

	r->entries = xrealloc(r->entries, (r->n + 1) * sizeof *r->entries);
	r->entries[r->n++] = *e;
	memset(e, 0, sizeof *e);
}

/* chunk 0: the whole document in one push. */
static void run_doc(const char *data, size_t len, size_t chunk, struct run *r)
{
	struct parser *p = parse_create(FEED_URL, on_entry, r);
	struct timespec t0, t1;
	size_t i, n;

	memset(r, 0, sizeof *r);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (chunk == 0)
		chunk = len ? len : 1;
	for (i = 0; i < len; i += n) {
		n = len - i < chunk ? len - i : chunk;
		if (parse_push(p, data + i, n) < 0)
			break;
	}
	r->rc = parse_finish(p, &r->meta, r->err, sizeof r->err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->seconds = (double)(t1.tv_sec - t0.tv_sec) +
		     (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	r->repaired = parse_repaired(p);
	r->format = parse_format(p);
	r->count = parse_entry_count(p);
	parse_free(p);
}

static void run_free(struct run *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		entry_clear(&r->entries[i]);
	free(r->entries);
	feed_meta_clear(&r->meta);
}

static char *read_fixture(const char *name, size_t *len)
{
	const char *top = getenv("top_srcdir");
	struct buf path = {0}, data = {0};
	char chunk[4096];
	size_t n;
	FILE *f;

	buf_printf(&path, "%s/tests/data/parse/%s", top ? top : ".", name);
	f = fopen(path.data, "rb");
	if (f == NULL) {
		diag("cannot open fixture %s", path.data);
		buf_free(&path);
		*len = 0;
		return xstrdup("");
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&data, chunk, n);
	fclose(f);
	buf_free(&path);
	*len = data.len;
	return buf_steal(&data);
}

static void run_fixture(const char *name, size_t chunk, struct run *r)
{
	size_t len;
	char *data = read_fixture(name, &len);

	run_doc(data, len, chunk, r);
	free(data);
}

static const struct entry *entry_at(const struct run *r, size_t i)
{
	static const struct entry none = {
		.published = ENTRY_NO_DATE, .updated = ENTRY_NO_DATE,
	};

	return i < r->n ? &r->entries[i] : &none;
}

static const char *category_at(const struct entry *e, size_t i)
{
	return i < e->n_categories ? e->categories[i] : NULL;
}

/* Everything a run produced, as one string to compare runs. */
static char *run_dump(const struct run *r)
{
	struct buf b = {0};
	const struct entry *e;
	size_t i, j;

	buf_printf(&b, "rc=%d err=%s fmt=%d count=%zu repaired=%d\n", r->rc,
		   r->rc ? r->err : "", (int)r->format, r->count, r->repaired);
	buf_printf(&b, "meta %s|%s|%s|%lld\n", r->meta.id ? r->meta.id : "-",
		   r->meta.title ? r->meta.title : "-",
		   r->meta.link ? r->meta.link : "-", (long long)r->meta.updated);
	for (i = 0; i < r->n; i++) {
		e = &r->entries[i];
		buf_printf(&b, "%s|%s|%s|%s|%s|%s|%lld|%lld", e->guid ? e->guid : "-",
			   e->link ? e->link : "-", e->title ? e->title : "-",
			   e->summary ? e->summary : "-",
			   e->content ? e->content : "-",
			   e->author ? e->author : "-", (long long)e->published,
			   (long long)e->updated);
		for (j = 0; j < e->n_categories; j++)
			buf_printf(&b, "|c:%s", e->categories[j]);
		buf_puts(&b, "\n");
	}
	return buf_steal(&b);
}

static int valid_utf8_xml(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, i;

	for (; s && *u; u += n) {
		if (*u < 0x20 && *u != '\t' && *u != '\n' && *u != '\r')
			return 0;
		n = *u < 0x80 ? 1 : (*u & 0xE0) == 0xC0 ? 2 :
		    (*u & 0xF0) == 0xE0 ? 3 : (*u & 0xF8) == 0xF0 ? 4 : 0;
		if (n == 0 || (n == 2 && *u < 0xC2))
			return 0;
		for (i = 1; i < n; i++)
			if ((u[i] & 0xC0) != 0x80)
				return 0;
		if (n == 3 && u[0] == 0xED && u[1] >= 0xA0)
			return 0;	/* a surrogate */
	}
	return 1;
}

/* ---- dialects ---- */

static void test_rss2(void)
{
	struct run r;
	const struct entry *e;

	run_fixture("rss2_news.xml", 0, &r);
	is_int(r.rc, 0, "rss2_parses");
	is_int(r.format, PARSE_FORMAT_RSS, "rss2_format");
	is_int(r.count, 3, "rss2_entry_count");
	is_int(r.n, 3, "rss2_callback_per_item");
	/* &nbsp; and &mdash; with no DTD declaring them: XML 1.0 §4.1 WFC */
	is_int(r.repaired, 1, "rss2_undeclared_html_entities_are_a_repair");
	is_str(r.meta.title, "Xinhua \xe2\x80\x93 English News",
	       "rss2_channel_title_not_image_title");
	is_str(r.meta.link, "http://english.news.cn/", "rss2_channel_link");
	is_int(r.meta.updated, date_parse("2024-04-03T01:00:00Z"),
	       "rss2_lastbuilddate_is_feed_updated");
	is_str(r.meta.id, NULL, "rss2_has_no_feed_id");

	e = entry_at(&r, 0);
	is_str(e->guid, "xinhua-20240403-0001", "rss2_guid");
	is_str(e->link, "http://english.news.cn/20240403/a1b2c3/c.html",
	       "rss2_link");
	is_str(e->title, "China, France pledge closer cooperation on climate",
	       "rss2_title");
	is_str(e->summary, "<p>BEIJING, April 3 (Xinhua) -- Chinese and French "
	       "officials on Wednesday <b>pledged</b> closer cooperation &amp; more.</p>",
	       "rss2_cdata_description_kept_verbatim");
	is_int(e->published, date_parse("2024-04-03T00:15:00Z"),
	       "rss2_pubdate_with_offset");
	is_str(e->author, "Xinhua Editor", "rss2_author_email_name_gives_name");
	is_int(e->n_categories, 2, "rss2_categories_deduplicated");
	is_str(category_at(e, 0), "China", "rss2_first_category");
	is_str(category_at(e, 1), "Climate", "rss2_second_category");
	is_str(e->content, NULL, "rss2_no_content_encoded_no_content");

	e = entry_at(&r, 1);
	is_str(e->title, "Floods hit southern province",
	       "rss2_title_newlines_collapsed");
	is_str(e->link, "http://example.com/english/20240403/floods.html",
	       "rss2_relative_link_trimmed_and_resolved_against_feed_url");
	is_str(e->guid, "20240403-0002", "rss2_guid_not_url_kept_as_guid");
	is_str(e->summary, "<p>Heavy rain &amp; floods</p>",
	       "rss2_escaped_description_unescaped_once");
	is_str(e->content, "<p>Full story: <a href=\"http://example.com/english/more.html\">more</a></p>",
	       "rss2_content_encoded_is_content");
	is_int(e->published, date_parse("2024-04-03T01:30:00Z"),
	       "rss2_dc_date_is_published_when_no_pubdate");
	is_str(e->author, "Li Wei", "rss2_dc_creator_is_author");
	is_str(category_at(e, 0), "Weather", "rss2_dc_subject_is_category");

	e = entry_at(&r, 2);
	is_str(e->title, "Markets\xc2\xa0rally \xe2\x80\x94 Tom & Jerry\xe2\x80\xa6",
	       "rss2_html_entities_nbsp_mdash_hellip_expanded");
	is_str(e->link, "http://english.news.cn/20240403/markets.html",
	       "rss2_permalink_guid_is_link_without_link");
	is_int(e->published, date_parse("2024-04-03T00:45:00Z"),
	       "rss2_pubdate_beats_dc_date");
	is_int(e->updated, date_parse("2024-04-03T02:00:00Z"),
	       "rss2_atom_updated_is_updated");
	is_str(e->author, "Zhang San", "rss2_creator_name_beats_author_email");
	run_free(&r);
}

static void test_rss091(void)
{
	struct run r;

	run_fixture("rss091.xml", 0, &r);
	is_int(r.rc, 0, "rss091_parses_without_loading_its_dtd");
	is_int(r.count, 2, "rss091_entry_count");
	is_str(r.meta.title, "Caf\xc3\xa9 News", "rss091_latin1_entity_title");
	is_str(entry_at(&r, 0)->title,
	       "Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e & caf\xc3\xa9",
	       "rss091_html_entities_from_dtd_we_never_load");
	is_str(entry_at(&r, 0)->summary,
	       "Le caf\xc3\xa9 \xc2\xab\xc2\xa0noir\xc2\xa0\xc2\xbb",
	       "rss091_laquo_nbsp_raquo");
	is_str(entry_at(&r, 1)->title, "Na\xc3\xafve text in Latin-1",
	       "rss091_iso_8859_1_bytes_become_utf8");
	run_free(&r);
}

static void test_rss1(void)
{
	struct run r;
	const struct entry *e;

	run_fixture("rss1_rdf.xml", 0, &r);
	is_int(r.rc, 0, "rss1_parses");
	is_int(r.format, PARSE_FORMAT_RSS, "rss1_format_is_rss");
	is_int(r.count, 2, "rss1_items_beside_channel");
	is_str(r.meta.title, "RDF Site", "rss1_channel_title");
	is_int(r.meta.updated, date_parse("2024-04-02T08:00:00Z"),
	       "rss1_channel_dc_date_is_feed_updated");
	e = entry_at(&r, 0);
	is_str(e->title, "First RDF item", "rss1_title");
	is_str(e->link, "http://rdf.example.org/one", "rss1_link");
	is_str(e->summary, "One <i>description</i>", "rss1_description");
	is_str(e->content, "<p>The full first item</p>", "rss1_content_encoded");
	is_int(e->published, date_parse("2024-04-02T07:00:00Z"),
	       "rss1_dc_date_offset");
	is_str(e->author, "Ann Author", "rss1_dc_creator");
	is_str(category_at(e, 0), "Science", "rss1_dc_subject");
	is_str(entry_at(&r, 1)->link, "http://example.com/feeds/two",
	       "rss1_relative_link_against_feed_url");
	run_free(&r);
}

static void test_atom(void)
{
	struct run r;
	const struct entry *e;

	run_fixture("atom.xml", 0, &r);
	is_int(r.rc, 0, "atom_parses");
	is_int(r.format, PARSE_FORMAT_ATOM, "atom_format");
	is_int(r.count, 3, "atom_entry_count");
	is_str(r.meta.title, "Example Atom Feed", "atom_feed_html_title_to_text");
	is_str(r.meta.link, "http://example.org/", "atom_feed_alternate_not_self");
	is_str(r.meta.id, "urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6",
	       "atom_feed_id");
	is_int(r.meta.updated, date_parse("2024-04-03T12:00:00Z"),
	       "atom_feed_updated");

	e = entry_at(&r, 0);
	is_str(e->guid, "tag:example.org,2024:first", "atom_id_is_guid");
	is_str(e->title, "Atom <b>text</b> title", "atom_text_title_kept_literally");
	is_str(e->link, "http://example.com/2024/04/03/first",
	       "atom_link_without_rel_is_alternate_resolved");
	is_int(e->published, date_parse("2024-04-03T08:00:00Z"), "atom_published");
	is_int(e->updated, date_parse("2024-04-03T11:00:00Z"), "atom_updated");
	is_str(e->author, "Second Author", "atom_author_name_beats_email");
	is_int(e->n_categories, 2, "atom_category_terms");
	is_str(category_at(e, 1), "world", "atom_category_term_not_label");
	is_str(e->summary, "Less than &lt; and &lt;b&gt;tags&lt;/b&gt; stay text",
	       "atom_text_summary_html_escaped");
	is_str(e->content, "<p>HTML <em>content</em> &amp; more</p>",
	       "atom_html_content_as_is");

	e = entry_at(&r, 1);
	is_str(e->title, "Fish & Chips\xc2\xa0\xe2\x80\x94 daily",
	       "atom_html_title_tags_stripped_entities_decoded");
	is_str(e->link, "http://example.org/fish",
	       "atom_alternate_link_after_related");
	is_str(e->content, "<p>Fish &amp; <b>chips</b><br/>served "
	       "<a href=\"http://example.org/menu?a=1&amp;b=2\">here</a></p>",
	       "atom_xhtml_content_is_div_children_serialized_class_dropped");
	is_str(e->author, "Feed Author", "atom_entry_inherits_feed_author");
	is_int(e->published, ENTRY_NO_DATE, "atom_no_published_no_date");

	e = entry_at(&r, 2);
	is_str(e->title, "An xhtml title & more", "atom_xhtml_title_text_content");
	is_str(e->summary, "Summary &lt;script&gt;alert(1)&lt;/script&gt;",
	       "atom_summary_default_type_text_escaped");
	is_str(e->content, NULL, "atom_out_of_line_content_skipped");
	is_str(e->link, NULL, "atom_source_link_ignored");
	is_str(e->author, "Feed Author", "atom_source_author_ignored");
	run_free(&r);
}

/* ---- URLs ---- */

static void test_xml_base(void)
{
	struct run r;

	run_fixture("xmlbase.xml", 0, &r);
	is_str(r.meta.link, "http://example.org/blog/index.html",
	       "xml_base_on_feed_resolves_feed_link");
	is_str(entry_at(&r, 0)->link, "http://example.org/blog/2024/post.html",
	       "xml_base_nested_relative_on_entry");
	is_str(entry_at(&r, 1)->link, "http://example.org/other/page.html",
	       "xml_base_on_the_link_element_itself");
	is_str(entry_at(&r, 2)->link, "https://mirror.example.net/a/?q=1#frag",
	       "xml_base_absolute_replaces_outer");
	is_str(entry_at(&r, 3)->link, "http://absolute.example.com/x",
	       "xml_base_absolute_link_unchanged");
	run_free(&r);

	run_fixture("rss_xmlbase.xml", 0, &r);
	is_str(r.meta.link, "http://cdn.example.com/news/", "xml_base_rss_channel");
	is_str(entry_at(&r, 0)->link, "http://cdn.example.com/news/world/story.html",
	       "xml_base_rss_item_nested");
	is_str(entry_at(&r, 1)->link, "http://cdn.example.com/top.html",
	       "xml_base_rss_absolute_path");
	run_free(&r);
}

static void test_guid_permalink(void)
{
	struct run r;

	run_fixture("rss_guid.xml", 0, &r);
	is_int(r.count, 6, "guid_cases_count");
	is_str(entry_at(&r, 0)->link, "http://g.example.com/1",
	       "guid_permalink_by_default_is_link");
	is_str(entry_at(&r, 1)->link, NULL, "guid_ispermalink_false_no_link");
	is_str(entry_at(&r, 1)->guid, "http://g.example.com/2",
	       "guid_ispermalink_false_still_guid");
	is_str(entry_at(&r, 2)->link, "http://g.example.com/3-link",
	       "guid_permalink_does_not_replace_link");
	is_str(entry_at(&r, 3)->link, NULL, "guid_default_non_url_no_link");
	is_str(entry_at(&r, 4)->link, "http://example.com/p/5",
	       "guid_ispermalink_true_relative_resolved");
	is_str(entry_at(&r, 5)->link, "http://g.example.com/6-link",
	       "guid_link_after_guid_wins");
	run_free(&r);
}


/* ---- entities, hostile and broken documents ---- */

static void test_entities(void)
{
	struct run r;
	const struct entry *e;

	run_fixture("entities.xml", 0, &r);
	e = entry_at(&r, 0);
	is_int(r.rc, 0, "entities_parse");
	is_str(e->title, "Caf\xc3\xa9\xc2\xa0\xc2\xa9\xc2\xae\xe2\x84\xa2 "
	       "\xe2\x80\x98q\xe2\x80\x99 \xe2\x80\x9c" "dq\xe2\x80\x9d "
	       "\xc2\xabx\xc2\xbb \xe2\x80\x93", "entities_html_table_in_text");
	is_str(e->link, "http://example.com/a?x=1&y=2", "entities_amp_in_link");
	is_str(e->summary, "<p>Hi</p> \xe2\x80\x94 the editors &amp;undefinedthing;",
	       "entities_declared_literal_expanded_undefined_kept");
	is_str(r.meta.title, "Acme & Co news", "entities_declared_in_channel");
	is_str(category_at(e, 0), "Acme & Co", "entities_declared_in_category");
	ok(r.repaired, "entities_undefined_marks_repaired");
	run_free(&r);
}

static void test_illformed(void)
{
	struct run r;

	run_fixture("illformed.xml", 0, &r);
	is_int(r.rc, 0, "illformed_still_parses");
	ok(r.repaired, "illformed_reports_repaired");
	is_int(r.count, 3, "illformed_keeps_every_item");
	is_str(entry_at(&r, 0)->title, "AT&T buys everything",
	       "illformed_bare_ampersand_kept");
	is_str(entry_at(&r, 1)->title, "Second & still here",
	       "illformed_item_after_unclosed_br");
	is_str(entry_at(&r, 2)->title, "Third & last",
	       "illformed_amp_after_errors_not_dropped");
	is_str(entry_at(&r, 2)->link, "http://broken.example.com/3",
	       "illformed_last_link");
	run_free(&r);
}

/* libxml2's messages end with "\n"; the stored reason goes to the log,
 * /healthz and the status page, so it must be one line. */
static void test_repair_reason_one_line(void)
{
	static const char doc[] =
		"<rss version=\"2.0\"><channel><title>t</title>\n"
		"<item><title>a</b></title><link>http://e.com/1</link></item>\n"
		"</channel></rss>\n";
	struct run r = { 0 };
	struct parser *p = parse_create(FEED_URL, on_entry, &r);
	const char *reason;

	parse_push(p, doc, sizeof doc - 1);
	r.rc = parse_finish(p, &r.meta, r.err, sizeof r.err);
	is_int(r.rc, 0, "repair_reason_doc_still_parses");
	reason = parse_repair_reason(p);
	ok(strstr(reason, "not well-formed: ") != NULL,
	   "repair_reason_names_libxml2_error");
	if (!ok(strpbrk(reason, "\r\n") == NULL,
		"repair_reason_has_no_newline"))
		diag("reason: '%s'", reason);
	ok(strstr(reason, " (line 2)") != NULL,
	   "repair_reason_keeps_line_number");
	ok(*reason && reason[strlen(reason) - 1] != ' ',
	   "repair_reason_has_no_trailing_space");
	parse_free(p);
	run_free(&r);
}

static void test_not_feeds(void)
{
	static const struct {
		const char *fixture, *err, *name;
	} cases[] = {
		{ "html_page.html", "not a feed: HTML page; it advertises the "
		  "feed http://example.com/feed.xml: use that URL",
		  "xhtml_page_is_not_a_feed_names_advertised_feed" },
		{ "html5_page.html", "not a feed: HTML page; it advertises the "
		  "feed http://example.com/feed.xml: use that URL",
		  "html5_page_is_not_a_feed_names_advertised_feed" },
		{ "opml.xml", "not a feed: root element <opml>", "other_root_is_not_a_feed" },
	};
	struct run r;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run_fixture(cases[i].fixture, 0, &r);
		is_int(r.rc, -1, cases[i].name);
		is_str(r.err, cases[i].err, cases[i].name);
		run_free(&r);
	}
	run_fixture("plain.txt", 0, &r);
	is_int(r.rc, -1, "plain_text_fails");
	ok(strncmp(r.err, "not XML: ", 9) == 0, "plain_text_is_not_xml");
	run_free(&r);
	run_doc("", 0, 0, &r);
	is_str(r.err, "not XML: empty document", "empty_body_is_not_xml");
	run_free(&r);
	run_fixture("empty_channel.xml", 0, &r);
	is_int(r.rc, 0, "feed_without_items_is_fine");
	is_int(r.count, 0, "feed_without_items_count_zero");
	is_str(r.meta.title, "Empty channel", "feed_without_items_has_meta");
	run_free(&r);
}

static int run_contains(const struct run *r, const char *needle)
{
	char *dump = run_dump(r);
	int found = strstr(dump, needle) != NULL;

	free(dump);
	return found;
}

static void test_entity_attacks(void)
{
	struct buf doc = {0};
	struct run r;
	size_t i;

	run_fixture("billion_laughs.xml", 0, &r);
	is_int(r.rc, 0, "billion_laughs_parses");
	ok(r.seconds < 2.0, "billion_laughs_finishes_fast");
	ok(!run_contains(&r, "lollol"), "billion_laughs_not_expanded");
	is_str(entry_at(&r, 0)->guid, "laughs-1", "billion_laughs_entry_kept");
	ok(r.repaired, "billion_laughs_marks_repaired");
	run_free(&r);

	/* PITFALLS.md: one 40 KB entity referenced 40,000 times */
	buf_puts(&doc, "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY a \"");
	for (i = 0; i < 40000; i++)
		buf_append(&doc, "a", 1);
	buf_puts(&doc, "\">]>\n<rss><channel><item><guid>q</guid><description>");
	for (i = 0; i < 40000; i++)
		buf_puts(&doc, "&a;");
	buf_puts(&doc, "</description></item></channel></rss>\n");
	run_doc(doc.data, doc.len, 0, &r);
	is_int(r.rc, 0, "quadratic_blowup_parses");
	ok(r.seconds < 2.0, "quadratic_blowup_finishes_fast");
	is_str(entry_at(&r, 0)->summary, NULL, "quadratic_blowup_not_expanded");
	run_free(&r);
	buf_free(&doc);
}

static void test_external_entities(void)
{
	char dir[] = "/tmp/test_parse.XXXXXX", path[64];
	struct buf doc = {0};
	struct run r;
	FILE *f;

	run_fixture("xxe.xml", 0, &r);
	is_int(r.rc, 0, "xxe_parses");
	ok(!run_contains(&r, "root:"), "xxe_etc_passwd_not_read");
	is_str(entry_at(&r, 0)->title, "Leak:", "xxe_reference_expands_to_nothing");
	run_free(&r);

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof path, "%s/secret", dir);
	f = fopen(path, "w");
	if (f) {
		fputs("SECRET-MARKER-42\n", f);
		fclose(f);
	}
	buf_printf(&doc, "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY s SYSTEM "
		   "\"file://%s\">]>\n<rss><channel><title>&s;</title><item>"
		   "<title>x&s;</title><description>&s;</description></item>"
		   "</channel></rss>", path);
	run_doc(doc.data, doc.len, 0, &r);
	is_int(r.count, 1, "xxe_existing_file_entry_kept");
	ok(!run_contains(&r, "SECRET-MARKER"), "xxe_existing_file_not_read");
	run_free(&r);
	buf_free(&doc);
	unlink(path);
	rmdir(dir);
}

static void nested_doc(struct buf *doc, int levels)
{
	int i;

	buf_puts(doc, "<rss><channel><item><guid>deep</guid>");
	for (i = 0; i < levels; i++)
		buf_puts(doc, "<x>");
	for (i = 0; i < levels; i++)
		buf_puts(doc, "</x>");
	buf_puts(doc, "</item></channel></rss>");
}

static void test_limits(void)
{
	struct buf doc = {0};
	struct run r;
	size_t i, len;

	nested_doc(&doc, 300);
	run_doc(doc.data, doc.len, 0, &r);
	is_int(r.rc, -1, "nesting_300_fails");
	is_str(r.err, "nesting too deep", "nesting_300_message");
	run_free(&r);
	buf_reset(&doc);
	nested_doc(&doc, PARSE_MAX_DEPTH - 3);	/* rss, channel, item */
	run_doc(doc.data, doc.len, 0, &r);
	is_int(r.rc, 0, "nesting_at_the_cap_parses");
	is_int(r.count, 1, "nesting_at_the_cap_keeps_entry");
	run_free(&r);

	buf_reset(&doc);
	buf_puts(&doc, "<rss><channel><item><description>");
	for (i = 0; i < PARSE_MAX_FIELD_BYTES; i += 2)
		buf_puts(&doc, "\xc3\xa9");	/* 2-byte characters, odd cap */
	buf_puts(&doc, "x</description></item></channel></rss>");
	run_doc(doc.data, doc.len, 0, &r);
	len = entry_at(&r, 0)->summary ? strlen(entry_at(&r, 0)->summary) : 0;
	ok(len <= PARSE_MAX_FIELD_BYTES && len + 4 > PARSE_MAX_FIELD_BYTES,
	   "field_truncated_at_cap");
	ok(valid_utf8_xml(entry_at(&r, 0)->summary),
	   "field_truncated_on_character_boundary");
	run_free(&r);
	buf_free(&doc);
}

static void test_encodings(void)
{
	static const char ascii[] = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>"
		"<rss><channel><item><title>Wide &amp; fine</title></item>"
		"</channel></rss>";
	struct buf doc = {0};
	struct run r;
	size_t i;

	run_fixture("bad_utf8.xml", 0, &r);
	is_int(r.rc, 0, "bad_utf8_parses");
	ok(valid_utf8_xml(r.meta.title) && valid_utf8_xml(entry_at(&r, 0)->title) &&
	   valid_utf8_xml(entry_at(&r, 0)->summary), "bad_utf8_repaired_valid");
	ok(entry_at(&r, 0)->title && strstr(entry_at(&r, 0)->title, "\xef\xbf\xbd"),
	   "bad_utf8_replaced_by_u_fffd");
	ok(entry_at(&r, 0)->title && strstr(entry_at(&r, 0)->title, "caf\xc3\xa9"),
	   "bad_utf8_valid_text_kept");
	ok(entry_at(&r, 0)->title && strstr(entry_at(&r, 0)->title, "endok"),
	   "bad_utf8_c0_controls_stripped");
	is_str(entry_at(&r, 1)->title, "after bad bytes & fine",
	       "bad_utf8_later_entries_intact");
	run_free(&r);

	buf_append(&doc, "\xff\xfe", 2);	/* UTF-16LE with BOM */
	for (i = 0; ascii[i]; i++)
		buf_append(&doc, &ascii[i], 1), buf_append(&doc, "", 1);
	run_doc(doc.data, doc.len, 3, &r);
	is_str(entry_at(&r, 0)->title, "Wide & fine", "utf16_feed_parses");
	run_free(&r);
	buf_free(&doc);
}

static void test_truncated(void)
{
	size_t len;
	char *data = read_fixture("rss2_news.xml", &len);
	char *cut = data ? strstr(data, "<title>Markets") : NULL;
	struct run r;

	run_doc(data, cut ? (size_t)(cut - data) + 20 : 0, 0, &r);
	is_int(r.rc, 0, "truncated_feed_parses");
	is_int(r.count, 2, "truncated_feed_drops_open_item");
	ok(r.repaired, "truncated_feed_marks_repaired");
	run_free(&r);
	free(data);
}

/* ---- chunking: whole, 1 byte and 7 bytes at a time ---- */

static void test_chunking(void)
{
	static const char *const fixtures[] = {
		"rss2_news.xml", "rss091.xml", "rss1_rdf.xml", "atom.xml",
		"xmlbase.xml", "rss_xmlbase.xml", "rss_guid.xml", "entities.xml",
		"illformed.xml", "html_page.html", "html5_page.html",
		"billion_laughs.xml", "xxe.xml", "bad_utf8.xml",
		"empty_channel.xml", "opml.xml", "plain.txt",
	};
	static const size_t chunks[] = { 1, 7 };
	char name[128], *whole, *split;
	struct run r;
	size_t i, j;

	for (i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
		run_fixture(fixtures[i], 0, &r);
		whole = run_dump(&r);
		run_free(&r);
		for (j = 0; j < sizeof chunks / sizeof chunks[0]; j++) {
			run_fixture(fixtures[i], chunks[j], &r);
			split = run_dump(&r);
			run_free(&r);
			snprintf(name, sizeof name, "chunks_of_%zu_same_as_whole: %s",
				 chunks[j], fixtures[i]);
			if (!is_str(split, whole, name))
				diag("split differs");
			free(split);
		}
		free(whole);
	}
}

static void test_hostile(void)
{
	test_entities();
	test_illformed();
	test_repair_reason_one_line();
	test_not_feeds();
	test_entity_attacks();
	test_external_entities();
	test_limits();
	test_encodings();
	test_truncated();
}

int main(void)
{
	test_rss2();
	test_rss091();
	test_rss1();
	test_atom();
	test_xml_base();
	test_guid_permalink();
	test_hostile();
	test_chunking();
	return done_testing();
}
