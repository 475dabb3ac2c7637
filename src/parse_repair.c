/*
 * parse_repair.c — escapes the stray '&' and '<' of hand-made feeds
 * before libxml2 sees them.
 *
 * "AT&T", "?a=1&b=2" in an href, "x < y" in a description are the most
 * common well-formedness errors in real feeds.  libxml2's recovery drops
 * "&T", and in push mode a '<' that starts no tag halts the parser for
 * good, losing every later entry.  Outside CDATA sections, comments,
 * processing instructions and the DOCTYPE, a '&' that does not begin a
 * reference (XML 1.0 §4.1) becomes "&amp;" and a '<' that does not begin
 * markup becomes "&lt;".  An unquoted attribute value (<a href=x>, as
 * HTML allows, XML 1.0 §3.1 does not) is quoted: it runs to a blank or
 * the tag's '>' (a '/' just before that '>' ends an empty-element tag),
 * as the HTML tokenizer reads it.  Well-formed documents pass unchanged; bytes
 * that cannot be decided yet wait for the next chunk, so the output does
 * not depend on how the input was split.
 */
#include <stdint.h>
#include <string.h>

#include "parse_int.h"

#define REF_MAX_BYTES 40	/* longest reference we accept as one */

enum {
	RS_TEXT = 0, RS_TAG, RS_CDATA, RS_COMMENT, RS_PI, RS_DOCTYPE,
};

enum verdict { V_NEED_MORE = -1, V_INVALID = 0 };

static int is_name_start(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	       c == ':' || c >= 0x80;
}

static int is_name_char(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' ||
	       c == '.';
}

static int is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* Is s (at a '&') a reference?  Returns its length, V_INVALID, or
 * V_NEED_MORE when the bytes so far cannot tell. */
static int ref_length(const unsigned char *s, size_t n, int final)
{
	size_t i = 1, start;
	int hex = 0;

	if (i < n && s[i] == '#') {
		i++;
		if (i < n && (s[i] == 'x' || s[i] == 'X')) {
			hex = 1;
			i++;
		}
		start = i;
		while (i < n && i < REF_MAX_BYTES &&
		       (hex ? is_hex(s[i]) : (s[i] >= '0' && s[i] <= '9')))
			i++;
	} else {
		if (i < n && !is_name_start(s[i]))
			return V_INVALID;
		start = i;
		while (i < n && i < REF_MAX_BYTES && is_name_char(s[i]))
			i++;
	}
	if (i >= REF_MAX_BYTES)
		return V_INVALID;
	if (i >= n)
		return final ? V_INVALID : V_NEED_MORE;
	return s[i] == ';' && i > start ? (int)i + 1 : V_INVALID;
}

/* Length of the markup opener at s (at a '<') and the state it starts,
 * V_INVALID for a stray '<', or V_NEED_MORE. */
static int markup_length(const unsigned char *s, size_t n, int final,
			 int *state)
{
	static const struct {
		const char *open;
		int state;
	} openers[] = {
		{ "<![CDATA[", RS_CDATA }, { "<!--", RS_COMMENT },
		{ "<!DOCTYPE", RS_DOCTYPE }, { "<?", RS_PI },
	};
	size_t i, len, m;

	if (n < 2)
		return final ? V_INVALID : V_NEED_MORE;
	if (is_name_start(s[1]) || s[1] == '/') {
		*state = RS_TAG;
		return 1;
	}
	for (i = 0; i < sizeof openers / sizeof openers[0]; i++) {
		len = strlen(openers[i].open);
		m = n < len ? n : len;
		if (memcmp(s, openers[i].open, m) != 0)
			continue;
		if (m < len)
			return final ? V_INVALID : V_NEED_MORE;
		*state = openers[i].state;
		return (int)len;
	}
	if (s[1] == '!') {
		*state = RS_DOCTYPE;	/* another declaration: pass it */
		return 2;
	}
	return V_INVALID;
}

/* In a section that ends with close: returns how many bytes to pass
 * and sets *done when the end was found. */
static size_t section_length(const unsigned char *s, size_t n, int final,
			     const char *close, int *done)
{
	size_t len = strlen(close), i, k;

	for (i = 0; i + len <= n; i++)
		if (memcmp(s + i, close, len) == 0) {
			*done = 1;
			return i + len;
		}
	*done = 0;
	if (final)
		return n;
	/* keep a tail that may be the start of close */
	for (k = len - 1; k > 0; k--)
		if (n >= k && memcmp(s + n - k, close, k) == 0)
			return n - k;
	return n;
}

/* DOCTYPE with its internal subset: ends at a '>' outside brackets and
 * quotes. */
static size_t doctype_length(struct parse_repair *r, const unsigned char *s,
			     size_t n, int *done)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (r->quote) {
			if (s[i] == r->quote)
				r->quote = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			r->quote = s[i];
		} else if (s[i] == '[') {
			r->brackets++;
		} else if (s[i] == ']' && r->brackets > 0) {
			r->brackets--;
		} else if (s[i] == '>' && r->brackets == 0) {
			*done = 1;
			return i + 1;
		}
	}
	*done = 0;
	return n;
}

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Does any byte of v equal c?  ("Bit Twiddling Hacks": haszero) */
static int has_byte(uint64_t v, unsigned char c)
{
	v ^= 0x0101010101010101ull * c;
	return ((v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull) != 0;
}

/* Text: passes bytes up to the next '&' or '<', 8 bytes a step while
 * there is none (text is most of a document). */
static size_t text_length(const unsigned char *s, size_t n)
{
	size_t i = 0;
	uint64_t v;

	for (; i + 8 <= n; i += 8) {
		memcpy(&v, s + i, sizeof v);
		if (has_byte(v, '&') || has_byte(v, '<'))
			break;
	}
	for (; i < n && s[i] != '&' && s[i] != '<'; i++)
		;
	return i;
}

/* Ends a run of plain bytes in a tag (strchr's set "&=>\"'", which
 * includes the NUL). */
static int ends_tag_run(unsigned char c)
{
	return c == '&' || c == '=' || c == '>' || c == '"' || c == '\'' ||
	       c == '\0';
}

/* In an unquoted value we quote: passes its plain bytes, closes the
 * quote at its end.  0 when it needs more input. */
static size_t unquoted_step(struct parse_repair *r, const unsigned char *s,
			    size_t n, int final, struct buf *out)
{
	size_t i;

	for (i = 0; i < n && !is_blank(s[i]) && !strchr("&<>\"/", s[i]); i++)
		;
	if (i > 0) {
		buf_append(out, s, i);
		return i;
	}
	if (s[0] == '"' || s[0] == '<') {
		buf_puts(out, s[0] == '"' ? "&quot;" : "&lt;");
		return 1;
	}
	if (s[0] == '/' && n < 2 && !final)
		return 0;	/* "/>" or a path? */
	if (s[0] == '/' && n >= 2 && s[1] != '>') {
		buf_puts(out, "/");
		return 1;
	}
	/* a blank, '>', "/>" or the end ends the value */
	buf_puts(out, "\"");
	r->unquoted = 0;
	if (s[0] == '>')
		r->state = RS_TEXT;
	buf_append(out, s, 1);
	return 1;
}

/* In a tag: names, '=', quoted values passed as they are (to the '>'),
 * an unquoted value quoted.  0 when it needs more input. */
static size_t tag_step(struct parse_repair *r, const unsigned char *s,
		       size_t n, int final, struct buf *out)
{
	size_t i;

	if (r->unquoted)
		return unquoted_step(r, s, n, final, out);
	if (r->quote) {
		for (i = 0; i < n && s[i] != '&' && s[i] != r->quote; i++)
			;
		if (i < n && s[i] == r->quote) {
			r->quote = 0;
			i++;
		}
		buf_append(out, s, i);
		return i;
	}
	for (i = 0; i < n && !ends_tag_run(s[i]) &&
		    !(r->after_eq && !is_blank(s[i])); i++)
		;
	if (i == 0) {
		r->after_eq = 0;
		if (s[0] == '=')
			r->after_eq = 1;
		else if (s[0] == '>')
			r->state = RS_TEXT;
		else
			r->quote = s[0];
		i = 1;
	}
	buf_append(out, s, i);
	return i;
}

/* After an attribute's '=' and blanks, a value that does not start with
 * a quote: open one (XML 1.0 §3.1 AttValue). */
static void open_unquoted(struct parse_repair *r, const unsigned char *s,
			  struct buf *out)
{
	if (r->state != RS_TAG || !r->after_eq || is_blank(s[0]))
		return;
	r->after_eq = 0;
	if (s[0] == '"' || s[0] == '\'' || s[0] == '>')
		return;
	buf_puts(out, "\"");
	r->unquoted = r->quoted = 1;
}

/* One step at s: appends what it decided to out, returns the bytes
 * consumed, 0 when it needs more input. */
static size_t repair_step(struct parse_repair *r, const unsigned char *s,
			  size_t n, int final, struct buf *out)
{
	static const char *const closes[] = {
		[RS_CDATA] = "]]>", [RS_COMMENT] = "-->", [RS_PI] = "?>",
	};
	int len, state = RS_TEXT, done = 0;
	size_t k;

	open_unquoted(r, s, out);
	if (r->state == RS_CDATA || r->state == RS_COMMENT || r->state == RS_PI)
		k = section_length(s, n, final, closes[r->state], &done);
	else if (r->state == RS_DOCTYPE)
		k = doctype_length(r, s, n, &done);
	else if (s[0] == '&' && (len = ref_length(s, n, final)) != V_INVALID) {
		k = len == V_NEED_MORE ? 0 : (size_t)len;
	} else if (s[0] == '&') {
		buf_puts(out, "&amp;");
		r->changed = 1;
		return 1;
	} else if (s[0] == '<' && r->state == RS_TEXT) {
		len = markup_length(s, n, final, &state);
		if (len == V_INVALID) {
			buf_puts(out, "&lt;");
			r->changed = 1;
			return 1;
		}
		if (len == V_NEED_MORE)
			return 0;
		r->state = state;
		r->quote = r->after_eq = r->unquoted = 0;
		r->brackets = 0;
		k = (size_t)len;
	} else if (r->state == RS_TAG) {
		return tag_step(r, s, n, final, out);
	} else {
		k = text_length(s, n);
	}
	if (done)
		r->state = RS_TEXT;
	buf_append(out, s, k);
	return k;
}

void parse_repair_push(struct parse_repair *r, const char *data, size_t len,
		       int final, struct buf *out)
{
	struct buf in = {0};
	const unsigned char *s = (const unsigned char *)data;
	size_t n = len, k;

	if (r->off) {
		buf_append(out, data, len);
		return;
	}
	if (r->carry_len > 0) {	/* the carry goes first: a joined copy */
		buf_append(&in, r->carry, r->carry_len);
		buf_append(&in, data, len);
		s = (const unsigned char *)in.data;
		n = in.len;
	}
	/* a well-formed document passes unchanged: one growth at most */
	buf_reserve(out, n + 16);
	while (n > 0 && (k = repair_step(r, s, n, final, out)) > 0) {
		s += k;
		n -= k;
	}
	/* what is left is shorter than any undecided construct */
	r->carry_len = n < sizeof r->carry ? n : sizeof r->carry;
	memcpy(r->carry, s, r->carry_len);
	buf_free(&in);
}
