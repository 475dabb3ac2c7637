/*
 * sanitize_fast.c — the sanitizer's output for the plain fragments most
 * feeds carry, without building a libxml2 HTML tree.
 *
 * A wire story's content is text in <p> paragraphs with a little <b> or
 * <em> and the odd <br>.  Parsing each such fragment with htmlReadMemory
 * and writing the tree back cost more than parsing the whole feed.  This
 * file recognizes a strict subset of HTML whose sanitized form is known
 * without the tree: properly nested, attribute-free allow-listed tags
 * (p only at the top, inline elements anywhere), text, and the entity
 * references libxml2's HTML parser knows (htmlEntityLookup, so the
 * decoding is libxml2's own).  For that subset the tree path's output is
 * the input with names lowercased, <br> written <br/>, entities decoded
 * and & < > re-escaped, and that is what is written here.  Anything else
 * (an attribute, an unknown or dropped tag, a stray '<' or '&', a
 * control character, mis-nesting, an unclosed tag) makes it give up, and
 * sanitize.c takes the tree path.  tests/test_sanitize.c checks, on
 * generated fragments, that both paths give the same bytes.
 */
#include <string.h>

#include <libxml/HTMLparser.h>

#include "charset.h"
#include "sanitize_int.h"

#define FAST_MAX_DEPTH 32	/* deeper fragments take the tree path */
#define FAST_MAX_NAME 8		/* longest element name accepted */

enum fast_kind { FAST_NONE, FAST_BLOCK, FAST_INLINE, FAST_VOID };

/*
 * Elements the fast path takes, all in sanitize.c's allow-list.  p is a
 * block that libxml2 closes when another block starts, so it is taken
 * only at the top level; the inline ones nest freely.
 */
static enum fast_kind fast_kind_of(const char *name)
{
	static const struct {
		const char *name;
		enum fast_kind kind;
	} kinds[] = {
		{ "p", FAST_BLOCK }, { "br", FAST_VOID },
		{ "b", FAST_INLINE }, { "i", FAST_INLINE },
		{ "em", FAST_INLINE }, { "strong", FAST_INLINE },
		{ "code", FAST_INLINE }, { "small", FAST_INLINE },
		{ "sub", FAST_INLINE }, { "sup", FAST_INLINE },
		{ "u", FAST_INLINE }, { "s", FAST_INLINE },
		{ "span", FAST_INLINE },
	};
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(name, kinds[i].name) == 0)
			return kinds[i].kind;
	return FAST_NONE;
}

struct fast {
	const char *s;		/* the next input byte */
	struct buf *out;
	char stack[FAST_MAX_DEPTH][FAST_MAX_NAME + 1];
	int depth;
};

static void put_code_point(struct buf *out, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp == '&') {
		buf_puts(out, "&amp;");
		return;
	}
	if (cp == '<' || cp == '>') {
		buf_puts(out, cp == '<' ? "&lt;" : "&gt;");
		return;
	}
	if (cp < 0x80) {
		u[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	}
	buf_append(out, u, n);
}

/* Is cp kept as it is by libxml2's HTML parser and fast_text()?  XML
 * 1.0 §2.2 Char, without C0 controls but tab and newline (carriage
 * return is normalized), C1 controls, or the non-characters FFFE/FFFF. */
static int fast_kept(unsigned long cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n';
	return !(cp >= 0x7F && cp <= 0x9F) && !(cp >= 0xD800 && cp <= 0xDFFF) &&
	       cp != 0xFFFE && cp != 0xFFFF && cp <= 0x10FFFF;
}

/* &#NNN; or &#xHHH; (HTML 4.01 §5.3.1).  Returns 0, or -1. */
static int fast_char_ref(struct fast *f)
{
	const char *s = f->s + 2;
	unsigned long cp = 0;
	int hex = *s == 'x' || *s == 'X', digits = 0, d;

	s += hex;
	for (; digits < 7; s++, digits++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (hex && ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f'))
			d = (*s | 0x20) - 'a' + 10;
		else
			break;
		cp = cp * (hex ? 16 : 10) + (unsigned long)d;
	}
	if (digits == 0 || *s != ';' || !fast_kept(cp))
		return -1;
	put_code_point(f->out, cp);
	f->s = s + 1;
	return 0;
}

/* A named reference libxml2's HTML 4 table knows, ended by ';'
 * (HTML 4.01 §5.3.2), or a character reference.  Returns 0, or -1 to
 * give up. */
static int fast_entity(struct fast *f)
{
	const htmlEntityDesc *d;
	char name[16];
	size_t n = 0;
	const char *s = f->s + 1;

	if (*s == '#')
		return fast_char_ref(f);
	while (n < sizeof name - 1 &&
	       ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		(*s >= '0' && *s <= '9')))
		name[n++] = *s++;
	if (n == 0 || *s != ';')
		return -1;
	name[n] = '\0';
	d = htmlEntityLookup((const xmlChar *)name);
	if (d == NULL)
		return -1;
	put_code_point(f->out, d->value);
	f->s = s + 1;
	return 0;
}

/* A tag: <name>, </name>, <br>, <br/> or <br />, names in any case. */
static int fast_tag(struct fast *f)
{
	const char *s = f->s + 1;
	char name[FAST_MAX_NAME + 1];
	size_t n = 0;
	int closing = *s == '/';
	enum fast_kind kind;

	s += closing;
	while (n < FAST_MAX_NAME && ((*s >= 'a' && *s <= 'z') ||
				     (*s >= 'A' && *s <= 'Z')))
		name[n++] = (char)(*s++ | 0x20);
	name[n] = '\0';
	kind = fast_kind_of(name);
	if (kind == FAST_VOID && !closing) {
		while (*s == ' ')
			s++;
		s += *s == '/';
	}
	if (*s != '>' || kind == FAST_NONE || (kind == FAST_VOID && closing))
		return -1;
	f->s = s + 1;
	if (kind == FAST_VOID) {
		buf_puts(f->out, "<br/>");
		return 0;
	}
	if (closing) {
		if (f->depth == 0 || strcmp(f->stack[f->depth - 1], name) != 0)
			return -1;
		f->depth--;
		buf_puts(f->out, "</");
	} else {
		if ((kind == FAST_BLOCK && f->depth > 0) ||
		    f->depth == FAST_MAX_DEPTH)
			return -1;
		memcpy(f->stack[f->depth++], name, n + 1);
		buf_puts(f->out, "<");
	}
	buf_puts(f->out, name);
	buf_puts(f->out, ">");
	return 0;
}

/* One UTF-8 character of text that libxml2 keeps as it is (fast_kept).
 * Returns its length, 0 to give up. */
static size_t fast_char_len(const unsigned char *s)
{
	unsigned long cp;
	int n = charset_utf8_decode(s, 4, &cp);

	return n > 0 && fast_kept(cp) ? (size_t)n : 0;
}

/* Text up to the next '<' or '&', '>' escaped.  Returns 0, or -1. */
static int fast_text(struct fast *f)
{
	const unsigned char *s = (const unsigned char *)f->s;
	const unsigned char *run = s;
	size_t n;

	while (*s && *s != '<' && *s != '&') {
		if (*s == '>') {
			buf_append(f->out, run, (size_t)(s - run));
			buf_puts(f->out, "&gt;");
			run = ++s;
			continue;
		}
		if (*s >= 0x20 && *s < 0x7F) {
			s++;
			continue;
		}
		n = fast_char_len(s);
		if (n == 0)
			return -1;
		s += n;
	}
	buf_append(f->out, run, (size_t)(s - run));
	f->s = (const char *)s;
	return 0;
}

int sanitize_fast(const char *html, struct buf *out)
{
	struct fast f = { .s = html, .out = out, .depth = 0 };
	int rc = 0;

	while (rc == 0 && *f.s) {
		if (*f.s == '<')
			rc = fast_tag(&f);
		else if (*f.s == '&')
			rc = fast_entity(&f);
		else
			rc = fast_text(&f);
	}
	return rc == 0 && f.depth == 0 ? 0 : -1;
}
