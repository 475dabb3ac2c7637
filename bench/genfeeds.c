/*
 * genfeeds — writes the synthetic feeds the benchmarks read.
 *
 *	genfeeds [-t EPOCH] [-i ITEMS] DIR N [BIG_ITEMS]
 *
 * DIR/f/<i>.rss or DIR/f/<i>.atom for i in 0..N-1 (every third feed is
 * Atom 1.0, the others RSS 2.0), ITEMS entries each (default 20), about
 * 1 KB of text per entry as real agency feeds carry: a headline, a link, a
 * guid or id, dates, an author, categories and an HTML description with a
 * dateline ("BEIJING, April 3 (Xinhua) -- ").  DIR/list names the files,
 * one path relative to DIR per line.
 *
 * Like the outlets that carry wire stories, one entry in five is a copy of
 * an entry of another feed: half of them link to the same article with
 * tracking parameters added (dedupe ring 2: same canonical URL), half are
 * rewritten — a prefixed headline, the lead without its dateline, the
 * outlet's own URL (ring 3: same story, other words).
 *
 * With BIG_ITEMS, DIR/big.rss and DIR/big.atom hold that many entries each,
 * for the parse throughput figure.
 *
 * Output depends only on the arguments: the dates count back an hour per
 * entry from EPOCH (default: now, rounded down to the hour, so a second
 * run the same hour writes the same bytes).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wire_words.h"

#define DEFAULT_ITEMS 20
#define DESCRIPTION_BYTES 700	/* the sentences; markup brings ~1 KB */
#define COPY_ONE_IN 5
#define MAX_FEEDS 1000000

static const char *const categories[] = {
	"economy", "politics", "energy", "transport", "agriculture", "health",
	"technology", "trade",
};
static const char *const prefixes[] = {
	"UPDATE 1-", "WRAPUP-", "Xinhua: ", "EXCLUSIVE-", "Factbox: ",
};

/*
 * Proper names ("Tavoren", "Kesimalu"), 2 to 4 of 24 syllables: about
 * 350,000 of them.  Real stories on unrelated events share their common
 * words but not their names and figures; without names the phrase lists
 * above make only 1,920 distinct openings, so at 10,000 feeds (200,000
 * entries) each opening recurred ~100 times and every new entry met a
 * hundred same-looking unrelated ones in the dedupe index — a cost real
 * feeds do not have, growing with N.
 */
static const char *const syllables[] = {
	"ta", "vo", "ren", "ke", "si", "ma", "lu", "dor", "an", "bi", "ze",
	"kor", "ul", "mi", "sa", "tho", "ri", "gan", "el", "pu", "nes", "ya",
	"os", "wen",
};

/* A capitalised name from the stream into out. */
static void name_make(uint64_t *rng, char *out, size_t outlen)
{
	size_t n = 2 + wire_next(rng) % 3, len = 0, i;

	out[0] = '\0';
	for (i = 0; i < n && len < outlen; i++) {
		int w = snprintf(out + len, outlen - len, "%s",
				 WIRE_PICK(syllables, wire_next(rng)));

		if (w < 0)
			break;
		len += (size_t)w;
	}
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

/* One story: everything an entry says, whichever feed carries it. */
struct story {
	size_t feed, item;
	const char *agency, *place, *category;
	char title[160];
	char lead[2048];	/* plain sentences, no dateline */
	time_t when;
};

static void story_make(struct story *s, size_t feed, size_t item,
		       time_t newest)
{
	uint64_t rng = (uint64_t)feed * 1000003u + item;
	struct wire_words w;
	char name[32];
	size_t len = 0;

	s->feed = feed;
	s->item = item;
	s->agency = WIRE_PICK(wire_agencies, feed);
	s->place = WIRE_PICK(wire_places, wire_next(&rng));
	s->category = WIRE_PICK(categories, wire_next(&rng));
	/* An hour apart within a feed; feeds offset by seconds so the merged
	 * order of all of them is total. */
	s->when = newest - (time_t)item * 3600 - (time_t)(feed % 3600);
	name_make(&rng, name, sizeof name);
	wire_headline_draw(&rng, &w);
	snprintf(s->title, sizeof s->title, "%s of %s %s %s in %s, %u %s",
		 w.subject, name, w.verb, w.object, s->place, w.number, w.unit);
	s->lead[0] = '\0';
	while (len < DESCRIPTION_BYTES) {
		int n;

		name_make(&rng, name, sizeof name);
		wire_sentence_draw(&rng, &w);
		n = snprintf(s->lead + len, sizeof s->lead - len,
				 "The %s of %s %s the %s, %s %u %s. ",
				 w.subject, name, w.verb, w.object, w.link,
				 w.number, w.unit);
		if (n < 0 || (size_t)n >= sizeof s->lead - len)
			break;
		len += (size_t)n;
	}
}

/* How feed/item shows story s: its own, or a copy of another feed's. */
struct entry_view {
	struct story s;
	char title[200];
	char link[256];
	int dateline;		/* the lead starts "PLACE, Month D (AGENCY) -- " */
};

static void view_make(struct entry_view *v, size_t feed, size_t item,
		      size_t nfeeds, time_t newest)
{
	uint64_t rng = ((uint64_t)feed << 20) ^ item ^ 0x5eedULL;
	uint64_t r = wire_next(&rng);
	const char *agency = WIRE_PICK(wire_agencies, feed);

	if (nfeeds > 1 && r % COPY_ONE_IN == 0) {
		size_t src = (size_t)(wire_next(&rng) % nfeeds);

		if (src == feed)
			src = (src + 1) % nfeeds;
		story_make(&v->s, src, item, newest);
		if (wire_next(&rng) % 2 == 0) {	/* same URL, tracked */
			snprintf(v->title, sizeof v->title, "%s", v->s.title);
			snprintf(v->link, sizeof v->link,
				 "https://news.example.com/%s/%zu/%zu.html"
				 "?utm_source=%s&amp;utm_medium=rss",
				 v->s.agency, v->s.feed, v->s.item, agency);
			v->dateline = 1;
		} else {			/* rewritten */
			snprintf(v->title, sizeof v->title, "%s%s",
				 WIRE_PICK(prefixes, wire_next(&rng)), v->s.title);
			snprintf(v->link, sizeof v->link,
				 "https://outlet%zu.example.net/news/%zu.html",
				 feed, item);
			v->dateline = 0;
		}
		v->s.when += 600;	/* carried ten minutes later */
		return;
	}
	story_make(&v->s, feed, item, newest);
	snprintf(v->title, sizeof v->title, "%s", v->s.title);
	snprintf(v->link, sizeof v->link,
		 "https://news.example.com/%s/%zu/%zu.html", agency, feed, item);
	v->dateline = 1;
}

static void put_dateline(FILE *out, const struct story *s)
{
	struct tm tm;
	char month[16];
	const char *p;

	gmtime_r(&s->when, &tm);
	strftime(month, sizeof month, "%B", &tm);
	for (p = s->place; *p; p++)
		fputc(*p >= 'a' && *p <= 'z' ? *p - 32 : *p, out);
	fprintf(out, ", %s %d (%s) -- ", month, tm.tm_mday, s->agency);
}

/* The description as escaped HTML: two paragraphs, as feeds send it. */
static void put_html(FILE *out, const struct entry_view *v)
{
	size_t half = strlen(v->s.lead) / 2;
	const char *cut = strstr(v->s.lead + half, ". ");
	int head = cut ? (int)(cut + 2 - v->s.lead) : (int)half;

	fputs("&lt;p&gt;", out);
	if (v->dateline)
		put_dateline(out, &v->s);
	fprintf(out, "%.*s&lt;/p&gt;&lt;p&gt;%s&lt;/p&gt;", head, v->s.lead,
		v->s.lead + head);
}

static void put_rss_item(FILE *out, size_t feed, size_t item, size_t nfeeds,
			 time_t newest)
{
	struct entry_view v;
	char date[64];
	struct tm tm;

	view_make(&v, feed, item, nfeeds, newest);
	gmtime_r(&v.s.when, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	fprintf(out, "<item>\n<title>%s</title>\n<link>%s</link>\n"
		"<guid isPermaLink=\"false\">gen-%zu-%zu</guid>\n"
		"<pubDate>%s</pubDate>\n<dc:creator>%s staff</dc:creator>\n"
		"<category>%s</category>\n<description>",
		v.title, v.link, feed, item, date, WIRE_PICK(wire_agencies, feed),
		v.s.category);
	put_html(out, &v);
	fputs("</description>\n</item>\n", out);
}

static void put_atom_entry(FILE *out, size_t feed, size_t item,
			   size_t nfeeds, time_t newest)
{
	struct entry_view v;
	char date[64];
	struct tm tm;

	view_make(&v, feed, item, nfeeds, newest);
	gmtime_r(&v.s.when, &tm);
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(out, "<entry>\n<id>tag:news.example.com,2024:%zu/%zu</id>\n"
		"<title>%s</title>\n<link rel=\"alternate\" href=\"%s\"/>\n"
		"<published>%s</published>\n<updated>%s</updated>\n"
		"<author><name>%s staff</name></author>\n"
		"<category term=\"%s\"/>\n<content type=\"html\">",
		feed, item, v.title, v.link, date, date, WIRE_PICK(wire_agencies, feed),
		v.s.category);
	put_html(out, &v);
	fputs("</content>\n</entry>\n", out);
}

/* Writes feed `feed` with `items` entries to path; 0 or -1. */
static int feed_write(const char *path, int atom, size_t feed, size_t items,
		      size_t nfeeds, time_t newest)
{
	FILE *out = fopen(path, "w");
	const char *agency = WIRE_PICK(wire_agencies, feed);
	char date[64];
	struct tm tm;
	size_t i;

	if (!out) {
		fprintf(stderr, "genfeeds: %s: %s\n", path, strerror(errno));
		return -1;
	}
	gmtime_r(&newest, &tm);
	if (atom) {
		strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			"<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
			"<title>%s wire %zu</title>\n"
			"<id>tag:news.example.com,2024:%zu</id>\n"
			"<link rel=\"alternate\" href=\"https://news.example.com/%s/%zu/\"/>\n"
			"<updated>%s</updated>\n", agency, feed, feed, agency,
			feed, date);
		for (i = 0; i < items; i++)
			put_atom_entry(out, feed, i, nfeeds, newest);
		fputs("</feed>\n", out);
	} else {
		strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<rss version=\"2.0\" "
			"xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
			"<channel>\n<title>%s wire %zu</title>\n"
			"<link>https://news.example.com/%s/%zu/</link>\n"
			"<description>Synthetic %s feed %zu</description>\n"
			"<lastBuildDate>%s</lastBuildDate>\n", agency, feed,
			agency, feed, agency, feed, date);
		for (i = 0; i < items; i++)
			put_rss_item(out, feed, i, nfeeds, newest);
		fputs("</channel>\n</rss>\n", out);
	}
	if (fclose(out) != 0) {
		fprintf(stderr, "genfeeds: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int usage(void)
{
	fputs("usage: genfeeds [-t EPOCH] [-i ITEMS] DIR N [BIG_ITEMS]\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	time_t newest = time(NULL) / 3600 * 3600;
	size_t items = DEFAULT_ITEMS, n, big = 0, i;
	char path[4096];
	FILE *list;
	int c;

	while ((c = getopt(argc, argv, "t:i:")) != -1) {
		if (c == 't')
			newest = (time_t)strtoll(optarg, NULL, 10);
		else if (c == 'i')
			items = (size_t)strtoul(optarg, NULL, 10);
		else
			return usage();
	}
	if (argc - optind < 2 || argc - optind > 3)
		return usage();
	n = (size_t)strtoul(argv[optind + 1], NULL, 10);
	if (argc - optind == 3)
		big = (size_t)strtoul(argv[optind + 2], NULL, 10);
	if (n > MAX_FEEDS || items == 0)
		return usage();

	snprintf(path, sizeof path, "%s/f", argv[optind]);
	if (mkdir(argv[optind], 0755) != 0 && errno != EEXIST)
		return perror(argv[optind]), 1;
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return perror(path), 1;
	snprintf(path, sizeof path, "%s/list", argv[optind]);
	list = fopen(path, "w");
	if (!list)
		return perror(path), 1;
	for (i = 0; i < n; i++) {
		int atom = i % 3 == 2;

		fprintf(list, "f/%zu.%s\n", i, atom ? "atom" : "rss");
		snprintf(path, sizeof path, "%s/f/%zu.%s", argv[optind], i,
			 atom ? "atom" : "rss");
		if (feed_write(path, atom, i, items, n, newest) != 0)
			return 1;
	}
	if (fclose(list) != 0)
		return 1;
	if (big) {
		/* Feed numbers past N: their own stories, no copies. */
		snprintf(path, sizeof path, "%s/big.rss", argv[optind]);
		if (feed_write(path, 0, n, big, 1, newest) != 0)
			return 1;
		snprintf(path, sizeof path, "%s/big.atom", argv[optind]);
		if (feed_write(path, 1, n + 1, big, 1, newest) != 0)
			return 1;
	}
	return 0;
}
