"""Optional capture on every mouse click (off unless the user or policy enables it).

Uses pynput, an optional dependency (extra ``clicks``): it is not needed for anything else and
needs extra permissions on macOS (Accessibility) and does not work on Wayland.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Protocol

from app.i18n import current
from capture.errors import CaptureError
from capture.platform_info import PlatformInfo


class Listener(Protocol):
    def stop(self) -> None: ...


OnClick = Callable[[int, int], None]


def start_click_listener(
    on_click: OnClick,
    platform: PlatformInfo,
    *,
    load_mouse: Callable[[], Any] | None = None,
) -> Listener:
    """Call ``on_click(x, y)`` (desktop coordinates) on each button press until ``stop()``."""
    if platform.system == "linux" and platform.wayland:
        raise CaptureError(current().tr(
            "Capture on click is not possible on Wayland (applications cannot see global "
            "clicks); use the Capture step button or shortcut instead."), 1)
    try:
        mouse = load_mouse() if load_mouse else _import_pynput_mouse()
    except ImportError as exc:
        raise CaptureError(current().tr(
            "Capture on click needs the optional 'pynput' package: install it with "
            "pip install 'flare-reporter[clicks]', or capture steps by hand."), 4) from exc

    def _handler(x: float, y: float, _button: object, pressed: bool) -> None:
        if pressed:
            on_click(int(x), int(y))

    listener: Listener = mouse.Listener(on_click=_handler)
    listener.start()  # type: ignore[attr-defined]
    return listener


def _import_pynput_mouse() -> Any:
    return importlib.import_module("pynput.mouse")
