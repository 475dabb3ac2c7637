/*
 * dedupe.c — fingerprints of items and the decision whether two items
 * are one story (the rules are in dedupe.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "canon_url.h"
#include "dedupe.h"
#include "textnorm.h"

/* Tokens of a lead its fingerprint covers: copies cut at different
 * lengths, even short, still share their opening. */
#define DEDUPE_LEAD_PRINT_TOKENS 12
/* Bytes of a lead's text that are normalised: DEDUPE_LEAD_TOKENS words
 * fit many times over (80 English words are ~500 bytes, 80 Chinese
 * characters 240), and a full article body is not folded for nothing. */
#define DEDUPE_LEAD_TEXT_BYTES 4096
/* Below these, a text says too little to be compared (in words). */
#define DEDUPE_MIN_TITLE_WORDS 5.0
#define DEDUPE_MIN_LEAD_WORDS 8.0
/* A lead shorter than this also needs some headline overlap: a short
 * opening ("The foreign ministry said on Monday that") is common. */
#define DEDUPE_LONG_LEAD_WORDS 12.0
#define DEDUPE_SHORT_LEAD_TITLE_JACCARD 0.3
#define DEDUPE_TITLE_ONLY_JACCARD 0.8
/* A published date this far from first seen is not believed. */
#define DEDUPE_DATE_SLACK_S (30 * 86400)

/* The most tokens print_text() reads of a text. */
#define DEDUPE_MAX_TOKENS (DEDUPE_LEAD_TOKENS > DEDUPE_TITLE_TOKENS ? \
			   DEDUPE_LEAD_TOKENS : DEDUPE_TITLE_TOKENS)

/* What print_text() fills. */
struct text_print {
	uint64_t *shingles, *head;	/* owned, sorted, unique */
	size_t n_shingles, n_head;
	uint64_t *sequence;		/* owned, text order */
	size_t n_sequence;
	uint64_t simhash;		/* of the first print_max tokens */
	double words;
};

/* An owned copy of v[0..n), NULL when n is 0. */
static uint64_t *copy_u64(const uint64_t *v, size_t n)
{
	uint64_t *c;

	if (n == 0)
		return NULL;
	c = xmalloc(n * sizeof *c);
	memcpy(c, v, n * sizeof *c);
	return c;
}

/* Into out, the sorted unique shingles of the first k of n tokens (tok),
 * whose shingle sequence is seq: a prefix of seq, as the k tokens alone
 * would make it (a single token is its own shingle). */
static size_t prefix_shingles(const uint64_t *tok, const uint64_t *seq,
			      size_t n, size_t k, uint64_t *out)
{
	if (k > n)
		k = n;
	if (k <= 1) {
		if (k == 1)
			out[0] = tok[0];
		return k;
	}
	memcpy(out, seq, (k - 1) * sizeof *out);
	return textnorm_sort_unique(out, k - 1);
}

/*
 * Shingles of text's first max (<= DEDUPE_MAX_TOKENS) tokens and, when
 * head is set, of its first head_max and their sequence; the fingerprint
 * of its first print_max.  Folded and tokenized in one pass into arrays
 * on the stack: only the results are allocated.
 */
static void print_text(const char *text, size_t max, size_t head_max,
		       size_t print_max, int head, struct text_print *out)
{
	uint64_t tok[DEDUPE_MAX_TOKENS], seq[DEDUPE_MAX_TOKENS];
	uint64_t set[DEDUPE_MAX_TOKENS];
	size_t n, n_cjk, n_seq, k;

	memset(out, 0, sizeof *out);
	n = textnorm_fold_tokenize(text, max, tok, &n_cjk);
	out->words = (double)(n - n_cjk) + (double)n_cjk / 2.0;
	n_seq = textnorm_sequence_of(tok, n, seq);
	memcpy(set, seq, n_seq * sizeof *set);
	out->n_shingles = textnorm_sort_unique(set, n_seq);
	out->shingles = copy_u64(set, out->n_shingles);
	if (print_max >= max) {
		out->simhash = simhash_of(out->shingles, out->n_shingles);
	} else {
		k = prefix_shingles(tok, seq, n, print_max, set);
		out->simhash = simhash_of(set, k);
	}
	if (!head)
		return;
	out->n_head = prefix_shingles(tok, seq, n, head_max, set);
	out->head = copy_u64(set, out->n_head);
	out->n_sequence = n_seq;
	out->sequence = copy_u64(seq, n_seq);
}

void dedupe_print_make(const struct entry *e, int64_t first_seen,
		       struct dedupe_print *p)
{
	char *title = xstrdup(e->title ? e->title : "");
	/* Only the lead's opening is read: on the stack. */
	char lead[DEDUPE_LEAD_TEXT_BYTES + 4];
	struct text_print tp;

	textnorm_plain_prefix_to(e->summary ? e->summary : e->content,
				 DEDUPE_LEAD_TEXT_BYTES, lead);
	memset(p, 0, sizeof *p);
	p->canonical_url = canon_url(e->link);
	if (p->canonical_url && !canon_url_is_page(p->canonical_url)) {
		free(p->canonical_url);
		p->canonical_url = NULL;
	}
	p->at = first_seen;
	if (e->published != ENTRY_NO_DATE &&
	    e->published > first_seen - DEDUPE_DATE_SLACK_S &&
	    e->published < first_seen + 86400)
		p->at = e->published;

	textnorm_strip_title_credit(title);
	print_text(title, DEDUPE_TITLE_TOKENS, DEDUPE_TITLE_TOKENS,
		   DEDUPE_TITLE_TOKENS, 0, &tp);
	p->title_shingles = tp.shingles;
	p->n_title_shingles = tp.n_shingles;
	p->title_simhash = tp.simhash;
	p->title_words = tp.words;

	textnorm_strip_dateline(lead);
	print_text(lead, DEDUPE_LEAD_TOKENS, DEDUPE_LEAD_HEAD_TOKENS,
		   DEDUPE_LEAD_PRINT_TOKENS, 1, &tp);
	p->lead_shingles = tp.shingles;
	p->n_lead_shingles = tp.n_shingles;
	p->head_shingles = tp.head;
	p->n_head_shingles = tp.n_head;
	p->lead_simhash = tp.simhash;
	p->lead_words = tp.words;
	p->lead_sequence = tp.sequence;
	p->n_lead_sequence = tp.n_sequence;
	free(title);
}

void dedupe_print_clear(struct dedupe_print *p)
{
	free(p->canonical_url);
	free(p->title_shingles);
	free(p->lead_shingles);
	free(p->head_shingles);
	free(p->lead_sequence);
	memset(p, 0, sizeof *p);
}

size_t dedupe_band_keys(const struct dedupe_print *p,
			int64_t keys[DEDUPE_MAX_KEYS])
{
	size_t n = 0;

	if (p->title_words >= DEDUPE_MIN_TITLE_WORDS) {
		simhash_bands(p->title_simhash, 1, keys + n);
		n += SIMHASH_BANDS;
	}
	if (p->lead_words >= DEDUPE_MIN_LEAD_WORDS) {
		simhash_bands(p->lead_simhash, 2, keys + n);
		n += SIMHASH_BANDS;
	}
	return n;
}

static size_t intersection(const uint64_t *a, size_t na, const uint64_t *b,
			   size_t nb)
{
	size_t i = 0, j = 0, k = 0;

	while (i < na && j < nb) {
		if (a[i] < b[j])
			i++;
		else if (a[i] > b[j])
			j++;
		else {
			k++;
			i++;
			j++;
		}
	}
	return k;
}

double dedupe_containment(const uint64_t *a, size_t na,
			  const uint64_t *b, size_t nb)
{
	size_t small = na < nb ? na : nb;

	if (small == 0)
		return 0.0;
	return (double)intersection(a, na, b, nb) / (double)small;
}

double dedupe_jaccard(const uint64_t *a, size_t na,
		      const uint64_t *b, size_t nb)
{
	size_t both = intersection(a, na, b, nb);

	if (na + nb == 0)
		return 0.0;
	return (double)both / (double)(na + nb - both);
}

static int contains(const uint64_t *set, size_t n, uint64_t x)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (set[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && set[lo] == x;
}

/* The lowest share, over the three thirds of the shorter lead (in text
 * order), of shingles found in the other lead. */
static double thirds_coverage(const struct dedupe_print *a,
			      const struct dedupe_print *b)
{
	const struct dedupe_print *s = a, *l = b;
	double worst = 1.0, share;
	size_t part, i, from, to, found;

	if (b->n_lead_sequence < a->n_lead_sequence) {
		s = b;
		l = a;
	}
	for (part = 0; part < 3; part++) {
		from = s->n_lead_sequence * part / 3;
		to = s->n_lead_sequence * (part + 1) / 3;
		if (to <= from)
			continue;
		for (found = 0, i = from; i < to; i++)
			found += contains(l->lead_shingles, l->n_lead_shingles,
					  s->lead_sequence[i]);
		share = (double)found / (double)(to - from);
		if (share < worst)
			worst = share;
	}
	return worst;
}

static double min_d(double a, double b)
{
	return a < b ? a : b;
}

enum dedupe_verdict dedupe_compare(const struct dedupe_print *a,
				   const struct dedupe_print *b,
				   const struct dedupe_params *params)
{
	int64_t apart = a->at > b->at ? a->at - b->at : b->at - a->at;
	double title_j, lead_c, head_c;

	if (apart > params->window_s)
		return DEDUPE_DIFFERENT;
	if (a->canonical_url && b->canonical_url &&
	    strcmp(a->canonical_url, b->canonical_url) == 0)
		return DEDUPE_SAME_URL;
	title_j = dedupe_jaccard(a->title_shingles, a->n_title_shingles,
				 b->title_shingles, b->n_title_shingles);
	if (min_d(a->lead_words, b->lead_words) >= DEDUPE_MIN_LEAD_WORDS) {
		lead_c = dedupe_containment(a->lead_shingles,
					    a->n_lead_shingles,
					    b->lead_shingles,
					    b->n_lead_shingles);
		head_c = dedupe_containment(a->head_shingles,
					    a->n_head_shingles,
					    b->head_shingles,
					    b->n_head_shingles);
		if (lead_c * 100.0 < params->threshold_pct ||
		    head_c * 100.0 < params->threshold_pct ||
		    thirds_coverage(a, b) * 100.0 < params->threshold_pct)
			return DEDUPE_DIFFERENT;
		if (min_d(a->lead_words, b->lead_words) < DEDUPE_LONG_LEAD_WORDS &&
		    title_j < DEDUPE_SHORT_LEAD_TITLE_JACCARD)
			return DEDUPE_DIFFERENT;
		return DEDUPE_SAME_TEXT;
	}
	if (min_d(a->title_words, b->title_words) >= DEDUPE_MIN_TITLE_WORDS &&
	    apart <= DEDUPE_TITLE_ONLY_WINDOW_S &&
	    title_j >= DEDUPE_TITLE_ONLY_JACCARD)
		return DEDUPE_SAME_TEXT;
	return DEDUPE_DIFFERENT;
}
