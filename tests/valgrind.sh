#!/bin/bash
# valgrind.sh VALGRIND — make check-valgrind: runs tests/e2e_poll.sh with
# the daemon under valgrind (memcheck, full leak check) and fails if the
# test fails or valgrind reports any error or definite/indirect leak in
# any daemon process.  Slow (the daemon runs some 20x slower), hence not
# part of make check.
set -u
valgrind=${1:?usage: valgrind.sh VALGRIND}
: "${top_srcdir:?}" "${top_builddir:?}"
export top_srcdir top_builddir
logs=$(mktemp -d "${TMPDIR:-/tmp}/feedmux-valgrind.XXXXXX") || exit 99
trap 'rm -rf "$logs"' EXIT

# -q: a log holds nothing but errors.  The suppressions cover nothing of
# ours: only what is reachable at exit is not reported (still-reachable
# memory of libraries initialised once).
export FEEDMUX_WRAPPER="$valgrind -q --leak-check=full \
--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
--error-exitcode=1 --track-fds=no --log-file=$logs/vg.%p.log"
export WAIT_STEPS=600
bash "$top_srcdir/tests/e2e_poll.sh"
rc=$?
n=0 dirty=0
for f in "$logs"/vg.*.log; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	if [ -s "$f" ]; then
		dirty=$((dirty + 1))
		echo "# valgrind: $f"
		sed 's/^/# /' "$f"
	fi
done
echo "# valgrind: $n daemon runs, $dirty with errors; e2e_poll.sh exit $rc"
[ "$n" -gt 0 ] && [ "$dirty" -eq 0 ] && [ "$rc" -eq 0 ]
