/*
 * charset.h — a feed's bytes, whatever their encoding, as UTF-8.
 *
 * Which encoding: a BOM (UTF-8/16/32) first, then the HTTP charset, then
 * the XML declaration (RFC 7303 §3.2), then UTF-8 (XML 1.0 §4.3.3) —
 * corrected by what the bytes say, as browsers and feed readers do:
 * text declared UTF-8 that is not UTF-8 is read as GB18030 when its high
 * bytes pair up like GBK/GB2312, else as windows-1252; text declared as a
 * legacy charset that is valid UTF-8 with multibyte characters is UTF-8.
 * ISO-8859-1 and US-ASCII mean windows-1252 (WHATWG Encoding), GB2312 and
 * GBK mean GB18030 (their superset).  Conversion is iconv (glibc).
 */
#ifndef FEEDMUX_CHARSET_H
#define FEEDMUX_CHARSET_H

#include <stddef.h>

#include "buf.h"

#define CHARSET_SNIFF_BYTES (16 * 1024)	/* looked at before deciding */

struct charset;

/* http_charset: the Content-Type charset parameter, or NULL.  Returns a
 * converter the caller frees with charset_free(). */
struct charset *charset_create(const char *http_charset);

/* Appends the UTF-8 text of data to out (nothing until the decision is
 * made, CHARSET_SNIFF_BYTES in or at final).  Invalid sequences become
 * U+FFFD; a BOM is dropped. */
void charset_push(struct charset *c, const char *data, size_t len, int final,
		  struct buf *out);

/* The encoding the bytes were read as ("UTF-8", "GB18030"...), "" before
 * the decision.  Borrowed. */
const char *charset_name(const struct charset *c);
/* Why the declared encoding was not used, or "" when it was.  Borrowed. */
const char *charset_note(const struct charset *c);
/* Nonzero when bytes were replaced by U+FFFD. */
int charset_replaced(const struct charset *c);

void charset_free(struct charset *c);

/*
 * The UTF-8 sequence at s (RFC 3629 §4): its length, with its code point
 * in *cp; 0 when s ends (avail bytes) inside it; -1 when it is invalid
 * (a stray or overlong byte, a surrogate, past U+10FFFF).  Any byte that
 * is not a continuation ends a sequence, so a NUL-terminated string may
 * pass an avail of 4.
 */
int charset_utf8_decode(const unsigned char *s, size_t avail,
			unsigned long *cp);

/*
 * The charset parameter of a Content-Type value (RFC 9110 §8.3.1:
 * case-insensitive name, token or quoted-string value) into out; ""
 * when there is none or it does not fit.  Returns out.
 */
char *charset_from_content_type(const char *content_type, char *out,
				size_t outlen);

#endif
