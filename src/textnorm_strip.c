/*
 * textnorm_strip.c — what is cut from a headline or lead before it is
 * folded: datelines ("BEIJING, April 3 (Xinhua) --", "新华社北京4月3日电"),
 * trailing credits and teasers of a lead, outlets' prefixes and suffixes
 * of a headline (textnorm.h).  Works in place on UTF-8 byte strings.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "textnorm.h"

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

void textnorm_strip_dateline(char *lead)
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

void textnorm_strip_title_credit(char *title)
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
