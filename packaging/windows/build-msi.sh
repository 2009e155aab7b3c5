#!/usr/bin/env bash
# Build Flare's per-machine MSI with wixl (msitools), on Linux or in any CI.
#
#   packaging/windows/build-msi.sh APPDIR OUTDIR VERSION
#
# APPDIR is the Windows PyInstaller onedir (flare.exe, flare-gui.exe, _internal\), built on
# Windows. Steps:
#   1. flare.ico from resources/icons/flare.svg (make-icon.sh: rsvg-convert, icotool);
#   2. the file list of APPDIR as a WiX fragment (wixl-heat);
#   3. wixl builds flare.wxs + the fragment;
#   4. what wixl cannot express is set in the tables (msibuild): component conditions,
#      the same-version upgrade (AllowSameVersionUpgrades) and the secure properties;
#   5. signing, when a certificate is configured (see "Signing" in docs/admin.md):
#        FLARE_SIGN_PFX            the code-signing certificate with its key (.pfx / PKCS#12),
#                                  written from the CI's secret store to a temporary file
#        FLARE_SIGN_PASSWORD_FILE  a file holding the .pfx password
#        FLARE_SIGN_TIMESTAMP_URL  the certificate authority's RFC 3161 timestamp server
#      osslsigncode signs and timestamps flare.exe, flare-gui.exe and the MSI; without
#      FLARE_SIGN_PFX they stay unsigned
#      and this script says so (an unsigned MSI triggers SmartScreen and fails AppLocker rules
#      that require a publisher). FLARE_SIGN_REQUIRED=1 turns "unsigned" into an error, for
#      release builds.
# Prints the path of the MSI.
set -euo pipefail

appdir=${1:?usage: build-msi.sh APPDIR OUTDIR VERSION}
outdir=${2:?usage: build-msi.sh APPDIR OUTDIR VERSION}
version=${3:?usage: build-msi.sh APPDIR OUTDIR VERSION}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
for tool in wixl wixl-heat msibuild msiinfo; do
  command -v "$tool" >/dev/null || { echo "build-msi.sh: $tool is missing (apt-get install wixl msitools)" >&2; exit 2; }
done
[ -f "$appdir/flare.exe" ] && [ -f "$appdir/flare-gui.exe" ] \
  || { echo "build-msi.sh: $appdir has no flare.exe and flare-gui.exe; build the Windows onedir first" >&2; exit 2; }
mkdir -p "$outdir"
appdir=$(cd "$appdir" && pwd)
outdir=$(cd "$outdir" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/flare-msi.XXXXXX")
trap 'rm -rf "$work"' EXIT

# 1. The icon, drawn from the SVG (the same as the committed flare.ico).
bash "$here/make-icon.sh" "$work/flare.ico"
cp "$work/flare.ico" "$outdir/flare.ico"

sign() {  # FILE: sign and timestamp in place (Authenticode, SHA-256)
  osslsigncode sign -pkcs12 "$FLARE_SIGN_PFX" -readpass "$FLARE_SIGN_PASSWORD_FILE" \
    -n "Flare" -h sha256 -ts "$FLARE_SIGN_TIMESTAMP_URL" -in "$1" -out "$1.signed" >&2
  osslsigncode verify -in "$1.signed" >&2
  mv "$1.signed" "$1"
}
if [ -n "${FLARE_SIGN_PFX:-}" ]; then
  command -v osslsigncode >/dev/null || { echo "build-msi.sh: osslsigncode is missing (apt-get install osslsigncode)" >&2; exit 2; }
  : "${FLARE_SIGN_PASSWORD_FILE:?build-msi.sh: FLARE_SIGN_PFX is set; set FLARE_SIGN_PASSWORD_FILE too}"
  : "${FLARE_SIGN_TIMESTAMP_URL:?build-msi.sh: FLARE_SIGN_PFX is set; set FLARE_SIGN_TIMESTAMP_URL too}"
fi

# 2.-3. wixl takes source paths relative to the folder it runs in. When signing, the
# executables are signed in a copy before they go into the MSI.
if [ -n "${FLARE_SIGN_PFX:-}" ]; then
  cp -a "$appdir" "$work/app"
  sign "$work/app/flare.exe"
  sign "$work/app/flare-gui.exe"
else
  ln -s "$appdir" "$work/app"
fi
cp "$here/flare.wxs" "$work/flare.wxs"
(cd "$work/app" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) \
  | wixl-heat --prefix "" --directory-ref INSTALLFOLDER --component-group AppFiles \
      --var var.AppDir --win64 > "$work/files.wxs"
msi="$outdir/flare-$version-x64.msi"
(cd "$work" && wixl -a x64 -D Win64=yes -D "Version=$version" -D AppDir=app -D IconFile=flare.ico \
  -o "$msi" flare.wxs files.wxs)

# 4. Each value in the installer's key is written only when its property is given (an empty
# one would override nothing and only clutter the key). Group Policy's key is never written.
for pair in PolicyHelpdeskUrl:HELPDESK_URL PolicyDestination:DESTINATION PolicyOrgToken:ORG_TOKEN; do
  component=${pair%%:*} property=${pair#*:}
  msibuild "$msi" -q "UPDATE \`Component\` SET \`Condition\` = '$property' WHERE \`Component\` = '$component'"
done

# AllowSameVersionUpgrades: wixl drops IncludeMaximum, so the upgrade row is written again
# with msidbUpgradeAttributesVersionMinInclusive (256) + VersionMaxInclusive (512). Attributes
# is part of the table's key: delete and insert, not update.
upgrade_code=$(msiinfo export "$msi" Property | awk -F'\t' '$1 == "UpgradeCode" {print $2}')
msibuild "$msi" -q "DELETE FROM \`Upgrade\` WHERE \`ActionProperty\` = 'WIX_UPGRADE_DETECTED'"
msibuild "$msi" -q "INSERT INTO \`Upgrade\` (\`UpgradeCode\`, \`VersionMin\`, \`VersionMax\`, \`Attributes\`, \`ActionProperty\`) VALUES ('$upgrade_code', '0.0.0', '$version', 768, 'WIX_UPGRADE_DETECTED')"
# Secure properties reach the elevated part of the install from the command line; wixl lists
# only its own upgrade properties.
msibuild "$msi" -q "UPDATE \`Property\` SET \`Value\` = 'WIX_UPGRADE_DETECTED;WIX_DOWNGRADE_DETECTED;HELPDESK_URL;DESTINATION;ORG_TOKEN' WHERE \`Property\` = 'SecureCustomProperties'"

# 5. Signing.
if [ -n "${FLARE_SIGN_PFX:-}" ]; then
  sign "$msi"
  echo "build-msi.sh: signed $msi" >&2
elif [ "${FLARE_SIGN_REQUIRED:-0}" = 1 ]; then
  echo "build-msi.sh: FLARE_SIGN_REQUIRED=1 but no FLARE_SIGN_PFX: refusing to ship an unsigned MSI" >&2
  exit 3
else
  echo "build-msi.sh: UNSIGNED $msi (no FLARE_SIGN_PFX; see Signing in docs/admin.md)" >&2
fi
echo "$msi"
