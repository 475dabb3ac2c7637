/*
 * entry.h — one item of a feed, as the parser produces it and the store
 * keeps it, and the feed-level metadata that comes with it.
 *
 * Every string is owned by the struct (malloc'd, valid UTF-8) or NULL when
 * the source did not have it.  Dates are Unix seconds, ENTRY_NO_DATE when
 * absent or unparseable (never the epoch, never "now").
 */
#ifndef FEEDMUX_ENTRY_H
#define FEEDMUX_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#define ENTRY_NO_DATE INT64_MIN
#define ENTRY_NO_LENGTH (-1)	/* enclosure length / duration unknown */

/* An author or contributor (RFC 4287 §3.2; JSON Feed 1.1 "authors"). */
struct entry_person {
	char *name;	/* owned or NULL */
	char *email;	/* owned or NULL */
	char *uri;	/* owned or NULL: absolute URL */
};

enum entry_media_kind {
	ENTRY_MEDIA_ENCLOSURE = 0,	/* RSS <enclosure>, Atom rel="enclosure" */
	ENTRY_MEDIA_CONTENT,	/* Media RSS <media:content> */
	ENTRY_MEDIA_THUMBNAIL,	/* Media RSS <media:thumbnail>, JSON "image" */
};

/* An attached file (RSS 2.0 <enclosure>, JSON Feed "attachments"). */
struct entry_enclosure {
	char *url;	/* owned: absolute URL, never NULL in a stored entry */
	char *type;	/* owned MIME type, or NULL */
	char *title;	/* owned, or NULL */
	int64_t length;	/* bytes, or ENTRY_NO_LENGTH */
	int64_t duration;	/* seconds, or ENTRY_NO_LENGTH */
	enum entry_media_kind kind;
};

/* Scheme and label of categories[i] (Atom term/scheme/label, RSS
 * domain); both NULL when the source gave only a term. */
struct entry_category_info {
	char *scheme;	/* owned or NULL */
	char *label;	/* owned or NULL */
};

/* Where an entry came from when it was itself copied (Atom <source>
 * RFC 4287 §4.2.11, RSS 2.0 <source url="">). */
struct entry_source {
	char *id;	/* owned or NULL */
	char *title;	/* owned or NULL: plain text */
	char *link;	/* owned or NULL: the source feed's page or URL */
	char *feed_url;	/* owned or NULL: the source feed itself */
	int64_t updated;	/* or ENTRY_NO_DATE */
};

struct entry {
	char *guid;	/* Atom id / RSS guid */
	char *link;	/* absolute URL of the item's page */
	char *title;	/* plain text */
	char *summary;	/* HTML */
	char *content;	/* HTML */
	char *author;	/* display name, or email */
	char **categories;	/* owned array of owned strings */
	size_t n_categories;
	int64_t published;
	int64_t updated;

	/* Issue 3 fields; zero (NULL/0) when absent.  author above stays the
	 * display name of the first author. */
	struct entry_category_info *category_info;	/* owned, parallel to
							 * categories (NULL
							 * or n_categories) */
	struct entry_person *authors;	/* owned array */
	size_t n_authors;
	struct entry_person *contributors;	/* owned array */
	size_t n_contributors;
	struct entry_enclosure *enclosures;	/* owned array */
	size_t n_enclosures;
	char *comments;	/* absolute URL of the comments page (RSS <comments>,
			 * Atom rel="replies") */
	char *language;	/* BCP 47 tag (xml:lang, dc:language), or NULL */
	struct entry_source source;	/* all NULL when not given */
};

struct feed_meta {
	char *id;	/* Atom id, else NULL */
	char *title;	/* plain text */
	char *link;	/* the site's page (alternate link) */
	int64_t updated;
	/* Issue 3 fields; NULL when absent. */
	char *subtitle;	/* plain text: RSS description, Atom subtitle */
	char *language;	/* BCP 47 tag */
	char *icon;	/* absolute URL: Atom icon/logo, RSS image, JSON icon */
	/* Issue 4: what the publisher says about polling; 0 / NULL when
	 * absent (parse_hints.c). */
	int64_t ttl_s;		/* RSS <ttl> (minutes) in seconds */
	char *update_period;	/* sy:updatePeriod: "hourly".."yearly" */
	int64_t update_frequency;	/* sy:updateFrequency, 0 if absent */
	uint32_t skip_hours;	/* RSS skipHours: bit h = hour h (GMT) */
	unsigned skip_days;	/* RSS skipDays: bit d = weekday d, Sunday 0 */
};

void entry_clear(struct entry *e);	/* frees the fields, zeroes e */
void entry_add_category(struct entry *e, const char *term);	/* copies term */
/* Same, with scheme and label (either may be NULL); copies all three.
 * A term already present gains the scheme/label it lacked. */
void entry_add_category_full(struct entry *e, const char *term,
			     const char *scheme, const char *label);
/* Appends a person (each string copied, may be NULL); one with neither
 * name nor email nor uri is ignored. */
void entry_add_person(struct entry_person **list, size_t *n,
		      const char *name, const char *email, const char *uri);
/* Appends an enclosure (strings copied) unless url is NULL or already
 * listed; returns the stored one or NULL. */
struct entry_enclosure *entry_add_enclosure(struct entry *e, const char *url,
					    const char *type, int64_t length,
					    enum entry_media_kind kind);
void entry_person_clear(struct entry_person *p);
void feed_meta_clear(struct feed_meta *m);

/*
 * The key that identifies an item within its feed: "g:" + guid, else
 * "l:" + link, else "h:" + the 16-hex-digit FNV-1a 64 hash of title, a NUL, and content (summary when no content).
 * Returns a string the caller frees.
 */
char *entry_key(const struct entry *e);

#endif
