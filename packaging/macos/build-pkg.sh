#!/usr/bin/env bash
# Build Flare.pkg (per machine: /Applications/Flare.app + a LaunchAgent) on macOS.
#
#   packaging/macos/build-pkg.sh dist/pyinstaller/Flare.app dist VERSION
#
# Optional signing (see packaging/macos/README.md):
#   APP_SIGN_ID="Developer ID Application: Example Ltd (TEAMID)"
#   PKG_SIGN_ID="Developer ID Installer: Example Ltd (TEAMID)"
#   NOTARY_PROFILE=<keychain profile made with `xcrun notarytool store-credentials`>
set -euo pipefail
app=${1:?usage: build-pkg.sh APP OUTDIR VERSION}
outdir=${2:?usage: build-pkg.sh APP OUTDIR VERSION}
version=${3:?usage: build-pkg.sh APP OUTDIR VERSION}
here=$(cd "$(dirname "$0")" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/root/Applications" "$stage/root/Library/LaunchAgents" "$outdir"
ditto "$app" "$stage/root/Applications/Flare.app"
plutil -replace CFBundleShortVersionString -string "$version" "$stage/root/Applications/Flare.app/Contents/Info.plist"
plutil -replace CFBundleVersion -string "$version" "$stage/root/Applications/Flare.app/Contents/Info.plist"
install -m 644 "$here/org.flare.reporter.plist" "$stage/root/Library/LaunchAgents/"

if [ -n "${APP_SIGN_ID:-}" ]; then
  # Hardened runtime is required for notarisation; the entitlements allow the embedded Python
  # to load its own unsigned-at-build extension modules once they are signed here.
  codesign --force --deep --timestamp --options runtime \
    --entitlements "$here/entitlements.plist" --sign "$APP_SIGN_ID" \
    "$stage/root/Applications/Flare.app"
  codesign --verify --deep --strict "$stage/root/Applications/Flare.app"
fi

pkgbuild --root "$stage/root" --identifier org.flare.reporter --version "$version" \
  --scripts "$here/scripts" --install-location / "$stage/flare-component.pkg"
sign=()
[ -n "${PKG_SIGN_ID:-}" ] && sign=(--sign "$PKG_SIGN_ID")
pkg="$outdir/Flare-$version.pkg"
productbuild --package "$stage/flare-component.pkg" "${sign[@]}" "$pkg"

if [ -n "${NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "$pkg" --keychain-profile "$NOTARY_PROFILE" --wait
  xcrun stapler staple "$pkg"
fi
echo "$pkg"
