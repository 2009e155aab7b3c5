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


def load_with_recommended(root: Path, machine: Path, home: Path) -> Settings:
    return load_settings(
        None,
        platform="darwin",
        env={},
        sources=PolicySources(
            macos_root=root, macos_user="alice", macos_preferences=machine, macos_home=home
        ),
    )


def test_set_once_preferences_are_recommended_and_forced_ones_win(tmp_path: Path) -> None:
    machine = write_plist(
        tmp_path / "Preferences" / f"{DOMAIN}.plist",
        {"general.language": "uk", "general.organisation": "ACME", "capture.step_limit": 20},
        plistlib.FMT_XML,
    )
    write_plist(
        tmp_path / "managed" / f"{DOMAIN}.plist", {"capture.step_limit": 7}, plistlib.FMT_XML
    )
    s = load_with_recommended(tmp_path / "managed", tmp_path / "Preferences", tmp_path / "home")
    assert s.problems == []
    assert s.get("general.language") == "uk" and not s.is_locked("general.language")
    assert s.source("general.language").layer == "recommended"
    assert s.source("general.language").location == f"{machine} [general.language]"
    # The machine's root-owned file may recommend what only administrators set.
    assert s.get("general.organisation") == "ACME"
    assert s.get("capture.step_limit") == 7 and s.is_locked("capture.step_limit")


def test_the_users_own_preferences_recommend_only_what_users_may_change(tmp_path: Path) -> None:
    own = write_plist(
        tmp_path / "home/Library/Preferences" / f"{DOMAIN}.plist",
        {"general.autostart": False, "general.organisation": "Mallory Inc"},
        plistlib.FMT_BINARY,
    )
    s = load_with_recommended(tmp_path / "managed", tmp_path / "Preferences", tmp_path / "home")
    assert s.get("general.autostart") is False
    assert s.source("general.autostart").layer == "recommended"
    assert s.get("general.organisation") == ""  # the default, not the user's plist
    [problem] = s.problems
    assert problem.location == f"{own} [general.organisation]"
    assert "only an administrator may set it" in problem.message
