/*
 * print_ref.c — the fingerprint code as it was at commit ac62db5, before
 * it was made faster (issue 8), frozen here as the reference that
 * test_print_equal compares the new code with: textnorm.c, the print
 * making of dedupe.c and simhash_of(), with every public name prefixed
 * ref_.  Never change it to follow src/: a print that differs from this
 * one is a bug in src/ (or a deliberate change of the fingerprints,
 * which then needs a migration of the stored prints, not an edit here).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "canon_url.h"
#include "print_ref.h"

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
	const char *semi = strchr(s, ';');
	size_t len, i;
	char *end;

	if (!semi || semi - s > 10)
		return 0;
	len = (size_t)(semi - s) + 1;
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

/*
 * Written straight into one allocation of strlen(html) + 1 bytes: the
 * text is never longer than its markup (a tag of >= 2 bytes becomes one
 * space, an entity of >= 4 bytes at most 4 bytes of UTF-8: "&#65536;"
 * is the shortest that needs 4).  A per-character buffer append was the
 * top of the ingest profile.  Stops at a character boundary once max
 * bytes are written (0: no limit).
 */
char *ref_textnorm_plain_prefix(const char *html, size_t max)
{
	const char *p = html ? html : "", *gt;
	size_t len = strlen(p), o = 0, n;
	char *out = xmalloc(len + 1);
	uint32_t c;

	while (*p && (max == 0 || o < max)) {
		if (*p == '<' && (gt = strchr(p, '>')) != NULL) {
			out[o++] = ' ';
			p = gt + 1;
		} else if (*p == '&' && (n = entity_decode(p, &c)) > 0) {
			o += utf8_encode(out + o, c);
			p += n;
		} else {
			/* Whole characters, so a prefix stays valid UTF-8. */
			for (n = utf8_seq_len((unsigned char)*p); n > 0 && *p; n--)
				out[o++] = *p++;
		}
	}
	out[o] = '\0';
	return out;
}

char *ref_textnorm_plain(const char *html)
{
	return ref_textnorm_plain_prefix(html, 0);
}

/* ---- datelines and credits ---- */

static const char *const agencies[] = {
	"xinhua", "reuters", "ap", "afp", "cns", "ani", "ians", "pti", "upi",
	"bloomberg", "dpa", "kyodo", "yonhap", "tass", "cgtn", "efe", "ansa",
	"bernama", "sputnik", "china daily", "people's daily", NULL,
};

static int is_agency(const char *s, size_t len)
{
	size_t i;

	for (i = 0; agencies[i]; i++)
		if (strlen(agencies[i]) == len && strncasecmp(s, agencies[i], len) == 0)
			return 1;
	return 0;
}

static void trim_left(char *s)
{
	size_t i = 0;

	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
		i++;
	memmove(s, s + i, strlen(s + i) + 1);
}

static void trim_right(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
			 s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/* Separators after a dateline, longest first. */
static const char *const dashes[] = {
	" -- ", " \xe2\x80\x94 ", " \xe2\x80\x93 ", "\xe2\x80\x94", " - ",
	"--", NULL,
};

/* The first dateline separator in s[0..limit): its offset and length. */
static const char *find_dash(const char *s, size_t limit, size_t *dlen)
{
	const char *best = NULL, *p;
	size_t i;

	for (i = 0; dashes[i]; i++) {
		p = strstr(s, dashes[i]);
		if (p && (size_t)(p - s) < limit && (!best || p < best)) {
			best = p;
			*dlen = strlen(dashes[i]);
		}
	}
	return best;
}

/* "BEIJING, April 3 (Xinhua) --", "WASHINGTON (Reuters) -", "LONDON —",
 * "Beijing, April 3 (Xinhua) --": a place in capitals, or any short
 * prefix ending with an agency in parentheses, then a dash. */
static size_t dateline_en(const char *s)
{
	const char *dash, *open, *close, *p;
	size_t dlen = 0, caps = 0;

	dash = find_dash(s, 100, &dlen);
	if (!dash)
		return 0;
	close = dash;
	while (close > s && close[-1] == ' ')
		close--;
	if (close > s && close[-1] == ')') {
		for (open = close - 1; open > s && *open != '('; open--)
			;
		if (*open == '(' && is_agency(open + 1, (size_t)(close - open - 2)))
			return (size_t)(dash - s) + dlen;
	}
	for (p = s; p < dash && (isupper((unsigned char)*p) || *p == ' ' ||
				 *p == '.' || *p == '\''); p++)
		if (isupper((unsigned char)*p))
			caps++;
	/* The capitals run to a comma, a parenthesis or the dash. */
	if (caps >= 3 && (p == dash || *p == ',' || *p == '(' ||
			  (p + 1 == dash && *p == ' ')))
		return (size_t)(dash - s) + dlen;
	return 0;
}

/* "新华社北京4月3日电（记者张三）": through "日电" in the first 60 bytes,
 * and a reporter credit in brackets right after it. */
static size_t dateline_zh(const char *s)
{
	const char *p = strstr(s, "\xe6\x97\xa5\xe7\x94\xb5");	/* 日电 */
	const char *end;

	if (!p || p - s > 60)
		return 0;
	p += 6;
	while (*p == ' ')
		p++;
	if (strncmp(p, "\xef\xbc\x88", 3) == 0 &&	/* （ */
	    (end = strstr(p, "\xef\xbc\x89")) != NULL && end - p < 60)
		p = end + 3;
	else if (*p == '(' && (end = strchr(p, ')')) != NULL && end - p < 60)
		p = end + 1;
	return (size_t)(p - s);
}

/* Bracketed credits at the end: "(Xinhua)", "(END)", "（完）",
 * "(Reporting by ...)", "【责任编辑：...】". */
static const char *const credit_words[] = {
	"reporting", "additional reporting", "editing", "writing", "compiled",
	"source", "end", "\xe5\xae\x8c", "\xe8\xb4\xa3\xe4\xbb\xbb\xe7\xbc\x96\xe8\xbe\x91",
	"\xe7\xbc\x96\xe8\xbe\x91", "\xe6\x9d\xa5\xe6\xba\x90", NULL,
};

static int is_credit(const char *s, size_t len)
{
	size_t i, n;

	if (is_agency(s, len))
		return 1;
	for (i = 0; credit_words[i]; i++) {
		n = strlen(credit_words[i]);
		if (len >= n && strncasecmp(s, credit_words[i], n) == 0)
			return 1;
	}
	return 0;
}

/* Strips one trailing bracketed credit; 1 if it did. */
static int strip_trailing_credit(char *s)
{
	static const char *const pairs[][2] = {
		{ "(", ")" }, { "[", "]" },
		{ "\xef\xbc\x88", "\xef\xbc\x89" },	/* （） */
		{ "\xe3\x80\x90", "\xe3\x80\x91" },	/* 【】 */
	};
	size_t n = strlen(s), i, cl, ol;
	char *open;

	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		cl = strlen(pairs[i][1]);
		ol = strlen(pairs[i][0]);
		if (n < cl || strcmp(s + n - cl, pairs[i][1]) != 0)
			continue;
		/* open - ol must stay inside s (fuzz_textnorm found the
		 * read before it). */
		for (open = s + n - cl; open >= s + ol; open--)
			if (strncmp(open - ol, pairs[i][0], ol) == 0)
				break;
		if (open < s + ol ||
		    !is_credit(open, (size_t)(s + n - cl - open)))
			return 0;
		open[-(long)ol] = '\0';
		return 1;
	}
	return 0;
}

/* Teasers some outlets append to a cut lead. */
static const char *const teasers[] = {
	"read more", "continue reading", "full story",
	"\xe9\x98\x85\xe8\xaf\xbb\xe5\x85\xa8\xe6\x96\x87",	/* 阅读全文 */
	"\xe2\x80\xa6", "...", NULL,
};

static int strip_teaser(char *s)
{
	size_t n = strlen(s), i, tl;

	for (i = 0; teasers[i]; i++) {
		tl = strlen(teasers[i]);
		if (n >= tl && strcasecmp(s + n - tl, teasers[i]) == 0) {
			s[n - tl] = '\0';
			return 1;
		}
	}
	return 0;
}

void ref_textnorm_strip_dateline(char *lead)
{
	size_t cut;

	trim_left(lead);
	cut = dateline_zh(lead);
	if (!cut)
		cut = dateline_en(lead);
	memmove(lead, lead + cut, strlen(lead + cut) + 1);
	trim_left(lead);
	do
		trim_right(lead);
	while (strip_trailing_credit(lead) || strip_teaser(lead));
}

/* ---- headlines ---- */

static const char *const title_prefixes[] = {
	"breaking news:", "breaking:", "breaking -", "exclusive:", "urgent:",
	"flash:", "live:", "update:", "roundup:", "refile-", "rpt-",
	"corrected-", "\xe5\xbf\xab\xe8\xae\xaf\xef\xbc\x9a",	/* 快讯： */
	"\xe7\x8b\xac\xe5\xae\xb6\xef\xbc\x9a",			/* 独家： */
	"\xe7\xaa\x81\xe5\x8f\x91\xef\xbc\x9a",			/* 突发： */
	NULL,
};

/* "UPDATE 2-", "UPDATE 3:", "WRAPUP 1-" (Reuters' versioned prefixes). */
static size_t versioned_prefix(const char *t)
{
	static const char *const words[] = { "update ", "wrapup ", NULL };
	size_t i, n;
	const char *p;

	for (i = 0; words[i]; i++) {
		n = strlen(words[i]);
		if (strncasecmp(t, words[i], n) != 0)
			continue;
		p = t + n;
		while (isdigit((unsigned char)*p))
			p++;
		if (p > t + n && (*p == '-' || *p == ':'))
			return (size_t)(p + 1 - t);
	}
	return 0;
}

/* Separators before an outlet's name at the end of a headline. */
static const char *const title_seps[] = {
	" - ", " | ", " \xe2\x80\x94 ", " \xe2\x80\x93 ", "_",
	"\xe2\x80\x94", "-", NULL,
};

/* A suffix short enough to be an outlet's name (at most 4 words and
 * 40 bytes), after a head long enough to stay a headline. */
static void strip_title_suffix(char *t)
{
	size_t i, n = strlen(t), spaces;
	char *sep, *p;

	for (i = 0; title_seps[i]; i++) {
		sep = NULL;
		for (p = strstr(t, title_seps[i]); p;
		     p = strstr(p + 1, title_seps[i]))
			sep = p;
		if (!sep || sep - t < 12)
			continue;
		p = sep + strlen(title_seps[i]);
		if ((size_t)(t + n - p) > 40 || *p == '\0')
			continue;
		/* "-" and "_" inside a word ("Wi-Fi") are not separators:
		 * only when the suffix is CJK (starts with a byte >= 0xe0). */
		if (strlen(title_seps[i]) == 1 && (unsigned char)*p < 0xe0)
			continue;
		for (spaces = 0; *p; p++)
			spaces += *p == ' ';
		if (spaces > 3)
			continue;
		*sep = '\0';
		trim_right(t);
		return;
	}
}

void ref_textnorm_strip_title_credit(char *title)
{
	size_t i, n, cut;

	trim_left(title);
	for (i = 0; title_prefixes[i]; i++) {
		n = strlen(title_prefixes[i]);
		if (strncasecmp(title, title_prefixes[i], n) == 0) {
			memmove(title, title + n, strlen(title + n) + 1);
			trim_left(title);
			break;
		}
	}
	cut = versioned_prefix(title);
	memmove(title, title + cut, strlen(title + cut) + 1);
	trim_left(title);
	strip_title_suffix(title);
	trim_right(title);
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
char *ref_textnorm_fold(const char *text)
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

/* cap: the allocated length of t->hash (tokenize's own). */
static void tokens_push(struct ref_textnorm_tokens *t, size_t *cap, uint64_t h,
			int cjk)
{
	if (t->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		t->hash = xrealloc(t->hash, *cap * sizeof *t->hash);
	}
	t->hash[t->n++] = h;
	t->n_cjk += cjk != 0;
}

void ref_textnorm_tokenize(const char *folded, size_t max,
		       struct ref_textnorm_tokens *out)
{
	const unsigned char *p = (const unsigned char *)folded;
	const unsigned char *word = NULL;
	size_t left = strlen(folded), len, cap = 0;
	uint32_t c;

	memset(out, 0, sizeof *out);
	while (left > 0 && (max == 0 || out->n < max)) {
		c = utf8_next(p, left, &len);
		if (c == ' ' || is_cjk(c)) {
			if (word)
				tokens_push(out, &cap, fnv1a(word, (size_t)(p - word)), 0);
			word = NULL;
			if (c != ' ' && (max == 0 || out->n < max))
				tokens_push(out, &cap, fnv1a(p, len), 1);
		} else if (!word) {
			word = p;
		}
		p += len;
		left -= len;
	}
	if (word && (max == 0 || out->n < max))
		tokens_push(out, &cap, fnv1a(word, (size_t)(p - word)), 0);
}

void ref_textnorm_tokens_clear(struct ref_textnorm_tokens *t)
{
	free(t->hash);
	memset(t, 0, sizeof *t);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Dedupe sorts a few dozen shingles per text: an insertion sort without
 * qsort's comparison calls is several times faster at that size. */
#define SMALL_SORT 96
static void sort_u64(uint64_t *v, size_t n)
{
	size_t i, j;
	uint64_t x;

	if (n > SMALL_SORT) {
		qsort(v, n, sizeof *v, cmp_u64);
		return;
	}
	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

size_t ref_textnorm_shingle_sequence(const struct ref_textnorm_tokens *t,
				 uint64_t **out)
{
	uint64_t *v;
	size_t n, i;

	*out = NULL;
	if (t->n == 0)
		return 0;
	n = t->n == 1 ? 1 : t->n - 1;
	v = xcalloc(n, sizeof *v);
	if (t->n == 1)
		v[0] = t->hash[0];
	for (i = 0; t->n > 1 && i + 1 < t->n; i++)
		v[i] = mix64(t->hash[i] * 31 + t->hash[i + 1]);
	*out = v;
	return n;
}

size_t ref_textnorm_shingles(const struct ref_textnorm_tokens *t, uint64_t **out)
{
	uint64_t *v;
	size_t n, i, k;

	n = ref_textnorm_shingle_sequence(t, out);
	if (n == 0)
		return 0;
	v = *out;
	sort_u64(v, n);
	for (i = 1, k = 1; i < n; i++)
		if (v[i] != v[k - 1])
			v[k++] = v[i];
	*out = v;
	return k;
}

/* ---- dedupe.c's print making ---- */

uint64_t ref_simhash_of(const uint64_t *features, size_t n)
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

/* dedupe.h's and dedupe.c's token and byte caps as they were. */
#define REF_TITLE_TOKENS 40
#define REF_LEAD_TOKENS 80
#define REF_LEAD_HEAD_TOKENS 24
#define REF_LEAD_PRINT_TOKENS 12
#define REF_LEAD_TEXT_BYTES 4096
#define REF_DATE_SLACK_S (30 * 86400)

static double words_of(const struct ref_textnorm_tokens *t)
{
	return (double)(t->n - t->n_cjk) + (double)t->n_cjk / 2.0;
}

/* What print_text() fills. */
struct text_print {
	uint64_t *shingles, *head;	/* owned, sorted, unique */
	size_t n_shingles, n_head;
	uint64_t *sequence;		/* owned, text order */
	size_t n_sequence;
	uint64_t simhash;		/* of the first print_max tokens */
	double words;
};

/* The first n tokens of t (borrowing its array). */
static struct ref_textnorm_tokens
tokens_head(const struct ref_textnorm_tokens *t, size_t n)
{
	struct ref_textnorm_tokens head = *t;

	if (head.n > n)
		head.n = n;
	return head;
}

/* Shingles of folded text's first max tokens and of its first head_max;
 * the fingerprint of its first print_max. */
static void print_text(const char *folded, size_t max, size_t head_max,
		       size_t print_max, struct text_print *out)
{
	struct ref_textnorm_tokens t, head;
	uint64_t *sh;
	size_t n;

	ref_textnorm_tokenize(folded, max, &t);
	out->n_shingles = ref_textnorm_shingles(&t, &out->shingles);
	out->n_sequence = ref_textnorm_shingle_sequence(&t, &out->sequence);
	out->words = words_of(&t);
	head = tokens_head(&t, head_max);
	out->n_head = ref_textnorm_shingles(&head, &out->head);
	head = tokens_head(&t, print_max);
	n = ref_textnorm_shingles(&head, &sh);
	out->simhash = ref_simhash_of(sh, n);
	free(sh);
	ref_textnorm_tokens_clear(&t);
}

void ref_print_make(const struct entry *e, int64_t first_seen,
		    struct dedupe_print *p)
{
	char *title = xstrdup(e->title ? e->title : "");
	char *lead = ref_textnorm_plain_prefix(e->summary ? e->summary :
					       e->content, REF_LEAD_TEXT_BYTES);
	struct text_print tp;
	char *folded;

	memset(p, 0, sizeof *p);
	p->canonical_url = canon_url(e->link);
	if (p->canonical_url && !canon_url_is_page(p->canonical_url)) {
		free(p->canonical_url);
		p->canonical_url = NULL;
	}
	p->at = first_seen;
	if (e->published != ENTRY_NO_DATE &&
	    e->published > first_seen - REF_DATE_SLACK_S &&
	    e->published < first_seen + 86400)
		p->at = e->published;

	ref_textnorm_strip_title_credit(title);
	folded = ref_textnorm_fold(title);
	print_text(folded, REF_TITLE_TOKENS, REF_TITLE_TOKENS,
		   REF_TITLE_TOKENS, &tp);
	p->title_shingles = tp.shingles;
	p->n_title_shingles = tp.n_shingles;
	p->title_simhash = tp.simhash;
	p->title_words = tp.words;
	free(tp.head);
	free(tp.sequence);
	free(folded);

	ref_textnorm_strip_dateline(lead);
	folded = ref_textnorm_fold(lead);
	print_text(folded, REF_LEAD_TOKENS, REF_LEAD_HEAD_TOKENS,
		   REF_LEAD_PRINT_TOKENS, &tp);
	p->lead_shingles = tp.shingles;
	p->n_lead_shingles = tp.n_shingles;
	p->head_shingles = tp.head;
	p->n_head_shingles = tp.n_head;
	p->lead_simhash = tp.simhash;
	p->lead_words = tp.words;
	p->lead_sequence = tp.sequence;
	p->n_lead_sequence = tp.n_sequence;
	free(folded);
	free(lead);
	free(title);
}

