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
install -D -m 0755 "$(command -v env)" "$stage/usr/bin/env"
cp -an /lib/systemd/system/. "$stage/lib/systemd/system/"
unit="$stage/lib/systemd/system/receiving-station.service"
[[ -f $unit ]] || fail "no unit installed"
exec_start=$(grep '^ExecStart=' "$unit") || fail "no ExecStart"
[[ $exec_start =~ ^ExecStart=/usr/bin/env\ XDG_RUNTIME_DIR=/run/receiving-station\ /usr/bin/cage\ (.*)\ --\ /usr/bin/receiving-station$ ]] ||
    fail "ExecStart does not run the station under cage with its runtime folder: $exec_start"
# cage's -s allows VT switching (Ctrl+Alt+Fn would leave the kiosk); -d is the only option we give it.
[[ ${BASH_REMATCH[1]} == -d ]] || fail "cage is started with '${BASH_REMATCH[1]}', not just -d (no -s)"
for key in 'Type=notify' 'NotifyAccess=all' 'Restart=always' 'WatchdogSec=' 'LoadCredentialEncrypted=client_secret:' \
           'TTYPath=/dev/tty1' 'User=receiving' 'Environment=QT_QPA_PLATFORM=wayland' 'StateDirectory=receiving-station'; do
    grep -q "^$key" "$unit" || fail "unit lacks $key"
done
# The sandbox (tests/deploy/package.sh rates it with systemd-analyze security).
for line in 'UMask=0027' 'RuntimeDirectory=receiving-station' 'ProtectSystem=strict' \
            'ReadWritePaths=/var/lib/receiving-station -/var/backups/receiving-station' \
            'SystemCallFilter=@system-service seccomp' 'SystemCallArchitectures=native' \
            'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK' 'RestrictNamespaces=yes' 'ProtectClock=yes' \
            'ProtectHostname=yes' 'ProtectKernelLogs=yes' 'CapabilityBoundingSet=' 'NoNewPrivileges=yes' \
            'ProtectHome=yes'; do
    grep -qx "$line" "$unit" || fail "unit lacks the line $line"
done
if grep -q '^PrivateDevices=yes' "$unit"; then fail "PrivateDevices=yes hides the GPU, scanners and camera"; fi
sysctl="$stage/usr/lib/sysctl.d/60-receiving-station.conf"
grep -qx 'kernel.sysrq = 176' "$sysctl" || fail "$sysctl does not turn off the SysRq keyboard control"
# MANPATH: the man: documentation links are checked against the staged man pages.
out=$(MANPATH="$stage/usr/share/man" SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --root="$stage" "$unit" 2>&1) || { echo "$out" >&2; fail "systemd-analyze verify"; }
# verify also reports problems only as messages; any line about our unit is a failure.
if grep -i 'receiving-station' <<<"$out"; then fail "systemd-analyze verify complains"; fi
echo "$out"
echo "systemd-analyze verify OK"
