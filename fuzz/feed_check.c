/*
 * feed_check.c — the feed parser's output invariants (feed_check.h).
 */
#include <stdlib.h>
#include <string.h>

#include "entry.h"
#include "feed_check.h"
#include "fuzz.h"
#include "parse.h"

#define FEED_URL "http://127.0.0.1/feed.xml"

/* A field is valid UTF-8 and within the parser's size cap (a few bytes
 * over for the UTF-8 sequence it was cut after). */
static void check_field(const char *s, const char *what)
{
	if (!s)
		return;
	if (!fuzz_utf8_valid(s))
		fuzz_fail(what);
	if (strlen(s) > PARSE_MAX_FIELD_BYTES + 4)
		fuzz_fail("field longer than PARSE_MAX_FIELD_BYTES");
}

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void on_entry(void *ctx, struct entry *e)
{
	struct feed_result *r = ctx;
	char *key;
	size_t i;

	check_field(e->guid, "entry guid is not UTF-8");
	check_field(e->link, "entry link is not UTF-8");
	check_field(e->title, "entry title is not UTF-8");
	check_field(e->summary, "entry summary is not UTF-8");
	check_field(e->content, "entry content is not UTF-8");
	check_field(e->author, "entry author is not UTF-8");
	for (i = 0; i < e->n_categories; i++)
		check_field(e->categories[i], "entry category is not UTF-8");
	if (e->n_categories && !e->categories)
		fuzz_fail("categories counted but absent");
	key = entry_key(e);
	if (!key || strlen(key) < 2)
		fuzz_fail("entry_key returned nothing");
	r->keys_hash = fnv1a(r->keys_hash, key, strlen(key) + 1);
	free(key);
}

void feed_check_parse(const uint8_t *data, size_t size, const uint8_t *cut,
		      size_t n_cuts, struct feed_result *out)
{
	struct feed_meta meta = { 0 };
	struct parser *p;
	char err[256];
	size_t off = 0, i = 0, n;

	memset(out, 0, sizeof *out);
	out->keys_hash = 0xcbf29ce484222325ULL;
	p = parse_create(FEED_URL, on_entry, out);
	if (!p)
		fuzz_fail("parse_create failed");
	while (off < size) {
		n = n_cuts ? cut[i++ % n_cuts] : size - off;
		if (n == 0)
			n = 1;
		if (n > size - off)
			n = size - off;
		if (parse_push(p, (const char *)data + off, n) < 0)
			break;
		off += n;
	}
	err[0] = '\0';
	out->rc = parse_finish(p, &meta, err, sizeof err);
	if (out->rc < 0 && (err[0] == '\0' || meta.title || meta.id))
		fuzz_fail("failed parse without a message, or with metadata");
	check_field(meta.id, "feed id is not UTF-8");
	check_field(meta.title, "feed title is not UTF-8");
	check_field(meta.link, "feed link is not UTF-8");
	out->repaired = parse_repaired(p);
	out->format = parse_format(p);
	out->count = parse_entry_count(p);
	feed_meta_clear(&meta);
	parse_free(p);
}
