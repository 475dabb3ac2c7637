/*
 * parse_entity.c — entity references and attribute values, the parser's
 * answer to PITFALLS.md's entity attacks.
 *
 * libxml2 asks us (SAX getEntity) for every reference but the five
 * predefined ones.  Declared entities expand only when they are short
 * literals, HTML's named characters (&nbsp;, which RSS 0.91 takes from a
 * DTD we never load) from our table, anything else stays as written.
 * Nothing external is ever read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parserInternals.h>
#include <libxml/uri.h>

#include "parse_int.h"

static struct parse_entity *entity_find(struct parser *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n_entities; i++)
		if (strcmp(p->entities[i].name, name) == 0)
			return &p->entities[i];
	return NULL;
}

static void entity_fill(xmlEntity *ent, struct parse_entity *pe,
			xmlEntityType etype)
{
	memset(ent, 0, sizeof *ent);
	ent->type = XML_ENTITY_DECL;
	ent->name = (const xmlChar *)pe->name;
	ent->etype = etype;
	ent->content = (xmlChar *)pe->value;
	ent->orig = ent->content;	/* keeps libxml2 from storing its own */
	ent->length = (int)strlen(pe->value);
	ent->checked = 2;	/* "checked, no '<'": never re-parsed */
}

/*
 * Adds name with its replacement text.  Text entities are of the
 * predefined kind, which libxml2 inlines as character data without
 * parsing them; attribute entities are ordinary ones, which it leaves
 * as "&name;" for parse_attr() to expand (it would keep only the first
 * byte of a predefined one there).  The array is never reallocated, as
 * libxml2 holds pointers into it.
 */
static struct parse_entity *entity_add(struct parser *p, const char *name,
				       const char *value)
{
	struct parse_entity *pe;

	if (p->entities == NULL)
		p->entities = xcalloc(PARSE_MAX_ENTITIES, sizeof *p->entities);
	if (p->n_entities >= PARSE_MAX_ENTITIES)
		return NULL;
	pe = &p->entities[p->n_entities++];
	pe->name = xstrdup(name);
	pe->value = xstrdup(value);
	entity_fill(&pe->text_ent, pe, XML_INTERNAL_PREDEFINED_ENTITY);
	entity_fill(&pe->attr_ent, pe, XML_INTERNAL_GENERAL_ENTITY);
	return pe;
}

/*
 * <!ENTITY name "literal">: kept only when it is a short literal
 * (character references allowed).  Anything else -- external, longer
 * than PARSE_MAX_ENTITY_BYTES, or referring to other entities -- expands
 * to nothing: that is what stops billion laughs and quadratic blowup.
 */
void parse_entity_decl(void *ctx, const xmlChar *name, int type,
			   const xmlChar *public_id, const xmlChar *system_id,
			   xmlChar *content)
{
	struct parser *p = ctx;
	struct buf literal = {0};
	int ok;

	(void)public_id;
	(void)system_id;
	if (type == XML_INTERNAL_PARAMETER_ENTITY ||
	    type == XML_EXTERNAL_PARAMETER_ENTITY ||
	    entity_find(p, (const char *)name))
		return;	/* XML 1.0 §4.2: the first declaration binds */
	ok = type == XML_INTERNAL_GENERAL_ENTITY && content &&
	     strlen((const char *)content) <= PARSE_MAX_ENTITY_BYTES &&
	     parse_text_literal((const char *)content, &literal) == 0;
	if (!ok)
		parse_note_repair(p, "entity declaration &%s; refused "
				  "(only short literal ones are kept)",
				  (const char *)name);
	entity_add(p, (const char *)name, ok ? literal.data : "");
	buf_free(&literal);
}

/* Every reference but the five predefined ones comes here. */
xmlEntityPtr parse_entity_get(void *ctx, const xmlChar *name)
{
	struct parser *p = ctx;
	struct parse_entity *pe = entity_find(p, (const char *)name);
	struct buf value = {0};
	long cp;

	parse_keep_recovering(p);
	if (pe == NULL) {
		cp = parse_text_html_entity((const char *)name);
		if (cp >= 0) {
			parse_text_put_utf8(&value, (unsigned long)cp);
			/* declared by a DTD we do not load (RSS 0.91's), else
			 * not well-formed (XML 1.0 §4.1 WFC: Entity Declared) */
			if (p->ctxt && !p->ctxt->extSubURI &&
			    !p->ctxt->extSubSystem)
				parse_note_repair(p, "undeclared HTML entity "
						  "&%s; read as HTML",
						  (const char *)name);
		} else {
			buf_printf(&value, "&%s;", (const char *)name);
			parse_note_repair(p, "undefined entity &%s; kept as "
					  "written", (const char *)name);
		}
		pe = entity_add(p, (const char *)name, value.data);
		buf_free(&value);
		if (pe == NULL)
			return NULL;
	}
	if (p->ctxt && p->ctxt->instate == XML_PARSER_ATTRIBUTE_VALUE)
		return &pe->attr_ent;
	return &pe->text_ent;
}

/* ---- attributes and URLs ---- */

/*
 * libxml2 leaves "&#38;" for & and "&name;" for entities in attribute
 * values when it does not substitute entities; undo both. */
char *parse_attr_value(struct parser *p, const char *s, size_t len)
{
	struct buf b = {0};
	struct parse_entity *pe;
	const char *end = s + len, *semi, *amp;
	char name[64];
	char *clean;
	size_t n;

	while (s < end) {
		if (*s != '&') {	/* the run up to the next reference */
			amp = memchr(s, '&', (size_t)(end - s));
			n = amp ? (size_t)(amp - s) : (size_t)(end - s);
			buf_append(&b, s, n);
			s += n;
			continue;
		}
		if ((size_t)(end - s) >= 5 &&
		    memcmp(s, "&#38;", 5) == 0) {
			buf_append(&b, "&", 1);
			s += 5;
			continue;
		}
		semi = memchr(s, ';', (size_t)(end - s));
		n = semi ? (size_t)(semi - s - 1) : 0;
		if (n > 0 && n < sizeof name) {
			memcpy(name, s + 1, n);
			name[n] = '\0';
			if ((pe = entity_find(p, name)) != NULL) {
				buf_puts(&b, pe->value);
				s = semi + 1;
				continue;
			}
		}
		buf_append(&b, s++, 1);
	}
	clean = parse_text_clean(b.data ? b.data : "", b.len);
	buf_free(&b);
	return clean;
}

char *parse_attr(struct parser *p, const xmlChar **attrs, int n_attrs,
		 const char *uri, const char *name)
{
	const xmlChar **a;
	int i;

	for (i = 0; i < n_attrs; i++) {
		a = attrs + 5 * i;	/* localname, prefix, URI, value, end */
		if (strcmp((const char *)a[0], name) != 0)
			continue;
		if ((uri == NULL) != (a[2] == NULL) ||
		    (uri && strcmp(uri, (const char *)a[2]) != 0))
			continue;
		return parse_attr_value(p, (const char *)a[3],
				   (size_t)(a[4] - a[3]));
	}
	return NULL;
}

char *parse_resolve(const char *ref, const char *base)
{
	xmlChar *uri;
	char *out;

	if (ref == NULL)
		return NULL;
	if (base == NULL || *base == '\0')
		return xstrdup(ref);
	uri = xmlBuildURI((const xmlChar *)ref, (const xmlChar *)base);
	if (uri == NULL)
		return xstrdup(ref);	/* unparseable: keep what was written */
	out = xstrdup((const char *)uri);
	xmlFree(uri);
	return out;
}

void parse_entity_free(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->n_entities; i++) {
		free(p->entities[i].name);
		free(p->entities[i].value);
	}
	free(p->entities);
	p->entities = NULL;
	p->n_entities = 0;
}
