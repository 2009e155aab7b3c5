"""The active window: its title and the program it belongs to, where the platform tells it
without extra permissions.

On X11 this reads the EWMH properties window managers keep (``_NET_ACTIVE_WINDOW`` on the root,
``_NET_WM_NAME`` and ``_NET_WM_PID`` on the window) through python-xlib, which speaks the X
protocol itself and so honours ``XAUTHORITY`` cookies; no helper program is needed.
"""

from __future__ import annotations

import ctypes
import socket
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.daemon_threads import call_bounded
from capture.platform_info import PlatformInfo

if TYPE_CHECKING:
    from Xlib.xobject.drawable import Window


@dataclass(frozen=True)
class ActiveWindow:
    """What is in front of the person. ``process`` is the program's name (``pid`` resolved),
    None when the window does not say or belongs to another machine."""

    title: str | None
    pid: int | None = None
    process: str | None = None


def active_window(platform: PlatformInfo, *, timeout_s: float = 1.0) -> ActiveWindow | None:
    """None when unknown. macOS needs the Screen Recording permission for other apps' titles,
    and Wayland does not expose them, so both return None rather than a guess. A display that
    does not answer within ``timeout_s`` counts as unknown."""
    if platform.system == "windows":
        return _windows_active()
    if platform.system == "linux" and not platform.wayland and platform.x11_display:
        display = platform.x11_display
        return call_bounded(lambda: _x11_active(display), timeout_s, name="flare-window-title")
    return None


def active_window_title(platform: PlatformInfo, *, timeout_s: float = 1.0) -> str | None:
    """Only the title (what the screenshot's metadata records)."""
    window = active_window(platform, timeout_s=timeout_s)
    return window.title if window else None


def process_name(pid: int | None) -> str | None:
    if pid is None or pid <= 0:
        return None
    import psutil  # here: the lookup runs on a daemon thread, beside the grab

    try:
        return psutil.Process(pid).name() or None
    except (psutil.Error, OSError):
        return None


def _windows_active() -> ActiveWindow | None:
    if sys.platform != "win32":
        return None
    user32 = ctypes.windll.user32
    hwnd = user32.GetForegroundWindow()
    if not hwnd:
        return None
    length = user32.GetWindowTextLengthW(hwnd)
    buf = ctypes.create_unicode_buffer(length + 1)
    user32.GetWindowTextW(hwnd, buf, length + 1)
    pid = ctypes.c_ulong(0)
    user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
    return ActiveWindow(buf.value or None, pid.value or None, process_name(pid.value))


def _x11_active(display_name: str) -> ActiveWindow | None:
    # Imported here: only X11 sessions need it, and it costs start-up time elsewhere.
    from Xlib import X, Xatom, display, error

    try:
        conn = display.Display(display_name)
    except (error.DisplayError, error.ConnectionClosedError, OSError):
        return None
    try:
        root = conn.screen().root
        active = root.get_full_property(conn.intern_atom("_NET_ACTIVE_WINDOW"), X.AnyPropertyType)
        window_id = int(active.value[0]) if active is not None and len(active.value) else 0
        if window_id == 0:  # no window manager that keeps EWMH, or nothing has the focus
            return None
        window = conn.create_resource_object("window", window_id)
        utf8 = conn.intern_atom("UTF8_STRING")
        title = _text_property(window, conn.intern_atom("_NET_WM_NAME"), utf8)
        if not title:
            title = _text_property(window, Xatom.WM_NAME, X.AnyPropertyType)
        pid_prop = window.get_full_property(conn.intern_atom("_NET_WM_PID"), Xatom.CARDINAL)
        pid = int(pid_prop.value[0]) if pid_prop is not None and len(pid_prop.value) else None
        # _NET_WM_PID is a process id on the client's machine: meaningless for a remote window.
        machine = _text_property(window, Xatom.WM_CLIENT_MACHINE, X.AnyPropertyType)
        if pid is not None and machine and machine != socket.gethostname():
            pid = None
        return ActiveWindow(title or None, pid, process_name(pid))
    except (error.XError, error.ConnectionClosedError, OSError):
        return None
    finally:
        conn.close()


def _text_property(window: Window, name: int, type_: int) -> str | None:
    from Xlib import Xatom

    prop = window.get_full_property(name, type_)
    if prop is None:
        return None
    value = prop.value
    if isinstance(value, bytes):
        # STRING is Latin-1 by the ICCCM; UTF8_STRING (and, in practice, COMPOUND_TEXT from
        # modern clients) is UTF-8.
        encoding = "latin-1" if prop.property_type == Xatom.STRING else "utf-8"
        return value.decode(encoding, "replace").rstrip("\x00") or None
    return str(value) or None
