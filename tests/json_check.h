/*
 * json_check.h — a strict RFC 8259 JSON validator for tests: the whole
 * text must be one value, strings valid UTF-8 with no raw control
 * characters and only the escapes §7 allows, numbers in §6's grammar,
 * nesting bounded.  Header-only (static functions), no allocation.
 */
#ifndef FEEDMUX_JSON_CHECK_H
#define FEEDMUX_JSON_CHECK_H

#include <string.h>

#define JSON_MAX_DEPTH 64

static const char *json_value(const char *p, int depth);

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* One UTF-8 sequence (shortest form, no surrogates), or NULL. */
static const char *json_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0];
	int n, i;
	unsigned cp;

	if (c < 0x80)
		return s + 1;
	n = c >= 0xF0 && c <= 0xF4 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : -1;
	if (n < 0 || c > 0xF4)
		return NULL;
	cp = c & (0x3F >> n);
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return NULL;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
		return NULL;
	return s + n + 1;
}

static const char *json_string(const char *p)
{
	int i;

	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;	/* also the NUL at the end */
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p[i]) ||
					    !p[i])
						return NULL;
				p += 5;
			} else if (*p && strchr("\"\\/bfnrt", *p)) {
				p++;
			} else {
				return NULL;
			}
		} else if (!(p = json_utf8(p))) {
			return NULL;
		}
	}
	return p + 1;
}

static const char *json_digits(const char *p)
{
	if (*p < '0' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9')
		p++;
	return p;
}

static const char *json_number(const char *p)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (!(p = json_digits(p)))
		return NULL;
	if (*p == '.' && !(p = json_digits(p + 1)))
		return NULL;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		p = json_digits(p);
	}
	return p;
}

/* A '[' or '{' container; members are "key": value for objects. */
static const char *json_container(const char *p, int depth, char close)
{
	p = json_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (close == '}') {
			if (!(p = json_string(p)))
				return NULL;
			p = json_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		if (!(p = json_value(p, depth + 1)))
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
		p = json_ws(p);
	}
}

static const char *json_value(const char *p, int depth)
{
	if (depth > JSON_MAX_DEPTH)
		return NULL;
	p = json_ws(p);
	switch (*p) {
	case '{': return json_container(p, depth, '}');
	case '[': return json_container(p, depth, ']');
	case '"': return json_string(p);
	case 't': return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f': return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n': return strncmp(p, "null", 4) ? NULL : p + 4;
	default: return json_number(p);
	}
}

/* 1 if text (NUL-terminated) is exactly one JSON value, else 0. */
static int json_valid(const char *text)
{
	const char *end = text ? json_value(text, 0) : NULL;

	return end && *json_ws(end) == '\0';
}

#endif
