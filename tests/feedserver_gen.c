/*
 * feedserver_gen.c — the synthetic feeds of feedserver -g N, for the
 * benchmarks: /gen/<i>.rss, GEN_ITEMS wire-style items each, the same
 * bytes for the same i on every run (a fixed seed per feed and a fixed
 * newest date), built once at start.  Test tool only.
 */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <event2/buffer.h>

#include "feedserver.h"
#include "../bench/wire_words.h"

#define GEN_ITEMS 20
#define GEN_DESCRIPTION_BYTES 900	/* a ~1 KB item with its markup */
#define GEN_NEWEST 1712145600		/* 2024-04-03T12:00:00Z */

/* "BEIJING, April 3 (Xinhua) -- " and sentences up to ~1 KB. */
static void gen_description(struct evbuffer *out, uint64_t *rng,
			    const char *place, const char *agency, time_t when)
{
	struct wire_words w;
	struct tm tm;
	char month[16];
	size_t start = evbuffer_get_length(out);
	const char *p;

	gmtime_r(&when, &tm);
	strftime(month, sizeof month, "%B", &tm);
	for (p = place; *p; p++)
		evbuffer_add_printf(out, "%c", *p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	evbuffer_add_printf(out, ", %s %d (%s) -- ", month, tm.tm_mday, agency);
	while (evbuffer_get_length(out) - start < GEN_DESCRIPTION_BYTES) {
		wire_sentence_draw(rng, &w);
		evbuffer_add_printf(out, "The %s %s the %s, %s %u %s. ",
				    w.subject, w.verb, w.object, w.link,
				    w.number, w.unit);
	}
}

static void gen_item(struct evbuffer *out, size_t feed, size_t item,
		     const char *agency)
{
	uint64_t rng = (uint64_t)feed * 1000003u + item;
	const char *place = WIRE_PICK(wire_places, wire_next(&rng));
	/* An hour apart within a feed; feeds offset by seconds so the merged
	 * order of all of them is total too. */
	time_t when = GEN_NEWEST - (time_t)item * 3600 - (time_t)(feed % 3600);
	struct wire_words w;
	char date[64];

	http_date(when, date, sizeof date);
	wire_headline_draw(&rng, &w);
	evbuffer_add_printf(out, "<item>\n<title>%s %s %s in %s, %u %s</title>\n",
			    w.subject, w.verb, w.object, place, w.number,
			    w.unit);
	evbuffer_add_printf(out, "<link>https://news.example.com/%s/%zu/%zu.html</link>\n"
			    "<guid isPermaLink=\"false\">gen-%zu-%zu</guid>\n"
			    "<pubDate>%s</pubDate>\n<description>",
			    agency, feed, item, feed, item, date);
	gen_description(out, &rng, place, agency, when);
	evbuffer_add_printf(out, "</description>\n</item>\n");
}

/* Feed i as one owned body; only plain ASCII words, so no escaping. */
void gen_feed(struct body *b, size_t feed)
{
	const char *agency = WIRE_PICK(wire_agencies, feed);
	struct evbuffer *out = evbuffer_new();
	size_t item;

	evbuffer_add_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			    "<rss version=\"2.0\">\n<channel>\n"
			    "<title>%s wire %zu</title>\n"
			    "<link>https://news.example.com/%s/%zu/</link>\n"
			    "<description>Synthetic %s feed %zu</description>\n",
			    agency, feed, agency, feed, agency, feed);
	for (item = 0; item < GEN_ITEMS; item++)
		gen_item(out, feed, item, agency);
	evbuffer_add_printf(out, "</channel>\n</rss>\n");
	b->len = evbuffer_get_length(out);
	b->data = malloc(b->len);
	if (!b->data)
		abort();
	evbuffer_remove(out, b->data, b->len);
	evbuffer_free(out);
	b->owned = 1;
	b->mtime = GEN_NEWEST;
	b->type = "application/rss+xml";
	body_set_etag(b);
}
