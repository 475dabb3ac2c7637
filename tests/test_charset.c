/*
 * test_charset.c — charset.c: the charset parameter of a Content-Type
 * (RFC 9110 §8.3.1) and what the HTTP charset does to the decision
 * (RFC 7303 §3.2: a BOM, then the HTTP charset, then the XML
 * declaration).  The corpus (test_corpus) covers the many encodings.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "charset.h"
#include "tap.h"

static void type_is(const char *content_type, const char *want,
		    const char *name)
{
	char out[32];

	is_str(charset_from_content_type(content_type, out, sizeof out), want,
	       name);
}

static void content_type_param(void)
{
	type_is("text/xml; charset=gb2312", "gb2312", "ct_token_value");
	type_is("text/xml;charset=UTF-8", "UTF-8", "ct_no_space");
	type_is("text/xml; CharSet=koi8-r", "koi8-r", "ct_name_case_insensitive");
	type_is("text/xml; charset=\"KOI8-R\"", "KOI8-R", "ct_quoted_value");
	type_is("text/xml; charset = utf-8", "utf-8", "ct_blanks_around_equals");
	type_is("text/xml; charset=utf-8 ; q=1", "utf-8", "ct_value_ends_at_blank");
	type_is("application/rss+xml; foo=\"a;charset=x\"; charset=big5", "big5",
		"ct_semicolon_inside_a_quoted_value_is_not_a_parameter");
	type_is("text/xml; xcharset=big5", "", "ct_other_param_ending_charset");
	type_is("text/xml", "", "ct_no_parameters");
	type_is(NULL, "", "ct_null");
	type_is("", "", "ct_empty");
	type_is("text/xml; charset=", "", "ct_empty_value");
	type_is("text/xml; charset=\"a\\\"b\"", "a\"b", "ct_quoted_pair");
	type_is("text/xml; charset=an-encoding-name-longer-than-the-buffer", "",
		"ct_too_long_is_no_charset_not_a_truncated_one");
}

/* text converted with an HTTP charset (NULL: none) */
static char *convert(const char *http, const char *bytes)
{
	struct charset *c = charset_create(http);
	struct buf out = {0};

	charset_push(c, bytes, strlen(bytes), 1, &out);
	charset_free(c);
	return buf_steal(&out);
}

static void http_charset_decides(void)
{
	/* "Новости" in KOI8-R; alone it looks like GBK pairs */
	const char *koi = "<?xml version=\"1.0\"?><t>\xEE\xCF\xD7\xCF\xD3\xD4\xC9</t>";
	char *got;

	got = convert("koi8-r", koi);
	is_str(got, "<?xml version=\"1.0\"?><t>Новости</t>",
	       "http_charset_koi8r_read_as_koi8r");
	free(got);
	got = convert(NULL, koi);
	ok(strstr(got, "Новости") == NULL,
	   "koi8r_without_http_charset_is_misread_so_the_header_matters");
	free(got);
	got = convert("iso-8859-1",
		      "<?xml version=\"1.0\" encoding=\"utf-8\"?><t>caf\xE9</t>");
	is_str(got, "<?xml version=\"1.0\" encoding=\"utf-8\"?><t>café</t>",
	       "http_charset_beats_xml_declaration");
	free(got);
}

int main(void)
{
	content_type_param();
	http_charset_decides();
	return done_testing();
}
