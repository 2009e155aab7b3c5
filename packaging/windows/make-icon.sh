#!/usr/bin/env bash
# flare.ico from resources/icons/flare.svg: drawn at each size Windows asks for (no scaling
# blur at 16 px), 256 px stored as PNG inside the .ico, as Windows Vista and later expect.
#
#   packaging/windows/make-icon.sh OUT.ico
#
# The committed packaging/windows/flare.ico (the executables' icon in the PyInstaller build on
# Windows, where rsvg-convert is not at hand) is this script's output; a test keeps it current.
set -euo pipefail
out=${1:?usage: make-icon.sh OUT.ico}
root=$(cd "$(dirname "$0")/../.." && pwd)
for tool in rsvg-convert icotool; do
  command -v "$tool" >/dev/null || { echo "make-icon.sh: $tool is missing (apt-get install librsvg2-bin icoutils)" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/flare-icon.XXXXXX")
trap 'rm -rf "$work"' EXIT
for size in 16 24 32 48 64 256; do
  rsvg-convert -w "$size" -h "$size" "$root/resources/icons/flare.svg" -o "$work/icon-$size.png"
done
icotool -c -o "$out" "$work"/icon-{16,24,32,48,64}.png -r "$work/icon-256.png"
