#!/bin/bash
# fuzz_replay.sh — replays every seed and every regression input of each
# fuzz target (fuzz/targets) through the target's entry function, built
# without libFuzzer as fuzz/replay_NAME (fuzz/replay.c), so each build —
# and CI's ASan + UBSan build — re-checks every crash ever found.
. "$(dirname "$0")/lib.sh"

cd "$top_srcdir" || bail_out "no source tree at $top_srcdir"
while read -r name dict seeds; do
	case $name in '' | '#'*) continue ;; esac
	bin=$top_builddir/fuzz/replay_$name
	inputs=()
	for p in $seeds fuzz/seeds/$name fuzz/regressions/$name; do
		[ -e "$p" ] && inputs+=("$p")
	done
	if [ ! -x "$bin" ]; then
		ok 1 "fuzz_${name}_replays_seeds_and_regressions"
		diag "$bin was not built"
		continue
	fi
	out=$(TMPDIR=$TMP "$bin" "${inputs[@]}" 2>"$TMP/$name.err")
	rc=$?
	n=$(sed -n 's/^replayed \([0-9]*\) inputs$/\1/p' <<<"$out")
	# A target with no input at all would prove nothing.
	[ "$rc" -eq 0 ] && [ "${n:-0}" -gt 0 ]
	if ! ok $? "fuzz_${name}_replays_seeds_and_regressions"; then
		diag "exit $rc, replayed ${n:-0} of the inputs in: ${inputs[*]}"
		tail -n 30 "$TMP/$name.err" | while IFS= read -r l; do diag "$l"; done
	else
		diag "$name: $n inputs"
	fi
done <fuzz/targets
done_testing
