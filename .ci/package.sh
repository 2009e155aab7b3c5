#!/usr/bin/env bash
# Build Flare's standalone build (PyInstaller onedir), the .deb and the .rpm into dist/, and
# check them: lintian (0 errors), desktop-file-validate, appstreamcli, rpmlint (reported).
#
# The build runs on Debian's own Python (/usr/bin/python3, in a venv of its own under build/):
# its interpreter library and extension modules link Debian's libssl, libexpat, zlib… so the
# package depends on those instead of carrying copies with the build machine's paths in them.
#
# Idempotent and cheap to repeat: when nothing that goes into the package changed since the
# last build (sources, resources, packaging, pyproject, the build venv's packages), it only
# prints the existing .deb. Prints the path of the .deb on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
system_python=/usr/bin/python3
venv=build/venv-deb
py=$venv/bin/python
for tool in dpkg-deb dpkg-shlibdeps lintian rsvg-convert desktop-file-validate appstreamcli patchelf; do
  command -v "$tool" >/dev/null || { echo "package.sh: $tool is missing; .ci/run installs what the packages need" >&2; exit 4; }
done
[ -x "$system_python" ] || { echo "package.sh: $system_python is missing (apt-get install python3-venv python3-dev)" >&2; exit 4; }

# The build venv: the project (editable: the spec reads the sources) with the optional clicks
# extra, so pynput is inside, and PyInstaller. Refreshed when pyproject.toml changes.
if [ ! -x "$py" ] || [ pyproject.toml -nt "$venv/.installed" ]; then
  echo "== build venv on $($system_python --version) (log: build/venv-deb.log)" >&2
  rm -rf "$venv"
  mkdir -p build
  "$system_python" -m venv "$venv"
  # pip's output goes to a file too; its tail is shown when the install fails.
  # --no-cache-dir: a wheel built earlier by another Python (evdev) must not be reused.
  { "$py" -m pip install -q --upgrade pip \
      && "$py" -m pip install -q --no-cache-dir -e '.[clicks,packaging]'; } > build/venv-deb.log 2>&1 \
    || { tail -n 20 build/venv-deb.log >&2
         echo "package.sh: installing the build venv failed; the whole log is in build/venv-deb.log" >&2
         exit 4; }
  touch "$venv/.installed"
fi

version=$("$py" -c "from importlib.metadata import version; print(version('flare-reporter'))")
stamp=$( { find app capture diagnostics resources packaging docs/admin.md pyproject.toml .ci/package.sh \
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
# PyInstaller's log (hundreds of lines, even at WARN) goes to a file; CI prints one summary
# line, or the log's tail when the build fails.
mkdir -p build
log=build/pyinstaller.log
echo "== PyInstaller onedir build (log: $log)" >&2
if ! "$py" -m PyInstaller --noconfirm --log-level WARN \
    --distpath dist/pyinstaller --workpath build/pyinstaller packaging/pyinstaller/flare.spec \
    > "$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "package.sh: PyInstaller failed; the whole log is in $log" >&2
  exit 5
fi
kept=$(grep -o '[0-9]* libraries left to the distribution' "$log" || true)
echo "== built in $(( $(date +%s) - started )) s: ${kept:-no system libraries found}; $(grep -c 'WARNING' "$log" || true) warnings in $log" >&2
"dist/pyinstaller/flare/flare" --version >&2
echo "== .deb" >&2
rm -f dist/flare-reporter_*.deb dist/flare-reporter-*.rpm
built=$(PYTHON="$py" DEB_COMPRESSION=${DEB_COMPRESSION:-gzip} \
  bash packaging/linux/build-deb.sh dist/pyinstaller/flare dist "$version")
echo "== packaged in $(( $(date +%s) - started )) s: $(du -h "$built" | cut -f1) $built" >&2

echo "== checks" >&2
desktop-file-validate dist/stage/usr/share/applications/flare.desktop dist/stage/usr/share/flare/flare-autostart.desktop >&2
appstreamcli validate --no-net dist/stage/usr/share/metainfo/org.flare.reporter.metainfo.xml >&2
# lintian: errors fail the build; warnings are listed for the record.
lintian --tag-display-limit 0 "$built" > dist/lintian.txt 2>&1 || true
errors=$(grep -c '^E: ' dist/lintian.txt || true)
warnings=$(grep -c '^W: ' dist/lintian.txt || true)
echo "== lintian: $errors errors, $warnings warnings (dist/lintian.txt)" >&2
[ "$errors" = 0 ] || { grep '^E: ' dist/lintian.txt | head -20 >&2; exit 5; }

if command -v rpmbuild >/dev/null; then
  echo "== .rpm" >&2
  rpm=$(bash packaging/linux/build-rpm.sh dist/stage dist "$version")
  rpmlint -r packaging/linux/flare.rpmlintrc "$rpm" > dist/rpmlint.txt 2>&1 || true
  echo "== rpmlint: $(tail -1 dist/rpmlint.txt) (dist/rpmlint.txt)" >&2
fi
rm -rf dist/stage
echo "$stamp" > dist/.package-stamp
echo "$built"
