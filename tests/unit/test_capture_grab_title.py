"""The Grabber asks for the active window's title alongside the grab, never waiting long."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest

from capture import grab
from capture.geometry import Monitor, Rect, monitors_from_mss
from capture.grab import Grabber
from capture.platform_info import PlatformInfo
from capture.screen_source import RawGrab

LINUX_X11 = PlatformInfo("linux", x11_display=":0")


class _Source:
    """A tiny screen; ``grabbed`` is set once its pixels have been read."""

    def __init__(self) -> None:
        self.grabbed = threading.Event()

    def monitors(self) -> list[Monitor]:
        return monitors_from_mss([{"left": 0, "top": 0, "width": 8, "height": 8}])

    def grab_raw(self, rect: Rect) -> RawGrab:
        self.grabbed.set()
        return RawGrab(bytes(range(256)) * (rect.width * rect.height * 4 // 256), 8, 8)

    def close(self) -> None:
        pass


def _clock() -> datetime:
    return datetime(2026, 1, 1, tzinfo=UTC)


def test_title_lookup_overlaps_the_grab() -> None:
    source = _Source()

    def title_once_grabbed() -> str | None:
        # Only answers if the grab runs meanwhile: a lookup done before the grab would wait
        # here until the Grabber gave up on it.
        return "Счёт-фактура — 1С" if source.grabbed.wait(1.0) else None

    frame = Grabber(source, LINUX_X11, clock=_clock, window_title=title_once_grabbed).grab(1)
    assert frame.window_title == "Счёт-фактура — 1С"


def test_a_hung_title_lookup_costs_at_most_the_backstop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grab, "TITLE_WAIT_S", 0.1)
    release = threading.Event()
    started = time.monotonic()
    try:
        frame = Grabber(
            _Source(), LINUX_X11, clock=_clock, window_title=lambda: "late" * release.wait(5)
        ).grab(1)
    finally:
        release.set()
    assert frame.window_title is None
    assert time.monotonic() - started < 1.0
