/*
 * parse_feed.c — the feed dialects: what each element means in RSS 2.0
 * and 0.9x, RSS 1.0 (RDF) with the dc, dcterms, content and media
 * modules, Atom 1.0 and Atom 0.3.  parse_fields.c turns the text of each
 * into a field of struct entry or struct feed_meta.
 *
 * An element counts only where its rule places it (a title under item,
 * not under image or Atom's source); everything else is skipped with its
 * subtree.  A new dialect is a namespace, some element names and rules.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "parse_int.h"

enum ns {
	NS_UNKNOWN, NS_RSS, NS_RDF, NS_ATOM, NS_ATOM03, NS_DC, NS_DCTERMS,
	NS_CONTENT, NS_MEDIA, NS_ITUNES, NS_XHTML, NS_SY,
};

static const struct {
	const char *uri;
	enum ns ns;
} namespaces[] = {
	{ "http://purl.org/rss/1.0/", NS_RSS },	/* RSS 1.0 §5.3 */
	{ "http://my.netscape.com/rdf/simple/0.9/", NS_RSS },
	{ "http://backend.userland.com/rss2", NS_RSS },
	{ "http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF },
	{ "http://www.w3.org/2005/Atom", NS_ATOM },	/* RFC 4287 §2 */
	{ "http://purl.org/dc/elements/1.1/", NS_DC },
	{ "http://purl.org/dc/terms/", NS_DCTERMS },
	{ "http://purl.org/rss/1.0/modules/content/", NS_CONTENT },
	{ "http://purl.org/atom/ns#", NS_ATOM03 },	/* Atom 0.3 draft */
	{ "http://search.yahoo.com/mrss/", NS_MEDIA },	/* Media RSS */
	{ "http://search.yahoo.com/mrss", NS_MEDIA },
	{ "http://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES },
	{ "http://www.w3.org/1999/xhtml", NS_XHTML },
	{ "http://purl.org/rss/1.0/modules/syndication/", NS_SY },
};

static const struct {
	enum ns ns;
	const char *name;
	enum elem elem;
} elements[] = {
	{ NS_RSS, "rss", E_RSS },
	{ NS_RSS, "channel", E_CHANNEL },
	{ NS_RSS, "item", E_ITEM },
	{ NS_RSS, "title", E_TITLE },
	{ NS_RSS, "link", E_LINK },
	{ NS_RSS, "guid", E_GUID },
	{ NS_RSS, "pubDate", E_PUBDATE },
	{ NS_RSS, "lastBuildDate", E_LASTBUILDDATE },
	{ NS_RSS, "description", E_DESCRIPTION },
	{ NS_RSS, "author", E_AUTHOR },
	{ NS_RSS, "category", E_CATEGORY },
	{ NS_RDF, "RDF", E_RDF },
	{ NS_DC, "date", E_DC_DATE },
	{ NS_DC, "creator", E_DC_CREATOR },
	{ NS_DC, "subject", E_DC_SUBJECT },
	{ NS_DCTERMS, "modified", E_DCTERMS_MODIFIED },
	{ NS_CONTENT, "encoded", E_CONTENT_ENCODED },
	{ NS_ATOM, "feed", E_ATOM_FEED },
	{ NS_ATOM, "entry", E_ATOM_ENTRY },
	{ NS_ATOM, "title", E_ATOM_TITLE },
	{ NS_ATOM, "link", E_ATOM_LINK },
	{ NS_ATOM, "id", E_ATOM_ID },
	{ NS_ATOM, "published", E_ATOM_PUBLISHED },
	{ NS_ATOM, "updated", E_ATOM_UPDATED },
	{ NS_ATOM, "summary", E_ATOM_SUMMARY },
	{ NS_ATOM, "content", E_ATOM_CONTENT },
	{ NS_ATOM, "author", E_ATOM_AUTHOR },
	{ NS_ATOM, "name", E_ATOM_NAME },
	{ NS_ATOM, "email", E_ATOM_EMAIL },
	{ NS_ATOM, "category", E_ATOM_CATEGORY },
	{ NS_RSS, "enclosure", E_ENCLOSURE },
	{ NS_RSS, "comments", E_COMMENTS },
	{ NS_RSS, "source", E_SOURCE },
	{ NS_RSS, "language", E_LANGUAGE },
	{ NS_RSS, "image", E_IMAGE },
	{ NS_RSS, "url", E_URL },
	{ NS_DC, "language", E_DC_LANGUAGE },
	{ NS_DC, "contributor", E_DC_CONTRIBUTOR },
	{ NS_DCTERMS, "created", E_DCTERMS_CREATED },
	{ NS_DCTERMS, "issued", E_DCTERMS_ISSUED },
	{ NS_DCTERMS, "language", E_DC_LANGUAGE },
	{ NS_DCTERMS, "creator", E_DC_CREATOR },
	{ NS_DCTERMS, "subject", E_DC_SUBJECT },
	{ NS_ITUNES, "author", E_ITUNES_AUTHOR },
	{ NS_MEDIA, "content", E_MEDIA_CONTENT },
	{ NS_MEDIA, "thumbnail", E_MEDIA_THUMBNAIL },
	{ NS_MEDIA, "group", E_MEDIA_GROUP },
	{ NS_XHTML, "body", E_XHTML_BODY },
	{ NS_ATOM, "contributor", E_ATOM_CONTRIBUTOR },
	{ NS_ATOM, "uri", E_ATOM_URI },
	{ NS_ATOM, "source", E_ATOM_SOURCE },
	{ NS_ATOM, "subtitle", E_ATOM_SUBTITLE },
	{ NS_ATOM, "icon", E_ATOM_ICON },
	{ NS_ATOM, "logo", E_ATOM_LOGO },
	/* Atom 0.3 maps onto Atom 1.0 (RFC 4287 Appendix: changes) */
	{ NS_ATOM03, "feed", E_ATOM_FEED },
	{ NS_ATOM03, "entry", E_ATOM_ENTRY },
	{ NS_ATOM03, "title", E_ATOM_TITLE },
	{ NS_ATOM03, "link", E_ATOM_LINK },
	{ NS_ATOM03, "id", E_ATOM_ID },
	{ NS_ATOM03, "issued", E_ATOM_PUBLISHED },
	{ NS_ATOM03, "modified", E_ATOM_UPDATED },
	{ NS_ATOM03, "created", E_ATOM03_CREATED },
	{ NS_ATOM03, "summary", E_ATOM_SUMMARY },
	{ NS_ATOM03, "content", E_ATOM_CONTENT },
	{ NS_ATOM03, "author", E_ATOM_AUTHOR },
	{ NS_ATOM03, "contributor", E_ATOM_CONTRIBUTOR },
	{ NS_ATOM03, "name", E_ATOM_NAME },
	{ NS_ATOM03, "email", E_ATOM_EMAIL },
	{ NS_ATOM03, "url", E_ATOM_URI },
	{ NS_ATOM03, "tagline", E_ATOM_SUBTITLE },
	{ NS_ATOM03, "subtitle", E_ATOM_SUBTITLE },
	/* polling hints: RSS 2.0 <ttl>, <skipHours>, <skipDays>; RSS 1.0
	 * syndication module (also used in RSS 2.0 channels) */
	{ NS_RSS, "ttl", E_TTL },
	{ NS_RSS, "skipHours", E_SKIPHOURS },
	{ NS_RSS, "hour", E_HOUR },
	{ NS_RSS, "skipDays", E_SKIPDAYS },
	{ NS_RSS, "day", E_DAY },
	{ NS_SY, "updatePeriod", E_SY_UPDATEPERIOD },
	{ NS_SY, "updateFrequency", E_SY_UPDATEFREQUENCY },
};

#define TC RULE_TEXT_CONSTRUCT

static const struct rule rules[] = {
	/* roots and structure */
	{ E_NONE, E_RSS, T_CONTAINER, 0 },
	{ E_NONE, E_RDF, T_CONTAINER, 0 },
	{ E_NONE, E_ATOM_FEED, T_CONTAINER, 0 },
	{ E_RSS, E_CHANNEL, T_CONTAINER, 0 },
	{ E_RDF, E_CHANNEL, T_CONTAINER, 0 },
	/* RSS 2.0 items are in the channel, RSS 1.0 items beside it */
	{ E_CHANNEL, E_ITEM, T_ENTRY, 0 },
	{ E_RDF, E_ITEM, T_ENTRY, 0 },
	{ E_RSS, E_ITEM, T_ENTRY, 0 },
	{ E_CHANNEL, E_TITLE, T_FEED_TITLE, 0 },
	{ E_CHANNEL, E_LINK, T_FEED_LINK, 0 },
	{ E_CHANNEL, E_LASTBUILDDATE, T_FEED_UPDATED, 0 },
	{ E_CHANNEL, E_ATOM_UPDATED, T_FEED_UPDATED, 0 },
	{ E_CHANNEL, E_DCTERMS_MODIFIED, T_FEED_UPDATED, 0 },
	{ E_CHANNEL, E_PUBDATE, T_FEED_PUBDATE, 0 },
	{ E_CHANNEL, E_DC_DATE, T_FEED_PUBDATE, 0 },
	{ E_ITEM, E_TITLE, T_TITLE, 0 },
	{ E_ITEM, E_LINK, T_LINK, 0 },
	{ E_ITEM, E_GUID, T_GUID, 0 },
	{ E_ITEM, E_PUBDATE, T_PUBLISHED, 0 },
	{ E_ITEM, E_DC_DATE, T_DC_DATE, 0 },
	{ E_ITEM, E_ATOM_UPDATED, T_UPDATED, 0 },
	{ E_ITEM, E_DCTERMS_MODIFIED, T_UPDATED, 0 },
	{ E_ITEM, E_DESCRIPTION, T_SUMMARY, 0 },
	{ E_ITEM, E_CONTENT_ENCODED, T_CONTENT, 0 },
	{ E_ITEM, E_AUTHOR, T_AUTHOR, 0 },
	{ E_ITEM, E_DC_CREATOR, T_CREATOR, 0 },
	{ E_ITEM, E_CATEGORY, T_CATEGORY, 0 },
	{ E_ITEM, E_DC_SUBJECT, T_CATEGORY, 0 },
	{ E_ITEM, E_ENCLOSURE, T_ENCLOSURE, 0 },
	{ E_ITEM, E_COMMENTS, T_COMMENTS, 0 },
	{ E_ITEM, E_SOURCE, T_SOURCE, 0 },
	{ E_ITEM, E_DC_LANGUAGE, T_LANGUAGE, 0 },
	{ E_ITEM, E_DC_CONTRIBUTOR, T_CONTRIBUTOR, 0 },
	{ E_ITEM, E_DCTERMS_CREATED, T_DC_DATE, 0 },
	{ E_ITEM, E_DCTERMS_ISSUED, T_DC_DATE, 0 },
	{ E_ITEM, E_ITUNES_AUTHOR, T_CREATOR, 0 },
	{ E_ITEM, E_XHTML_BODY, T_CONTENT, RULE_XHTML },
	{ E_ITEM, E_MEDIA_CONTENT, T_MEDIA_CONTENT, 0 },
	{ E_ITEM, E_MEDIA_THUMBNAIL, T_MEDIA_THUMBNAIL, 0 },
	{ E_ITEM, E_MEDIA_GROUP, T_CONTAINER, 0 },
	{ E_MEDIA_GROUP, E_MEDIA_CONTENT, T_MEDIA_CONTENT, 0 },
	{ E_MEDIA_GROUP, E_MEDIA_THUMBNAIL, T_MEDIA_THUMBNAIL, 0 },
	{ E_MEDIA_CONTENT, E_MEDIA_THUMBNAIL, T_MEDIA_THUMBNAIL, 0 },
	{ E_CHANNEL, E_DESCRIPTION, T_FEED_SUBTITLE, 0 },
	{ E_CHANNEL, E_LANGUAGE, T_FEED_LANGUAGE, 0 },
	{ E_CHANNEL, E_DC_LANGUAGE, T_FEED_LANGUAGE, 0 },
	{ E_CHANNEL, E_IMAGE, T_CONTAINER, 0 },
	{ E_RSS, E_IMAGE, T_CONTAINER, 0 },
	{ E_RDF, E_IMAGE, T_CONTAINER, 0 },
	{ E_IMAGE, E_URL, T_FEED_ICON, 0 },
	/* Atom 1.0, RFC 4287 §4.1 */
	{ E_ATOM_FEED, E_ATOM_ENTRY, T_ENTRY, 0 },
	{ E_ATOM_FEED, E_ATOM_TITLE, T_FEED_TITLE, TC },
	{ E_ATOM_FEED, E_ATOM_LINK, T_FEED_ATOM_LINK, 0 },
	{ E_ATOM_FEED, E_ATOM_ID, T_FEED_ID, 0 },
	{ E_ATOM_FEED, E_ATOM_UPDATED, T_FEED_UPDATED, 0 },
	{ E_ATOM_FEED, E_ATOM_AUTHOR, T_PERSON, 0 },
	{ E_ATOM_FEED, E_ATOM_SUBTITLE, T_FEED_SUBTITLE, TC },
	{ E_ATOM_FEED, E_ATOM_ICON, T_FEED_ICON, 0 },
	{ E_ATOM_FEED, E_ATOM_LOGO, T_FEED_LOGO, 0 },
	{ E_ATOM_ENTRY, E_ATOM_ID, T_GUID, 0 },
	{ E_ATOM_ENTRY, E_ATOM_TITLE, T_TITLE, TC },
	{ E_ATOM_ENTRY, E_ATOM_LINK, T_ATOM_LINK, 0 },
	{ E_ATOM_ENTRY, E_ATOM_PUBLISHED, T_PUBLISHED, 0 },
	{ E_ATOM_ENTRY, E_ATOM_UPDATED, T_UPDATED, 0 },
	{ E_ATOM_ENTRY, E_ATOM_SUMMARY, T_SUMMARY, TC },
	{ E_ATOM_ENTRY, E_ATOM_CONTENT, T_CONTENT, TC },
	{ E_ATOM_ENTRY, E_ATOM_AUTHOR, T_PERSON, 0 },
	{ E_ATOM_ENTRY, E_ATOM_CONTRIBUTOR, T_PERSON, RULE_CONTRIBUTOR },
	{ E_ATOM_ENTRY, E_ATOM_CATEGORY, T_ATOM_CATEGORY, 0 },
	{ E_ATOM_ENTRY, E_ATOM03_CREATED, T_DC_DATE, 0 },
	{ E_ATOM_ENTRY, E_DC_CREATOR, T_CREATOR, 0 },
	{ E_ATOM_ENTRY, E_DC_SUBJECT, T_CATEGORY, 0 },
	{ E_ATOM_ENTRY, E_DC_LANGUAGE, T_LANGUAGE, 0 },
	{ E_ATOM_ENTRY, E_MEDIA_CONTENT, T_MEDIA_CONTENT, 0 },
	{ E_ATOM_ENTRY, E_MEDIA_THUMBNAIL, T_MEDIA_THUMBNAIL, 0 },
	{ E_ATOM_ENTRY, E_MEDIA_GROUP, T_CONTAINER, 0 },
	{ E_ATOM_ENTRY, E_ATOM_SOURCE, T_SOURCE_CONTAINER, 0 },
	{ E_ATOM_AUTHOR, E_ATOM_NAME, T_AUTHOR_NAME, 0 },
	{ E_ATOM_AUTHOR, E_ATOM_EMAIL, T_AUTHOR_EMAIL, 0 },
	{ E_ATOM_AUTHOR, E_ATOM_URI, T_AUTHOR_URI, 0 },
	{ E_ATOM_CONTRIBUTOR, E_ATOM_NAME, T_AUTHOR_NAME, 0 },
	{ E_ATOM_CONTRIBUTOR, E_ATOM_EMAIL, T_AUTHOR_EMAIL, 0 },
	{ E_ATOM_CONTRIBUTOR, E_ATOM_URI, T_AUTHOR_URI, 0 },
	/* RFC 4287 §4.2.11: the entry's source feed */
	{ E_ATOM_SOURCE, E_ATOM_ID, T_SOURCE_ID, 0 },
	{ E_ATOM_SOURCE, E_ATOM_TITLE, T_SOURCE_TITLE, TC },
	{ E_ATOM_SOURCE, E_ATOM_LINK, T_SOURCE_LINK, 0 },
	{ E_ATOM_SOURCE, E_ATOM_UPDATED, T_SOURCE_UPDATED, 0 },
	/* polling hints of the channel (parse_hints.c) */
	{ E_CHANNEL, E_TTL, T_FEED_TTL, 0 },
	{ E_CHANNEL, E_SKIPHOURS, T_CONTAINER, 0 },
	{ E_SKIPHOURS, E_HOUR, T_FEED_SKIP_HOUR, 0 },
	{ E_CHANNEL, E_SKIPDAYS, T_CONTAINER, 0 },
	{ E_SKIPDAYS, E_DAY, T_FEED_SKIP_DAY, 0 },
	{ E_CHANNEL, E_SY_UPDATEPERIOD, T_FEED_UPDATE_PERIOD, 0 },
	{ E_CHANNEL, E_SY_UPDATEFREQUENCY, T_FEED_UPDATE_FREQUENCY, 0 },
	{ E_ATOM_FEED, E_SY_UPDATEPERIOD, T_FEED_UPDATE_PERIOD, 0 },
	{ E_ATOM_FEED, E_SY_UPDATEFREQUENCY, T_FEED_UPDATE_FREQUENCY, 0 },
};

/*
 * Both lookups run for every element of every document, so the tables
 * above are indexed once, on first use: elements[] by a hash of (ns,
 * name), rules[] by (parent, elem).  The daemon has one thread.
 */
#define ELEM_SLOTS 256	/* a power of two, over twice elements[]'s size */

_Static_assert(sizeof elements / sizeof elements[0] * 2 < ELEM_SLOTS,
	       "elements[] outgrew ELEM_SLOTS");

static short elem_slots[ELEM_SLOTS];	/* index + 1 into elements[], 0 empty */
static const struct rule *rule_index[E_COUNT][E_COUNT];
static int indexes_built;

static unsigned elem_hash(enum ns ns, const char *name)
{
	unsigned h = 2166136261u ^ (unsigned)ns;	/* FNV-1a */

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h & (ELEM_SLOTS - 1);
}

static void build_indexes(void)
{
	size_t i, n = sizeof rules / sizeof rules[0];
	unsigned h;

	for (i = 0; i < sizeof elements / sizeof elements[0]; i++) {
		h = elem_hash(elements[i].ns, elements[i].name);
		while (elem_slots[h])
			h = (h + 1) & (ELEM_SLOTS - 1);
		elem_slots[h] = (short)(i + 1);
	}
	for (i = n; i-- > 0;)	/* the first of two rules for a pair wins */
		rule_index[rules[i].parent][rules[i].elem] = &rules[i];
	indexes_built = 1;
}

enum elem parse_feed_classify(const xmlChar *uri, const xmlChar *local)
{
	enum ns ns = uri == NULL ? NS_RSS : NS_UNKNOWN;
	size_t i;
	unsigned h;
	int k;

	if (!indexes_built)
		build_indexes();
	for (i = 0; ns == NS_UNKNOWN && i < sizeof namespaces / sizeof namespaces[0]; i++)
		if (strcmp((const char *)uri, namespaces[i].uri) == 0)
			ns = namespaces[i].ns;
	if (ns == NS_UNKNOWN)
		return E_OTHER;
	for (h = elem_hash(ns, (const char *)local); (k = elem_slots[h]) != 0;
	     h = (h + 1) & (ELEM_SLOTS - 1))
		if (elements[k - 1].ns == ns &&
		    strcmp((const char *)local, elements[k - 1].name) == 0)
			return elements[k - 1].elem;
	return E_OTHER;
}

const struct rule *parse_feed_rule(enum elem parent, enum elem elem)
{
	if (!indexes_built)
		build_indexes();
	return rule_index[parent][elem];
}

int parse_feed_root(struct parser *p, enum elem elem, const xmlChar *local)
{
	if (elem == E_RSS || elem == E_RDF) {
		p->format = PARSE_FORMAT_RSS;
		return 0;
	}
	if (elem == E_ATOM_FEED) {
		p->format = PARSE_FORMAT_ATOM;
		return 0;
	}
	if (strcmp((const char *)local, "feed") == 0 ||
	    strcmp((const char *)local, "rss") == 0 ||
	    strcmp((const char *)local, "RDF") == 0) {
		parse_fail(p, "not a feed: <%.16s> in an unknown namespace",
			   (const char *)local);
		return -1;
	}
	if (strcasecmp((const char *)local, "html") == 0) {
		/* keep reading the page for its feed links (parse_discover.c) */
		p->html_links = 1;
		xmlStopParser(p->ctxt);
		return -1;
	}
	parse_fail(p, "not a feed: root element <%.64s>", (const char *)local);
	return -1;
}


void parse_feed_start(struct parser *p, const struct rule *r,
		      const xmlChar **attrs, int n_attrs)
{
	parse_fields_start(p, r, attrs, n_attrs);
}

void parse_feed_end(struct parser *p, const struct rule *r)
{
	char *text;

	if (r->target == T_ENTRY) {
		if (p->in_entry && p->depth == p->entry_depth)
			parse_fields_entry_end(p);
		return;
	}
	if (r->target == T_PERSON || r->target == T_SOURCE_CONTAINER) {
		parse_fields_end_container(p, r);
		return;
	}
	if (!p->cap.active || p->cap.rule != r || p->cap.depth != p->depth)
		return;
	text = parse_text_clean(p->cap.text.data ? p->cap.text.data : "",
				p->cap.text.len);
	parse_fields_apply(p, r->target, text);
	free(text);
}

void parse_feed_cut_entry(struct parser *p)
{
	int depth = p->depth;

	if (p->cap.active) {
		p->depth = p->cap.depth;	/* for the field's xml:base */
		parse_feed_end(p, p->cap.rule);
		p->cap.active = 0;
		p->depth = depth;
	}
	parse_fields_entry_end(p);
	parse_note_repair(p, "unclosed elements closed");
}
