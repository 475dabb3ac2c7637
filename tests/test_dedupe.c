/*
 * test_dedupe.c — fingerprints and the same-story decision: one case per
 * rule and per trap (the corpus test scores the whole).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dedupe.h"
#include "tap.h"

#define T0 1775200000	/* 2026-04-03 07:06:40 UTC */

static const struct dedupe_params params = {
	DEDUPE_DEFAULT_WINDOW_S, DEDUPE_DEFAULT_THRESHOLD_PCT,
};

static const char *lead_quake =
	"A magnitude 6.8 earthquake struck off the coast of northern Japan on "
	"Friday morning, shaking buildings in Sendai and prompting a tsunami "
	"advisory for the Pacific coast, the Japan Meteorological Agency said.";

static enum dedupe_verdict cmp(const char *t1, const char *l1, const char *u1,
			       int64_t p1, const char *t2, const char *l2,
			       const char *u2, int64_t p2)
{
	struct entry a = {0}, b = {0};
	struct dedupe_print pa, pb;
	enum dedupe_verdict v;

	a.title = (char *)t1; a.summary = (char *)l1; a.link = (char *)u1;
	a.published = p1;
	b.title = (char *)t2; b.summary = (char *)l2; b.link = (char *)u2;
	b.published = p2;
	dedupe_print_make(&a, T0 + 5 * 86400, &pa);
	dedupe_print_make(&b, T0 + 5 * 86400, &pb);
	v = dedupe_compare(&pa, &pb, &params);
	dedupe_print_clear(&pa);
	dedupe_print_clear(&pb);
	return v;
}

static void test_rings(void)
{
	is_int(cmp("A", NULL, "https://www.a.com/x?utm_source=1", T0,
		   "B", NULL, "http://a.com/x#top", T0 + 3600),
	       DEDUPE_SAME_URL, "ring2_same_canonical_url");
	is_int(cmp("A", NULL, "https://a.com/x", T0,
		   "B", NULL, "https://a.com/x", T0 + 3 * 86400),
	       DEDUPE_DIFFERENT, "ring2_same_url_outside_window");
	is_int(cmp("A", NULL, "https://a.com/", T0, "B", NULL, "https://a.com/", T0),
	       DEDUPE_DIFFERENT, "ring2_site_root_is_no_story");
	is_int(cmp("Strong quake hits northern Japan", lead_quake, "https://a.com/1", T0,
		   "Strong quake hits northern Japan", lead_quake, "https://b.com/2", T0 + 600),
	       DEDUPE_SAME_TEXT, "ring3_exact_copy");
}

static void test_variants(void)
{
	struct buf dated = {0};
	char cut[120];

	buf_printf(&dated, "TOKYO, April 3 (Xinhua) -- %s (Xinhua)", lead_quake);
	is_int(cmp("Strong quake hits northern Japan", lead_quake, NULL, T0,
		   "Strong quake hits northern Japan - Xinhua", dated.data, NULL, T0),
	       DEDUPE_SAME_TEXT, "ring3_dateline_and_credit_variant");
	buf_free(&dated);
	is_int(cmp("Strong quake hits northern Japan", lead_quake, NULL, T0,
		   "Japan shaken by 6.8 tremor, tsunami advisory issued", lead_quake,
		   NULL, T0 + 1800),
	       DEDUPE_SAME_TEXT, "ring3_reheadlined_copy");
	snprintf(cut, sizeof cut, "%.100s...", lead_quake);
	is_int(cmp("Strong quake hits northern Japan", lead_quake, NULL, T0,
		   "Strong quake hits northern Japan", cut, NULL, T0),
	       DEDUPE_SAME_TEXT, "ring3_truncated_lead");
	is_int(cmp("STRONG QUAKE HITS NORTHERN JAPAN!", NULL, NULL, T0,
		   "Strong quake hits northern Japan", lead_quake, NULL, T0 + 600),
	       DEDUPE_SAME_TEXT, "ring3_title_only_when_one_lead_missing");
}

static void test_traps(void)
{
	is_int(cmp("News summary", "Top stories: parliament passed the budget bill "
		   "after a long debate on taxes and spending.", NULL, T0,
		   "News summary", "Top stories: floods in the south forced "
		   "thousands from their homes as rivers rose overnight.", NULL, T0 + 3600),
	       DEDUPE_DIFFERENT, "trap_recurring_title_other_lead");
	is_int(cmp("Weather forecast", NULL, NULL, T0,
		   "Weather forecast", NULL, NULL, T0 + 600),
	       DEDUPE_DIFFERENT, "trap_short_title_without_lead");
	is_int(cmp("Photos", "Photos", NULL, T0, "Photos", "Photos", NULL, T0),
	       DEDUPE_DIFFERENT, "trap_very_short_text");
	is_int(cmp("Strong quake hits northern Japan", lead_quake, NULL, T0,
		   "Strong quake hits northern Japan", lead_quake, NULL, T0 + 3 * 86400),
	       DEDUPE_DIFFERENT, "trap_same_text_outside_window");
	is_int(cmp("Strong quake hits northern Japan", lead_quake, NULL, T0,
		   "Strong quake hits northern Japan", "Rescue teams searched "
		   "collapsed houses in Sendai on Saturday, a day after the quake "
		   "that killed 12 people and injured hundreds.", NULL, T0 + 86400),
	       DEDUPE_DIFFERENT, "trap_next_day_follow_up");
	/* Two stories sharing a formulaic opening: a cut lead of one covers
	 * only the opening of the other. */
	is_int(cmp("Ministry tightens rules on farmland projects",
		   "The ministry on Monday issued a joint notice with other "
		   "departments to further regulate farmland construction projects in "
		   "rural areas ...", NULL, T0,
		   "Ministry tightens rules on electric vehicle sales",
		   "The ministry on Monday issued a joint notice with other "
		   "departments to further regulate electric vehicle sales in the "
		   "countryside, officials said, adding that checks would follow.",
		   NULL, T0 + 3600),
	       DEDUPE_DIFFERENT, "trap_formulaic_opening_other_story");
	is_int(cmp("Strong quake hits northern Japan today in the north", NULL, NULL, T0,
		   "Strong quake hits northern Japan today in the north", NULL, NULL,
		   T0 + 20 * 3600),
	       DEDUPE_DIFFERENT, "trap_title_only_beyond_its_window");
}

static void test_chinese(void)
{
	/* 国家统计局今天发布数据显示，一季度国内生产总值同比增长百分之五点三，
	 * 比上年四季度加快零点一个百分点。 */
	const char *lead = "\xe5\x9b\xbd\xe5\xae\xb6\xe7\xbb\x9f\xe8\xae\xa1\xe5\xb1\x80"
		"\xe4\xbb\x8a\xe5\xa4\xa9\xe5\x8f\x91\xe5\xb8\x83\xe6\x95\xb0\xe6\x8d\xae"
		"\xe6\x98\xbe\xe7\xa4\xba\xef\xbc\x8c\xe4\xb8\x80\xe5\xad\xa3\xe5\xba\xa6"
		"\xe5\x9b\xbd\xe5\x86\x85\xe7\x94\x9f\xe4\xba\xa7\xe6\x80\xbb\xe5\x80\xbc"
		"\xe5\x90\x8c\xe6\xaf\x94\xe5\xa2\x9e\xe9\x95\xbf\xe7\x99\xbe\xe5\x88\x86"
		"\xe4\xb9\x8b\xe4\xba\x94\xe7\x82\xb9\xe4\xb8\x89\xef\xbc\x8c\xe6\xaf\x94"
		"\xe4\xb8\x8a\xe5\xb9\xb4\xe5\x9b\x9b\xe5\xad\xa3\xe5\xba\xa6\xe5\x8a\xa0"
		"\xe5\xbf\xab\xe9\x9b\xb6\xe7\x82\xb9\xe4\xb8\x80\xe4\xb8\xaa\xe7\x99\xbe"
		"\xe5\x88\x86\xe7\x82\xb9\xe3\x80\x82";
	struct buf dated = {0};

	/* 新华社北京4月3日电 + lead */
	buf_printf(&dated, "\xe6\x96\xb0\xe5\x8d\x8e\xe7\xa4\xbe\xe5\x8c\x97\xe4\xba\xac"
		   "4\xe6\x9c\x88" "3\xe6\x97\xa5\xe7\x94\xb5 %s", lead);
	is_int(cmp("\xe4\xb8\x80\xe5\xad\xa3\xe5\xba\xa6GDP\xe5\x90\x8c\xe6\xaf\x94"
		   "\xe5\xa2\x9e\xe9\x95\xbf" "5.3%", lead, NULL, T0,
		   "\xe6\x88\x91\xe5\x9b\xbd\xe7\xbb\x8f\xe6\xb5\x8e\xe5\xbc\x80\xe5\xb1\x80"
		   "\xe8\x89\xaf\xe5\xa5\xbd", dated.data, NULL, T0 + 600),
	       DEDUPE_SAME_TEXT, "chinese_reheadlined_dateline_copy");
	buf_free(&dated);
}

static void test_keys(void)
{
	struct entry e = {0};
	struct dedupe_print p;
	int64_t keys[DEDUPE_MAX_KEYS];

	e.title = "Strong quake hits northern Japan";
	e.summary = (char *)lead_quake;
	e.published = ENTRY_NO_DATE;
	dedupe_print_make(&e, T0, &p);
	is_int(dedupe_band_keys(&p, keys), 2 * SIMHASH_BANDS, "keys_title_and_lead");
	is_int(p.at, T0, "at_first_seen_without_date");
	dedupe_print_clear(&p);
	e.title = "Photos";
	e.summary = NULL;
	e.published = T0 - 100 * 86400;
	dedupe_print_make(&e, T0, &p);
	is_int(dedupe_band_keys(&p, keys), 0, "keys_none_for_short_text");
	is_int(p.at, T0, "at_ignores_implausible_date");
	dedupe_print_clear(&p);
}

int main(void)
{
	test_rings();
	test_variants();
	test_traps();
	test_chinese();
	test_keys();
	return done_testing();
}
