#!/usr/bin/env bash
# Build Flare's standalone build (PyInstaller onedir) and the .deb into dist/.
#
# Idempotent and cheap to repeat: when nothing that goes into the package changed since the
# last build (sources, resources, packaging, pyproject, PyInstaller's version), it only prints
# the existing .deb. Needs the project's .venv (set up by .ci/run); installs PyInstaller into it.
# Prints the path of the .deb on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
[ -x "$py" ] || { echo "package.sh: $py is missing; run .ci/run (or create the venv) first" >&2; exit 4; }
command -v dpkg-deb >/dev/null || { echo "package.sh: dpkg-deb is missing (apt-get install dpkg)" >&2; exit 4; }

if ! "$py" -c "import PyInstaller" 2>/dev/null; then
  echo "== installing PyInstaller into .venv" >&2
  "$py" -m pip install -q "pyinstaller>=6.10"
fi
# The frozen app reads its entry points and version from the installed metadata: refresh the
# editable install when pyproject.toml changed after it (new collectors or connectors).
meta=$(ls -d .venv/lib/python3*/site-packages/flare_reporter-*.dist-info 2>/dev/null | head -1 || true)
if [ -z "$meta" ] || [ pyproject.toml -nt "$meta/METADATA" ]; then
  "$py" -m pip install -q --no-deps -e . >/dev/null 2>&1 \
    || { echo "package.sh: pip install -e . failed; run it by hand to see why" >&2; exit 4; }
fi

version=$("$py" -c "from importlib.metadata import version; print(version('flare-reporter'))")
stamp=$( { find app capture diagnostics resources packaging docs/admin.md pyproject.toml \
             -type f ! -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum
           "$py" -m pip freeze --exclude-editable 2>/dev/null; } | sha256sum | cut -c1-16)
arch=$(dpkg --print-architecture)
deb="dist/flare-reporter_${version}_${arch}.deb"
if [ -f "$deb" ] && [ "$(cat dist/.package-stamp 2>/dev/null)" = "$stamp" ]; then
  echo "== package up to date" >&2
  echo "$deb"
  exit 0
fi

started=$(date +%s)
echo "== PyInstaller onedir build" >&2
"$py" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist/pyinstaller --workpath build/pyinstaller packaging/pyinstaller/flare.spec >&2
"dist/pyinstaller/flare/flare" --version >&2
echo "== .deb" >&2
rm -f dist/flare-reporter_*.deb
built=$(DEB_COMPRESSION=${DEB_COMPRESSION:-gzip} bash packaging/linux/build-deb.sh dist/pyinstaller/flare dist "$version")
echo "$stamp" > dist/.package-stamp
echo "== packaged in $(( $(date +%s) - started )) s: $(du -h "$built" | cut -f1) $built" >&2
echo "$built"
