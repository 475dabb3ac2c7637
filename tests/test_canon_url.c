/*
 * test_canon_url.c — canonical article URLs: one case per rule.
 */
#include <stdlib.h>

#include "canon_url.h"
#include "tap.h"

static void is_canon(const char *url, const char *want, const char *name)
{
	char *got = canon_url(url);

	is_str(got, want, name);
	free(got);
}

/* canon_url(canon_url(u)) == canon_url(u), and both equal want. */
static void is_canon_idempotent(const char *url, const char *want,
				const char *name)
{
	char *once = canon_url(url), *twice = once ? canon_url(once) : NULL;

	is_str(once, want, name);
	is_str(twice, once, name);
	free(once);
	free(twice);
}

int main(void)
{
	is_canon("http://example.com/a/b", "https://example.com/a/b",
		 "canon_http_and_https_are_one_scheme");
	is_canon("HTTPS://Example.COM/A/b", "https://example.com/A/b",
		 "canon_scheme_and_host_lowercased_path_case_kept");
	is_canon("https://example.com./a", "https://example.com/a",
		 "canon_trailing_dot_of_host_dropped");
	is_canon("http://example.com:80/a", "https://example.com/a",
		 "canon_default_http_port_dropped");
	is_canon("https://example.com:443/a", "https://example.com/a",
		 "canon_default_https_port_dropped");
	is_canon("https://example.com:8443/a", "https://example.com:8443/a",
		 "canon_other_port_kept");
	is_canon("https://example.com/a#comments", "https://example.com/a",
		 "canon_fragment_dropped");
	is_canon("https://user:pw@example.com/a", "https://example.com/a",
		 "canon_user_info_dropped");
	is_canon("https://www.example.com/a", "https://example.com/a",
		 "canon_www_dropped");
	is_canon("https://m.example.com/a", "https://example.com/a",
		 "canon_mobile_m_host_dropped");
	is_canon("https://mobile.example.com/a", "https://example.com/a",
		 "canon_mobile_host_dropped");
	is_canon("https://amp.example.com/a", "https://example.com/a",
		 "canon_amp_host_dropped");
	is_canon("https://m.cn/a", "https://m.cn/a",
		 "canon_m_kept_when_it_is_the_domain");
	is_canon("https://example.com/a/b/../c/./d", "https://example.com/a/c/d",
		 "canon_dot_segments_resolved");
	is_canon("https://example.com/a/b/", "https://example.com/a/b",
		 "canon_trailing_slash_dropped");
	is_canon("https://example.com/", "https://example.com/",
		 "canon_root_slash_kept");
	is_canon("https://example.com/amp/world/x.html",
		 "https://example.com/world/x.html", "canon_amp_path_prefix");
	is_canon("https://example.com/world/x/amp", "https://example.com/world/x",
		 "canon_amp_path_suffix");
	is_canon("https://example.com/world/x.amp.html",
		 "https://example.com/world/x.html", "canon_amp_extension");
	is_canon("https://example.com/a?utm_source=tw&utm_medium=social&utm_campaign=x",
		 "https://example.com/a", "canon_utm_params_dropped");
	is_canon("https://example.com/a?id=7&fbclid=abc&gclid=d",
		 "https://example.com/a?id=7", "canon_click_ids_dropped");
	is_canon("https://example.cn/a.html?spm=a2c.b.c&from=timeline&isappinstalled=0",
		 "https://example.cn/a.html", "canon_chinese_share_params_dropped");
	is_canon("https://example.com/a?amp=1", "https://example.com/a",
		 "canon_amp_switch_dropped");
	is_canon("https://example.com/a?outputType=amp&id=3",
		 "https://example.com/a?id=3", "canon_output_type_amp_dropped");
	is_canon("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2",
		 "canon_params_sorted");
	is_canon("https://example.com/a?id=1&id=1", "https://example.com/a?id=1&id=1",
		 "canon_repeated_param_kept");
	is_canon("https://example.com/a?", "https://example.com/a",
		 "canon_empty_query_dropped");
	/* Counterexamples to idempotence, the first found by
	 * fuzz/fuzz_canon_url.c, the others by going through the rules
	 * (also in fuzz/regressions/canon_url/): a rule whose output can
	 * trigger another rule. */
	is_canon_idempotent("HTTPS://Examp.am.amp..?/..?",
			    "https://examp.am.amp/?/..?",
			    "canon_every_trailing_dot_of_host_dropped");
	is_canon_idempotent("https://www.m.example.com/a",
			    "https://example.com/a",
			    "canon_host_prefixes_dropped_to_a_fixed_point");
	is_canon_idempotent("https://m.www.a.b/x", "https://a.b/x",
			    "canon_host_prefixes_dropped_in_any_order");
	is_canon_idempotent("https://example.com/amp/amp/x",
			    "https://example.com/x",
			    "canon_amp_path_prefix_repeated");
	is_canon_idempotent("https://example.com/x/amp/amp",
			    "https://example.com/x",
			    "canon_amp_path_suffix_repeated");
	is_canon_idempotent("https://example.com/x//amp",
			    "https://example.com/x",
			    "canon_amp_suffix_exposing_trailing_slash");
	is_canon_idempotent("https://example.com/x.amp.amp.html",
			    "https://example.com/x.html",
			    "canon_amp_extension_repeated");
	is_canon_idempotent("https://a.b/x/amp.amp", "https://a.b/x",
			    "canon_amp_extension_exposing_amp_suffix");
	is_canon_idempotent("https://example.com/x/.amp",
			    "https://example.com/x",
			    "canon_amp_extension_exposing_trailing_slash");
	is_canon_idempotent("https://example.com/.amp.", "https://example.com/",
			    "canon_amp_extension_exposing_dot_segment");
	is_canon_idempotent("https://example.com/a/x/...amp",
			    "https://example.com/a",
			    "canon_amp_extension_exposing_dot_dot_segment");
	is_canon_idempotent("https://a.b/amp", "https://a.b/",
			    "canon_amp_alone_is_the_root");
	is_canon_idempotent("https://a.b/c.amp.d/x.amp.html",
			    "https://a.b/c.amp.d/x.html",
			    "canon_amp_extension_only_in_last_segment");
	is_canon("ftp://example.com/a", NULL, "canon_other_scheme_refused");
	is_canon("not a url", NULL, "canon_garbage_refused");
	is_canon(NULL, NULL, "canon_null_refused");
	ok(canon_url_is_page("https://example.com/a"), "is_page_article");
	ok(!canon_url_is_page("https://example.com/"), "is_page_not_root");
	ok(!canon_url_is_page(NULL), "is_page_not_null");
	return done_testing();
}
