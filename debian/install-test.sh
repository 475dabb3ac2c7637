#!/bin/bash
# install-test.sh DEB — installs the built package on this machine the way
# an admin would (apt-get install ./feedmux_*.deb), checks what its
# maintainer scripts did, runs feedmux as the packaged user, then purges
# it and checks the machine is as before.  It touches nothing else: it
# refuses to run (exit 77, "skip") unless it is root, feedmux is not
# installed, there is no feedmux user and no /etc/feedmux or
# /var/lib/feedmux, and systemd is not the running init (there the
# postinst would start the service on the shipped configuration, which
# polls real news sites; tests/systemd-boot.sh covers a booted systemd).
# The feedmux user the package creates is removed at the end (the package
# leaves it, as Debian packages do), so a CI machine ends as it began.
# Output is TAP; exit 0 if every check passed, 1 if not.
set -u
deb=$1
n=0 failed=0 installed=0 made_user=0

ok() {
	n=$((n + 1))
	[ "$1" -eq 0 ] && { echo "ok $n - $2"; return 0; }
	echo "not ok $n - $2"; failed=1; return 1
}
is() {
	[ "$1" = "$2" ] && { ok 0 "$3"; return 0; }
	ok 1 "$3"; echo "#   expected: '$2'"; echo "#     actual: '$1'"; return 1
}
skip_all() { echo "1..0 # SKIP $*"; exit 77; }
apt() { apt-get -o DPkg::Lock::Timeout=600 -y -q "$@" >>"$log" 2>&1; }

# What a package named feedmux left anywhere it installs to.
leftovers() {
	find /etc /lib/systemd /usr/lib/sysusers.d /usr/lib/tmpfiles.d /usr/sbin \
		/usr/share/man/man5 /usr/share/man/man8 /usr/share/doc /var/lib \
		-xdev -name '*feedmux*' \
		-not -path '/var/lib/dpkg/*' -not -path '/var/lib/apt/*' 2>/dev/null | sort
}

cleanup() {
	[ "$installed" = 1 ] && apt purge feedmux
	if [ "$made_user" = 1 ] && getent passwd feedmux >/dev/null; then
		userdel feedmux >>"$log" 2>&1
		getent group feedmux >/dev/null && groupdel feedmux >>"$log" 2>&1
	fi
	rm -rf "$work"
}

[ -f "$deb" ] || { echo "Bail out! no package $deb"; exit 1; }
[ "$(id -u)" = 0 ] || skip_all "not root"
command -v apt-get >/dev/null || skip_all "no apt-get"
# Two CI runs on one machine take turns (each checks the machine is clean).
exec 9>/run/lock/feedmux-install-test.lock || skip_all "cannot open the lock file"
flock -w 900 9 || skip_all "another install test held the lock for 15 minutes"
dpkg-query -W -f='${Status}' feedmux 2>/dev/null | grep -q 'installed' &&
	skip_all "feedmux is installed here already"
getent passwd feedmux >/dev/null && skip_all "a feedmux user exists already"
[ -e /etc/feedmux ] || [ -e /var/lib/feedmux ] && skip_all "/etc/feedmux or /var/lib/feedmux exists already"
[ -d /run/systemd/system ] && skip_all "systemd is running: installing would start the service"
[ -z "$(leftovers)" ] || skip_all "files named feedmux exist already: $(leftovers | head -n 3)"

work=$(mktemp -d) || exit 1
log=$work/apt.log
trap cleanup EXIT
echo "# log: $log"

# ---- install ----
installed=1 made_user=1
apt install "$(realpath "$deb")"
ok $? "apt_get_install_the_package" || { tail -n 20 "$log" | sed 's/^/# /'; exit 1; }
is "$(dpkg-query -W -f='${Status}' feedmux)" "install ok installed" "dpkg_says_installed"

IFS=: read -r _ _ uid _ _ home shell <<<"$(getent passwd feedmux)"
ok "$([ -n "$uid" ] && [ "$uid" -lt 1000 ]; echo $?)" "postinst_creates_a_system_user (uid ${uid:-none})"
is "$home:$shell" "/var/lib/feedmux:/usr/sbin/nologin" "the_user_has_the_state_directory_and_no_shell"
is "$(stat -c '%a %U %G' /var/lib/feedmux 2>&1)" "750 feedmux feedmux" \
	"postinst_creates_the_state_directory"
wants=/etc/systemd/system/multi-user.target.wants/feedmux.service
is "$(readlink "$wants")" /lib/systemd/system/feedmux.service "postinst_enables_the_service"

# Every path the unit names is where the package put it.
unit=/lib/systemd/system/feedmux.service
for exe in $(sed -n 's/^Exec[A-Za-z]*=\([^ ]*\).*/\1/p' "$unit" | sort -u); do
	ok "$([ -x "$exe" ]; echo $?)" "the_unit_runs_an_existing_$exe"
done
conf=$(sed -n 's/^ExecStart=.* -c \([^ ]*\).*/\1/p' "$unit")
is "$conf" /etc/feedmux/feedmux.conf "the_unit_reads_the_shipped_configuration"
out=$(runuser -u feedmux -- /usr/sbin/feedmux -t -c "$conf" 2>&1)
ok $? "the_shipped_configuration_passes_feedmux_t_as_user_feedmux"
echo "# $out"
is "$(sed -n 's/^database *= *//p' "$conf")" /var/lib/feedmux/feedmux.db \
	"the_shipped_database_is_in_the_state_directory"
ok "$(man -w feedmux >/dev/null 2>&1 && man -w feedmux.conf >/dev/null 2>&1; echo $?)" \
	"man_finds_feedmux_8_and_feedmux_conf_5"

# The packaged user can create its database in the state directory (a
# local file:// feed: no network).
cat >/var/lib/feedmux/probe.rss <<'RSS'
<?xml version="1.0"?>
<rss version="2.0"><channel><title>probe</title><link>http://example.org/</link>
<item><title>one</title><guid>probe-1</guid></item></channel></rss>
RSS
cat >/var/lib/feedmux/probe.conf <<'CONF'
database = /var/lib/feedmux/feedmux.db
[feed probe]
url = file:///var/lib/feedmux/probe.rss
CONF
out=$(runuser -u feedmux -- /usr/sbin/feedmux --once -c /var/lib/feedmux/probe.conf 2>&1)
ok $? "feedmux_once_runs_as_user_feedmux" || echo "# $out"
is "$(stat -c %U /var/lib/feedmux/feedmux.db 2>&1)" feedmux "the_database_belongs_to_feedmux"

# ---- purge ----
apt purge feedmux
ok $? "apt_get_purge_the_package" || tail -n 20 "$log" | sed 's/^/# /'
installed=0
is "$(dpkg-query -W -f='${Status}' feedmux 2>/dev/null)" "" "dpkg_forgets_the_package"
is "$(leftovers | tr '\n' ' ')" "" "purge_leaves_no_file_behind"
ok "$(getent passwd feedmux >/dev/null; echo $?)" "purge_keeps_the_system_user (Debian practice)"
cleanup
trap - EXIT
ok "$(getent passwd feedmux >/dev/null; [ $? = 2 ]; echo $?)" "this_test_removed_the_user_it_caused"
echo "1..$n"
exit "$failed"
