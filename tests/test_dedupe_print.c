/*
 * test_dedupe_print.c — the fingerprints (struct dedupe_print and its
 * band keys) that dedupe_print_make() makes, and what the textnorm and
 * simhash functions return, are pinned: a digest of every output over
 * fixed inputs must equal the digest frozen below.  The inputs: every
 * row of the dedupe corpus (tests/data/dedupe/items.tsv, its lead as the
 * summary and again as the content), 2,000 wire stories as feedserver -g
 * and the benchmarks generate them (bench/wire_words.h), and 4,000 random
 * texts mixing markup, entities, datelines, credits, CJK, full-width and
 * Latin-1 letters and invalid UTF-8 (seeded: the same texts every run).
 * Stored prints (print_cache, band keys in item_bands) were made by
 * earlier code, so any difference would split stories: a change that
 * means to alter a print needs new digests and a thought for the stored
 * rows.
 *
 * How the digests were made: FNV-1a 64 over the little-endian bytes of
 * each output, in input order (print_sum, keys_sum, textnorm_sum below),
 * by this file built with the fingerprint code of commit 30cc2ab (the
 * same since a923134) and, added back in, its earlier comparison against
 * tests/print_ref.c (then still in the tree: a frozen copy of the
 * fingerprint code of commit ac62db5, before issue 8 made it faster).
 * In that run every field and band key of every print, and every
 * textnorm and simhash output, over these same inputs was equal to the
 * reference's (12,861 compared, 0 differences), so the digests are the
 * old code's too; print_ref.c was deleted after.
 * CORPUS_FIELDS_DIGEST was computed at ac62db5 itself, by the old code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bench/wire_words.h"
#include "buf.h"
#include "dedupe.h"
#include "dedupe_corpus.h"
#include "simhash.h"
#include "tap.h"
#include "textnorm.h"

#define RANDOM_TEXTS 4000
#define WIRE_TEXTS 2000
#define FNV_INIT 0xcbf29ce484222325ULL	/* FNV-1a 64 offset basis */

/* The corpus prints' fields only (print_sum), computed at ac62db5. */
#define CORPUS_FIELDS_DIGEST 0x24fcfdf746d1f82aULL
/* Fields and band keys of every print of each group, and textnorm's and
 * simhash's outputs: computed at 30cc2ab (see the top).  The corpus as
 * content prints as the corpus does: a lead is the summary, else the
 * content. */
#define CORPUS_DIGEST 0xefcef82f831ece88ULL
#define CORPUS_CONTENT_DIGEST 0xefcef82f831ece88ULL
#define WIRE_DIGEST 0x464b534bccad16ecULL
#define RANDOM_DIGEST 0xa685315b52396484ULL
#define TEXTNORM_DIGEST 0x74cf0e82025ee9a0ULL
#define SIMHASH_DIGEST 0x76d78a29f9c30686ULL

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;

	while (n--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* v's eight bytes, least significant first, whatever the host's order. */
static uint64_t fnv_u64(uint64_t h, uint64_t v)
{
	unsigned char b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	return fnv(h, b, 8);
}

static uint64_t fnv_u64s(uint64_t h, const uint64_t *v, size_t n)
{
	while (n--)
		h = fnv_u64(h, *v++);
	return h;
}

static uint64_t fnv_double(uint64_t h, double d)
{
	uint64_t bits;

	memcpy(&bits, &d, sizeof bits);	/* IEEE 754 binary64 */
	return fnv_u64(h, bits);
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return fnv(h, s, strlen(s) + 1);
}

/* Every field of p, in declaration order. */
static uint64_t print_sum(uint64_t h, const struct dedupe_print *p)
{
	h = fnv_str(h, p->canonical_url ? p->canonical_url : "(none)");
	h = fnv_u64(h, (uint64_t)p->at);
	h = fnv_u64(h, p->title_simhash);
	h = fnv_u64(h, p->lead_simhash);
	h = fnv_u64s(h, p->title_shingles, p->n_title_shingles);
	h = fnv_u64s(h, p->lead_shingles, p->n_lead_shingles);
	h = fnv_u64s(h, p->head_shingles, p->n_head_shingles);
	h = fnv_u64s(h, p->lead_sequence, p->n_lead_sequence);
	h = fnv_double(h, p->title_words);
	return fnv_double(h, p->lead_words);
}

/* p's band keys, how many first. */
static uint64_t keys_sum(uint64_t h, const struct dedupe_print *p)
{
	int64_t k[DEDUPE_MAX_KEYS];
	size_t n = dedupe_band_keys(p, k), i;

	h = fnv_u64(h, n);
	for (i = 0; i < n; i++)
		h = fnv_u64(h, (uint64_t)k[i]);
	return h;
}

/* A group's digest against its pinned value, both shown on failure. */
static void is_digest(uint64_t got, uint64_t want, const char *name)
{
	if (got != want)
		diag("%s: digest %016llx, pinned %016llx", name,
		     (unsigned long long)got, (unsigned long long)want);
	ok(got == want, name);
}

/* Folds e's print (fields, then band keys) into h. */
static uint64_t entry_sum(uint64_t h, const struct entry *e, int64_t first_seen)
{
	struct dedupe_print p;

	dedupe_print_make(e, first_seen, &p);
	h = keys_sum(print_sum(h, &p), &p);
	dedupe_print_clear(&p);
	return h;
}

/* b's text ("" while empty). */
static char *cstr(struct buf *b)
{
	return b->data ? b->data : "";
}

static void test_corpus(void)
{
	struct corpus_file c;
	struct corpus_item it;
	size_t rows = 0;
	uint64_t fields = FNV_INIT, h = FNV_INIT, hc = FNV_INIT;

	ok(corpus_open(&c, "items.tsv") == 0, "print_corpus_opened");
	if (!c.fp)
		return;
	while (corpus_next_item(&c, &it)) {
		struct entry *e = &it.entry;
		struct dedupe_print p;

		dedupe_print_make(e, it.arrival, &p);
		fields = print_sum(fields, &p);
		h = keys_sum(print_sum(h, &p), &p);
		dedupe_print_clear(&p);
		/* The same text as content (no summary), as stored rows of
		 * Atom feeds are. */
		e->content = e->summary;
		e->summary = NULL;
		hc = entry_sum(hc, e, it.arrival);
		rows++;
	}
	corpus_close(&c);
	diag("%zu corpus rows", rows);
	ok(rows >= 300, "print_corpus_has_rows");
	is_digest(fields, CORPUS_FIELDS_DIGEST, "print_corpus_fields_as_at_ac62db5");
	is_digest(h, CORPUS_DIGEST, "print_corpus_prints_and_band_keys_pinned");
	is_digest(hc, CORPUS_CONTENT_DIGEST, "print_corpus_as_content_pinned");
}

/* A story as tests/feedserver_gen.c writes it, in one of a few dresses.
 * Each draw is a statement of its own: the order in which a call's
 * arguments are evaluated is unspecified (C11 6.5.2.2), and the digests
 * need the same texts from every compiler. */
static void wire_story(uint64_t *rng, struct buf *title, struct buf *lead)
{
	const char *place = WIRE_PICK(wire_places, wire_next(rng));
	const char *agency = WIRE_PICK(wire_agencies, wire_next(rng));
	unsigned dress = (unsigned)(wire_next(rng) % 4);
	size_t sentences = 1 + wire_next(rng) % 12, i;
	const char *subject = WIRE_PICK(wire_subjects, wire_next(rng));
	const char *verb = WIRE_PICK(wire_verbs, wire_next(rng));
	const char *object = WIRE_PICK(wire_objects, wire_next(rng));
	unsigned amount = (unsigned)(wire_next(rng) % 990 + 10);
	const char *unit = WIRE_PICK(wire_units, wire_next(rng));
	unsigned day = (unsigned)(1 + wire_next(rng) % 28);
	const char *p;

	buf_printf(title, "%s%s %s %s in %s, %u %s%s",
		   dress == 1 ? "UPDATE 2-" : "", subject, verb, object, place,
		   amount, unit, dress == 2 ? " - Reuters" : "");
	if (dress == 3)
		buf_append(lead, "<p>", 3);
	for (p = place; *p; p++)
		buf_printf(lead, "%c", *p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	buf_printf(lead, ", April %u (%s) -- ", day, agency);
	for (i = 0; i < sentences; i++) {
		const char *s_subject = WIRE_PICK(wire_subjects, wire_next(rng));
		const char *s_phrase = WIRE_PICK(wire_phrases, wire_next(rng));
		const char *s_object = WIRE_PICK(wire_objects, wire_next(rng));
		const char *s_link = WIRE_PICK(wire_links, wire_next(rng));
		unsigned s_amount = (unsigned)(wire_next(rng) % 990 + 10);
		const char *s_unit = WIRE_PICK(wire_units, wire_next(rng));

		buf_printf(lead, "The %s %s the %s, %s %u %s.%s ", s_subject,
			   s_phrase, s_object, s_link, s_amount, s_unit,
			   dress == 3 ? "</p>\n<p>" : "");
	}
	if (dress == 2)
		buf_printf(lead, "(%s)", agency);
	if (dress == 3)
		buf_append(lead, "&hellip; Read more</p>", 22);
}

static void test_wire(void)
{
	uint64_t rng = 42, h = FNV_INIT;
	size_t i;

	for (i = 0; i < WIRE_TEXTS; i++) {
		struct buf title = {0}, lead = {0};
		struct entry e = {0};

		wire_story(&rng, &title, &lead);
		e.title = cstr(&title);
		e.summary = cstr(&lead);
		e.link = "https://news.example.com/x/1.html";
		e.published = CORPUS_T0 - 3600;
		h = entry_sum(h, &e, CORPUS_T0);
		buf_free(&title);
		buf_free(&lead);
	}
	is_digest(h, WIRE_DIGEST, "print_wire_stories_pinned");
}

/* Pieces random texts are made of: each a case some code path treats
 * specially. */
static const char *const pieces[] = {
	"word", "Another", "WORDS", "x", "2024", "Wi-Fi", " ", "  ", "\t", "\n",
	",", ".", "...", "--", " -- ", " - ", " | ", "_", "-", ":", "(", ")", "[",
	"]", "'", "\"", "<b>", "</b>", "<p class=\"x\">", "<br/>", "<", ">",
	"&amp;", "&lt;", "&nbsp;", "&mdash;", "&#8212;", "&#x4E2D;", "&#65536;",
	"&#0;", "&#x110000;", "&#00000065;", "&#000000065;", "&bogus;", "&",
	"&#", "&;", ";",
	"BEIJING, April 3 (Xinhua) -- ", "WASHINGTON (Reuters) - ", "LONDON \xe2\x80\x94 ",
	"(Xinhua)", "(END)", "(Reporting by Jane Doe)", "[AP]", "Read more",
	"\xe2\x80\xa6", "UPDATE 2-", "BREAKING: ", " - China Daily",
	" | Reuters", "\xe6\x96\xb0\xe5\x8d\x8e\xe7\xa4\xbe\xe5\x8c\x97\xe4\xba\xac"
	"4\xe6\x9c\x88" "3\xe6\x97\xa5\xe7\x94\xb5",		/* 新华社北京4月3日电 */
	"\xef\xbc\x88\xe8\xae\xb0\xe8\x80\x85\xef\xbc\x89",	/* （记者） */
	"\xef\xbc\x88\xe5\xae\x8c\xef\xbc\x89",			/* （完） */
	"\xe3\x80\x90\xe7\xbc\x96\xe8\xbe\x91\xe3\x80\x91",	/* 【编辑】 */
	"\xe5\xbf\xab\xe8\xae\xaf\xef\xbc\x9a",			/* 快讯： */
	"\xe6\xb5\xb7\xe5\x85\xb3\xe6\x80\xbb\xe7\xbd\xb2",	/* 海关总署 */
	"\xe3\x80\x82", "\xef\xbc\x8c",				/* 。， */
	"\xef\xbc\xa1\xef\xbd\x82\xef\xbc\x93",			/* full-width Ab3 */
	"\xe3\x80\x80",						/* ideographic space */
	"\xc3\x89t\xc3\xa9", "\xc3\x97", "\xc2\xa0", "\xe3\x81\x82", "\xea\xb0\x80",
	"\xf0\x9f\x98\x80", "\xf0\xa0\x80\x80", "\xef\xbb\xbf", "\xef\xbf\xbd",
	"\xff", "\xc3", "\xe4\xb8", "\xf0\x9f", "\x80", "\xc1\x81", "\xf8\x88",
	"\xe0\x80\x80", "\xed\xa0\x80", "\xf7\xbf\xbf\xbf",
};

static void random_text(uint64_t *rng, struct buf *b, size_t max_pieces)
{
	size_t n = wire_next(rng) % (max_pieces + 1), i;

	for (i = 0; i < n; i++) {
		const char *p = WIRE_PICK(pieces, wire_next(rng));

		buf_append(b, p, strlen(p));
	}
}

/* textnorm's public functions one by one on text t, folded into h. */
static uint64_t textnorm_sum(uint64_t h, const char *t, size_t max,
			     size_t tokens)
{
	char *plain = textnorm_plain_prefix(t, max), *folded;
	struct textnorm_tokens tk;
	uint64_t *v;
	size_t n;

	h = fnv_str(h, plain);
	textnorm_strip_dateline(plain);
	h = fnv_str(h, plain);
	textnorm_strip_title_credit(plain);
	h = fnv_str(h, plain);
	folded = textnorm_fold(plain);
	h = fnv_str(h, folded);
	textnorm_tokenize(folded, tokens, &tk);
	h = fnv_u64(h, tk.n);
	h = fnv_u64s(h, tk.hash, tk.n);
	h = fnv_u64(h, tk.n_cjk);
	n = textnorm_shingles(&tk, &v);
	h = fnv_u64s(fnv_u64(h, n), v, n);
	free(v);
	n = textnorm_shingle_sequence(&tk, &v);
	h = fnv_u64s(fnv_u64(h, n), v, n);
	free(v);
	textnorm_tokens_clear(&tk);
	free(folded);
	free(plain);
	return h;
}

static void test_random(void)
{
	uint64_t rng = 7, h = FNV_INIT;
	size_t i;

	for (i = 0; i < RANDOM_TEXTS; i++) {
		struct buf title = {0}, lead = {0};
		struct entry e = {0};

		random_text(&rng, &title, 24);
		/* Some leads longer than the 4,096 bytes dedupe reads. */
		random_text(&rng, &lead, i % 10 == 0 ? 3000 : 200);
		e.title = i % 50 == 0 ? NULL : cstr(&title);
		if (i % 3 == 0)
			e.content = cstr(&lead);
		else
			e.summary = cstr(&lead);
		e.link = i % 2 ? "http://Example.COM:80/a/b.html?utm_source=x#f" : NULL;
		e.published = i % 5 ? CORPUS_T0 - (int64_t)(wire_next(&rng) % 90) * 86400 :
			ENTRY_NO_DATE;
		h = entry_sum(h, &e, CORPUS_T0);
		buf_free(&title);
		buf_free(&lead);
	}
	is_digest(h, RANDOM_DIGEST, "print_random_texts_pinned");

	h = FNV_INIT;
	for (i = 0; i < RANDOM_TEXTS; i++) {
		struct buf t = {0};
		size_t max, tokens;

		random_text(&rng, &t, i % 10 == 0 ? 400 : 40);
		max = (size_t)(wire_next(&rng) % 80);
		tokens = (size_t)(wire_next(&rng) % 100);
		h = textnorm_sum(h, cstr(&t), max, tokens);
		buf_free(&t);
	}
	is_digest(h, TEXTNORM_DIGEST, "textnorm_functions_pinned");
}

/* simhash_of() on random feature sets of 0 to 1,000 features, then on
 * sets whose features all have every bit set, or none (features are
 * counted in byte lanes flushed every 255: these fill a lane). */
static void test_simhash(void)
{
	uint64_t f[1000] = {0}, rng = 11, h = FNV_INIT;
	size_t n, i;

	for (n = 0; n <= 1000; n += n < 300 ? 1 : 37) {
		for (i = 0; i < n; i++)
			f[i] = wire_next(&rng) & wire_next(&rng);	/* biased */
		h = fnv_u64(h, simhash_of(f, n));
	}
	for (n = 254; n <= 1000; n += n < 258 ? 1 : 240) {
		for (i = 0; i < n; i++)
			f[i] = ~0ULL;
		h = fnv_u64(h, simhash_of(f, n));
		memset(f, 0, sizeof f);
		h = fnv_u64(h, simhash_of(f, n));
	}
	is_digest(h, SIMHASH_DIGEST, "simhash_pinned");
}

int main(void)
{
	test_corpus();
	test_wire();
	test_random();
	test_simhash();
	return done_testing();
}
