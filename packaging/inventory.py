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
import dataclasses
import json
import platform
import re
import shutil
import sys
import sysconfig
from dataclasses import dataclass
from importlib.metadata import Distribution, PackageNotFoundError, packages_distributions
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
    # Its top-level entries in the build's _internal folder (PIL, pillow.libs, …).
    tops: tuple[str, ...] = ()


def field(dist: Distribution, name: str) -> str:
    values = dist.metadata.get_all(name) or []
    return str(values[0]) if values else ""


def declared_license(dist: Distribution) -> str:
    """The SPDX expression, else a short License field, else the trove classifiers."""
    expression = field(dist, "License-Expression")
    if expression:
        return expression
    text = field(dist, "License").strip()
    # setuptools writes "UNKNOWN" where the author gave no License field: the classifiers say.
    if text and text.upper() != "UNKNOWN" and "\n" not in text and len(text) <= 80:
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


# The wheel SBOM's names of libraries, by the base name of their grafted copy (libjpeg-….so).
SBOM_BASES = {
    "libjpeg / libjpeg-turbo": "libjpeg",
    "Little CMS 2": "liblcms2",
    "OpenJPEG": "libopenjp2",
    "FreeType": "libfreetype",
    "HarfBuzz": "libharfbuzz",
}


def part_base(name: str) -> str:
    """ "libzstd (libzstd-40ad5e7e.so.1.5.7)" or "OpenJPEG" -> the copy's base name."""
    if " (" in name:
        return name.split(" (", 1)[0].lower()
    return SBOM_BASES.get(name, name).lower()


def without_unbundled(part: Component, unbundled: dict[str, Any]) -> Component:
    """``part`` without the built-in libraries whose copies the package dropped for the
    system's (packaging/linux/unbundle.py), naming the system libraries it uses instead."""
    removed = {f.split("-")[0].lower() for f in unbundled.get("removed", [])}
    contains = tuple(c for c in part.contains if part_base(c.name) not in removed)
    if len(contains) == len(part.contains):
        return part
    system = sorted(set(unbundled.get("replaced", {}).values()))
    summary = f"{part.summary.rstrip('.')}; uses the system's {', '.join(system)}"
    return dataclasses.replace(part, contains=contains, summary=summary)


def components(bundled: set[str]) -> list[Component]:
    by_module = packages_distributions()
    names = sorted({d for module in bundled for d in by_module.get(module, [])} - {PROJECT})
    found = []
    for name in names:
        dist = Distribution.from_name(name)
        tops = {str(f.parts[0]) for f in dist.files or [] if f.parts and f.parts[0] in bundled}
        found.append(
            Component(
                name=field(dist, "Name"),
                version=dist.version,
                license=declared_license(dist),
                license_files=license_files(dist),
                summary=field(dist, "Summary"),
                contains=wheel_parts(dist),
                tops=tuple(sorted(tops)),
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
        tops=("base_library.zip", f"python{sys.version_info.major}.{sys.version_info.minor}"),
    )


def bootloader_component() -> Component | None:
    """PyInstaller's bootloader: the start of the program file /opt/flare/flare."""
    try:
        dist = Distribution.from_name("pyinstaller")
    except PackageNotFoundError:
        return None
    return Component(
        name="PyInstaller bootloader",
        version=dist.version,
        license="GPL-2.0-or-later WITH Bootloader-exception",
        license_files=license_files(dist),
        summary="starts the frozen program (the bootloader exception allows any licence)",
    )


# Debian's short licence names (copyright-format 1.0, "License specification") for the
# identifiers and free-text names the wheels declare.
DEP5_NAMES = {
    "mit": "Expat",
    "mit license": "Expat",
    "mit-cmu": "MIT-CMU",
    "bsd-3-clause": "BSD-3-clause",
    "bsd-2-clause": "BSD-2-clause",
    "isc": "ISC",
    "0bsd": "0BSD",
    "zlib": "Zlib",
    "mit-0": "MIT-0",
    "apache-2.0": "Apache-2.0",
    "mpl-2.0": "MPL-2.0",
    "psf-2.0": "PSF-2.0",
    "psfl": "PSF-2.0",  # defusedxml: the Python Software Foundation License
    "lgpl-3.0-only": "LGPL-3",
    "lgplv3": "LGPL-3",
    "lgplv2+": "LGPL-2.1+",
    "gpl-2.0-only": "GPL-2",
    "gpl-3.0-only": "GPL-3",
    "gplv3": "GPL-3",
    "gplv3 license": "GPL-3",
    "gpl-2.0-or-later with bootloader-exception": "GPL-2+ with PyInstaller-bootloader exception",
}
# Debian short name -> file in /usr/share/common-licenses (the licence text need not be copied).
COMMON_DEP5 = {
    "Apache-2.0": "Apache-2.0",
    "GPL-2": "GPL-2",
    "GPL-3": "GPL-3",
    "LGPL-2.1+": "LGPL-2.1",
    "LGPL-3": "LGPL-3",
    "MPL-2.0": "MPL-2.0",
}
BOOTLOADER_LICENSE = "GPL-2+ with PyInstaller-bootloader exception"
INTERNAL = "opt/flare/_internal"


class UnknownLicense(Exception):
    """A wheel declares a licence this table cannot name: add it to DEP5_NAMES."""


def dep5_license(expression: str) -> str:
    """``Apache-2.0 OR BSD-3-Clause`` -> ``Apache-2.0 or BSD-3-clause``."""
    names = []
    for alternative in re.split(r"\s+OR\s+", expression.strip(), flags=re.IGNORECASE):
        key = alternative.strip().strip("()").lower().removesuffix(" license").strip()
        name = DEP5_NAMES.get(key) or DEP5_NAMES.get(alternative.strip().lower())
        if name is None:
            raise UnknownLicense(f"{expression!r}: add its Debian name to DEP5_NAMES")
        names.append(name)
    return " or ".join(names)


# A notice: "Copyright (c) 2015 Name", "(c) 2015 Name", "© 2015 Name": a year follows at once,
# which tells it from licence prose ("copyright license to reproduce…").
_COPYRIGHT_LINE = re.compile(
    r"^\s*(?:copyright\s*(?:\(c\)|©)?|\(c\)|©)\s*(\d{4}\b.*)$", re.IGNORECASE
)


def copyright_holders(component: Component) -> list[str]:
    """The copyright notices of a component's licence files, else its authors in general."""
    found: list[str] = []
    for path in component.license_files:
        try:
            lines = path.read_text("utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            match = _COPYRIGHT_LINE.match(line)
            holder = match.group(1).strip().rstrip(".") if match else ""
            # A template's placeholder ("<copyright holders>") names nobody.
            if holder and "<" not in holder and holder not in found:
                found.append(holder)
    return found[:12] or [f"the {component.name} authors"]


_COMMON_TEXT_START = re.compile(
    r"^\s*(GNU (?:LESSER |LIBRARY )?GENERAL PUBLIC LICENSE|Apache License)\s*$", re.IGNORECASE
)


def licence_text(component: Component) -> str:
    """The component's own licence file, without its copyright lines (they are in the
    Copyright field), as DEP-5 continuation lines."""
    main = [p for p in component.license_files if p.name.upper().startswith(("LICEN", "COPYING"))]
    if not main:
        return ""
    text = main[0].read_text("utf-8", errors="replace")
    lines = [ln.rstrip() for ln in text.splitlines() if not _COPYRIGHT_LINE.match(ln)]
    # A file that goes on with a whole GPL or Apache licence (PyInstaller's COPYING.txt) stops
    # there: Debian ships those texts, and a copyright file must point at them, not copy them.
    for index, line in enumerate(lines):
        common = _COMMON_TEXT_START.match(line)
        if common:
            lines = lines[:index]
            lines += [
                "",
                f"[The file goes on with the whole {common.group(1).strip()}, which Debian",
                "ships in /usr/share/common-licenses/, and whatever follows it; all of it is",
                f"in /usr/share/doc/{PROJECT}/licenses/{component.name}/{main[0].name}.]",
            ]
            break
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(f" {ln}" if ln.strip() else " ." for ln in lines)


def on_disk(component_files: list[str], internal: Path) -> list[str]:
    """DEP-5 patterns of the component's top-level entries that the build has on disk."""
    patterns = []
    for top in sorted(set(component_files)):
        path = internal / top
        if path.is_dir() and not path.is_symlink():
            patterns.append(f"{INTERNAL}/{top}/*")
        elif path.is_file() and not path.is_symlink():
            patterns.append(f"{INTERNAL}/{top}")
    return patterns


def render_copyright(
    version: str,
    year: int,
    parts: list[Component],
    internal: Path,
) -> str:
    """debian/copyright in the machine-readable format (DEP-5), from what the build holds.

    A component with files in ``internal`` (the onedir's _internal folder) gets a Files
    paragraph of its own; the pure-Python ones live byte-compiled inside the program file
    and are listed together under ``opt/flare/flare``, with the PyInstaller bootloader the
    program file starts with.
    """
    paragraphs = [
        "\n".join(
            [
                "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
                "Upstream-Name: Flare",
                "Upstream-Contact: Flare developers <flare@example.org>",
                f"Comment: Flare {version}, packaged as {PROJECT}. Generated from the build",
                " by packaging/inventory.py: every component below is inside /opt/flare, with",
                " the licence its distribution declares; each one's own licence files are in",
                f" /usr/share/doc/{PROJECT}/licenses/NAME/ and the same list is in the SBOM",
                f" /usr/share/doc/{PROJECT}/sbom.cdx.json.",
            ]
        ),
        "\n".join(
            [
                "Files: *",
                f"Copyright: {year} Flare developers",
                f"License: {PROJECT_LICENSE}",
            ]
        ),
    ]
    # The component whose licence file gives each short name its text (single-licence ones).
    used: dict[str, Component | None] = {PROJECT_LICENSE: None}
    inside_program: list[tuple[Component, str]] = []
    own: list[tuple[Component, str, list[str]]] = []
    for part in parts:
        name = dep5_license(part.license)
        for single in name.split(" or "):
            if used.get(single) is None:
                used[single] = part if part.license_files and " or " not in name else None
        if part.name == "PyInstaller bootloader":
            continue
        patterns = on_disk(list(part.tops), internal)
        if patterns:
            own.append((part, name, patterns))
        else:
            inside_program.append((part, name))
    bootloader = next((p for p in parts if p.name == "PyInstaller bootloader"), None)
    program_licenses = [PROJECT_LICENSE]
    holders = [f"{year} Flare developers"]
    comment = [" The program file holds the PyInstaller bootloader and, byte-compiled, Flare and"]
    comment.append(" these components:")
    if bootloader is not None:
        program_licenses.append(BOOTLOADER_LICENSE)
        holders += copyright_holders(bootloader)[:2]
    for part, name in inside_program:
        if name not in program_licenses:
            program_licenses.append(f"({name})" if " or " in name else name)
        holders += [h for h in copyright_holders(part) if h not in holders]
        comment.append(f" {part.name} {part.version} ({name});")
    paragraphs.append(
        "\n".join(
            [
                "Files: opt/flare/flare",
                "Copyright: " + "\n ".join(holders),
                "License: " + " and ".join(dict.fromkeys(program_licenses)),
                "Comment:",
                *comment,
            ]
        )
    )
    for part, name, patterns in own:
        lines = [
            "Files: " + "\n ".join(patterns),
            "Copyright: " + "\n ".join(copyright_holders(part)),
            f"License: {name}",
            f"Comment: {part.name} {part.version}"
            + (f", {part.summary.rstrip('.')}." if part.summary else "."),
        ]
        if part.contains:
            lines.append(" Built in (from the wheel's own SBOM or its grafted libraries):")
            lines += [f" {c.name} {c.version}: {c.license};" for c in part.contains]
        paragraphs.append("\n".join(lines))
    # One License paragraph per short name: Debian's copy where it has one, else the text of
    # the first component that ships it under that licence alone.
    for name, holder in sorted(used.items()):
        if name in COMMON_DEP5:
            paragraphs.append(
                f"License: {name}\n On Debian systems the full text is in"
                f"\n /usr/share/common-licenses/{COMMON_DEP5[name]}."
            )
            continue
        text = licence_text(holder) if holder is not None else ""
        fallback = f" See /usr/share/doc/{PROJECT}/licenses/."
        paragraphs.append(f"License: {name}\n" + (text or fallback))
    return "\n\n".join(paragraphs) + "\n"


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
        if part.name == "PyInstaller bootloader":
            item["purl"] = f"pkg:pypi/pyinstaller@{part.version}"
        elif part.name != "Python standard library":
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
    parser.add_argument(
        "--unbundled", type=Path, help="report of packaging/linux/unbundle.py on the build"
    )
    args = parser.parse_args(argv)
    if not args.bundled.is_file():
        print(f"inventory: {args.bundled} is missing; build with flare.spec first", file=sys.stderr)
        return 2
    bundled = set(args.bundled.read_text("utf-8").split())
    bootloader = bootloader_component()
    parts = [python_component(), *components(bundled), *([bootloader] if bootloader else [])]
    if args.unbundled:
        report = json.loads(args.unbundled.read_text("utf-8"))
        parts = [without_unbundled(p, report) for p in parts]
    internal = args.bundled.parent / "flare" / "_internal"
    if args.copyright:
        try:
            text = render_copyright(args.version, args.year, parts, internal)
        except UnknownLicense as exc:
            print(f"inventory: {exc}", file=sys.stderr)
            return 3
        args.copyright.write_text(text, "utf-8")
    if args.licenses:
        copy_license_files(parts, args.licenses)
    if args.sbom:
        args.sbom.write_text(render_sbom(args.version, parts), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
