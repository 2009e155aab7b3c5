"""What the report window needs ready around its opening, off the GUI thread: the program in
front (read before Flare's window takes the focus), the diagnostics that start once the window
is painted, and the answer judge's dictionaries."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.daemon_threads import Pending, start_daemon

if TYPE_CHECKING:
    from app.flow.ports import DiagnosticsRun
    from app.report import Diagnostics

log = logging.getLogger(__name__)


def prepare_judge() -> None:
    from app.form.check import prepare

    with contextlib.suppress(Exception):  # the judge loads on first use anyway
        prepare()


# How long the window waits for the program in front before it loads (a few ms on X11; an
# X server that does not answer delays the window by at most this, and the answer stays empty).
IN_FRONT_WAIT_S = 1.0
# The read begun as the tray menu opened (and the form state made then) stands for the click
# when the menu closed this recently (its entry was chosen); older, the person may have moved
# on to another program, or changed the settings.
MENU_READ_FRESH_S = 2.0
# The background work waits for the window's first paint, at most this long (a window that
# is never painted, such as a minimised one, still gets its diagnostics).
AFTER_PAINT_AT_MOST_MS = 1500


def program_in_front() -> str:
    """The window the person was using, with its program where the desktop says it
    ("Inbox - Outlook (OUTLOOK.EXE)"); "" when the desktop does not say."""
    from capture.platform_info import PlatformInfo
    from capture.window_title import active_window

    window = active_window(PlatformInfo.detect(), timeout_s=IN_FRONT_WAIT_S)
    title = (window.title or "") if window else ""
    if not title or "Flare" in title:
        return ""
    process = window.process if window else None
    if process and process.lower() not in title.lower():
        return f"{title} ({process})"
    return title


def read_in_front(read: Callable[[], str]) -> tuple[Pending[str], float]:
    """``read`` (:func:`program_in_front`) made now and waited for, as long as the window
    waited for it before it showed, and when it began. Made beside the window's loading
    instead, each X round trip of the python-xlib read it once was waited for the interpreter
    (the GIL): 74 ms of the cold window against about 40 ms on its own; through libxcb the read
    is a few ms, so waiting for it first costs the window nearly nothing."""
    began = time.monotonic()
    pending = start_daemon(read, name="flare-in-front")
    pending.result(IN_FRONT_WAIT_S + 0.05)
    return pending, began


class LaterRun:
    """Diagnostics that start once the window is on the screen: importing and starting the
    collectors takes half a second, which the person would otherwise wait for at every
    "Report a problem". Until then it reads as running, with nothing collected yet."""

    def __init__(self, start: Callable[[], DiagnosticsRun]) -> None:
        self._start = start
        self._run: DiagnosticsRun | None = None
        self._ready = threading.Event()
        self._began = False

    def begin(self) -> None:
        if self._began:
            return
        self._began = True

        def work() -> None:
            try:
                self._run = self._start()
            except Exception:  # a collector that cannot start leaves the report without it
                log.exception("diagnostics did not start")
            finally:
                self._ready.set()

        threading.Thread(target=work, name="flare-diagnostics-start", daemon=True).start()

    def done(self) -> bool:
        # Not begun here: the window asks while it is being built, before it shows.
        return self._ready.is_set() and (self._run is None or self._run.done())

    def result(self, timeout: float | None = None) -> Diagnostics:
        from app.report import Diagnostics as Found

        self.begin()  # asked for before the window showed (a test, a draft sent at once)
        started = time.monotonic()
        if not self._ready.wait(timeout):
            return Found()
        if self._run is None:
            return Found()
        left = None if timeout is None else max(0.0, timeout - (time.monotonic() - started))
        return self._run.result(timeout=left)
