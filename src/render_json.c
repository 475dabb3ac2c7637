/*
 * render_json.c — the JSON Feed 1.1 output (https://jsonfeed.org/version/1.1).
 *
 * Written by hand into a struct buf: the format is small, and one escaper
 * (render_json_string, RFC 8259 §7) is easier to test than a library.  Every
 * string is made valid UTF-8 by render_xml_clean() first, so the output
 * is always valid JSON text (RFC 8259 §8.1).  Where the entry came from
 * goes in the "_feedmux" extension object (JSON Feed §"Extensions").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "entry.h"
#include "render.h"
#include "render_int.h"

#define JSONFEED_VERSION "https://jsonfeed.org/version/1.1"

void render_json_string(struct buf *b, const char *s)
{
	char *clean = render_xml_clean(s ? s : "");
	const unsigned char *p = (const unsigned char *)clean;

	buf_puts(b, "\"");
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(b, "\\%c", *p);
		else if (*p == '\n')
			buf_puts(b, "\\n");
		else if (*p == '\r')
			buf_puts(b, "\\r");
		else if (*p == '\t')
			buf_puts(b, "\\t");
		else if (*p < 0x20)
			buf_printf(b, "\\u%04x", *p);
		else if (*p == 0xE2 && p[1] == 0x80 &&
			 (p[2] == 0xA8 || p[2] == 0xA9)) {
			/* U+2028/2029: valid JSON, but not JavaScript. */
			buf_printf(b, "\\u%04x", p[2] == 0xA8 ? 0x2028 : 0x2029);
			p += 2;
		} else
			buf_append(b, p, 1);
	}
	buf_puts(b, "\"");
	free(clean);
}

/* ,"key":"value" -- skipped when value is NULL or empty. */
static void json_member(struct buf *b, const char *key, const char *value)
{
	if (!has_text(value))
		return;
	buf_printf(b, ",\"%s\":", key);
	render_json_string(b, value);
}

static void json_date(struct buf *b, const char *key, int64_t t)
{
	char date[RENDER_DATE_LEN];

	if (t == ENTRY_NO_DATE)
		return;
	date_format_rfc3339(t, date, sizeof date);
	json_member(b, key, date);
}

/* "content_html" or "content_text": one of them is required. */
static void json_item_content(struct buf *b, const struct entry *e)
{
	if (has_text(e->content)) {
		json_member(b, "content_html", e->content);
		json_member(b, "summary", e->summary);
	} else if (has_text(e->summary)) {
		json_member(b, "content_html", e->summary);
	} else {
		buf_puts(b, ",\"content_text\":\"\"");
	}
}

static void json_item_tags(struct buf *b, const struct entry *e)
{
	const char *sep = "";
	size_t i;

	if (e->n_categories == 0)
		return;
	buf_puts(b, ",\"tags\":[");
	for (i = 0; i < e->n_categories; i++) {
		if (!has_text(e->categories[i]))
			continue;
		buf_puts(b, sep);
		render_json_string(b, e->categories[i]);
		sep = ",";
	}
	buf_puts(b, "]");
}

/* "copies": the story as other feeds carried it (SPEC.md: Output feeds),
 * left out when there are none. */
static void json_item_copies(struct buf *b, const struct store_item *it)
{
	const struct store_copy *c;
	size_t i;

	if (it->n_copies == 0)
		return;
	buf_puts(b, ",\"copies\":[");
	for (i = 0; i < it->n_copies; i++) {
		c = &it->copies[i];
		buf_puts(b, i ? ",{\"url\":" : "{\"url\":");
		if (has_text(c->url))
			render_json_string(b, c->url);
		else
			buf_puts(b, "null");
		buf_puts(b, ",\"feed\":");
		render_json_string(b, has_text(c->feed_title) ? c->feed_title
							      : c->feed_name);
		buf_puts(b, "}");
	}
	buf_puts(b, "]");
}

/* A person as JSON Feed 1.1 has it: name and url; an email, which it
 * has no member for, becomes a mailto: url (RFC 6068). */
static void json_person(struct buf *b, const struct entry_person *p)
{
	struct buf mailto = {0};

	buf_puts(b, "{\"name\":");
	render_json_string(b, has_text(p->name) ? p->name :
			      has_text(p->email) ? p->email : p->uri);
	if (has_text(p->uri)) {
		json_member(b, "url", p->uri);
	} else if (has_text(p->email)) {
		buf_printf(&mailto, "mailto:%s", p->email);
		json_member(b, "url", mailto.data);
		free(buf_steal(&mailto));
	}
	buf_puts(b, "}");
}

/* ,"key":[people] -- left out when there are none. */
static void json_people(struct buf *b, const char *key,
			const struct entry_person *list, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	buf_printf(b, ",\"%s\":[", key);
	for (i = 0; i < n; i++) {
		if (i)
			buf_puts(b, ",");
		json_person(b, &list[i]);
	}
	buf_puts(b, "]");
}

/* "authors": every author the source named, else the display name. */
static void json_item_authors(struct buf *b, const struct entry *e)
{
	if (e->n_authors == 0 && has_text(e->author)) {
		buf_puts(b, ",\"authors\":[{\"name\":");
		render_json_string(b, e->author);
		buf_puts(b, "}]");
	}
	json_people(b, "authors", e->authors, e->n_authors);
}

/* "categories": the tags with the scheme and label JSON Feed's "tags"
 * cannot hold; left out when no tag has either. */
static void json_categories(struct buf *b, const struct entry *e)
{
	const struct entry_category_info *ci;
	const char *sep = ",\"categories\":[";
	size_t i;

	for (i = 0; e->category_info && i < e->n_categories; i++) {
		ci = &e->category_info[i];
		if (!has_text(e->categories[i]) ||
		    (!has_text(ci->scheme) && !has_text(ci->label)))
			continue;
		buf_puts(b, sep);
		buf_puts(b, "{\"term\":");
		render_json_string(b, e->categories[i]);
		json_member(b, "scheme", ci->scheme);
		json_member(b, "label", ci->label);
		buf_puts(b, "}");
		sep = ",";
	}
	if (*sep == ',' && sep[1] == '\0')
		buf_puts(b, "]");
}

/* "source": the feed the source itself credited (RSS <source>, Atom
 * <source>), not the feed the item came through ("feed" above). */
static void json_origin(struct buf *b, const struct entry *e)
{
	const struct entry_source *src = &e->source;
	char date[RENDER_DATE_LEN];

	if (!has_text(src->id) && !has_text(src->title) &&
	    !has_text(src->link) && !has_text(src->feed_url))
		return;
	buf_puts(b, ",\"source\":{\"title\":");
	render_json_string(b, src->title);
	json_member(b, "id", src->id);
	json_member(b, "home_page_url", src->link);
	json_member(b, "feed_url", src->feed_url);
	if (src->updated != ENTRY_NO_DATE) {
		date_format_rfc3339(src->updated, date, sizeof date);
		json_member(b, "updated", date);
	}
	buf_puts(b, "}");
}

/* "image" (the first thumbnail) and "attachments" (the enclosures;
 * url and mime_type are required, JSON Feed 1.1 §"Attachments"). */
static void json_item_attachments(struct buf *b, const struct entry *e)
{
	const struct entry_enclosure *enc;
	const char *sep = ",\"attachments\":[";
	size_t i;
	int image = 0;

	for (i = 0; i < e->n_enclosures; i++) {
		enc = &e->enclosures[i];
		if (enc->kind == ENTRY_MEDIA_THUMBNAIL && !image &&
		    has_text(enc->url)) {
			json_member(b, "image", enc->url);
			image = 1;
		}
	}
	for (i = 0; i < e->n_enclosures; i++) {
		enc = &e->enclosures[i];
		if (enc->kind == ENTRY_MEDIA_THUMBNAIL || !has_text(enc->url))
			continue;
		buf_puts(b, sep);
		buf_puts(b, "{\"url\":");
		render_json_string(b, enc->url);
		buf_puts(b, ",\"mime_type\":");
		render_json_string(b, has_text(enc->type) ? enc->type
						    : "application/octet-stream");
		json_member(b, "title", enc->title);
		if (enc->length > 0)
			buf_printf(b, ",\"size_in_bytes\":%lld",
				   (long long)enc->length);
		if (enc->duration > 0)
			buf_printf(b, ",\"duration_in_seconds\":%lld",
				   (long long)enc->duration);
		buf_puts(b, "}");
		sep = ",";
	}
	if (*sep == ',' && sep[1] == '\0')
		buf_puts(b, "]");
}

/* "_feedmux": the source feed, as Atom's <source> carries it, and what
 * JSON Feed 1.1 has no member for: comments page, contributors, category
 * schemes and labels, the source's own credited source. */
static void json_item_source(struct buf *b, const struct store_item *it)
{
	const struct entry *e = &it->e;

	buf_puts(b, ",\"_feedmux\":{\"feed\":{\"name\":");
	render_json_string(b, it->feed_name);
	json_member(b, "title", has_text(it->feed_title) ? it->feed_title
							 : it->feed_name);
	json_member(b, "feed_url", it->feed_url);
	json_member(b, "home_page_url", it->feed_link);
	buf_puts(b, "}");
	json_item_copies(b, it);
	json_member(b, "comments_url", e->comments);
	json_people(b, "contributors", e->contributors, e->n_contributors);
	json_categories(b, e);
	json_origin(b, e);
	buf_puts(b, "}");
}

static void json_item(struct buf *b, const struct store_item *it)
{
	const struct entry *e = &it->e;
	char *id = has_text(e->guid) ? xstrdup(e->guid) : render_entry_id(it);

	buf_puts(b, "{\"id\":");
	render_json_string(b, id);
	free(id);
	json_member(b, "url", e->link);
	json_member(b, "title", render_entry_title(e));
	json_item_content(b, e);
	json_date(b, "date_published", e->published);
	json_date(b, "date_modified", render_entry_updated(it));
	json_item_authors(b, e);
	json_member(b, "language", e->language);
	json_item_attachments(b, e);
	json_item_tags(b, e);
	json_item_source(b, it);
	buf_puts(b, "}");
}

int render_json(const struct render_meta *m, const struct store_item *items,
		size_t n, struct buf *out)
{
	size_t i;

	buf_puts(out, "{\"version\":\"" JSONFEED_VERSION "\",\"title\":");
	render_json_string(out, m->title);
	json_member(out, "home_page_url", m->alt_url);
	json_member(out, "feed_url", m->self_url);
	json_member(out, "description", m->subtitle);
	json_member(out, "next_url", m->next_url);
	json_member(out, "icon", m->icon);
	json_member(out, "favicon", m->icon);
	buf_puts(out, ",\"authors\":[{\"name\":");
	render_json_string(out, m->title);
	buf_puts(out, "}],\"items\":[\n");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(out, ",\n");
		json_item(out, &items[i]);
	}
	buf_puts(out, "\n]}\n");
	return 0;
}
