#!/usr/bin/env bash
# Stage Flare's standalone build into a per-machine .deb and build it with dpkg-deb.
#
#   PYTHON=build/venv-deb/bin/python packaging/linux/build-deb.sh ONEDIR OUTDIR VERSION
#
# ONEDIR is PyInstaller's output folder (the one holding the `flare` executable, and beside it
# flare-bundled.txt, written by flare.spec). PYTHON is the interpreter that made the build: it
# generates the man page from Flare's own argparse definitions and the copyright file and SBOM
# from the installed distributions.
#
# The package installs into /opt/flare (a self-contained vendor build), links /usr/bin/flare,
# adds the menu entry, an XDG autostart entry, icons, a man page, AppStream metadata and the
# root-owned policy folders /etc/flare/policies/{managed,recommended}. Depends comes from
# dpkg-shlibdeps over every ELF file, so it names exactly the Debian libraries the build uses.
# Everything is root:root and nothing is group- or world-writable (a writable install folder
# would let any local user replace the code that every user runs).
#
# Leaves the staged tree in OUTDIR/stage (build-rpm.sh packs the same files) and prints the
# path of the .deb on its last line.
set -euo pipefail

onedir=${1:?usage: build-deb.sh ONEDIR OUTDIR VERSION}
outdir=${2:?usage: build-deb.sh ONEDIR OUTDIR VERSION}
version=${3:?usage: build-deb.sh ONEDIR OUTDIR VERSION}
python=${PYTHON:-python3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
package=flare-reporter
arch=$(dpkg --print-architecture)
doc=usr/share/doc/$package

[ -x "$onedir/flare" ] || { echo "build-deb.sh: $onedir/flare is missing; build the onedir first" >&2; exit 2; }
bundled="$(dirname "$onedir")/flare-bundled.txt"
[ -f "$bundled" ] || { echo "build-deb.sh: $bundled is missing; build with packaging/pyinstaller/flare.spec" >&2; exit 2; }
for tool in dpkg-shlibdeps rsvg-convert file patchelf; do
  command -v "$tool" >/dev/null || { echo "build-deb.sh: $tool is missing (apt-get install dpkg-dev librsvg2-bin file patchelf)" >&2; exit 2; }
done
changelog_version=$(dpkg-parsechangelog -l "$here/changelog" -S Version)
[ "$changelog_version" = "$version" ] || {
  echo "build-deb.sh: packaging/linux/changelog ends at $changelog_version, the build is $version; add an entry (dch -v $version)" >&2
  exit 2
}

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/flare-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
# dpkg-shlibdeps wants a source tree: debian/control, and the package's files under debian/NAME
# (libraries found there are the package's own and need no dependency).
pkg="$work/debian/$package"
umask 022

install -d "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" "$pkg/etc/xdg/autostart" \
  "$pkg/usr/share/flare/policy-templates" "$pkg/usr/share/metainfo" "$pkg/usr/share/man/man1" \
  "$pkg/usr/share/icons/hicolor/scalable/apps" "$pkg/$doc/licenses" "$pkg/usr/share/lintian/overrides" \
  "$pkg/etc/flare/policies/managed" "$pkg/etc/flare/policies/recommended" "$pkg/DEBIAN"
cp -a "$onedir" "$pkg/opt/flare"
# The wheels' private copies of libraries Debian ships (Pillow's libjpeg, libtiff, libwebp,
# libxcb…) give way to Debian's where the modules link against them (unbundle.py checks each);
# what stays bundled, and why, is in the report the copyright file is generated from.
"$python" "$here/unbundle.py" "$pkg/opt/flare/_internal" "$work/unbundled.json"
ln -s /opt/flare/flare "$pkg/usr/bin/flare"
install -m 644 "$here/flare.desktop" "$pkg/usr/share/applications/flare.desktop"
# The autostart entry is a link into /usr/share, not a file of its own in /etc: a conffile would
# stay after `apt-get remove` (until purge) and start nothing at every login. The link goes with
# the package. docs/admin.md says how to switch it off for good (dpkg-divert).
install -m 644 "$here/flare-autostart.desktop" "$pkg/usr/share/flare/flare-autostart.desktop"
ln -s /usr/share/flare/flare-autostart.desktop "$pkg/etc/xdg/autostart/flare.desktop"

# Icons: the SVG, and PNGs at the hicolor sizes for panels and menus that do not scale SVGs.
install -m 644 "$root/resources/icons/flare.svg" "$pkg/usr/share/icons/hicolor/scalable/apps/flare.svg"
for size in 16 22 24 32 48 64 128 256 512; do
  install -d "$pkg/usr/share/icons/hicolor/${size}x${size}/apps"
  rsvg-convert -w "$size" -h "$size" "$root/resources/icons/flare.svg" \
    -o "$pkg/usr/share/icons/hicolor/${size}x${size}/apps/flare.png"
done

released=$(dpkg-parsechangelog -l "$here/changelog" -S Timestamp)
# The man page, from the command line's own help.
SOURCE_DATE_EPOCH=$released "$python" "$here/manpage.py" "$version" > "$work/flare.1"
gzip -9n < "$work/flare.1" > "$pkg/usr/share/man/man1/flare.1.gz"

release_date=$(date -u -d "@$released" +%Y-%m-%d)
sed "s/@VERSION@/$version/; s/@DATE@/$release_date/" "$here/org.flare.reporter.metainfo.xml" \
  > "$pkg/usr/share/metainfo/org.flare.reporter.metainfo.xml"

# Templates for the administrator: the example policy and the schema it names.
cp -a "$root/packaging/policy-templates/." "$pkg/usr/share/flare/policy-templates/"
install -m 644 "$root/resources/schema/policy.schema.json" "$pkg/usr/share/flare/policy-templates/policy.schema.json"
install -m 644 "$root/docs/admin.md" "$pkg/$doc/admin.md"
gzip -9n < "$here/changelog" > "$pkg/$doc/changelog.gz"
# Copyright, licence texts and the SBOM, from what the build holds.
"$python" "$root/packaging/inventory.py" --bundled "$bundled" --version "$version" \
  --year "$(date -u -d "@$released" +%Y)" \
  --unbundled "$work/unbundled.json" \
  --copyright "$pkg/$doc/copyright" --licenses "$pkg/$doc/licenses" \
  --sbom "$outdir/${package}_${version}_${arch}.cdx.json"
install -m 644 "$outdir/${package}_${version}_${arch}.cdx.json" "$pkg/$doc/sbom.cdx.json"
install -m 644 "$here/lintian-overrides" "$pkg/usr/share/lintian/overrides/$package"

# Normalise modes: build trees can carry group-writable bits from the builder's umask, and
# wheels and PyInstaller leave shared libraries and data files executable. In /opt/flare only
# ELF programs keep the executable bit; libraries and everything else are 0644.
chmod -R u+rwX,go+rX,go-w "$pkg"
find "$pkg/opt/flare" "$pkg/usr/share" -type f -exec chmod 644 {} +
types=$(find "$pkg/opt/flare" -type f -print0 | xargs -0 file -N --mime-type)
mapfile -t programs < <(sed -n 's/: *application\/x-\(pie-executable\|executable\)$//p' <<< "$types" | sort)
[ "${#programs[@]}" -gt 0 ] && chmod 755 "${programs[@]}"

# Every ELF file; none may carry a library path of the build machine (a RUNPATH outside the
# package is searched first on the target and could load anything placed there).
mapfile -t elves < <(sed -n 's/: *application\/x-\(sharedlib\|pie-executable\|executable\)$//p' <<< "$types" | sort)
bad_runpath=$(for f in "${elves[@]}"; do
  objdump -p "$f" 2>/dev/null | awk -v f="${f#"$pkg"/}" '$1 ~ /^(RUNPATH|RPATH)$/ && $2 !~ /^\$ORIGIN/ {print f": "$2}'
done)
[ -z "$bad_runpath" ] || {
  echo "build-deb.sh: libraries name folders of the build machine; build with the system Python (.ci/package.sh does):" >&2
  echo "$bad_runpath" | head -5 >&2
  exit 3
}

# Depends: the Debian packages of every library the ELF files need that the package does not
# carry itself (dpkg-shlibdeps finds those in the package's own library folders).
mapfile -t libdirs < <(printf '%s\n' "${elves[@]}" | grep -E '\.so(\.|$)' | xargs -n1 dirname | sort -u)
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$package" "$package" > "$work/debian/control"
# Its stderr is kept for a failure only: it warns on every run that the files are not yet
# installed in the package's folder, which is how this script means it.
depends=$(cd "$work" && dpkg-shlibdeps -O --warnings=0 "${libdirs[@]/#/-l}" -e "${elves[@]}" \
  2> "$work/shlibdeps.log" | sed -n 's/^shlibs:Depends=//p') \
  || { cat "$work/shlibdeps.log" >&2; echo "build-deb.sh: dpkg-shlibdeps failed" >&2; exit 3; }
[ -n "$depends" ] || { cat "$work/shlibdeps.log" >&2; echo "build-deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 3; }
# Libraries the build opens by path through a link into the system (the interpreter library,
# see flare.spec): their packages, at least at the version the build was made with.
while IFS= read -r target; do
  owner=$(dpkg-query -S "$target" 2>/dev/null | head -1 | cut -d: -f1) \
    || { echo "build-deb.sh: $target (linked from the build) belongs to no package" >&2; exit 3; }
  owner_version=$(dpkg-query -W -f='${Version}' "$owner")
  depends="$depends, $owner (>= ${owner_version%%-*})"
done < <(find "$pkg/opt/flare" -type l -lname '/*' -printf '%l\n' | sort -u)

installed_kb=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: $package
Version: $version
Architecture: $arch
Maintainer: Flare developers <flare@example.org>
Installed-Size: $installed_kb
Depends: $depends
Suggests: gnome-shell-extension-appindicator
Section: utils
Priority: optional
Description: report a computer problem to the helpdesk
 Flare turns "it doesn't work" into a report support can act on: timestamped
 screenshots, system diagnostics and a guided problem form, delivered to the
 organisation's helpdesk. This standalone build needs no Python packages.
 .
 Installs per machine into /opt/flare, starts for every user at login (XDG
 autostart) and reads managed policy from /etc/flare/policies/managed. GNOME
 shows its tray icon only with the AppIndicator extension (suggested).
CONTROL

deb="$outdir/${package}_${version}_${arch}.deb"
# --root-owner-group: every file root:root whoever builds. DEB_COMPRESSION=gzip builds in a
# third of the time (CI); the default xz makes a ~25 % smaller download (releases).
dpkg-deb --root-owner-group "-Z${DEB_COMPRESSION:-xz}" --build "$pkg" "$deb" >/dev/null
rm -rf "$outdir/stage"
mv "$pkg" "$outdir/stage"
rm -rf "$outdir/stage/DEBIAN"
echo "$deb"
