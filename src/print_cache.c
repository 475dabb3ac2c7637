/*
 * print_cache.c — the newest items' fingerprints in fixed slots
 * (print_cache.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "print_cache.h"

/* Each of a print's arrays, at most its text's tokens (dedupe.h). */
#define TITLE_MAX DEDUPE_TITLE_TOKENS
#define LEAD_MAX DEDUPE_LEAD_TOKENS
#define HEAD_MAX DEDUPE_LEAD_HEAD_TOKENS

/* One print, copied flat: ~2 KB. */
struct print_slot {
	int64_t id;		/* 0: empty (item ids start at 1) */
	uint64_t tag;
	int64_t at;
	uint64_t title_simhash, lead_simhash;
	double title_words, lead_words;
	uint16_t n_title, n_lead, n_head, n_sequence;
	int has_url;
	uint64_t title[TITLE_MAX], lead[LEAD_MAX], head[HEAD_MAX];
	uint64_t sequence[LEAD_MAX];
	char url[PRINT_CACHE_URL_MAX];
};

struct print_cache {
	size_t mask;			/* slots - 1 */
	struct print_slot *slot;	/* owned, mask + 1 of them */
	uint64_t hits, gets;
};

struct print_cache *print_cache_new(size_t slots)
{
	struct print_cache *c = xcalloc(1, sizeof *c);
	size_t n = 1;

	while (n < slots)
		n *= 2;
	c->mask = n - 1;
	c->slot = xcalloc(n, sizeof *c->slot);
	return c;
}

void print_cache_free(struct print_cache *c)
{
	if (!c)
		return;
	free(c->slot);
	free(c);
}

static struct print_slot *slot_of(const struct print_cache *c, int64_t id)
{
	return &c->slot[(uint64_t)id & c->mask];
}

static int fits(const struct dedupe_print *p)
{
	return p->n_title_shingles <= TITLE_MAX &&
	       p->n_lead_shingles <= LEAD_MAX &&
	       p->n_head_shingles <= HEAD_MAX &&
	       p->n_lead_sequence <= LEAD_MAX &&
	       (!p->canonical_url ||
		strlen(p->canonical_url) < PRINT_CACHE_URL_MAX);
}

/* n uint64_t from src (NULL when n is 0) to dst. */
static void copy_u64(uint64_t *dst, const uint64_t *src, size_t n)
{
	if (n > 0)
		memcpy(dst, src, n * sizeof *dst);
}

int print_cache_put(struct print_cache *c, int64_t id, uint64_t tag,
		    const struct dedupe_print *p)
{
	struct print_slot *s = slot_of(c, id);

	s->id = 0;
	if (tag == 0 || id <= 0 || !fits(p))
		return -1;
	s->tag = tag;
	s->at = p->at;
	s->title_simhash = p->title_simhash;
	s->lead_simhash = p->lead_simhash;
	s->title_words = p->title_words;
	s->lead_words = p->lead_words;
	s->n_title = (uint16_t)p->n_title_shingles;
	s->n_lead = (uint16_t)p->n_lead_shingles;
	s->n_head = (uint16_t)p->n_head_shingles;
	s->n_sequence = (uint16_t)p->n_lead_sequence;
	copy_u64(s->title, p->title_shingles, s->n_title);
	copy_u64(s->lead, p->lead_shingles, s->n_lead);
	copy_u64(s->head, p->head_shingles, s->n_head);
	copy_u64(s->sequence, p->lead_sequence, s->n_sequence);
	s->has_url = p->canonical_url != NULL;
	if (s->has_url)
		strcpy(s->url, p->canonical_url);	/* fits() measured it */
	s->id = id;
	return 0;
}

int print_cache_get(struct print_cache *c, int64_t id, uint64_t tag,
		    struct dedupe_print *out)
{
	struct print_slot *s = slot_of(c, id);

	c->gets++;
	if (s->id != id || s->tag != tag || tag == 0)
		return -1;
	c->hits++;
	memset(out, 0, sizeof *out);
	out->canonical_url = s->has_url ? s->url : NULL;
	out->at = s->at;
	out->title_simhash = s->title_simhash;
	out->lead_simhash = s->lead_simhash;
	out->title_words = s->title_words;
	out->lead_words = s->lead_words;
	out->title_shingles = s->title;
	out->n_title_shingles = s->n_title;
	out->lead_shingles = s->lead;
	out->n_lead_shingles = s->n_lead;
	out->head_shingles = s->head;
	out->n_head_shingles = s->n_head;
	out->lead_sequence = s->sequence;
	out->n_lead_sequence = s->n_sequence;
	return 0;
}

void print_cache_counts(const struct print_cache *c, uint64_t *hits,
			uint64_t *gets)
{
	*hits = c ? c->hits : 0;
	*gets = c ? c->gets : 0;
}
