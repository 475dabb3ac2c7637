/*
 * textnorm.h — the words of a headline and lead as dedupe compares them
 * (DESIGN.md: Deduplication, ring 3): markup and entities removed,
 * datelines ("BEIJING, April 3 (Xinhua) --", "新华社北京4月3日电") and
 * agency credits ("(Reuters)", " - China Daily", "（完）") stripped, case,
 * full-width forms and punctuation folded, then cut into tokens: a word
 * for scripts written with spaces, one character per token for Chinese,
 * Japanese and Korean, so shingles work without spaces between words.
 */
#ifndef FEEDMUX_TEXTNORM_H
#define FEEDMUX_TEXTNORM_H

#include <stddef.h>
#include <stdint.h>

/* The text of an HTML fragment: tags dropped (block tags become spaces),
 * entities decoded.  Returns a string the caller frees ("" for NULL). */
char *textnorm_plain(const char *html);
/* The same, stopped at a character boundary once at least max bytes of
 * text are written (0: no limit): dedupe reads only a lead's opening. */
char *textnorm_plain_prefix(const char *html, size_t max);
/* The same into out, which has room for max + 4 bytes (max > 0: a step
 * writes at most 4 bytes); returns the text's length. */
size_t textnorm_plain_prefix_to(const char *html, size_t max, char *out);

/* Removes a leading dateline and trailing credits from a lead, in place. */
void textnorm_strip_dateline(char *lead);

/* Removes an outlet's prefix ("UPDATE 2-", "BREAKING:", "快讯：") and
 * suffix (" - Reuters", " | China Daily") from a headline, in place. */
void textnorm_strip_title_credit(char *title);

/*
 * Folds text for comparison: ASCII and Latin-1 letters lowercased,
 * full-width ASCII and the ideographic space to ASCII (Unicode's
 * compatibility mapping for U+FF01..FF5E), punctuation and symbols to
 * spaces, runs of space to one.  Returns a string the caller frees.
 */
char *textnorm_fold(const char *text);

/* Tokens of folded text: each a 64-bit hash.  Owned array. */
struct textnorm_tokens {
	uint64_t *hash;
	size_t n;
	size_t n_cjk;		/* how many are CJK characters */
};

/* Tokenizes folded text, at most max tokens (0: no limit). */
void textnorm_tokenize(const char *folded, size_t max,
		       struct textnorm_tokens *out);
void textnorm_tokens_clear(struct textnorm_tokens *t);
/* The tokens of textnorm_fold(text), at most max (> 0), into hash (room
 * for max) in one pass without the folded copy; returns how many, and
 * in *n_cjk how many of them are CJK characters. */
size_t textnorm_fold_tokenize(const char *text, size_t max, uint64_t *hash,
			      size_t *n_cjk);

/*
 * The shingles of a token sequence: the hash of each two consecutive
 * tokens (word pairs; character bigrams for CJK), sorted and unique;
 * a single token is its own shingle.  *out is an owned array.
 */
size_t textnorm_shingles(const struct textnorm_tokens *t, uint64_t **out);
/* The same shingles in text order, repeats kept.  *out is an owned array. */
size_t textnorm_shingle_sequence(const struct textnorm_tokens *t,
				 uint64_t **out);
/* The same of n tokens into out (room for n); returns its length. */
size_t textnorm_sequence_of(const uint64_t *tokens, size_t n, uint64_t *out);
/* Sorts v and drops repeats in place; returns how many are left. */
size_t textnorm_sort_unique(uint64_t *v, size_t n);

#endif
