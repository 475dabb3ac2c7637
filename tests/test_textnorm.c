/*
 * test_textnorm.c — headline and lead normalisation: one case per rule.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tap.h"
#include "textnorm.h"

static void is_plain(const char *html, const char *want, const char *name)
{
	char *got = textnorm_plain(html);

	is_str(got, want, name);
	free(got);
}

static void is_fold(const char *text, const char *want, const char *name)
{
	char *got = textnorm_fold(text);

	is_str(got, want, name);
	free(got);
}

static void is_lead(const char *lead, const char *want, const char *name)
{
	char *got = xstrdup(lead);

	textnorm_strip_dateline(got);
	is_str(got, want, name);
	free(got);
}

static void is_title(const char *title, const char *want, const char *name)
{
	char *got = xstrdup(title);

	textnorm_strip_title_credit(got);
	is_str(got, want, name);
	free(got);
}

static void test_plain(void)
{
	is_plain("<p>Hello <b>world</b></p>", " Hello  world  ",
		 "plain_tags_become_spaces");
	is_plain("A &amp; B &lt;3 &#8212; &#x4E2D;", "A & B <3 \xe2\x80\x94 \xe4\xb8\xad",
		 "plain_entities_decoded");
	is_plain("AT&T", "AT&T", "plain_bare_ampersand_kept");
	is_plain(NULL, "", "plain_null_is_empty");
}

static void is_prefix(const char *html, size_t max, const char *want,
		      const char *name)
{
	char *got = textnorm_plain_prefix(html, max);

	is_str(got, want, name);
	free(got);
}

/* dedupe normalises only a lead's opening (textnorm_plain_prefix). */
static void test_plain_prefix(void)
{
	is_prefix("<p>one two three</p>", 5, " one ",
		  "prefix_stops_after_max_bytes");
	/* 中文 is 6 bytes: a stop after 4 finishes the second character. */
	is_prefix("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 4,
		  "\xe4\xb8\xad\xe6\x96\x87", "prefix_ends_on_a_character_boundary");
	is_prefix("a &amp; b", 3, "a &", "prefix_entity_counts_decoded");
	is_prefix("<b>x</b>", 0, " x ", "prefix_zero_is_whole_text");
}

static void test_fold(void)
{
	is_fold("Hello, World!", "hello world", "fold_case_and_punctuation");
	is_fold("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3\xef\xbc\x91\xef\xbc\x92",
		 "abc12", "fold_full_width_ascii");
	is_fold("\xe4\xb8\xad\xe5\x9b\xbd\xe3\x80\x80\xe7\xbb\x8f\xe6\xb5\x8e",
		 "\xe4\xb8\xad\xe5\x9b\xbd \xe7\xbb\x8f\xe6\xb5\x8e",
		 "fold_ideographic_space");
	is_fold("\xe4\xb8\xad\xe5\x9b\xbd\xef\xbc\x8c\xe7\xbb\x8f\xe6\xb5\x8e\xe3\x80\x82",
		 "\xe4\xb8\xad\xe5\x9b\xbd \xe7\xbb\x8f\xe6\xb5\x8e",
		 "fold_cjk_punctuation");
	is_fold("\xe2\x80\x9cQuoted\xe2\x80\x9d \xe2\x80\x94 dash", "quoted dash",
		 "fold_typographic_punctuation");
	is_fold("\xc3\x89TAT caf\xc3\xa9", "\xc3\xa9tat caf\xc3\xa9",
		 "fold_latin1_capitals");
	is_fold("  a   b  ", "a b", "fold_spaces_collapsed_and_trimmed");
	is_fold("a\xff" "b", "a b", "fold_invalid_utf8_is_a_space");
}

static void test_dateline(void)
{
	is_lead("BEIJING, April 3 (Xinhua) -- China's economy grew.",
		"China's economy grew.", "dateline_xinhua_caps_place_date_agency");
	is_lead("UNITED NATIONS, April 3 (Xinhua) \xe2\x80\x94 The council met.",
		"The council met.", "dateline_two_word_place_em_dash");
	is_lead("WASHINGTON (Reuters) - Stocks rose.", "Stocks rose.",
		"dateline_reuters");
	is_lead("LONDON \xe2\x80\x94 Rain fell.", "Rain fell.",
		"dateline_place_only");
	is_lead("Beijing, April 3 (Xinhua) -- Trade grew.", "Trade grew.",
		"dateline_mixed_case_place_with_agency");
	is_lead("US stocks - a record day.", "US stocks - a record day.",
		"dateline_not_an_ordinary_dash");
	is_lead("Officials said - in a statement - that ...",
		"Officials said - in a statement - that",
		"dateline_lowercase_text_kept_teaser_dropped");
	is_lead("\xe6\x96\xb0\xe5\x8d\x8e\xe7\xa4\xbe\xe5\x8c\x97\xe4\xba\xac"
		"4\xe6\x9c\x88" "3\xe6\x97\xa5\xe7\x94\xb5\xef\xbc\x88\xe8\xae\xb0"
		"\xe8\x80\x85\xe5\xbc\xa0\xe4\xb8\x89\xef\xbc\x89\xe4\xbb\x8a\xe5\xa4\xa9",
		"\xe4\xbb\x8a\xe5\xa4\xa9", "dateline_chinese_with_reporter");
	is_lead("\xe4\xb8\xad\xe6\x96\xb0\xe7\xbd\x91" "4\xe6\x9c\x88" "3\xe6\x97\xa5"
		"\xe7\x94\xb5 \xe4\xbb\x8a\xe5\xa4\xa9", "\xe4\xbb\x8a\xe5\xa4\xa9",
		"dateline_chinese_cns");
	is_lead("Prices rose. (Xinhua)", "Prices rose.", "credit_trailing_agency");
	is_lead("Prices rose. (Reporting by A; Editing by B)", "Prices rose.",
		"credit_trailing_reporting_by");
	is_lead("\xe4\xbb\x8a\xe5\xa4\xa9\xef\xbc\x88\xe5\xae\x8c\xef\xbc\x89",
		"\xe4\xbb\x8a\xe5\xa4\xa9", "credit_trailing_chinese_end");
	is_lead("\xe4\xbb\x8a\xe5\xa4\xa9\xe3\x80\x90\xe8\xb4\xa3\xe4\xbb\xbb\xe7\xbc\x96"
		"\xe8\xbe\x91\xef\xbc\x9a\xe6\x9d\x8e\xe5\x9b\x9b\xe3\x80\x91",
		"\xe4\xbb\x8a\xe5\xa4\xa9", "credit_trailing_chinese_editor");
	is_lead("Prices rose (sharply)", "Prices rose (sharply)",
		"credit_other_parentheses_kept");
	is_lead("Prices rose and ... Read more", "Prices rose and",
		"credit_teaser_dropped");
}

static void test_title(void)
{
	is_title("UPDATE 2-China's economy grows 5%", "China's economy grows 5%",
		 "title_versioned_update_prefix");
	is_title("BREAKING: Quake hits Japan", "Quake hits Japan",
		 "title_breaking_prefix");
	is_title("\xe5\xbf\xab\xe8\xae\xaf\xef\xbc\x9a\xe4\xbb\x8a\xe5\xa4\xa9",
		 "\xe4\xbb\x8a\xe5\xa4\xa9", "title_chinese_flash_prefix");
	is_title("China's economy grows 5% - Reuters", "China's economy grows 5%",
		 "title_outlet_suffix_dash");
	is_title("China's economy grows 5% | China Daily",
		 "China's economy grows 5%", "title_outlet_suffix_bar");
	is_title("\xe4\xb8\xad\xe5\x9b\xbd\xe7\xbb\x8f\xe6\xb5\x8e\xe5\xa2\x9e\xe9\x95\xbf"
		 "\xe4\xba\x94\xe4\xb8\xaa\xe7\x99\xbe\xe5\x88\x86\xe7\x82\xb9_"
		 "\xe6\x96\xb0\xe5\x8d\x8e\xe7\xbd\x91",
		 "\xe4\xb8\xad\xe5\x9b\xbd\xe7\xbb\x8f\xe6\xb5\x8e\xe5\xa2\x9e\xe9\x95\xbf"
		 "\xe4\xba\x94\xe4\xb8\xaa\xe7\x99\xbe\xe5\x88\x86\xe7\x82\xb9",
		 "title_chinese_site_suffix");
	is_title("Wi-Fi arrives on high-speed trains", "Wi-Fi arrives on high-speed trains",
		 "title_hyphenated_words_kept");
	is_title("Stocks - a long suffix that is clearly part of the headline text",
		 "Stocks - a long suffix that is clearly part of the headline text",
		 "title_long_suffix_kept");
}

static void test_tokens(void)
{
	struct textnorm_tokens t;
	uint64_t *sh;
	size_t n;

	textnorm_tokenize("the quick fox", 0, &t);
	is_int(t.n, 3, "tokens_words");
	is_int(t.n_cjk, 0, "tokens_words_not_cjk");
	n = textnorm_shingles(&t, &sh);
	is_int(n, 2, "shingles_word_pairs");
	free(sh);
	textnorm_tokens_clear(&t);

	/* 中国经济 abc: four characters and one word */
	textnorm_tokenize("\xe4\xb8\xad\xe5\x9b\xbd\xe7\xbb\x8f\xe6\xb5\x8e abc", 0, &t);
	is_int(t.n, 5, "tokens_cjk_one_per_character");
	is_int(t.n_cjk, 4, "tokens_cjk_counted");
	n = textnorm_shingles(&t, &sh);
	is_int(n, 4, "shingles_cjk_bigrams");
	free(sh);
	textnorm_tokens_clear(&t);

	textnorm_tokenize("a b c d e f", 3, &t);
	is_int(t.n, 3, "tokens_capped");
	textnorm_tokens_clear(&t);

	textnorm_tokenize("a b a b a b", 0, &t);
	n = textnorm_shingles(&t, &sh);
	is_int(n, 2, "shingles_unique");
	free(sh);
	textnorm_tokens_clear(&t);

	textnorm_tokenize("solo", 0, &t);
	n = textnorm_shingles(&t, &sh);
	is_int(n, 1, "shingles_single_token");
	free(sh);
	textnorm_tokens_clear(&t);
}

int main(void)
{
	test_plain();
	test_plain_prefix();
	test_fold();
	test_dateline();
	test_title();
	test_tokens();
	return done_testing();
}
