/*
 * simhash.c — SimHash fingerprints and their band keys.
 */
#include "simhash.h"

uint64_t simhash_of(const uint64_t *features, size_t n)
{
	int votes[64] = {0};
	uint64_t h = 0;
	size_t i;
	int b;

	for (i = 0; i < n; i++)
		for (b = 0; b < 64; b++)
			votes[b] += (features[i] >> b) & 1 ? 1 : -1;
	for (b = 0; b < 64; b++)
		if (votes[b] > 0)
			h |= (uint64_t)1 << b;
	return h;
}

int simhash_distance(uint64_t a, uint64_t b)
{
	return __builtin_popcountll(a ^ b);
}

void simhash_bands(uint64_t h, unsigned kind, int64_t keys[SIMHASH_BANDS])
{
	unsigned band;
	uint64_t mask = ((uint64_t)1 << SIMHASH_BAND_BITS) - 1;

	for (band = 0; band < SIMHASH_BANDS; band++)
		keys[band] = (int64_t)(((uint64_t)(kind & 0x7f) << 20) |
				       ((uint64_t)band << 16) |
				       ((h >> (band * SIMHASH_BAND_BITS)) & mask));
}
