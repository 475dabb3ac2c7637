/*
 * test_sanitize.c — sanitize_html()'s fast path (sanitize_fast.c) gives
 * the same bytes as the libxml2 tree path (sanitize_html_tree) on every
 * fragment, and takes the fragments it was written for.
 *
 * The fragments are generated from the pieces feeds are made of: the
 * fast path's own tags in every case and nesting, tags it must refuse
 * (attributes, dropped and unknown elements, blocks inside inline ones),
 * named and numeric references known and unknown, stray '<' '&' '>',
 * blanks between tags, control and non-ASCII characters.  The sanitizer
 * corpus (tests/data/corpus/sanitize, run by test_corpus) checks what
 * the output is; this checks that the two paths agree on it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sanitize.h"
#include "sanitize_int.h"
#include "tap.h"

#define BASE "https://example.com/news/"
#define GENERATED_FRAGMENTS 20000
#define MAX_PIECES 12

/* The fast path's tags first (the <br> forms at 26-29), then text
 * (30-44) and references: the pieces it takes, up to N_FRIENDLY. */
static const char *const pieces[] = {
	"<p>", "</p>", "<P>", "</P>", "<b>", "</b>", "<i>", "</i>", "<em>",
	"</em>", "<strong>", "</strong>", "<code>", "</code>", "<span>",
	"</span>", "<sub>", "</sub>", "<sup>", "</sup>", "<small>",
	"</small>", "<u>", "</u>", "<s>", "</s>", "<br>", "<br/>", "<br />",
	"<BR>",
	/* text */
	"Text", "more words here", " ", "  ", "\n", "\t", " lead", "trail ",
	"a > b", "x \" y", "'quoted'", "caf\xc3\xa9", "\xe5\x8c\x97\xe4\xba\xac",
	"\xf0\x9f\x93\xb0", "\xc2\xa0",
	/* references */
	"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&nbsp;", "&eacute;",
	"&hellip;", "&mdash;", "&copy;", "&AMP;", "&#39;", "&#8217;",
	"&#x2014;",
#define N_FRIENDLY 59	/* the pieces above */
	/* tags it refuses */
	"<p class=\"x\">", "<a href=\"/x\">", "</a>", "<div>", "</div>",
	"<script>", "</script>", "<font>", "</font>", "<blockquote>",
	"</blockquote>", "<ul>", "<li>", "</ul>", "<pre>", "</pre>",
	"<img src=\"a.png\">", "<!-- c -->", "<p >", "<b/>",
	"</br>",
	/* text and references it refuses */
	"\xc2\x85", "\xef\xbf\xbe", "\r", "\x01", "\x7f", "<", "a < b", "&",
	"AT&T", "a&b;", "&bogus;", "&amp", "&#0;", "&#128;",
};

#define N_PIECES (sizeof pieces / sizeof pieces[0])

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rng(void)
{
	/* xorshift64*: reproducible, the same fragments every run */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

/* Both paths on html: 1 when they agree (and say so once if not). */
static int paths_agree(const char *html, int *fast_taken)
{
	struct buf fast = {0};
	char *tree = sanitize_html_tree(html, BASE);
	char *full = sanitize_html(html, BASE);
	int same;

	*fast_taken = sanitize_fast(html, &fast) == 0;
	same = strcmp(full, tree) == 0 &&
	       (!*fast_taken || strcmp(fast.data ? fast.data : "", tree) == 0);
	if (!same) {
		diag("fragment: [%s]", html);
		diag("expected (tree): [%s]", tree);
		diag("actual (fast):   [%s]", fast.data ? fast.data : "");
	}
	buf_free(&fast);
	free(tree);
	free(full);
	return same;
}

static void fast_path_takes_plain_paragraphs(void)
{
	static const char *const plain[] = {
		"<p>NAIROBI, Nov 29 (Reuters) -- The bank said.</p><p>More.</p>",
		"<p>A <b>bold</b> and <em>em</em> word<br/>next line</p>",
		"Just text, no markup at all.",
		"<P>Upper <STRONG>case</STRONG> tags</P>",
		"<p>Fish &amp; chips &lt;3 &eacute;t&eacute; &#8217;s</p>",
	};
	size_t i;
	int taken, all_taken = 1, all_agree = 1;

	for (i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		all_agree &= paths_agree(plain[i], &taken);
		all_taken &= taken;
	}
	ok(all_agree, "sanitize_fast_plain_paragraphs_match_the_tree_path");
	ok(all_taken, "sanitize_fast_takes_plain_paragraphs");
}

static void fast_path_refuses_what_it_cannot_know(void)
{
	static const char *const refused[] = {
		"<p class=\"x\">attribute</p>", "<a href=\"/x\">link</a>",
		"<script>x</script>", "<p>unclosed", "text</b>",
		"<b><p>block in inline</p></b>", "<p>a < b</p>",
		"AT&T", "&bogus;", "<b>mis<i>nested</b></i>",
	};
	struct buf out = {0};
	size_t i;
	int refused_all = 1;

	for (i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		buf_reset(&out);
		if (sanitize_fast(refused[i], &out) == 0) {
			diag("taken: [%s]", refused[i]);
			refused_all = 0;
		}
	}
	buf_free(&out);
	ok(refused_all, "sanitize_fast_refuses_attributes_unknown_tags_"
			"stray_markup_and_misnesting");
}

static const char *pick(size_t from, size_t to)
{
	return pieces[from + rng() % (to - from)];
}

/* Inline content: text, references, <br>, and inline elements around
 * more of it, depth levels down at most. */
static void gen_inline(struct buf *b, int depth)
{
	static const char *const inl[] = { "b", "i", "em", "strong", "code",
					   "span", "sub", "sup", "small", "u",
					   "s", "B", "Em" };
	const char *name;
	int k, n = 1 + (int)(rng() % 4);

	for (k = 0; k < n; k++) {
		if (depth > 0 && rng() % 3 == 0) {
			name = inl[rng() % (sizeof inl / sizeof inl[0])];
			buf_printf(b, "<%s>", name);
			gen_inline(b, depth - 1);
			buf_printf(b, "</%s>", name);
		} else if (rng() % 8 == 0) {
			buf_puts(b, pick(26, 30));	/* a <br> */
		} else {
			buf_puts(b, pick(30, N_FRIENDLY));
		}
	}
}

/* What the fast path was written for: paragraphs of inline content,
 * with blanks between them, and now and then a piece it refuses. */
static void gen_structured(struct buf *b)
{
	int k, n = 1 + (int)(rng() % 3);

	for (k = 0; k < n; k++) {
		if (rng() % 4 == 0)
			buf_puts(b, pick(30, 36));	/* blanks, text */
		if (rng() % 3) {
			buf_puts(b, rng() % 2 ? "<p>" : "<P>");
			gen_inline(b, 2);
			buf_puts(b, rng() % 2 ? "</p>" : "</P>");
		} else {
			gen_inline(b, 2);
		}
		if (rng() % 10 == 0)
			buf_puts(b, pick(N_FRIENDLY, N_PIECES));
	}
}

static void paths_agree_on_generated_fragments(void)
{
	struct buf html = {0};
	int i, k, n, taken, n_taken = 0, disagree = 0;

	for (i = 0; i < GENERATED_FRAGMENTS; i++) {
		buf_reset(&html);
		n = 1 + (int)(rng() % MAX_PIECES);
		if (i % 2 == 0)
			gen_structured(&html);
		else
			for (k = 0; k < n; k++)
				buf_puts(&html, pick(0, N_PIECES));
		if (!paths_agree(html.data, &taken) && ++disagree > 20)
			break;
		n_taken += taken;
	}
	buf_free(&html);
	is_int(disagree, 0, "sanitize_fast_and_tree_agree_on_20000_"
			    "generated_fragments");
	diag("fast path taken for %d of %d generated fragments", n_taken, i);
	ok(n_taken > GENERATED_FRAGMENTS / 4,
	   "sanitize_fast_taken_for_some_generated_fragments");
}

int main(void)
{
	fast_path_takes_plain_paragraphs();
	fast_path_refuses_what_it_cannot_know();
	paths_agree_on_generated_fragments();
	return done_testing();
}
