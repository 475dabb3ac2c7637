/*
 * fuzz.h — what the fuzz targets share.
 *
 * Every target defines LLVMFuzzerTestOneInput().  Built with clang
 * -fsanitize=fuzzer,address,undefined (make fuzz) libFuzzer drives it;
 * linked with fuzz/replay.c (make check) it is fed every seed and
 * regression file once, under gcc and ASan, without libFuzzer.
 *
 * A target checks its module's promises and calls fuzz_fail() (abort, so
 * libFuzzer and the replay both report the input) when one is broken.
 */
#ifndef FEEDMUX_FUZZ_H
#define FEEDMUX_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints "fuzz: invariant broken: what" to stderr and aborts. */
void fuzz_fail(const char *what) __attribute__((noreturn));

/* Returns data as a malloc'd NUL-terminated string (caller frees). */
char *fuzz_strndup(const uint8_t *data, size_t size);

/* 1 if s is NULL or well-formed UTF-8 (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), else 0. */
int fuzz_utf8_valid(const char *s);

/* Replaces, in place, each byte of s that does not start a well-formed
 * UTF-8 sequence with '?': for modules whose input the parser has made
 * UTF-8 already (entry.h). */
void fuzz_utf8_scrub(char *s);

/*
 * Writes data to NAME inside a private temporary directory made on the
 * first call (removed at exit).  Returns the file's path, owned by this
 * module and valid until exit; aborts on I/O errors.  At most 8 names.
 */
const char *fuzz_write_file(const char *name, const uint8_t *data,
			    size_t size);

#endif
