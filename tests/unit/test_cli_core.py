"""The `flare` command: bundle validate/render, doctor, errors as one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.context import AppContext
from tests.factories import sample_bundle


def _run(argv: list[str], tmp_path: Path, **overrides: object) -> int:
    return main(argv, context_factory=lambda debug: AppContext.for_tests(tmp_path, **overrides))


def test_version_in_a_real_process() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "app.cli", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("flare ")


def test_bundle_validate_ok_and_bad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample_bundle(tmp_path / "r")
    assert _run(["bundle", "validate", str(path)], tmp_path) == 0
    assert "valid: report" in capsys.readouterr().out
    (path / "report.json").write_text("{")
    assert _run(["bundle", "validate", str(path)], tmp_path) == 1
    out = capsys.readouterr().out
    assert out.startswith("invalid: ") and "not valid JSON" in out


def test_bundle_render_writes_html(tmp_path: Path) -> None:
    path = sample_bundle(tmp_path / "r", as_zip=True)
    out = tmp_path / "x.html"
    assert _run(["bundle", "render", str(path), "--out", str(out)], tmp_path) == 0
    assert "Outlook: sending fails" in out.read_text()


def test_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["bundle", "render", str(tmp_path / "missing")], tmp_path) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file or folder" in err and "Traceback" not in err


def test_doctor_reports_an_unwritable_reports_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", ":99")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code = _run(["doctor", "--json"], tmp_path, reports__folder=str(blocker / "sub"))
    results = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert code == 1
    assert results["reports folder"]["status"] == "fail"
    assert results["reports folder"]["fix"]
    assert results["display"]["status"] == "ok"
