"""macOS managed preferences, read from plist files in a fake Managed Preferences folder."""

from __future__ import annotations

import plistlib
from pathlib import Path
from typing import Any

import pytest

from app.settings import PolicySources, Settings, load_settings
from app.settings.macos_prefs import DOMAIN


def write_plist(path: Path, data: dict[str, Any], fmt: plistlib.PlistFormat) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o755)
    with path.open("wb") as fh:
        plistlib.dump(data, fh, fmt=fmt)
    path.chmod(0o644)
    return path


def load(root: Path) -> Settings:
    return load_settings(
        None,
        platform="darwin",
        env={},
        sources=PolicySources(macos_root=root, macos_user="alice"),
    )


@pytest.mark.parametrize("fmt", [plistlib.FMT_XML, plistlib.FMT_BINARY])
def test_computer_and_user_plists_are_managed_user_wins(
    tmp_path: Path, fmt: plistlib.PlistFormat
) -> None:
    computer = write_plist(
        tmp_path / f"{DOMAIN}.plist",
        {
            "capture.step_limit": 10,
            "general": {"organisation": "ACME", "allow_quit": False},
            "diagnostics.checks": [{"type": "dns", "name": "dc", "host": "dc.corp"}],
        },
        fmt,
    )
    user = write_plist(tmp_path / "alice" / f"{DOMAIN}.plist", {"capture.step_limit": 12}, fmt)
    write_plist(tmp_path / "bob" / f"{DOMAIN}.plist", {"capture.step_limit": 99}, fmt)
    s = load(tmp_path)
    assert s.problems == []
    assert s.get("capture.step_limit") == 12
    assert s.source("capture.step_limit").location == f"{user} [capture.step_limit]"
    assert s.get("general.organisation") == "ACME"
    assert s.source("general.organisation").location == f"{computer} [general.organisation]"
    assert s.get("general.allow_quit") is False and s.is_locked("general.allow_quit")
    assert s.get("diagnostics.checks") == [{"type": "dns", "name": "dc", "host": "dc.corp"}]


def test_bad_values_and_broken_plists_are_problems(tmp_path: Path) -> None:
    write_plist(
        tmp_path / f"{DOMAIN}.plist",
        {
            "capture.step_limit": "ten",
            "capture": {"stamp_scale": 9.0},
            "form.min_quality": 75,
        },
        plistlib.FMT_XML,
    )
    broken = tmp_path / "alice" / f"{DOMAIN}.plist"
    broken.parent.mkdir()
    broken.write_bytes(b"<plist><dict><key>x</key>")
    s = load(tmp_path)
    assert s.get("form.min_quality") == 75
    by_location = {p.location: p.message for p in s.problems}
    assert "whole number" in by_location[f"{tmp_path}/{DOMAIN}.plist [capture.step_limit]"]
    assert "from 0.5 to 4" in by_location[f"{tmp_path}/{DOMAIN}.plist [capture.stamp_scale]"]
    assert "not a readable property list" in by_location[str(broken)]


def test_writable_plist_is_refused(tmp_path: Path) -> None:
    path = write_plist(tmp_path / f"{DOMAIN}.plist", {"capture.step_limit": 3}, plistlib.FMT_XML)
    path.chmod(0o666)
    s = load(tmp_path)
    assert s.get("capture.step_limit") == 50
    assert "chmod 644" in s.problems[0].message


def test_no_managed_preferences_means_defaults(tmp_path: Path) -> None:
    s = load(tmp_path)
    assert s.problems == [] and s.as_dict() == Settings.defaults().as_dict()
