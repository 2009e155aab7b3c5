"""The global Capture step shortcut on a real X server (Xvfb): xdotool presses keys through
XTEST, pynput sees them through XRecord, exactly as on a user's X11 desktop."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from capture.errors import CaptureError
from capture.hotkey import GlobalHotkey, hotkey_support
from capture.platform_info import PlatformInfo
from tests.integration.xserver import (
    XServer,
    _accepts_connections,
    _free_display_number,
    _kill,
    start_xvfb,
)
from tests.needs import missing

# A hung listener must fail the test (and still stop its Xvfb), not stall the suite.
pytestmark = [pytest.mark.xvfb, pytest.mark.timeout(60)]

CAPTURE = "<ctrl>+<shift>+<f9>"
STOP = "<ctrl>+<shift>+<f10>"


def _need_tools() -> None:
    if importlib.util.find_spec("pynput") is None:
        missing("pynput is not installed (pip install 'flare-reporter[clicks]')")
    if shutil.which("xdotool") is None:
        missing("xdotool is not installed (apt-get install xdotool)")


@pytest.fixture
def x11(monkeypatch: pytest.MonkeyPatch) -> Iterator[XServer]:
    """Xvfb, with this process pointed at it: pynput connects to $DISPLAY when it starts."""
    _need_tools()
    with start_xvfb() as server:
        monkeypatch.setenv("DISPLAY", server.display)
        monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        yield server


def xdotool(server: XServer, *args: str) -> None:
    subprocess.run(["xdotool", *args], env=server.env(), check=True, timeout=10)


class Counter:
    def __init__(self) -> None:
        self.count = 0
        self.fired = threading.Event()

    def __call__(self) -> None:
        self.count += 1
        self.fired.set()


def test_only_the_combination_fires_the_capture_callback(x11: XServer) -> None:
    platform = PlatformInfo.detect(x11.env())
    assert hotkey_support(platform) == (True, "")
    capture, stop = Counter(), Counter()
    with GlobalHotkey(capture, platform, combination=CAPTURE, on_stop=stop, stop_combination=STOP):
        xdotool(x11, "key", "ctrl+shift+F9")
        assert capture.fired.wait(5), "Ctrl+Shift+F9 did not reach the callback"
        for other in ("ctrl+shift+F8", "ctrl+F9", "shift+F9", "F9", "ctrl+alt+shift+s"):
            xdotool(x11, "key", other)
        # X delivers events in order: once the stop combination is seen, so were the others.
        xdotool(x11, "key", "ctrl+shift+F10")
        assert stop.fired.wait(5), "Ctrl+Shift+F10 did not reach the stop callback"
    assert capture.count == 1
    assert stop.count == 1


def test_holding_the_keys_down_fires_once(x11: XServer) -> None:
    platform = PlatformInfo.detect(x11.env())
    keyboard: Any = importlib.import_module("pynput.keyboard")
    f9_presses = Counter()
    capture, stop = Counter(), Counter()

    def count_f9(key: Any) -> None:
        if key == keyboard.Key.f9:
            f9_presses()

    # A plain listener next to the shortcut proves the server really auto-repeated F9.
    raw = keyboard.Listener(on_press=count_f9)
    raw.start()
    raw.wait()
    try:
        with GlobalHotkey(capture, platform, on_stop=stop):
            xdotool(x11, "keydown", "ctrl+shift+F9", "sleep", "1.2", "keyup", "ctrl+shift+F9")
            xdotool(x11, "key", "ctrl+shift+F10")
            assert stop.fired.wait(5)
    finally:
        raw.stop()
        xdotool(x11, "key", "shift")  # wakes pynput's own listener so that it can end
        raw.join(5)
    assert f9_presses.count > 1, "the X server did not auto-repeat; the test proves nothing"
    assert capture.count == 1


def test_stop_ends_the_listener_without_waiting_for_a_key(x11: XServer) -> None:
    platform = PlatformInfo.detect(x11.env())
    before = set(threading.enumerate())
    capture = Counter()
    hotkey = GlobalHotkey(capture, platform)
    hotkey.start()
    assert set(threading.enumerate()) - before, "no listener thread was started"
    # Once a key has come through, the listener is surely blocked reading the next event:
    # stopping right after start can race past that and hide the problem.
    xdotool(x11, "key", "ctrl+shift+F9")
    assert capture.fired.wait(5)
    assert hotkey.running
    started = time.monotonic()
    hotkey.stop()
    assert time.monotonic() - started < 2.5
    # Without the XRecord workaround pynput's thread lives on until the next key press.
    assert set(threading.enumerate()) - before == set()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_x_server_without_record_extension_gives_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _need_tools()
    if shutil.which("Xvfb") is None:
        missing("Xvfb is not installed (apt-get install xvfb)")
    number = _free_display_number()
    proc = subprocess.Popen(
        ["Xvfb", f":{number}", "-extension", "RECORD", "-nolisten", "tcp", "-noreset"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while not _accepts_connections(number) and time.monotonic() < deadline:
            time.sleep(0.05)
        monkeypatch.setenv("DISPLAY", f":{number}")
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        hotkey = GlobalHotkey(lambda: None, PlatformInfo("linux", x11_display=f":{number}"))
        with pytest.raises(CaptureError, match="RECORD extension") as info:
            hotkey.start()
        assert info.value.exit_code == 4
        assert not hotkey.running
    finally:
        _kill(proc)
