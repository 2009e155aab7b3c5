"""macOS Screen Recording permission: without it a grab shows only the wallpaper."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
from collections.abc import Callable
from typing import Protocol

from app.i18n import current
from capture.errors import CaptureError
from capture.platform_info import MACOS_PERMISSION_HINT


class CoreGraphics(Protocol):
    def CGPreflightScreenCaptureAccess(self) -> bool: ...
    def CGRequestScreenCaptureAccess(self) -> bool: ...


class _CtypesCoreGraphics:
    def __init__(self) -> None:
        path = ctypes.util.find_library("CoreGraphics") or (
            "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics"
        )
        self._lib = ctypes.CDLL(path)
        for name in ("CGPreflightScreenCaptureAccess", "CGRequestScreenCaptureAccess"):
            getattr(self._lib, name).restype = ctypes.c_bool

    def CGPreflightScreenCaptureAccess(self) -> bool:
        return bool(self._lib.CGPreflightScreenCaptureAccess())

    def CGRequestScreenCaptureAccess(self) -> bool:
        return bool(self._lib.CGRequestScreenCaptureAccess())


def ensure_screen_recording_permission(
    load: Callable[[], CoreGraphics] = _CtypesCoreGraphics,
) -> None:
    """Raise a :class:`CaptureError` with the System Settings path when access is missing.

    The first refusal also asks macOS to show its own prompt (it does so once per app).
    Systems older than 10.15 have neither function and need no permission.
    """
    try:
        cg = load()
        allowed = cg.CGPreflightScreenCaptureAccess()
    except (OSError, AttributeError):
        return
    if allowed:
        return
    with contextlib.suppress(OSError, AttributeError):
        cg.CGRequestScreenCaptureAccess()
    raise CaptureError(current().tr(MACOS_PERMISSION_HINT))
