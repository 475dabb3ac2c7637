#!/bin/bash
# e2e_service.sh — feedmux as a system service: the unit passes
# systemd-analyze verify and scores <= 2.0 on systemd-analyze security;
# the sysusers.d/tmpfiles.d snippets work; the man pages have no groff
# warnings; the example configuration is valid; make install puts every
# piece in place; and the daemon speaks the notify protocol (READY,
# STATUS with counts, WATCHDOG, RELOADING, STOPPING) to a socket standing
# in for systemd's (SPEC.md: With systemd).
. "$(dirname "$0")/lib.sh"
require_binaries

MAX_EXPOSURE=2.0
unit_in=$top_srcdir/systemd/feedmux.service.in

# ---- the unit ----

# The unit as installed, but running this build's binary.
sed -e "s|@sbindir@/feedmux|$FEEDMUX|g" -e "s|@sysconfdir@|/etc|g" \
	"$unit_in" >"$TMP/feedmux.service"

if command -v systemd-analyze >/dev/null; then
	out=$(systemd-analyze verify --man=no "$TMP/feedmux.service" 2>&1)
	rc=$?
	is "$rc:$out" "0:" "unit_passes_systemd_analyze_verify"
	# The check itself can fail: a misspelt directive is reported.
	mkdir -p "$TMP/bad"
	sed 's/^Restart=/Restrat=/' "$TMP/feedmux.service" >"$TMP/bad/feedmux.service"
	out=$(systemd-analyze verify --man=no "$TMP/bad/feedmux.service" 2>&1)
	like "$out" "Restrat" "verify_reports_a_misspelt_directive"

	sec=$(systemd-analyze security --offline=yes --no-pager "$TMP/feedmux.service" 2>&1)
	score=$(sed -n 's/.*Overall exposure level for feedmux.service: \([0-9.]*\).*/\1/p' <<<"$sec")
	diag "exposure score: ${score:-none}"
	ok "$(awk -v s="${score:-99}" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s <= m) }'; echo $?)" \
		"security_exposure_at_most_$MAX_EXPOSURE" ||
		diag "$(grep '✗' <<<"$sec")"
else
	skip "unit_passes_systemd_analyze_verify" "systemd-analyze not installed"
	skip "verify_reports_a_misspelt_directive" "systemd-analyze not installed"
	skip "security_exposure_at_most_$MAX_EXPOSURE" "systemd-analyze not installed"
fi

# What the daemon's contract needs from the unit.
unit_has() {
	grep -qx "$1" "$unit_in"
}
check "unit_type_notify" unit_has 'Type=notify'
check "unit_reload_sends_sighup" unit_has 'ExecReload=/bin/kill -HUP $MAINPID'
is "$(grep '^ExecReload=' "$unit_in" | tr '\n' '|')" \
	'ExecReload=@sbindir@/feedmux -t -c /etc/feedmux/feedmux.conf|ExecReload=/bin/kill -HUP $MAINPID|' \
	"unit_reload_checks_the_configuration_before_the_signal"
check "unit_restarts_on_failure" unit_has 'Restart=on-failure'
check "unit_has_a_watchdog" grep -qE '^WatchdogSec=[1-9]' "$unit_in"
check "unit_state_directory" unit_has 'StateDirectory=feedmux'
check "unit_configuration_directory" unit_has 'ConfigurationDirectory=feedmux'
check "unit_runs_as_feedmux" unit_has 'User=feedmux'

# ---- sysusers.d and tmpfiles.d, applied to a scratch root ----

root=$TMP/root
mkdir -p "$root/etc"
if command -v systemd-sysusers >/dev/null && command -v systemd-tmpfiles >/dev/null; then
	systemd-sysusers --root="$root" "$top_srcdir/systemd/feedmux.sysusers" \
		>"$TMP/sysusers.out" 2>&1
	like "$(cut -d: -f1,6,7 "$root/etc/passwd" 2>/dev/null)" \
		'feedmux:/var/lib/feedmux:/(usr/)?s?bin/nologin' \
		"sysusers_creates_the_feedmux_system_user" || diag "$(cat "$TMP/sysusers.out")"
	systemd-tmpfiles --root="$root" --create "$top_srcdir/systemd/feedmux.tmpfiles" \
		>"$TMP/tmpfiles.out" 2>&1
	is "$(stat -c '%a %U' "$root/var/lib/feedmux" 2>/dev/null | sed 's/ [0-9]*$//')" \
		"750 $(stat -c '%U' "$root/var/lib/feedmux" 2>/dev/null)" \
		"tmpfiles_creates_the_state_directory_0750" || diag "$(cat "$TMP/tmpfiles.out")"
else
	skip "sysusers_creates_the_feedmux_system_user" "systemd-sysusers not installed"
	skip "tmpfiles_creates_the_state_directory_0750" "systemd-tmpfiles not installed"
fi

# ---- man pages ----

if command -v man >/dev/null; then
	for page in feedmux.8 feedmux.conf.5; do
		out=$(MANWIDTH=80 man --warnings -l "$top_srcdir/man/$page" 2>&1 >/dev/null)
		is "$out" "" "man_page_${page//./_}_has_no_warnings"
		text=$(MANWIDTH=80 man -l "$top_srcdir/man/$page" 2>/dev/null)
		like "$text" "SEE ALSO" "man_page_${page//./_}_renders"
	done
	printf '.TH X 1\n.SH NAME\nx\n.BOGUS\n' >"$TMP/bad.1"
	out=$(man --warnings -l "$TMP/bad.1" 2>&1 >/dev/null)
	like "$out" "warning" "man_warnings_catch_an_unknown_macro"
else
	skip "man_pages_have_no_warnings" "man-db not installed"
fi

# ---- the example configuration ----

out=$("$FEEDMUX" -t -c "$top_srcdir/etc/feedmux.conf" 2>&1)
ok $? "example_configuration_is_valid" || diag "$out"
like "$out" "\(([2-9][0-9]|[1-9][0-9]{2,}) feeds, ([3-9]|[1-9][0-9]+) sections\)" \
	"example_configuration_has_feeds_in_sections"

# ---- make install ----

dest=$TMP/dest
if make -C "$top_builddir" install DESTDIR="$dest" >"$TMP/install.out" 2>&1; then
	ok 0 "make_install_to_destdir"
	inst() { find "$dest" -path "*$1" | grep -q .; }
	check "installs_the_binary" inst /sbin/feedmux
	check "installs_the_unit" inst /system/feedmux.service
	check "installs_the_sysusers_snippet" inst /sysusers.d/feedmux.conf
	check "installs_the_tmpfiles_snippet" inst /tmpfiles.d/feedmux.conf
	check "installs_the_example_configuration" inst /feedmux/feedmux.conf
	check "installs_feedmux_8" inst /man8/feedmux.8
	check "installs_feedmux_conf_5" inst /man5/feedmux.conf.5
	unit=$(find "$dest" -name feedmux.service | head -n 1)
	sbin=$(find "$dest" -path '*/sbin/feedmux' | head -n 1)
	is "$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' "$unit")" "${sbin#"$dest"}" \
		"installed_unit_runs_the_installed_binary"
	echo "# an admin's change" >>"$(find "$dest" -path '*/feedmux/feedmux.conf')"
	make -C "$top_builddir" install DESTDIR="$dest" >>"$TMP/install.out" 2>&1
	check "reinstall_keeps_the_admins_configuration" \
		grep -q "an admin's change" "$(find "$dest" -path '*/feedmux/feedmux.conf')"
else
	ok 1 "make_install_to_destdir"
	diag "$(tail -n 20 "$TMP/install.out")"
fi

# ---- the notify protocol ----

# notify_listener SOCKET OUT: records each datagram as a line until it
# sees STOPPING=1 or 30 s pass.
notify_listener() {
	"$PY3" - "$1" "$2" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(0.5)
end = time.time() + 30
with open(sys.argv[2], "a", buffering=1) as out:
    while time.time() < end:
        try:
            msg = s.recv(4096).decode()
        except socket.timeout:
            continue
        for line in msg.splitlines():
            out.write(line + "\n")
        if "STOPPING=1" in msg:
            break
EOF
}

if ldd "$FEEDMUX" 2>/dev/null | grep -q libsystemd; then
	copy_fixtures
	start_feedserver "$FEEDS_DIR" || bail_out "feedserver did not start"
	make_config "$TMP/feedmux.conf" 1h world china
	sock=$TMP/notify.sock
	notes=$TMP/notify.log
	: >"$notes"
	notify_listener "$sock" "$notes" &
	LISTENER=$!
	STARTED_PIDS+=("$LISTENER")
	wait_for test -S "$sock"
	NOTIFY_SOCKET=$sock WATCHDOG_USEC=400000 start_feedmux "$TMP/feedmux.conf" ||
		bail_out "feedmux did not start"
	wait_for grep -qx 'READY=1' "$notes"
	ok $? "notify_ready_once_listening"
	wait_polled 2
	# The STATUS line sent at start-up counts 0 items; the one after the
	# poll burst must follow within the refresh pause (5 s) without any
	# other event to carry it (systemctl status showed 0 items for good).
	wait_for grep -qE '^STATUS=2 feeds \(0 failing\), [1-9][0-9]* items, [1-9][0-9]* stories' "$notes"
	ok $? "notify_status_counts_items_after_the_poll_burst" || diag "$(grep STATUS "$notes")"
	kill -HUP "$FMPID"
	wait_for grep -qx 'RELOADING=1' "$notes"
	ok $? "notify_reloading_on_sighup"
	# systemd >= 253 wants the time of the reload request with it.
	like "$(grep -x -A1 'RELOADING=1' "$notes" | tail -n 1)" '^MONOTONIC_USEC=[1-9][0-9]*$' \
		"notify_reloading_carries_monotonic_usec"
	is "$(grep -xE 'RELOADING=1|READY=1' "$notes" | tail -n 2 | tr '\n' ' ')" \
		"RELOADING=1 READY=1 " "notify_ready_again_after_the_reload"
	sleep 1
	pings=$(grep -cx 'WATCHDOG=1' "$notes")
	ok "$([ "$pings" -ge 3 ]; echo $?)" "notify_watchdog_pings_at_half_the_period" ||
		diag "$pings pings"
	stop_feedmux TERM
	is "$EXIT_RC" 0 "sigterm_exits_0"
	wait_for grep -qx 'STOPPING=1' "$notes"
	ok $? "notify_stopping_on_sigterm"
	wait "$LISTENER" 2>/dev/null
	forget_pid "$LISTENER"
	# Without NOTIFY_SOCKET nothing is sent and nothing breaks.
	start_feedmux "$TMP/feedmux.conf" || bail_out "feedmux did not restart"
	stop_feedmux TERM
	is "$EXIT_RC" 0 "runs_and_stops_without_a_service_manager"
else
	skip "notify_protocol" "feedmux was built without libsystemd"
fi

done_testing
