/*
 * sanitize_int.h — shared by sanitize.c and sanitize_fast.c only.
 */
#ifndef FEEDMUX_SANITIZE_INT_H
#define FEEDMUX_SANITIZE_INT_H

#include "buf.h"
#include "sanitize.h"

/*
 * Appends to out what sanitize_html_tree() would return for html, and
 * returns 0, when html is one of the plain fragments sanitize_fast.c
 * recognizes; returns -1 otherwise (out then holds a partial result the
 * caller discards).
 */
int sanitize_fast(const char *html, struct buf *out);

#endif
