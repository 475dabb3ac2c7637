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
	is_canon("ftp://example.com/a", NULL, "canon_other_scheme_refused");
	is_canon("not a url", NULL, "canon_garbage_refused");
	is_canon(NULL, NULL, "canon_null_refused");
	ok(canon_url_is_page("https://example.com/a"), "is_page_article");
	ok(!canon_url_is_page("https://example.com/"), "is_page_not_root");
	ok(!canon_url_is_page(NULL), "is_page_not_null");
	return done_testing();
}
