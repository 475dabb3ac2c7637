#!/bin/bash
# systemd-boot.sh BUILDDIR DEB — feedmux under a real systemd.  Boots this
# machine's own root file system in a container (systemd-nspawn -b, a
# private network, the root read-only under a tmpfs overlay, so nothing
# on this machine changes), installs the .deb in it, and checks what an
# admin checks with systemctl: the service starts (Type=notify: start
# returns once feedmux sent READY=1) as user feedmux inside its sandbox,
# `systemctl status` shows the STATUS line with the counts, `systemctl
# reload` rereads the configuration with the PID unchanged and fails
# visibly on an invalid file, the watchdog is answered (no restart after
# more than twice WatchdogSec), nothing in the journal says the sandbox
# refused a call, `systemctl stop` is clean, and purge removes it all.
# Feeds come from tests/feedserver started inside the container.
# Root only; exit 77 (skip) without systemd-nspawn or overlayfs, or when
# the container's systemd does not come up.  TAP output; exit 0 or 1.
set -u
build=$1 deb=$2
n=0 failed=0
# A short watchdog (set by a drop-in) so "no restart after twice the
# period" takes seconds; the shipped WatchdogSec= works the same way.
WATCHDOG_S=3
FS_PORT=8090
FEEDS=20

ok() {
	n=$((n + 1))
	[ "$1" -eq 0 ] && { echo "ok $n - $2"; return 0; }
	echo "not ok $n - $2"; failed=1; return 1
}
is() {
	[ "$1" = "$2" ] && { ok 0 "$3"; return 0; }
	ok 1 "$3"; echo "#   expected: '$2'"; echo "#     actual: '$1'"; return 1
}
like() {
	[[ $1 =~ $2 ]] && { ok 0 "$3"; return 0; }
	ok 1 "$3"; echo "#   '$1'"; echo "#   does not match '$2'"; return 1
}
phase() { echo "# ${SECONDS}s: $*"; }
diag() { sed 's/^/# /' <<<"$*"; }
skip_all() { echo "1..0 # SKIP $*"; cleanup; exit 77; }

work= nspawn_pid= init_pid=
cleanup() {
	if [ -n "$init_pid" ] && kill -0 "$init_pid" 2>/dev/null; then
		kill -s RTMIN+4 "$init_pid" 2>/dev/null	# systemd: power off
	fi
	if [ -n "$nspawn_pid" ]; then
		for _ in $(seq 300); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.1; done
		if kill -0 "$nspawn_pid" 2>/dev/null; then
			# Killing the container's init ends every process in it.
			for child in $(ps -o pid= --ppid "$nspawn_pid"); do
				kill -KILL "$child" 2>/dev/null
			done
			kill -KILL "$nspawn_pid"
		fi
		wait "$nspawn_pid" 2>/dev/null
	fi
	if [ -n "$work" ]; then
		mountpoint -q "$work/root" && umount "$work/root"
		mountpoint -q "$work/ovl" && umount "$work/ovl"
		rm -rf "$work"
		# nspawn leaves its (empty) propagation directory when /run is no tmpfs.
		rmdir "/run/systemd/nspawn/propagate/feedmux-boot-$$" 2>/dev/null
	fi
	init_pid= nspawn_pid= work=
}
trap cleanup EXIT

[ -f "$deb" ] || { echo "Bail out! no package $deb"; exit 1; }
# feedserver is a check program: built by make check, or here.
[ -x "$build/tests/feedserver" ] || make -C "$build" tests/feedserver >/dev/null 2>&1 ||
	{ echo "Bail out! cannot build $build/tests/feedserver"; exit 1; }
[ "$(id -u)" = 0 ] || skip_all "not root"
command -v systemd-nspawn >/dev/null || skip_all "no systemd-nspawn (apt-get install systemd-container)"
command -v nsenter >/dev/null || skip_all "no nsenter"

# ---- boot ----
work=$(mktemp -d /tmp/feedmux-boot.XXXXXX) || exit 1
mkdir -p "$work/ovl" "$work/root"
mount -t tmpfs -o size=1G feedmux-boot "$work/ovl" || skip_all "cannot mount a tmpfs"
mkdir -p "$work/ovl/upper" "$work/ovl/work"
mount -t overlay feedmux-boot -o "lowerdir=/,upperdir=$work/ovl/upper,workdir=$work/ovl/work" \
	"$work/root" || skip_all "cannot mount an overlay of /"
mkdir -p "$work/root/opt/feedmux-test"
cp "$deb" "$work/root/opt/feedmux-test/feedmux.deb"
cp "$build/tests/feedserver" "$work/root/opt/feedmux-test/"

# Without systemd on the host: no machined to register with (--register=no)
# and no scope to allocate (--keep-unit).
systemd-nspawn -D "$work/root" -M "feedmux-boot-$$" --private-network \
	--register=no --keep-unit --link-journal=no --console=pipe -b \
	</dev/null >"$work/boot.log" 2>&1 &
nspawn_pid=$!
for _ in $(seq 300); do
	init_pid=$(ps -o pid= --ppid "$nspawn_pid" 2>/dev/null | head -n 1 | tr -d ' ')
	[ -n "$init_pid" ] && [ "$(cat /proc/"$init_pid"/comm 2>/dev/null)" = systemd ] && break
	init_pid=
	kill -0 "$nspawn_pid" 2>/dev/null || break
	sleep 0.1
done
[ -n "$init_pid" ] || skip_all "the container did not boot: $(tail -n 3 "$work/boot.log")"
ct() { nsenter -t "$init_pid" -a "$@"; }	# runs a command in the container
# systemctl needs the manager's socket before it can wait for the boot.
for _ in $(seq 300); do ct test -S /run/systemd/private && break; sleep 0.1; done
state=$(ct timeout 120 systemctl is-system-running --wait 2>&1)
case $state in
running|degraded) ;;
*) skip_all "the container's systemd did not come up ($state)";;
esac
echo "# container booted: $(ct systemctl --version | head -n 1), state $state"
prop() { ct systemctl show feedmux -P "$1"; }

# ---- install ----
phase install
# Rebuilding the man-db index takes half a minute here and proves nothing.
ct sh -c 'echo "man-db man-db/auto-update boolean false" | debconf-set-selections'
out=$(ct dpkg -i /opt/feedmux-test/feedmux.deb 2>&1)
ok $? "dpkg_install_under_systemd" || { diag "$(tail -n 20 <<<"$out")"; exit 1; }
is "$(ct systemctl is-enabled feedmux 2>&1)" enabled "the_package_enables_the_service"

ct systemd-run -q --unit=feedmux-test-feeds /opt/feedmux-test/feedserver \
	-d /opt/feedmux-test -a 127.0.0.1 -p "$FS_PORT" -g "$FEEDS"
conf=$work/root/etc/feedmux/feedmux.conf
{
	printf 'listen = 127.0.0.1:8080\ndatabase = /var/lib/feedmux/feedmux.db\n'
	printf 'title = systemd test\n\n[section wire]\ntitle = Wire\n\n'
	for ((i = 0; i < FEEDS; i++)); do
		printf '[feed gen%d]\nurl = http://127.0.0.1:%d/gen/%d.rss\nsection = wire\n\n' \
			"$i" "$FS_PORT" "$i"
	done
} >"$conf.new" && mv "$conf.new" "$conf"
mkdir -p "$work/root/etc/systemd/system/feedmux.service.d"
printf '[Service]\nWatchdogSec=%ds\n' "$WATCHDOG_S" \
	>"$work/root/etc/systemd/system/feedmux.service.d/test-watchdog.conf"
ct systemctl daemon-reload

# ---- start ----
phase start
out=$(ct timeout 60 systemctl restart feedmux 2>&1)
ok $? "systemctl_start_returns_once_ready" || diag "$out"
is "$(prop ActiveState)/$(prop SubState)" active/running "the_service_is_active"
pid=$(prop MainPID)
is "$(ct ps -o user= -p "$pid" | tr -d ' ')" feedmux "it_runs_as_user_feedmux"
st=$(ct cat "/proc/$pid/status")
is "$(awk '/^(NoNewPrivs|Seccomp|CapEff):/ { printf "%s%s ", $1, $2 }' <<<"$st")" \
	"CapEff:0000000000000000 NoNewPrivs:1 Seccomp:2 " "the_sandbox_is_in_force"
started_wd=$(prop WatchdogTimestampMonotonic)

want="^$FEEDS feeds \\(0 failing\\), [1-9][0-9]* items, [1-9][0-9]* stories\$"
for _ in $(seq 300); do [[ $(prop StatusText) =~ $want ]] && break; sleep 0.1; done
like "$(prop StatusText)" "$want" "status_text_counts_feeds_and_items"
like "$(ct systemctl status feedmux --no-pager 2>&1 | grep 'Status:')" \
	"Status: \"$FEEDS feeds" "systemctl_status_shows_the_status_line"
like "$(ct curl -s --max-time 5 http://127.0.0.1:8080/healthz)" \
	"\"items\":$((FEEDS * 20))," "every_generated_item_is_served"

# ---- reload ----
phase reload
printf '[feed extra]\nurl = http://127.0.0.1:%d/gen/0.rss\nsection = wire\n' "$FS_PORT" >>"$conf"
out=$(ct timeout 60 systemctl reload feedmux 2>&1)
ok $? "systemctl_reload_succeeds" || diag "$out"
is "$(prop MainPID)" "$pid" "reload_keeps_the_pid"
for _ in $(seq 100); do [[ $(prop StatusText) == "$((FEEDS + 1)) feeds"* ]] && break; sleep 0.1; done
like "$(prop StatusText)" "^$((FEEDS + 1)) feeds" "reload_takes_the_new_feed"
is "$(prop ActiveState)/$(prop SubState)" active/running "active_after_the_reload"

cp "$conf" "$work/good.conf"
echo 'no_such_key = 1' >>"$conf"
out=$(ct timeout 60 systemctl reload feedmux 2>&1)
ok "$([ $? -ne 0 ]; echo $?)" "reload_with_an_invalid_configuration_fails_visibly" || diag "$out"
is "$(prop MainPID)/$(prop ActiveState)" "$pid/active" "the_old_configuration_stays_running"
like "$(ct journalctl -u feedmux --no-pager -o cat 2>&1)" \
	"feedmux.conf:[0-9]+: unknown key 'no_such_key'" "the_journal_names_file_and_line"
cp "$work/good.conf" "$conf"

# ---- watchdog ----
phase watchdog
# A condition over time ("not restarted"): wait out more than twice the
# period, then look.
sleep $((WATCHDOG_S * 2 + 2))
is "$(prop NRestarts)/$(prop MainPID)" "0/$pid" "no_restart_after_twice_the_watchdog_period"
ok "$([ "$(prop WatchdogTimestampMonotonic)" -gt "$started_wd" ]; echo $?)" \
	"systemd_received_watchdog_pings"

# ---- stop ----
phase stop
out=$(ct timeout 60 systemctl stop feedmux 2>&1)
ok $? "systemctl_stop" || diag "$out"
is "$(prop Result)/$(prop ExecMainStatus)" "success/0" "stop_is_clean_exit_0"
journal=$(ct journalctl -u feedmux --no-pager -o cat 2>&1)
bad=$(grep -iE 'SIGSYS|seccomp|not permitted|permission denied|read-only file system|watchdog timeout|core-dump' <<<"$journal")
is "$bad" "" "the_journal_shows_no_sandbox_refusal"

# ---- purge ----
phase purge
out=$(ct dpkg --purge feedmux 2>&1)
ok $? "dpkg_purge_under_systemd" || diag "$(tail -n 20 <<<"$out")"
like "$(ct systemctl is-enabled feedmux 2>&1)" "not-found|No such file" "purge_removes_the_unit"
ok "$([ ! -e "$work/root/var/lib/feedmux" ]; echo $?)" "purge_removes_the_database"

phase done
echo "1..$n"
exit "$failed"
