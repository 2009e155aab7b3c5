"""Capture on click on Windows and macOS: the same step logic as on X11, other sources.

:class:`capture.click_steps.ClickSteps` asks a *windows* object which window lies under a
click (to leave Flare's own out) and an *accessibility* object what was clicked. On X11 these
are the X server and AT-SPI; here one :class:`NativeDesktop` plays both, over a reader that
returns plain dicts (:class:`capture.uia.UiaReader` through UI Automation,
:class:`capture.ax.AxReader` through the AX API), mapped by that platform's module. The
record read for the window at a click is kept for the element at the same point, so each
click costs one accessibility read.

Clicks and keys come from pynput's listener, which is a low-level mouse and keyboard hook
(``SetWindowsHookExW(WH_MOUSE_LL)`` on a thread with a message loop) on Windows and a
listen-only ``CGEventTap`` on macOS: the well-kept library for exactly this, already Flare's
fallback, so no hand-written hook.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol

from capture.a11y import Element
from capture.errors import CaptureError
from capture.x11_input import InputEvent, WindowAt

log = logging.getLogger(__name__)

Record = Mapping[str, Any]


class Reader(Protocol):
    def window_at(self, x: int, y: int) -> dict[str, Any]:
        """The top-level window at a point, as fast as the platform allows (it comes before
        the grab): a record with at least its "window"; with an "element" too where the
        platform has no quicker way than the full read."""
        ...

    def element_at(self, x: int, y: int) -> dict[str, Any]: ...
    def focused(self) -> dict[str, Any]: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class Mapping_:
    """One platform's record -> step mappings (capture.uia or capture.ax)."""

    element: Callable[[Record], Element | None]
    window: Callable[[Record], WindowAt | None]
    dialog_text: Callable[[Record], tuple[str, str] | None]
    dialog_rect: Callable[[Record], tuple[str, tuple[int, int, int, int]] | None]


def mapping_for(system: str) -> Mapping_:
    # Plain imports, not importlib: PyInstaller finds these by reading the code.
    from capture import ax, uia

    module: ModuleType = uia if system == "windows" else ax
    return Mapping_(module.element_from_record, module.window_from_record,
                    module.dialog_text_from_record, module.dialog_rect)


def reader_for(system: str) -> Reader:
    if system == "windows":
        from capture.uia import UiaReader

        return UiaReader()
    from capture.ax import AxReader

    return AxReader()


class NativeDesktop:
    """Both the *windows* and the *accessibility* object of ClickSteps on Windows/macOS."""

    def __init__(self, reader: Reader, mapping: Mapping_) -> None:
        self._reader = reader
        self._map = mapping
        self._at: tuple[int, int, Record] | None = None
        self._focus: Record | None = None
        self._dialogs: dict[int, Record] = {}  # the newest dialog record of each process

    def close(self) -> None:
        self._reader.close()

    def _remember(self, record: Record) -> None:
        window = self._map.window(record)
        if window is not None and window.pid is not None:
            if self._map.dialog_rect(record) is not None:
                self._dialogs[window.pid] = record
            else:
                self._dialogs.pop(window.pid, None)

    # ---------------------------------------------------------------- windows

    def _read_at(self, x: int, y: int, read: Callable[[int, int], dict[str, Any]]) -> Record:
        try:
            record: Record = read(x, y)
        except Exception as exc:  # COM and AX errors are many; none may end capture
            log.info("no element at (%d, %d): %s", x, y, exc)
            record = {}
        if record.get("element"):
            self._at = (x, y, record)
            self._remember(record)
        return record

    def at(self, x: int, y: int) -> WindowAt | None:
        """The window at a click, before the grab: only what that needs is read."""
        self._at = None
        return self._map.window(self._read_at(x, y, self._reader.window_at))

    def focused(self) -> WindowAt | None:
        try:
            self._focus = self._reader.focused()
        except Exception as exc:
            log.info("no focused element: %s", exc)
            self._focus = {}
        return self._map.window(self._focus)

    def _live_dialog(self, pid: int) -> Record | None:
        """At Stop: the dialog of ``pid`` that has the focus now, read afresh (the one seen
        at a click may have been closed by that click)."""
        self.focused()
        window = self._map.window(self._focus or {})
        if window is None or window.pid != pid or self._map.dialog_rect(self._focus or {}) is None:
            return None
        return self._focus

    def dialog_of(self, pid: int) -> tuple[str, tuple[int, int, int, int]] | None:
        record = self._live_dialog(pid)
        return self._map.dialog_rect(record) if record is not None else None

    # ---------------------------------------------------------------- accessibility

    def element_at(self, pid: int, x: int, y: int, title: str | None,
                   *, popup: bool = False) -> Element | None:
        if self._at is None or self._at[:2] != (x, y):
            self._read_at(x, y, self._reader.element_at)
        return self._map.element(self._at[2]) if self._at is not None else None

    def focused_element(self, pid: int) -> Element | None:
        if self._focus is None:
            self.focused()
        return self._map.element(self._focus or {})

    def dialog_text(self, pid: int, title: str | None = None) -> tuple[str, str] | None:
        """With ``title``: the dialog just clicked in; without: one showing now."""
        record = self._dialogs.get(pid) if title is not None else self._live_dialog(pid)
        if record is None:
            return None
        found = self._map.dialog_text(record)
        if found is None or (title is not None and found[0] != title):
            return None
        return found


# ---------------------------------------------------------------- clicks and keys

BUTTON_NUMBERS = {"left": 1, "middle": 2, "right": 3}
FOCUS_KEYS = frozenset({"tab", "enter"})
MODIFIER_KEYS = frozenset({"shift", "shift_l", "shift_r", "ctrl", "ctrl_l", "ctrl_r", "alt",
                           "alt_l", "alt_r", "alt_gr", "cmd", "cmd_l", "cmd_r", "caps_lock"})


def click_event(x: float, y: float, button: object, pressed: bool,
                *_injected: object) -> InputEvent | None:
    """pynput's on_click arguments -> the step logic's event (presses only; pynput 1.8
    may add whether the event was injected)."""
    if not pressed:
        return None
    name = getattr(button, "name", "left")
    return InputEvent("click", int(x), int(y), BUTTON_NUMBERS.get(name, 1),
                      received_s=time.perf_counter())


def key_event(key: object) -> InputEvent | None:
    """pynput's on_press argument -> a key event, or None for a modifier alone."""
    name = getattr(key, "name", None)  # special keys have a name, characters a char
    if name in MODIFIER_KEYS:
        return None
    return InputEvent("key", 0, 0, received_s=time.perf_counter(),
                      moves_focus=name in FOCUS_KEYS)


class NativeInputListener:
    """Clicks and key presses everywhere on the desktop, through pynput."""

    def __init__(self, on_event: Callable[[InputEvent], None],
                 load: Callable[[str], Any] = importlib.import_module) -> None:
        self._on_event = on_event
        self._load = load
        self._listeners: list[Any] = []

    def _deliver(self, event: InputEvent | None) -> None:
        if event is None:
            return
        try:
            self._on_event(event)
        except Exception:  # a bad step must not end the listening
            log.exception("click handler failed")

    def start(self) -> None:
        try:
            mouse, keyboard = self._load("pynput.mouse"), self._load("pynput.keyboard")
        except ImportError as exc:
            raise CaptureError(f"Capture on click needs the 'pynput' package: {exc}", 4) from exc
        self._listeners = [
            mouse.Listener(on_click=lambda *a: self._deliver(click_event(*a))),
            keyboard.Listener(on_press=lambda key, *_: self._deliver(key_event(key))),
        ]
        for listener in self._listeners:
            listener.start()

    def stop(self) -> None:
        for listener in self._listeners:
            listener.stop()
        self._listeners = []
