"""Settings objects: lookups, locking, test overrides, and saving the user's own values."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.context import AppContext
from app.settings import (
    LockedSettingError,
    Settings,
    SettingsError,
    SettingSource,
    UnknownSettingError,
    load_settings,
)
from app.settings.user_file import write_user_json


def managed(root: Path, data: dict[str, object]) -> Path:
    folder = root / "managed"
    folder.mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)
    folder.chmod(0o755)
    path = folder / "m.json"
    path.write_text(json.dumps(data), "utf-8")
    path.chmod(0o644)
    return path


def test_unknown_key_raises_keyerror_with_a_suggestion() -> None:
    with pytest.raises(KeyError) as info:
        Settings.defaults().get("capture.step_limt")
    assert isinstance(info.value, UnknownSettingError)
    assert (
        str(info.value)
        == 'unknown setting "capture.step_limt" (did you mean "capture.step_limit"?)'
    )
    with pytest.raises(UnknownSettingError, match='did you mean "general.log_level"'):
        Settings.defaults().source("capture.log_level")


def test_defaults_have_default_sources_and_no_locks() -> None:
    s = Settings.defaults()
    assert s.source("capture.step_limit") == SettingSource("default", "built-in")
    items = list(s.items())
    assert [i.key for i in items][:2] == ["general.language", "general.organisation"]
    assert all(i.source.layer == "default" and not i.locked for i in items)
    key, value, source, locked = items[0]
    assert (key, value, source.layer, locked) == ("general.language", "auto", "default", False)


def test_with_overrides_is_a_locked_layer_in_both_spellings() -> None:
    s = Settings.defaults()
    a = s.with_overrides({"capture.step_limit": 5})
    b = s.with_overrides(**{"capture.step_limit": 6, "reports.folder": "/srv/reports"})
    assert a.get("capture.step_limit") == 5 and a.is_locked("capture.step_limit")
    assert a.source("capture.step_limit").layer == "managed"
    assert b.get("capture.step_limit") == 6 and b.get("reports.folder") == Path("/srv/reports")
    assert s.get("capture.step_limit") == 50  # the original is unchanged


@pytest.mark.parametrize(
    ("overrides", "error", "needle"),
    [
        ({"capture.steplimit": 5}, UnknownSettingError, "did you mean"),
        ({"capture.step_limit": 0}, SettingsError, "from 1 to 500"),
        ({"diagnostics.checks": [{"type": "dns", "name": "x"}]}, SettingsError, 'needs "host"'),
    ],
)
def test_with_overrides_refuses_bad_input(
    overrides: dict[str, object], error: type[Exception], needle: str
) -> None:
    with pytest.raises(error, match=needle):
        Settings.defaults().with_overrides(overrides)


def test_app_context_for_tests_uses_overrides(tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path, capture__step_limit=7)
    assert ctx.settings.get("capture.step_limit") == 7
    assert ctx.reports_dir() == ctx.dirs.reports  # reports.folder unset -> None


def test_lists_returned_are_copies() -> None:
    s = Settings.defaults().with_overrides({"diagnostics.applications": ["firefox"]})
    s.get("diagnostics.applications").append("evil")
    for item in s.items():
        if item.key == "diagnostics.applications":
            item.value.append("evil")
    assert s.get("diagnostics.applications") == ["firefox"]


def test_set_user_writes_the_file_and_returns_new_settings(tmp_path: Path) -> None:
    user_file = tmp_path / "config" / "settings.json"
    s = Settings.defaults().set_user("capture.step_limit", 12, user_file)
    s = s.set_user("reports.folder", Path("/data/reports"), user_file)
    assert s.get("capture.step_limit") == 12
    assert s.source("capture.step_limit").layer == "user"
    assert s.source("capture.step_limit").location.startswith(f"{user_file}:")
    assert json.loads(user_file.read_text("utf-8")) == {
        "capture.step_limit": 12,
        "reports.folder": "/data/reports",
    }
    again = load_settings(user_file, policy_dir=tmp_path / "none", platform="linux", env={})
    assert again.get("capture.step_limit") == 12
    assert again.get("reports.folder") == Path("/data/reports")
    # nothing but the file itself is left in the folder (the temporary file was renamed)
    assert os.listdir(user_file.parent) == ["settings.json"]


def test_set_user_keeps_other_keys_and_replaces_a_nested_copy(tmp_path: Path) -> None:
    user_file = tmp_path / "settings.json"
    user_file.write_text('{"capture": {"step_limit": 3, "click_capture": true}, "x": 1}', "utf-8")
    Settings.defaults().set_user("capture.step_limit", 4, user_file)
    assert json.loads(user_file.read_text("utf-8")) == {
        "capture": {"click_capture": True},
        "capture.step_limit": 4,
        "x": 1,
    }


def test_unset_user_returns_to_the_layer_below(tmp_path: Path) -> None:
    user_file = tmp_path / "settings.json"
    s = Settings.defaults().set_user("general.language", "ru", user_file)
    s = s.unset_user("general.language", user_file)
    assert s.get("general.language") == "auto" and s.source("general.language").layer == "default"
    assert json.loads(user_file.read_text("utf-8")) == {}


def test_set_user_refuses_a_managed_key_naming_the_policy(tmp_path: Path) -> None:
    policy = managed(tmp_path / "pol", {"capture.step_limit": 20})
    user_file = tmp_path / "settings.json"
    s = load_settings(None, policy_dir=tmp_path / "pol", platform="linux", env={})
    with pytest.raises(LockedSettingError, match=str(policy)) as info:
        s.set_user("capture.step_limit", 30, user_file)
    assert "administrator" in str(info.value)
    assert not user_file.exists()


def test_set_user_refuses_admin_only_keys(tmp_path: Path) -> None:
    with pytest.raises(LockedSettingError, match="only be set by the administrator"):
        Settings.defaults().set_user("general.app_name", "Mine", tmp_path / "s.json")


@pytest.mark.parametrize(
    ("key", "value", "needle"),
    [
        ("capture.step_limit", "12", "whole number"),
        ("capture.stamp_corner", "middle", "one of top-left"),
        ("destination.token", "hunter2", "never the secret itself"),
        ("diagnostics.redact", ["email", "phone"], "item 2"),
    ],
)
def test_set_user_refuses_bad_values_and_writes_nothing(
    tmp_path: Path, key: str, value: object, needle: str
) -> None:
    user_file = tmp_path / "settings.json"
    with pytest.raises(SettingsError, match=needle):
        Settings.defaults().set_user(key, value, user_file)
    assert not user_file.exists()


def test_set_user_with_a_broken_user_file_says_how_to_recover(tmp_path: Path) -> None:
    user_file = tmp_path / "settings.json"
    user_file.write_text('{"capture.step_limit": ', "utf-8")
    with pytest.raises(SettingsError, match=r"settings.json:1:24 is not valid JSON.*delete it"):
        Settings.defaults().set_user("capture.step_limit", 3, user_file)
    assert user_file.read_text("utf-8") == '{"capture.step_limit": '  # left for the user


def test_user_file_problems_are_replaced_after_saving(tmp_path: Path) -> None:
    user_file = tmp_path / "settings.json"
    user_file.write_text('{"capture.step_limit": "many"}', "utf-8")
    s = load_settings(user_file, policy_dir=tmp_path / "none", platform="linux", env={})
    assert [p.layer for p in s.problems] == ["user"]
    s = s.set_user("capture.step_limit", 8, user_file)
    assert s.problems == [] and s.get("capture.step_limit") == 8


def test_save_failure_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", "utf-8")
    with pytest.raises(SettingsError, match="cannot save your settings"):
        write_user_json(blocker / "settings.json", {"capture.step_limit": 3})
