#!/usr/bin/env bash
# Stage Flare's standalone build into a per-machine .deb and build it with dpkg-deb.
#
#   packaging/linux/build-deb.sh ONEDIR OUTDIR VERSION
#
# ONEDIR is PyInstaller's output folder (the one holding the `flare` executable). The package
# installs into /opt/flare, links /usr/bin/flare, adds the menu entry, a system-wide XDG
# autostart entry and the root-owned policy folders /etc/flare/policies/{managed,recommended}.
# Everything is root:root and nothing is group- or world-writable (a writable install folder
# would let any local user replace the code that every user runs).
set -euo pipefail

onedir=${1:?usage: build-deb.sh ONEDIR OUTDIR VERSION}
outdir=${2:?usage: build-deb.sh ONEDIR OUTDIR VERSION}
version=${3:?usage: build-deb.sh ONEDIR OUTDIR VERSION}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
package=flare-reporter
arch=$(dpkg --print-architecture)

[ -x "$onedir/flare" ] || { echo "build-deb.sh: $onedir/flare is missing; build the onedir first" >&2; exit 2; }
mkdir -p "$outdir"
stage=$(mktemp -d "${TMPDIR:-/tmp}/flare-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
umask 022

install -d "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" "$stage/etc/xdg/autostart" \
  "$stage/usr/share/icons/hicolor/scalable/apps" "$stage/usr/share/doc/$package" \
  "$stage/usr/share/flare/policy-templates" \
  "$stage/etc/flare/policies/managed" "$stage/etc/flare/policies/recommended" "$stage/DEBIAN"
cp -a "$onedir" "$stage/opt/flare"
ln -s /opt/flare/flare "$stage/usr/bin/flare"
install -m 644 "$here/flare.desktop" "$stage/usr/share/applications/flare.desktop"
install -m 644 "$here/flare-autostart.desktop" "$stage/etc/xdg/autostart/flare.desktop"
install -m 644 "$root/resources/icons/flare.svg" "$stage/usr/share/icons/hicolor/scalable/apps/flare.svg"
# Templates for the administrator: the example policy and the schema it names.
cp -a "$root/packaging/policy-templates/." "$stage/usr/share/flare/policy-templates/"
install -m 644 "$root/resources/schema/policy.schema.json" "$stage/usr/share/flare/policy-templates/policy.schema.json"
install -m 644 "$root/docs/admin.md" "$stage/usr/share/doc/$package/admin.md"
install -m 755 "$here/postinst" "$here/postrm" "$stage/DEBIAN/"

# Normalise modes: build trees can carry group-writable bits from the builder's umask.
chmod -R u+rwX,go+rX,go-w "$stage"
find "$stage/opt/flare" "$stage/usr/share" -type f ! -perm -u+x -exec chmod 644 {} +

# The bundled libraries need at least the builder's glibc: build on the oldest release you support.
glibc=$(getconf GNU_LIBC_VERSION | awk '{print $2}')
installed_kb=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: $package
Version: $version
Architecture: $arch
Maintainer: Flare developers <flare@example.org>
Installed-Size: $installed_kb
Depends: libc6 (>= $glibc), libgl1, libegl1
Recommends: gnome-shell-extension-appindicator | plasma-workspace | xfce4-panel
Section: utils
Priority: optional
Description: report a computer problem to the helpdesk
 Flare turns "it doesn't work" into a report support can act on: timestamped
 screenshots, system diagnostics and a guided problem form, delivered to the
 organisation's helpdesk. This standalone build needs no Python on the machine.
 .
 Installs per machine into /opt/flare, starts for every user at login (XDG
 autostart) and reads managed policy from /etc/flare/policies/managed.
CONTROL
cat > "$stage/DEBIAN/conffiles" <<CONFFILES
/etc/xdg/autostart/flare.desktop
CONFFILES

deb="$outdir/${package}_${version}_${arch}.deb"
# --root-owner-group: every file root:root whoever builds. DEB_COMPRESSION=gzip builds in a
# third of the time (CI); the default xz makes a ~25 % smaller download (releases).
dpkg-deb --root-owner-group "-Z${DEB_COMPRESSION:-xz}" --build "$stage" "$deb" >/dev/null
echo "$deb"
