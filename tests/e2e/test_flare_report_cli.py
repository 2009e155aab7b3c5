"""`flare report` on a real X server, driven with real key presses (xdotool)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.xserver import start_xvfb
from tests.needs import missing

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.xvfb, pytest.mark.slow]


def _xdotool(env: dict[str, str], *args: str) -> str:
    return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True,
                          timeout=10).stdout


def test_flare_report_opens_takes_keys_and_exits_keeping_the_draft(tmp_path: Path) -> None:
    if shutil.which("xdotool") is None:
        missing("xdotool is not installed")
    with start_xvfb([(1024, 768)]) as xs:
        env = xs.env(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
                     XDG_STATE_HOME=str(tmp_path / "state"), XDG_DATA_HOME=str(tmp_path / "d"),
                     XDG_CACHE_HOME=str(tmp_path / "cache"), QT_QPA_PLATFORM="xcb",
                     LANG="ru_RU.UTF-8", LC_ALL="")
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "report"], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            # LANG=ru: the window title is Russian, so search for the app's name instead.
            deadline = time.monotonic() + 20
            wid = ""
            while not wid and time.monotonic() < deadline:
                wid = (_xdotool(env, "search", "--onlyvisible", "--name", "Flare").split()
                       or [""])[0]
                time.sleep(0.2)
            assert wid, proc.stderr.read() if proc.poll() is not None else "no window"
            assert "Сообщить о проблеме" in _xdotool(env, "getwindowname", wid)
            geometry = _xdotool(env, "getwindowgeometry", "--shell", wid)
            pos = dict(line.split("=") for line in geometry.split())
            # Without a window manager, keyboard focus follows the pointer.
            _xdotool(env, "mousemove", str(int(pos["X"]) + 50), str(int(pos["Y"]) + 50))
            time.sleep(0.3)
            _xdotool(env, "key", "Down", "ctrl+Return")
            time.sleep(0.8)
            _xdotool(env, "key", "Escape")
            _out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        assert proc.returncode == 0, err
        drafts = list((tmp_path / "state").rglob("draft.json"))
        assert len(drafts) == 1
        draft = json.loads(drafts[0].read_text("utf-8"))
        assert draft["page"] == "questions" and draft["report"]["category"]
        assert draft["report"]["locale"] == "ru"
