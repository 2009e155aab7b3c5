"""A real X screen with something on it, for the screen grab while Qt itself runs offscreen."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.integration.xserver import XServer, start_xvfb
from tests.needs import missing


@contextlib.contextmanager
def screen_with_window(monkeypatch: pytest.MonkeyPatch) -> Iterator[XServer]:
    """Xvfb with an xmessage window (a blank screen is refused by capture), DISPLAY set."""
    if shutil.which("xmessage") is None:
        missing("xmessage is not installed (apt-get install x11-utils)")
    with start_xvfb([(1024, 768)]) as xs:
        proc = subprocess.Popen(
            ["xmessage", "-center", "Login failed: certificate expired"],
            env=xs.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            time.sleep(0.5)  # let the window map before the first grab
            monkeypatch.setenv("DISPLAY", xs.display)
            monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
            monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
            yield xs
        finally:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGTERM)
                proc.wait(5)
