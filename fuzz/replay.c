/*
 * replay.c — feeds files to a fuzz target's LLVMFuzzerTestOneInput()
 * without libFuzzer, so `make check` replays every seed and regression
 * input on each build, under gcc and (in CI) ASan + UBSan.
 *
 *	fuzz/replay_NAME FILE_OR_DIR...
 *
 * Directories are read one level deep (dot files skipped).  Each input's
 * name goes to stderr before it runs, so a crash names its input.
 * Prints "replayed N inputs" and exits 0, or exits 1 on an unreadable
 * path; a broken invariant aborts.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* libFuzzer's default -max_len is 4096; regressions may be longer. */
#define REPLAY_MAX_BYTES (16 * 1024 * 1024)

static size_t n_replayed;

/* Runs the target on the file at path.  0, or -1 if it cannot be read. */
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data;
	long len;

	if (!f || fseek(f, 0, SEEK_END) < 0 || (len = ftell(f)) < 0 ||
	    len > REPLAY_MAX_BYTES || fseek(f, 0, SEEK_SET) < 0) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	/* An exact-size heap copy: ASan then sees any read past the end. */
	data = malloc(len ? (size_t)len : 1);
	if (!data || fread(data, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		free(data);
		fclose(f);
		return -1;
	}
	fclose(f);
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(data, (size_t)len);
	free(data);
	n_replayed++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays every regular file in dir, in name order. */
static int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, path[4096];
	size_t n = 0, i;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		if (!names || !(names[n] = strdup(de->d_name)))
			abort();
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	for (i = 0; i < n; i++) {
		struct stat sb;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    replay_file(path) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	struct stat sb;
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &sb) < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
				strerror(errno));
			rc = 1;
		} else if (S_ISDIR(sb.st_mode) ? replay_dir(argv[i]) < 0 :
			   replay_file(argv[i]) < 0) {
			rc = 1;
		}
	}
	printf("replayed %zu inputs\n", n_replayed);
	return rc;
}
