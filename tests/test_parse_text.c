/*
 * test_parse_text.c — parse_text_clean(), byte for byte: valid UTF-8 and
 * XML 1.0 Chars pass through in runs, bad sequences become U+FFFD, other
 * characters are dropped (XML 1.0 §2.2, RFC 3629 §4).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "parse_int.h"
#include "tap.h"

#define FFFD "\xef\xbf\xbd"

/* Cleans the first len bytes of s and compares with want. */
static void clean_is(const char *s, size_t len, const char *want,
		     const char *name)
{
	char *got = parse_text_clean(s, len);

	is_str(got, want, name);
	free(got);
}

static void clean_passes_valid_text(void)
{
	clean_is("", 0, "", "clean_empty_is_empty_string");
	clean_is("Plain ASCII, 42 words.", 22, "Plain ASCII, 42 words.",
		 "clean_ascii_unchanged");
	clean_is("tab\tline\ncr\r", 12, "tab\tline\ncr\r",
		 "clean_keeps_tab_lf_cr");
	clean_is("caf\xc3\xa9 \xe5\x8c\x97\xe4\xba\xac \xf0\x9f\x93\xb0", 17,
		 "caf\xc3\xa9 \xe5\x8c\x97\xe4\xba\xac \xf0\x9f\x93\xb0",
		 "clean_keeps_2_3_4_byte_sequences");
	clean_is("abcdef", 3, "abc", "clean_reads_only_len_bytes");
}

static void clean_repairs_bad_bytes(void)
{
	clean_is("a\xff" "b", 3, "a" FFFD "b", "clean_invalid_byte_is_fffd");
	clean_is("a\xc3", 2, "a" FFFD, "clean_truncated_sequence_at_end_is_fffd");
	clean_is("\xc0\xaf" "x", 3, FFFD FFFD "x",
		 "clean_overlong_is_fffd_per_byte");
	clean_is("\xed\xa0\x80", 3, FFFD FFFD FFFD,
		 "clean_surrogate_is_fffd_per_byte");
	clean_is("\xe5\x8c" "x", 3, FFFD FFFD "x",
		 "clean_sequence_cut_by_ascii_is_fffd");
}

static void clean_drops_non_chars(void)
{
	clean_is("a\x01" "b\x1f" "c", 5, "abc", "clean_drops_c0_controls");
	clean_is("x\xef\xbf\xbe" "y", 5, "xy", "clean_drops_u_fffe");
	clean_is("\x0b\x0c", 2, "", "clean_all_dropped_is_empty_string");
}

/* A long field with rare bad bytes: every run around them is kept. */
static void clean_long_field_keeps_runs(void)
{
	struct buf in = {0}, want = {0};
	char *got;
	int i;

	for (i = 0; i < 2000; i++) {
		buf_puts(&in, "The central bank said \xe2\x80\x9cyes\xe2\x80\x9d. ");
		buf_puts(&want, "The central bank said \xe2\x80\x9cyes\xe2\x80\x9d. ");
		if (i % 100 == 0) {
			buf_append(&in, "\x80\x02", 2);
			buf_puts(&want, FFFD);
		}
	}
	got = parse_text_clean(in.data, in.len);
	is_int(strlen(got), want.len, "clean_long_field_length");
	ok(strcmp(got, want.data) == 0, "clean_long_field_bytes");
	free(got);
	buf_free(&in);
	buf_free(&want);
}

int main(void)
{
	clean_passes_valid_text();
	clean_repairs_bad_bytes();
	clean_drops_non_chars();
	clean_long_field_keeps_runs();
	return done_testing();
}
