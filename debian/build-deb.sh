#!/bin/bash
# build-deb.sh TARBALL OUTDIR — `make deb`: builds the binary Debian
# package from the release tarball (as a packager would: unpacked, with
# this debian/ directory) by dpkg-buildpackage -us -uc -b in OUTDIR,
# lists it with dpkg-deb -c, checks what it installs and that its
# maintainer scripts create the user and enable the service, and runs
# lintian, which must report no error.  The test suite is not run again
# inside the package build (DEB_BUILD_OPTIONS=nocheck): make check has
# run it already.  Prints "deb: OK PATH" and exits 0, or says what failed.
set -u
tarball=$1 out=$2
fail=0

die() { echo "deb: $*" >&2; exit 1; }
bad() { echo "deb: FAIL: $*" >&2; fail=1; }

for tool in dpkg-buildpackage dpkg-deb lintian dh; do
	command -v "$tool" >/dev/null ||
		die "$tool is missing (apt-get install dpkg-dev debhelper lintian)"
done
[ -f "$tarball" ] || die "no tarball $tarball"
rm -rf "$out" && mkdir -p "$out" || die "cannot create $out"
tar -xzf "$tarball" -C "$out" || die "cannot unpack $tarball"
src=$(find "$out" -mindepth 1 -maxdepth 1 -type d -name 'feedmux-*' | head -n 1)
[ -d "$src/debian" ] || die "the tarball has no debian/ directory"

echo "deb: building in $src (log: $out/build.log)"
(cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=2" \
	dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 ||
	{ tail -n 40 "$out/build.log"; die "dpkg-buildpackage failed"; }
deb=$(find "$out" -maxdepth 1 -name 'feedmux_*.deb' | head -n 1)
[ -f "$deb" ] || die "no .deb was built"

dpkg-deb -c "$deb" >"$out/contents.txt" || die "dpkg-deb -c failed"
for path in ./usr/sbin/feedmux ./lib/systemd/system/feedmux.service \
	./usr/lib/sysusers.d/feedmux.conf ./usr/lib/tmpfiles.d/feedmux.conf \
	./etc/feedmux/feedmux.conf ./usr/share/man/man8/feedmux.8.gz \
	./usr/share/man/man5/feedmux.conf.5.gz; do
	awk '{ print $6 }' "$out/contents.txt" | grep -qxF "$path" ||
		bad "$path is not in the package"
done

mkdir -p "$out/control"
dpkg-deb -e "$deb" "$out/control" || die "dpkg-deb -e failed"
grep -q 'deb-systemd-helper enable' "$out/control/postinst" ||
	bad "postinst does not enable feedmux.service"
grep -q 'systemd-sysusers' "$out/control/postinst" ||
	bad "postinst does not create the feedmux user"
grep -q 'systemd-tmpfiles' "$out/control/postinst" ||
	bad "postinst does not apply the tmpfiles.d snippet"
grep -qxF /etc/feedmux/feedmux.conf "$out/control/conffiles" ||
	bad "/etc/feedmux/feedmux.conf is not a conffile"

lintian --fail-on error --tag-display-limit 0 "$deb" >"$out/lintian.txt" 2>&1 ||
	bad "lintian reports errors: $(grep '^E:' "$out/lintian.txt" | head -n 5)"
echo "deb: lintian: $(grep -c '^E:' "$out/lintian.txt") errors, $(grep -c '^W:' "$out/lintian.txt") warnings (full report: $out/lintian.txt)"
# The licence is the owners' decision, not the packager's: say which one
# debian/copyright declares, and say it loudly while there is none.
license=$(sed -n 's/^License: *//p' "$src/debian/copyright" | sort -u | tr '\n' ' ')
echo "deb: debian/copyright declares License: ${license% }"
case " $license" in
*" unspecified "*) echo "deb: NOTE: feedmux has no licence yet; its owners must choose one before the package is distributed" ;;
esac
[ "$fail" -eq 0 ] || exit 1
echo "deb: OK $deb"
