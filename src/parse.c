/*
 * parse.c — the libxml2 SAX2 push parser under parse.h.
 *
 * Bytes are pushed as they arrive, through parse_repair.c's escaper of
 * stray '&' and '<', into libxml2; SAX callbacks track element depth,
 * xml:base and the text of the field being read, and hand each element
 * to the dialect rules in parse_feed.c.  PITFALLS.md's rules: no
 * external entity is ever loaded (here and in parse_entity.c), no
 * XML_PARSE_NOENT / DTDLOAD / HUGE, nesting and field sizes capped.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parserInternals.h>

#include "parse_int.h"

/* ---- failures and libxml2 errors ---- */

void parse_fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->failed) {
		va_start(ap, fmt);
		vsnprintf(p->err, sizeof p->err, fmt, ap);
		va_end(ap);
		p->failed = 1;
	}
	if (p->ctxt)
		xmlStopParser(p->ctxt);
}

/*
 * libxml2 ends its messages with "\n", and a note may put text after the
 * message ("... (line 3)"): a reason goes to one log line, /healthz and
 * the status page, so each run of whitespace holding a line break or
 * other control becomes one space, and trailing whitespace goes.
 */
static void one_line(char *s)
{
	const char *in = s;
	char *out = s;
	size_t run;

	while (*in) {
		run = strspn(in, " \t\r\n\v\f");
		if (run == 0) {
			*out++ = *in++;
		} else if (strcspn(in, "\t\r\n\v\f") < run) {
			*out++ = ' ';
			in += run;
		} else {
			memmove(out, in, run);
			out += run;
			in += run;
		}
	}
	while (out > s && out[-1] == ' ')
		out--;
	*out = '\0';
}

/* Structured errors of this document's parser (userData is p). */
static void on_error(void *ctx, xmlErrorPtr error)
{
	struct parser *p = ctx;

	if (error->level < XML_ERR_ERROR)
		return;
	p->repaired = 1;
	if (p->first_error[0])
		return;
	parse_note_repair(p, "not well-formed: %s (line %d)",
			  error->message ? error->message : "unknown error",
			  error->line);
	snprintf(p->first_error, sizeof p->first_error, "%s",
		 error->message ? error->message : "unknown error");
	one_line(p->first_error);
	p->first_error_line = error->line;
}

void parse_note_repair(struct parser *p, const char *fmt, ...)
{
	size_t len = strlen(p->notes);
	va_list ap;
	int i;

	p->repaired = 1;
	for (i = 0; i < p->n_note_kinds; i++)
		if (p->note_kinds[i] == fmt)
			return;
	if (p->n_note_kinds == PARSE_MAX_NOTE_KINDS)
		return;
	p->note_kinds[p->n_note_kinds++] = fmt;
	if (len > 0 && len + 2 < sizeof p->notes) {
		memcpy(p->notes + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(p->notes + len, sizeof p->notes - len, fmt, ap);
	va_end(ap);
	one_line(p->notes + len);
}

/*
 * libxml2 2.9.14's xmlParseReference() drops every entity reference,
 * &amp; included, once ctxt->wellFormed is 0, so in recovery mode one
 * early error would eat every later "&amp;".  The error is already
 * recorded (parse_repaired), so we clear the flag as the parse goes on.
 */
void parse_keep_recovering(struct parser *p)
{
	if (p->ctxt && p->ctxt->recovery && !p->ctxt->wellFormed)
		p->ctxt->wellFormed = 1;
}

/* Refuses every external entity, DTD and XInclude load, process-wide
 * (PITFALLS.md: XML_PARSE_NONET does not stop file://). */
static xmlParserInputPtr refuse_external(const char *url, const char *id,
					 xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

static void init_once(void)
{
	static int done;

	if (done)
		return;
	xmlInitParser();
	xmlSetExternalEntityLoader(refuse_external);
	done = 1;
}

/* ---- the public interface ---- */

struct parser *parse_create(const char *base_url, parse_entry_cb on_entry,
			    void *ctx)
{
	struct parser *p = xcalloc(1, sizeof *p);

	init_once();
	p->feed_url = xstrdup(base_url);
	p->frames[0].base = p->feed_url;
	p->frames[0].elem = E_NONE;
	p->on_entry = on_entry;
	p->cb_ctx = ctx;
	entry_clear(&p->entry);
	feed_meta_clear(&p->meta);
	p->meta_pubdate = p->dc_date = ENTRY_NO_DATE;

	p->sax.initialized = XML_SAX2_MAGIC;
	parse_sax_init(&p->sax);
	p->sax.getEntity = parse_entity_get;
	p->sax.entityDecl = parse_entity_decl;
	p->sax.serror = on_error;
	/* externalSubset, resolveEntity, getParameterEntity stay NULL:
	 * no DTD is ever read. */
	return p;
}

/* Creates the push context on the first bytes (at least PARSE_HEAD_BYTES
 * unless the document is shorter).  Never XML_PARSE_NOENT,
 * XML_PARSE_DTDLOAD or XML_PARSE_HUGE. */
static int start_context(struct parser *p, const char *chunk, size_t len)
{
	p->ctxt = xmlCreatePushParserCtxt(&p->sax, p, chunk, (int)len, NULL);
	if (p->ctxt == NULL) {
		parse_fail(p, "not XML: cannot create parser");
		return -1;
	}
	xmlCtxtUseOptions(p->ctxt, XML_PARSE_NONET | XML_PARSE_RECOVER |
			  XML_PARSE_IGNORE_ENC);
	return 0;
}

static void parse_chunks(struct parser *p, const char *data, size_t len,
			 int terminate)
{
	size_t n;

	/* in slices that fit xmlParseChunk's int length */
	while (len > 0 && !p->failed && p->ctxt->instate != XML_PARSER_EOF) {
		n = len > (1u << 30) ? (1u << 30) : len;
		xmlParseChunk(p->ctxt, data, (int)n, 0);
		data += n;
		len -= n;
	}
	if (terminate && !p->failed)
		xmlParseChunk(p->ctxt, NULL, 0, 1);
}

/* Repaired bytes go to libxml2, through p->pending until there are
 * enough of them for its encoding detection. */
static void feed_xml(struct parser *p, const char *data, size_t len,
		     int terminate)
{
	if (p->ctxt == NULL) {
		buf_append(&p->pending, data, len);
		if (p->pending.len < PARSE_HEAD_BYTES && !terminate)
			return;
		if (p->pending.len == 0 ||
		    start_context(p, p->pending.data, PARSE_HEAD_BYTES <
				  p->pending.len ? PARSE_HEAD_BYTES :
				  p->pending.len) < 0) {
			buf_free(&p->pending);
			return;
		}
		if (p->pending.len > PARSE_HEAD_BYTES)
			parse_chunks(p, p->pending.data + PARSE_HEAD_BYTES,
				     p->pending.len - PARSE_HEAD_BYTES, terminate);
		else if (terminate && !p->failed)
			xmlParseChunk(p->ctxt, NULL, 0, 1);
		buf_free(&p->pending);
		return;
	}
	parse_chunks(p, data, len, terminate);
}

static void feed_repair(struct parser *p, const char *data, size_t len,
			int final)
{
	struct buf *out = &p->repaired_chunk;

	buf_reset(out);
	parse_repair_push(&p->repair, data, len, final, out);
	if (out->len > 0 || final)
		feed_xml(p, out->data ? out->data : "", out->len, final);
}

/* The repair filter works on ASCII-compatible bytes only: not on UTF-16,
 * UTF-32 or EBCDIC (XML 1.0 Appendix F.1 autodetection). */
static void decide_repair(struct parser *p)
{
	const unsigned char *h = (const unsigned char *)p->head;

	p->head_done = 1;
	if (p->head_len >= 2 &&
	    ((h[0] == 0xFE && h[1] == 0xFF) || (h[0] == 0xFF && h[1] == 0xFE) ||
	     h[0] == 0 || h[1] == 0 || (h[0] == 0x4C && h[1] == 0x6F)))
		p->repair.off = 1;
	feed_repair(p, p->head, p->head_len, 0);
}

static void sniff_keep(struct parser *p, const char *data, size_t len)
{
	size_t n = sizeof p->sniff - p->sniff_len;

	if (len < n)
		n = len;
	memcpy(p->sniff + p->sniff_len, data, n);
	p->sniff_len += n;
}

/* An HTML page is kept (its start) to find the feeds it advertises. */
static void html_keep(struct parser *p, const char *data, size_t len)
{
	size_t room = PARSE_MAX_HTML_BYTES - p->html_page.len;

	if (p->root_seen && !p->html_links) {
		buf_free(&p->html_page);
		return;
	}
	buf_append(&p->html_page, data, len < room ? len : room);
}

/* JSON Feed is recognized by its content (JSON Feed 1.1: an object),
 * never by URL or Content-Type: the first byte that is not blank or a
 * UTF-8 BOM is '{'.  Until then the bytes wait in json_doc.  Returns 1
 * while undecided, 0 once decided. */
static int decide_json(struct parser *p, const char *data, size_t len)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)data[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if ((c == 0xEF || c == 0xBB || c == 0xBF) &&
		    p->json_doc.len + i < 3)
			continue;
		p->decided = 1;
		p->is_json = c == '{';
		return 0;
	}
	return 1;
}

static int push_xml(struct parser *p, const char *data, size_t len);
static int sniff_html(const struct parser *p);

static int push_undecided(struct parser *p, const char *data, size_t len)
{
	struct buf held;

	if (decide_json(p, data, len)) {
		buf_append(&p->json_doc, data, len);
		return 0;
	}
	if (p->is_json) {
		buf_append(&p->json_doc, data, len);
		return 0;
	}
	held = p->json_doc;	/* the blanks before an XML document */
	memset(&p->json_doc, 0, sizeof p->json_doc);
	if (held.len && push_xml(p, held.data, held.len) < 0) {
		buf_free(&held);
		return -1;
	}
	buf_free(&held);
	return push_xml(p, data, len);
}

int parse_push(struct parser *p, const char *data, size_t len)
{
	if (p->failed || p->finished)
		return -1;
	if (!p->decided)
		return push_undecided(p, data, len);
	if (p->is_json) {
		if (p->json_doc.len + len > PARSE_MAX_JSON_BYTES) {
			parse_fail(p, "JSON Feed larger than %d bytes",
				   PARSE_MAX_JSON_BYTES);
			return -1;
		}
		buf_append(&p->json_doc, data, len);
		return 0;
	}
	return push_xml(p, data, len);
}

static int push_utf8(struct parser *p, const char *data, size_t len);

/* XML in any encoding becomes UTF-8 first (charset.c); libxml2 is told
 * to ignore the declaration (XML_PARSE_IGNORE_ENC). */
/*
 * U+0000 is not an XML Char (XML 1.0 §2.2) and libxml2 stops at the first
 * one, losing every entry after it; a NUL in a feed is junk (a padded
 * file, a C string bug), so it is dropped and counted for the repair
 * note.  After charset.c every 0 byte is a U+0000.
 */
static void drop_nuls(struct parser *p, struct buf *utf8)
{
	size_t i, kept = 0;

	if (utf8->len == 0 || !memchr(utf8->data, '\0', utf8->len))
		return;
	for (i = 0; i < utf8->len; i++)
		if (utf8->data[i] != '\0')
			utf8->data[kept++] = utf8->data[i];
	p->nul_bytes += utf8->len - kept;
	utf8->len = kept;
	utf8->data[kept] = '\0';
}

static int push_xml(struct parser *p, const char *data, size_t len)
{
	struct buf *utf8 = &p->utf8_chunk;

	if (p->charset == NULL)
		p->charset = charset_create(p->http_charset);
	buf_reset(utf8);
	charset_push(p->charset, data, len, 0, utf8);
	drop_nuls(p, utf8);
	return utf8->len > 0 ? push_utf8(p, utf8->data, utf8->len) : 0;
}

static int push_utf8(struct parser *p, const char *data, size_t len)
{
	size_t n;

	sniff_keep(p, data, len);
	html_keep(p, data, len);
	if (!p->head_done) {
		n = sizeof p->head - p->head_len;
		if (len < n)
			n = len;
		memcpy(p->head + p->head_len, data, n);
		p->head_len += n;
		data += n;
		len -= n;
		if (p->head_len < sizeof p->head)
			return 0;
		decide_repair(p);
	}
	if (len > 0 && !p->failed)
		feed_repair(p, data, len, 0);
	if (p->failed)
		return -1;
	if (p->ctxt && !p->root_seen && p->ctxt->instate == XML_PARSER_EOF) {
		if (!sniff_html(p))
			return -1;	/* hopeless, and not a page */
		p->html_links = 1;	/* libxml2 gave up on an HTML page */
	}
	if (p->html_links)	/* enough of the page to find its links */
		return p->html_page.len >= PARSE_MAX_HTML_BYTES ? -1 : 0;
	return 0;
}

/* Is the start of the body an HTML page that libxml2 could not read? */
static int sniff_html(const struct parser *p)
{
	char lower[PARSE_SNIFF_BYTES + 1];
	size_t i;

	for (i = 0; i < p->sniff_len; i++)
		lower[i] = (char)tolower((unsigned char)p->sniff[i]);
	lower[i] = '\0';
	return strstr(lower, "<!doctype html") || strstr(lower, "<html");
}

static int finish_error(struct parser *p)
{
	if (p->failed)
		return -1;
	if (p->html_links || (!p->root_seen && sniff_html(p))) {
		parse_discover_fail(p, p->html_page.data, p->html_page.len);
		return -1;
	}
	if (!p->root_seen) {
		if (p->first_error[0])
			parse_fail(p, "not XML: %s (line %d)", p->first_error,
				   p->first_error_line);
		else
			parse_fail(p, "not XML: empty document");
		return -1;
	}
	return 0;
}

/* The bytes charset.c still held (all of a short document). */
static void flush_charset(struct parser *p)
{
	struct buf utf8 = {0};

	charset_push(p->charset, "", 0, 1, &utf8);
	drop_nuls(p, &utf8);
	if (utf8.len > 0)
		push_utf8(p, utf8.data, utf8.len);
	buf_free(&utf8);
	if (*charset_note(p->charset) || charset_replaced(p->charset))
		p->repaired = 1;
	if (p->nul_bytes)
		parse_note_repair(p, "%zu NUL byte%s removed", p->nul_bytes,
				  p->nul_bytes == 1 ? "" : "s");
}

int parse_finish(struct parser *p, struct feed_meta *meta, char *err,
		 size_t errlen)
{
	memset(meta, 0, sizeof *meta);
	feed_meta_clear(meta);
	if (!p->finished && !p->decided)
		p->decided = 1;	/* only blanks: an empty XML document */
	if (!p->finished && p->is_json) {
		p->finished = 1;
		if (!p->failed)
			parse_json_document(p);
		buf_free(&p->json_doc);
		if (p->failed) {
			if (errlen > 0)
				snprintf(err, errlen, "%s", p->err);
			return -1;
		}
		*meta = p->meta;
		memset(&p->meta, 0, sizeof p->meta);
		feed_meta_clear(&p->meta);
		return 0;
	}
	if (!p->finished && p->charset && !p->failed)
		flush_charset(p);
	if (!p->finished) {
		if (!p->head_done && !p->failed)
			decide_repair(p);
		if (!p->failed)
			feed_repair(p, "", 0, 1);
		p->finished = 1;
		if (p->repair.quoted)
			parse_note_repair(p, "unquoted attribute values quoted");
		if (p->repair.changed)
			parse_note_repair(p, "stray '&' or '<' escaped");
	}
	if (finish_error(p) < 0) {
		if (errlen > 0)
			snprintf(err, errlen, "%s", p->err);
		return -1;
	}
	if (p->in_entry || p->depth > 0)	/* the open entry is dropped */
		parse_note_repair(p, "document ended inside an element");
	*meta = p->meta;
	if (meta->updated == ENTRY_NO_DATE)
		meta->updated = p->meta_pubdate;
	memset(&p->meta, 0, sizeof p->meta);
	feed_meta_clear(&p->meta);
	return 0;
}

enum parse_format parse_format(const struct parser *p)
{
	return p->format;
}

size_t parse_entry_count(const struct parser *p)
{
	return p->n_entries;
}

int parse_repaired(const struct parser *p)
{
	return p->repaired;
}

void parse_set_charset(struct parser *p, const char *charset)
{
	free(p->http_charset);
	p->http_charset = charset && *charset ? xstrdup(charset) : NULL;
}

const char *parse_repair_reason(const struct parser *p)
{
	struct parser *q = (struct parser *)p;	/* reason is a cache */
	const char *sep = "";

	q->reason[0] = '\0';
	if (!p->repaired)
		return "";
	if (p->charset && *charset_note(p->charset)) {
		snprintf(q->reason, sizeof q->reason, "%s",
			 charset_note(p->charset));
		sep = "; ";
	}
	if (p->charset && charset_replaced(p->charset)) {
		size_t len = strlen(q->reason);

		snprintf(q->reason + len, sizeof q->reason - len,
			 "%sbytes that are not %s replaced by U+FFFD", sep,
			 charset_name(p->charset));
		sep = "; ";
	}
	if (p->notes[0]) {
		size_t len = strlen(q->reason);

		snprintf(q->reason + len, sizeof q->reason - len, "%s%s", sep,
			 p->notes);
	}
	if (!q->reason[0])
		snprintf(q->reason, sizeof q->reason,
			 "the document was not well-formed");
	return p->reason;
}

void parse_free(struct parser *p)
{
	if (p == NULL)
		return;
	if (p->ctxt) {
		/* libxml2 keeps declared entities in a document of its own
		 * ("SAX compatibility mode") that the context does not free */
		if (p->ctxt->myDoc)
			xmlFreeDoc(p->ctxt->myDoc);
		xmlFreeParserCtxt(p->ctxt);
	}
	buf_free(&p->pending);
	buf_free(&p->utf8_chunk);
	buf_free(&p->repaired_chunk);
	for (; p->depth > 0; p->depth--)
		parse_frame_clear(&p->frames[p->depth]);
	parse_entity_free(p);
	parse_fields_free(p);
	charset_free(p->charset);
	free(p->http_charset);
	buf_free(&p->json_doc);
	buf_free(&p->html_page);
	buf_free(&p->cap.text);
	entry_clear(&p->entry);
	free(p->guid_link);
	feed_meta_clear(&p->meta);
	free(p->feed_author);
	free(p->feed_url);
	free(p);
}
