"""The Windows installer source, built with wixl (msitools) from a stand-in onedir, and its
tables read back with msiinfo: upgrades (same version included), the launch conditions, the
public properties that never take over Group Policy's values, the icon and the signing switch.

The real onedir is built on Windows; the MSI's structure does not depend on the files' contents.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
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


SETTINGS = {
    "HELPDESK_URL": "destination.url",
    "DESTINATION": "destination.type",
    "ORG_TOKEN": "destination.token",
}
INSTALLER_KEY = r"SOFTWARE\Flare\Installer"


def test_public_properties_live_in_a_key_of_their_own_never_under_group_policy(msi: Path) -> None:
    registry = table(msi, "Registry")
    # Nothing the MSI writes (and so nothing it deletes on uninstall) is under the policy key.
    assert [r for r in registry if r[2].lower().startswith(r"software\policies")] == []
    locators = {row[0]: row for row in table(msi, "RegLocator")}
    searches = {row[0]: row[1] for row in table(msi, "AppSearch")}  # property -> locator
    components = {row[0]: row for row in table(msi, "Component")}
    for prop, setting in SETTINGS.items():
        # Read back on repair and upgrade from the same key and name it is written to.
        locator = locators[searches[prop]]
        assert (locator[2], locator[3]) == (INSTALLER_KEY, setting), prop
        (row,) = [r for r in registry if r[4] == f"[{prop}]"]
        assert (row[1], row[2], row[3]) == ("2", INSTALLER_KEY, setting), row  # 2: HKLM
        # Written only when given.
        assert components[row[5]][4] == prop, row
    # Flare reads that key as managed policy below Group Policy's keys.
    from app.settings.windows_registry import INSTALLER_KEY as read
    from app.settings.windows_registry import MANAGED_KEYS

    assert read == INSTALLER_KEY and MANAGED_KEYS[0] == rf"HKLM\{INSTALLER_KEY}"
    # A value on the command line wins over the remembered one (saved before AppSearch).
    actions = {row[0]: row for row in table(msi, "CustomAction")}
    for sequence in ("InstallExecuteSequence", "InstallUISequence"):
        order = {row[0]: (row[1], int(row[2])) for row in table(msi, sequence)}
        search = order["AppSearch"][1]
        for prop in SETTINGS:
            save = next(a for a, row in actions.items() if row[2] == f"CMDLINE_{prop}")
            restore = next(a for a, row in actions.items() if row[3] == f"[CMDLINE_{prop}]")
            assert actions[save][3] == f"[{prop}]" and actions[restore][2] == prop
            assert order[save][1] < search < order[restore][1], (sequence, prop)
            assert order[restore][0] == f"CMDLINE_{prop}"
    secure = dict((row[0], row[1]) for row in table(msi, "Property"))["SecureCustomProperties"]
    assert set(SETTINGS) <= set(secure.split(";"))
    assert "ORG_TOKEN" in " ".join(c[0] for c in table(msi, "LaunchCondition"))


def test_autostart_shortcut_and_icon(msi: Path) -> None:
    registry = table(msi, "Registry")
    run = [r for r in registry if r[2] == r"SOFTWARE\Microsoft\Windows\CurrentVersion\Run"]
    # The login start: general.autostart can turn it off (flare --autostart then exits).
    assert run and run[0][4] == '"[INSTALLFOLDER]flare-gui.exe" --autostart'
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


WIX5 = ROOT / "packaging/windows/wix/Flare.wxs"
WIX5_NS = "{http://wixtoolset.org/schemas/v4/wxs}"
WIXL_NS = "{http://schemas.microsoft.com/wix/2006/wi}"


def _registry_values(root: ET.Element, ns: str) -> set[tuple[str, str, str, str]]:
    found = set()
    for value in root.iter(f"{ns}RegistryValue"):
        key = value.get("Key") or ""
        parent_key = next(
            (k.get("Key") for k in root.iter(f"{ns}RegistryKey") if value in list(k)), None
        )
        found.add(
            (
                value.get("Root") or "HKLM",
                parent_key or key,
                value.get("Name") or "",
                value.get("Value") or "",
            )
        )
    return found


def test_the_wix5_source_builds_the_same_installer_as_the_wixl_one(msi: Path) -> None:
    """The Windows workflow builds packaging/windows/wix/Flare.wxs with WiX 5; it cannot run
    here, so this keeps it in step with the source wixl builds (and whose tables the tests
    above read): same upgrade code, components, registry values, searches and conditions."""
    wix5 = ET.parse(WIX5).getroot()
    wixl = ET.parse(ROOT / "packaging/windows/flare.wxs").getroot()
    package = wix5.find(f"{WIX5_NS}Package")
    product = wixl.find(f"{WIXL_NS}Product")
    assert package is not None and product is not None
    assert package.get("UpgradeCode") == product.get("UpgradeCode")
    assert package.get("Scope") == "perMachine"
    upgrade = package.find(f"{WIX5_NS}MajorUpgrade")
    assert upgrade is not None and upgrade.get("AllowSameVersionUpgrades") == "yes"
    assert upgrade.get("Schedule") == "afterInstallValidate"

    def components(root: ET.Element, ns: str) -> dict[str, str]:
        return {c.get("Id") or "": c.get("Guid") or "" for c in root.iter(f"{ns}Component")}

    assert components(wix5, WIX5_NS) == components(wixl, WIXL_NS)
    assert _registry_values(wix5, WIX5_NS) == _registry_values(wixl, WIXL_NS)

    def searches(root: ET.Element, ns: str) -> set[tuple[str, ...]]:
        return {
            (p.get("Id") or "", s.get("Root") or "", s.get("Key") or "", s.get("Name") or "")
            for p in root.iter(f"{ns}Property")
            for s in p.iter(f"{ns}RegistrySearch")
        }

    assert searches(wix5, WIX5_NS) == searches(wixl, WIXL_NS)
    secure = {p.get("Id") for p in wix5.iter(f"{WIX5_NS}Property") if p.get("Secure") == "yes"}
    assert secure == set(SETTINGS)

    def words(text: str | None) -> str:
        return " ".join((text or "").split())

    launch = {words(c.get("Condition")) for c in wix5.iter(f"{WIX5_NS}Launch")}
    conditions = {words(c.text) for c in wixl.iter(f"{WIXL_NS}Condition") if c.get("Message")}
    # WiX 5's MajorUpgrade stops a downgrade itself (wixl's source spells that condition out).
    assert upgrade.get("DowngradeErrorMessage")
    assert launch == conditions - {"NOT WIX_DOWNGRADE_DETECTED"}
    # The component conditions build-msi.sh writes into the wixl MSI's table.
    built = {row[0]: row[4] for row in table(msi, "Component") if row[4]}
    stated = {
        c.get("Id"): c.get("Condition")
        for c in wix5.iter(f"{WIX5_NS}Component")
        if c.get("Condition")
    }
    assert stated == built
    # Save before AppSearch and restore after it, for each property, as in the wixl build.
    actions = {row[0]: (row[2], row[3]) for row in table(msi, "CustomAction")}
    for setter in wix5.iter(f"{WIX5_NS}SetProperty"):
        assert actions[setter.get("Action") or ""] == (setter.get("Id"), setter.get("Value"))
        assert setter.get("Sequence") == "both"
