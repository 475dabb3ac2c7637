/*
 * test_cache.c — the response cache: hits only at the same generation,
 * replacement, LRU eviction, gzip that inflates back, stable ETags.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "buf.h"
#include "cache.h"
#include "tap.h"

#define CT_ATOM "application/atom+xml; charset=utf-8"
#define CT_JSON "application/feed+json; charset=utf-8"
#define BIG_LEN (1024 * 1024)
#define INFLATE_CHUNK 4096

/* Inflates in (gzip or zlib, detected: windowBits 15 + 32) into out.
 * 0, or -1 if the data is not one complete stream. */
static int inflate_all(const char *in, size_t len, struct buf *out)
{
	unsigned char chunk[INFLATE_CHUNK];
	z_stream zs;
	int rc;

	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, 15 + 32) != Z_OK)
		return -1;
	zs.next_in = (unsigned char *)in;
	zs.avail_in = (uInt)len;
	do {
		zs.next_out = chunk;
		zs.avail_out = sizeof chunk;
		rc = inflate(&zs, Z_NO_FLUSH);
		buf_append(out, chunk, sizeof chunk - zs.avail_out);
	} while (rc == Z_OK);
	inflateEnd(&zs);
	return rc == Z_STREAM_END && zs.avail_in == 0 ? 0 : -1;
}

/* Whether the gzip in c inflates back to exactly c's body. */
static int gz_round_trips(const struct cached *c)
{
	struct buf b = {0};
	int same;

	if (!c || !c->gz || inflate_all(c->gz, c->gz_len, &b) < 0) {
		buf_free(&b);
		return 0;
	}
	same = b.len == c->len && memcmp(b.data ? b.data : "", c->body, c->len) == 0;
	buf_free(&b);
	return same;
}

static const struct cached *put_str(struct cache *c, const char *key,
				    uint64_t gen, const char *body)
{
	return cache_put(c, key, gen, xstrdup(body), strlen(body), CT_ATOM,
			 1000 + (int64_t)gen);
}

static void test_hit_and_miss(void)
{
	struct cache *c = cache_create(4);
	const struct cached *p, *g;

	ok(cache_get(c, "/feed.atom?limit=50", 1) == NULL, "cache_get_empty_misses");
	p = cache_put(c, "/feed.atom?limit=50", 7, xstrdup("<feed/>"), 7,
		      CT_ATOM, 1700000000);
	ok(p != NULL, "cache_put_returns_entry");
	g = cache_get(c, "/feed.atom?limit=50", 7);
	ok(g == p, "cache_get_same_key_same_generation_hits");
	is_str(g ? g->body : NULL, "<feed/>", "cache_get_returns_body");
	is_int(g ? (int64_t)g->len : -1, 7, "cache_get_returns_len");
	ok(g && g->content_type == (const char *)CT_ATOM,
	   "cache_keeps_content_type_pointer");
	is_int(g ? g->last_modified : -1, 1700000000, "cache_keeps_last_modified");
	is_int(g ? (int64_t)g->generation : -1, 7, "cache_keeps_generation");
	ok(cache_get(c, "/feed.atom?limit=50", 8) == NULL,
	   "cache_get_newer_generation_misses");
	ok(cache_get(c, "/feed.atom?limit=50", 6) == NULL,
	   "cache_get_older_generation_misses");
	ok(cache_get(c, "/feed.atom?limit=10", 7) == NULL,
	   "cache_get_other_key_misses");
	ok(cache_get(c, "/feed.atom?limit=50", 7) != NULL,
	   "cache_get_miss_on_generation_keeps_entry");
	cache_free(c);
	cache_free(NULL);	/* must not crash */
}

static void test_replacement(void)
{
	struct cache *c = cache_create(2);
	const struct cached *g;

	put_str(c, "a", 1, "old body");
	put_str(c, "a", 2, "new body, longer");
	g = cache_get(c, "a", 2);
	is_str(g ? g->body : NULL, "new body, longer", "cache_put_same_key_replaces_body");
	is_int(g ? g->last_modified : -1, 1002, "cache_put_same_key_replaces_last_modified");
	ok(cache_get(c, "a", 1) == NULL, "cache_put_same_key_old_generation_gone");
	put_str(c, "b", 2, "b body");
	ok(cache_get(c, "a", 2) != NULL && cache_get(c, "b", 2) != NULL,
	   "cache_put_replacement_uses_no_extra_slot");
	cache_free(c);
}

static void test_eviction_order(void)
{
	struct cache *c = cache_create(3);

	put_str(c, "a", 1, "A");
	put_str(c, "b", 1, "B");
	put_str(c, "c", 1, "C");
	ok(cache_get(c, "a", 1) != NULL, "cache_holds_max_entries");
	put_str(c, "d", 1, "D");	/* b is now least recently used */
	ok(cache_get(c, "b", 1) == NULL, "cache_evicts_least_recently_used");
	ok(cache_get(c, "a", 1) != NULL, "cache_keeps_recently_read_entry");
	ok(cache_get(c, "c", 1) != NULL && cache_get(c, "d", 1) != NULL,
	   "cache_keeps_other_entries_on_eviction");
	/* Order of use now: a, c, d (d newest) */
	put_str(c, "e", 1, "E");
	ok(cache_get(c, "a", 1) == NULL, "cache_evicts_next_least_recently_used");
	ok(cache_get(c, "c", 1) && cache_get(c, "d", 1) && cache_get(c, "e", 1),
	   "cache_keeps_three_newest");
	cache_free(c);

	c = cache_create(0);
	put_str(c, "x", 1, "X");
	put_str(c, "y", 1, "Y");
	ok(cache_get(c, "y", 1) && !cache_get(c, "x", 1),
	   "cache_capacity_zero_holds_one_entry");
	cache_free(c);
}

static void test_gzip(void)
{
	struct cache *c = cache_create(2);
	const struct cached *g;
	struct buf out = {0}, back = {0};
	char *big = xmalloc(BIG_LEN);
	uint32_t x = 12345;
	size_t i;

	g = put_str(c, "atom", 1, "<feed>hello hello hello hello</feed>");
	ok(g && g->gz && g->gz_len >= 18, "cache_put_makes_gzip");
	ok(g && g->gz && (unsigned char)g->gz[0] == 0x1f &&
	   (unsigned char)g->gz[1] == 0x8b, "cache_gzip_has_gzip_magic");
	ok(gz_round_trips(g), "cache_gzip_inflates_to_body");

	/* Half noise, half repetition: bigger than any internal chunk. */
	for (i = 0; i < BIG_LEN; i++) {
		x = x * 1103515245u + 12345u;
		big[i] = i < BIG_LEN / 2 ? (char)(x >> 24) : (char)('a' + i % 7);
	}
	g = cache_put(c, "big", 1, big, BIG_LEN, CT_JSON, 5);
	ok(gz_round_trips(g), "cache_gzip_large_body_inflates_to_body");
	ok(g && g->gz_len < g->len, "cache_gzip_compresses_large_body");

	g = cache_put(c, "empty", 1, NULL, 0, CT_JSON, 5);
	is_int(g ? (int64_t)g->len : -1, 0, "cache_put_null_body_is_empty");
	ok(gz_round_trips(g), "cache_gzip_empty_body_inflates_to_empty");

	buf_puts(&out, "PREFIX");
	ok(cache_gzip("abcabcabc", 9, &out) == 0, "cache_gzip_returns_0");
	ok(out.len > 6 && memcmp(out.data, "PREFIX", 6) == 0,
	   "cache_gzip_appends_after_existing_bytes");
	ok(inflate_all(out.data + 6, out.len - 6, &back) == 0 &&
	   back.len == 9 && memcmp(back.data, "abcabcabc", 9) == 0,
	   "cache_gzip_appended_stream_inflates");
	buf_free(&out);
	buf_free(&back);
	cache_free(c);
}

static int etag_well_formed(const char *t)
{
	size_t i;

	if (strlen(t) != 18 || t[0] != '"' || t[17] != '"')
		return 0;
	for (i = 1; i < 17; i++)
		if (!strchr("0123456789abcdef", t[i]))
			return 0;
	return 1;
}

static void test_etag(void)
{
	struct cache *c = cache_create(4);
	const struct cached *g;
	char first[40];

	g = put_str(c, "k1", 1, "same body");
	snprintf(first, sizeof first, "%s", g->etag);
	ok(etag_well_formed(first), "cache_etag_is_quoted_16_hex_digits");
	g = put_str(c, "k2", 2, "same body");
	is_str(g->etag, first, "cache_etag_same_body_same_etag");
	g = put_str(c, "k1", 3, "same body");
	is_str(g->etag, first, "cache_etag_stable_across_replacement");
	g = put_str(c, "k3", 1, "same bodz");
	ok(strcmp(g->etag, first) != 0, "cache_etag_different_body_different_etag");
	g = put_str(c, "k4", 1, "a");
	is_str(g->etag, "\"af63dc4c8601ec8c\"", "cache_etag_is_fnv1a_64_of_body");
	g = cache_put(c, "k4", 2, NULL, 0, CT_ATOM, 0);
	is_str(g->etag, "\"cbf29ce484222325\"", "cache_etag_of_empty_body_is_fnv_offset");
	cache_free(c);
}

static void test_binary_body(void)
{
	struct cache *c = cache_create(1);
	const struct cached *a, *b;
	char first[40];

	/* A NUL inside: the whole len counts, not the C string. */
	a = cache_put(c, "bin", 1, xstrndup("ab\0cd", 5), 5, CT_ATOM, 0);
	snprintf(first, sizeof first, "%s", a->etag);
	ok(gz_round_trips(a), "cache_gzip_covers_bytes_after_nul");
	b = cache_put(c, "bin", 2, xstrndup("ab\0ce", 5), 5, CT_ATOM, 0);
	ok(strcmp(b->etag, first) != 0, "cache_etag_covers_bytes_after_nul");
	cache_free(c);
}

/* A body held by a writer outlives its entry: the cache replaces it, the
 * writer still reads the old bytes (ASan would see a use after free), and
 * the last release frees them (ASan's leak check). */
static void test_hold_outlives_entry(void)
{
	struct cache *c = cache_create(1);
	const struct cached *e;
	const char *old_body, *old_gz;

	e = cache_put(c, "/feed.atom", 1, xstrdup("<feed>old</feed>"), 16,
		      CT_ATOM, 5);
	old_body = e->body;
	old_gz = e->gz;
	cache_hold(old_body);
	if (old_gz)
		cache_hold(old_gz);
	cache_put(c, "/feed.atom", 2, xstrdup("<feed>new</feed>"), 16,
		  CT_ATOM, 6);
	cache_put(c, "/other", 2, xstrdup("x"), 1, CT_ATOM, 6);	/* evicts */
	is_str(old_body, "<feed>old</feed>", "cache_held_body_survives_replacement");
	cache_release(old_body, 16, NULL);
	if (old_gz)
		cache_release(old_gz, 0, NULL);
	ok(cache_get(c, "/feed.atom", 2) == NULL, "cache_one_slot_evicted_oldest");
	cache_release(NULL, 0, NULL);	/* NULL is fine */
	cache_free(c);
}

int main(void)
{
	test_hit_and_miss();
	test_replacement();
	test_eviction_order();
	test_gzip();
	test_etag();
	test_binary_body();
	test_hold_outlives_entry();
	return done_testing();
}
