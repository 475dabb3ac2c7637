/*
 * parse.h — a push parser for every feed format: RSS 0.90-2.0, RSS 1.0
 * (RDF), Atom 0.3 and 1.0, and JSON Feed 1.0/1.1 (recognized by content).
 *
 * Bytes go in as they arrive (parse_push), entries come out through a
 * callback as soon as each is complete.  Built on libxml2's SAX2 push
 * parser with external entities, DTD loading and network access refused
 * (PITFALLS.md), element nesting and each field's size capped.
 */
#ifndef FEEDMUX_PARSE_H
#define FEEDMUX_PARSE_H

#include <stddef.h>
#include "entry.h"

#define PARSE_MAX_DEPTH 256
#define PARSE_MAX_FIELD_BYTES (1024 * 1024)	/* longer text is truncated */

enum parse_format {
	PARSE_FORMAT_UNKNOWN = 0,
	PARSE_FORMAT_RSS,
	PARSE_FORMAT_ATOM,
	PARSE_FORMAT_JSON,
};

struct parser;

/*
 * Called once per complete entry.  e is borrowed until the callback
 * returns; take the strings you keep (set them to NULL in e) or copy them.
 */
typedef void (*parse_entry_cb)(void *ctx, struct entry *e);

/*
 * base_url: the feed's URL, the base for relative links.  Returns a
 * parser the caller frees with parse_free().
 */
struct parser *parse_create(const char *base_url, parse_entry_cb on_entry,
			    void *ctx);

/* Feeds the next chunk.  Returns 0, or -1 once the document is hopeless
 * (then parse_finish reports why). */
int parse_push(struct parser *p, const char *data, size_t len);

/*
 * Ends the document.  Returns 0 and fills meta (caller clears it with
 * feed_meta_clear; it is emptied on -1 too) when the document was a feed,
 * else -1 with a message in err: "not a feed: HTML page", "not a feed:
 * root element <foo>", "not XML: ... (line N)", "nesting too deep".
 * A feed with no entries is fine.  An entry still open at the end of a
 * truncated document is not emitted.
 */
int parse_finish(struct parser *p, struct feed_meta *meta, char *err,
		 size_t errlen);

/*
 * The charset parameter of the HTTP Content-Type (RFC 7303 §3.2), before
 * the first parse_push; NULL or "" for none.  A BOM still wins over it,
 * and it wins over the XML declaration.
 */
void parse_set_charset(struct parser *p, const char *charset);

enum parse_format parse_format(const struct parser *p);
size_t parse_entry_count(const struct parser *p);	/* entries emitted */

/*
 * Nonzero when the document was not well-formed and libxml2 recovered
 * (XML_PARSE_RECOVER), or when entities were refused or left undefined:
 * the entries are still delivered, but the feed deserves a warning.
 */
int parse_repaired(const struct parser *p);
/* What was repaired, for the feed's status ("xmlParseEntityRef: no
 * name", "stray '&' escaped", "text was not UTF-8 as declared; read
 * as GB18030"); "" when nothing was.  Borrowed from p. */
const char *parse_repair_reason(const struct parser *p);

void parse_free(struct parser *p);

#endif
