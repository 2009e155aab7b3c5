"""Capture on click: a step at every click (and at the start of typing), grabbed at once so it
shows the screen as it was, and described from the accessibility tree.

One worker thread owns everything that is not thread-safe (the screen source, an X
connection, the accessibility bus): the X listener only hands it events. For each click it
looks up the window at the point (clicks in Flare's own windows are not steps), grabs the
monitor, and only then asks the accessibility tree what was clicked, so the description's few
milliseconds never delay the grab.
"""

from __future__ import annotations

import logging
import os
import queue
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from app.i18n import N_, current
from capture.a11y import ROLE_ALERT, ROLE_DIALOG, AccessibilityUnavailable, Atspi, Element
from capture.describe import ERROR_SHOWN, Translate, describe_click, describe_typing, plain
from capture.error_text import ErrorText, read_region
from capture.errors import CaptureError
from capture.export import Exporter, ExportOptions
from capture.geometry import monitor_at
from capture.grab import Grabber, open_source
from capture.native_a11y import (
    NativeDesktop,
    NativeInputListener,
    Reader,
    mapping_for,
    reader_for,
)
from capture.platform_info import PlatformInfo
from capture.recorder import RecordedStep, StepRecorder
from capture.screen_source import ScreenSource
from capture.x11_input import InputEvent, WindowAt, X11InputListener, X11Windows

log = logging.getLogger(__name__)

WAYLAND_REASON = N_(
    "Wayland does not let an application see clicks in other programs' windows, so Flare "
    "cannot take a step at each click here"
)
"""Said once, with the way that does work (the front end adds its shortcut)."""


NATIVE_SYSTEMS = frozenset({"windows", "darwin"})
"""Where clicks come from pynput and names from UI Automation or AX (capture.native_a11y)."""


def click_capture_support(platform: PlatformInfo) -> tuple[bool, str]:
    """Whether this desktop lets Flare see clicks, and if not, why (one sentence part)."""
    t = current()
    if platform.system == "darwin":
        from capture.ax import trust_problem

        problem = trust_problem()
        return (False, t.tr(problem)) if problem else (True, "")
    if platform.system == "windows":
        return True, ""
    if platform.system != "linux":
        return False, t.tr("capture on click is available on Linux, Windows and macOS only")
    if platform.wayland:
        return False, t.tr(WAYLAND_REASON)
    if not platform.x11_display:
        return False, t.tr("there is no X display (DISPLAY is not set)")
    return True, ""


class Windows(Protocol):
    """The windows under a click and with the focus (X11Windows, NativeDesktop)."""

    def at(self, x: int, y: int) -> WindowAt | None: ...
    def focused(self) -> WindowAt | None: ...
    def dialog_of(self, pid: int) -> tuple[str, tuple[int, int, int, int]] | None: ...
    def close(self) -> None: ...


class Listener(Protocol):
    """Clicks and keys from the whole desktop (X11InputListener, NativeInputListener)."""

    def start(self) -> None: ...
    def stop(self) -> None: ...


class Describer(Protocol):
    """What was clicked or typed into (Atspi, NativeDesktop)."""

    def element_at(self, pid: int, x: int, y: int, title: str | None,
                   *, popup: bool = False) -> Element | None: ...
    def focused_element(self, pid: int) -> Element | None: ...
    def dialog_text(self, pid: int, title: str | None = None) -> tuple[str, str] | None: ...
    def close(self) -> None: ...


@dataclass
class Timing:
    """One step's costs, for the bench and the log (seconds)."""

    kind: str
    event_to_grab_s: float
    describe_s: float


@dataclass
class ClickSteps:
    """Feeds ``recorder`` with a step per click while started. ``on_step`` and ``on_error``
    are called on the worker thread."""

    recorder: StepRecorder
    platform: PlatformInfo
    clock: Callable[[], datetime]
    tr: Translate = plain
    on_step: Callable[[RecordedStep], None] | None = None
    on_error: Callable[[str], None] | None = None
    ignore_pids: frozenset[int] = field(default_factory=lambda: frozenset({os.getpid()}))
    ignore_areas: Callable[[], Sequence[tuple[int, int, int, int]]] = lambda: ()
    """Desktop rectangles (x, y, w, h) whose clicks are never steps, asked at each click:
    the toolbar's, which it hides for a moment during its own grabs, so that a click on it is
    known to be Flare's even when the window under the point has already gone."""
    describe: bool = True
    source_factory: Callable[[PlatformInfo], ScreenSource] = open_source
    prepare_with: ExportOptions | None = None
    """Encode each step between clicks with these options (numbered from ``first_number``),
    so that Stop need not; None: encode at Stop."""
    first_number: int = 1
    language: str = "en"  # for OCR of an error dialog
    timings: list[Timing] = field(default_factory=list)
    native_reader: Callable[[str], Reader] = reader_for
    """Windows/macOS: the accessibility reader (UI Automation, AX) for the worker thread."""
    native_listener: Callable[[Callable[[InputEvent], None]], Listener] = NativeInputListener
    error_text: ErrorText | None = None
    """The error dialog read at :meth:`finish`, for "The text of the error message"."""
    _pids: list[int] = field(default_factory=list)  # programs clicked, newest first
    _queue: queue.Queue[InputEvent | None] = field(default_factory=queue.Queue)
    _encode: queue.Queue[RecordedStep | None] = field(default_factory=queue.Queue)
    _encoder: threading.Thread | None = None
    _listener: Listener | None = None
    _worker: threading.Thread | None = None
    _ready: threading.Event = field(default_factory=threading.Event)
    _start_error: str = ""

    def start(self) -> None:
        """Listen; :class:`CaptureError` with the reason when this desktop does not allow it."""
        ok, why = click_capture_support(self.platform)
        if not ok:
            raise CaptureError(why[0].upper() + why[1:] + ".", 4)
        self._worker = threading.Thread(target=self._work, name="flare-click-steps",
                                        daemon=True)
        self._worker.start()
        if self.prepare_with is not None:
            self._encoder = threading.Thread(target=self._encode_steps, args=(
                Exporter(self.prepare_with),), name="flare-step-encoder", daemon=True)
            self._encoder.start()
        self._ready.wait(10)
        if self._start_error:
            raise CaptureError(self._start_error, 4)
        listener: Listener = (
            self.native_listener(self._queue.put) if self.platform.system in NATIVE_SYSTEMS
            else X11InputListener(self.platform.x11_display, self._queue.put))
        try:
            listener.start()
        except CaptureError:
            self._queue.put(None)
            raise
        self._listener = listener

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        if self._worker is not None:
            self._queue.put(None)
            self._worker.join(5)
            self._worker = None
        if self._encoder is not None:
            # What is still being encoded is encoded again at export: waiting gains nothing.
            self._encode.put(None)
            self._encoder.join(5)
            self._encoder = None

    def _encode_steps(self, exporter: Exporter) -> None:
        while True:
            rec = self._encode.get()
            try:
                if rec is None:
                    return
                self.recorder.prepare(rec, exporter, self.first_number)
            except Exception:  # export makes it again
                log.exception("encoding a step ahead failed")
            finally:
                self._encode.task_done()

    def _added(self, step: RecordedStep) -> None:
        if self._encoder is not None:
            self._encode.put(step)
        if self.on_step is not None:
            self.on_step(step)

    def finish(self, timeout_s: float = 5.0) -> ErrorText | None:
        """At Stop: if a program clicked shows an error dialog now, a last step showing it,
        its text read from the screen (the accessibility tree, else OCR) and kept in
        :attr:`error_text`; else the text of a message box clicked in earlier, if any."""
        self.wait_idle(timeout_s)
        if self._worker is None:
            return None
        self._queue.put(InputEvent("finish", 0, 0))
        self.wait_idle(timeout_s)
        deadline = time.monotonic() + timeout_s  # the steps still being encoded ahead
        while self._encode.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.error_text

    def wait_idle(self, timeout_s: float = 5.0) -> None:
        """Until every event so far has been handled (tests, and Stop: no click lost)."""
        deadline = time.monotonic() + timeout_s
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)

    # ----------------------------------------------------------------- the worker

    def _work(self) -> None:
        try:
            grabber = Grabber(self.source_factory(self.platform), self.platform,
                              clock=self.clock)
            native = (NativeDesktop(self.native_reader(self.platform.system),
                                    mapping_for(self.platform.system))
                      if self.platform.system in NATIVE_SYSTEMS else None)
            windows: Windows = native or X11Windows(self.platform.x11_display)
        except Exception as exc:  # any reason (no display, no mss) is said to the user
            self._start_error = f"Capture on click could not start: {exc}"
            self._ready.set()
            return
        atspi: Describer | None = None
        if native is not None:
            atspi = native if self.describe else None
        elif self.describe:
            try:
                atspi = Atspi()
            except AccessibilityUnavailable as exc:
                log.info("steps will not name what was clicked: no accessibility bus (%s)", exc)
        self._ready.set()
        typing_into: object = None  # the element typed into since the last click
        try:
            while True:
                event = self._queue.get()
                try:
                    if event is None:
                        return
                    if event.kind == "finish":
                        self._finish(grabber, windows, atspi)
                    elif event.kind == "click":
                        typing_into = None
                        self._click(event, grabber, windows, atspi)
                    elif event.moves_focus:
                        typing_into = None  # the next key may be typed somewhere else
                    elif typing_into is None:
                        typing_into = self._typing(event, grabber, windows, atspi)
                except CaptureError as exc:
                    if self.on_error is not None:
                        self.on_error(str(exc))
                except Exception:  # one bad step must not end capture on click
                    log.exception("step at a click failed")
                finally:
                    self._queue.task_done()
        finally:
            grabber.source.close()
            windows.close()
            if atspi is not None:
                atspi.close()

    def _own(self, window: WindowAt | None) -> bool:
        return window is not None and bool(window.pids_on_path & self.ignore_pids)

    def _in_ignored_area(self, x: int, y: int) -> bool:
        return any(ax <= x < ax + aw and ay <= y < ay + ah
                   for ax, ay, aw, ah in self.ignore_areas())

    def _click(self, event: InputEvent, grabber: Grabber, windows: Windows,
               atspi: Describer | None) -> None:
        if self._in_ignored_area(event.x, event.y):
            return
        window = windows.at(event.x, event.y)
        if self._own(window) or not self.recorder.recording or self.recorder.remaining == 0:
            return
        frame = grabber.grab(monitor_at(grabber.monitors(), event.x, event.y).index)
        grabbed = time.perf_counter()
        if window is not None and window.pid is not None:
            self._pids = [window.pid] + [p for p in self._pids if p != window.pid]
        element, spent = self._element(atspi, window, event.x, event.y)
        text = describe_click(event.button, event.x, event.y, element,
                              window.title if window else None,
                              window.program if window else None, self.tr)
        self.timings.append(Timing("click", grabbed - event.received_s, spent))
        if element is not None and element.window_role in (ROLE_ALERT, ROLE_DIALOG):
            # A click in a message box (its OK closes it on the release): read its text now,
            # while it is still there, for "The text of the error message".
            self._read_dialog(atspi, window, element.window)
        self._added(self.recorder.add(frame, click=(event.x, event.y), description=text))

    def _read_dialog(self, atspi: Describer | None, window: WindowAt | None, title: str) -> None:
        if atspi is None or window is None or window.pid is None:
            return
        start = time.perf_counter()
        try:
            found = atspi.dialog_text(window.pid, title)
        except (LookupError, TimeoutError, OSError):
            return
        if found is not None and found[1].strip():
            self.error_text = ErrorText(found[0], found[1], "accessibility",
                                        time.perf_counter() - start)

    def _finish(self, grabber: Grabber, windows: Windows, atspi: Describer | None) -> None:
        for pid in self._pids:
            found: ErrorText | None = None
            start = time.perf_counter()
            if atspi is not None:
                try:
                    tree = atspi.dialog_text(pid)
                except (LookupError, TimeoutError, OSError):
                    tree = None
                if tree is not None and tree[1].strip():
                    found = ErrorText(tree[0], tree[1], "accessibility",
                                      time.perf_counter() - start)
            dialog = windows.dialog_of(pid)
            if found is None and dialog is None:
                continue
            x, y = (dialog[1][0], dialog[1][1]) if dialog else (0, 0)
            frame = grabber.grab(monitor_at(grabber.monitors(), x, y).index)
            if found is None and dialog is not None:
                title, (left, top, width, height) = dialog
                m = frame.monitor
                box = (round((left - m.left) * m.scale), round((top - m.top) * m.scale))
                region = frame.image.crop((box[0], box[1], box[0] + round(width * m.scale),
                                           box[1] + round(height * m.scale)))
                try:
                    found = read_region(region, self.language, title)
                except (OSError, subprocess.TimeoutExpired) as exc:
                    log.info("could not read the error dialog: %s", exc)
                if found is not None and not found.text:
                    found = None
            if found is None:
                continue
            self.error_text = found
            how = (self.tr("read from the accessibility tree") if found.source == "accessibility"
                   else self.tr("read from the screen by text recognition"))
            text = self.tr(ERROR_SHOWN, window=found.title, text=found.text.replace("\n", " "),
                           how=how)
            self._added(self.recorder.add(frame, description=text))
            return

    def _typing(self, event: InputEvent, grabber: Grabber, windows: Windows,
                atspi: Describer | None) -> object:
        window = windows.focused()
        if window is None or self._own(window) or not self.recorder.recording:
            return None
        if self.recorder.remaining == 0:
            return None
        frame = grabber.grab(monitor_at(grabber.monitors(), event.x, event.y).index)
        grabbed = time.perf_counter()
        start = time.perf_counter()
        element: Element | None = None
        if atspi is not None and window.pid is not None:
            try:
                element = atspi.focused_element(window.pid)
            except (LookupError, TimeoutError, OSError) as exc:
                log.info("no focused accessible: %s", exc)
        spent = time.perf_counter() - start
        text = describe_typing(element, window.title, window.program, self.tr)
        self.timings.append(Timing("key", grabbed - event.received_s, spent))
        self._added(self.recorder.add(frame, description=text))
        return element or window.window

    def _element(self, atspi: Describer | None, window: WindowAt | None, x: int,
                 y: int) -> tuple[Element | None, float]:
        if atspi is None or window is None or window.pid is None:
            return None, 0.0
        start = time.perf_counter()
        try:
            element = atspi.element_at(window.pid, x, y, window.title, popup=window.popup)
        except (LookupError, TimeoutError, OSError) as exc:
            log.info("no accessible at (%d, %d): %s", x, y, exc)
            element = None
        return element, time.perf_counter() - start
