/*
 * tap.h — a few macros that print TAP for automake's tap-driver.sh.
 *
 *	plan_lazy();                      (or nothing: done_testing() prints the plan)
 *	ok(cond, "name");
 *	is_int(got, want, "name");        prints both values on failure
 *	is_str(got, want, "name");        NULL-safe
 *	return done_testing();
 */
#ifndef FEEDMUX_TAP_H
#define FEEDMUX_TAP_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static inline int tap_ok(int cond, const char *name, const char *file, int line)
{
	tap_count++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_count, name);
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

static inline int tap_is_int(int64_t got, int64_t want, const char *name,
			     const char *file, int line)
{
	int cond = got == want;
	tap_ok(cond, name, file, line);
	if (!cond)
		printf("#   got:  %" PRId64 "\n#   want: %" PRId64 "\n", got, want);
	return cond;
}

static inline int tap_is_str(const char *got, const char *want,
			     const char *name, const char *file, int line)
{
	int cond = (got == NULL && want == NULL) ||
		   (got != NULL && want != NULL && strcmp(got, want) == 0);
	tap_ok(cond, name, file, line);
	if (!cond)
		printf("#   got:  %s%s%s\n#   want: %s%s%s\n",
		       got ? "\"" : "", got ? got : "NULL", got ? "\"" : "",
		       want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
	return cond;
}

#define ok(cond, name) tap_ok(!!(cond), (name), __FILE__, __LINE__)
#define is_int(got, want, name) \
	tap_is_int((int64_t)(got), (int64_t)(want), (name), __FILE__, __LINE__)
#define is_str(got, want, name) tap_is_str((got), (want), (name), __FILE__, __LINE__)
#define diag(...) (printf("# "), printf(__VA_ARGS__), printf("\n"))

static inline int done_testing(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
