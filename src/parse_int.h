/*
 * parse_int.h — what the parser's files share: parse.c (the libxml2 SAX
 * driver: nesting, xml:base, text capture), parse_entity.c (entities and
 * attribute values), parse_feed.c (the dialects: which element means what
 * in RSS, RDF and Atom), parse_fields.c (how a field's text becomes part
 * of struct entry / feed_meta), parse_json.c (JSON Feed), parse_repair.c
 * (stray '&' and '<') and parse_text.c (UTF-8 repair, HTML entities,
 * whitespace).  Not a public
 * interface; only the parser includes it.
 */
#ifndef FEEDMUX_PARSE_INT_H
#define FEEDMUX_PARSE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/parser.h>

#include "buf.h"
#include "charset.h"
#include "entry.h"
#include "parse.h"

#define PARSE_MAX_CATEGORIES 64	/* per entry; more are dropped */
#define PARSE_MAX_ENTITIES 256	/* distinct entity names per document */
#define PARSE_MAX_ENTITY_BYTES 1024	/* longer declared entities expand to "" */
#define PARSE_SNIFF_BYTES 512	/* kept to recognize HTML that is not XML */
#define PARSE_HEAD_BYTES 4	/* libxml2 needs 4 bytes to guess the encoding */
#define PARSE_MAX_HTML_BYTES (256 * 1024)	/* of a page, to find its feeds */
#define PARSE_MAX_JSON_BYTES (64 * 1024 * 1024)	/* a JSON Feed is read whole */

/* Elements the dialects know, whatever their namespace prefix. */
enum elem {
	E_NONE = 0,	/* above the root */
	E_OTHER,	/* anything we skip, with its whole subtree */
	E_RSS, E_RDF, E_CHANNEL, E_ITEM,
	E_TITLE, E_LINK, E_GUID, E_PUBDATE, E_LASTBUILDDATE, E_DESCRIPTION,
	E_AUTHOR, E_CATEGORY,
	E_DC_DATE, E_DC_CREATOR, E_DC_SUBJECT, E_DCTERMS_MODIFIED,
	E_CONTENT_ENCODED,
	E_ATOM_FEED, E_ATOM_ENTRY, E_ATOM_TITLE, E_ATOM_LINK, E_ATOM_ID,
	E_ATOM_PUBLISHED, E_ATOM_UPDATED, E_ATOM_SUMMARY, E_ATOM_CONTENT,
	E_ATOM_AUTHOR, E_ATOM_NAME, E_ATOM_EMAIL, E_ATOM_CATEGORY,
	/* issue 3: the rest of RSS 2.0, the modules, Atom 1.0 and 0.3 */
	E_ENCLOSURE, E_COMMENTS, E_SOURCE, E_LANGUAGE, E_IMAGE, E_URL,
	E_DC_LANGUAGE, E_DC_CONTRIBUTOR, E_DCTERMS_CREATED, E_DCTERMS_ISSUED,
	E_ITUNES_AUTHOR, E_MEDIA_CONTENT, E_MEDIA_THUMBNAIL, E_MEDIA_GROUP,
	E_XHTML_BODY, E_ATOM_CONTRIBUTOR, E_ATOM_URI, E_ATOM_SOURCE,
	E_ATOM_SUBTITLE, E_ATOM_ICON, E_ATOM_LOGO, E_ATOM03_CREATED,
	/* issue 4: polling hints */
	E_TTL, E_SKIPHOURS, E_HOUR, E_SKIPDAYS, E_DAY,
	E_SY_UPDATEPERIOD, E_SY_UPDATEFREQUENCY,
	E_COUNT		/* the number of the above, not an element */
};

/* What an element is for, where it stands (see the rules in parse_feed.c). */
enum target {
	T_CONTAINER,	/* structure only */
	T_ENTRY,	/* RSS item / Atom entry */
	T_TITLE, T_LINK, T_GUID, T_PUBLISHED, T_DC_DATE, T_UPDATED,
	T_SUMMARY, T_CONTENT, T_AUTHOR, T_CREATOR, T_CATEGORY,
	T_ATOM_LINK, T_ATOM_CATEGORY, T_AUTHOR_NAME, T_AUTHOR_EMAIL,
	T_FEED_TITLE, T_FEED_LINK, T_FEED_ATOM_LINK, T_FEED_ID,
	T_FEED_UPDATED, T_FEED_PUBDATE,
	T_PERSON,	/* Atom author/contributor: name, email, uri inside */
	T_AUTHOR_URI, T_CONTRIBUTOR, T_ENCLOSURE, T_MEDIA_CONTENT,
	T_MEDIA_THUMBNAIL, T_COMMENTS, T_LANGUAGE, T_SOURCE, T_SOURCE_CONTAINER,
	T_SOURCE_ID, T_SOURCE_TITLE, T_SOURCE_LINK, T_SOURCE_UPDATED,
	T_FEED_LANGUAGE, T_FEED_SUBTITLE, T_FEED_ICON, T_FEED_LOGO,
	T_FEED_TTL, T_FEED_SKIP_HOUR, T_FEED_SKIP_DAY, T_FEED_UPDATE_PERIOD,
	T_FEED_UPDATE_FREQUENCY,	/* parse_hints.c */
};

#define RULE_TEXT_CONSTRUCT 1u	/* Atom type="text|html|xhtml" (RFC 4287 §3.1) */
#define RULE_CONTRIBUTOR 2u	/* a T_PERSON that is a contributor */
#define RULE_XHTML 4u	/* inline XHTML (xhtml:body) */

struct rule {
	enum elem parent;
	enum elem elem;
	enum target target;
	unsigned flags;
};

/* How character data and child elements of a captured field are kept. */
enum capture_mode {
	CAPTURE_TEXT,	/* character data only (text content) */
	CAPTURE_MARKUP,	/* character data as is, child elements serialized */
	CAPTURE_XHTML,	/* character data escaped, children of the div serialized */
};

enum text_type { TEXT_PLAIN, TEXT_HTML, TEXT_XHTML };

struct capture {
	int active;
	int depth;	/* of the captured element */
	int div_depth;	/* the xhtml wrapper div we skip, 0 if none */
	enum capture_mode mode;
	enum text_type type;
	const struct rule *rule;
	struct buf text;	/* owned, at most PARSE_MAX_FIELD_BYTES */
	int truncated;
};

struct frame {
	enum elem elem;
	const struct rule *rule;	/* NULL when the element is skipped */
	const char *base;	/* xml:base in force; owned when own_base */
	int own_base;
	const char *lang;	/* xml:lang in force; owned when own_lang */
	int own_lang;
};

/* The stray '&' / '<' escaper in front of libxml2 (parse_repair.c). */
struct parse_repair {
	int off;	/* not for ASCII-incompatible encodings (UTF-16...) */
	int state;
	int quote;	/* the open quote in a tag or DOCTYPE, or 0 */
	int after_eq;	/* in a tag, after an attribute's '=' */
	int unquoted;	/* in an unquoted attribute value we quote */
	int brackets;	/* '[' depth in a DOCTYPE */
	int changed;	/* something was escaped */
	int quoted;	/* an unquoted attribute value was quoted */
	char carry[48];	/* undecided bytes waiting for the next chunk */
	size_t carry_len;
};

/* A declared, HTML or unknown entity as we let libxml2 see it. */
struct parse_entity {
	char *name;	/* owned */
	char *value;	/* owned: the replacement text, or "&name;" */
	xmlEntity text_ent;	/* inlined into character data */
	xmlEntity attr_ent;	/* left as "&name;" in attribute values */
};

#define PARSE_MAX_NOTE_KINDS 12

struct parser {
	xmlParserCtxtPtr ctxt;	/* owned; NULL until PARSE_HEAD_BYTES arrive */
	xmlSAXHandler sax;
	char head[PARSE_HEAD_BYTES];	/* raw bytes until the encoding is known */
	size_t head_len;
	int head_done;
	struct parse_repair repair;
	struct buf pending;	/* repaired bytes until the context exists */
	/* Owned scratch buffers, reused from chunk to chunk (one allocation
	 * per document, not two per 64 KiB chunk): charset.c's UTF-8 out,
	 * parse_repair.c's repaired bytes. */
	struct buf utf8_chunk, repaired_chunk;
	char sniff[PARSE_SNIFF_BYTES];
	size_t sniff_len;

	char *feed_url;	/* owned */
	parse_entry_cb on_entry;
	void *cb_ctx;

	enum parse_format format;
	int depth;	/* of the current element; the root is 1 */
	struct frame frames[PARSE_MAX_DEPTH + 1];	/* [0]: the document */
	struct capture cap;

	int root_seen, failed, finished, repaired;
	char err[256];
	char first_error[160];
	int first_error_line;

	struct entry entry;	/* the entry being built */
	int in_entry, entry_depth;
	int author_rank;	/* 0 none, 1 an email, 2 a name */
	int64_t dc_date;
	int guid_permalink;	/* RSS guid: 0 no, 1 by default, 2 said so */
	char *guid_link;	/* owned: the guid as link, if it may be one */
	size_t n_entries;

	struct feed_meta meta;
	int64_t meta_pubdate;
	char *feed_author;	/* owned: Atom feed author (RFC 4287 §4.2.1) */
	int feed_author_rank;
	struct entry_person *feed_authors;	/* owned array */
	size_t n_feed_authors;
	int atom03;	/* Atom 0.3: text constructs have mode="" */
	int is_json;	/* JSON Feed: bytes go to json_doc, not libxml2 */
	struct buf json_doc;	/* owned: the whole JSON document */
	int decided;	/* the first non-blank byte was seen */
	int html_links;	/* an HTML page: keep more of it to find links */
	struct buf html_page;	/* owned: the page's start, for autodiscovery */

	char *http_charset;	/* owned: parse_set_charset(), or NULL */
	struct charset *charset;	/* owned: created on the first bytes */
	char reason[400];	/* parse_repair_reason() */
	size_t nul_bytes;	/* U+0000 dropped before libxml2 (parse.c) */
	/* What was repaired, in the order met: the first instance of each
	 * kind (parse_note_repair's format string), "; "-separated. */
	char notes[320];
	const char *note_kinds[PARSE_MAX_NOTE_KINDS];	/* static formats */
	int n_note_kinds;

	/* fields in progress (parse_fields.c) */
	struct entry_person person;	/* the Atom author being read */
	char *cat_scheme;	/* owned: RSS category domain */
	char *rdf_about;	/* owned: RSS 1.0 item rdf:about */
	int in_source;	/* inside Atom <source> */

	struct parse_entity *entities;	/* owned array */
	size_t n_entities;
};

/* parse.c */
void parse_fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void parse_keep_recovering(struct parser *p);
/*
 * Marks the document repaired and says why, once per kind: fmt (a string
 * literal) and its arguments are kept only the first time this fmt is
 * seen, so "undefined entity &%s;" names the first such entity.
 */
void parse_note_repair(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* parse_sax.c */
/* Sets SAX's element and text callbacks (the rest are parse.c's). */
void parse_sax_init(xmlSAXHandler *sax);
/* Starts capturing the text of the element rule r matched. */
void parse_capture_begin(struct parser *p, const struct rule *r,
			 enum capture_mode mode, enum text_type type);
/* Frees what a frame owns (its xml:base and xml:lang copies). */
void parse_frame_clear(struct frame *f);

/* parse_entity.c: SAX entityDecl and getEntity (ctx is the parser). */
void parse_entity_decl(void *ctx, const xmlChar *name, int type,
		       const xmlChar *public_id, const xmlChar *system_id,
		       xmlChar *content);
xmlEntityPtr parse_entity_get(void *ctx, const xmlChar *name);
void parse_entity_free(struct parser *p);
/* An attribute value as libxml2 hands it over, entities expanded and
 * UTF-8 repaired, in a string the caller frees. */
char *parse_attr_value(struct parser *p, const char *s, size_t len);
/* Returns the named attribute (uri NULL: no namespace), as
 * parse_attr_value() makes it; NULL when absent. */
char *parse_attr(struct parser *p, const xmlChar **attrs, int n_attrs,
		 const char *uri, const char *name);
/* Returns ref resolved against base (either may be NULL) with
 * xmlBuildURI, in a string the caller frees. */
char *parse_resolve(const char *ref, const char *base);

/* parse_fields.c */
void parse_fields_entry_begin(struct parser *p);
void parse_fields_entry_end(struct parser *p);
void parse_fields_apply(struct parser *p, enum target t, const char *text);
/* Takes value: stores it in an empty field, else frees it (the first
 * occurrence of a field wins). */
void parse_set_once(char **field, char *value);
/* Takes term: adds it to the entry with scheme and label (borrowed)
 * when it is not empty and the entry has room. */
void parse_add_category(struct parser *p, char *term, const char *scheme,
			const char *label);
/* parse_fields_start.c */
void parse_fields_start(struct parser *p, const struct rule *r,
			const xmlChar **attrs, int n_attrs);
/* parse_hints.c: a channel's polling hint into p->meta; 1 if t was one. */
int parse_hints_apply(struct parser *p, enum target t, const char *text);
void parse_fields_end_container(struct parser *p, const struct rule *r);
void parse_fields_free(struct parser *p);
const char *parse_current_base(const struct parser *p);
char *parse_url_value(const struct parser *p, const char *text);

/* parse_json.c: a whole JSON Feed document; returns -1 (after
 * parse_fail) when it is not one. */
int parse_json_document(struct parser *p);

/* parse_discover.c: "not a feed: HTML page", with the feeds the page
 * advertises (<link rel="alternate" type="application/rss+xml">). */
void parse_discover_fail(struct parser *p, const char *page, size_t len);

/* parse_feed.c */
enum elem parse_feed_classify(const xmlChar *uri, const xmlChar *local);
const struct rule *parse_feed_rule(enum elem parent, enum elem elem);
/* The root element decides the format; returns -1 (after parse_fail)
 * for a document that is not a feed. */
int parse_feed_root(struct parser *p, enum elem elem, const xmlChar *local);
void parse_feed_start(struct parser *p, const struct rule *r,
		      const xmlChar **attrs, int n_attrs);
/* Called at the end of a ruled element; the capture, if any, is still
 * active and complete. */
void parse_feed_end(struct parser *p, const struct rule *r);
/* Ends the open entry early (its field too), as a new one begins. */
void parse_feed_cut_entry(struct parser *p);

/* parse_repair.c: appends the repaired bytes of data to out; final
 * flushes what was held back. */
void parse_repair_push(struct parse_repair *r, const char *data, size_t len,
		       int final, struct buf *out);

/* parse_text.c — each returns a string the caller frees. */
/* Valid UTF-8 (bad sequences become U+FFFD) of XML 1.0 Chars only. */
char *parse_text_clean(const char *s, size_t len);
char *parse_text_trim(const char *s);
char *parse_text_collapse(const char *s);	/* blank runs -> one space */
char *parse_text_from_html(const char *s);	/* tags dropped, entities decoded */
char *parse_text_escape_html(const char *s);
/* HTML 4 named character references; the code point, or -1. */
long parse_text_html_entity(const char *name);
void parse_text_put_utf8(struct buf *b, unsigned long cp);
/* Decodes &#NN; and &#xHH; in an entity declaration's text; returns -1
 * if any other reference or markup remains (not a simple literal). */
int parse_text_literal(const char *s, struct buf *out);

#endif
