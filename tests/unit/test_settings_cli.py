"""`flare policy show|check|schema`, through the real argument parser and dispatcher."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.context import AppContext
from app.dirs import Dirs
from app.settings import load_settings
from app.settings.schema import render_policy_schema


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o755)
    path.write_text(text, "utf-8")
    path.chmod(0o644)
    return path


@pytest.fixture
def ctx(tmp_path: Path) -> AppContext:
    root = tmp_path / "pol"
    write(root / "managed/10.json", '{\n  "capture.step_limit": 20,\n  "capture.steplimit": 1\n}')
    write(root / "recommended/10.json", '{"general.language": "en"}')
    root.chmod(0o755)
    user_file = write(tmp_path / "config/settings.json", '{"capture.click_capture": true}')
    settings = load_settings(user_file, policy_dir=root, platform="linux", env={})
    return AppContext(dirs=Dirs.under(tmp_path), settings=settings)


def run(argv: list[str], ctx: AppContext) -> int:
    return main(argv, context_factory=lambda debug: ctx)


def test_show_lists_every_setting_with_source_and_lock(
    ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["policy", "show"], ctx) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line and line[0] != " "}
    assert len([k for k in lines if "." in k]) == len(list(ctx.settings.items()))
    assert lines["capture.step_limit"].split()[1] == "20"
    assert "[locked] managed:" in lines["capture.step_limit"]
    assert "10.json:2:3" in lines["capture.step_limit"]
    assert (
        "recommended:" in lines["general.language"] and "[locked]" not in lines["general.language"]
    )
    assert "user:" in lines["capture.click_capture"]
    assert lines["capture.replay_seconds"].split()[1:] == ["60", "default"]
    assert "1 problem in settings sources" in out and 'did you mean "capture.step_limit"' in out


def test_show_selected_keys_and_sections(
    ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["policy", "show", "tray", "general.language"], ctx) == 0
    keys = [line.split()[0] for line in capsys.readouterr().out.splitlines() if "." in line[:20]]
    assert keys[:2] == ["general.language", "tray.show_incidents"]


def test_show_unknown_key_is_a_usage_error(
    ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["policy", "show", "capture.steps"], ctx) == 2
    assert "unknown setting" in capsys.readouterr().err


def test_show_json(ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["policy", "show", "--json"], ctx) == 0
    data = json.loads(capsys.readouterr().out)
    by_key = {s["key"]: s for s in data["settings"]}
    assert by_key["capture.step_limit"]["value"] == 20
    assert by_key["capture.step_limit"]["locked"] is True
    assert by_key["capture.step_limit"]["user_changeable"] is False
    assert by_key["capture.step_limit"]["location"].endswith("10.json:2:3")
    assert by_key["reports.folder"]["value"] == ""
    assert by_key["general.language"]["layer"] == "recommended"
    assert data["problems"][0]["key"] == "capture.steplimit"


def test_check_clean_file_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "p.json", '{"capture": {"step_limit": 20}, "form.min_quality": 70}')
    assert run(["policy", "check", str(path)], AppContext.for_tests(tmp_path)) == 0
    assert "OK: 1 file, 2 settings" in capsys.readouterr().out


def test_check_folder_reports_line_precise_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "pol"
    bad = write(root / "managed/10.json", '{\n  "capture.step_limit": 0\n}')
    broken = write(root / "recommended/20.json", '{"a": ')
    write(root / "top.json", '{"tray.show_incidents": false}')
    assert run(["policy", "check", str(root)], AppContext.for_tests(tmp_path)) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{bad}:2:3: capture.step_limit: expected a whole number")
    assert out[1].startswith(f"{broken}:1:7: not valid JSON")
    assert out[-1] == "2 problems in 3 files; the settings named above are ignored"


def test_check_missing_path_and_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx = AppContext.for_tests(tmp_path)
    assert run(["policy", "check", str(tmp_path / "nope.json")], ctx) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(["policy", "check", str(empty)], ctx) == 3
    err = capsys.readouterr().err
    assert "does not exist" in err and "no policy files" in err


def test_schema_prints_the_policy_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["policy", "schema"], AppContext.for_tests(tmp_path)) == 0
    assert capsys.readouterr().out == render_policy_schema()


def test_autostart_off_and_on_is_saved_for_the_user(
    ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["autostart"], ctx) == 0
    assert capsys.readouterr().out == "Flare starts at login\n"
    assert run(["autostart", "off"], ctx) == 0
    assert capsys.readouterr().out == "Flare does not start at login\n"
    saved = json.loads(ctx.dirs.user_settings_file.read_text("utf-8"))
    assert saved == {"capture.click_capture": True, "general.autostart": False}
    # What the next start reads: the login start then exits at once.
    again = load_settings(
        ctx.dirs.user_settings_file, platform="linux", env={}, policy_dir=tmp_path / "pol"
    )
    assert again.get("general.autostart") is False
    assert run(["autostart", "on"], ctx) == 0
    assert json.loads(ctx.dirs.user_settings_file.read_text("utf-8"))["general.autostart"] is True


def test_autostart_set_by_policy_cannot_be_changed_here(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "pol"
    policy = write(root / "managed/10.json", '{"general.autostart": true}')
    root.chmod(0o755)
    settings = load_settings(None, policy_dir=root, platform="linux", env={})
    ctx = AppContext(dirs=Dirs.under(tmp_path), settings=settings)
    assert run(["autostart", "off"], ctx) == 3
    err = capsys.readouterr().err
    assert "general.autostart is set by your administrator's policy" in err
    assert str(policy) in err
    assert not ctx.dirs.user_settings_file.exists()
    assert run(["autostart"], ctx) == 0
    assert capsys.readouterr().out.startswith("Flare starts at login (set by policy: ")
