/*
 * entry_json.h — struct entry and struct feed_meta as JSON (jansson).
 *
 * Used where an entry has to be written down whole: the store keeps the
 * fields of issue 3 (authors, contributors, enclosures, category schemes,
 * comments, language, source) in one JSON column, and the golden corpus
 * (tests/test_corpus.c) compares parses as JSON.  Absent fields are left
 * out; dates are RFC 3339 strings.
 */
#ifndef FEEDMUX_ENTRY_JSON_H
#define FEEDMUX_ENTRY_JSON_H

#include <jansson.h>

#include "entry.h"

/* Every field of e; a new reference the caller decrefs. */
json_t *entry_json_full(const struct entry *e);
json_t *entry_json_meta(const struct feed_meta *m);

/*
 * The issue 3 fields only (authors, contributors, enclosures, category
 * scheme/label, comments, language, source), as a compact JSON string
 * the caller frees, or NULL when e has none of them.
 */
char *entry_json_extra(const struct entry *e);
/* Reads entry_json_extra()'s text back into e (whose categories are
 * already set).  Returns 0, or -1 if text is not such JSON. */
int entry_json_load_extra(struct entry *e, const char *text);

#endif
