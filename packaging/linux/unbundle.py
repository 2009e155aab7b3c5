"""Point the wheels' extension modules at the system's libraries instead of their own copies.

    python packaging/linux/unbundle.py STAGED_INTERNAL REPORT.json

Wheels built with auditwheel carry private copies of C libraries (Pillow's pillow.libs/:
libjpeg-6dc8d115.so.62.4.0, libtiff-…, libwebp-…, libxcb-…) that Debian's security updates
never reach. For each extension module that needs such a copy, this replaces the copy's name in
its DT_NEEDED entries by the system library of the same name and major version (libjpeg.so.62)
when the system has one (``ldconfig -p``), with patchelf, and keeps the change only when the
module then links: ``ldd -r`` finds every symbol it needs outside Python. A module the system's
older library cannot serve (Pillow's FreeType/HarfBuzz module needs HarfBuzz 10) keeps its
copies. Copies no module needs any more are deleted, with the links PyInstaller made to them.

The report lists what was replaced (copy -> system soname), what stays bundled and why; the
copyright file and SBOM are generated from it (packaging/inventory.py --unbundled). The .deb's
Depends then names the system libraries (dpkg-shlibdeps sees the new DT_NEEDED entries).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# auditwheel's name of a grafted copy: libNAME-<8 hex>.so.<version>
GRAFTED = re.compile(r"^(?P<base>lib[^/]+?)-[0-9a-f]{8}\.so\.(?P<version>[\d.]+)$")


# Copies that auditwheel named after the release rather than the soname: OpenJPEG 2.x installs
# libopenjp2.so.2.5.4 with the soname libopenjp2.so.7.
RELEASE_SONAMES = {("libopenjp2", "2"): "libopenjp2.so.7"}


def needed(path: Path) -> list[str]:
    out = subprocess.run(
        ["patchelf", "--print-needed", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return out.split()


def system_sonames() -> dict[str, list[str]]:
    """base name ("libjpeg") -> the sonames ldconfig knows for this machine's architecture."""
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    found: dict[str, list[str]] = {}
    for line in out.splitlines()[1:]:
        soname = line.strip().split(" ", 1)[0]
        match = re.fullmatch(r"(lib.+?)\.so\.\d+", soname)
        if match and soname not in found.get(match.group(1), []):
            found.setdefault(match.group(1), []).append(soname)
    return found


def unresolved(path: Path, libs: Path) -> list[str]:
    """Symbols the module needs that nothing it links provides (Python's own are provided by
    the interpreter at run time, so they do not count)."""
    env = {**os.environ, "LD_LIBRARY_PATH": str(libs)}
    out = subprocess.run(
        ["ldd", "-r", str(path)], capture_output=True, text=True, env=env, check=False
    )
    missing = []
    for line in (out.stdout + out.stderr).splitlines():
        if "not found" in line and "=>" in line:
            missing.append(line.split("=>")[0].strip())
        match = re.match(r"\s*undefined symbol: (\S+)", line)
        if match and not match.group(1).startswith(("Py", "_Py")):
            missing.append(match.group(1))
    return missing


def unbundle(internal: Path) -> dict[str, object]:
    sonames = system_sonames()
    replaced: dict[str, str] = {}
    kept: dict[str, str] = {}
    removed: list[str] = []
    for libs in sorted(internal.glob("*.libs")):
        copies = {p.name for p in libs.iterdir() if GRAFTED.match(p.name)}
        modules = [
            p for p in internal.rglob("*.so") if not p.is_symlink() and libs not in p.parents
        ]
        for module in sorted(modules):
            wanted = [n for n in needed(module) if n in copies]
            if not wanted:
                continue
            plan = {}
            for name in wanted:
                match = GRAFTED.match(name)
                assert match
                major = match.group("version").split(".")[0]
                candidates = sonames.get(match.group("base"), [])
                # The soname of the same major version: a copy of another major version has
                # another ABI, whatever symbols happen to match.
                same = RELEASE_SONAMES.get((match.group("base"), major)) or (
                    f"{match.group('base')}.so.{major}"
                )
                if same in candidates:
                    plan[name] = same
            if not plan:
                continue
            backup = module.with_name(module.name + ".orig")
            shutil.copy2(module, backup)
            for old, new in plan.items():
                subprocess.run(["patchelf", "--replace-needed", old, new, str(module)], check=True)
            missing = unresolved(module, libs)
            if missing:
                backup.replace(module)
                reason = f"the system's libraries lack {', '.join(sorted(missing)[:3])}"
                kept[str(module.relative_to(internal))] = reason
            else:
                backup.unlink()
                replaced.update(plan)
        # Delete the copies nothing needs any more (a copy may need another copy).
        while True:
            users = [p for p in internal.rglob("*.so*") if p.is_file() and not p.is_symlink()]
            wanted_now = {n for p in users for n in needed(p) if n in copies}
            unused = {c for c in copies if c not in wanted_now and (libs / c).exists()}
            if not unused:
                break
            for name in unused:
                (libs / name).unlink()
                removed.append(name)
    for link in internal.iterdir():  # PyInstaller's links to the copies, beside them
        if link.is_symlink() and not link.exists():
            link.unlink()
    remaining = sorted(p.name for libs in internal.glob("*.libs") for p in libs.iterdir())
    return {
        "replaced": dict(sorted(replaced.items())),
        "removed": sorted(removed),
        "kept_modules": kept,
        "bundled": remaining,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2 or shutil.which("patchelf") is None:
        print(
            "usage: unbundle.py STAGED_INTERNAL REPORT.json (needs patchelf: apt-get install "
            "patchelf)",
            file=sys.stderr,
        )
        return 2
    report = unbundle(Path(argv[0]))
    Path(argv[1]).write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    print(
        f"unbundle: {len(report['replaced'])} bundled libraries replaced by the system's, "  # type: ignore[arg-type]
        f"{len(report['bundled'])} kept",  # type: ignore[arg-type]
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
