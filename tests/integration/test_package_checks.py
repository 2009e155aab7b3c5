"""The .deb as a Debian maintainer reviews it, without installing it: lintian, the desktop
entries and AppStream metadata, Depends against what the binaries really need, no copies of
libraries Debian ships, the copyright file, SBOM, changelog and man page.

The package is unpacked with dpkg-deb into a temporary folder; nothing needs root.
"""

from __future__ import annotations

import fnmatch
import gzip
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.integration.packages import built, unavailable

PACKAGE = "flare-reporter"
pytestmark = pytest.mark.slow


def need(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        unavailable(f"{tool} is missing (apt-get install {package})")


@pytest.fixture(scope="module")
def deb() -> Path:
    return built(f"{PACKAGE}_*.deb")


@pytest.fixture(scope="module")
def tree(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("deb")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True, timeout=300)
    return root


def field(deb: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True
    ).stdout.strip()


def relations(text: str) -> set[str]:
    """Package names of a Depends-style field (alternatives included, versions dropped)."""
    return {
        re.split(r"[\s(:]", alt.strip())[0]
        for part in text.split(",")
        for alt in part.split("|")
        if alt.strip()
    }


def elf_files(root: Path) -> list[Path]:
    out = subprocess.run(
        [
            "find",
            str(root / "opt/flare"),
            "-type",
            "f",
            "-exec",
            "file",
            "-N",
            "--mime-type",
            "{}",
            "+",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    kinds = ("application/x-sharedlib", "application/x-pie-executable", "application/x-executable")
    return [
        Path(line.rsplit(": ", 1)[0])
        for line in out.splitlines()
        if line.rsplit(": ", 1)[-1].strip() in kinds
    ]


def needed(path: Path) -> list[str]:
    out = subprocess.run(
        ["objdump", "-p", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return [line.split()[1] for line in out.splitlines() if line.strip().startswith("NEEDED")]


def system_packages(sonames: set[str]) -> dict[str, str]:
    """soname -> the Debian package that ships it in a library folder of this machine."""
    paths = {}
    for soname in sonames:
        for folder in Path("/usr/lib").glob("*-linux-gnu"):
            if (folder / soname).exists():
                real = (folder / soname).resolve()
                # dpkg may have recorded the /lib, the /usr/lib or the link's own spelling.
                for spelling in (
                    folder / soname,
                    real,
                    Path("/" + str(real).removeprefix("/usr/")),
                ):
                    paths[str(spelling)] = soname
    if not paths:
        return {}
    out = subprocess.run(
        ["dpkg-query", "-S", *sorted(paths)], capture_output=True, text=True, check=False
    ).stdout
    owners = {}
    for line in out.splitlines():
        owner, _, path = line.partition(": ")
        if path in paths:
            owners[paths[path]] = owner.split(",")[0].split(":")[0]
    return owners


def test_lintian_reports_no_errors(deb: Path) -> None:
    need("lintian", "lintian")
    result = subprocess.run(
        ["lintian", "--tag-display-limit", "0", str(deb)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if line.startswith("E: ")]
    assert errors == [], "\n".join(errors[:30])


def test_every_lintian_override_has_its_reason_beside_it(tree: Path) -> None:
    text = (tree / f"usr/share/lintian/overrides/{PACKAGE}").read_text("utf-8")
    blocks = [b for b in text.split("\n\n") if f"{PACKAGE}:" in b]
    assert blocks
    for block in blocks:
        assert block.lstrip().startswith("#"), f"override without a comment:\n{block}"


def test_desktop_entries_and_metainfo_validate(tree: Path) -> None:
    need("desktop-file-validate", "desktop-file-utils")
    need("appstreamcli", "appstream")
    entries = [
        tree / "usr/share/applications/flare.desktop",
        tree / "usr/share/flare/flare-autostart.desktop",
    ]
    for entry in entries:
        result = subprocess.run(
            ["desktop-file-validate", str(entry)], capture_output=True, text=True
        )
        assert result.returncode == 0 and result.stdout == "", result.stdout
        lines = entry.read_text("utf-8").splitlines()
        # TryExec: menus and sessions skip the entry if the program is gone.
        try_exec = next(x for x in lines if x.startswith("TryExec="))
        assert (tree / try_exec.split("=", 1)[1].lstrip("/")).is_file()
    assert (tree / "etc/xdg/autostart/flare.desktop").is_symlink()
    metainfo = tree / "usr/share/metainfo/org.flare.reporter.metainfo.xml"
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(metainfo)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = metainfo.read_text("utf-8")
    assert f'version="{field(built(f"{PACKAGE}_*.deb"), "Version")}"' in text
    assert '<launchable type="desktop-id">flare.desktop</launchable>' in text


def test_depends_names_every_library_the_binaries_need(deb: Path, tree: Path) -> None:
    """Every NEEDED soname is either in the package or in a package Depends names."""
    depends = relations(field(deb, "Depends"))
    carried = {p.name for p in (tree / "opt/flare").rglob("*.so*")}
    wanted = {soname: path.name for path in elf_files(tree) for soname in needed(path)}
    outside = set(wanted) - carried
    owners = system_packages(outside)
    unknown = sorted(outside - set(owners))
    assert unknown == [], f"needed but in no package of this machine: {unknown}"
    missing = {so: owner for so, owner in owners.items() if owner not in depends | {"libc6"}}
    assert "libc6" in depends
    # For example libwayland-cursor0 for Qt's Wayland client, once neither declared nor pulled in.
    assert missing == {}, f"needed but not in Depends: {missing}"


def test_no_desktop_is_pulled_in(deb: Path) -> None:
    # Recommends are installed by default: a tray app must not bring a desktop along.
    assert field(deb, "Recommends") == ""
    assert field(deb, "Suggests") == "gnome-shell-extension-appindicator"
    depends = relations(field(deb, "Depends"))
    desktops = {"gnome-shell", "gdm3", "plasma-workspace", "xfce4-panel", "xserver-xorg"}
    assert depends & desktops == set()


def test_libraries_debian_ships_are_not_bundled(tree: Path) -> None:
    """PyInstaller copies the system libraries it finds; the build leaves them to Debian."""
    internal = tree / "opt/flare/_internal"
    copies = system_packages({lib.name for lib in internal.glob("*.so*") if not lib.is_symlink()})
    assert copies == {}
    # The interpreter library is Debian's, opened through a link (its package is in Depends).
    (libpython,) = internal.glob("libpython3*.so*")
    assert libpython.is_symlink() and str(libpython.readlink()).startswith("/usr/lib/")
    runpaths = []
    for path in elf_files(tree):
        out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True).stdout
        for line in out.splitlines():
            words = line.split()
            if words[:1] in (["RUNPATH"], ["RPATH"]) and not words[1].startswith("$ORIGIN"):
                runpaths.append(f"{path.name}: {words[1]}")
    assert runpaths == []


def test_pillow_uses_debians_image_libraries_where_they_serve(deb: Path, tree: Path) -> None:
    """The wheel's private copies of libjpeg, libtiff, libwebp, lcms2, openjpeg and libxcb are
    gone; Pillow's modules link Debian's (whose security updates reach them), and Depends names
    their packages. What stays bundled is only what Debian 12's versions cannot serve."""
    pil = tree / "opt/flare/_internal/PIL"
    imaging = next(pil.glob("_imaging.cpython-*.so"))
    webp = next(pil.glob("_webp.cpython-*.so"))
    assert {"libjpeg.so.62", "libtiff.so.6", "libopenjp2.so.7", "libxcb.so.1"} <= set(
        needed(imaging)
    )
    assert {"libwebp.so.7", "libwebpmux.so.3", "libwebpdemux.so.2"} <= set(needed(webp))
    left = {p.name.split("-")[0] for p in (tree / "opt/flare/_internal/pillow.libs").iterdir()}
    gone = {"libjpeg", "libtiff", "libwebp", "libwebpmux", "libwebpdemux", "libxcb", "libXau"}
    assert left & gone == set(), left
    depends = relations(field(deb, "Depends"))
    assert {"libjpeg62-turbo", "libtiff6", "libwebp7", "liblcms2-2", "libopenjp2-7"} <= depends
    # No module was left pointing at a copy that is no longer there.
    carried = {p.name for p in (tree / "opt/flare/_internal").rglob("*.so*")}
    for module in pil.glob("*.so"):
        dangling = [n for n in needed(module) if re.match(r"lib.+-[0-9a-f]{8}\.so", n)]
        assert set(dangling) <= carried, (module.name, dangling)


def test_only_programs_are_executable(tree: Path) -> None:
    """Data files and libraries marked executable (as wheels ship some) are 0644."""
    programs = {
        p
        for p in elf_files(tree)
        if "executable"
        in subprocess.run(
            ["file", "-N", "--mime-type", "-b", str(p)], capture_output=True, text=True
        ).stdout
    }
    executable = {
        p
        for p in (tree / "opt/flare").rglob("*")
        if p.is_file() and not p.is_symlink() and p.stat().st_mode & 0o111
    }
    assert programs, "no program found in /opt/flare"
    assert executable == programs, sorted(str(p.relative_to(tree)) for p in executable ^ programs)[
        :10
    ]


def test_pynput_and_its_x_backend_are_inside(tree: Path) -> None:
    """The build collects pynput without a display (importing it there fails); the installed
    package test records a step at a real click with it."""
    sbom = json.loads((tree / "usr/share/doc" / PACKAGE / "sbom.cdx.json").read_text("utf-8"))
    names = {c["name"] for c in sbom["components"]}
    assert {"pynput", "python-xlib", "evdev"} <= names


def dep5(text: str) -> list[dict[str, str]]:
    """The paragraphs of a machine-readable copyright file (fields with continuation lines)."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        fields: dict[str, str] = {}
        name = ""
        for line in block.splitlines():
            if line[:1] in (" ", "\t"):
                assert name, f"continuation line before any field: {line!r}"
                fields[name] += "\n" + line[1:]
            else:
                name, sep, value = line.partition(":")
                assert sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", name), line
                assert name not in fields, f"{name} twice in one paragraph"
                fields[name] = value.strip()
        paragraphs.append(fields)
    return paragraphs


def test_copyright_is_machine_readable_and_covers_what_is_redistributed(tree: Path) -> None:
    """debian/copyright in the DEP-5 format, generated from the build: every component's
    files, copyright and licence; every licence named has its text or Debian's copy."""
    doc = tree / "usr/share/doc" / PACKAGE
    header, *paragraphs = dep5((doc / "copyright").read_text("utf-8"))
    assert header["Format"] == "https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
    files = [p for p in paragraphs if "Files" in p]
    licences = {
        p["License"].split("\n", 1)[0]: p["License"] for p in paragraphs if "Files" not in p
    }
    for paragraph in files:
        assert paragraph.get("Copyright"), paragraph["Files"]
        for name in re.split(r" or | and ", paragraph["License"].split("\n", 1)[0]):
            name = name.strip("()")
            assert name in licences, f"no License paragraph for {name}"
            text = licences[name].split("\n", 1)[1:]
            assert text and len(text[0]) > 40, f"License {name} has no text"

    # Which paragraph governs a file: the last whose pattern matches (DEP-5's rule).
    def governing(path: str) -> dict[str, str]:
        found = [p for p in files if any(fnmatch.fnmatchcase(path, g) for g in p["Files"].split())]
        return found[-1]

    internal = tree / "opt/flare/_internal"
    for lib in (internal / "pillow.libs").iterdir():
        paragraph = governing(str(lib.relative_to(tree)))
        assert paragraph["License"] == "MIT-CMU", lib.name
        # Each library Pillow's wheel carries is named, so a security notice can be matched.
        base = lib.name.split("-")[0].removeprefix("lib").lower()
        assert base in paragraph["Comment"].lower() or lib.name in paragraph["Comment"], lib.name
    qt = governing("opt/flare/_internal/PySide6/Qt/lib/libQt6Core.so.6")
    assert qt["License"].startswith("LGPL-3 or")
    assert "/usr/share/common-licenses/LGPL-3" in licences["LGPL-3"]
    assert "openssl" in governing("opt/flare/_internal/cryptography/hazmat/x")["Comment"].lower()
    program = governing("opt/flare/flare")
    assert "PyInstaller-bootloader exception" in program["License"]
    # The SBOM lists the same components, with their versions in the copyright file.
    sbom = json.loads((doc / "sbom.cdx.json").read_text("utf-8"))
    assert sbom["bomFormat"] == "CycloneDX"
    components = {c["name"]: c for c in sbom["components"]}
    text = (doc / "copyright").read_text("utf-8")
    for name in ("PySide6_Essentials", "shiboken6", "pillow", "requests", "pydantic", "pynput"):
        assert name in components, name
        assert f"{name} {components[name]['version']}" in text, name
    assert "LGPL-3.0-only" in json.dumps(components["PySide6_Essentials"]["licenses"])
    for part in components:
        if (doc / "licenses" / part).exists():
            assert any((doc / "licenses" / part).iterdir()), part


def test_changelog_and_man_page(deb: Path, tree: Path) -> None:
    doc = tree / "usr/share/doc" / PACKAGE
    changelog = gzip.decompress((doc / "changelog.gz").read_bytes()).decode()
    assert changelog.startswith(f"{PACKAGE} ({field(deb, 'Version')}) ")
    page = gzip.decompress((tree / "usr/share/man/man1/flare.1.gz").read_bytes()).decode()
    # Every command the frozen program offers is documented.
    shown = subprocess.run(
        [str(tree / "opt/flare/flare"), "--help"], capture_output=True, text=True, check=True
    ).stdout
    listed = shown.split("\n  COMMAND\n", 1)[1].split("\n\n", 1)[0]
    commands = re.findall(r"^    ([a-z][a-z-]*)\b", listed, re.MULTILINE)
    assert len(commands) >= 5, shown
    for command in commands:
        assert f'.SS "flare {command}"' in page.replace("\\-", "-"), command
    if shutil.which("man"):
        rendered = subprocess.run(
            ["man", "--warnings", "-l", "-"], input=page, capture_output=True, text=True
        )
        assert rendered.returncode == 0 and rendered.stderr == "", rendered.stderr
