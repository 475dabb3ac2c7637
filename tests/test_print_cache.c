/*
 * test_print_cache.c — the newest items' fingerprints in fixed slots
 * (print_cache.c): a print comes back equal to the one stored, under its
 * id and tag only; a slot's next item replaces it; the newest `slots`
 * ids all stay; a print that does not fit a slot is not kept.
 */
#include <stdlib.h>
#include <string.h>

#include "dedupe.h"
#include "entry.h"
#include "print_cache.h"
#include "tap.h"

static const char *SUMMARY =
	"The state council approved new rules on rural railway lines on"
	" Friday, officials said in Beijing after weeks of talks.";

static void make(struct dedupe_print *p, const char *title, const char *link)
{
	struct entry e = {0};

	e.title = (char *)title;
	e.summary = (char *)SUMMARY;
	e.link = (char *)link;
	e.published = ENTRY_NO_DATE;
	dedupe_print_make(&e, 1775200000, p);
}

static int same_u64(const uint64_t *a, size_t na, const uint64_t *b,
		    size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na * sizeof *a) == 0);
}

/* Every field dedupe_compare() reads. */
static int same_print(const struct dedupe_print *a,
		      const struct dedupe_print *b)
{
	return a->at == b->at && a->title_simhash == b->title_simhash &&
	       a->lead_simhash == b->lead_simhash &&
	       a->title_words == b->title_words &&
	       a->lead_words == b->lead_words &&
	       (a->canonical_url == NULL) == (b->canonical_url == NULL) &&
	       (!a->canonical_url ||
		strcmp(a->canonical_url, b->canonical_url) == 0) &&
	       same_u64(a->title_shingles, a->n_title_shingles,
			b->title_shingles, b->n_title_shingles) &&
	       same_u64(a->lead_shingles, a->n_lead_shingles,
			b->lead_shingles, b->n_lead_shingles) &&
	       same_u64(a->head_shingles, a->n_head_shingles,
			b->head_shingles, b->n_head_shingles) &&
	       same_u64(a->lead_sequence, a->n_lead_sequence,
			b->lead_sequence, b->n_lead_sequence);
}

static void test_round_trip(void)
{
	struct print_cache *c = print_cache_new(5);	/* 8 slots */
	struct dedupe_print p, got;

	make(&p, "Rail rules approved by the council", "https://example.com/a");
	is_int(print_cache_put(c, 7, 42, &p), 0, "put_keeps_a_print");
	is_int(print_cache_get(c, 7, 42, &got), 0, "get_finds_it");
	ok(same_print(&got, &p), "print_found_equals_the_one_stored");
	ok(got.title_shingles != p.title_shingles &&
	   got.canonical_url != p.canonical_url,
	   "print_found_is_a_copy_not_the_callers");
	is_int(print_cache_get(c, 7, 43, &got), -1, "other_tag_misses");
	is_int(print_cache_get(c, 15, 42, &got), -1,
	       "other_id_of_the_same_slot_misses");
	is_int(print_cache_get(c, 8, 42, &got), -1, "empty_slot_misses");
	is_int(print_cache_put(c, 9, 0, &p), -1, "tag_zero_is_not_kept");
	is_int(print_cache_get(c, 9, 0, &got), -1, "tag_zero_never_found");
	dedupe_print_clear(&p);

	make(&p, "Rail rules approved by the council", NULL);
	print_cache_put(c, 3, 5, &p);
	ok(print_cache_get(c, 3, 5, &got) == 0 && got.canonical_url == NULL,
	   "print_without_url_found_without_url");
	dedupe_print_clear(&p);
	print_cache_free(c);
}

static void test_ring(void)
{
	struct print_cache *c = print_cache_new(8);
	struct dedupe_print p, got;
	uint64_t hits, gets;
	int64_t id;
	int all = 1;

	make(&p, "Rail rules approved by the council", "https://example.com/a");
	print_cache_put(c, 7, 42, &p);
	print_cache_put(c, 15, 1, &p);	/* 15 & 7 == 7: replaces id 7 */
	is_int(print_cache_get(c, 7, 42, &got), -1,
	       "next_item_of_a_slot_replaces_it");
	is_int(print_cache_get(c, 15, 1, &got), 0, "replacing_item_is_found");
	for (id = 100; id < 108; id++)
		print_cache_put(c, id, (uint64_t)id, &p);
	for (id = 100; id < 108; id++)
		all &= print_cache_get(c, id, (uint64_t)id, &got) == 0;
	ok(all, "the_newest_slots_ids_all_stay");
	is_int(print_cache_get(c, 15, 1, &got), -1, "older_ids_are_evicted");
	print_cache_counts(c, &hits, &gets);
	is_int(hits, 9, "counts_hits");
	is_int(gets, 11, "counts_gets");
	dedupe_print_clear(&p);
	print_cache_free(c);
	print_cache_free(NULL);
	ok(1, "free_null_is_fine");
}

/* A print whose URL does not fit a slot is not kept, and the slot's
 * previous print is gone too (never found under the new id's tag). */
static void test_too_big_not_kept(void)
{
	struct print_cache *c = print_cache_new(4);
	struct dedupe_print p, got;
	char link[PRINT_CACHE_URL_MAX + 64];

	memset(link, 'a', sizeof link - 1);
	link[sizeof link - 1] = '\0';
	memcpy(link, "https://example.com/", 20);
	make(&p, "Rail rules approved by the council", link);
	ok(p.canonical_url && strlen(p.canonical_url) >= PRINT_CACHE_URL_MAX,
	   "long_url_fixture_is_long");
	is_int(print_cache_put(c, 1, 9, &p), -1, "print_with_too_long_url_refused");
	is_int(print_cache_get(c, 1, 9, &got), -1, "refused_print_not_found");
	dedupe_print_clear(&p);
	print_cache_free(c);
}

int main(void)
{
	test_round_trip();
	test_ring();
	test_too_big_not_kept();
	return done_testing();
}
