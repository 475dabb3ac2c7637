/*
 * test_simhash.c — SimHash fingerprints and band keys.
 */
#include <stdint.h>

#include "simhash.h"
#include "tap.h"

int main(void)
{
	uint64_t f[100], g[100];
	int64_t ka[SIMHASH_BANDS], kb[SIMHASH_BANDS];
	uint64_t x = 88172645463325252ULL, a, b;
	int i, shared;

	for (i = 0; i < 100; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;	/* xorshift64 */
		f[i] = g[i] = x;
	}
	is_int(simhash_of(f, 0), 0, "simhash_empty_is_zero");
	is_int((int64_t)simhash_of(f, 1), (int64_t)f[0], "simhash_one_feature_is_itself");
	a = simhash_of(f, 100);
	is_int((int64_t)simhash_of(g, 100), (int64_t)a, "simhash_deterministic");
	for (i = 0; i < 5; i++)
		g[i] = ~g[i];
	b = simhash_of(g, 100);
	ok(simhash_distance(a, b) <= 12, "simhash_five_percent_changed_is_near");
	/* An odd count has no tied votes, so every bit flips. */
	for (i = 0; i < 99; i++)
		g[i] = ~f[i];
	is_int(simhash_distance(simhash_of(f, 99), simhash_of(g, 99)), 64,
	       "simhash_all_inverted_is_far");
	is_int(simhash_distance(0, 0xffULL), 8, "distance_counts_bits");

	simhash_bands(0x1111222233334444ULL, 1, ka);
	is_int(ka[0], (1 << 20) | (0 << 16) | 0x4444, "band_0_low_bits");
	is_int(ka[3], (1 << 20) | (3 << 16) | 0x1111, "band_3_high_bits");
	simhash_bands(0x1111222233334444ULL, 2, kb);
	ok(ka[0] != kb[0], "band_kinds_apart");
	/* Three bits apart, one in each of three bands: one band still meets. */
	simhash_bands(0x1111222233334444ULL ^ 0x0001000100010000ULL, 1, kb);
	for (shared = 0, i = 0; i < SIMHASH_BANDS; i++)
		shared += ka[i] == kb[i];
	is_int(shared, 1, "band_pigeonhole_three_bits");
	return done_testing();
}
