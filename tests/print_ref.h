/*
 * print_ref.h — the reference fingerprint code (print_ref.c: the code of
 * commit ac62db5, frozen) that test_print_equal compares src/ with.
 */
#ifndef FEEDMUX_PRINT_REF_H
#define FEEDMUX_PRINT_REF_H

#include <stddef.h>
#include <stdint.h>

#include "dedupe.h"
#include "entry.h"

/* textnorm.h's struct textnorm_tokens as it was. */
struct ref_textnorm_tokens {
	uint64_t *hash;
	size_t n;
	size_t n_cjk;
};

char *ref_textnorm_plain(const char *html);
char *ref_textnorm_plain_prefix(const char *html, size_t max);
void ref_textnorm_strip_dateline(char *lead);
void ref_textnorm_strip_title_credit(char *title);
char *ref_textnorm_fold(const char *text);
void ref_textnorm_tokenize(const char *folded, size_t max,
			   struct ref_textnorm_tokens *out);
void ref_textnorm_tokens_clear(struct ref_textnorm_tokens *t);
size_t ref_textnorm_shingles(const struct ref_textnorm_tokens *t,
			     uint64_t **out);
size_t ref_textnorm_shingle_sequence(const struct ref_textnorm_tokens *t,
				     uint64_t **out);

uint64_t ref_simhash_of(const uint64_t *features, size_t n);

/* dedupe_print_make() as it was; clear *p with dedupe_print_clear(). */
void ref_print_make(const struct entry *e, int64_t first_seen,
		    struct dedupe_print *p);

#endif
