#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# systemd-analyze verify on the units as installed: a staged install (DESTDIR) with the binaries the unit
# names, checked with --root so nothing on this machine is touched.
#   systemd-verify.sh BUILD_DIR STAGE_DIR
set -euo pipefail
build=$1
stage=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing"
command -v cage >/dev/null || fail "cage is missing (deploy/dev installs it)"
rm -rf "$stage" && mkdir -p "$stage"
DESTDIR="$stage" cmake --install "$build" --prefix /usr >"$stage.install.log" 2>&1 || { cat "$stage.install.log" >&2; fail "install"; }
# The compositor comes from Debian's cage package, and the targets and units ours refers to (sysinit.target,
# getty@tty1.service, ...) from systemd's: copy this machine's into the stage.
install -D -m 0755 "$(command -v cage)" "$stage/usr/bin/cage"
cp -an /lib/systemd/system/. "$stage/lib/systemd/system/"
unit="$stage/lib/systemd/system/receiving-station.service"
[[ -f $unit ]] || fail "no unit installed"
grep -q '^ExecStart=/usr/bin/cage .* /usr/bin/receiving-station$' "$unit" || fail "ExecStart does not run the station under cage"
for key in 'Type=notify' 'NotifyAccess=all' 'Restart=always' 'WatchdogSec=' 'LoadCredentialEncrypted=client_secret:' \
           'TTYPath=/dev/tty1' 'User=receiving' 'Environment=QT_QPA_PLATFORM=wayland'; do
    grep -q "^$key" "$unit" || fail "unit lacks $key"
done
# MANPATH: the man: documentation links are checked against the staged man pages.
out=$(MANPATH="$stage/usr/share/man" SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --root="$stage" "$unit" 2>&1) || { echo "$out" >&2; fail "systemd-analyze verify"; }
# verify also reports problems only as messages; any line about our unit is a failure.
if grep -i 'receiving-station' <<<"$out"; then fail "systemd-analyze verify complains"; fi
echo "$out"
echo "systemd-analyze verify OK"
