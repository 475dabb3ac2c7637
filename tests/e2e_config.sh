#!/bin/bash
# e2e_config.sh — the command line of src/feedmux: -t, -V, -h, bad options
# (SPEC.md: Command line).
. "$(dirname "$0")/lib.sh"
require_binaries

# -t on a file with three mistakes: one FILE:LINE: line each, exit 1.
bad=$top_srcdir/tests/data/config/three-mistakes.conf
if [ -f "$bad" ]; then
	"$FEEDMUX" -t -c "$bad" >"$TMP/out" 2>"$TMP/err"
	is "$?" 1 "check_config_with_three_mistakes_exits_1"
	errors=$(cat "$TMP/out" "$TMP/err")
	n=$(grep -c "^$bad:[0-9][0-9]*: " <<<"$errors")
	is "$n" 3 "check_config_prints_one_file_line_message_per_mistake" ||
		diag "$errors"
	is "$(grep -vc "^$bad:[0-9][0-9]*: " <<<"$errors")" 0 \
		"check_config_prints_nothing_but_the_mistakes"
	# The file lists the expected lines in its top comment, as
	# "#   three-mistakes.conf:11: message"; FILE is printed as given.
	want=$(sed -n "s|^#   three-mistakes\.conf:\([0-9][0-9]*: \)|$bad:\1|p" "$bad")
	is "$errors" "$want" "check_config_prints_the_lines_the_fixture_lists"
else
	ok 1 "check_config_with_three_mistakes_exits_1"
	diag "missing fixture $bad (engineer cfg provides it)"
fi

# -t on a valid configuration: exit 0, no error output.
FSPORT=1 PORT=1
make_config "$TMP/good.conf" 15m world china business
"$FEEDMUX" -t -c "$TMP/good.conf" >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "check_config_valid_exits_0"
is "$(cat "$TMP/err")" "" "check_config_valid_prints_no_errors"

# A missing file is an error that names the file.
"$FEEDMUX" -t -c "$TMP/no-such.conf" >"$TMP/out" 2>"$TMP/err"
is "$?" 1 "check_config_missing_file_exits_1"
check "check_config_missing_file_names_it" grep -qF "$TMP/no-such.conf" "$TMP/err"

# The daemon itself refuses a missing configuration too.
timeout 10 "$FEEDMUX" -c "$TMP/no-such.conf" >"$TMP/out" 2>"$TMP/err"
is "$?" 1 "daemon_missing_config_exits_1"
check "daemon_missing_config_names_it" grep -qF "$TMP/no-such.conf" "$TMP/err"

# -V and --version print the version.
version=$(sed -n 's/^AC_INIT(\[feedmux\], *\[\([^]]*\)\].*/\1/p' \
	"$top_srcdir/configure.ac")
out=$("$FEEDMUX" -V 2>&1)
is "$?" 0 "version_exits_0"
like "$out" "^feedmux ${version//./\\.}\$" "version_prints_name_and_configure_version"
is "$("$FEEDMUX" --version 2>&1)" "$out" "version_long_option_same_as_short"

# -h prints the usage to stdout and exits 0.
out=$("$FEEDMUX" -h 2>/dev/null)
is "$?" 0 "help_exits_0"
like "$out" "-c" "help_mentions_the_config_option"

# Unknown options and stray arguments exit nonzero with the usage on stderr.
"$FEEDMUX" --no-such-option >"$TMP/out" 2>"$TMP/err"
rc=$?
ok "$((rc == 0))" "unknown_option_exits_nonzero"
check "unknown_option_prints_usage_on_stderr" grep -q "sage" "$TMP/err"
"$FEEDMUX" -c "$TMP/good.conf" stray >"$TMP/out" 2>"$TMP/err"
rc=$?
ok "$((rc == 0))" "stray_argument_exits_nonzero"

done_testing
