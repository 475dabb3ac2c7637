/*
 * simhash.c — SimHash fingerprints and their band keys.
 */
#include "simhash.h"

/* Features counted per bit in byte lanes before the lanes could
 * overflow. */
#define LANE_MAX 255
#define LANE_ONES 0x0101010101010101ULL

/*
 * A bit of the fingerprint is set when more features have it set than
 * clear (votes of +1 and -1).  The set bits are counted eight bits of a
 * feature at a time: lane[k] holds, in byte j, how many features have
 * bit 8j + k set — 8 additions per feature instead of 64.
 */
uint64_t simhash_of(const uint64_t *features, size_t n)
{
	size_t count[64] = {0}, i = 0, end;
	uint64_t lane[8], h = 0;
	int b, k;

	while (i < n) {
		end = n - i > LANE_MAX ? i + LANE_MAX : n;
		for (k = 0; k < 8; k++)
			lane[k] = 0;
		for (; i < end; i++)
			for (k = 0; k < 8; k++)
				lane[k] += (features[i] >> k) & LANE_ONES;
		for (b = 0; b < 64; b++)
			count[b] += (lane[b % 8] >> (b / 8 * 8)) & 0xff;
	}
	for (b = 0; b < 64; b++)
		if (2 * count[b] > n)
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
