/*
 * sanitize.h — the HTML feedmux republishes, made safe.
 *
 * Feed content is read with libxml2's HTML parser (never with regular
 * expressions) and written back from an allow-list of elements and
 * attributes, like feed readers do (feedparser's _HTMLSanitizer, Miniflux,
 * bluemonday): no script, style, iframe, object, embed or form, no on*
 * handlers, no style attributes (CSS can run code: expression(), url()),
 * no javascript:, vbscript: or data: URLs except data:image/ in <img src>.
 * Relative href/src/cite/poster URLs are made absolute against a base.
 */
#ifndef FEEDMUX_SANITIZE_H
#define FEEDMUX_SANITIZE_H

#define SANITIZE_MAX_DEPTH 128	/* deeper elements are dropped */

/*
 * Returns well-formed HTML (XHTML serialization: void elements as <br/>,
 * every attribute quoted, & < > escaped) in a string the caller frees;
 * "" for empty input.  base may be NULL (relative URLs are then kept).
 */
char *sanitize_html(const char *html, const char *base);

/*
 * The same, always through libxml2's HTML tree; sanitize_html() takes
 * it for every fragment sanitize_fast.c does not recognize.  Public for
 * the tests that compare the two paths.
 */
char *sanitize_html_tree(const char *html, const char *base);

/*
 * Returns url resolved against base when it is safe to link to (http,
 * https, ftp, mailto, tel, or relative), else NULL; for img, data:image/
 * (png, gif, jpeg, webp) is safe too.  A string the caller frees.
 */
char *sanitize_url(const char *url, const char *base, int is_img);

#endif
