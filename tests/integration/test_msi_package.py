"""The Windows installer source, built with wixl (msitools) from a stand-in onedir, and its
tables read back with msiinfo: upgrades (same version included), the launch conditions, the
public properties that never take over Group Policy's values, the icon and the signing switch.

The real onedir is built on Windows; the MSI's structure does not depend on the files' contents.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import cast

import pytest
from PIL import Image, ImageChops

from tests.integration.packages import unavailable

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "packaging/windows/build-msi.sh"
VERSION = "1.2.3"
VERSION_MAX_INCLUSIVE = 0x200
VERSION_MIN_INCLUSIVE = 0x100
ONLY_DETECT = 0x2


def need_tools() -> None:
    for tool, package in (
        ("wixl", "wixl"),
        ("msiinfo", "msitools"),
        ("rsvg-convert", "librsvg2-bin"),
        ("icotool", "icoutils"),
    ):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is missing (apt-get install {package})")


def stand_in_onedir(folder: Path) -> Path:
    for name in (
        "flare.exe",
        "flare-gui.exe",
        "_internal/python311.dll",
        "_internal/PySide6/Qt6Core.dll",
    ):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"MZ" + name.encode())
    return folder


def build(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    app = stand_in_onedir(tmp_path / "app")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FLARE_SIGN")}
    return subprocess.run(
        ["bash", str(BUILD), str(app), str(tmp_path / "out"), VERSION],
        capture_output=True,
        text=True,
        timeout=300,
        env={**clean, **env},
    )


@pytest.fixture(scope="module")
def msi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_tools()
    tmp = tmp_path_factory.mktemp("msi")
    result = build(tmp)
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.is_file()
    # No certificate configured: the script says the MSI is unsigned, it does not pretend.
    assert f"UNSIGNED {path}" in result.stderr
    return path


def table(msi: Path, name: str) -> list[list[str]]:
    # cwd: exporting a table of binary streams (Icon) writes them into a folder named after it.
    out = subprocess.run(
        ["msiinfo", "export", str(msi), name],
        capture_output=True,
        text=True,
        check=True,
        cwd=msi.parent,
    ).stdout
    return [line.split("\t") for line in out.splitlines()[3:]]


def test_every_file_of_the_onedir_is_installed(msi: Path) -> None:
    names = {row[2].split("|")[-1] for row in table(msi, "File")}
    assert names == {"flare.exe", "flare-gui.exe", "python311.dll", "Qt6Core.dll"}


def test_same_version_upgrades_replace_and_newer_versions_block(msi: Path) -> None:
    rows = {row[-1]: row for row in table(msi, "Upgrade")}
    upgrade = rows["WIX_UPGRADE_DETECTED"]
    assert upgrade[2] == VERSION
    attributes = int(upgrade[4])
    assert attributes & VERSION_MAX_INCLUSIVE, "a rebuilt MSI of the same version must replace"
    assert attributes & VERSION_MIN_INCLUSIVE
    downgrade = rows["WIX_DOWNGRADE_DETECTED"]
    assert downgrade[1] == VERSION and int(downgrade[4]) == ONLY_DETECT
    sequence = {row[0]: int(row[2]) for row in table(msi, "InstallExecuteSequence")}
    assert (
        sequence["InstallValidate"]
        < sequence["RemoveExistingProducts"]
        < sequence["InstallFinalize"]
    )
    conditions = [row[0].strip() for row in table(msi, "LaunchCondition")]
    assert "NOT WIX_DOWNGRADE_DETECTED" in conditions
    assert "Privileged" in conditions


def test_public_properties_never_take_over_group_policy_values(msi: Path) -> None:
    locators = {row[0]: row for row in table(msi, "RegLocator")}
    searches = {row[0]: row[1] for row in table(msi, "AppSearch")}  # property -> locator
    props = ("HELPDESK_URL", "DESTINATION", "ORG_TOKEN")
    for prop in props:
        # Remembered from the installer's own key, never read back from the policy key.
        assert locators[searches[prop]][2] == r"SOFTWARE\Flare\Installer", prop
        assert locators[searches[f"GPO_{prop}"]][2] == r"SOFTWARE\Policies\Flare", prop
    components = {row[0]: row for row in table(msi, "Component")}
    registry = table(msi, "Registry")
    for prop in props:
        (row,) = [r for r in registry if r[4] == f"[{prop}]" and r[2] == r"SOFTWARE\Policies\Flare"]
        condition = components[row[5]][4]
        # Written only when given and Group Policy has no other value under that name.
        assert condition == f"{prop} AND (NOT GPO_{prop} OR GPO_{prop} = {prop})", row
    # A value on the command line wins over the remembered one (saved before AppSearch).
    actions = {row[0]: row for row in table(msi, "CustomAction")}
    for sequence in ("InstallExecuteSequence", "InstallUISequence"):
        order = {row[0]: (row[1], int(row[2])) for row in table(msi, sequence)}
        search = order["AppSearch"][1]
        for prop in props:
            save = next(a for a, row in actions.items() if row[2] == f"CMDLINE_{prop}")
            restore = next(a for a, row in actions.items() if row[3] == f"[CMDLINE_{prop}]")
            assert actions[save][3] == f"[{prop}]" and actions[restore][2] == prop
            assert order[save][1] < search < order[restore][1], (sequence, prop)
            assert order[restore][0] == f"CMDLINE_{prop}"
    secure = dict((row[0], row[1]) for row in table(msi, "Property"))["SecureCustomProperties"]
    assert set(props) <= set(secure.split(";"))
    assert "ORG_TOKEN" in " ".join(c[0] for c in table(msi, "LaunchCondition"))


def test_autostart_shortcut_and_icon(msi: Path) -> None:
    registry = table(msi, "Registry")
    run = [r for r in registry if r[2] == r"SOFTWARE\Microsoft\Windows\CurrentVersion\Run"]
    assert run and run[0][4] == '"[INSTALLFOLDER]flare-gui.exe"'
    assert [row[0] for row in table(msi, "Icon")] == ["flare.ico"]
    props = dict((row[0], row[1]) for row in table(msi, "Property"))
    assert props["ARPPRODUCTICON"] == "flare.ico"
    assert props["ProductVersion"] == VERSION
    assert props["ALLUSERS"] == "1"


def test_release_builds_refuse_to_be_unsigned(tmp_path: Path) -> None:
    need_tools()
    result = build(tmp_path, FLARE_SIGN_REQUIRED="1")
    assert result.returncode == 3
    assert "unsigned" in result.stderr


def test_committed_icon_is_the_svg_drawn_at_every_size(tmp_path: Path) -> None:
    need_tools()
    fresh = tmp_path / "flare.ico"
    subprocess.run(["bash", str(ROOT / "packaging/windows/make-icon.sh"), str(fresh)], check=True)
    committed = ROOT / "packaging/windows/flare.ico"
    with Image.open(committed) as ico, Image.open(fresh) as new:
        sizes = set(ico.info["sizes"])
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= sizes
        assert sizes == set(new.info["sizes"])
        for size in sizes:
            ico.size = new.size = size  # type: ignore[misc]  # selects the frame of that size
            difference = ImageChops.difference(ico.convert("RGBA"), new.convert("RGBA"))
            # RGBA: one (low, high) pair per band.
            bands = cast("tuple[tuple[int, int], ...]", difference.getextrema())
            worst = max(high for _, high in bands)
            assert worst <= 8, (
                f"{size}: run packaging/windows/make-icon.sh packaging/windows/flare.ico"
            )
