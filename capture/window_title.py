"""The active window: its title and the program it belongs to, where the platform tells it
without extra permissions.

On X11 this reads the EWMH properties window managers keep (``_NET_ACTIVE_WINDOW`` on the root,
``_NET_WM_NAME`` and ``_NET_WM_PID`` on the window) through libxcb (capture/x11_props.py), which
honours ``XAUTHORITY`` cookies as every X client does; no helper program is needed.
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

    from capture.x11_props import Property


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
    # Imported here: only X11 sessions need it.
    from capture.x11_props import X11Connection, X11Unavailable

    try:
        with X11Connection(display_name) as conn:
            atoms = conn.atoms(("_NET_ACTIVE_WINDOW", "_NET_WM_NAME", "_NET_WM_PID",
                                "UTF8_STRING"))
            (active,) = conn.properties(conn.root, [(atoms["_NET_ACTIVE_WINDOW"], XA_WINDOW)])
            ids = active.cardinals() if active is not None else []
            window = ids[0] if ids else 0
            if window == 0:  # no window manager that keeps EWMH, or nothing has the focus
                return None
            net_name, wm_name, pid_prop, machine_prop = conn.properties(window, [
                (atoms["_NET_WM_NAME"], atoms["UTF8_STRING"]),
                (XA_WM_NAME, ANY_PROPERTY_TYPE),
                (atoms["_NET_WM_PID"], XA_CARDINAL),
                (XA_WM_CLIENT_MACHINE, ANY_PROPERTY_TYPE),
            ])
    except X11Unavailable:
        return None
    title = _text(net_name) or _text(wm_name)
    pids = pid_prop.cardinals() if pid_prop is not None else []
    pid = pids[0] if pids else None
    # _NET_WM_PID is a process id on the client's machine: meaningless for a remote window.
    machine = _text(machine_prop)
    if pid is not None and machine and machine != socket.gethostname():
        pid = None
    return ActiveWindow(title or None, pid, process_name(pid))


# Predefined atoms of the core protocol (X.h, Xatom.h).
ANY_PROPERTY_TYPE = 0
XA_CARDINAL = 6
XA_STRING = 31
XA_WINDOW = 33
XA_WM_CLIENT_MACHINE = 36
XA_WM_NAME = 39


def _text(prop: Property | None) -> str | None:
    if prop is None or prop.format != 8:
        return None
    return decode_text(prop.data, latin1=prop.type == XA_STRING)


def decode_text(value: bytes, *, latin1: bool) -> str | None:
    """A text property's bytes: STRING is Latin-1 by the ICCCM; UTF8_STRING (and, in practice,
    COMPOUND_TEXT from modern clients) is UTF-8."""
    return value.decode("latin-1" if latin1 else "utf-8", "replace").rstrip("\x00") or None


def _text_property(window: Window, name: int, type_: int) -> str | None:
    """A text property read through python-xlib (the event recorder and the window picker,
    which hold a python-xlib connection already)."""
    prop = window.get_full_property(name, type_)
    if prop is None:
        return None
    value = prop.value
    if isinstance(value, bytes):
        return decode_text(value, latin1=prop.property_type == XA_STRING)
    return str(value) or None
