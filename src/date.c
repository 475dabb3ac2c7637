/*
 * date.c — the dates feeds carry.
 *
 * Two grammars: RFC 3339 / W3C-DTF (Atom, dc:date), parsed here, and the
 * RFC 822 family (RSS pubDate, also RFC 850 and asctime), which we
 * tokenize and validate ourselves, normalize, and hand to curl_getdate()
 * for the arithmetic.  curl_getdate() alone is too lenient (it accepts
 * "30 Feb", trailing words, 8-digit numbers) and reads two-digit years
 * as 20xx, so it only ever sees a string we have already checked.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "date.h"
#include "entry.h"

#define DATE_MAX_LEN 128	/* longer text is not a date */

static const char *const month_names[12] = {
	"jan", "feb", "mar", "apr", "may", "jun",
	"jul", "aug", "sep", "oct", "nov", "dec",
};
static const char *const month_full[12] = {
	"january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december",
};
static const char *const day_names[7] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat",
};
static const char *const day_full[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday",
};

/* Named zones we accept (RFC 822 §5.1, plus UTC), as curl knows them. */
static const char *const zone_names[] = {
	"UT", "UTC", "GMT", "EST", "EDT", "CST", "CDT", "MST", "MDT",
	"PST", "PDT",
};

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Reads exactly n digits at *s; returns the value or -1. */
static int read_digits(const char **s, int n)
{
	int v = 0;

	for (; n > 0; n--, (*s)++) {
		if (!isdigit((unsigned char)**s))
			return -1;
		v = v * 10 + (**s - '0');
	}
	return v;
}

static int64_t utc_seconds(int y, int mo, int d, int h, int mi, int sec)
{
	struct tm tm = {0};

	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 60)
		return ENTRY_NO_DATE;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;	/* 60, a leap second, rolls over (RFC 3339 §5.7) */
	return (int64_t)timegm(&tm);
}

/* "Z", "+hh:mm", "+hhmm" or "+hh" (RFC 3339 §5.6); offset in seconds. */
static int parse_offset(const char *s, int *offset)
{
	int sign, h, m = 0;

	if ((*s == 'Z' || *s == 'z') && s[1] == '\0') {
		*offset = 0;
		return 0;
	}
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if ((h = read_digits(&s, 2)) < 0 || h > 23)
		return -1;
	if (*s == ':')
		s++;
	if (*s && ((m = read_digits(&s, 2)) < 0 || m > 59))
		return -1;
	if (*s)
		return -1;
	*offset = sign * (h * 3600 + m * 60);
	return 0;
}

/*
 * RFC 3339 §5.6 date-time, with a space for the T as §5.6 NOTE allows,
 * minutes-only times and a missing zone (taken as UTC, as feeds mean
 * it); W3C-DTF partial dates YYYY, YYYY-MM, YYYY-MM-DD at midnight UTC.
 */
static int64_t parse_iso(const char *s)
{
	int y, mo = 1, d = 1, h = 0, mi = 0, sec = 0, offset = 0, parts = 1;
	int64_t t;

	if ((y = read_digits(&s, 4)) < 0)
		return ENTRY_NO_DATE;
	if (*s == '-') {
		s++;
		if ((mo = read_digits(&s, 2)) < 0)
			return ENTRY_NO_DATE;
		parts++;
		if (*s == '-') {
			s++;
			if ((d = read_digits(&s, 2)) < 0)
				return ENTRY_NO_DATE;
			parts++;
		}
	}
	if (parts == 3 && (*s == 'T' || *s == 't' || *s == ' ')) {
		s++;
		if ((h = read_digits(&s, 2)) < 0 || *s++ != ':' ||
		    (mi = read_digits(&s, 2)) < 0)
			return ENTRY_NO_DATE;
		if (*s == ':') {
			s++;
			if ((sec = read_digits(&s, 2)) < 0)
				return ENTRY_NO_DATE;
			if (*s == '.' || *s == ',') {
				if (!isdigit((unsigned char)*++s))
					return ENTRY_NO_DATE;
				while (isdigit((unsigned char)*s))
					s++;	/* fractions: we keep seconds */
			}
		}
		if (*s && parse_offset(s, &offset) < 0)
			return ENTRY_NO_DATE;
	} else if (*s) {
		return ENTRY_NO_DATE;
	}
	t = utc_seconds(y, mo, d, h, mi, sec);
	return t == ENTRY_NO_DATE ? t : t - offset;
}

static int name_index(const char *tok, const char *const *abbr,
		      const char *const *full, int n)
{
	int i;

	/* abbr[i] and full[i] begin alike: the first letter rules most
	 * names out without a strcasecmp call */
	for (i = 0; i < n; i++)
		if (tolower((unsigned char)tok[0]) == abbr[i][0] &&
		    (strcasecmp(tok, abbr[i]) == 0 ||
		     strcasecmp(tok, full[i]) == 0))
			return i;
	return -1;
}

/* The RFC 822 date fields, as our tokenizer found them. */
struct rfc822 {
	int day, month, year;	/* -1 until seen */
	int hour, min, sec;
	int have_time, have_weekday;
	char zone[12];	/* normalized for curl: "GMT", "EST", "+0100" */
};

static int rfc822_time(struct rfc822 *r, const char *tok)
{
	const char *s = tok;
	int h, m, sec = 0;

	if (r->have_time)
		return -1;
	if (isdigit((unsigned char)s[0]) && s[1] == ':')
		h = read_digits(&s, 1);
	else
		h = read_digits(&s, 2);
	if (h < 0 || *s++ != ':' || (m = read_digits(&s, 2)) < 0)
		return -1;
	if (*s == ':') {
		s++;
		if ((sec = read_digits(&s, 2)) < 0)
			return -1;
	}
	if (*s)
		return -1;
	r->hour = h;
	r->min = m;
	r->sec = sec;
	r->have_time = 1;
	return 0;
}

/*
 * Zones: the RFC 822 §5.1 names, numeric offsets (also "+hh:mm", which
 * curl does not take), and military letters.  RFC 1123 §5.2.14 and
 * RFC 2822 §4.3: the letters' signs were specified backwards in RFC 822,
 * so any letter but Z carries no information and means -0000.
 */
static int rfc822_zone(struct rfc822 *r, const char *tok)
{
	size_t i;
	int offset;

	if (r->zone[0] || !r->have_time)
		return -1;
	if (tok[0] == '+' || tok[0] == '-') {
		if (strlen(tok) < 5 || parse_offset(tok, &offset) < 0)
			return -1;
		snprintf(r->zone, sizeof r->zone, "%c%02d%02d",
			 offset < 0 ? '-' : '+', abs(offset) / 3600,
			 abs(offset) % 3600 / 60);
		return 0;
	}
	if (isalpha((unsigned char)tok[0]) && tok[1] == '\0' &&
	    toupper((unsigned char)tok[0]) != 'J') {
		strcpy(r->zone, "GMT");
		return 0;
	}
	for (i = 0; i < sizeof zone_names / sizeof zone_names[0]; i++)
		if (strcasecmp(tok, zone_names[i]) == 0) {
			strcpy(r->zone, zone_names[i]);
			return 0;
		}
	/* Other abbreviations (CEST, JST, AEST...): curl_getdate knows many
	 * and fails on the ones it does not. */
	for (i = 0; tok[i]; i++)
		if (!isalpha((unsigned char)tok[i]) || i >= 5)
			return -1;
	for (i = 0; tok[i]; i++)
		r->zone[i] = (char)toupper((unsigned char)tok[i]);
	r->zone[i] = '\0';
	return 0;
}

static int rfc822_number(struct rfc822 *r, const char *tok)
{
	size_t n = strlen(tok);
	const char *s = tok;
	int v;

	/* Length first: read_digits would overflow int on a long run. */
	if (n > 4 || n == 3 || (v = read_digits(&s, (int)n)) < 0)
		return -1;
	if (n == 4 && r->year < 0) {
		r->year = v;
	} else if (n <= 2 && r->day < 0 && r->year < 0) {
		r->day = v;
	} else if (n == 2 && r->year < 0) {
		r->year = v < 50 ? 2000 + v : 1900 + v;	/* "02 Jan 06" */
	} else if (n <= 2 && r->day < 0) {
		r->day = v;	/* "2006 Jan 02" */
	} else {
		return -1;
	}
	return 0;
}

/* Seen in the wild: "Tues", "Thurs", "Sept" (feedparser accepts them). */
static int misspelled_month(const char *tok)
{
	return strcasecmp(tok, "sept") == 0 ? 8 : -1;
}

static int misspelled_day(const char *tok)
{
	static const char *const days[] = { "tues", "thur", "thurs", "wednes" };
	size_t i;

	for (i = 0; i < sizeof days / sizeof days[0]; i++)
		if (strcasecmp(tok, days[i]) == 0)
			return 1;
	return 0;
}

static int rfc822_token(struct rfc822 *r, const char *tok)
{
	int i;

	if (isdigit((unsigned char)tok[0]))
		return strchr(tok, ':') ? rfc822_time(r, tok) :
					  rfc822_number(r, tok);
	if ((i = name_index(tok, month_names, month_full, 12)) >= 0 ||
	    (i = misspelled_month(tok)) >= 0) {
		if (r->month >= 0)
			return -1;
		r->month = i + 1;
		return 0;
	}
	if ((name_index(tok, day_names, day_full, 7) >= 0 ||
	     misspelled_day(tok)) &&
	    !r->have_weekday && r->month < 0) {
		r->have_weekday = 1;
		return 0;
	}
	return rfc822_zone(r, tok);
}

/* Blanks out the separators in place: blanks and commas, the dashes of
 * RFC 850's "02-Jan-06", and RFC 822 comments in parentheses. */
static int rfc822_split(char *s)
{
	int depth = 0;
	char *p;

	for (p = s; *p; p++) {
		if (*p == '(')
			depth++;
		if (depth > 0 || *p == ',' || isspace((unsigned char)*p)) {
			if (*p == ')')
				depth--;
			*p = '\0';
		} else if (*p == '-' && p > s && p[-1] != '\0' &&
			   isalnum((unsigned char)p[1])) {
			*p = '\0';	/* inside a word, not a "-0500" */
		}
	}
	return depth == 0 ? 0 : -1;
}

/*
 * The offset of the zones most feeds use, for which the arithmetic is
 * ours: none or GMT/UT/UTC, a numeric offset, the RFC 822 §5.1 US
 * zones.  Returns -1 for the other names (curl_getdate knows them).
 */
static int zone_offset(const char *zone, int *offset)
{
	static const struct {
		const char *name;
		int hours;
	} zones[] = {
		{ "", 0 }, { "GMT", 0 }, { "UT", 0 }, { "UTC", 0 },
		{ "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
		{ "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
	};
	size_t i;

	if (zone[0] == '+' || zone[0] == '-')	/* "+hhmm", rfc822_zone's */
		return parse_offset(zone, offset);
	for (i = 0; i < sizeof zones / sizeof zones[0]; i++)
		if (strcmp(zone, zones[i].name) == 0) {
			*offset = zones[i].hours * 3600;
			return 0;
		}
	return -1;
}

static int64_t parse_rfc822(const char *text)
{
	char copy[DATE_MAX_LEN + 1], *tok, norm[64];
	struct rfc822 r = { .day = -1, .month = -1, .year = -1 };
	size_t len = strlen(text), i;
	int offset;
	int64_t t;
	time_t ct;

	memcpy(copy, text, len + 1);
	if (rfc822_split(copy) < 0)
		return ENTRY_NO_DATE;
	for (i = 0; i < len; i += strlen(copy + i) + 1) {
		tok = copy + i;
		if (*tok == '\0')
			continue;
		if (rfc822_token(&r, tok) < 0)
			return ENTRY_NO_DATE;
	}
	if (r.day < 0 || r.month < 0 || r.year < 0)
		return ENTRY_NO_DATE;
	t = utc_seconds(r.year, r.month, r.day, r.hour, r.min, r.sec);
	if (t == ENTRY_NO_DATE)
		return t;	/* curl would take "30 Feb" as 2 Mar */
	/* curl_getdate gives the same for these (tests/test_date.c checks
	 * it) at the cost of seven sscanf calls, a fifth of a feed's
	 * parse; earlier years stay with curl, which refuses some. */
	if (r.year >= 1970 && zone_offset(r.zone, &offset) == 0)
		return t - offset;
	snprintf(norm, sizeof norm, "%02d %s %04d %02d:%02d:%02d %s", r.day,
		 month_names[r.month - 1], r.year, r.hour, r.min, r.sec,
		 r.zone[0] ? r.zone : "GMT");
	ct = curl_getdate(norm, NULL);
	if (ct == -1 && t != -1)
		return ENTRY_NO_DATE;
	return (int64_t)ct;
}

int64_t date_parse(const char *s)
{
	char text[DATE_MAX_LEN + 1];
	size_t len;

	if (s == NULL)
		return ENTRY_NO_DATE;
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0 || len > DATE_MAX_LEN)
		return ENTRY_NO_DATE;
	memcpy(text, s, len);
	text[len] = '\0';
	if (len >= 4 && isdigit((unsigned char)text[0]) &&
	    isdigit((unsigned char)text[1]) &&
	    isdigit((unsigned char)text[2]) &&
	    isdigit((unsigned char)text[3]) &&
	    (text[4] == '-' || text[4] == '\0'))
		return parse_iso(text);
	return parse_rfc822(text);
}

static int split_time(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;

	if (t == ENTRY_NO_DATE || gmtime_r(&tt, tm) == NULL)
		return -1;
	return 0;
}

void date_format_rfc3339(int64_t t, char *out, size_t outlen)
{
	struct tm tm;

	if (outlen == 0)
		return;
	if (split_time(t, &tm) < 0) {
		out[0] = '\0';
		return;
	}
	snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec);
}

/* RFC 9110 §5.6.7 IMF-fixdate; names spelled here, not by the locale. */
void date_format_http(int64_t t, char *out, size_t outlen)
{
	static const char *const wd[7] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
	};
	static const char *const mon[12] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	struct tm tm;

	if (outlen == 0)
		return;
	if (split_time(t, &tm) < 0) {
		out[0] = '\0';
		return;
	}
	snprintf(out, outlen, "%s, %02d %s %04d %02d:%02d:%02d GMT",
		 wd[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);
}
