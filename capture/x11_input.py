"""Clicks and key presses anywhere on an X11 desktop, through the RECORD extension.

python-xlib (already a dependency for window titles) speaks RECORD itself, so capture on
click needs no extra package and no compiler, unlike pynput's evdev build. RECORD reports
device events as the server processes them, to a second connection that does nothing but
listen; it never sees what the keys typed mean here: only that a key went down, which is all
a "Typed into ..." step needs.

:class:`X11InputListener` calls ``on_event`` on its own thread with each button press
(buttons 1-3; the wheel's 4-7 are not clicks) and each non-modifier key press. The callback
must return quickly: the grab runs elsewhere (see :mod:`capture.click_steps`).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from capture.errors import CaptureError
from capture.window_title import _text_property, process_name

if TYPE_CHECKING:
    from Xlib.display import Display

log = logging.getLogger(__name__)

InputKind = Literal["click", "key", "finish"]

# Keysyms of keys that only modify others: pressing Shift is not typing.
_MODIFIER_KEYSYMS = frozenset(range(0xFFE1, 0xFFEF)) | {0xFE03, 0xFF7E}
# Tab, Shift+Tab, Return and keypad Enter move the focus on (or submit): typing after them
# may be into another field, so it is a new step. Only these keys are told apart.
_FOCUS_KEYSYMS = frozenset({0xFF09, 0xFE20, 0xFF0D, 0xFF8D})


@dataclass(frozen=True)
class InputEvent:
    kind: InputKind
    x: int
    y: int
    button: int = 0  # 1 left, 2 middle, 3 right; 0 for keys
    server_time_ms: int = 0
    received_s: float = 0.0  # time.perf_counter() when the listener got it
    moves_focus: bool = False  # Tab or Enter: what is typed next may go elsewhere


@dataclass(frozen=True)
class WindowAt:
    """The application window at a point: its X id, title, program and process."""

    window: int
    title: str | None
    pid: int | None
    program: str | None
    pids_on_path: frozenset[int]
    """Every _NET_WM_PID from the root down to the point (frame, client, embedded icons)."""
    popup: bool = False  # an unmanaged window: an open menu or drop-down list


class X11InputListener:
    """Listen to clicks and key presses until :meth:`stop`. Raises :class:`CaptureError` at
    :meth:`start` when the display cannot be reached or has no RECORD extension."""

    def __init__(self, display_name: str, on_event: Callable[[InputEvent], None]) -> None:
        self._display_name = display_name
        self._on_event = on_event
        self._ctrl: Display | None = None
        self._rec: Display | None = None
        self._ctx: Any = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stopped = False

    def start(self) -> None:
        from Xlib import X, display, error
        from Xlib.ext import record

        try:
            self._ctrl = display.Display(self._display_name)
            self._rec = display.Display(self._display_name)
        except (error.DisplayError, error.ConnectionClosedError, OSError) as exc:
            raise CaptureError(
                f"Cannot connect to the display {self._display_name} ({exc}); capture on click "
                "needs Flare to run inside your desktop session.",
                4,
            ) from exc
        if not self._ctrl.has_extension("RECORD"):
            self._close()
            raise CaptureError(
                "This X server has no RECORD extension, so Flare cannot see clicks; press "
                "Capture step (or its shortcut) for each step instead.",
                4,
            )
        self._ctx = self._ctrl.record_create_context(
            0,
            [record.AllClients],
            [{
                "core_requests": (0, 0), "core_replies": (0, 0),
                "ext_requests": (0, 0, 0, 0), "ext_replies": (0, 0, 0, 0),
                "delivered_events": (0, 0),
                "device_events": (X.KeyPress, X.ButtonPress),
                "errors": (0, 0), "client_started": False, "client_died": False,
            }],
        )
        self._ctrl.sync()
        self._thread = threading.Thread(target=self._run, name="flare-x11-input", daemon=True)
        self._thread.start()
        # record_enable_context is a request like any other: wait until it is on the wire so
        # that a click right after start() is not missed.
        self._ready.wait(2.0)

    def _run(self) -> None:
        from Xlib import error

        assert self._rec is not None
        try:
            self._ready.set()
            self._rec.record_enable_context(self._ctx, self._reply)
        except (error.ConnectionClosedError, OSError) as exc:
            if not self._stopped:
                log.warning("click listener ended: %s", exc)
        finally:
            self._ready.set()

    def _reply(self, reply: Any) -> None:
        from Xlib import X
        from Xlib.ext import record
        from Xlib.protocol import rq

        if reply.category != record.FromServer or reply.client_swapped or not reply.data:
            return
        if len(reply.data) < 2 or reply.data[0] < 2:
            return
        now = time.perf_counter()
        data = reply.data
        assert self._rec is not None
        while len(data) >= 32:
            # python-xlib's own RECORD example parses with an unnamed field.
            field = rq.EventField(None)  # type: ignore[arg-type]
            event, data = field.parse_binary_value(data, self._rec.display, None, None)
            if event.type == X.ButtonPress and event.detail in (1, 2, 3):
                self._deliver(InputEvent("click", event.root_x, event.root_y, event.detail,
                                         event.time, now))
            elif event.type == X.KeyPress:
                keysym = self._keysym(event.detail)
                if keysym not in _MODIFIER_KEYSYMS:
                    self._deliver(InputEvent("key", event.root_x, event.root_y, 0, event.time,
                                             now, moves_focus=keysym in _FOCUS_KEYSYMS))

    def _keysym(self, keycode: int) -> int:
        assert self._rec is not None
        return int(self._rec.keycode_to_keysym(keycode, 0))

    def _deliver(self, event: InputEvent) -> None:
        try:
            self._on_event(event)
        except Exception:  # a bad step must not end the listening
            log.exception("click handler failed")

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self._ctrl is not None and self._ctx is not None:
            from Xlib import error

            try:
                self._ctrl.record_disable_context(self._ctx)
                self._ctrl.flush()
            except (error.ConnectionClosedError, OSError):
                pass
        if self._thread is not None:
            self._thread.join(2.0)
        if self._ctrl is not None and self._ctx is not None:
            from Xlib import error

            try:
                self._ctrl.record_free_context(self._ctx)
                self._ctrl.flush()
            except (error.ConnectionClosedError, error.XError, OSError):
                pass
        self._close()

    def _close(self) -> None:
        for conn in (self._rec, self._ctrl):
            if conn is not None:
                with contextlib.suppress(Exception):  # already gone with the server
                    conn.close()
        self._rec = self._ctrl = None


class X11Windows:
    """Which application window is at a point, on its own connection (one per thread)."""

    def __init__(self, display_name: str) -> None:
        from Xlib import display

        self._conn = display.Display(display_name)
        self._root = self._conn.screen().root
        self._pid_atom = self._conn.intern_atom("_NET_WM_PID")
        self._name_atom = self._conn.intern_atom("_NET_WM_NAME")
        self._utf8 = self._conn.intern_atom("UTF8_STRING")
        self._state_atom = self._conn.intern_atom("WM_STATE")

    def at(self, x: int, y: int) -> WindowAt | None:
        """The client window (the one with WM_STATE) under (x, y), by position, so a pointer
        that moved on since the click does not matter."""
        from Xlib import X, Xatom, error

        try:
            window = self._root
            pids: set[int] = set()
            client = top = None
            for _ in range(16):  # nesting is a few levels: frame, client, embedded widgets
                child = window.translate_coords(self._root, x, y).child
                if isinstance(child, int):  # X.NONE: nothing deeper at the point
                    break
                window = child
                top = top or window
                pid = self._pid(window)
                if pid is not None:
                    pids.add(pid)
                if client is None and window.get_full_property(self._state_atom,
                                                               X.AnyPropertyType) is not None:
                    client = window
            if client is None and top is not None and pids:
                # A popup (menu, drop-down list) is not managed: no WM_STATE. It belongs to
                # the window it is transient for, whose title names where the click was.
                owner = top.get_full_property(Xatom.WM_TRANSIENT_FOR, Xatom.WINDOW)
                pid = self._pid(top) or min(pids)
                title = None
                if owner is not None and len(owner.value):
                    parent = self._conn.create_resource_object("window", int(owner.value[0]))
                    title = _text_property(parent, self._name_atom, self._utf8)
                return WindowAt(top.id, title, pid, process_name(pid), frozenset(pids), popup=True)
            if client is None:
                return None
            title = _text_property(client, self._name_atom, self._utf8) or _text_property(
                client, Xatom.WM_NAME, X.AnyPropertyType)
            pid = self._pid(client)
            return WindowAt(client.id, title, pid, process_name(pid), frozenset(pids))
        except (error.XError, error.ConnectionClosedError, OSError):
            return None

    def focused(self) -> WindowAt | None:
        """The window with the keyboard focus (its top-level client)."""
        from Xlib import X, Xatom, error

        try:
            focus = self._conn.get_input_focus().focus
            if not focus or isinstance(focus, int):
                return None
            window = focus
            for _ in range(16):
                if window.get_full_property(self._state_atom, X.AnyPropertyType) is not None:
                    break
                parent = window.query_tree().parent
                if not parent or parent.id == self._root.id:
                    break
                window = parent
            pid = self._pid(window)
            title = _text_property(window, self._name_atom, self._utf8) or _text_property(
                window, Xatom.WM_NAME, X.AnyPropertyType)
            return WindowAt(window.id, title, pid, process_name(pid),
                            frozenset({pid} if pid else set()))
        except (error.XError, error.ConnectionClosedError, OSError):
            return None

    def dialog_of(self, pid: int) -> tuple[str, tuple[int, int, int, int]] | None:
        """The newest dialog window (transient for another, or typed as a dialog) of process
        ``pid``: its title and its rectangle on the root (left, top, width, height)."""
        from Xlib import X, Xatom, error

        try:
            clients = self._root.get_full_property(
                self._conn.intern_atom("_NET_CLIENT_LIST"), Xatom.WINDOW)
            if clients is None:
                return None
            dialog_type = self._conn.intern_atom("_NET_WM_WINDOW_TYPE_DIALOG")
            type_atom = self._conn.intern_atom("_NET_WM_WINDOW_TYPE")
            for wid in reversed(list(clients.value)):  # newest last in the list
                window = self._conn.create_resource_object("window", int(wid))
                if self._pid(window) != pid:
                    continue
                kinds = window.get_full_property(type_atom, Xatom.ATOM)
                transient = window.get_full_property(Xatom.WM_TRANSIENT_FOR, Xatom.WINDOW)
                if not ((kinds is not None and dialog_type in kinds.value) or transient):
                    continue
                geometry = window.get_geometry()
                origin = self._root.translate_coords(window, 0, 0)
                title = _text_property(window, self._name_atom, self._utf8) or _text_property(
                    window, Xatom.WM_NAME, X.AnyPropertyType) or ""
                return title, (origin.x, origin.y, geometry.width, geometry.height)
        except (error.XError, error.ConnectionClosedError, OSError):
            return None
        return None

    def _pid(self, window: Any) -> int | None:
        from Xlib import Xatom

        prop = window.get_full_property(self._pid_atom, Xatom.CARDINAL)
        return int(prop.value[0]) if prop is not None and len(prop.value) else None

    def close(self) -> None:
        self._conn.close()
