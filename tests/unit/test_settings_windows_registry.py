"""Windows group policy, read through a fake registry (the real one exists only on Windows)."""

from __future__ import annotations

import json
import sys

import pytest

from app.settings import PolicySources, Settings, load_settings
from app.settings.windows_registry import (
    REG_DWORD,
    REG_EXPAND_SZ,
    REG_MULTI_SZ,
    REG_QWORD,
    REG_SZ,
    RegistryValue,
)

HKLM = r"HKLM\SOFTWARE\Policies\Flare"
HKCU = r"HKCU\SOFTWARE\Policies\Flare"
INSTALLER = r"HKLM\SOFTWARE\Flare\Installer"


class FakeRegistry:
    def __init__(self, keys: dict[str, list[RegistryValue]]) -> None:
        self.keys = keys
        self.asked: list[str] = []

    def values(self, key_path: str) -> list[RegistryValue] | None:
        self.asked.append(key_path)
        return self.keys.get(key_path)


def load(keys: dict[str, list[RegistryValue]]) -> Settings:
    return load_settings(
        None, platform="win32", env={}, sources=PolicySources(registry=FakeRegistry(keys))
    )


def test_value_types_convert_to_declared_types() -> None:
    check = {"type": "tcp", "name": "proxy", "host": "proxy", "port": 3128}
    s = load(
        {
            HKLM: [
                ("capture.step_limit", 20, REG_DWORD),
                ("capture.click_capture", 1, REG_DWORD),
                ("capture.window_title", 0, REG_DWORD),
                ("capture.stamp_scale", "1.5", REG_SZ),
                ("destination.max_attachment_mb", 25, REG_QWORD),
                ("general.organisation", "ACME", REG_SZ),
                ("reports.folder", r"C:\Users\me\Reports", REG_EXPAND_SZ),
                ("diagnostics.applications", ["outlook.exe", "", "teams.exe"], REG_MULTI_SZ),
                ("diagnostics.redact", '["email", "ip"]', REG_SZ),
                ("diagnostics.checks", [json.dumps(check)], REG_MULTI_SZ),
                ("", "ignored default value", REG_SZ),
            ]
        }
    )
    assert s.problems == []
    assert s.get("capture.step_limit") == 20
    assert s.get("capture.click_capture") is True
    assert s.get("capture.window_title") is False
    assert s.get("capture.stamp_scale") == 1.5
    assert s.get("destination.max_attachment_mb") == 25
    assert s.get("general.organisation") == "ACME"
    assert str(s.get("reports.folder")) == r"C:\Users\me\Reports"
    assert s.get("diagnostics.applications") == ["outlook.exe", "teams.exe"]
    assert s.get("diagnostics.redact") == ["email", "ip"]
    assert s.get("diagnostics.checks") == [check]
    assert s.is_locked("capture.step_limit")
    assert s.source("capture.step_limit").location == HKLM + r"\capture.step_limit"


def test_object_list_as_one_json_string() -> None:
    checks = [{"type": "dns", "name": "dc", "host": "dc.corp"}]
    s = load({HKLM: [("diagnostics.checks", json.dumps(checks), REG_SZ)]})
    assert s.get("diagnostics.checks") == checks


def test_recommended_key_is_overridable_and_machine_beats_user_policy() -> None:
    s = load(
        {
            HKLM + r"\Recommended": [("general.language", "ru", REG_SZ)],
            HKCU: [("capture.step_limit", 5, REG_DWORD), ("form.min_quality", 10, REG_DWORD)],
            HKLM: [("capture.step_limit", 6, REG_DWORD)],
        }
    )
    assert s.source("general.language").layer == "recommended"
    assert not s.is_locked("general.language")
    assert s.get("capture.step_limit") == 6  # HKLM wins over HKCU
    assert s.get("form.min_quality") == 10 and s.is_locked("form.min_quality")


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        (("capture.step_limit", "many", REG_SZ), "expected a REG_DWORD number"),
        (("capture.step_limit", 900, REG_DWORD), "from 1 to 500, got 900"),
        (("capture.enabled", 2, REG_DWORD), "0 or 1"),
        (("capture.stamp_scale", "big", REG_SZ), "a number as REG_SZ"),
        (("general.organisation", 5, REG_DWORD), "expected REG_SZ text, got REG_DWORD 5"),
        (("diagnostics.checks", "[{", REG_SZ), "not valid JSON at character 3"),
        (("diagnostics.applications", 3, REG_DWORD), "expected REG_MULTI_SZ"),
        (("capture.steplimit", 3, REG_DWORD), 'did you mean "capture.step_limit"'),
        (("destination.token", 12345678, REG_DWORD), "REG_SZ text, got REG_DWORD;"),
    ],
)
def test_bad_values_are_reported_with_the_value_path(value: RegistryValue, needle: str) -> None:
    s = load({HKLM: [value, ("form.min_quality", 70, REG_DWORD)]})
    [problem] = s.problems
    assert needle in problem.message
    assert problem.location == rf"{HKLM}\{value[0]}"
    assert s.get("form.min_quality") == 70  # the rest still applies


def test_a_dword_secret_is_never_echoed() -> None:
    [problem] = load({HKLM: [("destination.token", 987654321, REG_DWORD)]}).problems
    assert "987654321" not in problem.message


def test_bad_item_location_points_into_the_list() -> None:
    bad = [json.dumps({"type": "dns", "name": "a", "host": "h"}), json.dumps({"type": "dns"})]
    [problem] = load({HKLM: [("diagnostics.checks", bad, REG_MULTI_SZ)]}).problems
    assert problem.location == rf"{HKLM}\diagnostics.checks[1]"
    assert "item 2" in problem.message and '"name" is required' in problem.message


def test_all_five_keys_are_read() -> None:
    fake = FakeRegistry({})
    load_settings(None, platform="win32", env={}, sources=PolicySources(registry=fake))
    assert set(fake.asked) == {
        HKLM,
        HKCU,
        HKLM + r"\Recommended",
        HKCU + r"\Recommended",
        INSTALLER,
    }


def test_the_installers_values_are_managed_and_group_policy_wins_over_them() -> None:
    s = load(
        {
            INSTALLER: [
                ("destination.type", "rt", REG_SZ),
                ("destination.url", "https://msi.example.org/rt/", REG_SZ),
            ],
            HKCU: [("destination.url", "https://user-gpo.example.org/", REG_SZ)],
        }
    )
    assert s.get("destination.type") == "rt" and s.is_locked("destination.type")
    assert s.source("destination.type").location == rf"{INSTALLER}\destination.type"
    assert s.get("destination.url") == "https://user-gpo.example.org/"
    s = load(
        {
            INSTALLER: [("destination.url", "https://msi.example.org/rt/", REG_SZ)],
            HKLM: [("destination.url", "https://gpo.example.org/", REG_SZ)],
        }
    )
    assert s.get("destination.url") == "https://gpo.example.org/"
    assert s.source("destination.url").location == rf"{HKLM}\destination.url"


@pytest.mark.skipif(sys.platform == "win32", reason="there the real registry is read")
def test_without_a_registry_the_problem_says_so() -> None:
    s = load_settings(None, platform="win32", env={}, sources=PolicySources())
    assert s.get("capture.step_limit") == 50
    [problem] = s.problems
    assert problem.location == "registry" and "FLARE_POLICY_DIR" in problem.message
