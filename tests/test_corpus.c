/*
 * test_corpus.c — the golden corpus: every feed under tests/data/corpus/
 * is parsed, and the parse, written as JSON (entry_json.h), must equal
 * the NAME.expected.json beside it, written by hand from the
 * specifications (RSS 2.0, RSS 1.0 and its modules, RFC 4287, the Atom
 * 0.3 draft, JSON Feed 1.1) and the real-world quirks of issue 3.
 *
 * Each feed is parsed twice: whole, and pushed 7 bytes at a time (what a
 * slow network does); both must give the expected parse.  An expected
 * file may carry the input's HTTP context: "_url" (the feed URL, the base
 * for relative links; default http://example.com/feed/) and "_charset"
 * (the Content-Type charset).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "buf.h"
#include "entry_json.h"
#include "parse.h"
#include "tap.h"

#define CORPUS_DEFAULT_URL "http://example.com/feed/"
#define CORPUS_MAX_FILES 2000
#define CORPUS_SUFFIX ".expected.json"

static void on_entry(void *ctx, struct entry *e)
{
	json_array_append_new(ctx, entry_json_full(e));
}

static const char *const formats[] = { "unknown", "rss", "atom", "json" };

/* The parse of data (pushed chunk bytes at a time; 0: whole) as JSON. */
static json_t *parse_doc(const char *data, size_t len, size_t chunk,
			 const char *url, const char *charset)
{
	json_t *entries = json_array(), *out = json_object();
	struct parser *p = parse_create(url, on_entry, entries);
	struct feed_meta meta;
	char err[256];
	size_t i, n;

	parse_set_charset(p, charset);
	if (chunk == 0)
		chunk = len ? len : 1;
	for (i = 0; i < len; i += n) {
		n = len - i < chunk ? len - i : chunk;
		if (parse_push(p, data + i, n) < 0)
			break;
	}
	if (parse_finish(p, &meta, err, sizeof err) == 0) {
		json_object_set_new(out, "format",
				    json_string(formats[parse_format(p)]));
		json_object_set_new(out, "meta", entry_json_meta(&meta));
		feed_meta_clear(&meta);
		if (parse_repaired(p))
			json_object_set_new(out, "repaired", json_true());
	} else {
		json_object_set_new(out, "error", json_string(err));
	}
	json_object_set_new(out, "entries", entries);
	parse_free(p);
	return out;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = {0};
	char chunk[8192];
	size_t n;

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return b.data ? buf_steal(&b) : xstrdup("");
}

static void show(const char *label, json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS);

	diag("%s:\n%s", label, s);
	free(s);
}

static void check_case(const char *dir, const char *name)
{
	char path[1024], want_path[1100], label[1100];
	json_t *want, *got, *got7;
	const char *url, *charset;
	size_t len;
	char *data;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(want_path, sizeof want_path, "%s%s", path, CORPUS_SUFFIX);
	snprintf(label, sizeof label, "corpus %s", strstr(path, "corpus/") ?
		 strstr(path, "corpus/") + 7 : path);
	want = json_load_file(want_path, 0, NULL);
	data = read_file(path, &len);
	if (want == NULL || data == NULL) {
		ok(0, label);
		diag("cannot read %s or %s", path, want_path);
		json_decref(want);
		free(data);
		return;
	}
	url = json_string_value(json_object_get(want, "_url"));
	charset = json_string_value(json_object_get(want, "_charset"));
	got = parse_doc(data, len, 0, url ? url : CORPUS_DEFAULT_URL, charset);
	got7 = parse_doc(data, len, 7, url ? url : CORPUS_DEFAULT_URL, charset);
	json_object_del(want, "_url");
	json_object_del(want, "_charset");
	json_object_del(want, "_note");
	if (!ok(json_equal(got, want) && json_equal(got7, want), label)) {
		show("expected", want);
		show("got", got);
		if (!json_equal(got7, got))
			show("got in 7-byte chunks", got7);
	}
	json_decref(want);
	json_decref(got);
	json_decref(got7);
	free(data);
}

static int is_input(const char *name)
{
	size_t n = strlen(name), s = strlen(CORPUS_SUFFIX);

	return name[0] != '.' && !(n > s && strcmp(name + n - s, CORPUS_SUFFIX) == 0) &&
	       strcmp(name, "README") != 0 && strcmp(name, "gen.py") != 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every input under dir, in name order, subdirectories first-level. */
static size_t sanitize_cases;	/* cases under sanitize/ */
static int bullets_with_cases;	/* top directories with a case */

static size_t walk(const char *dir, int depth)
{
	char *names[CORPUS_MAX_FILES], sub[1024];
	struct dirent *d;
	struct stat st;
	size_t n = 0, i, cases = 0;
	DIR *dh = opendir(dir);

	if (dh == NULL)
		return 0;
	while ((d = readdir(dh)) != NULL && n < CORPUS_MAX_FILES)
		if (is_input(d->d_name))
			names[n++] = xstrdup(d->d_name);
	closedir(dh);
	qsort(names, n, sizeof names[0], by_name);
	for (i = 0; i < n; i++) {
		snprintf(sub, sizeof sub, "%s/%s", dir, names[i]);
		if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
			size_t in_dir = depth < 2 ? walk(sub, depth + 1) : 0;

			/* issue 3's bullets, one directory each */
			if (depth == 0) {
				diag("%-10s %4zu cases", names[i], in_dir);
				bullets_with_cases += in_dir > 0;
				if (strcmp(names[i], "sanitize") == 0)
					sanitize_cases = in_dir;
				else if (in_dir == 0)
					diag("no cases for bullet %s", names[i]);
			}
			cases += in_dir;
		} else {
			check_case(dir, names[i]);
			cases++;
		}
		free(names[i]);
	}
	return cases;
}

int main(void)
{
	const char *top = getenv("top_srcdir");
	char dir[1024];
	size_t cases;

	snprintf(dir, sizeof dir, "%s/tests/data/corpus", top ? top : ".");
	cases = walk(dir, 0);
	diag("%zu corpus cases", cases);
	ok(cases >= 300, "corpus_has_at_least_300_cases");
	ok(sanitize_cases >= 60, "corpus_has_at_least_60_sanitizer_cases");
	ok(bullets_with_cases == 7, "corpus_covers_the_seven_bullets");
	return done_testing();
}
