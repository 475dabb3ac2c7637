/*
 * dedupe.h — is a new item another copy of a story already stored?
 * (DESIGN.md: Deduplication, in three rings.)  Ring 1, the same item in
 * the same feed, is the store's item key.  This module decides rings 2
 * and 3 between two items, from their fingerprints:
 *
 *  2. the same canonical URL (canon_url.h) in another feed, within the
 *     window;
 *  3. the same text in another feed, within the window: the normalised
 *     leads (textnorm.h) overlap — the share of the shorter lead's word
 *     pairs found in the other is at least the threshold, both over the
 *     whole leads and over their openings (boilerplate closing sentences
 *     are common, a copy's opening is the wire's), and over each third
 *     of the shorter lead (a formulaic opening shared by two stories
 *     covers only part of it, a cut copy all of it), so a cut lead still
 *     matches its full copy while a new headline doesn't matter —
 *     or, when a lead is missing or too short to judge, the headlines are
 *     long and nearly equal and within DEDUPE_TITLE_ONLY_WINDOW_S.
 *
 * Traps this keeps apart: recurring headlines ("News summary") have
 * different leads; a follow-up the next day has a new lead; very short
 * texts are never compared by text; items of one feed never merge by
 * text (a feed's boilerplate would merge all its items).
 *
 * The store finds the candidates with the SimHash band keys
 * (simhash.h) of the headline and of the lead's first words.
 */
#ifndef FEEDMUX_DEDUPE_H
#define FEEDMUX_DEDUPE_H

#include <stddef.h>
#include <stdint.h>

#include "entry.h"
#include "simhash.h"

#define DEDUPE_DEFAULT_WINDOW_S (36 * 3600)
#define DEDUPE_DEFAULT_THRESHOLD_PCT 70
#define DEDUPE_TITLE_ONLY_WINDOW_S (12 * 3600)
/* Tokens of a lead kept for comparing; a cut lead is usually longer. */
#define DEDUPE_LEAD_TOKENS 80
/* Tokens of the opening whose overlap is checked too: closing sentences
 * are often boilerplate, a copy's opening is the wire's. */
#define DEDUPE_LEAD_HEAD_TOKENS 24
#define DEDUPE_TITLE_TOKENS 40
/* n tokens make n - 1 shingles (1 when n is 1): a print's sets and its
 * lead sequence never hold more than their tokens (print_cache.h). */
/* Most band keys one item has: headline and lead fingerprints. */
#define DEDUPE_MAX_KEYS (2 * SIMHASH_BANDS)

struct dedupe_params {
	int64_t window_s;	/* copies are at most this far apart */
	int threshold_pct;	/* lead overlap needed, 1..100 */
};

/* What dedupe knows of one item.  Owned fields. */
struct dedupe_print {
	char *canonical_url;	/* NULL: no link, or a site's root */
	int64_t at;		/* published, else first seen */
	uint64_t title_simhash, lead_simhash;
	uint64_t *title_shingles;	/* sorted, unique */
	size_t n_title_shingles;
	uint64_t *lead_shingles;
	size_t n_lead_shingles;
	uint64_t *head_shingles;	/* of the lead's opening words only */
	size_t n_head_shingles;
	uint64_t *lead_sequence;	/* the lead's shingles in text order */
	size_t n_lead_sequence;
	double title_words, lead_words;	/* a CJK character is half a word */
};

/*
 * Fingerprints e, first seen at first_seen.  The lead is the summary,
 * else the content (its first DEDUPE_LEAD_TOKENS tokens).  Clear with
 * dedupe_print_clear().
 */
void dedupe_print_make(const struct entry *e, int64_t first_seen,
		       struct dedupe_print *p);
void dedupe_print_clear(struct dedupe_print *p);

/* The band keys under which p is indexed and looked up; returns how many
 * (0 when the texts are too short to compare). */
size_t dedupe_band_keys(const struct dedupe_print *p,
			int64_t keys[DEDUPE_MAX_KEYS]);

enum dedupe_verdict {
	DEDUPE_DIFFERENT,
	DEDUPE_SAME_URL,	/* ring 2 */
	DEDUPE_SAME_TEXT,	/* ring 3 */
};

/* Whether a and b (of two different feeds) are copies of one story. */
enum dedupe_verdict dedupe_compare(const struct dedupe_print *a,
				   const struct dedupe_print *b,
				   const struct dedupe_params *params);

/* The share (0..1) of the smaller set's shingles found in the other. */
double dedupe_containment(const uint64_t *a, size_t na,
			  const uint64_t *b, size_t nb);
/* |a ∩ b| / |a ∪ b| of two sorted unique sets; 0 if both empty. */
double dedupe_jaccard(const uint64_t *a, size_t na,
		      const uint64_t *b, size_t nb);

#endif
