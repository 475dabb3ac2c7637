/*
 * charset.c — see charset.h.  The decision (decide()) looks at the first
 * CHARSET_SNIFF_BYTES; after it, every byte goes through one converter:
 * a UTF-8 validator, or iconv to UTF-8.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "charset.h"

#define REPLACEMENT "\xEF\xBF\xBD"	/* U+FFFD */

struct charset {
	char *http;	/* owned: the HTTP charset label, or NULL */
	int decided;
	struct buf head;	/* owned: bytes before the decision */
	int utf8;	/* validate only, no iconv */
	iconv_t cd;	/* to UTF-8, when !utf8 */
	char carry[8];	/* an incomplete sequence from the last chunk */
	size_t carry_len;
	int replaced;
	char name[40];
	char note[160];
};

/* ---- UTF-8 ---- */

int charset_utf8_decode(const unsigned char *s, size_t avail,
			unsigned long *cp)
{
	int n, i;
	unsigned long c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2, c = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3, c = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4, c = s[0] & 0x07;
	else
		return -1;
	for (i = 1; i < n; i++) {
		if ((size_t)i >= avail)
			return 0;
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		return -1;
	*cp = c;
	return n;
}

/* The index of the first byte from i on that is not ASCII, or len:
 * ASCII is most of a feed in most languages, so 8 bytes a step. */
static size_t skip_ascii(const unsigned char *s, size_t i, size_t len)
{
	uint64_t v;

	for (; i + 8 <= len; i += 8) {
		memcpy(&v, s + i, sizeof v);	/* unaligned: one load */
		if (v & 0x8080808080808080ull)
			break;
	}
	while (i < len && s[i] < 0x80)
		i++;
	return i;
}

/* Counts the valid multibyte sequences and the invalid bytes of s (an
 * incomplete sequence at the very end is fine unless final). */
static void utf8_count(const unsigned char *s, size_t len, int final,
		       size_t *good, size_t *bad)
{
	size_t i = 0;
	unsigned long cp;
	int n;

	*good = *bad = 0;
	while (i < len) {
		i = skip_ascii(s, i, len);
		if (i == len)
			break;
		n = charset_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			*bad += final;
			return;
		}
		if (n < 0) {
			(*bad)++;
			i++;
			continue;
		}
		*good += n > 1;
		i += (size_t)n;
	}
}

static void utf8_convert(struct charset *c, const unsigned char *s, size_t len,
			 int final, struct buf *out)
{
	size_t i = 0, run = 0;
	unsigned long cp;
	int n;

	while (i < len) {
		i = skip_ascii(s, i, len);
		if (i == len)
			break;
		n = charset_utf8_decode(s + i, len - i, &cp);
		if (n > 0) {
			i += (size_t)n;
			continue;
		}
		buf_append(out, s + run, i - run);
		if (n == 0 && !final) {	/* wait for the rest */
			c->carry_len = len - i;
			memcpy(c->carry, s + i, c->carry_len);
			return;
		}
		buf_puts(out, REPLACEMENT);
		c->replaced = 1;
		run = ++i;
	}
	buf_append(out, s + run, i - run);
}

/* ---- iconv ---- */

static void iconv_convert(struct charset *c, const char *s, size_t len,
			  int final, struct buf *out)
{
	char chunk[4096], *in = (char *)s, *o;
	size_t in_left = len, o_left;

	while (in_left > 0) {
		o = chunk;
		o_left = sizeof chunk;
		if (iconv(c->cd, &in, &in_left, &o, &o_left) != (size_t)-1 ||
		    errno == E2BIG) {
			buf_append(out, chunk, sizeof chunk - o_left);
			continue;
		}
		buf_append(out, chunk, sizeof chunk - o_left);
		if (errno == EINVAL && !final && in_left < sizeof c->carry) {
			memcpy(c->carry, in, in_left);	/* split sequence */
			c->carry_len = in_left;
			return;
		}
		buf_puts(out, REPLACEMENT);	/* EILSEQ, or cut at the end */
		c->replaced = 1;
		in++;
		in_left--;
	}
}

/* ---- the decision ---- */

static const struct {
	const char *label, *name;
} aliases[] = {
	/* WHATWG Encoding: these labels mean windows-1252 on the web */
	{ "iso-8859-1", "WINDOWS-1252" }, { "iso8859-1", "WINDOWS-1252" },
	{ "latin1", "WINDOWS-1252" }, { "l1", "WINDOWS-1252" },
	{ "us-ascii", "WINDOWS-1252" }, { "ascii", "WINDOWS-1252" },
	{ "cp1252", "WINDOWS-1252" }, { "windows-1252", "WINDOWS-1252" },
	{ "iso_8859-1", "WINDOWS-1252" },
	/* GB18030 is a superset of both */
	{ "gb2312", "GB18030" }, { "gbk", "GB18030" }, { "x-gbk", "GB18030" },
	{ "gb_2312-80", "GB18030" }, { "euc-cn", "GB18030" },
	{ "cp936", "GB18030" }, { "gb18030", "GB18030" },
	{ "utf-8", "UTF-8" }, { "utf8", "UTF-8" },
	{ "unicode-1-1-utf-8", "UTF-8" },
};

static void normalize(const char *label, char *out, size_t outlen)
{
	char lower[40];
	size_t i;

	for (i = 0; label[i] && i < sizeof lower - 1; i++)
		lower[i] = (char)tolower((unsigned char)label[i]);
	lower[i] = '\0';
	for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcmp(lower, aliases[i].label) == 0) {
			snprintf(out, outlen, "%s", aliases[i].name);
			return;
		}
	for (i = 0; lower[i]; i++)
		lower[i] = (char)toupper((unsigned char)lower[i]);
	snprintf(out, outlen, "%s", lower);
}

/* The BOM's encoding and length (XML 1.0 Appendix F.1), or 0. */
static size_t bom(const unsigned char *h, size_t n, const char **name)
{
	if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF)
		return *name = "UTF-8", 3;
	if (n >= 4 && h[0] == 0xFF && h[1] == 0xFE && h[2] == 0 && h[3] == 0)
		return *name = "UTF-32LE", 4;
	if (n >= 4 && h[0] == 0 && h[1] == 0 && h[2] == 0xFE && h[3] == 0xFF)
		return *name = "UTF-32BE", 4;
	if (n >= 2 && h[0] == 0xFE && h[1] == 0xFF)
		return *name = "UTF-16BE", 2;
	if (n >= 2 && h[0] == 0xFF && h[1] == 0xFE)
		return *name = "UTF-16LE", 2;
	/* no BOM, but '<' in a wide encoding */
	if (n >= 4 && h[0] == 0 && h[1] == '<' && h[2] == 0)
		return *name = "UTF-16BE", 0;
	if (n >= 4 && h[0] == '<' && h[1] == 0 && h[2] != 0)
		return *name = "UTF-16LE", 0;
	*name = NULL;
	return 0;
}

/* encoding="..." of the XML declaration (XML 1.0 §4.3.3), or "". */
static void declared(const char *h, size_t n, char *out, size_t outlen)
{
	char decl[256];
	const char *s, *end;
	char q;

	out[0] = '\0';
	if (n > sizeof decl - 1)
		n = sizeof decl - 1;
	memcpy(decl, h, n);
	decl[n] = '\0';
	if (strncmp(decl, "<?xml", 5) != 0 || (end = strstr(decl, "?>")) == NULL)
		return;
	s = strstr(decl, "encoding");
	if (s == NULL || s > end)
		return;
	s += 8;
	while (*s == ' ' || *s == '=' || *s == '\t')
		s++;
	q = *s++;
	if ((q != '"' && q != '\'') || (end = strchr(s, q)) == NULL ||
	    (size_t)(end - s) >= outlen)
		return;
	memcpy(out, s, (size_t)(end - s));
	out[end - s] = '\0';
}

/* Not UTF-8: GB18030 when every high byte starts a GBK pair (lead
 * 0x81-0xFE, trail 0x40-0xFE but 0x7F) and most pairs are two high
 * bytes, like GB2312's (a Latin "\xF1o" pairs too, with an ASCII
 * trail); else windows-1252. */
static const char *guess_legacy(const unsigned char *s, size_t n)
{
	size_t i, high_pairs = 0, ascii_pairs = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < 0x80)
			continue;
		if (s[i] == 0x80 || s[i] == 0xFF || i + 1 >= n ||
		    s[i + 1] < 0x40 || s[i + 1] == 0x7F || s[i + 1] == 0xFF)
			return "WINDOWS-1252";
		if (s[i + 1] >= 0x80)
			high_pairs++;
		else
			ascii_pairs++;
		i++;
	}
	return high_pairs > ascii_pairs ? "GB18030" : "WINDOWS-1252";
}

static void use(struct charset *c, const char *name)
{
	snprintf(c->name, sizeof c->name, "%s", name);
	c->utf8 = strcmp(name, "UTF-8") == 0;
	if (c->utf8)
		return;
	c->cd = iconv_open("UTF-8", name);
	if (c->cd == (iconv_t)-1) {
		snprintf(c->note, sizeof c->note,
			 "unknown charset %.40s, read as UTF-8", name);
		snprintf(c->name, sizeof c->name, "UTF-8");
		c->utf8 = 1;
	}
}

/* Decides from c->head; returns the BOM length to skip. */
static size_t decide(struct charset *c, int final)
{
	const unsigned char *h = (const unsigned char *)c->head.data;
	size_t n = c->head.len, skip;
	const char *bom_name, *label;
	char decl[40], name[40];
	size_t good, bad;
	const char *legacy;

	c->decided = 1;
	skip = bom(h, n, &bom_name);
	if (bom_name) {
		use(c, bom_name);
		return skip;
	}
	declared(c->head.data, n, decl, sizeof decl);
	label = c->http && *c->http ? c->http : *decl ? decl : "UTF-8";
	normalize(label, name, sizeof name);
	utf8_count(h, n, final, &good, &bad);
	/* Damaged UTF-8 (valid multibyte characters among bad bytes) stays
	 * UTF-8, the bad bytes become U+FFFD; GBK text shows as pairs of
	 * high bytes, mostly invalid as UTF-8; windows-1252 text as lone
	 * high bytes, none valid. */
	legacy = guess_legacy(h, n);
	if (strcmp(name, "UTF-8") == 0 && bad > 0 &&
	    ((strcmp(legacy, "GB18030") == 0 && bad > good) || good == 0)) {
		use(c, legacy);
		snprintf(c->note, sizeof c->note, "text declared as %.30s is "
			 "not UTF-8; read as %s", label, c->name);
	} else if (strcmp(name, "UTF-8") != 0 && bad == 0 && good > 0 &&
		   strncasecmp(name, "UTF-16", 6) && strncasecmp(name, "UTF-32", 6)) {
		use(c, "UTF-8");
		snprintf(c->note, sizeof c->note, "text declared as %.30s is "
			 "UTF-8; read as UTF-8", label);
	} else {
		use(c, name);
	}
	return 0;
}

/* ---- the interface ---- */

struct charset *charset_create(const char *http_charset)
{
	struct charset *c = xcalloc(1, sizeof *c);

	c->http = http_charset && *http_charset ? xstrdup(http_charset) : NULL;
	c->cd = (iconv_t)-1;
	return c;
}

static void convert(struct charset *c, const char *data, size_t len,
		    int final, struct buf *out)
{
	struct buf joined = {0};

	if (c->carry_len > 0) {	/* the sequence split across chunks */
		buf_append(&joined, c->carry, c->carry_len);
		buf_append(&joined, data, len);
		c->carry_len = 0;
		data = joined.data;
		len = joined.len;
	}
	if (c->utf8)
		utf8_convert(c, (const unsigned char *)data, len, final, out);
	else
		iconv_convert(c, data, len, final, out);
	buf_free(&joined);
}

void charset_push(struct charset *c, const char *data, size_t len, int final,
		  struct buf *out)
{
	size_t skip;

	if (!c->decided) {
		buf_append(&c->head, data, len);
		if (c->head.len == 0 && final) {
			c->decided = 1;
			use(c, "UTF-8");
			return;
		}
		if (c->head.len < CHARSET_SNIFF_BYTES && !final)
			return;
		skip = decide(c, final);
		convert(c, c->head.data + skip, c->head.len - skip, final, out);
		buf_free(&c->head);
		return;
	}
	convert(c, data, len, final, out);
}

const char *charset_name(const struct charset *c)
{
	return c->name;
}

const char *charset_note(const struct charset *c)
{
	return c->note;
}

int charset_replaced(const struct charset *c)
{
	return c->replaced;
}

void charset_free(struct charset *c)
{
	if (c == NULL)
		return;
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	buf_free(&c->head);
	free(c->http);
	free(c);
}

/* Skips optional whitespace (RFC 9110 §5.6.3). */
static const char *skip_ows(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Copies the parameter value at s (a token, or a quoted-string with its
 * quoted-pairs undone) into out; "" if it does not fit. */
static void param_value(const char *s, char *out, size_t outlen)
{
	size_t n = 0;
	int quoted = *s == '"';

	s += quoted;
	while (*s && n + 1 < outlen) {
		if (quoted && *s == '"')
			break;
		if (!quoted && (*s == ';' || *s == ' ' || *s == '\t'))
			break;
		if (quoted && *s == '\\' && s[1])
			s++;
		out[n++] = *s++;
	}
	out[n] = '\0';
	if (*s && n + 1 >= outlen && (quoted ? *s != '"' :
				      *s != ';' && *s != ' ' && *s != '\t'))
		out[0] = '\0';	/* truncated: no charset rather than a wrong one */
}

char *charset_from_content_type(const char *content_type, char *out,
				size_t outlen)
{
	const char *s = content_type;

	if (outlen == 0)
		return out;
	out[0] = '\0';
	while (s && (s = strchr(s, ';')) != NULL) {
		s = skip_ows(s + 1);
		if (strncasecmp(s, "charset", 7) == 0) {
			const char *v = skip_ows(s + 7);

			if (*v == '=') {
				param_value(skip_ows(v + 1), out, outlen);
				return out;
			}
		}
		/* skip this parameter's value, which may quote a ';' */
		while (*s && *s != ';' && *s != '"')
			s++;
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++)
				if (*s == '\\' && s[1])
					s++;
		}
	}
	return out;
}
