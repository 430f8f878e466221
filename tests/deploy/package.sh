#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian package with CPack, checks what it holds and how, and runs lintian (no errors allowed).
#   package.sh BUILD_DIR OUT_DIR
set -euo pipefail
build=$1
out=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in cpack dpkg-deb dpkg-shlibdeps lintian systemd-analyze; do
    command -v "$tool" >/dev/null || fail "$tool is missing (deploy/dev installs it)"
done

rm -rf "$out" && mkdir -p "$out"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log" >&2; fail "cpack"; }
deb=$(ls "$out"/receiving-station_*.deb)
echo "package: $deb"

contents=$(dpkg-deb -c "$deb")
echo "$contents"
for f in ./usr/bin/receiving-station ./usr/bin/receiving-cli ./usr/libexec/receiving-station/receiving-decoder \
         ./etc/receiving-station/station.conf ./lib/systemd/system/receiving-station.service \
         ./lib/udev/rules.d/60-receiving-station.rules ./usr/share/doc/receiving-station/copyright \
         ./usr/share/doc/receiving-station/changelog.gz ./usr/share/man/man1/receiving-station.1.gz \
         ./usr/share/man/man1/receiving-cli.1.gz ./usr/lib/sysctl.d/60-receiving-station.conf; do
    grep -q " $f\$" <<<"$contents" || fail "$f is not in the package"
done
# Everything root-owned inside the archive; the configuration is not world-readable.
if grep -v ' root/root ' <<<"$contents" | grep -q .; then fail "files not owned by root/root"; fi
grep -q '^-rw-r----- root/root .* ./etc/receiving-station/station.conf$' <<<"$contents" || fail "station.conf is not 0640"

control=$(dpkg-deb -I "$deb")
echo "$control"
depends=$(dpkg-deb -f "$deb" Depends)
for d in 'libqt6core6' 'libqt6quick6' 'libsqlite3-0' 'libcurl4' 'libsystemd0' 'libc6' 'cage' 'adduser' 'qml6-module-qtquick-virtualkeyboard' 'qml6-module-qt-labs-folderlistmodel'; do
    grep -q "$d" <<<"$depends" || fail "Depends lacks $d: $depends"
done
dpkg-deb -e "$deb" "$out/control"
for s in postinst prerm postrm conffiles; do [[ -f $out/control/$s ]] || fail "no $s"; done
grep -qx /etc/receiving-station/station.conf "$out/control/conffiles" || fail "station.conf is not a conffile"
grep -q 'adduser --system' "$out/control/postinst" || fail "postinst creates no system user"
grep -q 'dpkg-statoverride --update --add root receiving 0640' "$out/control/postinst" || fail "no statoverride"
sh -n "$out/control/postinst" && sh -n "$out/control/postrm" && sh -n "$out/control/prerm"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./lib/systemd/system/receiving-station.service >"$out/receiving-station.service"
grep -q 'QT_QPA_PLATFORM=wayland' "$out/receiving-station.service" || fail "unit without QT_QPA_PLATFORM=wayland"
grep -qx 'kernel.sysrq = 176' <(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/lib/sysctl.d/60-receiving-station.conf) ||
    fail "the sysctl.d file does not turn off the SysRq keyboard control"
grep -q 'systemd-sysctl 60-receiving-station.conf' "$out/control/postinst" || fail "postinst does not apply the sysctl file"

# The unit's sandbox, as systemd rates it (0 locked down .. 10 exposed): must stay under 5.0. --offline rates the
# file itself, so this needs no running systemd and no station user.
security=$(systemd-analyze security --offline=yes --no-pager "$out/receiving-station.service" 2>&1) ||
    { echo "$security" >&2; fail "systemd-analyze security"; }
echo "$security"
exposure=$(sed -n 's/^.*Overall exposure level for receiving-station\.service: \([0-9][0-9.]*\) .*$/\1/p' <<<"$security")
[[ -n $exposure ]] || fail "systemd-analyze security printed no overall exposure level"
echo "systemd-analyze security exposure: $exposure"
awk -v e="$exposure" 'BEGIN { exit !(e + 0 < 5.0) }' || fail "the unit's exposure $exposure is not below 5.0"

# lintian: errors fail the test; warnings are printed for the record.
lintian --no-tag-display-limit --fail-on error "$deb" | tee "$out/lintian.log"
if grep -q '^E:' "$out/lintian.log"; then fail "lintian reports errors"; fi
echo "package OK"
