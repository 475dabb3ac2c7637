/*
 * wire_words.h — the vocabulary of the synthetic wire stories, shared by
 * bench/genfeeds.c (the benchmark feeds) and tests/feedserver_gen.c
 * (feedserver -g), and the deterministic stream that picks from it: the
 * same seed gives the same words on every run and machine.
 */
#ifndef FEEDMUX_WIRE_WORDS_H
#define FEEDMUX_WIRE_WORDS_H

#include <stdint.h>

static const char *const wire_agencies[] = {
	"Xinhua", "Reuters", "AP", "AFP", "Kyodo", "ANSA", "EFE", "dpa",
};
static const char *const wire_places[] = {
	"Beijing", "Shanghai", "Washington", "Brussels", "Nairobi", "Brasilia",
	"Moscow", "New Delhi", "Tokyo", "Cairo", "Jakarta", "Berlin", "Paris",
	"London", "Canberra", "Ottawa", "Mexico City", "Johannesburg", "Hanoi",
	"Seoul", "Lagos", "Ankara", "Lima", "Madrid",
};
static const char *const wire_subjects[] = {
	"Central bank", "Foreign ministry", "Port authority", "Energy regulator",
	"Trade delegation", "Provincial government", "Health officials",
	"Rail operator", "Wheat exporters", "Chipmakers", "Climate envoys",
	"Customs office", "Statistics bureau", "Coast guard",
	"Power grid operator", "Airline regulator",
};
static const char *const wire_verbs[] = {
	"announces", "signals", "unveils", "confirms", "weighs", "expands",
	"cuts", "reviews", "boosts", "suspends", "extends", "defends",
};
static const char *const wire_objects[] = {
	"new lending facility", "cross-border rail link", "export quotas",
	"rural broadband plan", "emergency grain reserves",
	"solar capacity targets", "port fee reforms", "visa-free transit rules",
	"flood relief funding", "semiconductor subsidies",
	"fishing season limits", "data centre permits", "fertiliser price caps",
	"coal phase-out schedule", "tourism recovery fund",
};
static const char *const wire_phrases[] = {
	"said on Tuesday it would review", "told reporters it plans to widen",
	"confirmed late on Monday it will fund",
	"is expected to announce changes to", "has postponed a decision on",
	"published draft rules for", "opened public consultations on",
	"signed a memorandum covering",
};
static const char *const wire_links[] = {
	"a move worth about", "involving roughly", "affecting some",
	"after a decline of", "following talks with", "in a package of",
};
static const char *const wire_units[] = {
	"million yuan", "households", "companies", "tonnes", "percent",
	"delegates", "billion dollars", "workers",
};

#define WIRE_PICK(list, r) ((list)[(r) % (sizeof(list) / sizeof((list)[0]))])

/* splitmix64: a deterministic stream per seed (feed, item). */
static inline uint64_t wire_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * The words of a headline ("<subject> <verb> <object> ..., <number>
 * <unit>") and of a sentence ("The <subject> <phrase> the <object>,
 * <link> <number> <unit>."), drawn in this order.  Drawn inside one
 * printf's arguments instead, the text would depend on the compiler:
 * C leaves the order arguments are evaluated in unspecified.
 */
struct wire_words {
	const char *subject, *verb, *object, *link, *unit;
	unsigned number;
};

static inline void wire_headline_draw(uint64_t *rng, struct wire_words *w)
{
	w->subject = WIRE_PICK(wire_subjects, wire_next(rng));
	w->verb = WIRE_PICK(wire_verbs, wire_next(rng));
	w->object = WIRE_PICK(wire_objects, wire_next(rng));
	w->link = NULL;
	w->number = (unsigned)(wire_next(rng) % 990 + 10);
	w->unit = WIRE_PICK(wire_units, wire_next(rng));
}

/* verb is the sentence's phrase ("signed an agreement with"). */
static inline void wire_sentence_draw(uint64_t *rng, struct wire_words *w)
{
	w->subject = WIRE_PICK(wire_subjects, wire_next(rng));
	w->verb = WIRE_PICK(wire_phrases, wire_next(rng));
	w->object = WIRE_PICK(wire_objects, wire_next(rng));
	w->link = WIRE_PICK(wire_links, wire_next(rng));
	w->number = (unsigned)(wire_next(rng) % 990 + 10);
	w->unit = WIRE_PICK(wire_units, wire_next(rng));
}

#endif
