/*
 * test_parse_hints.c — the polling hints a feed document carries reach
 * struct feed_meta (parse_hints.c): RSS 2.0 <ttl>, <skipHours>,
 * <skipDays>; sy:updatePeriod / sy:updateFrequency in RSS 1.0, RSS 2.0
 * and Atom; nonsense ignored; an item's elements of the same name never
 * count.  Each document is also pushed 3 bytes at a time.
 */
#include <stdio.h>
#include <string.h>

#include "entry.h"
#include "parse.h"
#include "tap.h"

#define SY "xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\""

static void on_entry(void *ctx, struct entry *e)
{
	(void)ctx;
	entry_clear(e);
}

/* Parses doc pushed chunk bytes at a time into m; 0 or -1. */
static int parse_doc(const char *doc, size_t chunk, struct feed_meta *m)
{
	struct parser *p = parse_create("http://example.org/feed", on_entry,
					NULL);
	size_t len = strlen(doc), i;
	char err[256];
	int rc;

	for (i = 0; i < len; i += chunk)
		parse_push(p, doc + i, len - i < chunk ? len - i : chunk);
	rc = parse_finish(p, m, err, sizeof err);
	if (rc)
		diag("parse_finish: %s", err);
	parse_free(p);
	return rc;
}

/* "ttl period freq hours days" of doc, the same whole and in 3-byte
 * chunks (else "chunked differs"). */
static void hints_of(const char *doc, char *out, size_t outlen)
{
	char again[100];
	size_t chunks[2] = { 1 << 20, 3 };
	int i;

	for (i = 0; i < 2; i++) {
		struct feed_meta m;
		char *dst = i ? again : out;
		size_t len = i ? sizeof again : outlen;

		memset(&m, 0, sizeof m);
		if (parse_doc(doc, chunks[i], &m) != 0) {
			snprintf(dst, len, "parse error");
			continue;
		}
		snprintf(dst, len, "%lld %s %lld %x %x", (long long)m.ttl_s,
			 m.update_period ? m.update_period : "-",
			 (long long)m.update_frequency, (unsigned)m.skip_hours,
			 m.skip_days);
		feed_meta_clear(&m);
	}
	if (strcmp(out, again) != 0)
		snprintf(out, outlen, "chunked differs: %s", again);
}

static void check(const char *doc, const char *want, const char *name)
{
	char got[200];

	hints_of(doc, got, sizeof got);
	is_str(got, want, name);
}

int main(void)
{
	check("<rss version=\"2.0\"><channel><title>t</title><ttl> 60 </ttl>"
	      "<item><title>i</title><ttl>5</ttl></item></channel></rss>",
	      "3600 - 0 0 0", "rss2_ttl_minutes_become_seconds_item_ttl_ignored");
	check("<rss version=\"2.0\"><channel><skipHours><hour>0</hour>"
	      "<hour>1</hour><hour>23</hour><hour>24</hour><hour>25</hour>"
	      "<hour>x</hour></skipHours></channel></rss>",
	      "0 - 0 800003 0", "rss2_skiphours_bits_24_is_midnight_out_of_range_ignored");
	check("<rss version=\"2.0\"><channel><skipDays><day>Saturday</day>"
	      "<day> sunday </day><day>Caturday</day></skipDays></channel></rss>",
	      "0 - 0 0 41", "rss2_skipdays_bits_sunday_is_bit_0_unknown_ignored");
	check("<rss version=\"2.0\" " SY "><channel><sy:updatePeriod>Daily"
	      "</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>"
	      "</channel></rss>",
	      "0 daily 2 0 0", "rss2_with_sy_module_period_lowercased_and_frequency");
	check("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
	      "xmlns=\"http://purl.org/rss/1.0/\" " SY "><channel rdf:about=\"x\">"
	      "<title>t</title><sy:updatePeriod>hourly</sy:updatePeriod>"
	      "<sy:updateFrequency>4</sy:updateFrequency></channel>"
	      "<item rdf:about=\"i\"><title>i</title></item></rdf:RDF>",
	      "0 hourly 4 0 0", "rss1_sy_update_period_and_frequency");
	check("<feed xmlns=\"http://www.w3.org/2005/Atom\" " SY "><title>t</title>"
	      "<sy:updatePeriod>weekly</sy:updatePeriod></feed>",
	      "0 weekly 0 0 0", "atom_with_sy_update_period");
	check("<rss version=\"2.0\"><channel><ttl>sixty</ttl><ttl>-5</ttl>"
	      "<ttl>0</ttl></channel></rss>",
	      "0 - 0 0 0", "rss2_ttl_not_a_positive_number_ignored");
	check("<rss version=\"2.0\"><channel><ttl>999999999</ttl></channel></rss>",
	      "0 - 0 0 0", "rss2_ttl_beyond_a_year_ignored");
	/* Found by fuzz_parse: minutes * 60 overflowed before the bound. */
	check("<rss version=\"2.0\"><channel><ttl>9223372036854775807</ttl>"
	      "</channel></rss>",
	      "0 - 0 0 0", "rss2_ttl_of_llong_max_ignored_without_overflow");
	check("<rss version=\"2.0\"><channel><ttl>30</ttl><ttl>90</ttl>"
	      "</channel></rss>",
	      "1800 - 0 0 0", "rss2_first_ttl_wins");
	check("<rss version=\"2.0\"><channel><item><skipHours><hour>3</hour>"
	      "</skipHours></item></channel></rss>",
	      "0 - 0 0 0", "skiphours_inside_an_item_ignored");
	return done_testing();
}
