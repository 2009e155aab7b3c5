"""The title of the active window, where the platform tells it without extra permissions."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import sys

from capture.platform_info import PlatformInfo


def active_window_title(platform: PlatformInfo, *, timeout_s: float = 1.0) -> str | None:
    """None when unknown. macOS needs the Screen Recording permission for other apps' titles,
    and Wayland does not expose them, so both return None rather than a guess."""
    if platform.system == "windows":
        return _windows_title()
    if platform.system == "linux" and not platform.wayland and platform.x11_display:
        return _x11_title(platform.x11_display, timeout_s)
    return None


def _windows_title() -> str | None:
    if sys.platform != "win32":
        return None
    user32 = ctypes.windll.user32
    hwnd = user32.GetForegroundWindow()
    if not hwnd:
        return None
    length = user32.GetWindowTextLengthW(hwnd)
    buf = ctypes.create_unicode_buffer(length + 1)
    user32.GetWindowTextW(hwnd, buf, length + 1)
    return buf.value or None


def _x11_title(display: str, timeout_s: float) -> str | None:
    tool = shutil.which("xdotool")
    if tool is None:
        return None
    try:
        done = subprocess.run(
            [tool, "getactivewindow", "getwindowname"],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            env={"DISPLAY": display, "PATH": ""},
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    title = done.stdout.strip()
    return title if done.returncode == 0 and title else None
