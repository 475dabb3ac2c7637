/*
 * date.h — the dates feeds carry.
 */
#ifndef FEEDMUX_DATE_H
#define FEEDMUX_DATE_H

#include <stddef.h>
#include <stdint.h>

/*
 * RFC 822/1123 (with curl_getdate), RFC 850, asctime, RFC 3339 / ISO 8601
 * and W3C-DTF partial dates.  Returns Unix seconds, or ENTRY_NO_DATE
 * (entry.h) when the text is not a date.
 */
int64_t date_parse(const char *s);

/* Writes "2006-01-02T15:04:05Z" into out (at least 21 bytes). */
void date_format_rfc3339(int64_t t, char *out, size_t outlen);
/* Writes "Mon, 02 Jan 2006 15:04:05 GMT" into out (at least 30 bytes). */
void date_format_http(int64_t t, char *out, size_t outlen);

#endif
