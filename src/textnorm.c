/*
 * textnorm.c — headline and lead normalisation for dedupe: HTML to text,
 * folding, tokens and shingles (the cutting of datelines and credits is
 * textnorm_strip.c).  Works on UTF-8 byte strings; nothing here allocates
 * more than its result, and the functions run per new item on the ingest
 * path write into one allocation sized up front.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "textnorm.h"

/* ---- UTF-8 ---- */

/* Decodes one code point at s (n bytes left); *len gets its length.
 * An invalid byte decodes as U+FFFD with length 1. */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *len)
{
	uint32_t c = s[0];
	size_t need, i;

	*len = 1;
	if (c < 0x80)
		return c;
	if ((c & 0xe0) == 0xc0) { need = 1; c &= 0x1f; }
	else if ((c & 0xf0) == 0xe0) { need = 2; c &= 0x0f; }
	else if ((c & 0xf8) == 0xf0) { need = 3; c &= 0x07; }
	else return 0xfffd;
	if (need >= n)
		return 0xfffd;
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0xfffd;
		c = (c << 6) | (s[i] & 0x3f);
	}
	*len = need + 1;
	return c;
}

/* Writes c at o, returns its length (1..4). */
static size_t utf8_encode(char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static int is_cjk(uint32_t c)
{
	return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) ||
	       (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2ffff) ||
	       (c >= 0x3040 && c <= 0x30ff) || (c >= 0xac00 && c <= 0xd7af);
}

/* ---- HTML to text ---- */

static const struct { const char *name; uint32_t c; } entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", ' ' }, { "mdash", 0x2014 },
	{ "ndash", 0x2013 }, { "hellip", 0x2026 }, { "lsquo", 0x2018 },
	{ "rsquo", 0x2019 }, { "ldquo", 0x201c }, { "rdquo", 0x201d },
	{ NULL, 0 },
};

/* Decodes the entity at s ('&'); returns its length, 0 if none. */
static size_t entity_decode(const char *s, uint32_t *c)
{
	const char *semi;
	size_t len, i;
	char *end;

	/* The ';' within 10 bytes, not strchr() through the rest of the
	 * text after each bare '&'. */
	for (i = 1; i <= 10 && s[i] && s[i] != ';'; i++)
		;
	if (i > 10 || s[i] != ';')
		return 0;
	semi = s + i;
	len = i + 1;
	if (s[1] == '#') {
		unsigned long v = (s[2] == 'x' || s[2] == 'X') ?
			strtoul(s + 3, &end, 16) : strtoul(s + 2, &end, 10);
		if (end != semi || v == 0 || v > 0x10ffff)
			return 0;
		*c = (uint32_t)v;
		return len;
	}
	for (i = 0; entities[i].name; i++)
		if (strlen(entities[i].name) == len - 2 &&
		    strncmp(s + 1, entities[i].name, len - 2) == 0) {
			*c = entities[i].c;
			return len;
		}
	return 0;
}

/* The length of the UTF-8 sequence led by byte c (1 for a stray byte). */
static size_t utf8_seq_len(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return c < 0xf0 ? 3 : 1;
	return c >= 0xc0 ? 2 : 1;
}

#define BYTES_ONES 0x0101010101010101ULL
#define BYTES_HIGH 0x8080808080808080ULL

/* Whether one of the 8 bytes of w is 0, >= 0x80, '<' or '&' (a zero
 * byte of w, of w ^ "<<<<<<<<" or of w ^ "&&&&&&&&"; exact as to whether
 * one exists). */
static int word_has_special(uint64_t w)
{
	uint64_t lt = w ^ (BYTES_ONES * '<'), amp = w ^ (BYTES_ONES * '&');

	return ((w | ((w - BYTES_ONES) & ~w) | ((lt - BYTES_ONES) & ~lt) |
		 ((amp - BYTES_ONES) & ~amp)) & BYTES_HIGH) != 0;
}

/* The length of the run of plain ASCII text at p (end: its NUL): bytes
 * 1..0x7f other than '<' and '&', each a character of its own; 8 bytes
 * a step while all 8 are. */
static size_t ascii_run(const char *p, const char *end)
{
	const unsigned char *q = (const unsigned char *)p;
	uint64_t w;

	while ((size_t)((const unsigned char *)end - q) >= sizeof w) {
		memcpy(&w, q, sizeof w);
		if (word_has_special(w))
			break;
		q += sizeof w;
	}
	while (*q && *q < 0x80 && *q != '<' && *q != '&')
		q++;
	return (size_t)(q - (const unsigned char *)p);
}

/*
 * Written straight into out: the text is never longer than its markup
 * (a tag of >= 2 bytes becomes one space, an entity of >= 4 bytes at
 * most 4 bytes of UTF-8: "&#65536;" is the shortest that needs 4), and a
 * step writes at most 4 bytes, so at most max + 3 before the NUL.  A
 * per-character buffer append was the top of the ingest profile; runs of
 * plain ASCII are copied whole.  Stops at a character boundary once max
 * bytes are written (0: no limit).
 */
size_t textnorm_plain_prefix_to(const char *html, size_t max, char *out)
{
	const char *p = html ? html : "", *gt, *end = p + strlen(p);
	size_t o = 0, n;
	uint32_t c;

	while (*p && (max == 0 || o < max)) {
		if (*p == '<' && (gt = strchr(p, '>')) != NULL) {
			out[o++] = ' ';
			p = gt + 1;
		} else if (*p == '&' && (n = entity_decode(p, &c)) > 0) {
			o += utf8_encode(out + o, c);
			p += n;
		} else if ((unsigned char)*p < 0x80) {
			/* A lone '<' or '&' is a character of its own too. */
			n = 1 + ascii_run(p + 1, end);
			if (max != 0 && n > max - o)
				n = max - o;
			memcpy(out + o, p, n);
			o += n;
			p += n;
		} else {
			/* Whole characters, so a prefix stays valid UTF-8. */
			for (n = utf8_seq_len((unsigned char)*p); n > 0 && *p; n--)
				out[o++] = *p++;
		}
	}
	out[o] = '\0';
	return o;
}

char *textnorm_plain_prefix(const char *html, size_t max)
{
	char *out = xmalloc(strlen(html ? html : "") + 1);

	textnorm_plain_prefix_to(html, max, out);
	return out;
}

char *textnorm_plain(const char *html)
{
	return textnorm_plain_prefix(html, 0);
}

/* ---- folding ---- */

/* The folded form of c: a letter or digit (lowercased), or ' '. */
static uint32_t fold_char(uint32_t c)
{
	if (c >= 0xff01 && c <= 0xff5e)		/* full-width ASCII */
		c -= 0xfee0;
	if (c < 0x80) {
		if (c >= 'A' && c <= 'Z')
			return c + 32;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			return c;
		return ' ';
	}
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)	/* Latin-1 capitals */
		return c + 32;
	if ((c >= 0x80 && c <= 0xbf) || c == 0xd7 || c == 0xf7 ||
	    (c >= 0x2000 && c <= 0x2bff) ||	/* punctuation, symbols */
	    (c >= 0x3000 && c <= 0x303f) ||	/* CJK punctuation */
	    (c >= 0xfe30 && c <= 0xfe4f) ||	/* CJK compatibility forms */
	    (c >= 0xff00 && c <= 0xffef) ||	/* half-width punctuation */
	    c == 0xfffd || c == 0xfeff)
		return ' ';
	return c;
}

/*
 * Written straight into one allocation of strlen(text) + 1 bytes: a
 * folded character is never longer than its input (full-width forms
 * shrink, Latin-1 capitals keep their two bytes, an invalid byte becomes
 * a space) and a space is written only for at least one byte dropped.
 */
char *textnorm_fold(const char *text)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	size_t left = strlen((const char *)p), len, o = 0;
	char *out = xmalloc(left + 1);
	int space = 1;		/* no leading space */
	uint32_t c;

	while (left > 0) {
		c = fold_char(utf8_next(p, left, &len));
		p += len;
		left -= len;
		if (c == ' ') {
			space = 1;
			continue;
		}
		if (space && o > 0)
			out[o++] = ' ';
		space = 0;
		o += utf8_encode(out + o, c);
	}
	out[o] = '\0';
	return out;
}

/* ---- tokens and shingles ---- */

/* A 64-bit finalizer (splitmix64's) so nearby inputs spread over all bits. */
static uint64_t mix64(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return mix64(h);
}

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

/* A pass that folds and tokenizes at once: tokens go to hash (room for
 * max); the word being read is hashed as its folded bytes arrive. */
struct tok_pass {
	uint64_t *hash;
	size_t n, max, n_cjk;
	uint64_t word;		/* FNV-1a state of the word so far */
	int in_word;
};

static void pass_push(struct tok_pass *t, uint64_t h, int cjk)
{
	t->hash[t->n++] = h;
	t->n_cjk += cjk != 0;
}

static void pass_end_word(struct tok_pass *t)
{
	if (t->in_word)
		pass_push(t, mix64(t->word), 0);
	t->in_word = 0;
}

static void pass_word_byte(struct tok_pass *t, unsigned char b)
{
	if (!t->in_word)
		t->word = FNV_OFFSET;
	t->in_word = 1;
	t->word = (t->word ^ b) * FNV_PRIME;
}

/* fold_char() of an ASCII byte without the code point ranges: the
 * lowercased letter or the digit, 0 for a space.  (b | 0x20 is a..z
 * only for letters.) */
static unsigned char fold_ascii(unsigned char b)
{
	unsigned char lower = (unsigned char)(b | 0x20);

	if ((unsigned char)(lower - 'a') < 26)
		return lower;
	return (unsigned char)(b - '0') < 10 ? b : 0;
}

/* One folded character c (not a space) into the pass. */
static void pass_char(struct tok_pass *t, uint32_t c)
{
	char enc[4];
	size_t k = utf8_encode(enc, c), i;

	if (is_cjk(c)) {
		pass_end_word(t);
		if (t->n < t->max)
			pass_push(t, fnv1a((const unsigned char *)enc, k), 1);
		return;
	}
	for (i = 0; i < k; i++)
		pass_word_byte(t, (unsigned char)enc[i]);
}

/* A run of ASCII letters and digits at p, first folded to f, hashed
 * into the word; returns the byte after it. */
static const unsigned char *pass_ascii_run(struct tok_pass *t,
					   const unsigned char *p,
					   unsigned char f)
{
	uint64_t h = t->in_word ? t->word : FNV_OFFSET;

	do {
		h = (h ^ f) * FNV_PRIME;
		p++;
	} while (*p < 0x80 && (f = fold_ascii(*p)) != 0);
	t->word = h;
	t->in_word = 1;
	return p;
}

/*
 * The tokens textnorm_tokenize() finds in textnorm_fold(text), without
 * writing the folded text: a run of folded spaces is the one space fold
 * writes, and fold's leading and trailing spaces end no word.  ASCII,
 * most of a wire story, skips the code point decoding, and a run of
 * ASCII letters and digits is hashed in a loop of its own (the NUL ends
 * it: fold_ascii(0) is 0).
 */
size_t textnorm_fold_tokenize(const char *text, size_t max, uint64_t *hash,
			      size_t *n_cjk)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	const unsigned char *end = p + strlen((const char *)p);
	struct tok_pass t = { hash, 0, max, 0, 0, 0 };
	unsigned char f;
	size_t len;

	while (p < end && t.n < max) {
		if (*p >= 0x80) {
			uint32_t c = fold_char(utf8_next(p, (size_t)(end - p), &len));

			p += len;
			if (c == ' ')
				pass_end_word(&t);
			else
				pass_char(&t, c);
		} else if ((f = fold_ascii(*p)) != 0) {
			p = pass_ascii_run(&t, p, f);
		} else {
			pass_end_word(&t);
			p++;
		}
	}
	if (t.n < max)
		pass_end_word(&t);
	*n_cjk = t.n_cjk;
	return t.n;
}

/* Folded text folds to itself, so its tokens are those of the pass. */
void textnorm_tokenize(const char *folded, size_t max,
		       struct textnorm_tokens *out)
{
	size_t room = max ? max : strlen(folded) + 1;

	memset(out, 0, sizeof *out);
	out->hash = xmalloc(room * sizeof *out->hash);
	out->n = textnorm_fold_tokenize(folded, room, out->hash, &out->n_cjk);
}

void textnorm_tokens_clear(struct textnorm_tokens *t)
{
	free(t->hash);
	memset(t, 0, sizeof *t);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Dedupe sorts a few dozen shingles per text: without qsort's
 * comparison calls, insertion sorts of runs of SORT_RUN and merges
 * through a buffer on the stack take a third of the instructions of one
 * insertion sort of 80. */
#define SMALL_SORT 96
#define SORT_RUN 8

static void insertion_sort(uint64_t *v, size_t n)
{
	size_t i, j;
	uint64_t x;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Merges the sorted from[lo..mid) and from[mid..hi) into to[lo..hi). */
static void merge(const uint64_t *from, uint64_t *to, size_t lo, size_t mid,
		  size_t hi)
{
	size_t i = lo, j = mid, k = lo;

	while (i < mid && j < hi)
		to[k++] = from[j] < from[i] ? from[j++] : from[i++];
	while (i < mid)
		to[k++] = from[i++];
	while (j < hi)
		to[k++] = from[j++];
}

static size_t min_z(size_t a, size_t b)
{
	return a < b ? a : b;
}

static void sort_u64(uint64_t *v, size_t n)
{
	uint64_t tmp[SMALL_SORT], *from = v, *to = tmp, *t;
	size_t lo, w;

	if (n > SMALL_SORT) {
		qsort(v, n, sizeof *v, cmp_u64);
		return;
	}
	for (lo = 0; lo < n; lo += SORT_RUN)
		insertion_sort(v + lo, min_z(SORT_RUN, n - lo));
	for (w = SORT_RUN; w < n; w *= 2) {
		for (lo = 0; lo < n; lo += 2 * w)
			merge(from, to, lo, min_z(lo + w, n), min_z(lo + 2 * w, n));
		t = from;
		from = to;
		to = t;
	}
	if (from != v)
		memcpy(v, from, n * sizeof *v);
}

size_t textnorm_sequence_of(const uint64_t *tokens, size_t n, uint64_t *out)
{
	size_t i;

	if (n == 1)
		out[0] = tokens[0];
	for (i = 0; i + 1 < n; i++)
		out[i] = mix64(tokens[i] * 31 + tokens[i + 1]);
	return n > 1 ? n - 1 : n;
}

size_t textnorm_sort_unique(uint64_t *v, size_t n)
{
	size_t i, k;

	if (n == 0)
		return 0;
	sort_u64(v, n);
	for (i = 1, k = 1; i < n; i++)
		if (v[i] != v[k - 1])
			v[k++] = v[i];
	return k;
}

size_t textnorm_shingle_sequence(const struct textnorm_tokens *t,
				 uint64_t **out)
{
	*out = NULL;
	if (t->n == 0)
		return 0;
	*out = xmalloc(t->n * sizeof **out);
	return textnorm_sequence_of(t->hash, t->n, *out);
}

size_t textnorm_shingles(const struct textnorm_tokens *t, uint64_t **out)
{
	size_t n = textnorm_shingle_sequence(t, out);

	return textnorm_sort_unique(*out, n);
}
