/*
 * parse_text.c — the parser's text helpers: UTF-8 repair, whitespace,
 * HTML entities and tags.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "parse_int.h"

#define REPLACEMENT_CHAR 0xFFFDul

/* HTML 4.01 §24.2: the Latin-1 entities, U+00A0 to U+00FF in order. */
static const char *const latin1_entities[96] = {
	"nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect",
	"uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr",
	"deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot",
	"cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34",
	"iquest",
	"Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig",
	"Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute",
	"Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc",
	"Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc",
	"Uuml", "Yacute", "THORN", "szlig",
	"agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig",
	"ccedil", "egrave", "eacute", "ecirc", "euml", "igrave", "iacute",
	"icirc", "iuml", "eth", "ntilde", "ograve", "oacute", "ocirc",
	"otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
	"uuml", "yacute", "thorn", "yuml",
};

/* HTML 4.01 §24.3-24.4: the special and symbol entities feeds use. */
static const struct {
	const char *name;
	unsigned long cp;
} other_entities[] = {
	{ "quot", 34 }, { "amp", 38 }, { "apos", 39 }, { "lt", 60 },
	{ "gt", 62 }, { "OElig", 338 }, { "oelig", 339 }, { "Scaron", 352 },
	{ "scaron", 353 }, { "Yuml", 376 }, { "fnof", 402 }, { "circ", 710 },
	{ "tilde", 732 }, { "Alpha", 913 }, { "Beta", 914 }, { "Gamma", 915 },
	{ "Delta", 916 }, { "Omega", 937 }, { "alpha", 945 }, { "beta", 946 },
	{ "gamma", 947 }, { "delta", 948 }, { "epsilon", 949 },
	{ "lambda", 955 }, { "mu", 956 }, { "pi", 960 }, { "sigma", 963 },
	{ "omega", 969 }, { "ensp", 8194 }, { "emsp", 8195 },
	{ "thinsp", 8201 }, { "zwnj", 8204 }, { "zwj", 8205 }, { "lrm", 8206 },
	{ "rlm", 8207 }, { "ndash", 8211 }, { "mdash", 8212 },
	{ "lsquo", 8216 }, { "rsquo", 8217 }, { "sbquo", 8218 },
	{ "ldquo", 8220 }, { "rdquo", 8221 }, { "bdquo", 8222 },
	{ "dagger", 8224 }, { "Dagger", 8225 }, { "bull", 8226 },
	{ "hellip", 8230 }, { "permil", 8240 }, { "prime", 8242 },
	{ "Prime", 8243 }, { "lsaquo", 8249 }, { "rsaquo", 8250 },
	{ "oline", 8254 }, { "frasl", 8260 }, { "euro", 8364 },
	{ "trade", 8482 }, { "larr", 8592 }, { "uarr", 8593 },
	{ "rarr", 8594 }, { "darr", 8595 }, { "harr", 8596 },
	{ "minus", 8722 }, { "infin", 8734 }, { "ne", 8800 }, { "le", 8804 },
	{ "ge", 8805 },
};

long parse_text_html_entity(const char *name)
{
	size_t i;

	for (i = 0; i < 96; i++)
		if (strcmp(name, latin1_entities[i]) == 0)
			return (long)(0xA0 + i);
	for (i = 0; i < sizeof other_entities / sizeof other_entities[0]; i++)
		if (strcmp(name, other_entities[i].name) == 0)
			return (long)other_entities[i].cp;
	return -1;
}

void parse_text_put_utf8(struct buf *b, unsigned long cp)
{
	char out[4];
	size_t n;

	if (cp < 0x80) {
		out[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		out[0] = (char)(0xF0 | cp >> 18);
		out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_append(b, out, n);
}

/* XML 1.0 §2.2 Char. */
static int is_xml_char(unsigned long cp)
{
	return cp == 0x9 || cp == 0xA || cp == 0xD ||
	       (cp >= 0x20 && cp <= 0xD7FF) ||
	       (cp >= 0xE000 && cp <= 0xFFFD) ||
	       (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Decodes one UTF-8 sequence at s (RFC 3629 §4: no overlongs, no
 * surrogates); returns its length, or 0 when it is not valid. */
static size_t utf8_decode(const unsigned char *s, size_t len,
			  unsigned long *cp)
{
	static const unsigned long min[4] = { 0, 0x80, 0x800, 0x10000 };
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0)
		n = 2;
	else if ((s[0] & 0xF0) == 0xE0)
		n = 3;
	else if ((s[0] & 0xF8) == 0xF0)
		n = 4;
	else
		return 0;
	if (len < n)
		return 0;
	*cp = s[0] & (0x7F >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3F);
	}
	if (*cp < min[n - 1] || *cp > 0x10FFFF ||
	    (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return n;
}

/*
 * Valid text is copied a run at a time (one append per field, not per
 * character: this was 9% of a first poll's CPU), into a buffer sized once
 * for the common case where nothing is replaced.
 */
/* The index of the first byte from i on that is not printable ASCII
 * (0x20-0x7F, always an XML Char), or len: 8 bytes a step, the bit
 * tricks of "Bit Twiddling Hacks" (haszero/hasless, exact for bytes
 * below 0x80). */
static size_t skip_printable_ascii(const unsigned char *u, size_t i,
				   size_t len)
{
	const uint64_t high = 0x8080808080808080ull;
	uint64_t v;

	for (; i + 8 <= len; i += 8) {
		memcpy(&v, u + i, sizeof v);
		if ((v & high) || ((v - 0x2020202020202020ull) & ~v & high))
			break;
	}
	return i;
}

char *parse_text_clean(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	struct buf b = {0};
	unsigned long cp;
	size_t i = 0, run = 0, n;

	buf_reserve(&b, len);
	while (i < len) {
		i = skip_printable_ascii(u, i, len);
		if (i == len)
			break;
		if (u[i] >= 0x20 && u[i] < 0x80) {	/* ASCII: always a Char */
			i++;
			continue;
		}
		n = utf8_decode(u + i, len - i, &cp);
		if (n != 0 && is_xml_char(cp)) {
			i += n;
			continue;
		}
		buf_append(&b, s + run, i - run);
		if (n == 0) {
			parse_text_put_utf8(&b, REPLACEMENT_CHAR);
			i++;
		} else {
			i += n;		/* not an XML Char: dropped */
		}
		run = i;
	}
	buf_append(&b, s + run, i - run);
	return buf_steal(&b);
}

char *parse_text_trim(const char *s)
{
	size_t len;

	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

char *parse_text_collapse(const char *s)
{
	char *out, *o;
	int blank = 0;

	while (isspace((unsigned char)*s))
		s++;
	out = o = xmalloc(strlen(s) + 1);	/* never longer than s */
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			blank = 1;
			continue;
		}
		if (blank)
			*o++ = ' ';
		blank = 0;
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* "&#NN;", "&#xHH;" or "&name;" at s: appends the character and returns
 * the reference's length, or returns 0 (unknown, or not a reference). */
static size_t put_reference(struct buf *b, const char *s, int named)
{
	char name[32];
	unsigned long cp;
	const char *end = strchr(s, ';');
	char *stop;
	long named_cp;
	size_t len;

	if (end == NULL || (len = (size_t)(end - s)) < 2 || len > sizeof name)
		return 0;
	if (s[1] == '#') {
		if (s[2] == 'x' || s[2] == 'X')
			cp = strtoul(s + 3, &stop, 16);
		else
			cp = strtoul(s + 2, &stop, 10);
		if (stop != end || !isxdigit((unsigned char)end[-1]))
			return 0;
		parse_text_put_utf8(b, is_xml_char(cp) ? cp : REPLACEMENT_CHAR);
		return len + 1;
	}
	if (!named)
		return 0;
	memcpy(name, s + 1, len - 1);
	name[len - 1] = '\0';
	if ((named_cp = parse_text_html_entity(name)) < 0)
		return 0;
	parse_text_put_utf8(b, (unsigned long)named_cp);
	return len + 1;
}

char *parse_text_from_html(const char *s)
{
	struct buf b = {0};
	const char *gt;
	size_t n;

	while (*s) {
		if (*s == '<' && (gt = strchr(s, '>')) != NULL) {
			s = gt + 1;
			continue;
		}
		if (*s == '&' && (n = put_reference(&b, s, 1)) > 0) {
			s += n;
			continue;
		}
		buf_append(&b, s++, 1);
	}
	buf_append(&b, "", 0);
	return buf_steal(&b);
}

char *parse_text_escape_html(const char *s)
{
	struct buf b = {0};

	for (; *s; s++) {
		if (*s == '&')
			buf_puts(&b, "&amp;");
		else if (*s == '<')
			buf_puts(&b, "&lt;");
		else if (*s == '>')
			buf_puts(&b, "&gt;");
		else
			buf_append(&b, s, 1);
	}
	buf_append(&b, "", 0);
	return buf_steal(&b);
}

int parse_text_literal(const char *s, struct buf *out)
{
	size_t n;

	while (*s) {
		if (*s == '<' || *s == '%')
			return -1;
		if (*s == '&') {
			if ((n = put_reference(out, s, 0)) == 0)
				return -1;
			s += n;
			continue;
		}
		buf_append(out, s++, 1);
	}
	buf_append(out, "", 0);
	return 0;
}
