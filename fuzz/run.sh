#!/bin/sh
# run.sh — builds and runs the libFuzzer targets listed in fuzz/targets.
#
#	run.sh build   compile src/ and every target with $FUZZ_CC
#	run.sh run     run each target for $FUZZ_TIME seconds (default 60),
#	               $FUZZ_JOBS at a time (default 2)
#
# Called by `make fuzz` and `make fuzz-run`, which set srcdir (the source
# tree), FUZZ_CC (clang), FUZZ_CPPFLAGS, FUZZ_CFLAGS (the libraries'
# -I flags), FUZZ_LIBS and FUZZ_SOURCES (src/ files, headers ignored).
# FUZZ_TARGETS limits either step to some targets (names, space
# separated).  Binaries go to fuzz/bin/, corpora to fuzz/corpus/NAME (kept
# between runs), findings to fuzz/findings/NAME/.  Exits 1 if a target
# found something: fix it, then copy the input to fuzz/regressions/NAME/.
set -u
mode=${1:?usage: run.sh build|run}
: "${srcdir:?}" "${FUZZ_CC:=clang}" "${FUZZ_TIME:=60}" "${FUZZ_JOBS:=2}"
: "${FUZZ_CPPFLAGS:=}" "${FUZZ_CFLAGS:=}" "${FUZZ_LIBS:=}" "${FUZZ_SOURCES:=}"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
CFLAGS_F="-std=c11 -g -O1 -fno-omit-frame-pointer $SAN -D_GNU_SOURCE \
-I$srcdir/src -I$srcdir/fuzz $FUZZ_CPPFLAGS $FUZZ_CFLAGS"

targets() {
	if [ -n "${FUZZ_TARGETS:-}" ]; then
		echo "$FUZZ_TARGETS" | tr ' ' '\n'
	else
		sed -n 's/^\([a-z_]*\) .*/\1/p' "$srcdir/fuzz/targets"
	fi
}

# compile SRC OBJ: one object, skipped when OBJ is newer than SRC and
# every header of src/ and fuzz/.
compile() {
	if [ -f "$2" ] && [ -z "$(find "$1" "$srcdir"/src/*.h \
	    "$srcdir"/fuzz/*.h -newer "$2" 2>/dev/null)" ]; then
		return 0
	fi
	# eval: FUZZ_CPPFLAGS is configure's DEFS, quoted for the shell.
	eval "$FUZZ_CC $CFLAGS_F -fsanitize=fuzzer-no-link -c \"\$1\" -o \"\$2\""
}

build() {
	mkdir -p fuzz/obj fuzz/bin || exit 1
	objs=""
	for s in $FUZZ_SOURCES; do
		case $s in *.c) ;; *) continue ;; esac
		o=fuzz/obj/$(basename "$s" .c).o
		compile "$srcdir/$s" "$o" || exit 1
		objs="$objs $o"
	done
	# An archive, like src/libfeedmux.a: only what a target uses is linked.
	rm -f fuzz/obj/libfeedmux-fuzz.a
	ar cr fuzz/obj/libfeedmux-fuzz.a $objs || exit 1
	objs=""
	for s in fuzz_util feed_check; do
		compile "$srcdir/fuzz/$s.c" "fuzz/obj/$s.o" || exit 1
		objs="$objs fuzz/obj/$s.o"
	done
	objs="$objs fuzz/obj/libfeedmux-fuzz.a"
	for t in $(targets); do
		compile "$srcdir/fuzz/fuzz_$t.c" "fuzz/obj/fuzz_$t.o" || exit 1
		echo "  FUZZ     fuzz/bin/fuzz_$t"
		$FUZZ_CC -g $SAN -fsanitize=fuzzer "fuzz/obj/fuzz_$t.o" \
			$objs $FUZZ_LIBS -o "fuzz/bin/fuzz_$t" || exit 1
	done
}

# seed_corpus NAME DIR: copies NAME's seeds and regressions into DIR.
# Forks only for directories and for files not copied yet: a fork or two
# per file took a minute for parse's ~350 seeds on a loaded machine.
seed_corpus() {
	line=$(grep "^$1 " "$srcdir/fuzz/targets")
	mkdir -p "$2"
	(cd "$srcdir" && for p in $(echo "$line" | cut -d' ' -f3-) \
	    "fuzz/seeds/$1" "fuzz/regressions/$1"; do
		if [ -d "$p" ]; then
			find "$p" -maxdepth 1 -type f ! -name '.*'
		elif [ -f "$p" ]; then
			echo "$p"
		fi
	done) | sed 'h; s|/|_|g; x; G; s|\n|	seed-|' |
	while IFS='	' read -r f name; do
		[ "$2/$name" -nt "$srcdir/$f" ] ||
			cp "$srcdir/$f" "$2/$name"
	done
}

# run_one NAME: fuzzes NAME for FUZZ_TIME seconds; 0 if nothing found.
run_one() {
	t=$1 dict=$(grep "^$1 " "$srcdir/fuzz/targets" | cut -d' ' -f2)
	set -- -max_total_time="$FUZZ_TIME" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 \
		-artifact_prefix="fuzz/findings/$t/"
	[ "$dict" != - ] && set -- "$@" -dict="$srcdir/fuzz/dict/$dict"
	mkdir -p "fuzz/findings/$t" "fuzz/corpus/$t"
	seed_corpus "$t" "fuzz/corpus/$t"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		"fuzz/bin/fuzz_$t" "$@" "fuzz/corpus/$t" \
		>"fuzz/fuzz_$t.log" 2>&1 </dev/null
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "fuzz/fuzz_$t.log")
	if [ $rc -eq 0 ]; then
		echo "fuzz_$t: ${FUZZ_TIME}s, ${runs:-?} runs, nothing found"
	else
		echo "fuzz_$t: FOUND something (exit $rc): see fuzz/fuzz_$t.log," \
			"input in fuzz/findings/$t/"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: )' "fuzz/fuzz_$t.log" | head -5
	fi
	return $rc
}

run() {
	status=0 pids=""
	for t in $(targets); do
		[ -x "fuzz/bin/fuzz_$t" ] || { echo "fuzz/bin/fuzz_$t missing: make fuzz"; exit 1; }
	done
	for t in $(targets); do
		run_one "$t" &
		pids="$pids $!"
		# At most FUZZ_JOBS at a time: wait for the oldest.
		set -- $pids
		if [ $# -ge "$FUZZ_JOBS" ]; then
			wait "$1" || status=1
			shift
			pids="$*"
		fi
	done
	for p in $pids; do
		wait "$p" || status=1
	done
	exit $status
}

case $mode in
build) build ;;
run) run ;;
*) echo "usage: run.sh build|run" >&2; exit 2 ;;
esac
