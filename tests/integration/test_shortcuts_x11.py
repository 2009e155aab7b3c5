"""The shortcuts at any time on a real X server (Xvfb): XGrabKey on the root window, keys
pressed through XTEST by xdotool, and a second client that holds a combination first."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator

import pytest

from capture.hotkey import parse_hotkey
from capture.x11_keys import Shortcut, X11Shortcuts
from tests.integration.xserver import XServer, start_xvfb
from tests.needs import missing

pytestmark = [pytest.mark.xvfb, pytest.mark.timeout(60)]


@pytest.fixture
def x11() -> Iterator[XServer]:
    if shutil.which("xdotool") is None:
        missing("xdotool is not installed (apt-get install xdotool)")
    with start_xvfb() as server:
        yield server


def press(server: XServer, keys: str) -> None:
    subprocess.run(["xdotool", "key", keys], env=server.env(), check=True, timeout=10)


class Hits:
    def __init__(self) -> None:
        self.names: list[str] = []
        self.event = threading.Event()

    def make(self, name: str) -> Shortcut:
        def hit() -> None:
            self.names.append(name)
            self.event.set()
        return Shortcut(name, parse_hotkey({"report": "<ctrl>+<shift>+<f8>",
                                            "shot": "<ctrl>+<shift>+<f7>"}[name]), hit)

    def wait(self, count: int) -> list[str]:
        for _ in range(50):
            if len(self.names) >= count:
                break
            self.event.wait(0.1)
            self.event.clear()
        return self.names


def test_each_combination_fires_its_action_also_with_numlock_on(x11: XServer) -> None:
    hits = Hits()
    keys = X11Shortcuts(x11.display, [hits.make("report"), hits.make("shot")])
    try:
        assert keys.start() == []
        assert keys.grabbed() == ["report", "shot"]
        press(x11, "ctrl+shift+F8")
        assert hits.wait(1) == ["report"]
        press(x11, "ctrl+F8")  # not the combination
        press(x11, "Num_Lock")
        press(x11, "ctrl+shift+F7")
        assert hits.wait(2) == ["report", "shot"]
        press(x11, "ctrl+shift+F8")  # again: xdotool lets go of the modifiers first
        assert hits.wait(3) == ["report", "shot", "report"]
    finally:
        keys.stop()
    assert not keys.running


def test_a_combination_another_program_holds_is_one_clear_line(x11: XServer) -> None:
    other = Hits()
    first = X11Shortcuts(x11.display, [other.make("report")])
    hits = Hits()
    second = X11Shortcuts(x11.display, [hits.make("report"), hits.make("shot")])
    try:
        assert first.start() == []
        problems = second.start()
        assert problems == ["The shortcut Ctrl+Shift+F8 for report is already taken by "
                            "another program; choose another one in Flare's settings."]
        assert second.grabbed() == ["shot"]  # the other one still works
        press(x11, "ctrl+shift+F7")
        press(x11, "ctrl+shift+F8")
        assert hits.wait(1) == ["shot"]
        assert other.wait(1) == ["report"]
    finally:
        first.stop()
        second.stop()
