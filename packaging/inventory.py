"""What the standalone build redistributes: the copyright file, the licence texts and an SBOM.

    python packaging/inventory.py --bundled dist/pyinstaller/flare-bundled.txt \\
        --version 0.1.0 --copyright OUT/copyright --licenses OUT/licenses --sbom OUT/flare.cdx.json

``--bundled`` is the list of top-level names the PyInstaller spec writes next to the build. Each
name is mapped to the installed distribution that provides it (run this with the Python that
made the build), so the copyright file and the CycloneDX SBOM list exactly what is inside,
with the licence each distribution declares and the licence files it ships. Libraries taken from
the system are not bundled (the spec leaves them to the distribution) and are not listed.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import sysconfig
from dataclasses import dataclass
from importlib.metadata import Distribution, packages_distributions
from pathlib import Path
from typing import Any

PROJECT = "flare-reporter"
PROJECT_LICENSE = "Apache-2.0"
# Licences Debian ships in /usr/share/common-licenses, by SPDX identifier.
COMMON_LICENSES = {
    "Apache-2.0": "Apache-2.0",
    "GPL-2.0-only": "GPL-2",
    "GPL-3.0-only": "GPL-3",
    "LGPL-2.1-only": "LGPL-2.1",
    "LGPL-3.0-only": "LGPL-3",
    "MPL-2.0": "MPL-2.0",
}


@dataclass(frozen=True)
class Part:
    """Something built into a wheel: a C library, a Rust crate (from the wheel's own SBOM or
    auditwheel's folder of grafted libraries)."""

    name: str
    version: str
    license: str


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    license: str
    license_files: tuple[Path, ...]
    summary: str
    contains: tuple[Part, ...] = ()


def field(dist: Distribution, name: str) -> str:
    values = dist.metadata.get_all(name) or []
    return str(values[0]) if values else ""


def declared_license(dist: Distribution) -> str:
    """The SPDX expression, else a short License field, else the trove classifiers."""
    expression = field(dist, "License-Expression")
    if expression:
        return expression
    text = field(dist, "License").strip()
    if text and "\n" not in text and len(text) <= 80:
        return text
    classifiers = [
        c.rsplit(" :: ", 1)[-1]
        for c in dist.metadata.get_all("Classifier") or []
        if c.startswith("License")
    ]
    return " OR ".join(classifiers) or "see the licence files"


def license_files(dist: Distribution) -> tuple[Path, ...]:
    found = []
    for file in dist.files or []:
        name = file.name.upper()
        in_licenses = "licenses" in file.parts or "license_files" in file.parts
        if in_licenses or name.startswith(("LICENSE", "LICENCE", "COPYING", "NOTICE", "AUTHORS")):
            path = Path(str(file.locate()))
            if path.is_file() and ".dist-info" in str(file):
                found.append(path)
    return tuple(sorted(found))


def _sbom_license(entry: dict[str, Any]) -> str:
    found = []
    for item in entry.get("licenses") or []:
        lic = item.get("license") or {}
        found.append(str(item.get("expression") or lic.get("id") or lic.get("name") or ""))
    return " AND ".join(f for f in found if f) or "not stated"


def wheel_parts(dist: Distribution) -> tuple[Part, ...]:
    """What the wheel says it has built in, and the libraries auditwheel grafted into it."""
    parts: dict[tuple[str, str], Part] = {}
    own = {field(dist, "Name").lower(), dist.name.lower()}
    grafted = []
    for file in dist.files or []:
        if "sboms" in file.parts and file.name.endswith(".json"):
            try:
                doc = json.loads(Path(str(file.locate())).read_text("utf-8"))
            except (OSError, ValueError):
                continue
            for entry in doc.get("components") or []:
                name = str(entry.get("name") or "")
                if entry.get("type") != "library" or name.lower() in own or "." in name[:4]:
                    continue  # the wheel itself, or one of its own extension modules (PIL._x)
                version = str(entry.get("version") or "")
                parts[(name.lower(), version)] = Part(name, version, _sbom_license(entry))
        elif len(file.parts) == 2 and file.parts[0].endswith(".libs"):
            grafted.append(file.name)
    named = " ".join(n for n, _ in parts).replace(" ", "")
    for lib in sorted(grafted):
        # libzstd-40ad5e7e.so.1.5.7: auditwheel's name; listed when no SBOM entry names it.
        base = lib.split("-")[0].removeprefix("lib")
        if base.lower() not in named:
            version = lib.split(".so.", 1)[-1] if ".so." in lib else ""
            parts[(base, version)] = Part(f"lib{base} ({lib})", version, "not stated in the wheel")
    return tuple(sorted(parts.values(), key=lambda p: p.name.lower()))


def components(bundled: set[str]) -> list[Component]:
    by_module = packages_distributions()
    names = sorted({d for module in bundled for d in by_module.get(module, [])} - {PROJECT})
    found = []
    for name in names:
        dist = Distribution.from_name(name)
        found.append(
            Component(
                name=field(dist, "Name"),
                version=dist.version,
                license=declared_license(dist),
                license_files=license_files(dist),
                summary=field(dist, "Summary"),
                contains=wheel_parts(dist),
            )
        )
    return found


def python_component() -> Component:
    # The standard library's modules are frozen into the executable; the interpreter library
    # itself comes from the system's libpython package when the build used the system Python.
    return Component(
        name="Python standard library",
        version=platform.python_version(),
        license="PSF-2.0",
        license_files=tuple(
            p for p in [Path(sysconfig.get_paths()["stdlib"], "LICENSE.txt")] if p.is_file()
        ),
        summary="the modules of the Python interpreter that made the build",
    )


def render_copyright(version: str, year: int, parts: list[Component]) -> str:
    lines = [
        f"Flare {version}, packaged as {PROJECT}.",
        "",
        "Flare",
        f"  Copyright (C) {year} Flare developers",
        f"  License: {PROJECT_LICENSE}",
        "",
        "Flare's standalone build in /opt/flare bundles the components below. Each one's own",
        f"licence files are in /usr/share/doc/{PROJECT}/licenses/NAME/, as it ships them.",
        "The Qt libraries under /opt/flare/_internal/PySide6/Qt come with PySide6 (LGPL-3.0).",
        "What a wheel has built in (the image libraries in /opt/flare/_internal/pillow.libs,",
        "Rust crates, OpenSSL inside cryptography) is listed under it, from the wheel's own",
        "SBOM or, failing that, the library files auditwheel grafted into it.",
        "",
    ]
    for part in parts:
        lines.append(f"{part.name} {part.version}")
        if part.summary:
            lines.append(f"  {part.summary}")
        lines.append(f"  License: {part.license}")
        if part.license_files:
            lines.append(f"  Licence files: licenses/{part.name}/")
        if part.contains:
            lines.append("  Built in:")
            lines.extend(f"    {c.name} {c.version}: {c.license}" for c in part.contains)
        lines.append("")
    words = " ".join(p.license for p in parts).replace("(", " ").replace(")", " ").split()
    used = {PROJECT_LICENSE, *words}
    lines.append("Licences shipped with Debian")
    for spdx, debian in COMMON_LICENSES.items():
        if spdx in used:
            lines.append(f"  {spdx}: /usr/share/common-licenses/{debian}")
    return "\n".join(lines) + "\n"


def copy_license_files(parts: list[Component], out: Path) -> None:
    for part in parts:
        if not part.license_files:
            continue
        folder = out / part.name
        folder.mkdir(parents=True, exist_ok=True)
        for path in part.license_files:
            target = folder / path.name
            if target.exists():  # two LICENSE files in different folders of one wheel
                target = folder / f"{path.parent.name}-{path.name}"
            shutil.copyfile(path, target)


def render_sbom(version: str, parts: list[Component]) -> str:
    """CycloneDX 1.5 JSON: one library component per bundled distribution."""

    def license_entry(expression: str) -> dict[str, object]:
        if " " in expression or "(" in expression:
            return {"expression": expression}
        return {"license": {"id" if expression[:1].isupper() else "name": expression}}

    items = []
    for part in parts:
        item: dict[str, object] = {
            "type": "library",
            "name": part.name,
            "version": part.version,
            "licenses": [license_entry(part.license)],
        }
        if part.name != "Python standard library":
            item["purl"] = f"pkg:pypi/{part.name.lower()}@{part.version}"
        if part.contains:
            item["components"] = [
                {
                    "type": "library",
                    "name": c.name,
                    "version": c.version,
                    "licenses": [license_entry(c.license)],
                }
                for c in part.contains
            ]
        items.append(item)
    document = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "metadata": {
            "component": {
                "type": "application",
                "name": PROJECT,
                "version": version,
                "licenses": [license_entry(PROJECT_LICENSE)],
            }
        },
        "components": items,
    }
    return json.dumps(document, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundled", type=Path, required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--year", type=int, required=True, help="of the release, for the notice")
    parser.add_argument("--copyright", type=Path)
    parser.add_argument("--licenses", type=Path)
    parser.add_argument("--sbom", type=Path)
    args = parser.parse_args(argv)
    if not args.bundled.is_file():
        print(f"inventory: {args.bundled} is missing; build with flare.spec first", file=sys.stderr)
        return 2
    bundled = set(args.bundled.read_text("utf-8").split())
    parts = [python_component(), *components(bundled)]
    if args.copyright:
        args.copyright.write_text(render_copyright(args.version, args.year, parts), "utf-8")
    if args.licenses:
        copy_license_files(parts, args.licenses)
    if args.sbom:
        args.sbom.write_text(render_sbom(args.version, parts), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
