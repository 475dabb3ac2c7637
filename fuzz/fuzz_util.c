/*
 * fuzz_util.c — helpers every fuzz target links (fuzz.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

void fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz: invariant broken: %s\n", what);
	abort();
}

char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Length of the sequence lead byte c starts, or 0 if c cannot lead. */
static int utf8_seq_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/* Length of the well-formed sequence at s, or 0 if it is not one. */
static int utf8_valid_at(const unsigned char *s)
{
	unsigned long cp;
	int n = utf8_seq_len(*s), i;

	if (n == 0)
		return 0;
	cp = n == 1 ? *s : (unsigned long)(*s & (0x7f >> n));
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

int fuzz_utf8_valid(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int n;

	if (!s)
		return 1;
	for (; *s; s += n)
		if ((n = utf8_valid_at(s)) == 0)
			return 0;
	return 1;
}

void fuzz_utf8_scrub(char *str)
{
	unsigned char *s = (unsigned char *)str;
	int n;

	while (*s) {
		n = utf8_valid_at(s);
		if (n == 0) {
			*s = '?';
			n = 1;
		}
		s += n;
	}
}

/* The private directory and the files written into it, removed at exit. */
#define FUZZ_MAX_FILES 8
static char tmp_dir[64];
static char tmp_files[FUZZ_MAX_FILES][128];
static int n_tmp_files;

static void remove_tmp(void)
{
	int i;

	for (i = 0; i < n_tmp_files; i++)
		unlink(tmp_files[i]);
	rmdir(tmp_dir);
}

/* Returns the slot for name's path, remembering it for remove_tmp(). */
static const char *tmp_file(const char *name)
{
	char path[128];
	int i;

	snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
	for (i = 0; i < n_tmp_files; i++)
		if (strcmp(tmp_files[i], path) == 0)
			return tmp_files[i];
	if (n_tmp_files == FUZZ_MAX_FILES)
		abort();
	memcpy(tmp_files[n_tmp_files], path, sizeof path);
	return tmp_files[n_tmp_files++];
}

const char *fuzz_write_file(const char *name, const uint8_t *data,
			    size_t size)
{
	const char *path;
	FILE *f;

	if (!tmp_dir[0]) {
		const char *t = getenv("TMPDIR");

		snprintf(tmp_dir, sizeof tmp_dir, "%s/fuzz.XXXXXX",
			 t && strlen(t) < 40 ? t : "/tmp");
		if (!mkdtemp(tmp_dir))
			abort();
		atexit(remove_tmp);
	}
	path = tmp_file(name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	return path;
}
