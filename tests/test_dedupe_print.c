/*
 * test_dedupe_print.c — the fingerprints (struct dedupe_print) that
 * dedupe_print_make() and the textnorm functions make now are equal, field
 * by field, to those of the code before it was made faster (issue 8),
 * frozen in tests/print_ref.c: on every row of the dedupe corpus
 * (tests/data/dedupe/items.tsv), on the wire stories feedserver -g and
 * the benchmarks generate (bench/wire_words.h), and on random texts mixing
 * markup, entities, datelines, credits, CJK, full-width and Latin-1
 * letters and invalid UTF-8.  The stored prints (print_cache, band keys
 * in item_bands) were made by the old code, so any difference would split
 * stories.  A checksum of the reference's corpus prints, computed before
 * the change, pins the reference itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bench/wire_words.h"
#include "buf.h"
#include "dedupe.h"
#include "dedupe_corpus.h"
#include "print_ref.h"
#include "simhash.h"
#include "tap.h"
#include "textnorm.h"

#define RANDOM_TEXTS 4000
#define WIRE_TEXTS 2000
/* FNV-1a over every field of ref_print_make()'s prints of the corpus,
 * computed at commit ac62db5 (the code print_ref.c freezes). */
#define CORPUS_REF_CHECKSUM 0x24fcfdf746d1f82aULL

static size_t n_checked, n_differ;

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;

	while (n--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t print_sum(uint64_t h, const struct dedupe_print *p)
{
	const char *url = p->canonical_url ? p->canonical_url : "(none)";

	h = fnv(h, url, strlen(url) + 1);
	h = fnv(h, &p->at, sizeof p->at);
	h = fnv(h, &p->title_simhash, sizeof p->title_simhash);
	h = fnv(h, &p->lead_simhash, sizeof p->lead_simhash);
	h = fnv(h, p->title_shingles, p->n_title_shingles * sizeof(uint64_t));
	h = fnv(h, p->lead_shingles, p->n_lead_shingles * sizeof(uint64_t));
	h = fnv(h, p->head_shingles, p->n_head_shingles * sizeof(uint64_t));
	h = fnv(h, p->lead_sequence, p->n_lead_sequence * sizeof(uint64_t));
	h = fnv(h, &p->title_words, sizeof p->title_words);
	return fnv(h, &p->lead_words, sizeof p->lead_words);
}

static int same_set(const uint64_t *a, size_t na, const uint64_t *b,
		    size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na * sizeof *a) == 0);
}

/* The first field in which a and b differ, or NULL. */
static const char *print_diff(const struct dedupe_print *a,
			      const struct dedupe_print *b)
{
	if ((a->canonical_url == NULL) != (b->canonical_url == NULL) ||
	    (a->canonical_url && strcmp(a->canonical_url, b->canonical_url)))
		return "canonical_url";
	if (a->at != b->at)
		return "at";
	if (a->title_simhash != b->title_simhash)
		return "title_simhash";
	if (a->lead_simhash != b->lead_simhash)
		return "lead_simhash";
	if (!same_set(a->title_shingles, a->n_title_shingles,
		      b->title_shingles, b->n_title_shingles))
		return "title_shingles";
	if (!same_set(a->lead_shingles, a->n_lead_shingles,
		      b->lead_shingles, b->n_lead_shingles))
		return "lead_shingles";
	if (!same_set(a->head_shingles, a->n_head_shingles,
		      b->head_shingles, b->n_head_shingles))
		return "head_shingles";
	if (!same_set(a->lead_sequence, a->n_lead_sequence,
		      b->lead_sequence, b->n_lead_sequence))
		return "lead_sequence";
	if (a->title_words != b->title_words)
		return "title_words";
	if (a->lead_words != b->lead_words)
		return "lead_words";
	return NULL;
}

/* Makes e's print both ways and compares them (band keys too); returns
 * the reference print's checksum folded into h. */
static uint64_t check_entry(const struct entry *e, int64_t first_seen,
			    uint64_t h, const char *what)
{
	struct dedupe_print got, want;
	int64_t kg[DEDUPE_MAX_KEYS], kw[DEDUPE_MAX_KEYS];
	size_t ng, nw;
	const char *field;

	dedupe_print_make(e, first_seen, &got);
	ref_print_make(e, first_seen, &want);
	field = print_diff(&got, &want);
	ng = dedupe_band_keys(&got, kg);
	nw = dedupe_band_keys(&want, kw);
	if (!field && (ng != nw || memcmp(kg, kw, ng * sizeof *kg) != 0))
		field = "band keys";
	n_checked++;
	if (field && n_differ++ < 5)
		diag("%s: %s differs for title \"%.60s\" lead \"%.80s\"", what,
		     field, e->title ? e->title : "(null)",
		     e->summary ? e->summary : e->content ? e->content : "(null)");
	h = print_sum(h, &want);
	dedupe_print_clear(&got);
	dedupe_print_clear(&want);
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
	uint64_t h = 0xcbf29ce484222325ULL;

	ok(corpus_open(&c, "items.tsv") == 0, "print_corpus_opened");
	if (!c.fp)
		return;
	n_differ = 0;
	while (corpus_next_item(&c, &it)) {
		struct entry *e = &it.entry;

		h = check_entry(e, it.arrival, h, "corpus");
		/* The same text as content (no summary), as stored rows of
		 * Atom feeds are. */
		e->content = e->summary;
		e->summary = NULL;
		check_entry(e, it.arrival, 0, "corpus as content");
		rows++;
	}
	corpus_close(&c);
	diag("%zu corpus rows, reference checksum %016llx", rows,
	     (unsigned long long)h);
	ok(rows >= 300, "print_corpus_has_rows");
	is_int(n_differ, 0, "print_corpus_equal_to_reference");
	ok(h == CORPUS_REF_CHECKSUM, "print_reference_checksum_unchanged");
}

/* A story as tests/feedserver_gen.c writes it, in one of a few dresses. */
static void wire_story(uint64_t *rng, struct buf *title, struct buf *lead)
{
	const char *place = WIRE_PICK(wire_places, wire_next(rng));
	const char *agency = WIRE_PICK(wire_agencies, wire_next(rng));
	unsigned dress = (unsigned)(wire_next(rng) % 4);
	size_t sentences = 1 + wire_next(rng) % 12, i;
	const char *p;

	buf_printf(title, "%s%s %s %s in %s, %u %s%s",
		   dress == 1 ? "UPDATE 2-" : "",
		   WIRE_PICK(wire_subjects, wire_next(rng)),
		   WIRE_PICK(wire_verbs, wire_next(rng)),
		   WIRE_PICK(wire_objects, wire_next(rng)), place,
		   (unsigned)(wire_next(rng) % 990 + 10),
		   WIRE_PICK(wire_units, wire_next(rng)),
		   dress == 2 ? " - Reuters" : "");
	if (dress == 3)
		buf_append(lead, "<p>", 3);
	for (p = place; *p; p++)
		buf_printf(lead, "%c", *p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	buf_printf(lead, ", April %u (%s) -- ", (unsigned)(1 + wire_next(rng) % 28),
		   agency);
	for (i = 0; i < sentences; i++)
		buf_printf(lead, "The %s %s the %s, %s %u %s.%s ",
			   WIRE_PICK(wire_subjects, wire_next(rng)),
			   WIRE_PICK(wire_phrases, wire_next(rng)),
			   WIRE_PICK(wire_objects, wire_next(rng)),
			   WIRE_PICK(wire_links, wire_next(rng)),
			   (unsigned)(wire_next(rng) % 990 + 10),
			   WIRE_PICK(wire_units, wire_next(rng)),
			   dress == 3 ? "</p>\n<p>" : "");
	if (dress == 2)
		buf_printf(lead, "(%s)", agency);
	if (dress == 3)
		buf_append(lead, "&hellip; Read more</p>", 22);
}

static void test_wire(void)
{
	uint64_t rng = 42;
	size_t i;

	n_differ = 0;
	for (i = 0; i < WIRE_TEXTS; i++) {
		struct buf title = {0}, lead = {0};
		struct entry e = {0};

		wire_story(&rng, &title, &lead);
		e.title = cstr(&title);
		e.summary = cstr(&lead);
		e.link = "https://news.example.com/x/1.html";
		e.published = CORPUS_T0 - 3600;
		check_entry(&e, CORPUS_T0, 0, "wire");
		buf_free(&title);
		buf_free(&lead);
	}
	is_int(n_differ, 0, "print_wire_stories_equal_to_reference");
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

/* textnorm's public functions one by one, on text t. */
static void check_textnorm(const char *t, size_t max, size_t tokens)
{
	char *a = textnorm_plain_prefix(t, max), *b = ref_textnorm_plain_prefix(t, max);
	char *fa, *fb;
	struct textnorm_tokens ta;
	struct ref_textnorm_tokens tb;
	uint64_t *sa, *sb;
	size_t na, nb;
	int same = strcmp(a, b) == 0;

	textnorm_strip_dateline(a);
	ref_textnorm_strip_dateline(b);
	same = same && strcmp(a, b) == 0;
	textnorm_strip_title_credit(a);
	ref_textnorm_strip_title_credit(b);
	same = same && strcmp(a, b) == 0;
	fa = textnorm_fold(a);
	fb = ref_textnorm_fold(b);
	same = same && strcmp(fa, fb) == 0;
	textnorm_tokenize(fa, tokens, &ta);
	ref_textnorm_tokenize(fb, tokens, &tb);
	same = same && same_set(ta.hash, ta.n, tb.hash, tb.n) &&
	       ta.n_cjk == tb.n_cjk;
	na = textnorm_shingles(&ta, &sa);
	nb = ref_textnorm_shingles(&tb, &sb);
	same = same && same_set(sa, na, sb, nb);
	free(sa);
	free(sb);
	na = textnorm_shingle_sequence(&ta, &sa);
	nb = ref_textnorm_shingle_sequence(&tb, &sb);
	same = same && same_set(sa, na, sb, nb);
	if (!same && n_differ++ < 5)
		diag("textnorm differs for \"%.100s\" (max %zu)", t, max);
	free(sa);
	free(sb);
	textnorm_tokens_clear(&ta);
	ref_textnorm_tokens_clear(&tb);
	free(fa);
	free(fb);
	free(a);
	free(b);
}

static void test_random(void)
{
	uint64_t rng = 7;
	size_t i;

	n_differ = 0;
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
		check_entry(&e, CORPUS_T0, 0, "random");
		buf_free(&title);
		buf_free(&lead);
	}
	is_int(n_differ, 0, "print_random_texts_equal_to_reference");

	n_differ = 0;
	for (i = 0; i < RANDOM_TEXTS; i++) {
		struct buf t = {0};

		random_text(&rng, &t, i % 10 == 0 ? 400 : 40);
		check_textnorm(cstr(&t), (size_t)(wire_next(&rng) % 80),
			       (size_t)(wire_next(&rng) % 100));
		buf_free(&t);
	}
	is_int(n_differ, 0, "textnorm_functions_equal_to_reference");
}

/* simhash_of() on random feature sets of 0 to 1,000 features (features
 * are counted in byte lanes flushed every 255). */
static void test_simhash(void)
{
	uint64_t f[1000] = {0}, rng = 11;
	size_t n, i, differ = 0;

	for (n = 0; n <= 1000; n += n < 300 ? 1 : 37) {
		for (i = 0; i < n; i++)
			f[i] = wire_next(&rng) & wire_next(&rng);	/* biased */
		differ += simhash_of(f, n) != ref_simhash_of(f, n);
	}
	is_int(differ, 0, "simhash_equal_to_reference");
}

int main(void)
{
	test_corpus();
	test_wire();
	test_random();
	test_simhash();
	diag("%zu prints compared", n_checked);
	return done_testing();
}
