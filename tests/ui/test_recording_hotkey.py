"""The tray's step recorder answers the desktop-wide shortcut on a real X server."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pytestqt.qtbot import QtBot

from app.context import AppContext
from app.ui.app import FlareApp
from tests.integration.xserver import painted, start_xvfb
from tests.needs import missing


@pytest.mark.xvfb
# Qt's offscreen plugin says this whenever a window's minimum size changes; not our doing.
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_ctrl_shift_f9_captures_a_step_while_recording(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if importlib.util.find_spec("pynput") is None:
        missing("pynput is not installed (pip install 'flare-reporter[clicks]')")
    if shutil.which("xdotool") is None:
        missing("xdotool is not installed")
    with start_xvfb([(1024, 768)]) as xs:
        # The Qt side stays offscreen; capture and the shortcut use the X server.
        monkeypatch.setenv("DISPLAY", xs.display)
        monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        content = Image.new("RGB", (400, 300), "white")
        ImageDraw.Draw(content).text((20, 20), "Export failed: 0x80070005", fill="black")
        with painted(xs, tmp_path, [(content, 50, 50)]):
            flare = FlareApp(AppContext.for_tests(tmp_path))
            flare.toggle_recording()
            toolbar = flare.toolbar
            assert toolbar is not None and flare._hotkey is not None
            with qtbot.waitSignal(toolbar.step_captured, timeout=10_000) as got:
                subprocess.run(["xdotool", "key", "ctrl+shift+F9"], env=xs.env(), check=True)
            assert got.args == [1]
            flare.toggle_recording()  # stop: the shortcut is released with the toolbar
            qtbot.waitUntil(lambda: flare.toolbar is None, timeout=10_000)
            assert flare._hotkey is None
            if flare.window is not None:
                flare.window.close()
