/*
 * simhash.h — 64-bit SimHash (Charikar 2002) of a set of features, and
 * the band keys that find near-equal fingerprints through an exact-match
 * index: two fingerprints within SIMHASH_BANDS - 1 bits of each other
 * share at least one band (pigeonhole), so a lookup reads only the items
 * that share a band instead of every item (Manku et al., WWW 2007).
 */
#ifndef FEEDMUX_SIMHASH_H
#define FEEDMUX_SIMHASH_H

#include <stddef.h>
#include <stdint.h>

#define SIMHASH_BANDS 4		/* 16 bits each: distance <= 3 always meets */
#define SIMHASH_BAND_BITS (64 / SIMHASH_BANDS)

/* The SimHash of n feature hashes, each weighted 1.  0 when n is 0. */
uint64_t simhash_of(const uint64_t *features, size_t n);

/* Hamming distance of two fingerprints. */
int simhash_distance(uint64_t a, uint64_t b);

/*
 * The SIMHASH_BANDS band keys of h for the index.  kind (0..127) keeps
 * the keys of different fingerprints of one item (headline, lead) apart.
 * A key is kind << 20 | band << 16 | the band's 16 bits.
 */
void simhash_bands(uint64_t h, unsigned kind, int64_t keys[SIMHASH_BANDS]);

#endif
