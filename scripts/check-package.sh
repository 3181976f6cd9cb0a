#!/usr/bin/env bash
# Checks the .deb that cpack built in build/release, as a packager and an admin would:
#   1. lintian: any error fails, warnings and notes are listed;
#   2. dpkg -i into a throw-away container-like root (an overlay of this system, so nothing here changes), then
#      `sslbind --version`, `man sslbind`, the unit enabled but not started, and dpkg --purge leaving nothing.
# Needs root (mount, chroot); the caller installs lintian and man-db.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(ls build/release/sslbind_*.deb)

echo "-- lintian $(basename "$deb")"
report=$(lintian --display-info --pedantic "$deb" 2>&1 | grep -v 'running with root privileges' || true)
[ -z "$report" ] || echo "$report"
if grep -q '^E: ' <<< "$report"; then
  echo "lintian reports errors for $deb" >&2
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "-- dpkg -i in a throw-away root: needs root for mount and chroot; run as root to check it" >&2
  exit 1
fi
work=$(mktemp -d /tmp/sslbind-package.XXXXXX)
root=$work/root
mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" || true; done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/upper" "$work/scratch" "$root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$work/upper,workdir=$work/scratch" "$root"
mounted+=("$root")
for fs in proc dev; do mount --rbind "/$fs" "$root/$fs"; mounted+=("$root/$fs"); done
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

echo "-- dpkg -i in a throw-away root"
if in_root dpkg-query -W -f='${Status}' sslbind 2>/dev/null | grep -q 'install ok installed'; then
  in_root dpkg --purge sslbind >/dev/null  # the overlay's copy only: this system keeps its own
fi
cp "$deb" "$root/tmp/sslbind.deb"
in_root dpkg -i /tmp/sslbind.deb
version=$(in_root sslbind --version)
echo "$version"
grep -q "^sslbind $(sed -n 's/^project(sslbind VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)" <<< "$version"
in_root man -P cat sslbind 2>/dev/null | grep -q 'sslbind' || { echo "man sslbind shows nothing" >&2; exit 1; }
echo "man sslbind: $(in_root man -P cat sslbind 2>/dev/null | grep -c '') lines"
# Enabled the Debian way (deb-systemd-helper's link), not started (nothing runs it in a chroot either way).
[ -L "$root/etc/systemd/system/multi-user.target.wants/sslbind.service" ] ||
  { echo "sslbind.service was not enabled by postinst" >&2; exit 1; }
zcat "$root/usr/share/doc/sslbind/changelog.gz" | head -n 1
grep -q '^License: Apache-2.0' "$root/usr/share/doc/sslbind/copyright"
in_root dpkg --purge sslbind >/dev/null
for f in usr/bin/sslbind etc/systemd/system/multi-user.target.wants/sslbind.service usr/share/doc/sslbind/copyright; do
  [ ! -e "$root/$f" ] || { echo "dpkg --purge left /$f" >&2; exit 1; }
done
echo "Installed, run, read and purged in a throw-away root: $(basename "$deb")"
