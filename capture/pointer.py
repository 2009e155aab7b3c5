"""Where the mouse pointer is, in virtual-desktop coordinates (None when unknown)."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

from capture.platform_info import PlatformInfo


def pointer_position(platform: PlatformInfo) -> tuple[int, int] | None:
    try:
        if platform.system == "windows":
            return _windows_pointer()
        if platform.system == "linux" and not platform.wayland and platform.x11_display:
            return _x11_pointer(platform.x11_display)
    except OSError:
        return None
    return None


def _windows_pointer() -> tuple[int, int] | None:
    if sys.platform != "win32":
        return None

    class POINT(ctypes.Structure):
        _fields_ = [("x", ctypes.c_long), ("y", ctypes.c_long)]

    pt = POINT()
    if not ctypes.windll.user32.GetCursorPos(ctypes.byref(pt)):
        return None
    return int(pt.x), int(pt.y)


def _x11_pointer(display_name: str) -> tuple[int, int] | None:
    path = ctypes.util.find_library("X11")
    if not path:
        return None
    x11 = ctypes.CDLL(path)
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    ulong, c_int, c_uint = ctypes.c_ulong, ctypes.c_int, ctypes.c_uint
    x11.XQueryPointer.argtypes = [
        ctypes.c_void_p,
        ulong,
        ctypes.POINTER(ulong),
        ctypes.POINTER(ulong),
        ctypes.POINTER(c_int),
        ctypes.POINTER(c_int),
        ctypes.POINTER(c_int),
        ctypes.POINTER(c_int),
        ctypes.POINTER(c_uint),
    ]
    display = x11.XOpenDisplay(display_name.encode())
    if not display:
        return None
    try:
        root_ret, child = ulong(), ulong()
        rx, ry, wx, wy, mask = c_int(), c_int(), c_int(), c_int(), c_uint()
        ok = x11.XQueryPointer(
            display,
            x11.XDefaultRootWindow(display),
            ctypes.byref(root_ret),
            ctypes.byref(child),
            ctypes.byref(rx),
            ctypes.byref(ry),
            ctypes.byref(wx),
            ctypes.byref(wy),
            ctypes.byref(mask),
        )
        return (int(rx.value), int(ry.value)) if ok else None
    finally:
        x11.XCloseDisplay(display)
