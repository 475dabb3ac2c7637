/*
 * test_date.c — date_parse over every format feeds use, and the two
 * formatters.
 */
#include <stdio.h>

#include <curl/curl.h>

#include "date.h"
#include "entry.h"
#include "tap.h"

/* 2006-01-02T15:04:05Z, the reference instant of most cases below. */
#define REF 1136214245LL
#define HOUR 3600LL

struct date_case {
	const char *text;
	int64_t want;
	const char *name;
};

static const struct date_case rfc822_cases[] = {
	{ "Mon, 02 Jan 2006 15:04:05 GMT", REF, "rfc1123_with_weekday" },
	{ "02 Jan 2006 15:04:05 GMT", REF, "rfc822_without_weekday" },
	{ "Mon, 02 Jan 2006 15:04 GMT", REF - 5, "rfc822_without_seconds" },
	{ "Mon, 2 Jan 2006 15:04:05 GMT", REF, "rfc822_one_digit_day" },
	{ "mon, 02 jan 2006 15:04:05 gmt", REF, "rfc822_any_case" },
	{ "Monday, 02 January 2006 15:04:05 GMT", REF, "rfc822_full_names" },
	{ "Mon, 02 Jan 2006 15:04:05", REF, "rfc822_no_zone_is_utc" },
	{ "Mon, 02 Jan 2006 15:04:05 UT", REF, "zone_ut" },
	{ "Mon, 02 Jan 2006 15:04:05 UTC", REF, "zone_utc" },
	{ "Mon, 02 Jan 2006 15:04:05 EST", REF + 5 * HOUR, "zone_est" },
	{ "Mon, 02 Jan 2006 15:04:05 EDT", REF + 4 * HOUR, "zone_edt" },
	{ "Mon, 02 Jan 2006 15:04:05 CST", REF + 6 * HOUR, "zone_cst" },
	{ "Mon, 02 Jan 2006 15:04:05 CDT", REF + 5 * HOUR, "zone_cdt" },
	{ "Mon, 02 Jan 2006 15:04:05 MST", REF + 7 * HOUR, "zone_mst" },
	{ "Mon, 02 Jan 2006 15:04:05 MDT", REF + 6 * HOUR, "zone_mdt" },
	{ "Mon, 02 Jan 2006 15:04:05 PST", REF + 8 * HOUR, "zone_pst" },
	{ "Mon, 02 Jan 2006 15:04:05 PDT", REF + 7 * HOUR, "zone_pdt" },
	{ "Mon, 02 Jan 2006 15:04:05 Z", REF, "zone_military_z" },
	{ "Mon, 02 Jan 2006 17:04:05 CEST", REF, "zone_other_name_curl_knows" },
	{ "Tue, 03 Jan 2006 00:04:05 JST", REF, "zone_jst_curl_knows" },
	/* RFC 2822 §4.3: other military letters carry no information. */
	{ "Mon, 02 Jan 2006 15:04:05 A", REF, "zone_military_a_is_utc" },
	{ "Mon, 02 Jan 2006 15:04:05 N", REF, "zone_military_n_is_utc" },
	{ "Mon, 02 Jan 2006 15:04:05 +0100", REF - HOUR, "zone_plus_hhmm" },
	{ "Mon, 02 Jan 2006 15:04:05 -0530", REF + 5 * HOUR + 1800,
	  "zone_minus_hhmm" },
	{ "Mon, 02 Jan 2006 15:04:05 +01:00", REF - HOUR,
	  "zone_plus_hh_colon_mm" },
	{ "Mon, 02 Jan 2006 07:04:05 -0800 (PST)", REF, "rfc822_comment" },
	{ "Monday, 02-Jan-06 15:04:05 GMT", REF, "rfc850" },
	{ "Mon Jan  2 15:04:05 2006", REF, "asctime" },
	{ "  Mon, 02 Jan 2006 15:04:05 GMT\n", REF, "rfc822_surrounding_blanks" },
	{ "Mon, 02 Jan 06 15:04:05 GMT", REF, "two_digit_year_06_is_2006" },
	{ "Sat, 02 Jan 49 00:00:00 GMT", 2493158400LL,
	  "two_digit_year_49_is_2049" },
	{ "Mon, 02 Jan 50 00:00:00 GMT", -631065600LL,
	  "two_digit_year_50_is_1950" },
	{ "Sat, 02 Jan 99 00:00:00 GMT", 915235200LL,
	  "two_digit_year_99_is_1999" },
	{ "Thu, 29 Feb 2024 12:00:00 GMT", 1709208000LL, "rfc822_leap_day" },
};

static const struct date_case iso_cases[] = {
	{ "2006-01-02T15:04:05Z", REF, "rfc3339_utc" },
	{ "2006-01-02t15:04:05z", REF, "rfc3339_lowercase_t_z" },
	{ "2006-01-02 15:04:05Z", REF, "rfc3339_space_separator" },
	{ "2006-01-02T15:04:05.123456Z", REF, "rfc3339_fraction" },
	{ "2006-01-02T16:04:05+01:00", REF, "rfc3339_plus_hh_colon_mm" },
	{ "2006-01-02T13:34:05-0130", REF, "iso8601_minus_hhmm" },
	{ "2006-01-02T17:04:05+02", REF, "iso8601_plus_hh" },
	{ "2006-01-02T15:04Z", REF - 5, "w3cdtf_minutes" },
	{ "2006-01-02T15:04:05", REF, "iso8601_no_zone_is_utc" },
	{ "2006-01-02T10:04:05.5-05:00", REF, "rfc3339_fraction_offset" },
	{ "2006-01-02", 1136160000LL, "w3cdtf_day_is_midnight_utc" },
	{ "2006-01", 1136073600LL, "w3cdtf_month_is_first_day" },
	{ "2006", 1136073600LL, "w3cdtf_year_is_jan_1" },
	{ "2024-02-29T00:00:00Z", 1709164800LL, "rfc3339_leap_day" },
	{ " 2006-01-02T15:04:05Z ", REF, "rfc3339_surrounding_blanks" },
};

static const char *const garbage[] = {
	"", "   ", "hello", "yesterday", "12", "12:00", "Jan 2006", "2 Jan",
	"20060102", "2006-13-01", "2006-02-30", "2006-01-32", "2006-1-2",
	"2006-01-02T25:00:00Z", "2006-01-02T15:60:00Z", "2006-01-02T",
	"2006-01-02T15:04:05+25:00", "2006-01-02T15:04:05 junk",
	"2006-01-02X", "2006-01-02T15:04:05.Z", "2005-02-29",
	"Mon, 30 Feb 2006 10:00:00 GMT", "Mon, 32 Jan 2006 10:00:00 GMT",
	"Mon, 02 Jan 2006 25:04:05 GMT", "Mon, 02 Jan 2006 15:04:05 FOO",
	"Mon, 02 Jan 2006 15:04:05 GMT garbage", "Mon, 02 Foo 2006",
	"Mon, 02 Jan 206 15:04:05 GMT", "Mon, 02 Jan 2006 15:04:05 J",
	"Mon, 02 Jan 2006 15:04:05 GMT (unclosed",
	"Mon, 02 Jan Jan 2006 15:04:05 GMT", "1 2 3", "jan jan jan",
	"Mon, 02 Jan 2006 15:04:05 GMT GMT", "Mon, 02 Jan 2006 15:04:05 XYZ",
	"Mon, 02 Jan 2006 15:04:05 ABCDEF",
	"Mon, 02 Jan 2006 15:04:05 GMT Mon, 02 Jan 2006 15:04:05 GMT "
	"Mon, 02 Jan 2006 15:04:05 GMT Mon, 02 Jan 2006 15:04:05 GMT "
	"Mon, 02 Jan 2006 15:04:05 GMT",
};

static void test_cases(const struct date_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_int(date_parse(c[i].text), c[i].want, c[i].name))
			diag("input: \"%s\"", c[i].text);
}

static void test_garbage(void)
{
	char name[160];
	size_t i;

	is_int(date_parse(NULL), ENTRY_NO_DATE, "null_is_no_date");
	for (i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
		snprintf(name, sizeof name, "garbage_is_no_date: \"%.100s\"",
			 garbage[i]);
		is_int(date_parse(garbage[i]), ENTRY_NO_DATE, name);
	}
}

static void test_formatters(void)
{
	static const int64_t instants[] = {
		0, REF, 951782400LL /* 2000-02-29 */, -631065600LL,
		4102444799LL /* 2099-12-31T23:59:59Z */,
	};
	char out[64], name[96];
	size_t i;

	date_format_rfc3339(REF, out, 21);
	is_str(out, "2006-01-02T15:04:05Z", "format_rfc3339_fits_21_bytes");
	date_format_http(REF, out, 30);
	is_str(out, "Mon, 02 Jan 2006 15:04:05 GMT", "format_http_fits_30_bytes");
	date_format_rfc3339(ENTRY_NO_DATE, out, sizeof out);
	is_str(out, "", "format_rfc3339_no_date_is_empty");
	date_format_http(ENTRY_NO_DATE, out, sizeof out);
	is_str(out, "", "format_http_no_date_is_empty");
	for (i = 0; i < sizeof instants / sizeof instants[0]; i++) {
		date_format_rfc3339(instants[i], out, sizeof out);
		snprintf(name, sizeof name, "round_trip_rfc3339 %s", out);
		is_int(date_parse(out), instants[i], name);
		date_format_http(instants[i], out, sizeof out);
		snprintf(name, sizeof name, "round_trip_http %s", out);
		is_int(date_parse(out), instants[i], name);
	}
}

/* date.c does the zone arithmetic itself for GMT, UT, UTC, numeric
 * offsets and the US zones from 1970 on, where it used to hand every
 * date to curl_getdate: both must give the same instant, over every
 * month, the days around month ends, leap years and each such zone. */
static void test_same_as_curl(void)
{
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	static const char *const zones[] = {
		"GMT", "UT", "UTC", "+0000", "-0000", "+0530", "-0945",
		"+1400", "-1200", "EST", "EDT", "CST", "CDT", "MST", "MDT",
		"PST", "PDT", "",
	};
	static const int days[] = { 1, 2, 15, 28, 29, 30, 31 };
	static const int years[] = { 1970, 1999, 2000, 2004, 2024, 2038,
				     2100, 2400, 9999 };
	char text[64];
	size_t y, m, d, z;
	int checked = 0, differ = 0;
	int64_t ours;
	time_t curls;

	for (y = 0; y < sizeof years / sizeof years[0]; y++)
		for (m = 0; m < 12; m++)
			for (d = 0; d < sizeof days / sizeof days[0]; d++)
				for (z = 0; z < sizeof zones / sizeof zones[0]; z++) {
					snprintf(text, sizeof text,
						 "%02d %s %d %02d:%02d:%02d %s",
						 days[d], months[m], years[y],
						 (int)(z * 7 % 24),
						 (int)(d * 13 % 60),
						 d == 3 ? 60 : (int)(m * 5),
						 zones[z]);
					ours = date_parse(text);
					if (ours == ENTRY_NO_DATE)
						continue;	/* 30 Feb */
					curls = curl_getdate(text, NULL);
					checked++;
					if (ours != (int64_t)curls && differ++ < 5)
						diag("\"%s\": date_parse %lld, "
						     "curl_getdate %lld", text,
						     (long long)ours,
						     (long long)curls);
				}
	is_int(differ, 0, "rfc822_zone_arithmetic_same_as_curl_getdate");
	ok(checked > 10000, "rfc822_same_as_curl_checked_over_10000_dates");
}

int main(void)
{
	test_cases(rfc822_cases, sizeof rfc822_cases / sizeof rfc822_cases[0]);
	test_cases(iso_cases, sizeof iso_cases / sizeof iso_cases[0]);
	test_garbage();
	test_formatters();
	test_same_as_curl();
	return done_testing();
}
