/*
 * parse_hints.c — what a feed says about how often to poll it: RSS 2.0
 * <ttl>, <skipHours> and <skipDays> (RSS 2.0 specification, "Optional
 * channel elements"; RSS Advisory Board "RSS Best Practices Profile"
 * §skipHours/§skipDays) and the RSS 1.0 syndication module's
 * sy:updatePeriod / sy:updateFrequency (also met in RSS 2.0 and Atom).
 * They land in struct feed_meta; the scheduler (schedule_policy.c)
 * honours them within min_interval/max_interval.
 *
 * Out-of-range values are ignored rather than guessed at: a ttl of
 * "sixty" or an hour of 25 says nothing.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse_int.h"

/* A longer hint than a year is a typo; max_interval caps it anyway. */
#define HINT_MAX_S (366 * 86400LL)

/* The whole of text as a decimal number >= 0, or -1. */
static long long decimal(const char *text)
{
	char *end;
	long long v;

	while (isspace((unsigned char)*text))
		text++;
	if (!isdigit((unsigned char)*text))
		return -1;
	v = strtoll(text, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	return *end ? -1 : v;
}

/* RSS 2.0: "a number of minutes that indicates how long a channel can be
 * cached before refreshing from the source". */
static void apply_ttl(struct feed_meta *m, const char *text)
{
	long long minutes = decimal(text);

	if (minutes > 0 && minutes <= HINT_MAX_S / 60 && m->ttl_s == 0)
		m->ttl_s = minutes * 60;
}

/* <hour>: 0-23 GMT.  The Best Practices Profile notes publishers also
 * write 24 for midnight; it is read as 0. */
static void apply_skip_hour(struct feed_meta *m, const char *text)
{
	long long h = decimal(text);

	if (h == 24)
		h = 0;
	if (h >= 0 && h <= 23)
		m->skip_hours |= 1u << h;
}

/* <day>: Monday..Sunday, in English; bit 0 is Sunday as in struct tm. */
static void apply_skip_day(struct feed_meta *m, const char *text)
{
	static const char *const days[] = {
		"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
		"Friday", "Saturday",
	};
	char *day = parse_text_trim(text);
	unsigned i;

	for (i = 0; i < 7; i++)
		if (strcasecmp(day, days[i]) == 0)
			m->skip_days |= 1u << i;
	free(day);
}

static void apply_update_period(struct feed_meta *m, const char *text)
{
	char *period = parse_text_trim(text);
	char *c;

	for (c = period; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	if (m->update_period == NULL && *period)
		m->update_period = period;
	else
		free(period);
}

static void apply_update_frequency(struct feed_meta *m, const char *text)
{
	long long n = decimal(text);

	if (n > 0 && n <= HINT_MAX_S && m->update_frequency == 0)
		m->update_frequency = n;
}

int parse_hints_apply(struct parser *p, enum target t, const char *text)
{
	struct feed_meta *m = &p->meta;

	switch (t) {
	case T_FEED_TTL:
		apply_ttl(m, text);
		return 1;
	case T_FEED_SKIP_HOUR:
		apply_skip_hour(m, text);
		return 1;
	case T_FEED_SKIP_DAY:
		apply_skip_day(m, text);
		return 1;
	case T_FEED_UPDATE_PERIOD:
		apply_update_period(m, text);
		return 1;
	case T_FEED_UPDATE_FREQUENCY:
		apply_update_frequency(m, text);
		return 1;
	default:
		return 0;
	}
}
